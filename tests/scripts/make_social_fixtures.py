# ruff: noqa: E501, E731  (fixture pages: markup and text stay one line each, as sent)
"""Write the replay fixtures of 搜狗微信, mp.weixin.qq.com, 今日头条 and 百度贴吧 (tests/fixtures/web).

Hand-written pages and answers, kept as data so that every view of one invented post
agrees and names that depend on code (Sogou link k/h, query encodings) stay right.
The facts modelled are in tests/fixtures/web/README.md. Running it (re)writes them:

    python tests/scripts/make_social_fixtures.py
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from spiders.tieba import parse as tb  # noqa: E402
from spiders.toutiao import parse as tt  # noqa: E402
from spiders.weixin import parse as wx  # noqa: E402
from yuqing_spiders.replay.record import fixture_path  # noqa: E402

ROOT = REPO / "tests" / "fixtures" / "web"
CST = timezone(timedelta(hours=8))


def epoch(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CST).timestamp())


def put(url: str, body: str | bytes | None = None, meta: dict | None = None) -> Path:
    """The fixture for `url`: body bytes (UTF-8 for text) and an optional sidecar."""
    path = fixture_path(ROOT, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    if body is not None:
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    if meta is not None:
        sidecar = Path(f"{path}.meta.json")
        sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# --- 搜狗微信 search, cookie steps, link pages ------------------------------------


def token(seed):
    raw = b"".join(hashlib.sha256(f"{seed}-{i}".encode()).digest() for i in range(4))
    return (
        "dn9a_-gY295K0Rci_xozVXfdMkSQTLW6cwJThYulHEtVjXrGTiVgS"
        + base64.urlsafe_b64encode(raw).decode().rstrip("=")[:84]
    )


HOME = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>搜狗微信搜索_订阅号及文章内容独家收录，一搜即达</title></head>
<body><div class="header"><a href="/" class="logo">搜狗微信</a></div>
<form action="/weixin" name="searchForm" id="searchForm"><input type="hidden" name="type" value="2">
<input type="text" name="query" id="query" autocomplete="off"><input type="submit" value="搜文章"></form>
<div class="news-box"><ul class="news-list" id="pc_0_0"></ul></div>
<div class="footer">&copy; 2026 SOGOU - 京ICP证050897号</div></body></html>
"""
put(
    "https://weixin.sogou.com/",
    HOME,
    {
        "status": 200,
        "headers": {
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": [
                "ABTEST=7|1764120000|v1; expires=Sat, 26-Dec-26 01:20:00 GMT; path=/",
                "IPLOC=CN3601; expires=Fri, 26-Nov-27 01:20:00 GMT; domain=.sogou.com; path=/",
                "SUID=3F2A1B0C4D5E6F70000000006746A1B0; expires=Thu, 21-Nov-2046 01:20:00 GMT; domain=.sogou.com; path=/",
            ],
        },
    },
)

KW1, KW2 = "南昌停水", "南昌地铁"
T = {n: token(n) for n in ("a", "b", "c", "d", "e")}


def link(tok, kw):
    return f"/link?url={tok}&amp;type=2&amp;query={quote(kw)}"


def li(i, tok, kw, title_html, abstract, account, when):
    t = epoch(when)
    return f"""<li id="sogou_vr_11002601_box_{i}" d="ab735a258a90e8e1-{i}">
<div class="img-box"><a data-z="art" target="_blank" id="sogou_vr_11002601_img_{i}" href="{link(tok, kw)}" uigs="article_image_{i}"><span></span><img src="//img01.sogoucdn.com/net/a/04/link?appid=100520033&amp;url=https%3A%2F%2Fmmbiz.qpic.cn%2Fmmbiz_jpg%2F{i}" onerror="errorImage(this)"></a></div>
<div class="txt-box">
<h3><a target="_blank" href="{link(tok, kw)}" id="sogou_vr_11002601_title_{i}" uigs="article_title_{i}">{title_html}</a></h3>
<p class="txt-info" id="sogou_vr_11002601_summary_{i}">{abstract}</p>
<div class="s-p" t="{t}"><span class="all-time-y2">{account}</span><span class="s2"><script>document.write(timeConvert('{t}'))</script></span></div>
</div></li>"""


def uigs(kw, page, snuid, wuid, uuid):
    return {
        "uigs_productid": "vs_web",
        "terminal": "web",
        "vstype": "weixin",
        "pagetype": "result",
        "channel": "result_article",
        "s_from": "",
        "sourceid": "",
        "type": "weixin_search_pc",
        "uigs_cookie": "SUID,sct",
        "query": kw,
        "weixintype": "2",
        "exp_status": "-1",
        "exp_id_list": "0_0",
        "wuid": wuid,
        "rn": 1,
        "login": "0",
        "uphint": 1,
        "bottomhint": 1,
        "page": page,
        "exp_id": "null_0-null_1-null_2-null_3",
        "snuid": snuid,
        "uuid": uuid,
    }


def result_page(kw, items, next_href, u):
    nxt = (
        f'<a id="sogou_next" href="{next_href}" class="np" uigs="page_next">下一页</a>'
        if next_href
        else ""
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{kw}的相关微信公众号文章 – 搜狗微信搜索</title>
<script>var uigs_para = {json.dumps(u, ensure_ascii=False)};
uigs_para.exp_id = uigs_para.exp_id.replace(/-$/, "");</script>
<script src="//dlweb.sogoucdn.com/weixin/js/weixin_search_pc_b6e8f1c2.js"></script></head>
<body><div class="wrapper" id="wrapper"><div class="main-left" id="main">
<div class="news-box"><ul class="news-list">
{chr(10).join(items)}
</ul></div>
<div class="p-fy" id="pagebar_container"><span>1</span><a id="sogou_page_2" href="{next_href or "#"}">2</a>{nxt}</div>
</div><div class="right-box"><h4>相关搜索</h4><a href="/weixin?type=2&amp;query=%E5%8D%97%E6%98%8C%E5%81%9C%E7%94%B5">南昌停电</a></div>
</div></body></html>
"""


u1 = uigs(
    KW1,
    1,
    "6A1B2C3D4E5F60718293A4B5C6D7E8F9",
    "00A3B0C1D2E3F405",
    "5d3c2b1a-0f9e-4d8c-b7a6-958473625140",
)
page1 = result_page(
    KW1,
    [
        li(
            0,
            T["a"],
            KW1,
            "关于红谷滩区部分区域计划<em><!--red_beg-->停水<!--red_end--></em>的通知",
            "因红谷滩区丰和中大道供水管网改造施工，11月27日22时至28日6时，红谷滩区部分区域将暂停供水…",
            "南昌发布",
            "2026-11-25 09:30",
        ),
        li(
            1,
            T["b"],
            KW1,
            "青山湖区多个小区连续<em><!--red_beg-->停水<!--red_end--></em>三天，居民：没人来说一声",
            "这几天，青山湖区湖坊镇多个小区的居民反映家里一直没水，物业和供水公司互相推诿…",
            "南昌身边事",
            "2026-11-24 21:12",
        ),
        li(
            2,
            T["c"],
            KW1,
            "东湖区这些路段明日<em><!--red_beg-->停水<!--red_end--></em>",
            "东湖区部分路段因管道抢修暂停供水，请提前储水…",
            "南昌吃喝玩乐",
            "2026-11-23 18:40",
        ),
    ],
    f"?query={quote(KW1)}&amp;type=2&amp;page=2&amp;ie=utf8",
    u1,
)
put(
    wx.search_url(KW1, 1),
    page1,
    {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}},
)

u2 = uigs(
    KW2,
    1,
    "1F2E3D4C5B6A79880796A5B4C3D2E1F0",
    "00A3B0C1D2E3F405",
    "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
)
page2 = result_page(
    KW2,
    [
        li(
            0,
            T["d"],
            KW2,
            "<em><!--red_beg-->南昌地铁<!--red_end--></em>4号线全线贯通，明年开通运营",
            "11月25日，南昌地铁4号线最后一个区间隧道在青山湖区顺利贯通…",
            "南昌日报",
            "2026-11-25 16:05",
        ),
        li(
            1,
            T["e"],
            KW2,
            "关于红谷滩区部分区域计划停水的通知",
            "因红谷滩区丰和中大道供水管网改造施工…<em><!--red_beg-->南昌地铁<!--red_end--></em>施工配合…",
            "南昌发布",
            "2026-11-25 09:30",
        ),
    ],
    None,
    u2,
)
put(
    wx.search_url(KW2, 1),
    page2,
    {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}},
)

# page 2 of KW1: Sogou sends the client to its captcha.
p2 = f"https://weixin.sogou.com/weixin?query={quote(KW1)}&type=2&page=2&ie=utf8"
anti = "https://weixin.sogou.com/antispider/?from=" + quote(
    f"/weixin?query={quote(KW1)}&type=2&page=2&ie=utf8", safe=""
)
put(p2, None, {"status": 302, "headers": {"Location": anti, "Content-Type": "text/html"}})
ANTI = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>搜狗搜索</title>
<link rel="stylesheet" href="/antispider/static/css/antispider.css"></head>
<body><div class="content-box"><p class="ip-time-p">IP：117.43.xx.xx<br>访问时间：2026.11.26 09:21:07</p>
<p class="p2">用户您好，我们的系统检测到您网络中存在异常访问请求。<br>此验证码用于确认这些请求是您的正常行为而不是自动程序发出的，需要您协助验证。</p>
<div class="s-input"><img id="seccodeImage" onload="setImgCode(1)" src="util/seccode.php?tc=1764120067" width="100" height="40" alt="请输入图中的验证码">
<input type="text" class="i-text" id="seccodeInput" maxlength="4"><a href="javascript:void(0)" id="submit" onclick="submit()">提交</a></div>
<p class="p4">验证码ID：a3c2b1</p></div></body></html>
"""
put(anti, ANTI, {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}})

# cookie steps (ZC): SUID from a sogou css, JSESSIONID, SUV from the pv pixel
put(
    wx.SUID_CSS_URL,
    ".sug-box{position:absolute;z-index:100;background:#fff;border:1px solid #d9d9d9}\n.sug-box li{height:28px;line-height:28px;padding:0 8px;cursor:default}\n",
    {
        "status": 200,
        "headers": {
            "Content-Type": "text/css",
            "Set-Cookie": "SUID=3F2A1B0C4D5E6F70000000006746A1B1; expires=Thu, 21-Nov-2046 01:21:00 GMT; domain=.sogou.com; path=/",
        },
    },
)
put(
    wx.JSESSION_URL,
    "",
    {
        "status": 200,
        "headers": {
            "Content-Type": "text/html;charset=UTF-8",
            "Set-Cookie": "JSESSIONID=aaaBcDeFgHiJkLmNoPqRsTuv; path=/",
        },
    },
)
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
for u in (u1, u2):
    put(
        wx.suv_pixel_url(u),
        GIF,
        {
            "status": 200,
            "headers": {
                "Content-Type": "image/gif",
                "Set-Cookie": "SUV=00A3B0C1D2E3F4056746A1C0B2D3E4F5; expires=Tue, 22-Nov-2056 01:21:00 GMT; domain=.sogou.com; path=/",
            },
        },
    )


def link_page(parts):
    adds = "\n".join(f"        url += '{p}';" for p in parts)
    return f"""<meta content="always" name="referrer">
<script>
    (new Image()).src = 'https://weixin.sogou.com/approve?uuid=5d3c2b1a-0f9e-4d8c-b7a6-958473625140&token=3A7F0C9E&from=inner';
    setTimeout(function () {{
        var url = '';
{adds}
        url.replace("@", "");
        window.location.replace(url)
    }}, 100);
</script>
"""


MP = {
    "a": "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624&signature=k3Hq0c*Zy9UeB2mfq1Jr5tV-Lw8nXyPpGd0sQ7aRbT4=&new=1",
    "b": "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624&signature=Pz7mWq2Rt9YcN0bVx4Kd1Ls8Jf6Gh3Ea5Uo-Ci2Bn0=&new=1",
    "c": "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624&signature=Xc5vBn8Mq1Wa4Zs7Ed2Rf9Tg3Yh6Uj0Ik-Ol1Pq2Ws=&new=1",
    "d": "https://mp.weixin.qq.com/s?src=11&timestamp=1764120061&ver=5624&signature=Lm4Nb7Vc1Xz9As3Dq6Wf0Eg2Rh5Tj8Yk-Ul1Io7Pa=&new=1",
}
MP["e"] = MP["a"]  # the same article found under another keyword


def frag(url, at=False):
    parts = [url[:10], url[10:21], url[21:60], url[60:]]
    if at:
        parts[2] = parts[2][:15] + "@" + parts[2][15:]
    return parts


for key, tok in T.items():
    kw = KW1 if key in "abc" else KW2
    href = f"https://weixin.sogou.com/link?url={tok}&type=2&query={quote(kw)}"
    url = wx.link_request_url(href, wx.link_k(href))
    put(
        url,
        link_page(frag(MP[key], at=(key == "b"))),
        {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}},
    )

# --- mp.weixin.qq.com articles ------------------------------------------------


def article(title, account, gh, biz, mid, idx, sn, when, byline, paragraphs):
    ct = epoch(when)
    body = "\n".join(paragraphs)
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<meta property="og:title" content="{title}" />
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz={biz}&amp;mid={mid}&amp;idx={idx}&amp;sn={sn}&amp;chksm=8a1b2c3d#rd" />
<meta property="og:site_name" content="微信公众平台" />
<title>{title}</title>
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div class="rich_media_wrp" id="js_article">
<div class="rich_media_inner"><div id="page-content" class="rich_media_area_primary">
<h1 class="rich_media_title " id="activity-name">
            {title}
          </h1>
<div id="meta_content" class="rich_media_meta_list">
  <span class="rich_media_meta rich_media_meta_text">{byline}</span>
  <span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" class="wx_tap_link js_wx_tap_highlight weui-wa-hotarea" id="js_name">
                        {account}                      </a></span>
  <em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
</div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
{body}
</div>
<div class="rich_media_tool" id="js_toobar3"><a class="media_tool_meta meta_primary" id="js_view_source" href="javascript:void(0);">阅读原文</a></div>
</div></div></div>
<script type="text/javascript" nonce="1234567">
    var biz = "{biz}" || "";
    var sn = "" || "{sn}" || "";
    var mid = "{mid}" || "" || "";
    var idx = "{idx}" || "" || "";
    var nickname = htmlDecode("{account}");
    var user_name = "{gh}";
    var round_head_img = "http://mmbiz.qpic.cn/mmbiz_png/{gh}/0?wx_fmt=png";
    var ct = "{ct}";
    var createTime = '{when}';
    var msg_link = "http://mp.weixin.qq.com/s?__biz={biz}&amp;mid={mid}&amp;idx={idx}&amp;sn={sn}&amp;chksm=8a1b2c3d#rd";
    var msg_title = '{title}'.html(false);
</script>
</body></html>
"""


A = article(
    "关于红谷滩区部分区域计划停水的通知",
    "南昌发布",
    "gh_5b3f0e1c2a7d",
    "MzA5NzQ1NjY0MQ==",
    "2651234567",
    "1",
    "8b1c0f9e7d6a5b4c3d2e1f0a9b8c7d6e",
    "2026-11-25 09:30",
    "南昌市水务局",
    [
        "<p>因红谷滩区丰和中大道供水管网改造施工，经研究决定，<strong>11月27日22时至28日6时</strong>，红谷滩区部分区域将暂停供水。</p>",
        "<p>停水范围：丰和中大道以东、绿茵路以北、赣江南大道以西、会展路以南围合区域。</p>",
        "<section><p>届时，上述区域内的居民小区、企事业单位将停止供水，恢复供水后水压、水质可能出现短时波动，请广大用户提前做好储水准备。</p></section>",
        "<p>由此给您带来的不便，敬请谅解。</p>",
        "<p>咨询电话：0791-12345、0791-88888888</p>",
        '<p><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg" data-type="jpeg"></p>',
        "<p>南昌市水务局</p><p>2026年11月25日</p>",
    ],
)
B = article(
    "青山湖区多个小区连续停水三天，居民：没人来说一声",
    "南昌身边事",
    "gh_9e8d7c6b5a41",
    "MzI4NjE2MzQ1Mg==",
    "2247501234",
    "2",
    "f3e2d1c0b9a8978685746352413021fe",
    "2026-11-24 21:12",
    "小南",
    [
        "<p>“已经第三天了，洗澡做饭都成问题。”11月24日，家住青山湖区湖坊镇某小区的王女士向本号反映，从22日早上开始，小区就断断续续没有水，楼层高的住户完全没水。</p>",
        "<p>记者走访发现，附近至少有三个小区出现同样情况。居民们说，小区门口没有贴任何停水通知，打物业电话，物业说是供水公司的管子出了问题；打供水公司电话，又说是小区二次供水设备的问题。</p>",
        "<p>“两边互相推，没人来说一声，老人小孩怎么办？”不少居民对此很不满，有人已经拨打了12345热线投诉。</p>",
        "<p>截至发稿时，已有居民反映下午开始恢复少量供水。本号将持续关注。</p>",
        "<p>来源：南昌身边事 综合网友爆料</p>",
    ],
)
D = article(
    "南昌地铁4号线全线贯通，明年开通运营",
    "南昌日报",
    "gh_0a1b2c3d4e5f",
    "MjM5MDU1NzgwMA==",
    "2653456789",
    "1",
    "0c1d2e3f4a5b6c7d8e9fa0b1c2d3e4f5",
    "2026-11-25 16:05",
    "南昌日报全媒体记者 刘晓峰",
    [
        "<p>11月25日上午，随着盾构机破土而出，南昌地铁4号线最后一个区间隧道——青山湖区段顺利贯通，标志着4号线全线“洞通”。</p>",
        "<p>据南昌轨道交通集团介绍，4号线全长39.6公里，设站29座，串联起红谷滩区、西湖区、青云谱区、青山湖区和南昌县。</p>",
        "<p>下一步，4号线将全面转入轨道、机电设备安装阶段，计划明年底开通初期运营。</p>",
    ],
)
DELETED = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title></title></head>
<body><div class="weui-msg"><div class="weui-msg__icon-area"><i class="weui-icon-info weui-icon_msg"></i></div>
<div class="weui-msg__text-area"><h2 class="weui-msg__title">该内容已被发布者删除</h2></div></div></body></html>
"""
H = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
put(
    "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624&signature=k3Hq0c*Zy9UeB2mfq1Jr5tV-Lw8nXyPpGd0sQ7aRbT4=&new=1",
    A,
    H,
)
put(
    "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624&signature=Pz7mWq2Rt9YcN0bVx4Kd1Ls8Jf6Gh3Ea5Uo-Ci2Bn0=&new=1",
    B,
    H,
)
put(
    "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624&signature=Xc5vBn8Mq1Wa4Zs7Ed2Rf9Tg3Yh6Uj0Ik-Ol1Pq2Ws=&new=1",
    DELETED,
    H,
)
put(
    "https://mp.weixin.qq.com/s?src=11&timestamp=1764120061&ver=5624&signature=Lm4Nb7Vc1Xz9As3Dq6Wf0Eg2Rh5Tj8Yk-Ul1Io7Pa=&new=1",
    D,
    H,
)

# --- 今日头条 ---------------------------------------------------------------------

H = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
HOME = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>今日头条</title>
<meta name="description" content="今日头条是一个通用信息平台"></head>
<body><div id="root"><div class="main-content"><div class="feed-card-wrapper"></div></div></div>
<script src="https://lf3-cdn-tos.bytescm.com/obj/static/toutiao/pc/main.8e1f0a.js"></script></body></html>
"""
put(
    "https://www.toutiao.com/",
    HOME,
    {
        "status": 200,
        "headers": {
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": [
                "ttwid=1%7CqZ3xYb8Wc1Nd4Lf7Gh0Jk2Mn5Pr8St1Uv4Wx7Yz0Ab3%7C1764120000%7C5f4e3d2c1b0a; Domain=.toutiao.com; Path=/; Expires=Sat, 26 Dec 2027 01:20:00 GMT; HttpOnly; Secure",
                "tt_webid=7441234500000000001; Domain=.toutiao.com; Path=/; Expires=Fri, 26 Dec 2026 01:20:00 GMT",
                "s_v_web_id=verify_m3x9q2ab_Yc4Rt8Uo_1Ei5_2Wq7_Zx3Cv9Bn6Lm0; Domain=.toutiao.com; Path=/",
            ],
        },
    },
)

SID = "2026112609204501015814102A3B4C5D"


def card(i, d):
    return f'<div class="result-content" data-i="{i}"><script data-druid-card-data-id="{SID}{i:03d}" type="application/json">{json.dumps({"data": d}, ensure_ascii=False)}</script></div>'


def page(kw, cards, next_href):
    nxt = (
        f'<a href="{next_href}" class="cs-button cs-button-mb cs-button-default text-darker text-m radius-m text-center text-nowrap">下一页</a>'
        if next_href
        else ""
    )
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{kw} - 头条搜索</title>
<script>window.SEARCH_CONF = {{"keyword":"{kw}","search_id":"{SID}","pd":"information","dvpf":"pc"}};</script></head>
<body><div class="s-result-list">
{chr(10).join(cards)}
</div><div class="cs-pagination">{nxt}</div></body></html>
"""


KW1, KW2 = "南昌城管", "红谷滩停车"
A1 = {
    "title": "西湖区城管回应“占道经营整治”：以劝导为主，设置临时疏导点",
    "article_url": "http://toutiao.com/group/7441102233445566778/",
    "share_url": "https://m.toutiao.com/a7441102233445566778/",
    "abstract": "近日，有市民反映西湖区朝阳新城部分路段流动摊贩占道经营…",
    "media_name": "南昌晚报",
    "source": "南昌晚报",
    "datetime": "2026-11-25 19:42:10",
    "publish_time": 1764070930,
    "comment_count": 38,
    "group_id": "7441102233445566778",
    "item_id": "7441102233445566778",
    "cell_type": 0,
}
A2 = {
    "title": "南昌某小区门口城管暴力执法？视频引发热议，官方：正在调查",
    "article_url": "https://www.toutiao.com/article/7441205566778899001/",
    "abstract": "11月25日晚，一段“城管与摊主发生肢体冲突”的视频在网上流传，拍摄地点为南昌市青云谱区某小区门口…",
    "media_name": "赣鄱热点",
    "datetime": "2026-11-26 08:15:00",
    "comment_count": 1204,
    "group_id": "7441205566778899001",
}
A3 = {
    "title": "南昌出台城市管理执法新规，明年1月1日起施行",
    "display": {"info": {"url": "https://www.toutiao.com/a7441088776655443322/"}},
    "abstract": "《南昌市城市管理综合执法办法》明确，执法人员应当全程记录执法过程…",
    "source": "江西新闻客户端",
    "publish_time": 1764040800,
    "comment_count": "216",
}
VIDEO = {
    "title": "实拍南昌城管夜查烧烤摊",
    "article_url": "https://www.ixigua.com/7441300000000000000",
    "media_name": "洪城视频",
    "publish_time": 1764080000,
}
REL = {"title": "相关搜索", "related": ["南昌城管投诉电话", "南昌城管局"]}
A4 = {
    "title": "青山湖区城管夜查烧烤摊，市民投诉油烟扰民问题有望解决",
    "article_url": "http://toutiao.com/group/7440998877665544332/",
    "abstract": "针对京东大道沿线烧烤摊油烟扰民的投诉，青山湖区城管局连续三晚开展夜查…",
    "media_name": "江南都市报",
    "datetime": "2026-11-24 22:30:00",
    "comment_count": 57,
}
nxt = tt.search_url(KW1, 1, SID).replace("https://so.toutiao.com", "").replace("&", "&amp;")
put(
    tt.search_url(KW1),
    page(KW1, [card(0, A1), card(1, A2), card(2, REL), card(3, A3), card(4, VIDEO)], nxt),
    H,
)
put(tt.search_url(KW1, 1, SID), page(KW1, [card(0, A4)], None), H)
SHELL = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>头条搜索</title>
<script src="https://lf-cdn-tos.bytescm.com/obj/static/search/pc/vendor.3d9c1b.js"></script></head>
<body><div id="root"></div><noscript>请开启 JavaScript</noscript></body></html>
"""
put(tt.search_url(KW2), SHELL, H)


def article(title, when, account, paragraphs):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 今日头条</title>
<meta name="description" content="{paragraphs[0][:60]}"></head>
<body><div id="root"><div class="main-content"><div class="article-content">
<h1>{title}</h1>
<div class="article-meta"><span>{when}</span><span class="dot">·</span><span class="name"><a href="/c/user/token/MS4wLjABAAAAx9y8z7w6v5u4t3s2r1q0/" target="_blank" rel="noopener">{account}</a></span></div>
<article class="syl-article-base tt-article-content syl-page-article syl-device-pc">{body}</article>
</div><div class="detail-side-interaction"><div class="detail-interaction-comment"><span>评论</span></div></div></div></div></body></html>
"""


put(
    "https://www.toutiao.com/article/7441102233445566778/",
    article(
        A1["title"],
        "2026-11-25 19:42",
        "南昌晚报",
        [
            "近日，有市民通过12345热线反映，西湖区朝阳新城部分路段晚间流动摊贩占道经营，影响通行。",
            "西湖区城管局相关负责人表示，整治以劝导为主，已在附近设置两处临时疏导点，引导摊贩入点经营。",
            "对多次劝导仍拒不改正的，将依法予以处罚。",
        ],
    ),
    H,
)
put(
    "https://www.toutiao.com/article/7441088776655443322/",
    article(
        A3["title"],
        "2026-11-25 11:20",
        "江西新闻客户端",
        [
            "日前，《南昌市城市管理综合执法办法》经市政府常务会议审议通过，将于2027年1月1日起施行。",
            "办法明确，执法人员应当全程记录执法过程，不得粗暴执法；对首次轻微违法且及时改正的，可以不予处罚。",
            "市城管执法局表示，将同步开展执法人员培训。",
        ],
    ),
    H,
)
put(
    "https://www.toutiao.com/article/7440998877665544332/",
    article(
        A4["title"],
        "2026-11-24 22:30",
        "江南都市报",
        [
            "针对京东大道沿线烧烤摊油烟扰民的投诉，青山湖区城管局连续三晚开展夜查行动。",
            "不少居民表示，夏天以来每天晚上油烟味很重，窗户都不敢开，此前多次投诉没有下文。",
            "青山湖区城管局表示，下一步将推动烧烤摊安装油烟净化设备，并划定集中经营区域。",
        ],
    ),
    H,
)
CHALLENGE = """<html><head><meta charset="UTF-8"></head><body></body><script src="https://lf3-cdn-tos.bytescm.com/obj/rc-web-sdk/acrawler.js"></script><script>window.byted_acrawler&&window.byted_acrawler.init({aid:99999999,dfp:!0});var __ac_nonce=(document.cookie.match(/__ac_nonce=([0-9a-f]+)/)||[])[1]||"";if(document.cookie.indexOf("__ac_signature=")<0){document.cookie="__ac_signature="+window.byted_acrawler.sign("",__ac_nonce)+"; path=/";window.location.reload()}</script></html>
"""
put(
    "https://www.toutiao.com/article/7441205566778899001/",
    CHALLENGE,
    {
        "status": 200,
        "headers": {
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": "__ac_nonce=06745a1b200f3e8c4d2a1; Path=/; Max-Age=1800",
        },
    },
)
ACRAWLER = """(function(w){var n=0;function h(s){for(var i=0,x=5381;i<s.length;i++){x=((x<<5)+x+s.charCodeAt(i))>>>0}return x.toString(16)}
w.byted_acrawler={init:function(o){this.aid=o&&o.aid},sign:function(u,nonce){n+=1;return "_02B4Z6wo00f01"+h(String(nonce)+u+n)}};})(window);
"""
put(
    "https://lf3-cdn-tos.bytescm.com/obj/rc-web-sdk/acrawler.js",
    ACRAWLER,
    {"status": 200, "headers": {"Content-Type": "application/javascript"}},
)

# --- 百度贴吧 ---------------------------------------------------------------------
J = lambda status=200: {
    "status": status,
    "headers": {"Content-Type": "application/json; charset=utf-8"},
}
H = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}

put(
    tb.SYNC_URL,
    json.dumps(
        {
            "error_code": 0,
            "error_msg": "success",
            "data": {"tbs": "6f1b3c5d7e9f0a1b1764120012", "is_login": 0, "user": {"is_login": 0}},
        },
        ensure_ascii=False,
    ),
    J(),
)

T1, T2, T3 = "9231456701", "9231456702", "9231456703"
frs = {
    "error_code": 0,
    "error_msg": "",
    "forum": {
        "id": 2011001,
        "name": "南昌",
        "first_class": "地区",
        "member_num": 1523401,
        "thread_num": 5123456,
        "post_num": 98012345,
        "tids": f"{T1},{T2},{T3}",
    },
    "thread_list": [
        {
            "id": int(T1),
            "tid": int(T1),
            "title": "红谷滩万达附近的停车场收费太离谱了吧",
            "reply_num": 4,
            "view_num": 3120,
            "create_time": epoch("2026-11-25 20:41"),
            "last_time_int": epoch("2026-11-26 08:03"),
            "is_top": 0,
            "author": {"id": 3511002001, "name": "洪城老司机", "name_show": "洪城老司机"},
            "abstract": [
                {
                    "type": 0,
                    "text": "停了两个小时收了四十块，问了收费员说是节假日标准，可今天也不是节假日啊",
                }
            ],
        },
        {
            "id": int(T2),
            "tid": int(T2),
            "title": "南昌县莲塘这边的学校门口每天早上堵得水泄不通",
            "reply_num": 3,
            "view_num": 876,
            "create_time": epoch("2026-11-25 07:58"),
            "author": {"id": 3511002002, "name": "莲塘小王", "name_show": "莲塘小王"},
            "abstract": [{"type": 0, "text": "七点半到八点这段时间，澄湖路两边全是送孩子的车"}],
        },
        {
            "id": int(T3),
            "tid": int(T3),
            "title": "求助：青山湖区租房押金被中介扣了不退怎么办",
            "reply_num": 2,
            "view_num": 512,
            "create_time": epoch("2026-11-24 22:15"),
            "author": {"id": 3511002003, "name": "打工人阿杰", "name_show": "打工人阿杰"},
            "abstract": [
                {"type": 0, "text": "退租的时候房子都打扫干净了，中介说墙面有污渍要扣一千五"}
            ],
        },
    ],
    "page": {"current_page": 1, "total_page": 170781, "has_more": 1},
}
put(tb.FRS_URL, json.dumps(frs, ensure_ascii=False), J())

users = [
    {"id": 3511002001, "name": "洪城老司机", "name_show": "洪城老司机", "ip_address": "江西"},
    {"id": 3511002101, "name": "rain_0791", "name_show": "下雨天不想上班", "ip_address": "江西"},
    {"id": 3511002102, "name": "gtqc2019", "name_show": "赣江边的猫", "ip_address": "广东"},
    {"id": 3511002103, "name": "nczhenhao", "name_show": "南昌真好", "ip_address": "江西"},
]


def post(pid, floor, uid, when, texts, subs=0, agree=0):
    return {
        "id": pid,
        "floor": floor,
        "author_id": uid,
        "time": epoch(when),
        "content": [{"type": 0, "text": t} for t in texts],
        "sub_post_number": subs,
        "agree": {"agree_num": agree, "disagree_num": 0},
    }


first = post(
    150123450001,
    1,
    3511002001,
    "2026-11-25 20:41",
    [
        "停了两个小时收了四十块，问了收费员说是节假日标准，可今天也不是节假日啊。\n",
        "门口的收费牌被挡住了一半，根本看不清。有没有人知道该找哪个部门投诉？",
    ],
)
pb = {
    "error_code": 0,
    "error_msg": "",
    "forum": {"id": 2011001, "name": "南昌"},
    "thread": {
        "id": int(T1),
        "title": "红谷滩万达附近的停车场收费太离谱了吧",
        "reply_num": 4,
        "view_num": 3120,
        "create_time": epoch("2026-11-25 20:41"),
        "author": {"id": 3511002001},
    },
    "first_floor": first,
    "post_list": [
        first,
        post(
            150123450002,
            2,
            3511002101,
            "2026-11-25 21:02",
            ["上周我也被收了三十，小票上写的是“临时调价”，太坑了"],
            subs=3,
            agree=12,
        ),
        post(
            150123450003,
            3,
            3511002102,
            "2026-11-25 21:15",
            ["打12345，或者直接找红谷滩区市场监管局，收费要明码标价的"],
            subs=1,
            agree=25,
        ),
        post(150123450004, 4, 3511002001, "2026-11-25 21:20", ["谢谢，明天就打电话"]),
        post(
            150123450005,
            5,
            3511002103,
            "2026-11-26 08:03",
            ["支持楼主维权，那边停车一直乱收费"],
            agree=4,
        ),
    ],
    "user_list": users,
    "page": {"current_page": 1, "total_page": 1, "has_more": 0},
}
put(tb.PB_URL, json.dumps(pb, ensure_ascii=False), J())


def df(d):
    return html.escape(json.dumps(d, ensure_ascii=False), quote=True)


def legacy_floor(tid, pid, no, uid, uname, when, text, ip, client="来自Android客户端", comments=0):
    field = {
        "author": {"user_id": uid, "user_name": uname, "props": None},
        "content": {
            "post_id": pid,
            "is_anonym": False,
            "forum_id": 2011001,
            "thread_id": int(tid),
            "content": None,
            "post_no": no,
            "type": "0",
            "comment_num": comments,
            "is_fold": 0,
            "props": None,
            "post_index": no - 1,
            "pb_tpoint": None,
        },
    }
    first = " d_post_content_firstfloor" if no == 1 else ""
    return f"""<div class="l_post l_post_bright j_l_post clearfix  " data-field="{df(field)}">
<div class="d_author"><ul class="p_author"><li class="d_name" data-field="{df({"user_id": uid})}"><a alog-group="p_author" class="p_author_name j_user_card" href="/home/main?id=tb.1.{uid}&amp;fr=pb" target="_blank">{uname}</a></li></ul></div>
<div class="d_post_content_main{first}"><div class="p_content p_content p_content_nameplate"><cc><div id="post_content_{pid}" class="d_post_content j_d_post_content " style="display:;">            {text}</div><br></cc></div>
<div class="core_reply j_lzl_wrapper"><div class="core_reply_tail clearfix"><div class="post-tail-wrap"><span>IP属地:{ip}</span><span class="tail-info">{client}</span><span class="tail-info">{no}楼</span><span class="tail-info">{when}</span></div></div></div></div>
</div>"""


def legacy_thread(tid, bar, title, replies, floors):
    return f"""<!DOCTYPE html><html><head><meta charset="UTF-8"><title>{title}【{bar}吧】_百度贴吧</title>
<meta name="keywords" content="百度贴吧,{bar}"></head>
<body><div class="card_top_wrap clearfix card_top_theme2"><div class="card_title "><a class="card_title_fname" title="" href="/f?kw={bar}&amp;ie=utf-8">{bar}吧</a></div></div>
<div class="core_title_wrap_bright clearfix" id="j_core_title_wrap"><h3 class="core_title_txt pull-left text-overflow  " title="{title}" style="width: 396px">{title}</h3></div>
<div class="p_thread thread_theme_5" id="thread_theme_5"><div class="l_thread_info"><ul class="l_posts_num"><li class="l_reply_num" style="margin-left:8px"><span class="red" style="margin-right:3px">{replies}</span>回复贴，共<span class="red">1</span>页</li></ul></div></div>
<div class="p_postlist" id="j_p_postlist">
{chr(10).join(floors)}
</div>
<div class="pb_footer"><div class="p_thread thread_theme_7"><ul class="l_posts_num"><li class="l_pager pager_theme_5 pb_list_pager" max-page="1"></li></ul></div></div>
</body></html>
"""


put(
    tb.thread_url(T2),
    legacy_thread(
        T2,
        "南昌",
        "南昌县莲塘这边的学校门口每天早上堵得水泄不通",
        3,
        [
            legacy_floor(
                T2,
                150123460001,
                1,
                3511002002,
                "莲塘小王",
                "2026-11-25 07:58",
                "七点半到八点这段时间，澄湖路两边全是送孩子的车，公交车根本过不去。<br>交警偶尔来一次，走了又是老样子。",
                "江西",
            ),
            legacy_floor(
                T2,
                150123460002,
                2,
                3511002201,
                "澄湖边",
                "2026-11-25 08:20",
                "同感，建议学校错峰放学，再划几个临时停车位",
                "江西",
                comments=2,
            ),
            legacy_floor(
                T2,
                150123460003,
                3,
                3511002202,
                "ncx_dad",
                "2026-11-25 12:41",
                "已经在问政江西上留言了，看有没有回复",
                "江西",
                client="来自iPhone客户端",
            ),
            legacy_floor(
                T2, 150123460004, 4, 3511002203, "路过的", "2026-11-25 18:09", "顶一下", "浙江"
            ),
        ],
    ),
    H,
)
put(
    tb.thread_url(T3),
    legacy_thread(
        T3,
        "南昌",
        "求助：青山湖区租房押金被中介扣了不退怎么办",
        2,
        [
            legacy_floor(
                T3,
                150123470001,
                1,
                3511002003,
                "打工人阿杰",
                "2026-11-24 22:15",
                "退租的时候房子都打扫干净了，中介说墙面有污渍要扣一千五，合同上根本没写。<br>打电话过去就说找老板，老板一直不接。",
                "江西",
            ),
            legacy_floor(
                T3,
                150123470002,
                2,
                3511002301,
                "法律小白兔",
                "2026-11-24 22:40",
                "先收集聊天记录和交接照片，可以打12315投诉，也可以去青山湖区住建局反映",
                "江西",
                comments=1,
            ),
            legacy_floor(
                T3,
                150123470003,
                3,
                3511002003,
                "打工人阿杰",
                "2026-11-25 09:12",
                "谢谢，今天去住建局问问",
                "江西",
            ),
        ],
    ),
    H,
)

# A second configured bar: the JSON API answers with 南昌吧 (one answer per path on the
# replay site), so the spider falls back to the legacy page, which this bar still serves.
T5, T6 = "9231456705", "9231456706"


def list_row(tid, title, author, replies, created, abstract, last):
    field = {
        "id": int(tid),
        "author_name": author,
        "author_nickname": author,
        "author_portrait": "tb.1.8c2e4f6a.x9",
        "first_post_id": int("1501234" + tid[-5:]),
        "reply_num": replies,
        "is_bakan": None,
        "vid": "",
        "is_good": None,
        "is_top": None,
        "is_protal": None,
        "is_membertop": None,
        "is_multi_forum": None,
        "frs_tpoint": None,
    }
    return f"""<li class=" j_thread_list clearfix thread_item_box" data-field='{json.dumps(field, ensure_ascii=False)}' >
<div class="t_con cleafix"><div class="col2_left j_threadlist_li_left"><span class="threadlist_rep_num center_text" title="回复">{replies}</span></div>
<div class="col2_right j_threadlist_li_right "><div class="threadlist_lz clearfix"><div class="threadlist_title pull_left j_th_tit "><a rel="noopener" href="/p/{tid}" title="{title}" target="_blank" class="j_th_tit ">{title}</a></div>
<div class="threadlist_author pull_right"><span class="tb_icon_author " title="主题作者: {author}"><i class="icon_author"></i><span class="frs-author-name-wrap"><a rel="noopener" class="frs-author-name j_user_card" href="/home/main/?id=tb.1.8c2e4f6a" target="_blank">{author}</a></span></span><span class="pull-right is_show_create_time" title="创建时间">{created}</span></div></div>
<div class="threadlist_detail clearfix"><div class="threadlist_text pull_left"><div class="threadlist_abs threadlist_abs_onlyline ">{abstract}</div></div>
<div class="threadlist_author pull_right"><span class="threadlist_reply_date pull_right j_reply_data" title="最后回复时间">{last}</span></div></div></div></div>
</li>"""


LEGACY_BAR = f"""<!DOCTYPE html><html><head><meta charset="UTF-8"><title>南昌大学吧-百度贴吧--南昌大学--南昌大学是国家“双一流”建设高校</title></head>
<body><div class="card_top_wrap clearfix card_top_theme"><div class="card_title "><a class="card_title_fname" title="" href="/f?kw=%E5%8D%97%E6%98%8C%E5%A4%A7%E5%AD%A6&amp;ie=utf-8">南昌大学吧</a></div></div>
<div id="content_wrap"><div class="content"><div id="pagelet_frs-list/pagelet/thread_list" class="pagelet"></div></div></div>
<code id="pagelet_html_frs-list/pagelet/thread_list" style="display:none;"><!--
<ul id="thread_list" class="threadlist_bright j_threadlist_bright">
{list_row(T5, "前湖校区食堂又涨价了，一份青菜四块五", "前湖吃货", 5, "11-25", "二食堂的青菜从三块涨到四块五，分量还少了，学校能不能管管", "21:07")}
{list_row(T6, "南大附近的黑车晚上在地铁口拉客，大家注意安全", "夜归人", 8, "11-24", "昨晚十一点多在地铁口，有人一直拉着问去不去学校，二十块一位", "09:45")}
</ul>
<div class="thread_list_bottom clearfix"><div id="frs_list_pager" class="pagination-default clearfix"><span class="pagination-current pagination-item ">1</span><a href="//tieba.baidu.com/f?kw=%E5%8D%97%E6%98%8C%E5%A4%A7%E5%AD%A6&amp;ie=utf-8&amp;pn=50" class=" pagination-item ">2</a><a href="//tieba.baidu.com/f?kw=%E5%8D%97%E6%98%8C%E5%A4%A7%E5%AD%A6&amp;ie=utf-8&amp;pn=50" class="next pagination-item ">下一页&gt;</a></div></div>
--></code>
</body></html>
"""
put(tb.legacy_bar_url("南昌大学"), LEGACY_BAR, H)
put(
    tb.thread_url(T5),
    legacy_thread(
        T5,
        "南昌大学",
        "前湖校区食堂又涨价了，一份青菜四块五",
        5,
        [
            legacy_floor(
                T5,
                150123480001,
                1,
                3511002401,
                "前湖吃货",
                "2026-11-25 12:03",
                "二食堂的青菜从三块涨到四块五，分量还少了，学校能不能管管。",
                "江西",
            ),
            legacy_floor(
                T5,
                150123480002,
                2,
                3511002402,
                "ncu_2024",
                "2026-11-25 12:30",
                "三食堂还行，二食堂确实贵",
                "江西",
            ),
            legacy_floor(
                T5,
                150123480003,
                3,
                3511002403,
                "后勤集团",
                "2026-11-25 16:12",
                "同学你好，已向餐饮中心反映，近期会公示菜品价格，欢迎监督。",
                "江西",
            ),
        ],
    ),
    H,
)
# 百度安全验证 served in place of the thread (a 2026 tool: "百度安全验证要求登录" on thread pages).
CAPTCHA = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>百度安全验证</title>
<link rel="stylesheet" href="https://ppui-static-wap.cdn.bcebos.com/static/touch/css/api/mkdjump_aac6df1.css"></head>
<body><div class="timeout hide-callback"><div class="timeout-img"></div><div class="timeout-title">网络不给力，请稍后重试</div><button type="button" class="timeout-button">返回首页</button></div>
<div class="timeout-feedback hide-callback"><div class="timeout-feedback-icon"></div><p class="timeout-feedback-title">问题反馈</p></div>
<script src="https://wappass.baidu.com/static/machine/js/api/mkd.js"></script>
<script>var options = {"ak": "c27bbc89afca0463650ac9bde68ebe06", "backurl": "https://tieba.baidu.com/p/9231456706", "type": "spin"};</script></body></html>
"""
put(tb.thread_url(T6), CAPTCHA, H)
put(
    "https://wappass.baidu.com/static/machine/js/api/mkd.js",
    "window.__mkd={init:function(){}};\n",
    {"status": 200, "headers": {"Content-Type": "application/javascript"}},
)
put(
    "https://ppui-static-wap.cdn.bcebos.com/static/touch/css/api/mkdjump_aac6df1.css",
    ".timeout{text-align:center;padding-top:120px}\n",
    {"status": 200, "headers": {"Content-Type": "text/css"}},
)
