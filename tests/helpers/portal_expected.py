"""Expected values for the portal and search-found article fixtures, as `extract` gives them.

The fixtures (tests/fixtures/web/README.md, "Commercial portals" and "Keyword
monitoring") model the sites' public pages. Shared by the registry test in
tests/unit/sources/test_portal_articles.py and the `yuqing extract` command test in
tests/e2e/test_extract_portals.py. Times are naive UTC. All texts are invented.
"""

from __future__ import annotations

from datetime import datetime

# url: (source, title, published_at UTC, media, a phrase of the body)
EXPECTED = {
    "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml": (
        "sina",
        "南昌地铁4号线早高峰加开8趟列车 部分站点候车时间缩短",
        datetime(2026, 11, 25, 1, 41),
        "江西日报",
        "最小行车间隔由5分钟缩短至4分10秒",
    ),
    "https://news.sina.com.cn/s/2026-11-24/doc-inhcrkzm5098765.shtml": (
        "sina",
        "上海南昌路历史风貌区完成更新 老洋房街区重新开放",
        datetime(2026, 11, 24, 8, 5),
        "新民晚报",
        "修旧如旧",
    ),
    "https://www.163.com/news/article/JH3A8K2L000189FH.html": (
        "netease",
        "青山湖区部分小区突发停水 供水部门连夜抢修",
        datetime(2026, 11, 24, 23, 58, 31),
        "南昌晚报",
        "直径600毫米的供水主管道爆管",
    ),
    "https://www.163.com/dy/article/JH3C1V7F05346KF7.html": (
        "netease",
        "红谷滩一小区地下车库积水 业主质疑排水设计",
        datetime(2026, 11, 25, 4, 16, 40),
        "洪城生活圈",
        "交房才两年",
    ),
    "https://news.qq.com/rain/a/20261125A03XYZ00": (
        "tencent",
        "南昌县市场监管局查处一批过期食品 涉事超市被立案调查",
        datetime(2026, 11, 25, 2, 12, 5),
        "江西新闻客户端",
        "过期乳制品和速冻食品共计43件",
    ),
    "https://news.qq.com/rain/a/20261124A07MNO00": (
        "tencent",
        "进贤县文港毛笔入选省级非遗生产性保护示范基地",
        datetime(2026, 11, 24, 7, 30),
        "江西日报",
        "华夏笔都",
    ),
    "https://www.sohu.com/a/812345678_121106991": (
        "sohu",
        "东湖区今年已完成老旧小区加装电梯86部",
        datetime(2026, 11, 24, 10, 20),
        "南昌日报",
        "一梯一策",
    ),
    "https://www.sohu.com/a/812349901_120099887": (
        "sohu",
        "新建区一企业违规排污被立案调查",
        datetime(2026, 11, 25, 8, 45),
        "江西环保观察",
        "化学需氧量超标2.3倍",
    ),
    "https://news.ifeng.com/c/8ePq2Xk7Ab1": (
        "ifeng",
        "南昌高新区一在建工地塔吊倒塌 未造成人员伤亡",
        datetime(2026, 11, 26, 0, 52, 10),
        "大江网",
        "塔吊顶升作业不规范",
    ),
    "https://news.ifeng.com/c/8ePr9Lm3Cd4": (
        "ifeng",
        "安义古村群罗田村入选全国乡村旅游重点村",
        datetime(2026, 11, 24, 3, 5),
        "新华网",
        "明清古建筑百余栋",
    ),
    "https://baijiahao.baidu.com/s?id=1818234567890123456": (
        "baijiahao",
        "青山湖区一小区物业费上涨引业主不满 街道介入调解",
        datetime(2026, 11, 25, 6, 30),
        "青山湖发布",
        "由1.2元上调至1.8元",
    ),
    "https://baijiahao.baidu.com/s?id=1818245678901234567": (
        "baijiahao",
        "红谷滩区新建两所公办小学 明年秋季招生",
        datetime(2026, 11, 24, 1, 10),
        "青山湖发布",
        "共可提供学位2700个",
    ),
    "http://www.ncqsh.gov.cn/art/2026/11/25/art_1234_5678901.html": (
        "generic",
        "湖坊镇开展冬季消防安全大排查",
        datetime(2026, 11, 25, 8, 20),
        "湖坊镇",
        "现场督促整改隐患32处",
    ),
    "http://www.jinxian.gov.cn/art/2026/11/24/art_3321_889912.html": (
        "generic",
        "军山湖大闸蟹开捕 预计今年产量超4000吨",
        datetime(2026, 11, 24, 2, 0),
        "进贤县融媒体中心",
        "合作社+电商",
    ),
    "https://www.thepaper.cn/newsDetail_forward_32187654": (
        "thepaper",
        "青山湖区京东大道下穿通道完成排水改造",
        datetime(2026, 11, 26, 1, 30),
        "澎湃新闻",
        "排水能力提升一倍",
    ),
}
