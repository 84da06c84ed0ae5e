"""Write the replay fixtures of the video and Q&A platforms (Bilibili, Douyin, Zhihu,
Xiaohongshu, Kuaishou).

Usage: python tests/scripts/make_platform_fixtures.py [FIXTURE_ROOT]

Every video, account, comment and id below is invented (Nanchang stories, some of them
complaints); the shapes are the public facts of docs/platforms.md, section by
platform (tests/fixtures/web/README.md, "Video and Q&A platforms", says which). The
signed URLs are computed as the crawler computes them at the replay clock
(SIGNING_REPLAY_TIME): Bilibili's WBI in pure Python, Douyin's a_bogus and Kuaishou's
__NS_hxfalcon with the stand-in scripts' tokens (tests/helpers/standin_signing.py);
Xiaohongshu's and Zhihu's signatures are headers, not part of a fixture's name.
Re-run after a change; the tests read the written files, never this script. The
platforms' home pages and stand-in scripts are hand-written files beside these.
"""

# JSON is written as the sites send it: long lines.
# ruff: noqa: E501

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import settings as project
from spiders.bilibili import parse as b
from spiders.douyin import parse as d
from spiders.douyin import settings as douyin_settings
from spiders.kuaishou import parse as k
from spiders.xiaohongshu import parse as x
from spiders.zhihu import parse as z
from tests.helpers.standin_signing import douyin_a_bogus, kuaishou_hxfalcon
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.replay.record import fixture_path, sidecar_path

ROOT = (
    Path(sys.argv[1])
    if len(sys.argv) > 1
    else Path(__file__).resolve().parents[1] / "fixtures" / "web"
)
T0 = WTS = project.SIGNING_REPLAY_TIME  # the replay clock: "now" for every platform
IMG = "5a9f3c2e7d1b48a6b0c4e8f21d7a9b3c"  # invented WBI keys
SUB = "e41c7b9d2f0a4c6e8b1d3f5a7c9e0b2d"
KEYS = (IMG, SUB)
UA = douyin_settings.DOUYIN_USER_AGENT


def put(url: str, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
    path = fixture_path(ROOT, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    sidecar = {
        "status": status,
        "headers": {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    }
    sidecar_path(path).write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")


def signed(api: str, params: str) -> str:
    return d.signed_url(api, params, douyin_a_bogus(params, "", UA))


# --- Bilibili -------------------------------------------------------------------------------
def bilibili() -> None:
    put(
        b.NAV_URL,
        {
            "code": -101,
            "message": "账号未登录",
            "ttl": 1,
            "data": {
                "isLogin": False,
                "wbi_img": {
                    "img_url": f"https://i0.hdslb.com/bfs/wbi/{IMG}.png",
                    "sub_url": f"https://i0.hdslb.com/bfs/wbi/{SUB}.png",
                },
            },
        },
    )
    put(
        b.SPI_URL,
        {
            "code": 0,
            "message": "ok",
            "data": {
                "b_3": "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0infoc",
                "b_4": "A1B2C3D4-E5F6-0718-293A-4B5C6D7E8F90-025120110-visitor",
            },
        },
    )

    def res(aid, bvid, title, desc, author, mid, pubdate, play, like, review, fav, dm):
        return {
            "type": "video",
            "id": aid,
            "aid": aid,
            "bvid": bvid,
            "title": title,
            "description": desc,
            "author": author,
            "mid": mid,
            "pubdate": pubdate,
            "senddate": pubdate,
            "play": play,
            "video_review": dm,
            "favorites": fav,
            "review": review,
            "like": like,
            "duration": "2:31",
            "tag": "南昌,社会",
            "typename": "资讯",
        }

    V = [
        (
            1105338877,
            "BV1Nc4y1A7aQ",
            '<em class="keyword">南昌</em>青山湖区一小区地下车库被淹 数十辆车泡水',
            "业主拍摄：暴雨过后小区地下车库积水没过车顶，物业排水泵迟迟未启动。",
            "洪城随手拍",
            352810467,
            T0 - 3 * 3600,
            48213,
            1520,
            236,
            311,
            88,
        ),
        (
            1105339021,
            "BV1Hx4y1T7kP",
            '<em class="keyword">南昌</em>地铁1号线早高峰故障 乘客步行疏散',
            "今早8点左右，南昌地铁1号线八一馆站附近列车故障停运，乘客沿轨道步行疏散。",
            "赣江边的阿杰",
            17736152,
            T0 - 20 * 3600,
            120034,
            "3.1万",
            854,
            902,
            1203,
        ),
        (
            1105339555,
            "BV1Km4y1Q7zR",
            '实拍<em class="keyword">南昌</em>红谷滩夜景 秋水广场音乐喷泉',
            "-",
            "南昌日报",
            493812055,
            T0 - 30 * 3600,
            5021,
            211,
            12,
            40,
            3,
        ),
    ]
    page1 = [res(*v) for v in V[:2]] + [
        {"type": "video", "aid": "bad", "bvid": None, "title": "损坏的记录", "pubdate": "x"}
    ]
    put(
        b.search_url("南昌", 1, KEYS, WTS),
        {
            "code": 0,
            "message": "0",
            "ttl": 1,
            "data": {
                "seid": "1129384756",
                "page": 1,
                "pagesize": 20,
                "numResults": 1000,
                "numPages": 50,
                "result": page1,
            },
        },
    )
    put(
        b.search_url("南昌", 2, KEYS, WTS),
        {
            "code": 0,
            "message": "0",
            "ttl": 1,
            "data": {
                "seid": "1129384756",
                "page": 2,
                "pagesize": 20,
                "numResults": 1000,
                "numPages": 50,
                "result": [
                    res(*V[2]),
                    res(
                        1105320001,
                        "BV1Pq4y1E7wL",
                        '<em class="keyword">南昌</em>老街改造纪实',
                        "一条老街的变化。",
                        "洪城随手拍",
                        352810467,
                        T0 - 80 * 3600,
                        901,
                        33,
                        0,
                        5,
                        0,
                    ),
                ],
            },
        },
    )
    # page 3 must never be asked for: page 2 reaches back past the 48 h window.
    put(
        b.search_url("南昌地铁", 1, KEYS, WTS),
        {
            "code": -352,
            "message": "风控校验失败",
            "ttl": 1,
            "data": {"v_voucher": "voucher_5d1c0e2a-9f3b-4c7d-8e6a-1b2c3d4e5f60"},
        },
    )

    def detail(v, card=True, share=0, coin=0):
        aid, bvid, title, desc, author, mid, pubdate, play, like, review, fav, dm = v
        title = re.sub(r"<[^>]+>", "", title)
        view = {
            "bvid": bvid,
            "aid": aid,
            "videos": 1,
            "tid": 228,
            "tname": "社会",
            "title": title,
            "pubdate": pubdate,
            "ctime": pubdate,
            "desc": desc,
            "duration": 151,
            "owner": {"mid": mid, "name": author, "face": "https://i0.hdslb.com/bfs/face/x.jpg"},
            "stat": {
                "aid": aid,
                "view": play,
                "danmaku": dm,
                "reply": review,
                "favorite": fav,
                "coin": coin,
                "share": share,
                "like": to_count(like),
                "dislike": 0,
            },
        }
        data = {"View": view, "Tags": [{"tag_name": "南昌"}], "Related": []}
        if card:
            data["Card"] = card
        return {"code": 0, "message": "0", "ttl": 1, "data": data}

    card1 = {
        "card": {
            "mid": "352810467",
            "name": "洪城随手拍",
            "fans": 23810,
            "attention": 120,
            "Official": {"role": 0, "title": "", "desc": "", "type": -1},
            "official_verify": {"type": -1, "desc": ""},
        },
        "follower": 23810,
        "archive_count": 312,
    }
    card2 = {
        "card": {
            "mid": "17736152",
            "name": "赣江边的阿杰",
            "fans": 1250000,
            "attention": 301,
            "Official": {"role": 2, "title": "bilibili 知名生活UP主", "desc": "", "type": 0},
            "official_verify": {"type": 0, "desc": "bilibili 知名生活UP主"},
        },
        "follower": 1250000,
        "archive_count": 842,
    }
    card3 = {
        "card": {
            "mid": "493812055",
            "name": "南昌日报",
            "fans": 186000,
            "attention": 12,
            "Official": {"role": 5, "title": "南昌日报官方账号", "desc": "", "type": 1},
            "official_verify": {"type": 1, "desc": "南昌日报官方账号"},
        },
        "follower": 186000,
        "archive_count": 1730,
    }
    put(b.detail_url(V[0][1]), detail(V[0], card1, share=97, coin=45))
    put(b.detail_url(V[1][1]), detail(V[1], card2, share=2210, coin=1893))
    put(b.detail_url(V[2][1]), detail(V[2], None, share=4, coin=2))
    put(
        b.detail_url("BV1Pq4y1E7wL"),
        detail(
            (
                1105320001,
                "BV1Pq4y1E7wL",
                "南昌老街改造纪实",
                "一条老街的变化。",
                "洪城随手拍",
                352810467,
                T0 - 80 * 3600,
                901,
                33,
                0,
                5,
                0,
            ),
            card1,
            share=1,
            coin=0,
        ),
    )
    put(b.card_url("493812055"), {"code": 0, "message": "0", "ttl": 1, "data": card3})

    def reply(rpid, mid, uname, text, ctime, like, rcount, loc=None, parent=0, root=0):
        r = {
            "rpid": rpid,
            "oid": 0,
            "type": 1,
            "mid": mid,
            "root": root,
            "parent": parent,
            "count": rcount,
            "rcount": rcount,
            "ctime": ctime,
            "like": like,
            "member": {
                "mid": str(mid),
                "uname": uname,
                "official_verify": {"type": -1, "desc": ""},
            },
            "content": {"message": text},
            "reply_control": {},
        }
        if loc:
            r["reply_control"]["location"] = loc
        return r

    top = reply(
        241100000001,
        352810467,
        "洪城随手拍",
        "置顶：物业电话一直打不通，已向12345反映。",
        T0 - 2 * 3600,
        320,
        0,
        "IP属地：江西",
    )
    roots = [
        top,
        reply(
            241100000010,
            90001,
            "青山湖住户",
            "我家车也在里面，发动机进水了，谁来赔？",
            T0 - 2 * 3600 + 60,
            188,
            2,
            "IP属地：江西",
        ),
        reply(
            241100000011,
            90002,
            "路过的网友",
            "每年暴雨都这样，排水设施该改了",
            T0 - 2 * 3600 + 120,
            45,
            0,
            "IP属地：广东",
        ),
        {"rpid": "oops", "member": None, "ctime": None},
        reply(
            241100000012,
            90003,
            "老南昌",
            "物业平时收费不低，关键时候掉链子",
            T0 - 2 * 3600 + 300,
            30,
            0,
        ),
    ]
    put(
        b.comments_url(V[0][0], 0, KEYS, WTS),
        {
            "code": 0,
            "message": "0",
            "ttl": 1,
            "data": {
                "cursor": {
                    "is_begin": True,
                    "prev": 0,
                    "next": 0,
                    "is_end": False,
                    "mode": 2,
                    "all_count": 236,
                },
                "replies": roots[1:],
                "top_replies": [top],
            },
        },
    )
    # page 2 is never asked for at the default BILIBILI_COMMENT_PAGES = 1 (next=0, is_end=false).
    put(
        b.replies_url(V[0][0], "241100000010", 1),
        {
            "code": 0,
            "message": "0",
            "ttl": 1,
            "data": {
                "page": {"num": 1, "size": 20, "count": 2},
                "replies": [
                    reply(
                        241100000020,
                        90004,
                        "车主小王",
                        "同问，保险说不赔",
                        T0 - 3600,
                        12,
                        0,
                        "IP属地：江西",
                        parent=241100000010,
                        root=241100000010,
                    ),
                    reply(
                        241100000021,
                        90005,
                        "法律人",
                        "可以找物业协商，保留证据",
                        T0 - 3500,
                        20,
                        0,
                        "IP属地：北京",
                        parent=241100000020,
                        root=241100000010,
                    ),
                ],
            },
        },
    )
    put(
        b.comments_url(V[1][0], 0, KEYS, WTS),
        {
            "code": 0,
            "message": "0",
            "ttl": 1,
            "data": {
                "cursor": {
                    "is_begin": True,
                    "prev": 0,
                    "next": 2,
                    "is_end": True,
                    "mode": 2,
                    "all_count": 1,
                },
                "replies": [
                    reply(
                        241100000100,
                        90006,
                        "通勤人",
                        "今早在车厢里困了半小时",
                        T0 - 19 * 3600,
                        66,
                        0,
                        "IP属地：江西",
                    )
                ],
                "top_replies": [],
            },
        },
    )
    put(
        b.comments_url(V[2][0], 0, KEYS, WTS),
        {
            "code": 0,
            "message": "0",
            "ttl": 1,
            "data": {
                "cursor": {
                    "is_begin": True,
                    "prev": 0,
                    "next": 2,
                    "is_end": True,
                    "mode": 2,
                    "all_count": 0,
                },
                "replies": [],
                "top_replies": None,
            },
        },
    )


# --- Douyin ---------------------------------------------------------------------------------
def douyin() -> None:
    put(
        d.TTWID_URL,
        {"status_code": 0, "status_message": "success"},
        headers={
            "Set-Cookie": "ttwid=1%7CStandInVisitorTtwid0123456789abcdef%7C1764554400%7Cabcdef; Path=/; Domain=bytedance.com; Max-Age=31536000; HttpOnly; Secure"
        },
    )

    A1 = "7443100000000000001"
    A2 = "7443100000000000002"
    A3 = "7443100000000000003"
    A4 = "7443100000000000004"
    A5 = "7443100000000000005"  # the car-park story a Weibo post and 网易 repeat (events test)
    U1 = "MS4wLjABAAAAstandinNanchangLifeA1b2C3d4E5f6G7h8I9j0"
    U2 = "MS4wLjABAAAAstandinJiangxiNewsK1l2M3n4O5p6Q7r8S9t0"

    def aweme(aid, desc, ct, uid, sec, nick, digg, com, share, coll, play, ip, fans):
        return {
            "aweme_id": aid,
            "desc": desc,
            "create_time": ct,
            "author": {"uid": uid, "sec_uid": sec, "nickname": nick, "follower_count": fans},
            "statistics": {
                "aweme_id": aid,
                "digg_count": digg,
                "comment_count": com,
                "share_count": share,
                "collect_count": coll,
                "play_count": play,
            },
            "ip_label": ip,
            "aweme_type": 0,
            "video": {"duration": 31000},
        }

    AW = {
        A1: aweme(
            A1,
            "南昌青山湖区一小区地下车库暴雨后被淹，数十辆车泡在水里，业主说物业排水泵一直没开 #南昌 #暴雨",
            T0 - 4 * 3600,
            "88001",
            U1,
            "南昌生活圈",
            25310,
            1843,
            4120,
            2210,
            0,
            "江西",
            52000,
        ),
        A2: aweme(
            A2,
            "实拍南昌地铁1号线早高峰故障停运，乘客在隧道里步行疏散到八一馆站。",
            T0 - 22 * 3600,
            "88002",
            U2,
            "江西新闻眼",
            98012,
            5630,
            12001,
            3301,
            1520000,
            "江西",
            0,
        ),
        A3: aweme(
            A3,
            "南昌红谷滩秋水广场今晚的音乐喷泉，太美了！#南昌旅游",
            T0 - 40 * 3600,
            "88001",
            U1,
            "南昌生活圈",
            3100,
            0,
            120,
            88,
            88000,
            "江西",
            52000,
        ),
        A4: aweme(
            A4,
            "南昌老城区改造前后对比，还记得以前的样子吗",
            T0 - 70 * 3600,
            "88002",
            U2,
            "江西新闻眼",
            520,
            33,
            12,
            9,
            12000,
            "江西",
            0,
        ),
        A5: aweme(
            A5,
            "连日降雨，红谷滩区九龙湖片区一小区地下车库出现积水，最深处没过车轮，十余辆车不同程度受损。业主表示，车库排水沟设计偏窄，雨水倒灌时排水泵未能及时启动。交房才两年，这已经是第二次进水了。#南昌 #车库积水",
            T0 - 28 * 3600,
            "88001",
            U1,
            "南昌生活圈",
            8800,
            0,
            1500,
            640,
            230000,
            "江西",
            52000,
        ),
    }
    p0 = d.search_params("南昌", 0, 10, "", 7)
    page1 = {
        "status_code": 0,
        "has_more": 1,
        "cursor": 10,
        "extra": {"logid": "20251201100000A1B2C3D4E5F6A7B8C9"},
        "data": [
            {"type": 1, "aweme_info": AW[A1]},
            {"type": 4, "user_list": [{"user_info": {"nickname": "南昌发布"}}]},
            {"type": 1, "aweme_info": AW[A2]},
            {"type": 1, "aweme_info": AW[A5]},
            {"type": 1, "aweme_info": {"aweme_id": "not-a-number", "create_time": None}},
        ],
    }
    put(signed(d.SEARCH_API, p0), page1)
    p1 = d.search_params("南昌", 10, 10, "20251201100000A1B2C3D4E5F6A7B8C9", 7)
    page2 = {
        "status_code": 0,
        "has_more": 1,
        "cursor": 20,
        "extra": {"logid": "20251201100000A1B2C3D4E5F6A7B8C9"},
        "data": [
            {"type": 1, "aweme_info": AW[A3]},
            {"type": 2, "aweme_mix_info": {"mix_items": [AW[A4]]}},
        ],
    }
    put(signed(d.SEARCH_API, p1), page2)
    # page 3 (offset 20) is never asked for: page 2 reaches past the 48 h window.
    wall = {
        "status_code": 0,
        "data": [],
        "has_more": 0,
        "cursor": 0,
        "search_nil_info": {
            "search_nil_type": "verify_check",
            "search_nil_item": "verify_check",
            "is_load_more": "is_load_more",
        },
    }
    put(signed(d.SEARCH_API, d.search_params("南昌地铁", 0, 10, "", 7)), wall)
    for aid, aw in AW.items():
        put(signed(d.DETAIL_API, d.detail_params(aid)), {"status_code": 0, "aweme_detail": aw})
    prof = {
        U1: {
            "nickname": "南昌生活圈",
            "uid": "88001",
            "sec_uid": U1,
            "follower_count": 52000,
            "mplatform_followers_count": 53100,
            "following_count": 120,
            "total_favorited": 1200000,
            "aweme_count": 842,
            "custom_verify": "",
            "enterprise_verify_reason": "",
            "ip_location": "IP属地：江西",
        },
        U2: {
            "nickname": "江西新闻眼",
            "uid": "88002",
            "sec_uid": U2,
            "follower_count": 1830000,
            "mplatform_followers_count": 1830000,
            "following_count": 10,
            "total_favorited": 52000000,
            "aweme_count": 5230,
            "custom_verify": "",
            "enterprise_verify_reason": "江西某传媒有限公司",
            "ip_location": "IP属地：江西",
        },
    }
    for sec, user in prof.items():
        put(signed(d.PROFILE_API, d.profile_params(sec)), {"status_code": 0, "user": user})

    def cm(cid, text, ct, digg, rtotal, ip, nick, uid, reply_id="0", to_reply="0"):
        return {
            "cid": cid,
            "text": text,
            "create_time": ct,
            "digg_count": digg,
            "reply_comment_total": rtotal,
            "reply_id": reply_id,
            "reply_to_reply_id": to_reply,
            "ip_label": ip,
            "aweme_id": A1,
            "user": {"uid": uid, "sec_uid": f"MS4wLjABAAAAcommenter{uid}", "nickname": nick},
        }

    c1 = {
        "status_code": 0,
        "cursor": 20,
        "has_more": 1,
        "total": 1843,
        "comments": [
            cm(
                "7443200000000000101",
                "我家车也泡了，物业到现在没人出来说话",
                T0 - 3 * 3600,
                2301,
                2,
                "江西",
                "青山湖住户",
                "90101",
            ),
            cm(
                "7443200000000000102",
                "每年都淹，排水系统该升级了",
                T0 - 3 * 3600 + 60,
                812,
                0,
                "江西",
                "路人甲",
                "90102",
            ),
            {"cid": None, "text": ["broken"], "create_time": "x"},
            cm(
                "7443200000000000103",
                "已经打了12345，说会转给区里处理",
                T0 - 2 * 3600,
                455,
                0,
                "广东",
                "热心市民",
                "90103",
            ),
        ],
    }
    put(signed(d.COMMENTS_API, d.comments_params(A1, 0)), c1)
    # has_more=1: page 2 (cursor 20) is not asked for at DOUYIN_COMMENT_PAGES = 1.
    r1 = {
        "status_code": 0,
        "cursor": 2,
        "has_more": 0,
        "comments": [
            cm(
                "7443200000000000201",
                "同小区，保险公司说要看物业责任",
                T0 - 2 * 3600,
                40,
                0,
                "江西",
                "车主小李",
                "90104",
                reply_id="7443200000000000101",
            ),
            cm(
                "7443200000000000202",
                "可以一起找律师",
                T0 - 1 * 3600,
                12,
                0,
                "北京",
                "法律人",
                "90105",
                reply_id="7443200000000000101",
                to_reply="7443200000000000201",
            ),
        ],
    }
    put(signed(d.REPLIES_API, d.replies_params(A1, "7443200000000000101", 0)), r1)
    c2 = {
        "status_code": 0,
        "cursor": 1,
        "has_more": 0,
        "total": 5630,
        "comments": [
            cm(
                "7443200000000000301",
                "在车厢里困了四十分钟",
                T0 - 21 * 3600,
                301,
                0,
                "江西",
                "通勤人",
                "90106",
            )
        ],
    }
    put(signed(d.COMMENTS_API, d.comments_params(A2, 0)), c2)
    c4 = {"status_code": 0, "cursor": 0, "has_more": 0, "total": 33, "comments": []}
    put(signed(d.COMMENTS_API, d.comments_params(A4, 0)), c4)


# --- Zhihu ----------------------------------------------------------------------------------
def zhihu() -> None:
    Q, A1, A2, ART, ZV = "682150001", "3301000001", "3301000002", "1950000001", "1880000001"

    def author(aid: str, name: str, token: str) -> dict[str, Any]:
        return {"id": aid, "name": name, "url_token": token, "type": "people"}

    a1: dict[str, Any] = {
        "type": "answer",
        "id": A1,
        "question": {
            "id": Q,
            "name": "如何看待南昌红谷滩区一小区地下车库暴雨后被淹？",
            "type": "question",
        },
        "title": "如何看待<em>南昌</em>红谷滩区一小区地下车库暴雨后被淹？",
        "excerpt": "作为业主说几句，排水泵那天根本没开……",
        "content": "<p>作为业主说几句，排水泵那天根本没开。</p><p>物业的说法是设备故障，但去年也淹过一次。</p>",
        "created_time": T0 - 5 * 3600,
        "updated_time": T0 - 5 * 3600,
        "voteup_count": 1203,
        "comment_count": 88,
        "author": author("c0a1b2", "九龙湖业主", "jiulonghu-yezhu"),
    }
    art: dict[str, Any] = {
        "type": "article",
        "id": ART,
        "title": "<em>南昌</em>地铁1号线早高峰故障复盘",
        "excerpt": "我们梳理了当天的时间线……",
        "content": "<p>我们梳理了当天的时间线。</p><p>8点05分列车停在隧道内，8点40分乘客开始疏散。</p>",
        "created_time": T0 - 20 * 3600,
        "updated_time": T0 - 19 * 3600,
        "voteup_count": 356,
        "comment_count": 12,
        "author": author("d3e4f5", "江西轨道观察", "jx-rail"),
    }
    zv = {
        "type": "zvideo",
        "id": ZV,
        "title": "实拍<em>南昌</em>秋水广场音乐喷泉",
        "excerpt": "",
        "created_at": T0 - 30 * 3600,
        "voteup_count": 77,
        "comment_count": 0,
        "author": author("a9b8c7", "南昌日报", "nanchang-daily"),
    }
    a2: dict[str, Any] = {
        "type": "answer",
        "id": A2,
        "question": {"id": "682140002", "name": "南昌老城区改造效果如何？", "type": "question"},
        "title": "<em>南昌</em>老城区改造效果如何？",
        "excerpt": "住了二十年，说说变化。",
        "content": "<p>住了二十年，说说变化。</p>",
        "created_time": T0 - 70 * 3600,
        "voteup_count": 45,
        "comment_count": 0,
        "author": author("c0a1b2", "九龙湖业主", "jiulonghu-yezhu"),
    }
    page1 = {
        "paging": {"is_end": False, "next": "https://www.zhihu.com/api/v4/search_v3?offset=20"},
        "data": [
            {"type": "search_result", "object": a1},
            {"type": "knowledge_ad", "object": {"type": "ad"}},
            {"type": "search_result", "object": art},
            {"type": "zvideo", "object": zv},
            {"type": "search_result", "object": {"type": "answer", "id": None}},
        ],
    }
    put(z.search_url("南昌", 0, 20, "a_week"), page1)
    page2 = {
        "paging": {"is_end": False, "next": "https://www.zhihu.com/api/v4/search_v3?offset=40"},
        "data": [{"type": "search_result", "object": a2}],
    }
    put(z.search_url("南昌", 20, 20, "a_week"), page2)
    # offset 40 is never asked for: page 2 reaches past the 48 h window.
    put(
        z.search_url("南昌地铁", 0, 20, "a_week"),
        {
            "error": {
                "code": 10003,
                "message": "请求参数异常，请升级客户端后重试",
                "name": "ERR_ZSE_CHECK",
            }
        },
        status=403,
    )
    for obj in (a1, a2):
        detail = {**obj, "title": None, "ip_info": "IP 属地江西"}
        detail["content"] = obj["content"] + "<p>（以上为全文）</p>"
        put(z.detail_url("answer", obj["id"]) or "", detail)
    put(
        z.detail_url("article", ART) or "",
        {
            **art,
            "title": "南昌地铁1号线早高峰故障复盘",
            "ip_info": "IP 属地江西",
            "content": art["content"] + "<p>运营方当天发布了致歉说明。</p>",
        },
    )

    def cm(
        cid: str,
        text: str,
        ct: int,
        likes: int,
        children: int,
        ip: str | None,
        name: str,
        reply: str = "0",
    ) -> dict[str, Any]:
        c: dict[str, Any] = {
            "id": cid,
            "content": f"<p>{text}</p>",
            "created_time": ct,
            "like_count": likes,
            "child_comment_count": children,
            "reply_comment_id": reply,
            "author": {"id": f"u{cid[-3:]}", "name": name},
        }
        c["comment_tag"] = [{"type": "ip_info", "text": f"IP 属地{ip}"}] if ip else []
        return c

    root = z.comments_url("answer", A1)
    put(
        root,
        {
            "paging": {
                "is_end": False,
                "next": z.comments_url("answer", A1, "1795600000_11001003_0"),
            },
            "data": [
                cm("11001001", "同小区，车也泡了", T0 - 4 * 3600, 230, 2, "江西", "业主甲"),
                cm("11001002", "排水设计本身就有问题", T0 - 4 * 3600 + 60, 98, 0, "上海", "路人乙"),
                {"id": "bad", "created_time": None},
                cm("11001003", "已经向区住建局反映", T0 - 3 * 3600, 45, 0, None, "热心丙"),
            ],
        },
    )
    # the next root page is not asked for at ZHIHU_COMMENT_PAGES = 1.
    put(
        z.replies_url("11001001"),
        {
            "paging": {"is_end": True, "next": ""},
            "data": [
                cm(
                    "11002001",
                    "保险怎么说？",
                    T0 - 3 * 3600,
                    5,
                    0,
                    "江西",
                    "车主丁",
                    reply="11001001",
                ),
                cm(
                    "11002002",
                    "要看物业责任",
                    T0 - 2 * 3600,
                    3,
                    0,
                    "北京",
                    "律师戊",
                    reply="11002001",
                ),
            ],
        },
    )
    put(
        z.comments_url("article", ART),
        {
            "paging": {"is_end": True, "next": ""},
            "data": [cm("11003001", "当天我也在车上", T0 - 18 * 3600, 12, 0, "江西", "通勤己")],
        },
    )
    members = {
        "jiulonghu-yezhu": {
            "id": "c0a1b2",
            "url_token": "jiulonghu-yezhu",
            "name": "九龙湖业主",
            "follower_count": 312,
            "is_org": False,
            "badge": [],
            "ip_info": "IP 属地江西",
        },
        "jx-rail": {
            "id": "d3e4f5",
            "url_token": "jx-rail",
            "name": "江西轨道观察",
            "follower_count": 128000,
            "is_org": False,
            "badge": [{"type": "identity", "description": "交通运输行业从业者"}],
            "badge_v2": {"title": "交通运输行业从业者"},
            "ip_info": "IP 属地江西",
        },
        "nanchang-daily": {
            "id": "a9b8c7",
            "url_token": "nanchang-daily",
            "name": "南昌日报",
            "follower_count": 560000,
            "is_org": True,
            "badge": [],
            "ip_info": "IP 属地江西",
        },
    }
    for token, member in members.items():
        put(z.member_url(token), member)


# --- Xiaohongshu -----------------------------------------------------------------------------
def page_with_state(url: str, state: dict[str, Any]) -> None:
    """A page whose data is `window.__INITIAL_STATE__`, written as the site does: a JS
    object with `undefined` values."""
    text = json.dumps(state, ensure_ascii=False).replace('"__undefined__"', "undefined")
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>小红书</title></head>'
        f'<body><div id="app"></div><script>window.__INITIAL_STATE__={text}</script></body></html>'
    )
    path = fixture_path(ROOT, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    sidecar = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
    sidecar_path(path).write_text(json.dumps(sidecar), encoding="utf-8")


def xiaohongshu() -> None:
    N1, N2, N3 = "6745a1b2c3d4e5f601234567", "6745a1b2c3d4e5f601234568", "6745a1b2c3d4e5f601234569"
    U1, U2 = "5f0a1b2c3d4e5f6a7b8c9d01", "5f0a1b2c3d4e5f6a7b8c9d02"
    TOK = {
        N1: "ABstandinTokenN1xx0a1b2c3d4e5f6=",
        N2: "ABstandinTokenN2xx0a1b2c3d4e5f6=",
        N3: "ABstandinTokenN3xx0a1b2c3d4e5f6=",
    }

    def card(nid: str, title: str, uid: str, nick: str, liked: str, verify: int) -> dict[str, Any]:
        return {
            "id": nid,
            "model_type": "note",
            "xsec_token": TOK[nid],
            "note_card": {
                "type": "normal",
                "display_title": title,
                "user": {"user_id": uid, "nickname": nick, "red_official_verify_type": verify},
                "interact_info": {"liked": False, "liked_count": liked},
            },
        }

    search = {
        "code": 0,
        "success": True,
        "msg": "成功",
        "data": {
            "has_more": False,
            "items": [
                card(N1, "南昌九龙湖车库又被淹了！", U1, "九龙湖小林", "3456", 0),
                {
                    "id": "rec_query_1",
                    "model_type": "rec_query",
                    "rec_query": {"queries": [{"name": "南昌暴雨"}]},
                },
                card(N2, "南昌地铁1号线今早停运 记录一下", U2, "南昌通勤记", "12001", 1),
                {"id": "zzz", "model_type": "note", "xsec_token": None},
                card(N3, "南昌秋水广场喷泉攻略", U1, "九龙湖小林", "890", 0),
            ],
        },
    }
    # The replay site serves a POST by its path: this one answer serves every term and
    # page, so it says there is no next page.
    put(x.API + x.SEARCH_URI, search)

    def note(
        nid: str,
        title: str,
        desc: str,
        ms: int,
        uid: str,
        nick: str,
        liked: str,
        coll: str,
        com: str,
        share: str,
        ip: str,
        tags: list[str],
    ) -> dict[str, Any]:
        return {
            "noteId": nid,
            "type": "normal",
            "title": title,
            "desc": desc,
            "time": ms,
            "lastUpdateTime": ms + 60000,
            "ipLocation": ip,
            "user": {"userId": uid, "nickname": nick, "avatar": "__undefined__"},
            "interactInfo": {
                "likedCount": liked,
                "collectedCount": coll,
                "commentCount": com,
                "shareCount": share,
                "followed": "__undefined__",
            },
            "tagList": [{"id": f"t{i}", "name": t, "type": "topic"} for i, t in enumerate(tags)],
            "imageList": [],
            "xsecToken": TOK[nid],
        }

    notes = {
        N1: note(
            N1,
            "南昌九龙湖车库又被淹了！",
            "连着两年了，小区地下车库一下暴雨就进水，物业说排水泵坏了。大家有没有同样情况？#南昌 #车库积水",
            (T0 - 6 * 3600) * 1000,
            U1,
            "九龙湖小林",
            "3456",
            "210",
            "45",
            "12",
            "江西",
            ["南昌", "车库积水"],
        ),
        N2: note(
            N2,
            "南昌地铁1号线今早停运 记录一下",
            "八点多在车厢里等了半小时，最后走隧道出站，工作人员一直在安抚。",
            (T0 - 21 * 3600) * 1000,
            U2,
            "南昌通勤记",
            "1.2万",
            "3001",
            "320",
            "88",
            "江西",
            ["南昌地铁"],
        ),
        N3: note(
            N3,
            "南昌秋水广场喷泉攻略",
            "晚上八点场最好看，建议提前半小时占位。",
            (T0 - 40 * 3600) * 1000,
            U1,
            "九龙湖小林",
            "890",
            "1020",
            "0",
            "30",
            "江西",
            ["南昌旅游"],
        ),
    }
    for nid, n in notes.items():
        page_with_state(
            x.note_url(nid, TOK[nid]),
            {
                "global": {"appSettings": "__undefined__"},
                "note": {
                    "currentNoteId": nid,
                    "noteDetailMap": {nid: {"comments": {"list": []}, "note": n}},
                },
            },
        )
    # The verification page a blocked client gets instead of a note (the ban page).
    wall = fixture_path(
        ROOT, x.note_url("6745a1b2c3d4e5f60123456a", "ABstandinTokenWallxx0a1b2c3d4e5f6=")
    )
    wall.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head><body><div class="verify">请通过验证</div><script src="https://fe-static.xhscdn.com/redcaptcha/captcha.js"></script></body></html>',
        encoding="utf-8",
    )

    def cm(
        cid: str,
        text: str,
        ms: int,
        likes: str,
        subs: str,
        ip: str,
        uid: str,
        nick: str,
        target: str | None = None,
        **more: Any,
    ) -> dict[str, Any]:
        c = {
            "id": cid,
            "note_id": N1,
            "content": text,
            "create_time": ms,
            "ip_location": ip,
            "like_count": likes,
            "sub_comment_count": subs,
            "user_info": {"user_id": uid, "nickname": nick},
            "sub_comments": [],
            **more,
        }
        if target:
            c["target_comment"] = {"id": target, "user_info": {"user_id": "x", "nickname": "y"}}
        return c

    reply1 = cm(
        "67460000000000000000a002",
        "同小区+1，车险说要看物业责任",
        (T0 - 5 * 3600) * 1000,
        "12",
        "0",
        "江西",
        "u3",
        "车主阿强",
        target="67460000000000000000a001",
    )
    put(
        x.API + x.comments_uri(N1, "", TOK[N1]),
        {
            "code": 0,
            "success": True,
            "data": {
                "cursor": "67460000000000000000a003",
                "has_more": False,
                "comments": [
                    cm(
                        "67460000000000000000a001",
                        "物业一直说在修，修了一年",
                        (T0 - 5 * 3600 - 600) * 1000,
                        "88",
                        "3",
                        "江西",
                        "u1",
                        "邻居小王",
                        sub_comments=[reply1],
                        sub_comment_has_more=True,
                        sub_comment_cursor="67460000000000000000a002",
                    ),
                    {"id": "broken", "create_time": "soon"},
                    cm(
                        "67460000000000000000a003",
                        "建议大家一起去12345反映",
                        (T0 - 4 * 3600) * 1000,
                        "30",
                        "0",
                        "广东",
                        "u2",
                        "热心网友",
                    ),
                ],
            },
        },
    )
    put(
        x.API + x.replies_uri(N1, "67460000000000000000a001", "67460000000000000000a002", TOK[N1]),
        {
            "code": 0,
            "success": True,
            "data": {
                "cursor": "67460000000000000000a005",
                "has_more": False,
                "comments": [
                    cm(
                        "67460000000000000000a004",
                        "我家也是，发动机进水",
                        (T0 - 4 * 3600) * 1000,
                        "6",
                        "0",
                        "江西",
                        "u4",
                        "业主小周",
                        target="67460000000000000000a001",
                    ),
                    cm(
                        "67460000000000000000a005",
                        "可以一起找律师",
                        (T0 - 3 * 3600) * 1000,
                        "4",
                        "0",
                        "北京",
                        "u5",
                        "法律人",
                        target="67460000000000000000a004",
                    ),
                ],
            },
        },
    )
    # has_more missing: the crawler stops because the cursor does not move.
    put(
        x.API + x.comments_uri(N2, "", TOK[N2]),
        {
            "code": 0,
            "success": True,
            "data": {
                "cursor": "",
                "comments": [
                    cm(
                        "67460000000000000000b001",
                        "当时我也在车上",
                        (T0 - 20 * 3600) * 1000,
                        "40",
                        "0",
                        "江西",
                        "u6",
                        "通勤人",
                    )
                ],
            },
        },
    )
    profiles = {U1: ("九龙湖小林", "2.3万", "江西"), U2: ("南昌通勤记", "15.6万", "江西")}
    for uid, (nick, fans, ip) in profiles.items():
        page_with_state(
            x.profile_url(uid),
            {
                "user": {
                    "userPageData": {
                        "basicInfo": {
                            "nickname": nick,
                            "redId": f"9{uid[-6:]}",
                            "desc": "__undefined__",
                            "ipLocation": ip,
                        },
                        "interactions": [
                            {"type": "follows", "name": "关注", "count": "120"},
                            {"type": "fans", "name": "粉丝", "count": fans},
                            {"type": "interaction", "name": "获赞与收藏", "count": "50万"},
                        ],
                    }
                }
            },
        )


# --- Kuaishou --------------------------------------------------------------------------------
def kuaishou() -> None:
    A, B = "3xstandinauthora1", "3xstandinauthorb2"

    def feed(
        pid: str,
        caption: str,
        hours: float,
        author: str,
        name: str,
        likes: int,
        views: int,
        comments: int,
    ) -> dict[str, Any]:
        return {
            "type": 1,
            "author": {"id": author, "name": name, "headerUrl": "https://p2.a.yximgs.com/x.jpg"},
            "photo": {
                "id": pid,
                "caption": caption,
                "timestamp": int((T0 - hours * 3600) * 1000),
                "duration": 31000,
                "realLikeCount": likes,
                "likeCount": f"{likes / 10000:.1f}万" if likes >= 10000 else str(likes),
                "viewCount": views,
                "commentCount": comments,
                "collectCount": likes // 10,
            },
        }

    def search(pcursor: str, session: str) -> str:
        body = k.search_body("南昌", pcursor, session)
        return k.search_url(kuaishou_hxfalcon(k.SEARCH_PATH, body))

    put(
        search("", ""),
        {
            "result": 1,
            "pcursor": "1",
            "searchSessionId": "MTRfMjcxNDQ2MDJfMTc5NTY1ODQwMDAwMF8",
            "feeds": [
                feed(
                    "3xstandinphoto001",
                    "南昌九龙湖一小区车库进水，车主们都在抢救车辆 #南昌暴雨",
                    5,
                    A,
                    "南昌身边事",
                    23100,
                    560000,
                    318,
                ),
                feed(
                    "3xstandinphoto002",
                    "南昌地铁1号线早高峰停运，乘客隧道疏散实拍",
                    21,
                    A,
                    "南昌身边事",
                    8800,
                    210000,
                    0,
                ),
                {"type": 1, "author": {"id": A}, "photo": {"id": None, "timestamp": "x"}},
            ],
        },
    )
    put(
        search("1", "MTRfMjcxNDQ2MDJfMTc5NTY1ODQwMDAwMF8"),
        {
            "result": 1,
            "pcursor": "2",
            "searchSessionId": "MTRfMjcxNDQ2MDJfMTc5NTY1ODQwMDAwMF8",
            "feeds": [
                feed(
                    "3xstandinphoto003",
                    "秋水广场音乐喷泉，南昌的夜晚太美了",
                    40,
                    B,
                    "赣鄱旅行家",
                    1200,
                    30000,
                    0,
                ),
                feed(
                    "3xstandinphoto004",
                    "南昌老街改造，还记得以前的样子吗",
                    75,
                    A,
                    "南昌身边事",
                    650,
                    12000,
                    0,
                ),
            ],
        },
    )
    # pcursor "2" is never asked for: page 2 reaches past the 48 h window. The replay
    # site serves a POST by its path, so one answer serves every comment list (only one
    # video has comments), one every reply list and one every profile (the crawler
    # drops a profile about another user).
    put(
        k.COMMENTS_API,
        {
            "result": 1,
            "pcursorV2": "no_more",
            "commentCountV2": 318,
            "rootCommentsV2": [
                {
                    "comment_id": 900100001,
                    "author_id": 50001,
                    "author_name": "九龙湖住户",
                    "content": "我家车也在里面，发动机进水了",
                    "timestamp": int((T0 - 4 * 3600) * 1000),
                    "likeCount": 560,
                    "hasSubComments": True,
                },
                {
                    "comment_id": 900100002,
                    "author_id": 50002,
                    "author_name": "路过的",
                    "content": "排水系统该改了",
                    "timestamp": int((T0 - 4 * 3600 + 60) * 1000),
                    "likeCount": 88,
                    "hasSubComments": False,
                },
                {"comment_id": "oops", "timestamp": None},
            ],
        },
    )
    put(
        k.REPLIES_API,
        {
            "result": 1,
            "pcursorV2": "no_more",
            "subCommentsV2": [
                {
                    "comment_id": 900100101,
                    "author_id": 50003,
                    "author_name": "车主小李",
                    "content": "保险公司怎么说？",
                    "timestamp": int((T0 - 3 * 3600) * 1000),
                    "likeCount": 12,
                    "replyToUserName": "九龙湖住户",
                },
            ],
        },
    )
    put(
        k.GRAPHQL_API,
        {
            "data": {
                "visionProfile": {
                    "result": 1,
                    "hostName": "standin",
                    "userProfile": {
                        "ownerCount": {
                            "fan": "31.2万",
                            "photo": None,
                            "follow": 88,
                            "photo_public": 1203,
                            "__typename": "OwnerCount",
                        },
                        "profile": {
                            "gender": "M",
                            "user_name": "南昌身边事",
                            "user_id": A,
                            "headurl": "https://p2.a.yximgs.com/x.jpg",
                            "user_text": "记录南昌身边的事",
                            "__typename": "Profile",
                        },
                        "__typename": "UserProfile",
                    },
                    "__typename": "VisionProfileResult",
                }
            }
        },
    )


if __name__ == "__main__":
    bilibili()
    douyin()
    zhihu()
    xiaohongshu()
    kuaishou()
