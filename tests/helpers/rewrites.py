# ruff: noqa: E501  (article paragraphs stay one line each, as the sites print them)
"""Rewritten reports of one story, and other stories at the same place, for the event
rule that groups rewrites (docs/analysis.md, events).

Written by this team to TEST THE RULE, not to measure it: the fixture site has no two
outlets reporting one story in their own words. The facts modelled are public habits
of Chinese news: a rewrite keeps the date, the place, the figures and the offices
named and changes the wording and the headline; a different story at the same place
keeps the place (and often the day) and changes the rest.
"""

from __future__ import annotations

from datetime import timedelta

from tests.helpers.stories import story
from yuqing_spiders.model.items import OpinionItem

# The car-park flood of tests/helpers/stories.py, rewritten by a provincial paper.
PAPER = (
    "暴雨致红谷滩区凤凰洲小区车库进水 物业被指未提前预警",
    "本报讯 受11月24日夜间强降雨影响，红谷滩区凤凰洲一住宅小区的地下停车场出现大面积进水，数十辆私家车不同程度受损。据红谷滩区应急管理局通报，当晚该区域最大小时降雨量达68毫米，小区排水泵因断电停止工作，雨水随即涌入车库。多名车主向记者抱怨，物业事前没有任何提醒。区住建局表示将督促物业协助车主办理理赔，并在全区开展地下车库排水设施排查。",
)
# ... and by a city portal, shorter, its own headline.
PORTAL = (
    "南昌一小区车库被淹 车主：物业没通知挪车",
    "11月24日晚，南昌红谷滩区凤凰洲某小区地下车库积水严重，不少车辆泡在水中。红谷滩区应急管理局称，当晚雨势猛烈，小时雨量最高68毫米，车库排水泵因停电失灵。目前积水已排干，没有人员受伤。有车主质疑物业未及时通知挪车，物业方面暂未回应。",
)
# Other stories: same compound, same evening; same storm, another district; same
# compound, a week later, same kind of trouble.
LIFT = (
    "红谷滩区凤凰洲一小区电梯困人 消防破门救出3人",
    "11月24日晚，红谷滩区凤凰洲一小区电梯突发故障，3名居民被困约40分钟。红谷滩区消防救援大队接警后赶到现场，破拆电梯门将被困人员救出，3人均无大碍。小区物业表示，该电梯已停运检修。",
)
OTHER_DISTRICT = (
    "青山湖区一小区地下车库积水 多辆车被淹",
    "11月24日晚，南昌市青山湖区湖坊镇一小区地下车库发生积水，10余辆车被淹。青山湖区应急管理局介绍，当晚小时雨量最大达68毫米，小区排水沟堵塞导致雨水倒灌，目前积水已排除。",
)
WEEK_LATER = (
    "红谷滩区凤凰洲小区车库再次积水 业主要求物业整改",
    "12月1日凌晨，红谷滩区凤凰洲一小区地下车库因消防水管破裂再次积水，约20辆车受影响。业主们聚集在物业办公室要求整改，红谷滩区住建局已介入调查。",
)


def report(n: str, pair: tuple[str, str], *, hours: float, site: str, tier: str) -> OpinionItem:
    title, body = pair
    return story(
        n,
        title=title,
        content=body,
        site=site,
        tier=tier,
        source=site.split(".")[-3] if site.count(".") >= 2 else site,
        published=timedelta(hours=hours),
    )
