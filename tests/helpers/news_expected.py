"""Expected values for the part-A news fixtures (tests/fixtures/web/README.md, "News sites").

One entry per article fixture: the URL a parser is given (`url`; for 央视网 and the
江西新闻 app that is the JSON API, `page` is the article's web page) and what must come
out of it. Times are UTC. Shared by the parser, extract and replay-crawl tests, so the
three agree on one set of facts. All texts, names and ids are invented.
"""

# ruff: noqa: E501  (paragraphs of Chinese text, one string each)

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Article:
    source: str
    url: str
    page: str
    title: str
    published_at: datetime | None  # None: the page gives no absolute time
    media: str | None
    tier: str | None
    author: str | None
    editor: str | None
    paragraphs: list[str] | None  # None: the article is gone (an error answer)
    native_id: str = ""

    @property
    def content(self) -> str | None:
        return "\n".join(self.paragraphs) if self.paragraphs else None


ARTICLES = [
    # xinhua_politics
    Article(
        source="xinhua",
        url="https://www.news.cn/politics/20261125/3f2a9c6e1b7d4e0a8c5f2d9b6a1e7c3f/c.html",
        native_id="3f2a9c6e1b7d4e0a8c5f2d9b6a1e7c3f",
        page="https://www.news.cn/politics/20261125/3f2a9c6e1b7d4e0a8c5f2d9b6a1e7c3f/c.html",
        title="国务院常务会议部署进一步做好今冬明春能源保供工作",
        published_at=datetime(2026, 11, 25, 11, 2, 15, tzinfo=UTC),
        media="新华网",
        tier="central_key",
        author="周立新",
        editor="刘洋",
        paragraphs=[
            "新华社北京11月25日电（记者 周立新）国务院总理主持召开国务院常务会议，听取今冬明春能源保供工作汇报，部署进一步做好民生用能保障。",
            "会议指出，要压实地方和企业保供责任，加强煤炭、天然气产供储销体系建设，优先保障居民生活、供暖、公共服务等民生用能，坚决守住民生用能底线。",
            "会议要求，各地要密切跟踪天气变化和用能需求，提前制定应急预案，对困难群众取暖问题做好兜底保障，确保群众温暖过冬。",
        ],
    ),
    # xinhua_local
    Article(
        source="xinhua",
        url="https://www.news.cn/local/20261125/8b4d2e7f9a1c4b3e9d6f0a2c5e8b1d47/c.html",
        native_id="8b4d2e7f9a1c4b3e9d6f0a2c5e8b1d47",
        page="https://www.news.cn/local/20261125/8b4d2e7f9a1c4b3e9d6f0a2c5e8b1d47/c.html",
        title="江西南昌：赣江两岸亮化提升工程完工",
        published_at=datetime(2026, 11, 25, 2, 36, 48, tzinfo=UTC),
        media="新华网",
        tier="central_key",
        author="邬慧颖",
        editor="王一鸣",
        paragraphs=[
            "新华社南昌11月25日电（记者 邬慧颖）记者从南昌市城市管理和综合执法局获悉，历时8个月的赣江两岸亮化提升工程近日完工，沿江灯光设施实现统一控制、分时调节。",
            "此次改造更换老旧灯具1.2万余套，新建智慧控制系统，平日与节假日采用不同亮灯模式，预计年节约用电约30%。",
            "南昌市民刘女士说：“晚上带孩子到秋水广场散步，灯光柔和不刺眼，看着很舒服。”",
        ],
    ),
    # xinhua_root
    Article(
        source="xinhua",
        url="https://www.news.cn/20261124/c6e1f0a3b92d4d8f8a7e5b1c0d3f9e26/c.html",
        native_id="c6e1f0a3b92d4d8f8a7e5b1c0d3f9e26",
        page="https://www.news.cn/20261124/c6e1f0a3b92d4d8f8a7e5b1c0d3f9e26/c.html",
        title="长江中游城市群协同发展联席会议在南昌召开",
        published_at=datetime(2026, 11, 24, 8, 20, 3, tzinfo=UTC),
        media="新华社",
        tier="central_key",
        author="程迪",
        editor="陈晨",
        paragraphs=[
            "新华社南昌11月24日电（记者 程迪）长江中游城市群协同发展联席会议24日在南昌召开，湘鄂赣三省有关城市围绕交通互联、产业协作、生态共保等议题开展交流。",
            "会议发布了长江中游城市群政务服务“跨省通办”新增事项清单，涉及社保、医保、户籍等高频事项共46项。",
            "与会代表表示，将进一步打破行政壁垒，推动要素自由流动，共同打造长江经济带发展重要增长极。",
        ],
    ),
    # xinhua_legacy
    Article(
        source="xinhua",
        url="http://www.xinhuanet.com/local/2026-11/23/c_1130412345.htm",
        native_id="1130412345",
        page="http://www.xinhuanet.com/local/2026-11/23/c_1130412345.htm",
        title="南昌启动“一江两岸”生态廊道建设",
        published_at=datetime(2026, 11, 23, 0, 45, 10, tzinfo=UTC),
        media="新华网",
        tier="central_key",
        author=None,
        editor="李娜",
        paragraphs=[
            "南昌市近日启动“一江两岸”生态廊道建设，计划用三年时间，在赣江沿岸建成贯通的滨水绿道和生态缓冲带。",
            "项目涉及红谷滩区、东湖区、新建区等沿江区域，将同步实施岸线修复、湿地保护和防洪设施提升。",
            "南昌市林业局相关负责人介绍，廊道建成后将新增绿地面积约200公顷。",
        ],
    ),
    # xinhua_jx
    Article(
        source="xinhua",
        url="http://jx.news.cn/20261125/9e0c3b5a7d214f6e8b1a4c7d2e5f8a03/c.html",
        native_id="9e0c3b5a7d214f6e8b1a4c7d2e5f8a03",
        page="http://jx.news.cn/20261125/9e0c3b5a7d214f6e8b1a4c7d2e5f8a03/c.html",
        title="江西出台措施支持县域商业体系建设",
        published_at=datetime(2026, 11, 25, 7, 12, 40, tzinfo=UTC),
        media="新华网江西频道",
        tier="central_key",
        author="郭强",
        editor="胡晓",
        paragraphs=[
            "新华网南昌11月25日电（记者 郭强）江西省商务厅近日印发措施，支持县域商业体系建设，到2027年实现县域物流配送中心全覆盖。",
            "措施提出，推动商贸流通企业向乡镇延伸网点，支持农产品产地冷藏保鲜设施建设，畅通农产品进城和工业品下乡双向渠道。",
            "南昌县、进贤县、安义县被列入首批县域商业示范县，将获得专项资金支持。",
        ],
    ),
    # cctv_1
    Article(
        source="cctv",
        url="https://api.cntv.cn/Article/getXinwenNextArticleInfo?serviceId=sjnews&id=ARTIk3Vd9qLm2Xp7Rt4Ws6Yz261125&t=json",
        native_id="ARTIk3Vd9qLm2Xp7Rt4Ws6Yz261125",
        page="https://news.cctv.com/2026/11/25/ARTIk3Vd9qLm2Xp7Rt4Ws6Yz261125.shtml",
        title="全国冬季农田水利建设全面展开",
        published_at=datetime(2026, 11, 25, 0, 15, 32, tzinfo=UTC),
        media="央视新闻客户端",
        tier="central_key",
        author=None,
        editor="张伟",
        paragraphs=[
            "记者从水利部了解到，眼下全国冬季农田水利建设全面展开，各地抓住冬春有利时机，加快灌区续建配套和现代化改造。",
            "在江西，鄱阳湖区各地正加紧实施圩堤除险加固工程，确保明年汛前完工。",
            "水利部有关负责人表示，将加强工程质量和安全生产监管，确保工程早完工、早见效。",
        ],
    ),
    # cctv_2
    Article(
        source="cctv",
        url="https://api.cntv.cn/Article/getXinwenNextArticleInfo?serviceId=sjnews&id=ARTIb8Nf2Gh5Jk1Lq9Pz3Vx0261124&t=json",
        native_id="ARTIb8Nf2Gh5Jk1Lq9Pz3Vx0261124",
        page="https://news.cctv.com/2026/11/24/ARTIb8Nf2Gh5Jk1Lq9Pz3Vx0261124.shtml",
        title="江西南昌：老旧小区改造让居民住得更舒心",
        published_at=datetime(2026, 11, 24, 13, 47, 5, tzinfo=UTC),
        media="央视网",
        tier="central_key",
        author="王晓东",
        editor="孙立",
        paragraphs=[
            "央视网消息（记者 王晓东）：在江西南昌青云谱区，一批上世纪八九十年代建成的老旧小区完成改造，加装电梯、增设停车位、改造雨污管网，居民居住条件明显改善。",
            "今年南昌市计划改造老旧小区298个，惠及居民约6万户，目前已完工230个。",
            "青云谱区住建局负责人介绍，改造前充分征求居民意见，做到“改不改、改什么、怎么改”由居民说了算。",
        ],
    ),
    # cctv_gone
    Article(
        source="cctv",
        url="https://api.cntv.cn/Article/getXinwenNextArticleInfo?serviceId=sjnews&id=ARTIq1Wm7Zc4Xs8Ed2Rf5Tg6261124&t=json",
        native_id="ARTIq1Wm7Zc4Xs8Ed2Rf5Tg6261124",
        page="https://news.cctv.com/2026/11/24/ARTIq1Wm7Zc4Xs8Ed2Rf5Tg6261124.shtml",
        title="多地发布寒潮预警 提醒公众做好防寒保暖",
        published_at=datetime(2026, 11, 24, 10, 5, tzinfo=UTC),
        media=None,
        tier=None,
        author=None,
        editor=None,
        paragraphs=None,
    ),
    # cn_new
    Article(
        source="chinanews",
        url="https://www.chinanews.com.cn/gn/2026/11-25/10512345.shtml",
        native_id="10512345",
        page="https://www.chinanews.com.cn/gn/2026/11-25/10512345.shtml",
        title="国家发展改革委：今冬明春能源保供总体有保障",
        published_at=datetime(2026, 11, 25, 8, 38, tzinfo=UTC),
        media="中国新闻网",
        tier="central_key",
        author="刘亮",
        editor="苏亦瑜",
        paragraphs=[
            "中新网北京11月25日电 （记者 刘亮）国家发展改革委25日召开新闻发布会，介绍今冬明春能源保供有关情况。",
            "发布会上，国家发展改革委有关负责人表示，当前全国统调电厂存煤保持高位，天然气储气设施已完成注气任务，今冬明春能源供应总体有保障。",
            "该负责人同时提醒，如遇极端天气，局部地区、个别时段可能出现供应偏紧，将提前做好应急调度。",
        ],
    ),
    # cn_reverse
    Article(
        source="chinanews",
        url="https://www.chinanews.com.cn/sh/2026/11-25/10512398.shtml",
        native_id="10512398",
        page="https://www.chinanews.com.cn/sh/2026/11-25/10512398.shtml",
        title="江西南昌一小区电梯故障致多人被困 消防紧急救援",
        published_at=datetime(2026, 11, 25, 1, 12, tzinfo=UTC),
        media="中国新闻网",
        tier="central_key",
        author=None,
        editor="李岩",
        paragraphs=[
            "中新网南昌11月25日电 （吴鹏泉）25日早高峰期间，江西南昌市青山湖区一小区电梯突发故障，7名居民被困轿厢内，当地消防救援人员接警后迅速赶到现场处置。",
            "经过约20分钟救援，被困人员全部安全脱困，无人受伤。物业公司表示，已联系维保单位对电梯进行全面检修。",
            "当地市场监管部门表示，将对涉事电梯维保情况开展调查，并督促辖区物业加强电梯日常巡查。",
        ],
    ),
    # cn_old
    Article(
        source="chinanews",
        url="https://www.chinanews.com/df/2026/11-24/10511876.shtml",
        native_id="10511876",
        page="https://www.chinanews.com/df/2026/11-24/10511876.shtml",
        title="江西赣江新区首批数据要素企业集中签约",
        published_at=datetime(2026, 11, 24, 6, 5, tzinfo=UTC),
        media="中国新闻网",
        tier="central_key",
        author="李韵涵",
        editor="邹新",
        paragraphs=[
            "中新网南昌11月24日电 （记者 李韵涵）24日，江西赣江新区举行数据要素产业项目集中签约活动，首批18家数据要素企业落户新区。",
            "此次签约项目涵盖数据标注、算力服务、行业大模型等领域，总投资额约56亿元。",
            "赣江新区管委会相关负责人表示，将加快建设数据交易服务平台，打造中部地区数据要素集聚区。",
        ],
    ),
    # paper_1
    Article(
        source="thepaper",
        url="https://www.thepaper.cn/newsDetail_forward_31456789",
        native_id="31456789",
        page="https://www.thepaper.cn/newsDetail_forward_31456789",
        title="南昌一地铁站出口扶梯停运半月，运营方：配件已到货将尽快修复",
        published_at=datetime(2026, 11, 25, 3, 24, tzinfo=UTC),
        media="澎湃新闻",
        tier="provincial_key",
        author="朱瑞",
        editor=None,
        paragraphs=[
            "近日，有南昌市民反映，南昌地铁1号线某站C出口扶梯停运已有半个月，老人和带孩子的乘客出行不便。",
            "11月25日，南昌轨道交通集团运营分公司工作人员对澎湃新闻表示，该扶梯因主驱动部件损坏停运，所需配件已经到货，预计本周内修复。",
            "工作人员称，停运期间已在站内张贴告示，引导乘客使用其他出口或无障碍电梯。",
        ],
    ),
    # paper_2
    Article(
        source="thepaper",
        url="https://www.thepaper.cn/newsDetail_forward_31455120",
        native_id="31455120",
        page="https://www.thepaper.cn/newsDetail_forward_31455120",
        title="江西：2027年起全省推行中小学课后服务“一校一案”",
        published_at=datetime(2026, 11, 24, 12, 5, tzinfo=UTC),
        media="澎湃新闻",
        tier="provincial_key",
        author="葛明宁",
        editor=None,
        paragraphs=[
            "江西省教育厅近日印发通知，明确从2027年春季学期起，全省义务教育学校课后服务实行“一校一案”。",
            "通知要求，各校结合实际制定课后服务方案，丰富科普、体育、艺术等活动内容，严禁以课后服务名义组织集体补课。",
            "课后服务收费标准由各设区市价格主管部门会同教育部门确定，家庭经济困难学生予以减免。",
        ],
    ),
    # jxntv_1
    Article(
        source="jxntv",
        url="http://news.jxntv.cn/2026/1125/10689231.shtml",
        native_id="10689231",
        page="http://news.jxntv.cn/2026/1125/10689231.shtml",
        title="南昌交警：12月起八一大桥货车限行时段调整",
        published_at=datetime(2026, 11, 25, 1, 30, 18, tzinfo=UTC),
        media="今视网",
        tier="provincial_key",
        author="陈思",
        editor="刘海",
        paragraphs=[
            "记者从南昌市公安局交通管理局获悉，自12月1日起，八一大桥货车限行时段调整为每日7时至21时。",
            "交管部门提醒，货运车辆驾驶人提前规划行车路线，可绕行生米大桥、九龙湖大桥通行。",
            "调整期间，交管部门将在大桥两端设置提示牌，并加强现场疏导。",
        ],
    ),
    # jxntv_video
    Article(
        source="jxntv",
        url="http://v.jxntv.cn/2026/1124/10688702.shtml",
        native_id="10688702",
        page="http://v.jxntv.cn/2026/1124/10688702.shtml",
        title="全省秋冬种进度过七成",
        published_at=datetime(2026, 11, 24, 11, 45, tzinfo=UTC),
        media="江西广播电视台",
        tier="provincial_key",
        author=None,
        editor=None,
        paragraphs=[
            "眼下正是秋冬种关键时期，全省各地抢抓晴好天气，加快油菜、小麦等作物播种进度。",
            "据省农业农村厅统计，截至目前全省秋冬种面积已完成计划的72%，其中油菜种植面积同比增加5.3万亩。",
        ],
    ),
    # jxrb_1
    Article(
        source="jxrb",
        url="http://epaper.jxxw.com.cn/html/2026-11/25/content_2_5123401.htm",
        native_id="5123401",
        page="http://epaper.jxxw.com.cn/html/2026-11/25/content_2_5123401.htm",
        title="我省出台十条措施优化营商环境",
        published_at=datetime(2026, 11, 24, 16, 0, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author="钟珊",
        editor=None,
        paragraphs=[
            "本报讯 （记者 钟珊）11月24日，省政府办公厅印发《关于进一步优化营商环境的若干措施》，从政务服务、要素保障、权益保护等方面提出十条具体措施。",
            "措施明确，全面推行企业开办“一网通办”，涉企经营许可事项实行告知承诺制，企业办事时间再压缩三分之一。",
            "措施还提出建立涉企行政检查统筹机制，严禁随意检查、重复检查，切实减轻企业负担。",
        ],
    ),
    # jxrb_2
    Article(
        source="jxrb",
        url="http://epaper.jxxw.com.cn/html/2026-11/25/content_2_5123402.htm",
        native_id="5123402",
        page="http://epaper.jxxw.com.cn/html/2026-11/25/content_2_5123402.htm",
        title="南昌加快建设国家级车联网先导区",
        published_at=datetime(2026, 11, 24, 16, 0, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author="刘启红、万杰",
        editor=None,
        paragraphs=[
            "本报南昌讯 （记者 刘启红 万杰）记者从南昌市工信局获悉，南昌已建成智能网联汽车测试道路312公里，国家级车联网先导区建设进入快车道。",
            "目前，南昌经开区、高新区已开通自动驾驶公交示范线路4条，累计安全运营里程超过60万公里。",
        ],
    ),
    # jxrb_3
    Article(
        source="jxrb",
        url="http://epaper.jxxw.com.cn/html/2026-11/25/content_3_5123410.htm",
        native_id="5123410",
        page="http://epaper.jxxw.com.cn/html/2026-11/25/content_3_5123410.htm",
        title="赣江水位持续偏低 沿江取水口加强监测",
        published_at=datetime(2026, 11, 24, 16, 0, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author="卢平",
        editor=None,
        paragraphs=[
            "本报讯 （记者 卢平）受持续少雨影响，近期赣江南昌站水位持续偏低。省水文监测中心提醒，沿江各取水单位要加强水位监测，做好应急供水准备。",
            "南昌市水务部门表示，目前全市供水总体正常，已启动应急取水泵站试运行，确保市民用水不受影响。",
        ],
    ),
    # jxrb_4
    Article(
        source="jxrb",
        url="http://epaper.jxxw.com.cn/html/2026-11/24/content_2_5122987.htm",
        native_id="5122987",
        page="http://epaper.jxxw.com.cn/html/2026-11/24/content_2_5122987.htm",
        title="全省冬季森林防火工作会议召开",
        published_at=datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author="邱辉强",
        editor=None,
        paragraphs=[
            "本报讯 （记者 邱辉强）11月23日，全省冬季森林防火工作视频会议召开，部署今冬明春森林防火工作。",
            "会议要求，各地要严格野外火源管控，加强重点林区巡护，确保不发生重特大森林火灾。",
        ],
    ),
    # jxxw_1
    Article(
        source="jxxw",
        url="http://www.jxxw.com.cn/app/v4/news/show?modelid=1&contentid=2245101",
        native_id="2245101",
        page="http://www.jxxw.com.cn/content/2026-11/25/content_2245101.htm",
        title="南昌昌北国际机场新开通至乌鲁木齐直飞航线",
        published_at=datetime(2026, 11, 25, 0, 50, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author="胡光华",
        editor=None,
        paragraphs=[
            "记者从南昌昌北国际机场获悉，11月25日起，南昌至乌鲁木齐直飞航线正式开通，每周执飞三班。",
            "此前，南昌旅客前往乌鲁木齐需经停中转，新航线开通后单程飞行时间缩短约两小时。",
        ],
    ),
    # jxxw_2
    Article(
        source="jxxw",
        url="http://www.jxxw.com.cn/app/v4/news/show?modelid=1&contentid=2245087",
        native_id="2245087",
        page="http://www.jxxw.com.cn/content/2026-11/25/content_2245087.htm",
        title="进贤县多部门联合整治校园周边交通秩序",
        published_at=None,
        media="江西新闻客户端",
        tier="provincial_key",
        author="熊洁",
        editor=None,
        paragraphs=[
            "近日，进贤县公安、教育、城管等部门联合开展校园周边交通秩序整治，重点查处违停、占道经营等问题。",
            "整治期间，共劝离占道摊贩26处，查处交通违法行为41起。",
        ],
    ),
    # gmw_new
    Article(
        source="gmw",
        url="https://news.gmw.cn/2026-11/25/content_37712345.htm",
        native_id="37712345",
        page="https://news.gmw.cn/2026-11/25/content_37712345.htm",
        title="多地推进“一件事一次办” 让群众办事更便捷",
        published_at=datetime(2026, 11, 24, 23, 58, tzinfo=UTC),
        media="光明日报",
        tier="central_key",
        author="高建进",
        editor="王宇",
        paragraphs=[
            "光明日报记者 高建进",
            "今年以来，多地推进“一件事一次办”改革，将出生、入学、就业、退休等高频事项集成办理，群众办事由“跑多个部门”变为“最多跑一次”。",
            "在江西南昌，新生儿出生医学证明、户口登记、医保参保等事项实现“一表申请、一网通办”，办理时间由过去的20个工作日缩短至5个工作日。",
            "专家表示，“一件事一次办”改革的关键在于数据共享和流程再造，要持续打通部门间数据壁垒。",
        ],
    ),
    # gmw_old
    Article(
        source="gmw",
        url="https://politics.gmw.cn/2026-11/24/content_37709876.htm",
        native_id="37709876",
        page="https://politics.gmw.cn/2026-11/24/content_37709876.htm",
        title="全国政协召开双周协商座谈会 围绕“健全基层医疗卫生服务体系”建言资政",
        published_at=datetime(2026, 11, 24, 11, 41, tzinfo=UTC),
        media="光明网",
        tier="central_key",
        author=None,
        editor="孟然",
        paragraphs=[
            "全国政协24日在京召开双周协商座谈会，围绕“健全基层医疗卫生服务体系”建言资政。",
            "委员们认为，要加强县域医共体建设，推动优质医疗资源下沉，提升基层医疗卫生机构服务能力。",
            "委员们还建议，完善基层医务人员薪酬激励机制，稳定乡村医生队伍。",
        ],
    ),
    # cnr_1
    Article(
        source="cnr",
        url="http://news.cnr.cn/native/gd/20261125/t20261125_527123456.shtml",
        native_id="527123456",
        page="http://news.cnr.cn/native/gd/20261125/t20261125_527123456.shtml",
        title="全国多地迎来今冬首场降雪 交通部门全力保畅",
        published_at=datetime(2026, 11, 25, 2, 25, 31, tzinfo=UTC),
        media="央广网",
        tier="central_key",
        author="张闻",
        editor="韩雪",
        paragraphs=[
            "央广网北京11月25日消息（记者 张闻）受冷空气影响，25日，我国北方多地迎来今冬首场降雪，部分高速公路出现道路结冰。",
            "交通运输部表示，各地交通部门已提前部署除雪防滑物资，加强路网运行监测，全力保障道路安全畅通。",
            "气象部门提醒，未来三天降雪区域将向南扩展，公众出行注意安全。",
        ],
    ),
    # cnr_2
    Article(
        source="cnr",
        url="http://news.cnr.cn/native/city/20261124/t20261124_527120987.shtml",
        native_id="527120987",
        page="http://news.cnr.cn/native/city/20261124/t20261124_527120987.shtml",
        title="江西南昌：“15分钟养老服务圈”覆盖城区所有社区",
        published_at=datetime(2026, 11, 24, 7, 2, 10, tzinfo=UTC),
        media="央广网",
        tier="central_key",
        author="刘飞",
        editor="张婷",
        paragraphs=[
            "央广网南昌11月24日消息（记者 刘飞）记者从南昌市民政局获悉，南昌市“15分钟养老服务圈”已覆盖城区所有社区，老年人步行15分钟即可享受助餐、助浴、日间照料等服务。",
            "截至目前，南昌市共建成社区嵌入式养老服务设施412个，老年助餐点680个。",
        ],
    ),
    # youth_1
    Article(
        source="youth",
        url="http://news.youth.cn/gn/202611/t20261125_15712345.htm",
        native_id="15712345",
        page="http://news.youth.cn/gn/202611/t20261125_15712345.htm",
        title="高校毕业生就业服务季启动 提供岗位超百万个",
        published_at=datetime(2026, 11, 25, 1, 3, 12, tzinfo=UTC),
        media="中国青年网",
        tier="central_key",
        author="魏月",
        editor="杨雪",
        paragraphs=[
            "中国青年网北京11月25日电（记者 魏月）2027届高校毕业生秋季就业服务季25日启动，人力资源社会保障部门将集中举办线上线下招聘活动，提供岗位超过100万个。",
            "服务季期间，各地将开展就业政策宣传、职业指导、困难毕业生帮扶等活动。",
            "人力资源社会保障部有关负责人表示，将加大对离校未就业毕业生的服务力度。",
        ],
    ),
    # youth_2
    Article(
        source="youth",
        url="http://news.youth.cn/gn/202611/t20261124_15710021.htm",
        native_id="15710021",
        page="http://news.youth.cn/gn/202611/t20261124_15710021.htm",
        title="江西南昌：大学生志愿者走进社区开展防诈宣传",
        published_at=datetime(2026, 11, 24, 9, 26, 40, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author=None,
        editor="王琳",
        paragraphs=[
            "近日，江西师范大学、南昌大学等高校的大学生志愿者走进南昌市东湖区多个社区，开展防范电信网络诈骗宣传活动。",
            "志愿者们通过情景剧、案例讲解等方式，向社区老年人讲解常见诈骗手法，帮助他们提高防骗意识。",
        ],
    ),
    # ce_1
    Article(
        source="ce",
        url="http://www.ce.cn/xwzx/gnsz/gdxw/202611/25/t20261125_39212345.shtml",
        native_id="39212345",
        page="http://www.ce.cn/xwzx/gnsz/gdxw/202611/25/t20261125_39212345.shtml",
        title="前10个月全国规模以上工业企业利润同比增长",
        published_at=datetime(2026, 11, 25, 2, 1, tzinfo=UTC),
        media="经济日报",
        tier="central_key",
        author="熊丽",
        editor="郭晋晖",
        paragraphs=[
            "国家统计局25日发布数据显示，1月至10月份，全国规模以上工业企业实现利润总额同比增长，装备制造业利润增长较快。",
            "分行业看，电子、电气机械等行业利润增长明显，对规上工业利润增长形成有力支撑。",
            "国家统计局工业司首席统计师表示，工业企业利润延续恢复态势，但外部环境不确定性依然较多。",
        ],
    ),
    # ce_2
    Article(
        source="ce",
        url="http://www.ce.cn/xwzx/gnsz/gdxw/202611/24/t20261124_39208877.shtml",
        native_id="39208877",
        page="http://www.ce.cn/xwzx/gnsz/gdxw/202611/24/t20261124_39208877.shtml",
        title="江西推动制造业数字化转型 今年新增省级智能工厂60家",
        published_at=datetime(2026, 11, 24, 0, 30, tzinfo=UTC),
        media="中国经济网",
        tier="central_key",
        author="赖永峰",
        editor="周琳",
        paragraphs=[
            "中国经济网南昌11月24日讯（记者 赖永峰）江西省工业和信息化厅日前公布，今年全省新增省级智能工厂60家、数字化车间150个。",
            "江西将继续实施制造业数字化转型行动，推动中小企业“上云用数赋智”。",
        ],
    ),
    # chinacom_1
    Article(
        source="chinacom",
        url="http://news.china.com.cn/2026-11/25/content_117123456.shtml",
        native_id="117123456",
        page="http://news.china.com.cn/2026-11/25/content_117123456.shtml",
        title="全国冬季安全生产大检查启动",
        published_at=datetime(2026, 11, 25, 6, 20, 5, tzinfo=UTC),
        media="中国网",
        tier="central_key",
        author="李佳",
        editor="杨程晨",
        paragraphs=[
            "中国网11月25日讯 国务院安全生产委员会近日部署开展全国冬季安全生产大检查，重点检查燃气、消防、交通运输、建筑施工等领域。",
            "检查将持续至明年2月底，采取明查暗访、交叉检查等方式进行，对发现的重大隐患挂牌督办。",
        ],
    ),
    # chinacom_2
    Article(
        source="chinacom",
        url="http://news.china.com.cn/2026-11/24/content_117120034.shtml",
        native_id="117120034",
        page="http://news.china.com.cn/2026-11/24/content_117120034.shtml",
        title="南昌地铁4号线二期工程开工建设",
        published_at=datetime(2026, 11, 24, 3, 48, 37, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author="何琦",
        editor="张艺",
        paragraphs=[
            "11月24日，南昌地铁4号线二期工程正式开工建设。线路全长约9.6公里，设站7座，计划2030年建成通车。",
            "建成后，将进一步完善南昌城市轨道交通网络，方便沿线群众出行。",
        ],
    ),
    # ncnews_1
    Article(
        source="ncnews",
        url="http://www.ncnews.com.cn/xwzx/ncxw/jrnc/202611/t20261125_2012345.html",
        native_id="2012345",
        page="http://www.ncnews.com.cn/xwzx/ncxw/jrnc/202611/t20261125_2012345.html",
        title="东湖区启动冬季燃气安全专项整治",
        published_at=datetime(2026, 11, 25, 3, 6, 29, tzinfo=UTC),
        media="南昌日报",
        tier="local",
        author="舒晓",
        editor="林芳",
        paragraphs=[
            "记者25日从东湖区获悉，该区即日起开展为期三个月的冬季燃气安全专项整治，重点排查餐饮场所、老旧小区燃气设施。",
            "专项整治将采取“企业自查、部门检查、专家诊断”相结合方式，对发现的隐患实行清单化管理、销号式整改。",
            "东湖区应急管理局提醒，市民发现燃气泄漏，应第一时间关闭阀门、开窗通风，切勿开关电器。",
        ],
    ),
    # ncnews_2
    Article(
        source="ncnews",
        url="http://www.ncnews.com.cn/xwzx/ncxw/jrnc/202611/t20261123_2011022.html",
        native_id="2011022",
        page="http://www.ncnews.com.cn/xwzx/ncxw/jrnc/202611/t20261123_2011022.html",
        title="红谷滩区新增3处口袋公园 市民家门口添绿意",
        published_at=datetime(2026, 11, 23, 8, 40, tzinfo=UTC),
        media="南昌晚报",
        tier="local",
        author="付娟",
        editor="谢娜",
        paragraphs=[
            "近日，红谷滩区九龙湖片区新建的3处口袋公园陆续对市民开放，总面积约1.2万平方米。",
            "公园内设置了健身步道、儿童游乐区和休闲座椅，成为周边居民休闲散步的好去处。",
        ],
    ),
    # jxnews_1
    Article(
        source="jxnews",
        url="http://nc.jxnews.com.cn/system/2026/11/25/021051234.shtml",
        native_id="021051234",
        page="http://nc.jxnews.com.cn/system/2026/11/25/021051234.shtml",
        title="南昌市公布2026年冬季供暖收费标准",
        published_at=datetime(2026, 11, 25, 0, 41, 5, tzinfo=UTC),
        media="南昌晚报",
        tier="local",
        author="李华",
        editor="饶文婷",
        paragraphs=[
            "中国江西网讯 记者李华报道：南昌市发展和改革委员会近日公布2026年冬季供暖收费标准，居民用户按建筑面积每平方米每月收取5.2元，与去年持平。",
            "供暖期为每年12月15日至次年2月28日，对低保户、特困人员等困难群体实行收费减免。",
            "市发改委提醒，市民如对收费有异议，可拨打12345热线反映。",
        ],
    ),
    # jxnews_2
    Article(
        source="jxnews",
        url="http://nc.jxnews.com.cn/system/2026/11/24/021050876.shtml",
        native_id="021050876",
        page="http://nc.jxnews.com.cn/system/2026/11/24/021050876.shtml",
        title="青山湖区一菜市场改造后重新开业",
        published_at=datetime(2026, 11, 24, 7, 20, 44, tzinfo=UTC),
        media="中国江西网",
        tier="provincial_key",
        author="万蕾",
        editor="胡蓉",
        paragraphs=[
            "中国江西网讯 记者万蕾报道：经过三个月改造，青山湖区湖坊镇一菜市场24日重新开业，摊位统一规划、地面干净整洁。",
            "市场还设置了农残快检室和公平秤，市民买菜更放心。",
        ],
    ),
    # jxnews_3
    Article(
        source="jxnews",
        url="http://nc.jxnews.com.cn/system/2026/11/22/021049512.shtml",
        native_id="021049512",
        page="http://nc.jxnews.com.cn/system/2026/11/22/021049512.shtml",
        title="南昌县向塘镇开展冬季农村人居环境整治",
        published_at=datetime(2026, 11, 22, 2, 12, tzinfo=UTC),
        media="中国江西网",
        tier="provincial_key",
        author="熊颖",
        editor="胡蓉",
        paragraphs=[
            "中国江西网讯 记者熊颖报道：连日来，南昌县向塘镇组织干部群众开展冬季村庄清洁行动，清理房前屋后杂物和沟渠淤泥。",
            "向塘镇相关负责人表示，将建立长效管护机制，巩固村庄整治成果。",
        ],
    ),
    # gov_jx_1
    Article(
        source="jiangxi_gov",
        url="http://www.jiangxi.gov.cn/art/2026/11/25/art_393_4912345.html",
        native_id="4912345",
        page="http://www.jiangxi.gov.cn/art/2026/11/25/art_393_4912345.html",
        title="省政府召开常务会议 研究部署冬季安全生产等工作",
        published_at=datetime(2026, 11, 25, 10, 30, tzinfo=UTC),
        media="江西省人民政府",
        tier="government",
        author=None,
        editor=None,
        paragraphs=[
            "11月25日，省政府召开常务会议，研究部署冬季安全生产、能源保供等工作。",
            "会议强调，要深入开展安全隐患排查整治，紧盯燃气、消防、交通、建筑施工等重点领域，坚决防范遏制重特大事故发生。",
            "会议还研究了其他事项。",
        ],
    ),
    # gov_jx_2
    Article(
        source="jiangxi_gov",
        url="http://www.jiangxi.gov.cn/art/2026/11/24/art_393_4911876.html",
        native_id="4911876",
        page="http://www.jiangxi.gov.cn/art/2026/11/24/art_393_4911876.html",
        title="江西省2026年第四季度重大项目集中开工",
        published_at=datetime(2026, 11, 24, 2, 5, tzinfo=UTC),
        media="江西日报",
        tier="provincial_key",
        author=None,
        editor=None,
        paragraphs=[
            "11月24日，江西省2026年第四季度重大项目集中开工活动举行，全省共开工项目486个，总投资2860亿元。",
            "开工项目涵盖先进制造业、基础设施、社会民生等领域。",
        ],
    ),
    # gov_nc_1
    Article(
        source="nc_gov",
        url="http://www.nc.gov.cn/ncszf/jrnc/202611/t20261125_6130001.shtml",
        native_id="6130001",
        page="http://www.nc.gov.cn/ncszf/jrnc/202611/t20261125_6130001.shtml",
        title="南昌市召开冬季消防安全工作会议",
        published_at=datetime(2026, 11, 25, 8, 45, tzinfo=UTC),
        media="南昌市消防救援支队",
        tier="government",
        author=None,
        editor=None,
        paragraphs=[
            "11月25日，南昌市召开冬季消防安全工作会议，部署今冬明春火灾防控工作。",
            "会议要求，各县区、各部门要聚焦高层建筑、人员密集场所、电动自行车等重点领域，深入开展消防安全隐患排查整治。",
        ],
    ),
    # gov_nc_2
    Article(
        source="nc_gov",
        url="http://www.nc.gov.cn/ncszf/tzgg/202611/t20261124_6129876.shtml",
        native_id="6129876",
        page="http://www.nc.gov.cn/ncszf/tzgg/202611/t20261124_6129876.shtml",
        title="关于2026年冬季供暖期间城区部分道路临时交通管制的通告",
        published_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
        media="南昌市公安局交通管理局",
        tier="government",
        author=None,
        editor=None,
        paragraphs=[
            "因供暖管网维修施工需要，自2026年11月28日至12月10日，对城区部分道路实施临时交通管制。",
            "管制期间，请过往车辆和行人按照现场交通标志指示通行。特此通告。",
        ],
    ),
    # zgjtb_1
    Article(
        source="zgjtb",
        url="https://www.zgjtb.com/2026-11/25/content_312345.html",
        native_id="312345",
        page="https://www.zgjtb.com/2026-11/25/content_312345.html",
        title="交通运输部部署冬季道路运输安全工作",
        published_at=datetime(2026, 11, 25, 1, 15, tzinfo=UTC),
        media="中国交通新闻网",
        tier="central_key",
        author="王凯",
        editor="李晓",
        paragraphs=[
            "交通运输部日前印发通知，部署做好冬季道路运输安全工作，要求各地加强“两客一危”车辆动态监管。",
            "通知强调，遇雨雪冰冻天气，要及时采取限速、限行、暂停运营等措施，严防恶劣天气下道路运输事故。",
        ],
    ),
    # chinawater_1
    Article(
        source="chinawater",
        url="http://www.chinawater.com.cn/newscenter/df/jx/202611/t20261125_1012345.html",
        native_id="1012345",
        page="http://www.chinawater.com.cn/newscenter/df/jx/202611/t20261125_1012345.html",
        title="江西鄱阳湖区圩堤除险加固工程冬季施工全面铺开",
        published_at=datetime(2026, 11, 25, 2, 40, tzinfo=UTC),
        media="中国水利网",
        tier="central_key",
        author="程文",
        editor="张越",
        paragraphs=[
            "连日来，江西鄱阳湖区各地抢抓冬季枯水期施工黄金时间，全面铺开圩堤除险加固工程建设。",
            "南昌市新建区、进贤县等地的重点圩堤加固项目已完成工程量的四成，计划明年汛前全部完工。",
        ],
    ),
    # chinajsb_1
    Article(
        source="chinajsb",
        url="http://www.chinajsb.cn/html/202611/25/41234.html",
        native_id="41234",
        page="http://www.chinajsb.cn/html/202611/25/41234.html",
        title="住房城乡建设部：加快推进城市地下管网更新改造",
        published_at=datetime(2026, 11, 25, 0, 20, tzinfo=UTC),
        media="中国建设报",
        tier="central_key",
        author="刘菲",
        editor="赵明",
        paragraphs=[
            "住房城乡建设部日前召开会议，要求加快推进城市燃气、供水、排水等地下管网更新改造。",
            "会议指出，各地要摸清管网底数，优先改造老化严重、隐患突出的管线，确保群众用水用气安全。",
        ],
    ),
]


def by_source(source: str) -> list[Article]:
    return [a for a in ARTICLES if a.source == source]


def by_url(url: str) -> Article:
    return next(a for a in ARTICLES if a.url == url)


SOURCES = sorted({a.source for a in ARTICLES})
