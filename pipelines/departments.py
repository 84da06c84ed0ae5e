"""Departments stage: which units (城管, 住建, 公安 ...) a matter concerns, with the terms.

Thin shell over yuqing_spiders.analysis.departments; rules in settings/analysis.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.text_analysis import apply_departments

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.model.items import OpinionItem


class DepartmentsPipeline(RulesStage):
    name = "departments"

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_departments(item, rules)
        if not found:
            self.inc("none")
        for department in found:
            self.inc(f"named/{department}")
