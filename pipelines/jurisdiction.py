"""属地 stage: province, city, county and town (for Nanchang also the zone), with evidence.

Thin shell over yuqing_spiders.analysis.jurisdiction; counts items per province
(`analysis/jurisdiction/province/<name>`, the office's per-province figures) and per
Nanchang district and zone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuqing_spiders.analysis.gazetteer import NANCHANG
from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.text_analysis import apply_jurisdiction

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.model.items import OpinionItem


class JurisdictionPipeline(RulesStage):
    name = "jurisdiction"

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_jurisdiction(item, rules)
        if not found.province:
            self.inc("unplaced")
            return
        self.inc(f"province/{found.province}")
        if found.city != NANCHANG:
            return  # elsewhere: counted per province only (not one stat per county of China)
        if found.district:
            self.inc(f"district/{found.district}")
        if found.zone:
            self.inc(f"zone/{found.zone}")
        if found.town:
            self.inc("with_town")
        if found.ignored:
            self.inc("ignored_names", len(found.ignored))
