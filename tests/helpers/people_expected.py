"""Expected values for the people.com.cn article fixtures (tests/fixtures/web/README.md).

One entry per article page under `*.people.com.cn/n*/`: what spiders.people.parse must
give for it. Times are UTC. Shared by the people parser tests and the generic
extractor's tests, so both check one set of facts. All texts and names are invented.
"""

# ruff: noqa: E501  (titles and paragraph starts of Chinese text, one string each)

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# GBK bytes served under a `charset=utf-8` header (repaired by the encoding middleware).
WRONG_CHARSET_URL = "http://jx.people.com.cn/n2/2026/1122/c186330-41391207.html"


@dataclass(frozen=True)
class Expected:
    title: str
    published_at: datetime
    media: str
    author: str | None
    editor: str
    paragraphs: int
    first: str  # start of the first paragraph
    last: str  # end of the last paragraph


EXPECTED: dict[str, Expected] = {
    # New template, Jiangxi channel, byline in p.author (RSSHub .rm_txt_con; NA author block).
    "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html": Expected(
        "南昌红谷滩区丰和大道改造进入攻坚阶段 部分路段夜间封闭施工",
        datetime(2026, 11, 25, 1, 41, tzinfo=UTC),
        "人民网－江西频道",
        "王晓明",
        "张三、李四",
        4,
        "人民网南昌11月25日电 （记者 王晓明）记者从南昌市红谷滩区",
        "相关部门将在24小时内响应。",
    ),
    # New template, 来源 another medium (江西日报), reporter and correspondent.
    "http://jx.people.com.cn/n2/2026/1125/c186330-41402015.html": Expected(
        "青山湖区一下穿通道暴雨后积水 多部门连夜排险恢复通行",
        datetime(2026, 11, 25, 8, 20, tzinfo=UTC),
        "江西日报",
        "刘芳、陈思远",
        "王五",
        4,
        "11月24日晚，南昌市出现强降雨天气",
        "实时推送积水路段信息。",
    ),
    # New template, other node (c190260), no byline, image paragraph last.
    "http://jx.people.com.cn/n2/2026/1124/c190260-41398826.html": Expected(
        "南昌县就2027年义务教育学区划分方案公开征求意见",
        datetime(2026, 11, 24, 2, 5, tzinfo=UTC),
        "人民网－江西频道",
        None,
        "刘洋",
        4,
        "近日，南昌县教育体育局发布",
        "拨打县教育体育局咨询电话反馈意见建议。",
    ),
    # New template, author only in the body's "本报讯（记者 周婷）" byline.
    "http://jx.people.com.cn/n2/2026/1123/c186330-41395540.html": Expected(
        "市民投诉烧烤店油烟扰民 12345热线督办一周内整改到位",
        datetime(2026, 11, 23, 0, 57, tzinfo=UTC),
        "南昌日报",
        "周婷",
        "赵六、孙七",
        4,
        "本报讯（记者 周婷）“楼下烧烤店",
        "按时办结率达98%以上。",
    ),
    # New template, two reporters in one byline.
    "http://jx.people.com.cn/n2/2026/1124/c186330-41399870.html": Expected(
        "西湖区桃花镇老旧小区加装电梯项目集中开工",
        datetime(2026, 11, 24, 9, 45, tzinfo=UTC),
        "人民网－江西频道",
        "王晓明、李佳",
        "张三",
        3,
        "11月24日，西湖区桃花镇",
        "推动老旧小区加装电梯“愿装尽装”。",
    ),
    # New template, no sidecar, <meta charset=gbk>.
    "http://jx.people.com.cn/n2/2026/1126/c186330-41405532.html": Expected(
        "新建区启动冬季供水管网改造 涉及12个老旧小区",
        datetime(2026, 11, 26, 3, 12, tzinfo=UTC),
        "人民网－江西频道",
        "吴敏",
        "陈明、郑丽",
        3,
        "人民网南昌11月26日电 （记者 吴敏）",
        "可拨打供水服务热线或12345热线反映。",
    ),
    # New template, central society channel (n1), 来源 新华社, byline in the dateline.
    "http://society.people.com.cn/n1/2026/1124/c1008-40612345.html": Expected(
        "应急管理部部署今冬明春安全防范工作",
        datetime(2026, 11, 24, 11, 2, tzinfo=UTC),
        "新华社",
        "陈刚",
        "杨光、白雪",
        3,
        "新华社北京11月24日电（记者 陈刚）",
        "坚决防范遏制重特大事故发生。",
    ),
    # New template, print edition: .paper_num must be dropped (RSSHub); 05:48 is the
    # previous day in UTC.
    "http://politics.people.com.cn/n1/2026/1125/c1001-40613001.html": Expected(
        "持续优化营商环境 激发经营主体活力",
        datetime(2026, 11, 24, 21, 48, tzinfo=UTC),
        "人民网－人民日报",
        "何思远",
        "郝明、林静",
        3,
        "今年以来，各地聚焦企业和群众办事的难点堵点",
        "让经营主体有更多获得感。",
    ),
    # New template on www, no sidecar, <meta charset=GB2312>.
    "http://www.people.com.cn/n1/2026/1126/c32306-40614088.html": Expected(
        "国家发展改革委：今年以来新开工重大水利工程超40项",
        datetime(2026, 11, 26, 0, 15, tzinfo=UTC),
        "人民网",
        None,
        "周密",
        3,
        "人民网北京11月26日电 国家发展改革委26日召开新闻发布会。",
        "防洪排涝能力将进一步提升。",
    ),
    # Old template (NA spiders/people/spider.py 2019): h1 + h2 subtitle, .box01 .fl, #rwb_zw.
    "http://jx.people.com.cn/n2/2019/0422/c186330-32862045.html": Expected(
        "南昌地铁3号线全线洞通",
        datetime(2019, 4, 22, 0, 20, tzinfo=UTC),
        "人民网-江西频道",
        None,
        "邓娟",
        3,
        "人民网南昌4月22日电 4月21日",
        "力争明年底开通初期运营。",
    ),
    # Old template with a p.author byline.
    "http://society.people.com.cn/n1/2019/0611/c1008-31130542.html": Expected(
        "多地开展夏季食品安全抽检 重点关注网红食品",
        datetime(2019, 6, 11, 6, 36, tzinfo=UTC),
        "人民网-人民日报",
        "孙晓",
        "高雷",
        3,
        "入夏以来，多地市场监管部门",
        "发现问题及时拨打12315投诉举报。",
    ),
    # Old template, no sidecar, 来源 江西日报.
    "http://politics.people.com.cn/n1/2018/1203/c1001-30439131.html": Expected(
        "江西：推进“赣服通”政务服务向县乡延伸",
        datetime(2018, 12, 3, 2, 27, tzinfo=UTC),
        "江西日报",
        None,
        "刘阳",
        3,
        "记者从江西省政务服务管理办公室获悉",
        "“只跑一次”事项全覆盖。",
    ),
    # New template; bytes GBK but the sidecar header says utf-8 (the tests repair it).
    WRONG_CHARSET_URL: Expected(
        "南昌开展校园及周边食品安全专项检查 发现问题隐患37处",
        datetime(2026, 11, 22, 7, 30, tzinfo=UTC),
        "人民网－江西频道",
        "黄磊",
        "钱八",
        3,
        "人民网南昌11月22日电 （记者 黄磊）",
        "可拨打12315或12345热线举报。",
    ),
    # Health channel template (issue 14): div.articleCont h2 title, div.artOri with time
    # and 来源, body div.artDet; a logo h1 above; GBK bytes under charset=gb2312.
    "http://health.people.com.cn/n1/2026/1125/c14739-40612888.html": Expected(
        "冬季流感进入高发期 专家提醒老人儿童及时接种疫苗",
        datetime(2026, 11, 25, 1, 12, tzinfo=UTC),
        "人民网－人民健康",
        "孙红丽",
        "杨迪",
        2,
        "人民网北京11月25日电（记者 孙红丽）随着气温下降",
        "避免带病上班上学。",
    ),
}
ARTICLE_URLS = sorted(EXPECTED)
WELL_LABELLED_URLS = [url for url in ARTICLE_URLS if url != WRONG_CHARSET_URL]
