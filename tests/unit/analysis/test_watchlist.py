"""The watch-list matcher: units, AND / ANY / NOT combinations, the office's real list."""

from __future__ import annotations

import pytest

from tests.helpers.paths import REPO
from yuqing_spiders.analysis.watchlist import Rule, Watchlist, load_watchlist


def rules(*raw: Rule) -> Watchlist:
    return Watchlist(list(raw))


XIHU = Rule(
    id="xihu",
    unit="西湖区",
    kind="district",
    all=(("西湖区",), ("南昌", "洪城")),
    not_=("杭州",),
)


def test_all_groups_must_each_be_met():
    wl = rules(XIHU)
    assert [m.rule for m in wl.match("南昌市西湖区桃花镇加装电梯")] == ["xihu"]
    assert wl.match("西湖区桃花镇加装电梯") == []  # the city group is missing
    match = wl.match("洪城西湖区朝阳新城")[0]
    assert match.unit == "西湖区"
    assert match.terms == ["西湖区", "洪城"]


def test_not_terms_veto_the_rule():
    wl = rules(XIHU)
    assert wl.match("杭州市西湖区的游客来南昌旅游") == []


def test_any_is_one_more_group_and_terms_fold_width_and_case():
    wl = rules(Rule(id="metro", unit="南昌轨道交通集团", all=(("南昌",),), any=("地铁", "metro")))
    assert wl.match("南昌 METRO 4号线")
    assert wl.match("南昌地铁")
    assert wl.match("南昌公交") == []
    # Full-width letters (NFKC) still match.
    assert wl.match("南昌ｍｅｔｒｏ")


def test_overlapping_terms_are_all_found():
    wl = rules(
        Rule(id="city", unit="南昌市", any=("南昌",), not_=("南昌路",)),
        Rule(id="county", unit="南昌县", any=("南昌县",)),
    )
    found = wl.match("南昌县莲塘镇")
    assert [m.rule for m in found] == ["city", "county"]
    assert wl.match("上海南昌路") == []


def test_real_watchlist_loads_and_places_typical_items():
    wl = load_watchlist(REPO / "settings" / "watchlist.yaml")
    assert [r.query for r in wl.searches()] == ["南昌", "青山湖区"]
    units = {r.unit for r in wl.rules}
    assert {"南昌市", "青山湖区", "红谷滩区", "南昌县", "进贤县", "安义县", "新建区"} <= units
    assert {r.kind for r in wl.rules} == {"city", "district", "county", "zone", "department"}
    water = {m.rule for m in wl.match("南昌市青山湖区湖坊镇多个小区停水，南昌水业集团连夜抢修")}
    assert water == {"nanchang", "qingshanhu", "dept-water"}
    assert wl.match("上海南昌路历史风貌区完成更新，物业服务同步提升") == []
    assert wl.match("新建区域内将配建学校") == []
    assert {m.rule for m in wl.match("杭州市西湖区召开会议")} == set()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rules:\n  - {id: a, unit: 南昌市, not: [x]}\n", "no `all` or `any`"),
        ("rules:\n  - {id: a, any: [x]}\n", "needs an id and a unit"),
        ("rules:\n  - {id: a, unit: u, any: [x]}\n  - {id: a, unit: u, any: [y]}\n", "repeat"),
        ("rules:\n  - {id: a, unit: u, any: ['']}\n", "non-empty"),
    ],
)
def test_bad_watchlists_are_refused_with_a_reason(tmp_path, text, problem):
    path = tmp_path / "watchlist.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_watchlist(path)
