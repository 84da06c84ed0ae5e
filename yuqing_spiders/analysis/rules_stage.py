"""What the five rule-driven pipeline stages share: settings, the shared rules, safety.

Each stage (pipelines/jurisdiction.py, departments.py, risk.py, sentiment.py,
bigv.py) is `RulesStage` plus one `judge(item, rules)` method. The rules come from
one `RuleStore` per process, so the stages load settings/analysis.yaml once and see
an edit at the same time. A judgement that raises leaves the item as it was, is
logged once per stage and error type, and counted: it never stops the worker.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Self

from scrapy.exceptions import NotConfigured

from yuqing_spiders.analysis.rules import RuleStore, shared_store
from yuqing_spiders.model.items import OpinionItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from yuqing_spiders.analysis.rules import Rules

logger = logging.getLogger(__name__)


def rule_store(settings: BaseSettings) -> RuleStore:
    """The process's rules store for these settings (shared by every stage)."""
    return shared_store(
        settings.get("ANALYSIS_RULES_FILE") or None,
        settings.getfloat("ANALYSIS_RELOAD_INTERVAL", 10.0),
    )


class RulesStage:
    name: ClassVar[str] = "analysis"

    def __init__(self, crawler: Crawler, store: RuleStore) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self._reloads = store.reloads
        self._failures = store.failures
        self._logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("ANALYSIS_ENABLED", True):
            raise NotConfigured("ANALYSIS_ENABLED is off")
        return cls(crawler, rule_store(settings))

    def inc(self, metric: str, count: int = 1) -> None:
        self.stats.inc_value(f"analysis/{self.name}/{metric}", count)

    def _rules(self) -> Rules:
        rules = self.store.get()
        # Every stage sees the store's counters move; each reports its own view once.
        if self.store.reloads != self._reloads:
            self.stats.inc_value("analysis/rules/reloaded", self.store.reloads - self._reloads)
            self._reloads = self.store.reloads
        if self.store.failures != self._failures:
            self.stats.inc_value(
                "analysis/rules/reload_failed", self.store.failures - self._failures
            )
            self._failures = self.store.failures
        return rules

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, OpinionItem):
            return item  # comments, front-page snapshots: not this stage's business
        try:
            self.judge(item, self._rules())
        except Exception as error:  # a bad item must not stop the worker
            kind = type(error).__name__
            self.inc(f"errors/{kind}")
            if kind not in self._logged:
                self._logged.add(kind)
                logger.exception(
                    "%s stage failed on %s (%s); item passed on unjudged, "
                    "further cases only counted",
                    self.name,
                    item.url,
                    kind,
                )
            return item
        self.inc("items")
        return item

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        raise NotImplementedError
