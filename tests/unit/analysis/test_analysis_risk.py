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


# --- issue 11: prevention work is not the event; figurative words; daily life ----------


def test_work_about_preventing_an_event_is_not_the_event():
    found = risk("南昌市召开冬季消防安全工作会议", "会议部署火灾防控，严防燃气爆炸等事故。")
    assert found["sudden"] is False
    assert "会议" in found["evidence"]["prevention"]
    found = risk("东湖区启动冬季燃气安全专项整治", "全面排查燃气泄漏隐患。")
    assert found["sudden"] is False
    # The same words with an incident named: the event is real.
    found = risk("化工厂爆炸后我市召开安全工作会议", "昨日一化工厂发生爆炸，造成2人受伤。")
    assert found["sudden"] is True
    assert "prevention" not in found["evidence"]


def test_figurative_explosion_does_not_flag_sudden():
    found = risk("信息爆炸时代如何读书", "面对爆炸式增长的信息，要学会取舍。")
    assert found["sudden"] is False
    assert "爆炸" not in found["terms"]


def test_a_water_outage_weighs_as_the_office_weighs_it():
    found = risk("南昌一小区600户停水10小时", "12345电话无人接听，居民生活受影响。")
    assert found["sudden"] is True
    assert "停水" in found["evidence"]["sudden"]
    assert risk("小区电梯困人半小时", "")["sudden"] is True
    assert risk("工地拖欠工资 数十名工人讨薪", "")["mass"] is True


def test_departments_follow_the_division_of_duties():
    rules = shipped_rules()

    def first(title: str | None, text: str) -> str:
        return judge_departments(rules, title, text)["departments"][0]

    # 特种设备 (lifts) are 市场监管's, 医保 reimbursement is 医保局's (issue 11).
    assert first("小区电梯频繁故障", "电梯一周三次困人，物业不管。") == "市场监管"
    assert first("医保报销迟迟不到账", "异地就医回来报销，医保局说材料不全。") == "医保"
    # A text without a title still gets its departments.
    found = judge_departments(rules, None, "新建区住建局通报：因供水管网改造，部分小区停水。")
    assert {"住建", "水务"} <= set(found["departments"])
    for title, want in [
        ("景区门票乱涨价", "文旅"),
        ("村里宅基地被强占", "自然资源"),
        ("低保申请被拒", "民政"),
        ("12345热线无人接听", "政务服务"),
        ("种子质量差庄稼减产", "农业农村"),
        ("危化品仓库安全隐患", "应急管理"),
    ]:
        assert first(title, "") == want, title


def test_the_stored_risk_is_what_dataclasses_asdict_gives():
    """RiskResult.as_dict replaced dataclasses.asdict (a deep copy): the same keys in
    the same order, equal values, and new containers (the result can be changed
    without changing the stored record)."""
    from dataclasses import asdict

    result = shipped_rules().risk.judge("化工厂发生爆炸", "化工厂爆炸造成多人伤亡，群众聚集围堵。")
    assert result.terms
    stored = result.as_dict()
    assert list(stored.items()) == list(asdict(result).items())
    assert stored["evidence"] is not result.evidence
    assert all(stored["evidence"][f] is not result.evidence[f] for f in result.evidence)
    assert stored["terms"] is not result.terms
