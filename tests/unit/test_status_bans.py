"""`yuqing status`'s ban counts per source, from the ban middleware's stats.

The stats are the middleware's documented names (`ban/<platform>/<verdict>`,
`ban/<platform>/retried`, `ban/<platform>/gave_up`); sources are the project's."""

from __future__ import annotations

from typing import Any

from settings import YUQING_SOURCES_FILE
from yuqing_spiders.model.sources import load_sources
from yuqing_spiders.ops.status import ban_counts


def test_ban_counts_go_to_the_spiders_source_of_that_platform() -> None:
    sources = load_sources(YUQING_SOURCES_FILE)
    stats: dict[str, dict[str, Any]] = {
        "bilibili": {"ban/bilibili/captcha": 4, "ban/bilibili/retried": 3, "other": 9},
        "zhihu": {"ban/zhihu/ban": 1, "ban/zhihu/gave_up": 1, "finish_reason": "finished"},
        "weibo": {"ban/sina_passport/login": 2},  # a platform no source of it is named
    }
    assert ban_counts(stats, sources) == {
        "bilibili": {"captcha": 4, "retried": 3},
        "zhihu": {"ban": 1, "gave_up": 1},
        "sina_passport": {"login": 2},
    }
