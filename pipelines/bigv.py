"""Big-V stage: `author.is_big_v` from followers and verification (thresholds in YAML).

Thin shell over yuqing_spiders.analysis.bigv. Authors without any account data (news
bylines) stay unjudged (None), counted as `not_judged`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.text_analysis import apply_bigv

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.model.items import OpinionItem


class BigVPipeline(RulesStage):
    name = "bigv"

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_bigv(item, rules)
        self.inc({True: "big_v", False: "not_big_v", None: "not_judged"}[found])
