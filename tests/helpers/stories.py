# ruff: noqa: E501  (article paragraphs stay one line each, as the sites print them)
"""Realistic Chinese stories for the event, heat, level and alert tests.

One story (a flooded car park in 红谷滩区) as people.com.cn published it, as the
provincial site reposted it (new headline line, source and editor credits) and as a
portal carried an abridged copy; and a different story with a near-identical title.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from yuqing_spiders.model.items import Author, Media, Metrics, OpinionItem, Risk

T0 = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # 08:00 in Nanchang

ORIGINAL = """人民网南昌11月25日电 11月24日晚，江西省南昌市红谷滩区凤凰洲一小区地下车库发生积水，部分车辆被淹。记者从红谷滩区应急管理局获悉，事发后区应急、住建、消防等部门第一时间赶赴现场处置，目前积水已基本排除，未造成人员伤亡。
据了解，事发当晚南昌市区出现短时强降雨，小时雨量最大达到68毫米。该小区地下车库排水泵因停电未能正常运行，导致雨水倒灌。部分业主反映，物业公司在降雨前未采取防范措施，事发后也未及时通知业主挪车。
红谷滩区住建局相关负责人表示，已责成物业公司配合业主做好车辆受损登记和保险理赔工作，并将对全区老旧小区地下车库排水设施开展专项排查。目前，相关调查仍在进行中。"""

PROVINCIAL = """原标题：南昌一小区地下车库积水 多辆车被淹
11月24日晚，江西省南昌市红谷滩区凤凰洲一小区地下车库发生积水，部分车辆被淹。记者从红谷滩区应急管理局获悉，事发后区应急、住建、消防等部门第一时间赶赴现场处置，目前积水已基本排除，未造成人员伤亡。
据了解，事发当晚南昌市区出现短时强降雨，小时雨量最大达到68毫米。该小区地下车库排水泵因停电未能正常运行，导致雨水倒灌。部分业主反映，物业公司在降雨前未采取防范措施，事发后也未及时通知业主挪车。
红谷滩区住建局相关负责人表示，已责成物业公司配合业主做好车辆受损登记和保险理赔工作，并将对全区老旧小区地下车库排水设施开展专项排查。目前，相关调查仍在进行中。
来源：人民网 责任编辑：王芳"""

PORTAL_ABRIDGED = """11月24日晚，南昌市红谷滩区凤凰洲一小区地下车库发生积水，部分车辆被淹。记者从红谷滩区应急管理局获悉，事发后区应急、住建、消防等部门赶赴现场处置，积水已基本排除，未造成人员伤亡。
据了解，当晚南昌市区出现短时强降雨，小时雨量最大达到68毫米。该小区地下车库排水泵因停电未能正常运行，导致雨水倒灌。
（来源：人民网-江西频道）"""

# Same headline, another story: a fire drill in the same car park the next morning.
OTHER_STORY = """11月25日上午，南昌市红谷滩区凤凰洲一小区举行消防应急演练，小区物业、业主和红谷滩区消防救援大队共200余人参加。演练模拟地下车库车辆起火，消防员示范了灭火器和消防栓的使用方法，并为业主讲解了电动车充电安全知识。
红谷滩区消防救援大队相关负责人表示，今冬明春火灾防控形势严峻，将持续开展消防安全进社区活动，提升居民自防自救能力。"""

TITLE = "南昌一小区地下车库积水 多辆车被淹"


def story(
    n: str,
    *,
    content: str = ORIGINAL,
    site: str = "jx.people.com.cn",
    tier: str | None = "central_key",
    platform: str = "news",
    source: str = "people",
    published: timedelta = timedelta(0),
    crawled: timedelta = timedelta(hours=3),
    title: str = TITLE,
    **extra: object,
) -> OpinionItem:
    item = OpinionItem(
        url=f"http://{site}/n2/2026/1125/c186330-{n}.html",
        source=source,
        platform=platform,
        title=title,
        content=content,
        native_id=n,
        id=f"{source}:{n}",
        media=Media(name=site, tier=tier, domain=site),
        published_at=T0 + published,
        crawled_at=T0 + crawled,
        metrics=Metrics(),
        author=Author(),
        risk=Risk(sensitive=False, sudden=False, mass=False, inciting=False),
    )
    for name, value in extra.items():
        setattr(item, name, value)
    return item


def three_sites() -> list[OpinionItem]:
    """people.com.cn at 08:00, jxnews.com.cn at 09:30, sina.com.cn at 10:15 (local)."""
    return [
        story("41401779", site="jx.people.com.cn", tier="central_key"),
        story(
            "5521",
            content=PROVINCIAL,
            site="jx.jxnews.com.cn",
            tier="provincial_key",
            source="jxnews",
            published=timedelta(hours=1, minutes=30),
        ),
        story(
            "nx8812",
            content=PORTAL_ABRIDGED,
            site="news.sina.com.cn",
            tier="commercial",
            source="sina",
            published=timedelta(hours=2, minutes=15),
            title="南昌暴雨致小区车库被淹",
        ),
    ]
