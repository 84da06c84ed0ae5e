"""属地管理: a matter in a town that a functional zone runs goes to the zone.

Fact (shared/data/SOURCES.md, nanchang_functional_zones.csv): 蛟桥街道 is coded under
新建区 but run by 南昌经济技术开发区, "经开区唯一的街道".
"""

from __future__ import annotations

from yuqing_spiders.analysis.text_analysis import analyse_text


def test_zone_run_town_routes_to_the_zone_not_the_statistical_district():
    result = analyse_text(
        "蛟桥街道一小区停水三天", "南昌市新建区蛟桥街道某小区居民反映停水三天，无人处理。"
    )
    assert result["jurisdiction"]["district"] == "新建区"
    assert result["routed_to"][0] == "南昌经济技术开发区"
    assert "新建区" not in result["routed_to"]


def test_ordinary_town_routes_to_its_district():
    result = analyse_text("青山湖区湖坊镇一路段积水", "南昌市青山湖区湖坊镇某路段暴雨后积水严重。")
    assert result["routed_to"][0] == "青山湖区"
