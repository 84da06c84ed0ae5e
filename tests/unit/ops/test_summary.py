"""The per-source summary of a crawl: counts, causes in words, exit codes, and a
table that fits a terminal of 80×24.

The stats below are the keys a crawl writes (ops/source_counts.py, the spiders'
errback, guarded.py's back-off counters, the Mongo writer); the sources are the
project's own, as sources.yaml lists them.
"""

from __future__ import annotations

import logging

from rich.console import Console

from yuqing_spiders.model.outcome import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, FATAL_STAT
from yuqing_spiders.ops.crawl_stats import by_source, counts_of, coverage_of
from yuqing_spiders.ops.runtime import OncePerProcess
from yuqing_spiders.ops.summary import (
    apply_pauses,
    cause_in_words,
    outcome_from_stats,
    outcome_table,
)

DISCUZ = ["dajiang_bbs", "tieba_like_board"]


def failed_dns(source: str, host: str, n: int = 1) -> dict:
    return {
        f"yuqing/source/{source}/failed/dns": n,
        f"yuqing/source/{source}/failed_host/dns": host,
    }


def test_causes_read_as_words_with_the_host():
    assert cause_in_words("dns", "www.people.com.cn") == "DNS lookup failed for www.people.com.cn"
    assert cause_in_words("http_503", "bbs.jxnews.com.cn") == "HTTP 503 from bbs.jxnews.com.cn"
    assert cause_in_words("refused", None) == "connection refused by the site"
    assert "pipeline (AttributeError)" in cause_in_words("item_AttributeError", "a.cn")


def test_counts_are_per_source_not_per_spider_or_process():
    """One spider serving two boards, and a second spider: each source gets its own
    pages, items and failures; the process-wide log_count/ERROR is ignored."""
    stats = {
        "discuz": {
            "yuqing/source/dajiang_bbs/pages": 7,
            "yuqing/source/dajiang_bbs/items": 5,
            **failed_dns("tieba_like_board", "tieba.example.cn", 3),
            "log_count/ERROR": 112,
            "mongo/inserted": 5,
        },
        "people": {"yuqing/source/people/pages": 16, "yuqing/source/people/items": 13},
    }
    outcome = outcome_from_stats(stats, {"discuz": DISCUZ, "people": ["people"]})
    assert outcome.sources["dajiang_bbs"].items == 5
    assert outcome.sources["dajiang_bbs"].failed_total == 0
    assert outcome.sources["tieba_like_board"].failed_total == 3
    assert outcome.sources["tieba_like_board"].cause() == "DNS lookup failed for tieba.example.cn"
    assert outcome.sources["people"].failed_total == 0
    assert (outcome.items, outcome.failed, outcome.stored) == (18, 3, 5)
    assert outcome.exit_code() == EXIT_OK  # something was stored


def test_failed_requests_and_nothing_stored_exit_1_with_the_cause():
    stats = {"people": failed_dns("people", "www.people.com.cn", 2)}
    outcome = outcome_from_stats(stats, {"people": ["people"]})
    assert outcome.exit_code() == EXIT_FAILED
    assert outcome.verdict() == (
        "FAILED: nothing stored, 2 requests failed (DNS lookup failed for www.people.com.cn)"
    )


def test_spooled_items_count_as_kept():
    stats = {"people": {**failed_dns("people", "a.cn"), "mongo/spooled_items": 4}}
    assert outcome_from_stats(stats, {}).exit_code() == EXIT_OK


def test_stored_is_what_mongodb_acknowledged_per_source():
    """The writer's `mongo/stored|spooled|refused/<source>` (store/writer.py): a board
    whose item MongoDB refused shows one fewer stored than scraped, and says why;
    the spooled are said apart, never counted as stored."""
    stats = {
        "discuz": {
            "yuqing/source/dajiang_bbs/items": 5,
            "mongo/stored/dajiang_bbs": 4,
            "mongo/refused/dajiang_bbs": 1,
            "yuqing/source/tieba_like_board/items": 3,
            "mongo/spooled/tieba_like_board": 3,
            "mongo/spooled_items": 3,
            "mongo/inserted": 99,  # opinions only, and not per source: not read
        }
    }
    outcome = outcome_from_stats(stats, {"discuz": DISCUZ})
    board, tieba = outcome.sources["dajiang_bbs"], outcome.sources["tieba_like_board"]
    assert (board.items, board.stored, board.refused) == (5, 4, 1)
    assert (tieba.stored, tieba.spooled) == (0, 3)
    assert (outcome.stored, outcome.spooled, outcome.refused) == (4, 3, 1)
    assert board.note() == "1 refused by MongoDB"
    assert tieba.note() == "3 spooled"
    assert outcome.not_stored() == "3 spooled, 1 refused"
    console = Console(width=80, record=True, color_system=None)
    console.print(outcome_table(outcome, title="crawl finished", width=80))
    text = console.export_text()
    header = next(line for line in text.splitlines() if "source" in line)
    assert header.split()[:5] == ["source", "pages", "items", "stored", "failed"]
    row = next(line for line in text.splitlines() if line.split()[:1] == ["dajiang_bbs"])
    assert row.split()[1:5] == ["0", "5", "4", "0"]
    assert max(len(line) for line in text.splitlines()) <= 80


def test_every_item_refused_by_mongodb_is_a_failed_crawl():
    """No request failed, but nothing reached MongoDB: cron must hear of it."""
    stats = {"people": {"yuqing/source/people/items": 3, "mongo/refused/people": 3}}
    outcome = outcome_from_stats(stats, {"people": ["people"]})
    assert outcome.exit_code() == EXIT_FAILED
    assert outcome.verdict() == "FAILED: nothing stored, 0 requests failed (3 refused by MongoDB)"


def test_stats_without_per_source_counts_fall_back_to_the_upserts():
    """`crawl_stats` written by an earlier release hold only `mongo/inserted` & co."""
    stats = {"people": {"mongo/inserted": 2, "mongo/updated": 1, "mongo/unchanged": 1}}
    assert outcome_from_stats(stats, {"people": ["people"]}).stored == 4


def test_crawl_stats_keep_the_counts_per_source():
    """What `crawl_stats` documents carry for the report's health section."""
    stats = {
        "yuqing/source/dajiang_bbs/pages": 6,
        "yuqing/source/dajiang_bbs/items": 4,
        **failed_dns("dajiang_bbs", "bbs.jxnews.com.cn", 3),
        "yuqing/source/dajiang_bbs/failed/item_KeyError": 1,
        "mongo/stored/dajiang_bbs": 3,
        "mongo/refused/dajiang_bbs": 1,
        "mongo/spooled/people": 2,
    }
    assert by_source(stats) == {
        "dajiang_bbs": {
            "pages": 6,
            "items": 4,
            "stored": 3,
            "refused": 1,
            "failed": 4,
            "errors": {"dns": 3, "item_KeyError": 1},
        },
        "people": {"spooled": 2},
    }
    assert counts_of(stats)["stored"] == 3
    assert counts_of(stats)["refused"] == 1


def test_fail_on_is_a_share_of_failed_requests():
    stats = {
        "people": {
            "yuqing/source/people/pages": 8,
            **failed_dns("people", "a.cn", 2),
            "mongo/inserted": 6,
        }
    }
    outcome = outcome_from_stats(stats, {"people": ["people"]})
    assert outcome.failed_share() == 0.2
    assert outcome.exit_code() == EXIT_OK
    assert outcome.exit_code(fail_on=0.2) == EXIT_FAILED
    assert outcome.exit_code(fail_on=0.25) == EXIT_OK
    assert "at or over --fail-on" in outcome.verdict(fail_on=0.1)


def test_a_fatal_stop_and_sigint_win_over_counts():
    stats = {
        "people": {FATAL_STAT: "no disk: items neither stored nor spooled", "mongo/inserted": 3}
    }
    outcome = outcome_from_stats(stats, {})
    assert outcome.exit_code() == EXIT_FAILED
    assert "no disk" in outcome.verdict()
    outcome.interrupted = True
    assert outcome.exit_code() == EXIT_INTERRUPTED
    assert outcome.verdict().startswith("interrupted (SIGINT)")


def test_a_paused_source_shows_its_reason_and_end():
    stats = {
        "toutiao": {"yuqing/backoff/skipped/toutiao": 4, "yuqing/blocked/toutiao/captcha": 1},
        "search_baidu": {"search/cooldown_skipped/baidu": 2},
    }
    outcome = outcome_from_stats(stats, {"toutiao": ["toutiao"], "search_baidu": ["search_baidu"]})
    assert outcome.sources["toutiao"].note() == "paused (captcha)"
    assert outcome.sources["search_baidu"].paused
    apply_pauses(outcome, {"toutiao": ("captcha", 1_800_000_000.0)})
    assert outcome.sources["toutiao"].note() == "paused (captcha) until 08:00 UTC"


def test_the_table_of_every_source_fits_80_by_24():
    """42 sources, 20 of them busy: active ones first, a totals row, the idle folded
    into one caption line; nothing wider than 80 columns, nothing taller than 24."""
    names = [f"source_{i:02d}" for i in range(42)]
    stats = {
        name: {f"yuqing/source/{name}/pages": 10 + i, f"yuqing/source/{name}/items": i}
        for i, name in enumerate(names[:20])
    }
    stats["source_00"].update(failed_dns("source_00", "www.a-very-long-host-name.example.com.cn"))
    outcome = outcome_from_stats(stats | {n: {} for n in names[20:]}, {n: [n] for n in names})
    console = Console(width=80, record=True, color_system=None)
    # As ops/progress.py draws it: the live table cuts notes so that its height holds.
    live = outcome_table(outcome, title="yuqing — live", max_rows=24 - 10, wrap_notes=False)
    console.print(live)
    lines = console.export_text().rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= 80
    assert len(lines) <= 24, "\n".join(lines)
    body = "\n".join(lines)
    assert lines[4].split()[0] == "source_00"  # failing first
    assert "total" in body
    assert "22 idle:" in body
    assert "6 more active:" in body


def test_comment_coverage_is_a_share_of_comments_and_capped():
    """tieba: 10 threads with 22 comments: comment fields are shares of the comments,
    never of the threads (220 % before); no share is above 100 %."""
    stats = {
        "coverage/tieba/items": 10,
        "coverage/tieba/title": 10,
        "coverage/tieba/author": 12,  # a miscount upstream still shows 100 %
        "coverage/tieba/comment/items": 22,
        "coverage/tieba/comment/content": 22,
        "coverage/tieba/comment/author": 11,
    }
    coverage = coverage_of(stats)["tieba"]
    assert coverage["ratio"] == {"title": 1.0, "author": 1.0}
    assert coverage["comment"]["items"] == 22
    assert coverage["comment"]["ratio"] == {"content": 1.0, "author": 0.5}


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_each_warning_is_logged_once_per_process_with_a_count():
    once, handler = OncePerProcess(), Collect()
    handler.addFilter(once)
    log = logging.getLogger("yuqing.test.once")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        for _ in range(168):
            log.warning("alert receiver %s disabled: no SMTP password", "office-mail")
        log.warning("another warning")
        log.error("an error")
        log.error("an error")
        once.report(log)
    finally:
        log.removeHandler(handler)
        log.propagate = True
    messages = handler.messages
    assert messages.count("alert receiver office-mail disabled: no SMTP password") == 1
    assert messages.count("another warning") == 1
    assert messages.count("an error") == 2  # errors always pass
    repeated = [m for m in messages if "repeated 168 times" in m]
    assert len(repeated) == 1
    assert "office-mail" in repeated[0]
