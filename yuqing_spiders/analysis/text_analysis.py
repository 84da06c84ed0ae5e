"""The per-item analysis in one place, for the pipelines and for `yuqing tag`.

`judge_*` take plain text and return the parts of the stored record (docs/schema.md
field names) as plain dicts; `apply_*` write them onto an OpinionItem; a pipeline
stage is one `apply_*` call. `analyse_text` runs every judgement on a bare text and
then the later stages registered in `STAGES`; `analyse` runs them on an item.

Later stages (level, routing) plug in with `register_stage(func)`: `func(result,
context)` receives the analysis dict built so far and the context keywords of
`analyse_text`, and adds its own keys. The level module of the events work is
registered here when it is importable, so `yuqing tag` shows level and reasons.

The judgements of one item share one jieba segmentation of its title and content
(analysis/tokens.py keeps the words of the last texts): pass the item's own strings,
not copies, and each is cut once. Which stage reads a bounded window of a long text is
said there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis import bigv, jurisdiction, sentiment
from yuqing_spiders.analysis.rules import DEFAULT_RULES_FILE, Rules, shared_store
from yuqing_spiders.model.items import Jurisdiction, OpinionItem, Risk, Sentiment

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

STAGES: list[Callable[[dict[str, Any], dict[str, Any]], None]] = []


def register_stage(stage: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:
    """Run `stage(result, context)` after the built-in judgements of `analyse_text`."""
    if stage not in STAGES:
        STAGES.append(stage)


def default_rules() -> Rules:
    return shared_store(DEFAULT_RULES_FILE).get()


# --- judgements on text ----------------------------------------------------------------


def judge_jurisdiction(
    rules: Rules,
    title: str | None,
    content: str | None,
    *,
    url: str | None = None,
    ip_location: str | None = None,
    author_location: str | None = None,
    local: str | None = None,
) -> dict[str, Any]:
    localities = rules.jurisdiction.get("source_localities") or {}
    result = jurisdiction.resolve(
        rules.gazetteer,
        rules.jurisdiction,
        title,
        content,
        ip_location=ip_location or jurisdiction.ip_location_in(content),
        author_location=author_location,
        source_locality=jurisdiction.source_locality(url, localities),
        local=local,  # a watch-list unit the item matched: context for ambiguous names
    )
    return result.as_dict()


def judge_departments(rules: Rules, title: str | None, content: str | None) -> dict[str, Any]:
    findings = rules.departments.judge(title, content)
    return {
        "departments": [f.name for f in findings],
        "department_terms": {f.name: f.terms for f in findings},
    }


def judge_risk(rules: Rules, title: str | None, content: str | None) -> dict[str, Any]:
    return rules.risk.judge(title, content).as_dict()


def judge_sentiment(
    rules: Rules, *texts: str | None, platform: str | None = None
) -> dict[str, Any]:
    """Sentiment of an item (title, content) or of one comment (its text), read with
    the polarity head of the item's platform (news and unknown: the general head)."""
    model = rules.sentiment
    return model.judge(*texts, head=model.head_of(platform)).as_dict()


def comment_lean(rules: Rules, judged: Iterable[dict[str, Any] | Any]) -> dict[str, Any] | None:
    """`comment_sentiment` of an item from its comments' sentiments (dicts or results)."""
    section = rules.raw.get("sentiment") or {}
    return sentiment.aggregate(
        judged, int(section.get("comments_min", 3)), rules.sentiment.neutral_band
    )


def judge_bigv(
    rules: Rules, followers: int | None, verified: bool | None, verified_type: int | None
) -> dict[str, Any]:
    result = bigv.judge(rules.bigv, followers, verified, verified_type)
    return {"is_big_v": result.is_big_v, "big_v_reasons": result.reasons}


# --- on items: what the pipeline stages call --------------------------------------------


def _author_value(item: OpinionItem, name: str) -> str | None:
    return getattr(item.author, name, None) or item.extra.get(name)


def apply_jurisdiction(item: OpinionItem, rules: Rules) -> Jurisdiction:
    found = judge_jurisdiction(
        rules,
        item.title,
        item.content,
        url=item.url,
        ip_location=_author_value(item, "ip_location"),
        author_location=_author_value(item, "location"),
        local=next((match.unit for match in item.watch), None),
    )
    item.jurisdiction = Jurisdiction(**found)
    return item.jurisdiction


def apply_departments(item: OpinionItem, rules: Rules) -> list[str]:
    found = judge_departments(rules, item.title, item.content)
    item.departments = found["departments"]
    item.department_terms = found["department_terms"]
    return item.departments


def apply_risk(item: OpinionItem, rules: Rules) -> Risk:
    item.risk = Risk(**judge_risk(rules, item.title, item.content))
    return item.risk


def apply_sentiment(item: OpinionItem, rules: Rules) -> Sentiment:
    item.sentiment = Sentiment(
        **judge_sentiment(rules, item.title, item.content, platform=item.platform)
    )
    return item.sentiment


def apply_bigv(item: OpinionItem, rules: Rules) -> bool | None:
    author = item.author
    found = judge_bigv(rules, author.followers, author.verified, author.verified_type)
    author.is_big_v = found["is_big_v"]
    author.big_v_reasons = found["big_v_reasons"]
    return author.is_big_v


APPLIERS = (apply_jurisdiction, apply_departments, apply_risk, apply_sentiment, apply_bigv)


def analyse(item: OpinionItem, rules: Rules | None = None) -> OpinionItem:
    """Every per-item judgement on `item`, in pipeline order."""
    rules = rules or default_rules()
    for applier in APPLIERS:
        applier(item, rules)
    return item


# --- on bare text: yuqing tag ---------------------------------------------------------


def analyse_text(
    title: str | None,
    text: str | None,
    *,
    rules: Rules | None = None,
    **context: Any,
) -> dict[str, Any]:
    """The full analysis of one text, as the stored record names its fields.

    `context` may hold url, ip_location, author_location, followers, verified,
    verified_type, platform (picks the sentiment head), and comments (a list of comment
    texts); registered later stages get it as well.
    """
    rules = rules or default_rules()
    result: dict[str, Any] = {"title": title}
    result["jurisdiction"] = judge_jurisdiction(
        rules,
        title,
        text,
        url=context.get("url"),
        ip_location=context.get("ip_location"),
        author_location=context.get("author_location"),
    )
    result.update(judge_departments(rules, title, text))
    result["risk"] = judge_risk(rules, title, text)
    platform = context.get("platform")
    result["sentiment"] = judge_sentiment(rules, title, text, platform=platform)
    comments = [judge_sentiment(rules, c, platform=platform) for c in context.get("comments") or ()]
    result["comment_sentiment"] = comment_lean(rules, comments) if comments else None
    found = judge_bigv(
        rules, context.get("followers"), context.get("verified"), context.get("verified_type")
    )
    result["author"] = {"ip_location": context.get("ip_location"), **found}
    _run_stages(result, context)
    return result


def _run_stages(result: dict[str, Any], context: dict[str, Any]) -> None:
    _register_plugins()
    for stage in STAGES:
        name = getattr(stage, "__qualname__", repr(stage))
        try:
            stage(result, context)
        except Exception:  # one broken later stage must not lose the rest of the analysis
            logger.exception("analysis stage %s failed", name)
            result.setdefault("stage_errors", []).append(name)


def _level_stage(result: dict[str, Any], _context: dict[str, Any]) -> None:
    """Level, reasons and routing from the level module, on the text alone."""
    from yuqing_spiders.analysis import level

    result["level"], result["level_reasons"] = level.classify(result)
    result["routed_to"] = level.route(result)


_plugins_checked = False


def _register_plugins() -> None:
    global _plugins_checked
    if _plugins_checked:
        return
    _plugins_checked = True
    try:
        from yuqing_spiders.analysis import level
    except ImportError as error:
        logger.debug("no level stage for analyse_text: %s", error)
        return
    if hasattr(level, "classify") and hasattr(level, "route"):
        register_stage(_level_stage)
