# ruff: noqa: E501, E731  (fixture pages: markup and text stay one line each, as sent)
"""Write the replay fixtures of 大江论坛 (Discuz), 领导留言板, 问政江西 and 南昌 12345 (tests/fixtures/web).

Hand-written pages and answers, kept as data so that every view of one invented post
agrees and names that depend on code (Sogou link k/h, query encodings) stay right.
The facts modelled are in tests/fixtures/web/README.md. Running it (re)writes them:

    python tests/scripts/make_board_fixtures.py
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

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


# --- 大江论坛 (Discuz!, GBK) ------------------------------------------------------
G = {"status": 200, "headers": {"Content-Type": "text/html; charset=gbk"}}
BASE = "https://bbs.jxnews.com.cn/"


def head(title):
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>{title} -  大江论坛 -  Powered by Discuz!</title>
<meta name="generator" content="Discuz! X3.4" />
<meta name="author" content="Discuz! Team and Comsenz UI Team" />
<script type="text/javascript">var STYLEID = '1', STATICURL = 'static/', IMGDIR = 'static/image/common', VERHASH = 'Ykt', charset = 'gbk', discuz_uid = '0', cookiepre = 'jxnewsbbs_b3c3_', cookiedomain = '', cookiepath = '/';</script>
</head>
<body id="nv_forum" class="pg_forumdisplay">
<div id="hd"><div class="wp"><div class="hdc cl"><h2><a href="./" title="大江论坛"><img src="static/image/common/logo.png" alt="大江论坛" /></a></h2></div></div></div>
"""


def row(tid, title, author, uid, posted_html, replies, views, last_by, last_html, sticky=False):
    kind = "stickthread" if sticky else "normalthread"
    return f"""<tbody id="{kind}_{tid}">
<tr>
<td class="icn"><a href="thread-{tid}-1-1.html" title="有新回复 - 新窗口打开" target="_blank"><img src="static/image/common/folder_new.gif" /></a></td>
<th class="new">
<a href="thread-{tid}-1-1.html" onclick="atarget(this)" class="s xst">{title}</a>
</th>
<td class="by">
<cite><a href="space-uid-{uid}.html" c="1">{author}</a></cite>
<em>{posted_html}</em>
</td>
<td class="num"><a href="thread-{tid}-1-1.html" class="xi2">{replies}</a><em>{views}</em></td>
<td class="by">
<cite><a href="space-username-x.html" c="1">{last_by}</a></cite>
<em><a href="forum.php?mod=redirect&amp;tid={tid}&amp;goto=lastpost#lastpost">{last_html}</a></em>
</td>
</tr>
</tbody>
"""


def board(fid, name, rows, page, nxt):
    pg = (
        f'<div class="pg"><strong>{page}</strong><a href="forum-{fid}-{page + 1}.html" class="nxt">下一页</a></div>'
        if nxt
        else f'<div class="pg"><strong>{page}</strong></div>'
    )
    return (
        head(name)
        + f"""<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">大江论坛</a> <em>&raquo;</em> <a href="forum.php">论坛</a> <em>&raquo;</em> <a href="forum-{fid}-1.html">{name}</a></div></div>
<div class="wp"><div class="boardnav"><div id="ct" class="wp cl">
<div class="bm bml pbn"><div class="bm_h cl"><h1 class="xs2"><a href="forum-{fid}-1.html">{name}</a> <span class="xs1 xw0 i">今日: <strong class="xi1">37</strong></span></h1></div></div>
<div id="threadlist" class="tl bm bmw"><div class="bm_c"><form method="post" autocomplete="off" name="moderate" id="moderate" action="forum.php?mod=topicadmin&amp;action=moderate&amp;fid={fid}&amp;infloat=yes&amp;nopost=yes">
<table summary="forum_{fid}" cellspacing="0" cellpadding="0" id="threadlisttableid">
{"".join(rows)}
</table></form></div></div>
<div class="bm bw0 pgs cl"><span id="fd_page_bottom">{pg}</span></div>
</div></div></div></body></html>
"""
    )


# fid 258 百姓呼声, fid 74 南昌生活: board names and ids are modelled (Dj_spider used these fids).
put(
    BASE + "forum-258-1.html",
    board(
        258,
        "百姓呼声",
        [
            row(
                4100001,
                "【版规】百姓呼声版发帖须知（2026年修订）",
                "版主小江",
                100001,
                "<span>2026-1-5</span>",
                0,
                45210,
                "版主小江",
                "2026-1-5 09:00",
                sticky=True,
            ),
            row(
                4123401,
                "新建区长堎镇某小区楼下KTV噪音扰民半年无人管",
                "长堎居民",
                882211,
                '<span title="2026-11-25 22:41">昨天&nbsp;22:41</span>',
                4,
                1568,
                "夜猫子",
                '<span title="2026-11-26 08:12">半小时前</span>',
            ),
            row(
                4123402,
                "西湖区桃花镇菜市场周边污水横流，路过都要踮脚",
                "桃花街坊",
                882212,
                "<span>2026-11-24</span>",
                2,
                733,
                "桃花街坊",
                "2026-11-25 19:30",
            ),
            row(
                4123403,
                "举报：南昌县某驾校乱收费，考试不过还要加钱",
                "学车难",
                882213,
                "<span>2026-11-24</span>",
                9,
                2041,
                "学车难",
                "2026-11-25 10:02",
            ),
        ],
        1,
        True,
    ).encode("gbk"),
    G,
)
put(
    BASE + "forum-258-2.html",
    board(
        258,
        "百姓呼声",
        [
            row(
                4123404,
                "红谷滩区九龙湖片区公交线路太少，上班要转三趟车",
                "九龙湖打工人",
                882214,
                "<span>2026-11-23</span>",
                1,
                402,
                "公交迷",
                "2026-11-23 21:15",
            ),
        ],
        2,
        False,
    ).encode("gbk"),
    G,
)
put(
    BASE + "forum-74-1.html",
    board(
        74,
        "南昌生活",
        [
            row(
                4123405,
                "周末八一广场有非遗市集，带娃去逛了一圈",
                "洪都妈妈",
                882215,
                "<span>2026-11-23</span>",
                1,
                310,
                "小豫章",
                "2026-11-24 09:40",
            ),
        ],
        1,
        False,
    ).encode("gbk"),
    G,
)


def post(pid, floor_label, author, uid, when_html, body_html):
    return f"""<div id="post_{pid}">
<table id="pid{pid}" class="plhin" summary="pid{pid}" cellspacing="0" cellpadding="0">
<tr>
<td class="pls" rowspan="2"><div id="favatar{pid}" class="pls favatar"><div class="pi"><div class="authi"><a href="space-uid-{uid}.html" target="_blank" class="xw1">{author}</a></div></div></div></td>
<td class="plc"><div class="pi"><strong><a href="forum.php?mod=redirect&amp;goto=findpost&amp;ptid=0&amp;pid={pid}" id="postnum{pid}" onclick="setCopy(this.href, '帖子地址复制成功');return false;">{floor_label}</a></strong>
<div class="pti"><div class="pdbt"></div><div class="authi"><img class="authicn vm" id="authicon{pid}" src="static/image/common/online_member.gif" /><em id="authorposton{pid}">{when_html}</em><span class="pipe">|</span><a href="forum.php?mod=viewthread&amp;tid=0&amp;page=1&amp;authorid={uid}" rel="nofollow">只看该作者</a></div></div></div>
<div class="pct"><div class="pcb"><div class="t_fsz"><table cellspacing="0" cellpadding="0"><tr><td class="t_f" id="postmessage_{pid}">
{body_html}</td></tr></table></div></div></div>
</td></tr></table></div>
"""


def thread(tid, title, fid, board_name, views, replies, posts, page, nxt):
    pg = (
        f'<div class="pg"><strong>{page}</strong><a href="thread-{tid}-{page + 1}-1.html" class="nxt">下一页</a></div>'
        if nxt
        else (
            f'<div class="pg"><a href="thread-{tid}-1-1.html">1</a><strong>{page}</strong></div>'
            if page > 1
            else ""
        )
    )
    return (
        head(title)
        + f"""<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">大江论坛</a> <em>&raquo;</em> <a href="forum.php">论坛</a> <em>&raquo;</em> <a href="forum-{fid}-1.html">{board_name}</a> <em>&rsaquo;</em> <a href="thread-{tid}-1-1.html">{title}</a></div></div>
<div id="ct" class="wp cl"><div id="pgt" class="pgs mbm cl ">{pg}</div>
<div id="postlist" class="pl bm">
<table cellspacing="0" cellpadding="0"><tr><td class="pls ptn pbn"><div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">{views}</span><span class="pipe">|</span><span class="xg1">回复:</span> <span class="xi1">{replies}</span></div></td>
<td class="plc ptm pbn vwthd"><h1 class="ts"><span id="thread_subject">{title}</span></h1></td></tr></table>
{"".join(posts)}
<div id="postlistreply" class="pl"><div id="post_new" class="viewthread_table" style="display: none"></div></div>
</div></div></body></html>
"""
    )


T = "4123401"
put(
    BASE + f"thread-{T}-1-1.html",
    thread(
        T,
        "新建区长堎镇某小区楼下KTV噪音扰民半年无人管",
        258,
        "百姓呼声",
        1568,
        4,
        [
            post(
                9876501,
                "楼主",
                "长堎居民",
                882211,
                '发表于 <span title="2026-11-25 22:41:07">昨天&nbsp;22:41</span>',
                "小区是长堎大道边上的，楼下商铺开了一家KTV，每天晚上唱到凌晨两三点。<br />\r\n打过110，来了就关小一点，走了又照旧。<br />\r\n家里老人孩子根本睡不着，希望新建区相关部门管一管！",
            ),
            post(
                9876502,
                "沙发",
                "同小区的",
                882301,
                "发表于 2026-11-25 23:05:12",
                '<div class="quote"><blockquote>打过110，来了就关小一点，走了又照旧。</blockquote></div>同一个小区的，确实吵，窗户关上都能听到低音炮',
            ),
            post(
                9876503,
                "板凳",
                "热心网友",
                882302,
                "发表于 2026-11-26 07:30:45",
                "可以打12345，或者找新建区生态环境局，噪声扰民归他们管",
            ),
        ],
        1,
        True,
    ).encode("gbk"),
    G,
)
put(
    BASE + f"thread-{T}-2-1.html",
    thread(
        T,
        "新建区长堎镇某小区楼下KTV噪音扰民半年无人管",
        258,
        "百姓呼声",
        1568,
        4,
        [
            post(
                9876504,
                "地板",
                "长堎居民",
                882211,
                "发表于 2026-11-26 07:52:18",
                "谢谢，已经打了12345，给了工单号，等回复",
            ),
            post(
                9876505,
                "5<sup>#</sup>",
                "夜猫子",
                882303,
                '发表于 <span title="2026-11-26 08:12:40">半小时前</span>',
                '顶上去，让更多人看到<br />\r\n<i class="pstatus"> 本帖最后由 夜猫子 于 2026-11-26 08:13 编辑 </i>',
            ),
        ],
        2,
        False,
    ).encode("gbk"),
    G,
)
T2 = "4123402"
put(
    BASE + f"thread-{T2}-1-1.html",
    thread(
        T2,
        "西湖区桃花镇菜市场周边污水横流，路过都要踮脚",
        258,
        "百姓呼声",
        733,
        2,
        [
            post(
                9876601,
                "楼主",
                "桃花街坊",
                882212,
                "发表于 2026-11-24 18:20:33",
                "桃花镇菜市场后面那条巷子，下水道堵了快一个月，污水一直往路上冒，臭得不行。<br />\r\n附近还有幼儿园，希望西湖区城管和市场监管部门过来看看。",
            ),
            post(
                9876602,
                "沙发",
                "路人甲",
                882401,
                "发表于 2026-11-24 20:02:10",
                "那边确实脏，下雨天更严重",
            ),
            post(
                9876603,
                "板凳",
                "桃花街坊",
                882212,
                "发表于 2026-11-25 19:30:55",
                "今天看到有人来疏通了，不知道能管多久",
            ),
        ],
        1,
        False,
    ).encode("gbk"),
    G,
)
put(
    BASE + "thread-4123403-1-1.html",
    (
        head("提示信息")
        + """<div id="ct" class="wp cl w"><div class="nfl"><div class="f_c altw"><div id="messagetext" class="alert_error">
<p>抱歉，本帖要求阅读权限高于 10 才能浏览</p>
<script type="text/javascript">if(history.length > (BROWSER.ie ? 0 : 1)) {} </script>
<p class="alert_btnleft"><a href="javascript:history.back()">[ 点击这里返回上一页 ]</a></p>
</div></div></div></div></body></html>
"""
    ).encode("gbk"),
    G,
)
T4 = "4123404"
put(
    BASE + f"thread-{T4}-1-1.html",
    thread(
        T4,
        "红谷滩区九龙湖片区公交线路太少，上班要转三趟车",
        258,
        "百姓呼声",
        402,
        1,
        [
            post(
                9876701,
                "楼主",
                "九龙湖打工人",
                882214,
                "发表于 2026-11-23 08:45:02",
                "住在九龙湖，去老城区上班要先坐到地铁站再转两趟公交，单程一个半小时。<br />\r\n建议公交公司增开直达线路，或者加密现有班次。",
            ),
            post(
                9876702,
                "沙发",
                "公交迷",
                882501,
                "发表于 2026-11-23 21:15:40",
                "听说明年有新线路规划，等等看吧",
            ),
        ],
        1,
        False,
    ).encode("gbk"),
    G,
)
T5 = "4123405"
put(
    BASE + f"thread-{T5}-1-1.html",
    thread(
        T5,
        "周末八一广场有非遗市集，带娃去逛了一圈",
        74,
        "南昌生活",
        310,
        1,
        [
            post(
                9876801,
                "楼主",
                "洪都妈妈",
                882215,
                "发表于 2026-11-23 16:10:00",
                "周末八一广场有非遗市集，有瓷板画、剪纸、米粉现场制作，孩子玩得很开心。<br />\r\n人有点多，建议早点去。",
            ),
            post(
                9876802,
                "沙发",
                "小豫章",
                882601,
                "发表于 2026-11-24 09:40:12",
                "下周还有吗？想带家里老人去看看",
            ),
        ],
        1,
        False,
    ).encode("gbk"),
    G,
)

# --- 人民网领导留言板 -----------------------------------------------------------------
J = {"status": 200, "headers": {"Content-Type": "application/json;charset=UTF-8"}}
H = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
B = "https://liuyan.people.com.cn"


def dump(x):
    return json.dumps(x, ensure_ascii=False)


HOME = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>领导留言板--人民网</title>
<script>window.SITE_CONFIG = {"appCode":"PC42ce3bfa4980a9","siteName":"领导留言板","apiHost":"https://liuyan.people.com.cn","imgHost":"https://liuyan.people.com.cn/upload"};</script>
<link href="/static/css/app.6c1f2e3a.css" rel="stylesheet"></head>
<body><noscript><strong>请开启浏览器的JavaScript功能</strong></noscript><div id="app"></div>
<script src="/static/js/chunk-vendors.8d2f1b7c.js"></script><script src="/static/js/app.4e9a0c1d.js"></script></body></html>
"""
put(B + "/", HOME, H)

forums = {
    "result": "success",
    "resultCode": "200",
    "resultMsg": "成功",
    "resultData": [
        {"fid": 536, "name": "湖北省", "children": [{"fid": 5361, "name": "武汉市"}]},
        {
            "fid": 539,
            "name": "江西省",
            "children": [
                {"fid": 5391, "name": "南昌市"},
                {"fid": 5392, "name": "九江市"},
                {"fid": 5393, "name": "赣州市"},
            ],
        },
        {"fid": 541, "name": "湖南省", "children": [{"fid": 5411, "name": "长沙市"}]},
    ],
}
put(B + "/v1/forum/getTopForums", dump(forums), J)


def row(tid, fid, forum, typ, domain, nick, subject, content, when, state, check=None):
    return {
        "tid": tid,
        "fid": fid,
        "forumName": forum,
        "typeId": {"咨询": 1, "建议": 2, "投诉": 3, "求助": 4}[typ],
        "typeName": typ,
        "domainId": 3,
        "domainName": domain,
        "nickName": nick,
        "subject": subject,
        "content": content,
        "dateline": epoch(when),
        "stateInfo": state,
        "threadsCheckTime": epoch(check) if check else None,
        "from": " 江西省 南昌市",
    }


R1 = row(
    21876543,
    5391,
    "南昌市委书记",
    "投诉",
    "城建",
    "凤凰洲业主2023",
    "红谷滩区凤凰洲某小区开发商延期交房两年，业主维权无门",
    "尊敬的领导：我们是红谷滩区凤凰洲某小区的业主，合同约定2024年10月交房，至今已延期两年，工地基本停工。业主多次到区住建局、街道反映，一直没有明确答复。每月还要还房贷，又要在外租房，压力很大，恳请领导关注，督促开发商尽快复工交房。",
    "2026-11-10 21:36",
    "已办理",
    "2026-11-11 09:02",
)
R2 = row(
    21876544,
    5391,
    "南昌市市长",
    "建议",
    "交通",
    "地铁通勤族",
    "建议南昌地铁2号线延长末班车时间",
    "市长您好：2号线末班车目前22点多就结束了，红谷滩很多加班的上班族回家只能打车。建议周五、周六和节假日前一天延长末班车到23点30分。",
    "2026-11-20 08:15",
    "办理中",
    "2026-11-20 15:40",
)
R3 = row(
    21876545,
    5391,
    "南昌市委书记",
    "投诉",
    "交通",
    "洪都大道住户",
    "青云谱区洪都中大道某路段夜间渣土车超速，噪音大还危险",
    "每天晚上11点以后，洪都中大道靠近施工工地的路段渣土车一辆接一辆，车速很快，还经常闯红灯。附近居民晚上睡不好，孩子上学过马路也不安全，希望交警和城管部门加强夜间管理。",
    "2026-11-24 23:48",
    "待回复",
)
lst = {
    "result": "success",
    "resultCode": "200",
    "resultMsg": "成功",
    "resultData": {"data": [R3, R2, R1], "lastItem": "21876543", "totalCount": 3},
}
put(B + "/v1/threads/list/df", dump(lst), J)

S4 = {
    "tid": 21876546,
    "subject": "东湖区某工地夜间施工噪音扰民，凌晨还在打桩",
    "content": "东湖区贤士湖附近一处工地，最近一周每天凌晨一两点还在打桩，附近几个小区的居民都被吵醒……",
    "forumName": "南昌市委书记",
    "typeName": "投诉",
    "domainName": "环保",
    "stateInfo": "待回复",
    "createDateline": epoch("2026-11-25 07:12"),
    "nickName": "贤士湖居民",
}
S5 = {
    "tid": 21876547,
    "subject": "长沙市岳麓区某工地噪音扰民",
    "content": "岳麓区一处工地夜间施工噪音很大……",
    "forumName": "长沙市委书记",
    "typeName": "投诉",
    "domainName": "环保",
    "stateInfo": "办理中",
    "createDateline": epoch("2026-11-24 22:05"),
    "nickName": "岳麓居民",
}
S1 = {
    k: R1[k]
    for k in ("tid", "subject", "content", "forumName", "typeName", "domainName", "stateInfo")
} | {"createDateline": R1["dateline"], "nickName": R1["nickName"]}
search = {"code": "200", "msg": "成功", "data": {"data": [S4, S5, S1], "total": 3}}
put(B + "/v2/threads/search?sortType=0", dump(search), J)

detail = {
    "result": "success",
    "resultCode": "200",
    "resultMsg": "成功",
    "resultData": {
        "tid": 21876543,
        "fid": 5391,
        "forumName": "南昌市委书记",
        "subject": R1["subject"],
        "typeName": "投诉",
        "domainName": "城建",
        "stateInfo": "已办理",
        "tags": ["延期交房", "房地产"],
        "contentList": [
            {
                "dataType": 1,
                "content": R1["content"],
                "dateline": R1["dateline"],
                "nickName": R1["nickName"],
                "stateInfo": "已办理",
            },
            {
                "dataType": 4,
                "content": "您好！您的留言已收悉，我局已转交红谷滩区住房和城乡建设局调查处理，请耐心等待。",
                "dateline": epoch("2026-11-12 10:20"),
                "organization": "南昌市住房和城乡建设局",
            },
            {
                "dataType": 4,
                "content": "网友您好！经核查，该项目因开发企业资金链紧张导致停工。区政府已成立工作专班，协调金融机构落实续建资金，项目已于11月18日复工，预计2027年6月底前交付。我局将督促企业按月公示施工进度，并依法处理逾期交房违约金问题。如有疑问，请致电0791-83886000。感谢您对我们工作的关注！",
                "dateline": epoch("2026-11-21 16:45"),
                "organization": "南昌市红谷滩区住房和城乡建设局",
            },
        ],
    },
}
put(B + "/v1/threads/content", dump(detail), J)

# --- 问政江西 ---------------------------------------------------------------------
H = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
B = "https://wenz.jxnews.com.cn"


def page(mid, month, title, author, when, typ, target, state, paragraphs, reply=None):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    rep = ""
    if reply:
        org, rwhen, rtext = reply
        rep = f"""<div class="view_reply"><div class="reply_title">官方回复</div>
<div class="reply_info"><span>回复单位：{org}</span><span>回复时间：{rwhen}</span></div>
<div class="reply_content">{"".join(f"<p>{p}</p>" for p in rtext)}</div></div>"""
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_问政江西_大江网</title>
<meta name="keywords" content="问政江西,{target}"></head>
<body><div class="header"><a href="https://wenz.jxnews.com.cn/" class="logo">问政江西</a><span class="slogan">网上群众工作部</span></div>
<div class="position">当前位置：<a href="https://wenz.jxnews.com.cn/">问政江西</a> &gt; 留言详情</div>
<div class="view_box">
<div class="view_title"><h1>{title}</h1></div>
<div class="view_info"><span>留言人：{author}</span><span>留言时间：{when}</span><span>类型：{typ}</span><span>问政对象：{target}</span><span class="status">状态：{state}</span><span>编号：{mid}</span></div>
<div class="view_content">{body}</div>
{rep}
</div>
<div class="footer">大江网（中国江西网）版权所有 赣ICP备05002020号</div></body></html>
"""
    put(f"{B}/ms/viewpage/{month}/view_{mid}.html", html, H)


HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>问政江西_大江网</title></head>
<body><div class="header"><a href="https://wenz.jxnews.com.cn/" class="logo">问政江西</a></div>
<div class="search"><form action="/ms/index.php/Home/Search/index" method="get"><input name="keyword"></form></div>
<div class="notice">网上群众工作部 — 您的留言我们将及时转交相关部门办理</div></body></html>
"""
put(B + "/", HOME, H)
page(
    481699,
    "202610",
    "南昌市东湖区彭家桥街道某小区电梯频繁故障",
    "彭家桥居民",
    "2026-10-30 09:15",
    "投诉",
    "南昌市东湖区人民政府",
    "已回复",
    [
        "我们小区3栋的电梯这个月已经坏了四次，上周还有老人被困了半个多小时。物业说在等配件，一直拖着。",
        "希望有关部门督促物业尽快彻底维修，保障居民安全。",
    ],
    (
        "南昌市东湖区市场监督管理局",
        "2026-11-03 15:20",
        [
            "网友您好！接到留言后，我局立即组织特种设备安全监察人员到现场检查，责令维保单位更换故障部件，目前电梯已恢复正常运行。",
            "感谢您的监督！",
        ],
    ),
)
put(
    f"{B}/ms/viewpage/202610/view_481700.html",
    None,
    {"status": 404, "headers": {"Content-Type": "text/html"}},
)
page(
    481700,
    "202611",
    "青山湖区京东大道夜间大货车噪音扰民",
    "京东大道住户",
    "2026-11-02 23:10",
    "投诉",
    "南昌市青山湖区人民政府",
    "处理中",
    [
        "京东大道沿线每天晚上大货车很多，鸣笛声、刹车声不断，严重影响休息。",
        "请求在居民区路段设置限速和禁鸣标志。",
    ],
    (
        "南昌市公安局交通管理局青山湖分局",
        "2026-11-06 10:05",
        ["您好，您反映的问题已收悉，我分局正在会同相关部门研究设置禁鸣标志事宜，请耐心等待。"],
    ),
)
page(
    481701,
    "202611",
    "建议在红谷滩区九龙湖增设一所公办幼儿园",
    "九龙湖家长",
    "2026-11-18 20:40",
    "建议",
    "南昌市红谷滩区教育体育局",
    "待回复",
    [
        "九龙湖片区这几年新建小区很多，但公办幼儿园只有一所，报名摇号很难摇上。",
        "建议教育部门统筹规划，增设公办园学位。",
    ],
)
GONE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示_问政江西</title></head>
<body><div class="msg_box"><p>该信息不存在或未通过审核！</p><a href="https://wenz.jxnews.com.cn/">返回首页</a></div></body></html>
"""
put(f"{B}/ms/viewpage/202611/view_481702.html", GONE, H)
page(
    481703,
    "202611",
    "南昌县向塘镇自来水发黄有异味",
    "向塘镇居民",
    "2026-11-24 07:55",
    "投诉",
    "南昌县人民政府",
    "已办结",
    [
        "最近一周向塘镇街上的自来水放出来都是黄的，还有一股怪味，不敢直接喝。",
        "请相关部门检测水质并说明原因。",
    ],
    (
        "南昌县水务局",
        "2026-11-25 17:30",
        [
            "经查，系向塘镇主管网改造施工后冲洗不彻底所致。我局已督促供水企业对管网进行冲洗消毒，11月25日水质检测各项指标均符合国家标准。给您带来不便，敬请谅解。"
        ],
    ),
)
for mid in (481704, 481705, 481706):
    for month in ("202611", "202612"):
        put(
            f"{B}/ms/viewpage/{month}/view_{mid}.html",
            None,
            {"status": 404, "headers": {"Content-Type": "text/html"}},
        )

# --- 南昌 12345 (gov_board) -----------------------------------------------------
H = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}}
B = "https://www.nc.gov.cn/ncszf/szrx/"


def listing(rows, nxt):
    items = "\n".join(
        f"""<li><span class="rx-no">{no}</span><a class="rx-title" href="./202611/t{d}_{mid}.shtml" target="_blank" title="{t}">{t}</a><span class="rx-type">{typ}</span><span class="rx-state">{st}</span><span class="rx-date">{date}</span></li>"""
        for no, d, mid, t, typ, st, date in rows
    )
    page = (
        f'<a class="next" href="{nxt}">下一页</a>'
        if nxt
        else '<a class="next" href="javascript:void(0)">下一页</a>'
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>市长热线_南昌市人民政府</title>
<meta name="SiteName" content="南昌市人民政府"><meta name="ColumnName" content="12345市长热线"></head>
<body><div class="header"><img src="/images/logo.png" alt="南昌市人民政府"></div>
<div class="location">您当前的位置：<a href="/">首页</a> &gt; <a href="/ncszf/hdjl/">互动交流</a> &gt; 12345市长热线</div>
<div class="rx-box"><div class="rx-head"><span>编号</span><span>标题</span><span>类型</span><span>状态</span><span>日期</span></div>
<ul class="rx-list">
{items}
</ul>
<div class="page">{page}</div></div>
<div class="footer">主办：南昌市人民政府办公室 赣ICP备05001234号</div></body></html>
"""


put(
    B,
    listing(
        [
            (
                "NC20261124001",
                "20261124",
                "6131001",
                "红谷滩区沙井街道某小区消防通道被占用",
                "投诉",
                "已办结",
                "2026-11-24",
            ),
            (
                "NC20261123017",
                "20261123",
                "6131002",
                "咨询南昌市新生儿医保办理流程",
                "咨询",
                "办理中",
                "2026-11-23",
            ),
        ],
        "index_1.shtml",
    ),
    H,
)
put(
    B + "index_1.shtml",
    listing(
        [
            (
                "NC20261120045",
                "20261120",
                "6131003",
                "西湖区朝阳中路共享单车乱停放严重",
                "投诉",
                "待办理",
                "2026-11-20",
            ),
        ],
        None,
    ),
    H,
)


def message(mid, d, title, who, when, typ, unit, state, paragraphs, reply=None):
    rep = ""
    if reply:
        org, rwhen, rtext = reply
        rep = f"""<div class="hf-box"><h3>答复意见</h3><div class="hf-info"><span>答复单位：{org}</span><span>答复时间：{rwhen}</span></div>
<div class="hf-content">{"".join(f"<p>{p}</p>" for p in rtext)}</div></div>"""
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_12345市长热线_南昌市人民政府</title>
<meta name="ArticleTitle" content="{title}"></head>
<body><div class="location">您当前的位置：<a href="/">首页</a> &gt; <a href="/ncszf/szrx/">12345市长热线</a> &gt; 来信详情</div>
<div class="xj-box"><h1 class="xj-title">{title}</h1>
<div class="xj-info"><span>来信人：{who}</span><span>来信时间：{when}</span><span>来信类型：{typ}</span><span>受理单位：{unit}</span><span>办理状态：{state}</span></div>
<div class="xj-content">{"".join(f"<p>{p}</p>" for p in paragraphs)}</div>
{rep}</div>
<div class="share">分享到：<a href="javascript:void(0)">微信</a></div>
<div class="footer">主办：南昌市人民政府办公室</div></body></html>
"""
    put(f"{B}202611/t{d}_{mid}.shtml", html, H)


message(
    "6131001",
    "20261124",
    "红谷滩区沙井街道某小区消防通道被占用",
    "王**",
    "2026-11-24 09:32",
    "投诉",
    "红谷滩区人民政府",
    "已办结",
    [
        "我们小区消防通道长期被私家车占用，晚上尤其严重，消防车根本进不来。物业管过几次没有效果。",
        "万一发生火灾后果不堪设想，请相关部门处理。",
    ],
    (
        "红谷滩区沙井街道办事处",
        "2026-11-25 16:10",
        [
            "您好！接件后，街道会同消防救援站、小区物业开展联合整治，对占用消防通道车辆进行劝离并张贴告知书，已在通道两端加装隔离桩。",
            "下一步将建立常态化巡查机制。感谢您的来信！",
        ],
    ),
)
message(
    "6131002",
    "20261123",
    "咨询南昌市新生儿医保办理流程",
    "李**",
    "2026-11-23 14:05",
    "咨询",
    "南昌市医疗保障局",
    "办理中",
    ["孩子刚出生两周，想问一下新生儿医保在哪里办理，需要带什么材料，可以网上办吗？"],
)
message(
    "6131003",
    "20261120",
    "西湖区朝阳中路共享单车乱停放严重",
    "张**",
    "2026-11-20 18:47",
    "投诉",
    "西湖区人民政府",
    "待办理",
    [
        "朝阳中路地铁口附近共享单车堆满了人行道，行人只能走机动车道，很危险。",
        "希望督促运营企业及时清理。",
    ],
)
