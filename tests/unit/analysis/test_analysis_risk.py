"""Risk flags and departments: lexicon weights, thresholds, negation, word boundaries."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.analysis import shipped_rules
from yuqing_spiders.analysis.departments import compile_departments
from yuqing_spiders.analysis.risk import compile_risk, read_lexicon
from yuqing_spiders.analysis.rules import PACKAGE_DATA
from yuqing_spiders.analysis.text_analysis import judge_departments, judge_risk


def risk(title: str, text: str = "") -> dict:
    return judge_risk(shipped_rules(), title, text)


def test_lexicon_files_load_with_sections_and_weights():
    terms = read_lexicon(PACKAGE_DATA / "lexicons" / "sudden.txt", "sudden")
    assert terms["地震"].weight == 3
    assert terms["地震"].section == "自然灾害"
    assert terms["爆炸"].section == "事故灾难"


def test_fire_is_sudden_in_the_accident_class_with_its_terms():
    found = risk("南昌县向塘镇一化工厂发生爆炸", "现场浓烟滚滚，消防救援人员赶到，已造成人员伤亡。")
    assert found["sudden"] is True
    assert found["sudden_classes"] == ["事故灾难"]
    assert {"爆炸", "伤亡"} <= set(found["evidence"]["sudden"])
    assert found["mass"] is False


def test_negated_terms_do_not_count():
    found = risk("红谷滩一小区电动车起火", "火势很快被扑灭，未造成人员伤亡，不存在爆炸。")
    assert "伤亡" in found["negated"]
    assert "爆炸" in found["negated"]
    assert "伤亡" not in found["terms"]


def test_a_debunked_rumour_is_not_an_emergency():
    found = risk("网传南昌一商场爆炸系谣言", "经核实，网传爆炸视频系谣言，系外地旧视频。")
    assert found["sudden"] is False
    assert "爆炸" in found["negated"]


def test_mass_incident_and_incitement_are_told_apart():
    found = risk(
        "数百名业主聚集售楼部维权",
        "业主拉横幅要求退房。有人在群里号召：明早集合，都去政府讨说法，不转不是中国人！",
    )
    assert found["mass"] is True
    assert found["inciting"] is True
    assert "明早集合" in found["evidence"]["inciting"]


def test_one_weak_term_raises_no_flag():
    found = risk("市长调研", "市长一行调研了城区防汛工作。")
    assert found["sensitive"] is False
    assert found["scores"]["sensitive"] == 1.5  # weight 1, once, at the title's factor


def test_corruption_is_sensitive():
    found = risk("某局长涉嫌受贿被查", "市纪委监委通报。")
    assert found["sensitive"] is True
    assert "受贿" in found["terms"]


def test_a_short_term_inside_a_longer_word_does_not_count():
    rules = compile_risk(
        {"lexicons": {"mass": "lexicons/mass.txt", "inciting": "lexicons/inciting.txt"}},
        PACKAGE_DATA,
    )
    assert "集合" not in rules.judge("集合体", "数学课上讲了集合体的性质。").terms
    assert "集合" in rules.judge("今晚集合", "大家八点集合。").terms


def test_office_weights_override_and_switch_off_terms():
    section = {
        "lexicons": {"sudden": "lexicons/sudden.txt"},
        "weights": {"sudden": {"暴雨": 0, "井盖丢失": 3}},
    }
    rules = compile_risk(section, PACKAGE_DATA)
    assert "暴雨" not in rules.judge("南昌暴雨", "").terms
    found = rules.judge(None, "路口井盖丢失。")
    assert found.sudden is True
    assert found.evidence["sudden"] == ["井盖丢失"]


def test_departments_with_their_evidence():
    found = judge_departments(
        shipped_rules(),
        "红谷滩一楼盘延期交房 业主维权",
        "开发商承诺的交房日期已过半年，业主希望住建部门介入。",
    )
    assert found["departments"][0] == "住建"
    assert "延期交房" in found["department_terms"]["住建"]


def test_departments_need_the_threshold():
    rules = compile_departments(
        {
            "threshold": 3,
            "title_factor": 2,
            "rules": {"城管": {"terms": {"占道经营": 3, "垃圾": 1}}},
        }
    )
    assert rules.judge(None, "路边有垃圾。") == []
    assert [f.name for f in rules.judge(None, "商户占道经营，垃圾遍地。")] == ["城管"]
    assert [f.name for f in rules.judge("垃圾成堆", None)] == []  # 1 x 2 < 3


def test_many_departments_for_a_mixed_matter():
    found = judge_departments(
        shipped_rules(),
        "学校门口流动摊贩售卖过期食品",
        "家长反映，南昌一小学门口流动摊贩售卖过期食品，学生吃后腹泻，城管和市场监管部门已介入。",
    )
    assert {"城管", "市场监管", "教育"} <= set(found["departments"])


def test_risk_lexicons_ship_with_their_source_note():
    assert (Path(PACKAGE_DATA) / "lexicons" / "SOURCE.md").is_file()
