"""Risk stage: sensitive, sudden (by national class), mass incident, inciting, with terms.

Thin shell over yuqing_spiders.analysis.risk; lexicons in yuqing_spiders/data/lexicons,
thresholds and negation words in settings/analysis.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuqing_spiders.analysis.risk import FLAGS
from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.text_analysis import apply_risk

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.model.items import OpinionItem


class RiskPipeline(RulesStage):
    name = "risk"

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_risk(item, rules)
        flagged = [flag for flag in FLAGS if getattr(found, flag)]
        for flag in flagged:
            self.inc(f"flag/{flag}")
        for sudden_class in found.sudden_classes:
            self.inc(f"sudden_class/{sudden_class}")
        if not flagged:
            self.inc("none")
        if found.negated:
            self.inc("negated_terms", len(found.negated))
