"""Write the Weibo replay fixtures from one hand-written set of posts.

Usage: python tests/scripts/make_weibo_fixtures.py [FIXTURE_ROOT]

The posts, accounts and comments below are invented (Nanchang metro affairs, some of
them complaints); the shapes are the public API's (see tests/fixtures/web/
README.md, "新浪微博"). Every search page, slice, detail page, comment page and
profile is rendered from this one list, so all views of a post agree. Re-run after
changing the list; the tests read the written files, never this script.
"""

# HTML and JSON are written as the sites send them, one element per line: long lines.
# ruff: noqa: E501

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from spiders.weibo.search import Slice, mobile_url, pc_url, split
from yuqing_spiders.replay.record import fixture_path

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "web"
CST = timezone(timedelta(hours=8))
KEYWORD = "南昌地铁"
PER_PAGE = 5  # posts per result page in these fixtures (the live site shows about 10)
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
EMPTY_SEARCH = {"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}}

# uid, screen_name, followers (None: not shown in posts), verified_type, ext
USERS = {
    "u1": ("2861234501", "南昌地铁", "56.8万", 2, 0),
    "u2": ("1653603955", "江西日报", "312万", 3, 0),
    "u3": ("2713456902", "南昌发布", "89.2万", 1, 0),
    "u4": ("7712345678", "洪城小李", 328, -1, None),
    "u5": ("7723456789", "红谷滩的猫", 1205, -1, None),
    "u6": ("6034567890", "赣江边的风", "1.5万", 0, 0),
    "u7": ("2256789012", "江西交通广播", "45.7万", 3, 0),
    "u8": ("7745678901", "小蓝打工人", 87, -1, None),
    "u9": ("5867890123", "南昌吃喝玩乐", "128万", 0, 1),
    "u10": ("7756789012", "在广州的南昌人", 512, -1, None),
    "u11": ("7767890123", "北漂老表", 233, -1, None),
    "u12": ("7790012345", "深圳赣商", None, -1, None),
}
# What the profile API says of the account whose posts show no follower count.
PROFILES = {"u12": {"followers_count": "2048", "verified": False, "verified_type": -1}}

EMOJI = {
    "[怒]": "d_nu-48b3d3ef4a.png",
    "[赞]": "d_zan-44ddc70637.png",
    "[哈哈]": "d_haha-bb7e4ef5f0.png",
    "[泪]": "d_lei-7b72de24c5.png",
}


@dataclass
class Post:
    n: int
    at: str  # "11-21 15:48"
    user: str
    region: str  # IP属地 province
    text: str
    long: str | None = None  # the rest of a long post (shown on its detail page only)
    counts: tuple[int, int, int] = (0, 0, 0)  # reposts, comments, likes
    client: str = "iPhone客户端"
    retweet_of: int | None = None
    comments: list[tuple[str, str, str, int, list[tuple[str, str, str, int]]]] = field(
        default_factory=list
    )  # (user, at, text, likes, replies[(user, at, text, likes)])
    comments_closed: bool = False
    comments_page2: list[tuple[str, str, str, int]] = field(default_factory=list)

    @property
    def mid(self) -> str:
        return f"51029384756100{self.n:02d}"

    @property
    def bid(self) -> str:
        return f"Pb{'cdefghjkmnpqrstuvwxyz'[self.n % 21]}{self.n:02d}Xk7Q"

    @property
    def time(self) -> datetime:
        return datetime.strptime(f"2026-{self.at}", "%Y-%m-%d %H:%M").replace(tzinfo=CST)


PROVINCE_CODE = {"江西": "36", "广东": "44", "北京": "11"}

POSTS = [
    Post(1, "11-20 07:42", "u4", "江西",
         "早高峰1号线八一馆站又挤不上去，连续三趟车都是满的，等了快二十分钟，上班又要迟到了[怒] #南昌地铁#",
         counts=(6, 4, 57),
         comments=[
             ("u5", "11-20 07:55", "同一站，我也是等了三趟[泪]", 12,
              [("u4", "11-20 08:01", "回复@红谷滩的猫:高峰期能不能加几趟车啊", 3)]),
             ("u8", "11-20 08:10", "小蓝过来的更惨，公交转地铁两个小时", 5, []),
             ("u6", "11-20 08:32", "建议错峰出行，七点前人少很多", 1, []),
         ]),
    Post(2, "11-20 08:15", "u1", "江西",
         "【运营提示】受设备故障影响，2号线辛家庵往南路方向列车晚点约10分钟，现已恢复正常运营。"
         "给您出行带来不便，敬请谅解。",
         counts=(35, 5, 88), client="微博 weibo.com",
         comments=[
             ("u4", "11-20 08:20", "这个月第三次了吧？", 40, []),
             ("u11", "11-20 08:26", "设备故障到底是什么故障，能不能说清楚", 22, []),
             ("u5", "11-20 08:40", "早上在车厢里闷了十分钟，空调也不开", 9, []),
         ],
         comments_page2=[
             ("u8", "11-20 09:02", "希望早点查明原因", 2),
             ("u10", "11-20 09:15", "辛苦工作人员了", 0),
         ]),
    Post(3, "11-20 09:30", "u5", "江西",
         "4号线施工围挡占了丰和大道一半车道，晚上十一点还在打桩，噪音吵得孩子睡不着，投诉了好几次都没用",
         long="。打了12345，说已转交施工单位，可是一周过去了，晚上照样施工。小区里好几户都有老人和"
              "刚出生的孩子，希望有关部门管一管夜间施工扰民的问题，至少十点以后停工吧。",
         counts=(18, 0, 203)),
    Post(4, "11-20 11:02", "u2", "江西",
         "记者从南昌轨道交通集团获悉，11月以来南昌地铁线网日均客运量超过120万人次，"
         "3号线客流增长最快。#南昌地铁#",
         counts=(12, 0, 64), client="微博 weibo.com"),
    Post(5, "11-20 13:20", "u8", "江西",
         "小蓝经开区什么时候能通地铁啊，每天公交转地铁通勤两个小时，太难了[泪]",
         counts=(2, 0, 19), client="Android"),
    Post(6, "11-20 17:48", "u6", "江西",
         "秋水广场站下班高峰安检排队排到出站口外面了，建议多开几个安检通道。",
         counts=(4, 2, 31), comments_closed=True),
    Post(7, "11-20 21:05", "u7", "江西",
         "地铁晚点最近有点频繁，希望运营方查明原因，及时向乘客说明情况。",
         counts=(3, 0, 15), client="微博 weibo.com", retweet_of=2),
    Post(8, "11-21 09:12", "u3", "江西",
         "【南昌地铁1号线北延工程最新进展】1号线北延工程全线6座车站主体结构已全部完工，"
         "目前正在进行轨道铺设和机电安装",
         long="，计划明年上半年开展空载试运行。北延段起自双港站，经昌北机场方向，"
              "建成后将方便红谷滩北部和新建区市民出行。施工期间部分路段交通有调整，"
              "请市民朋友注意绕行。",
         counts=(66, 2, 512), client="微博 weibo.com",
         comments=[
             ("u10", "11-21 09:30", "终于能坐地铁去机场了[赞]", 30, []),
             ("u4", "11-21 09:41", "先把1号线早高峰的运力解决一下吧", 18, []),
         ]),
    Post(9, "11-21 09:40", "u9", "江西",
         "地铁2号线沿线美食地图来了！从南昌西站到地铁大厦，一站一美食[哈哈]",
         counts=(120, 2, 890),
         comments=[
             ("u5", "11-21 09:50", "收藏了，周末去打卡", 6, []),
             ("u8", "11-21 10:05", "拌粉那家确实好吃", 4, []),
         ]),
    Post(10, "11-21 15:03", "u4", "江西",
         "今天下午1号线艾溪湖西站又停了十分钟，广播只说“设备调试”，乘客都被困在车厢里",
         long="，也没有工作人员出来解释。车厢里有老人和小孩，空气很闷，有人身体不舒服。"
              "这种情况能不能及时通报原因和预计恢复时间？[怒]",
         counts=(25, 0, 146)),
    Post(11, "11-21 15:08", "u5", "江西",
         "地铁站里的直饮水机坏了半个月了，也没人来修",
         counts=(0, 0, 8)),
    Post(12, "11-21 15:15", "u1", "江西",
         "【温馨提示】今日15时起，1号线艾溪湖西站因设备检修临时采取限流措施，预计16时恢复，"
         "请乘客合理安排出行。",
         counts=(48, 0, 120), client="微博 weibo.com"),
    Post(13, "11-21 15:22", "u6", "江西",
         "坐地铁看到志愿者帮老人刷码进站，给南昌地铁的服务点个赞[赞]",
         counts=(1, 0, 42)),
    Post(14, "11-21 15:31", "u8", "江西",
         "3号线早晚高峰能不能加密班次？八分钟一趟实在太久了",
         counts=(3, 0, 27), client="Android"),
    Post(15, "11-21 15:44", "u2", "江西",
         "南昌地铁回应1号线临时限流：系信号设备例行检修，16时前恢复正常。#南昌地铁#",
         counts=(30, 0, 99), client="微博 weibo.com"),
    Post(16, "11-21 15:10", "u10", "广东",
         "回南昌过年最期待坐4号线回家，听说年底就能全线通车？",
         counts=(0, 0, 11)),
    Post(17, "11-21 15:26", "u12", "广东",
         "南昌地铁票价跟深圳比便宜太多了，就是发车间隔太长",
         counts=(0, 0, 5)),
    Post(18, "11-21 15:48", "u12", "广东",
         "看到家乡地铁限流的新闻，家里人说下午在艾溪湖西站堵了半小时",
         counts=(2, 0, 16)),
    Post(19, "11-21 15:19", "u11", "北京",
         "北京地铁早高峰也这样，南昌地铁这次限流已经算处理得快了",
         counts=(0, 0, 9)),
    Post(20, "11-21 15:37", "u11", "北京",
         "南昌地铁APP扫码进站老是失灵，希望尽快修复。",
         counts=(1, 0, 21)),
]  # fmt: skip
BY_N = {p.n: p for p in POSTS}


# --- rendering ---------------------------------------------------------------------------


def api_time(moment: datetime) -> str:
    return moment.strftime("%a %b %d %H:%M:%S +0800 %Y")


def html_text(text: str) -> str:
    """Weibo's HTML for a text: emoji as <img alt>, #topics# and @names as links."""
    for name, icon in EMOJI.items():
        img = (
            f'<span class="url-icon"><img alt="{name}" src="https://h5.sinaimg.cn/m/emoticon/'
            f'icon/default/{icon}" style="width:1em; height:1em;" /></span>'
        )
        text = text.replace(name, img)
    text = text.replace(
        "#南昌地铁#",
        '<a  href="https://m.weibo.cn/search?containerid=231522type%3D1%26t%3D10%26q%3D%23'
        '%E5%8D%97%E6%98%8C%E5%9C%B0%E9%93%81%23&isnewpage=1" data-hide="">'
        '<span class="surl-text">#南昌地铁#</span></a>',
    )
    return text.replace("@红谷滩的猫", "<a href='/n/红谷滩的猫'>@红谷滩的猫</a>")


def user_json(key: str, *, profile: bool = False) -> dict[str, Any]:
    uid, name, followers, vtype, ext = USERS[key]
    user: dict[str, Any] = {
        "id": int(uid),
        "screen_name": name,
        "profile_image_url": f"https://tvax1.sinaimg.cn/crop.0.0.180.180.180/{uid}.jpg",
        "profile_url": f"https://m.weibo.cn/u/{uid}?uid={uid}&luicode=10000011",
        "statuses_count": 1000 + int(uid[-3:]),
        "verified": vtype >= 0,
        "verified_type": vtype,
        "close_blue_v": False,
        "description": "",
        "gender": "m" if int(uid) % 2 else "f",
        "mbtype": 12 if vtype >= 0 else 0,
        "urank": 20,
        "mbrank": 0,
        "follow_me": False,
        "following": False,
        "follow_count": 120 + int(uid[-2:]),
    }
    if ext is not None:
        user["verified_type_ext"] = ext
    if vtype >= 0:
        user["verified_reason"] = f"{name}官方微博" if vtype else f"{name}，美食博主"
    if followers is not None:
        user["followers_count"] = followers
        user["followers_count_str"] = str(followers)
    if profile and key in PROFILES:
        user.update(PROFILES[key])
        user["followers_count_str"] = PROFILES[key]["followers_count"]
    return user


def mblog(post: Post, *, full: bool) -> dict[str, Any]:
    reposts, comments, likes = post.counts
    text = html_text(post.text)
    if post.long and full:
        text = html_text(post.text + post.long)
    elif post.long:
        text += f'...<a href="/status/{post.mid}">全文</a>'
    data: dict[str, Any] = {
        "visible": {"type": 0, "list_id": 0},
        "created_at": api_time(post.time),
        "id": post.mid,
        "mid": post.mid,
        "bid": post.bid,
        "can_edit": False,
        "text": text,
        "textLength": len(post.text + (post.long or "")) * 2,
        "source": post.client,
        "favorited": False,
        "pic_ids": [],
        "is_paid": False,
        "mblog_vip_type": 0,
        "user": user_json(post.user),
        "reposts_count": reposts,
        "comments_count": comments,
        "reprint_cmt_count": 0,
        "attitudes_count": likes,
        "pending_approval_count": 0,
        "isLongText": post.long is not None,
        "show_mlevel": 0,
        "region_name": f"发布于 {post.region}",
        "mblogtype": 0,
        "pic_num": 0,
        "content_auth": 0,
        "mlevel": 0,
    }
    if post.retweet_of:
        data["retweeted_status"] = mblog(BY_N[post.retweet_of], full=False)
        data["raw_text"] = post.text
    return data


def card(post: Post, lfid: str) -> dict[str, Any]:
    return {
        "card_type": 9,
        "itemid": f"seqid:19{post.n:02d}8823|type:61|t:|pos:1-0-0|q:{KEYWORD}|ext:&mid={post.mid}&",
        "scheme": f"https://m.weibo.cn/status/{post.bid}?mblogid={post.bid}&luicode=10000011&lfid={lfid}",
        "mblog": mblog(post, full=False),
    }


def search_json(query: Slice, posts: list[Post], page: int) -> dict[str, Any]:
    if not posts:
        return EMPTY_SEARCH
    ordered = sorted(posts, key=lambda p: p.time, reverse=True)
    shown = ordered[(page - 1) * PER_PAGE : page * PER_PAGE]
    pages = -(-len(ordered) // PER_PAGE)
    containerid = mobile_url(query).split("containerid=")[1].split("&")[0]
    cards = [card(p, containerid) for p in shown]
    if page == 1 and query.start is None:
        # The unsliced first page also carries other cards: related users (type 10 in a
        # group) and a post grouped in a card_group, as the real 实时 tab does.
        users = {
            "card_type": 11,
            "card_group": [
                {"card_type": 10, "user": user_json("u1"), "desc1": "南昌轨道交通集团官方微博"}
            ],
        }
        cards = [users, cards[0], {"card_type": 11, "card_group": [cards[1]]}, *cards[2:]]
    return {
        "ok": 1,
        "data": {
            "cardlistInfo": {
                "containerid": containerid,
                "v_p": 42,
                "show_style": 1,
                "total": len(ordered),
                "autoLoadMoreIndex": 3,
                "page": page + 1 if page < pages else None,
                "starttime": int(ordered[0].time.timestamp()),
            },
            "cards": cards,
            "scheme": f"sinaweibo://cardlist?containerid={containerid}",
            "showAppTips": 0,
        },
    }


def in_slice(post: Post, query: Slice) -> bool:
    if query.start:
        start = datetime.strptime(query.start + ":00", "%Y-%m-%d-%H:%M").replace(tzinfo=CST)
        end = datetime.strptime(query.end + ":00", "%Y-%m-%d-%H:%M").replace(tzinfo=CST)
        if not start <= post.time < end:
            return False
    return not query.region or query.region.split(":")[0] == PROVINCE_CODE[post.region]


def detail_html(post: Post) -> str:
    render = [{"status": mblog(post, full=True), "call": "1", "hotScheme": "", "appScheme": ""}]
    data = json.dumps(render, ensure_ascii=False, indent=4)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>微博正文 - 微博HTML5版</title>
<link href="https://h5.sinaimg.cn/m/weibo-lite/css/app.6b3d5e8c.css" rel="stylesheet">
</head>
<body>
<div id="app" class="m-container-max"></div>
<script>
var $render_data = {data}[0] || {{}};
var __wb_performance_data = {{v: "3.0", m: "mainsite", pwa: 1, sw: 0}};
</script>
<script src="https://h5.sinaimg.cn/m/weibo-lite/js/app.8d2f1c0a.js"></script>
</body>
</html>
"""


def comment_json(post: Post, n: int, raw: tuple, root: str | None) -> dict[str, Any]:
    user, at, text, likes = raw[:4]
    moment = datetime.strptime(f"2026-{at}", "%Y-%m-%d %H:%M").replace(tzinfo=CST)
    cid = f"5102940{post.n:02d}{n:07d}"
    out: dict[str, Any] = {
        "created_at": api_time(moment),
        "id": cid,
        "rootid": root or cid,
        "rootidstr": root or cid,
        "floor_number": n if root is None else 0,
        "text": html_text(text),
        "disable_reply": 0,
        "restrictOperate": False,
        "source": "来自" + {"u10": "广东", "u11": "北京"}.get(user, "江西"),
        "comment_badge": [],
        "user": user_json(user),
        "mid": cid,
        "liked": False,
        "like_count": likes,
        "isLikedByMblogAuthor": False,
        "more_info_type": 0,
    }
    if root is None:
        replies = raw[4] if len(raw) > 4 else []
        out["comments"] = [
            comment_json(post, n * 100 + i, r, cid) for i, r in enumerate(replies, 1)
        ] or False
        out["total_number"] = len(replies)
        out["max_id"] = 0
    return out


def hotflow_json(post: Post, page: int) -> dict[str, Any]:
    if post.comments_closed:
        return {"ok": 0, "msg": "快来发表你的评论吧"}
    raws = post.comments if page == 1 else post.comments_page2
    first = 1 if page == 1 else len(post.comments) + 1
    data = [comment_json(post, first + i, raw, None) for i, raw in enumerate(raws)]
    more = page == 1 and bool(post.comments_page2)
    return {
        "ok": 1,
        "data": {
            "data": data,
            "total_number": post.counts[1],
            "max_id": 138840172343523 if more else 0,
            "max_id_type": 0,
        },
    }


def profile_json(key: str) -> dict[str, Any]:
    uid = USERS[key][0]
    return {
        "ok": 1,
        "data": {
            "isStarStyle": 0,
            "userInfo": user_json(key, profile=True),
            "fans_scheme": f"https://m.weibo.cn/p/index?containerid=231051_-_fans_intimacy_-_{uid}",
            "follow_scheme": f"https://m.weibo.cn/p/index?containerid=231051_-_followersrecomm_-_{uid}",
            "tabsInfo": {"selectedTab": 1, "tabs": []},
            "scheme": f"sinaweibo://userinfo?uid={uid}",
            "showAppTips": 1,
        },
    }


# --- s.weibo.com -------------------------------------------------------------------------

BADGE = {1: "woo_svg_vblue", 2: "woo_svg_vblue", 3: "woo_svg_vblue"}


def pc_card(post: Post) -> str:
    uid, name, _f, vtype, ext = USERS[post.user]
    badge = BADGE.get(vtype) or (
        {0: "woo_svg_vyellow", 1: "woo_svg_vorange"}.get(ext or 0) if vtype == 0 else None
    )
    svg = (
        f'<svg class="woo-icon-main woo-icon--vblue" id="{badge}"><use xlink:href="#{badge}"></use></svg>'
        if badge
        else ""
    )
    reposts, comments, likes = post.counts
    short = html_text(post.text)
    full = ""
    if post.long:
        short += ' ...<a href="javascript:void(0);" action-type="fl_unfold">展开<i class="wbicon">c</i></a>'
        full = (
            f'<p class="txt" node-type="feed_list_content_full" nick-name="{name}" style="display: none">'
            f'{html_text(post.text + post.long)}<a href="javascript:void(0);" action-type="fl_fold">收起<i class="wbicon">d</i></a></p>'
        )
    time_text = post.time.strftime("%m月%d日 %H:%M").lstrip("0")
    return f"""
<div class="card-wrap" action-type="feed_list_item" mid="{post.mid}">
  <div class="card">
    <div class="card-feed">
      <div class="avator">
        <a href="//weibo.com/{uid}?refer_flag=1001030103_" target="_blank"><img src="https://tvax1.sinaimg.cn/crop.0.0.180.180.50/{uid}.jpg" class="woo-avatar-img" />{svg}</a>
      </div>
      <div class="content" node-type="like">
        <div class="info"><div></div><div>
          <a href="//weibo.com/{uid}?refer_flag=1001030103_" class="name" target="_blank" nick-name="{name}" suda-data="key=tblog_search_weibo&value=weibo_ss_1_name">{name}</a>
        </div></div>
        <p class="txt" node-type="feed_list_content" nick-name="{name}">{short}</p>
        {full}
        <div class="from">
          <a href="//weibo.com/{uid}/{post.bid}?refer_flag=1001030103_" target="_blank" suda-data="key=tblog_search_weibo&value=weibo_ss_1_time">{time_text}</a>
          来自 <a href="https://weibo.com/" rel="nofollow">{post.client}</a>
        </div>
      </div>
    </div>
    <div class="card-act"><ul>
      <li><a href="javascript:void(0);" action-type="feed_list_forward"><i class="woo-font woo-font--retweet"></i> {reposts or "转发"}</a></li>
      <li><a href="javascript:void(0);" action-type="feed_list_comment"><i class="woo-font woo-font--comment"></i> {comments or "评论"}</a></li>
      <li><a href="javascript:void(0);" action-type="feed_list_like"><button class="woo-like-main" title="赞"><span class="woo-like-iconWrap"><svg class="woo-like-icon"><use xlink:href="#woo_svg_like"></use></svg></span><span class="woo-like-count">{likes or "赞"}</span></button></a></li>
    </ul></div>
  </div>
</div>"""


def pc_page(posts: list[Post], page: int, pages: int) -> str:
    query = Slice(KEYWORD)
    items = "".join(
        f'<li{" class=cur" if n == page else ""}><a href="/weibo?q=%E5%8D%97%E6%98%8C%E5%9C%B0%E9%93%81&typeall=1&suball=1&page={n}">第{n}页</a></li>'
        for n in range(1, pages + 1)
    )
    following = pc_url(query, page + 1).removeprefix("https://s.weibo.com")
    nxt = f'<a class="next" href="{following}">下一页</a>' if page < pages else ""
    cards = "".join(pc_card(p) for p in posts)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{KEYWORD} - 微博搜索</title></head>
<body class="wbs-feed">
<div class="m-main"><div class="m-wrap"><div id="pl_feedlist_index">
<div class="card-wrap"><div class="card card-direct-a"><a href="//s.weibo.com/user?q={KEYWORD}">查看更多用户</a></div></div>
{cards}
<div class="m-page"><div><span class="list"><a href="javascript:void(0)" class="pagenum" action-type="feed_list_page_morelist">第{page}页</a>
<ul class="s-scroll" action-type="feed_list_page_morelist" node-type="feed_list_page_morelist">{items}</ul></span>{nxt}</div></div>
</div></div></div>
</body></html>
"""


# --- writing -------------------------------------------------------------------------------


def write(root: Path, url: str, body: str | bytes, headers: dict[str, Any] | None = None) -> None:
    path = fixture_path(root, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    sidecar = Path(str(path) + ".meta.json")
    if headers:
        sidecar.write_text(
            json.dumps({"status": 200, "headers": headers}, ensure_ascii=False, indent=1) + "\n"
        )


def write_search(root: Path, query: Slice) -> None:
    posts = [p for p in POSTS if in_slice(p, query)]
    pages = max(1, -(-len(posts) // PER_PAGE))
    for page in range(1, pages + 1):
        body = json.dumps(search_json(query, posts, page), ensure_ascii=False)
        write(root, mobile_url(query, page), body, JSON_HEADERS)


def all_slices() -> list[Slice]:
    """The unsliced query and every slice the spider asks for with WEIBO_PAGE_CAP 3,
    WEIBO_LOOKBACK_DAYS 2 and WEIBO_SLICE_PROVINCES 36, 44, 11."""
    newest = max(p.time for p in POSTS)
    out, todo = [], [Slice(KEYWORD)]
    while todo:
        query = todo.pop(0)
        out.append(query)
        posts = [p for p in POSTS if in_slice(p, query)]
        if -(-len(posts) // PER_PAGE) >= 3:
            shown = max(p.time for p in posts)
            todo += split(query, newest=shown, lookback_days=2, provinces=("36", "44", "11"))
    assert newest
    return out


def main(root: Path) -> None:
    for query in all_slices():
        write_search(root, query)
    for post in POSTS:
        write(root, f"https://m.weibo.cn/detail/{post.mid}", detail_html(post))
        if post.counts[1]:
            base = f"https://m.weibo.cn/comments/hotflow?id={post.mid}&mid={post.mid}"
            write(
                root,
                base + "&max_id_type=0",
                json.dumps(hotflow_json(post, 1), ensure_ascii=False),
                JSON_HEADERS,
            )
            if post.comments_page2:
                page2 = base + "&max_id=138840172343523&max_id_type=0"
                write(
                    root, page2, json.dumps(hotflow_json(post, 2), ensure_ascii=False), JSON_HEADERS
                )
    for key in PROFILES:
        url = f"https://m.weibo.cn/api/container/getIndex?containerid=100505{USERS[key][0]}"
        write(root, url, json.dumps(profile_json(key), ensure_ascii=False), JSON_HEADERS)
    config = {
        "preferQuickapp": 0,
        "data": {"login": True, "st": "8b2f1e", "uid": "7700000001"},
        "ok": 1,
    }
    write(root, "https://m.weibo.cn/api/config", json.dumps(config), JSON_HEADERS)
    write_visitor(root)
    # s.weibo.com sorts by relevance (综合): some newest posts, then older long ones.
    pc_posts = [BY_N[n] for n in (18, 15, 20, 14, 10, 3, 12)]
    for page, chunk in ((1, pc_posts[:4]), (2, pc_posts[4:])):
        write(
            root,
            pc_url(Slice(KEYWORD), page),
            pc_page(chunk, page, 2),
            {"Content-Type": "text/html; charset=utf-8"},
        )


# Invented values in the shape of the real ones (base64-like tid, SUB `_2A...`, SUBP `0033...`).
TID = "4oC3DKmyd0gr1KWx0NsQYHMMaqGSXxrR8UpmiAJZ2Sk="
SUB = "_2AkMQvisitorNCfakeSUBtokenXq9w5nH3mK8pL2rT6vY0zA1bC4dE7fG"
SUBP = "0033WrSXqPxfM72-Ws9jqgMF55529P9D9WhfakeSUBPvisitor5JpX5KMhUgL"


def write_visitor(root: Path) -> None:
    first = {
        "retcode": 20000000,
        "msg": "succ",
        "data": {"tid": TID, "new_tid": True, "confidence": 100},
    }
    write(
        root,
        "https://passport.weibo.com/visitor/genvisitor?cb=gen_callback",
        f"window.gen_callback && gen_callback({json.dumps(first)});",
        {"Content-Type": "application/javascript; charset=utf-8"},
    )
    second = {"retcode": 20000000, "msg": "succ", "data": {"sub": SUB, "subp": SUBP, "tid": TID}}
    write(
        root,
        "https://passport.weibo.com/visitor/genvisitor2",
        f"window.visitor_gray_callback && visitor_gray_callback({json.dumps(second)});",
        {
            "Content-Type": "application/javascript; charset=utf-8",
            "Set-Cookie": [
                f"SUB={SUB}; expires=Sat, 20-Nov-2027 07:48:00 GMT; path=/; domain=.weibo.com; secure; httponly",
                f"SUBP={SUBP}; expires=Sat, 20-Nov-2027 07:48:00 GMT; path=/; domain=.weibo.com; secure",
            ],
        },
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
