"""Alerts: once per (subject, level), delivered to local receivers, retried, logged."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import time
from collections.abc import Callable, Iterator
from urllib.parse import unquote_plus

import pymongo
import pymongo.errors
import pymongo.monitoring
import pytest
import yaml
from bson import json_util
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.alerts import AlertsPipeline
from tests.helpers.receivers import HttpReceiver, SmtpReceiver
from tests.helpers.stories import story
from yuqing_spiders.model.signals import items_durable
from yuqing_spiders.ops.alerting import (
    ALERTS,
    Alert,
    AlertSpool,
    alert_id,
    raise_alert,
    raise_alerts,
)
from yuqing_spiders.ops.alerting.channels import dingtalk_signed_url
from yuqing_spiders.ops.alerting.config import parse_alerting
from yuqing_spiders.ops.alerting.store import DEFAULT_ORDER
from yuqing_spiders.ops.services import EmbeddedMongo, free_port

PAYLOAD = {
    "title": "南昌一小区地下车库积水 多辆车被淹",
    "url": "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
    "reasons": ["risk:sudden", "key_media:central_key"],
    "routed_to": ["红谷滩区", "区住建局"],
    "media": "人民网江西频道",
    "heat": 31.5,
    "sites": 3,
}
SECRET = "SEC0123456789abcdef-dingtalk-secret"  # noqa: S105  (a test robot's secret)
NO_WAIT = {"attempts": 3, "backoff_seconds": 0.0, "timeout_seconds": 5}


@pytest.fixture
def http() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver()
    yield receiver
    receiver.close()


def config(receivers: list[dict], env: dict[str, str] | None = None):
    return parse_alerting({"retry": NO_WAIT, "receivers": receivers}, env or {})


def test_each_channel_receives_its_payload_shape(
    http: HttpReceiver, smtp: SmtpReceiver, mongo_db: pymongo.database.Database
) -> None:
    env = {
        "HOOK": f"{http.url}/hook",
        "WECOM_KEY": "wk-123456",
        "DT_TOKEN": "dt-abcdef",
        "DT_SECRET": SECRET,
    }
    cfg = config(
        [
            {"name": "hook", "type": "webhook", "url": "${HOOK}"},
            {"name": "wecom", "type": "wecom", "url": f"{http.url}/wecom?key=${{WECOM_KEY}}"},
            {
                "name": "ding",
                "type": "dingtalk",
                "url": f"{http.url}/ding?access_token=${{DT_TOKEN}}",
                "secret": "${DT_SECRET}",
            },
            {
                "name": "mail",
                "type": "email",
                "host": "127.0.0.1",
                "port": smtp.port,
                "sender": "yuqing@nc.example",
                "to": "duty@nc.example,hgt@nc.example",
            },
        ],
        env,
    )
    outcome = raise_alert(mongo_db, "ev:1", "important", PAYLOAD, config=cfg)
    assert (outcome.status, outcome.delivery) == ("raised", "delivered")
    hook, wecom, ding = http.received
    assert hook.path == "/hook"
    assert hook.body["alert"]["payload"]["title"] == PAYLOAD["title"]
    assert hook.body["alert"]["level"] == "important"
    assert wecom.query == {"key": ["wk-123456"]}
    assert wecom.body["msgtype"] == "markdown"
    assert "红谷滩区" in wecom.body["markdown"]["content"]
    assert ding.body["msgtype"] == "markdown"
    assert set(ding.body["markdown"]) == {"title", "text"}
    assert ding.body["markdown"]["title"].startswith("[舆情重要]")
    stamp, sign = ding.query["timestamp"][0], ding.query["sign"][0]
    expected = hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert base64.b64decode(sign) == expected  # parse_qs already unquoted it
    (mail,) = smtp.mailbox.messages
    assert mail["Subject"].startswith("[舆情重要]")
    assert smtp.mailbox.envelopes == [("yuqing@nc.example", ["duty@nc.example", "hgt@nc.example"])]
    assert "属地/部门: 红谷滩区、区住建局" in mail.get_content()
    stored = mongo_db[ALERTS].find_one({"_id": alert_id("ev:1", "important")})
    assert stored["status"] == "delivered"
    assert [(d["channel"], d["ok"]) for d in stored["deliveries"]] == [
        ("hook", True),
        ("wecom", True),
        ("ding", True),
        ("mail", True),
    ]


def test_same_level_is_not_raised_twice_and_a_rise_is(
    http: HttpReceiver, mongo_db: pymongo.database.Database
) -> None:
    cfg = config([{"name": "hook", "type": "webhook", "url": f"{http.url}/hook"}])
    assert raise_alert(mongo_db, "ev:2", "important", PAYLOAD, config=cfg).status == "raised"
    assert raise_alert(mongo_db, "ev:2", "important", PAYLOAD, config=cfg).status == "duplicate"
    assert raise_alert(mongo_db, "ev:2", "general", PAYLOAD, config=cfg).status == "not_higher"
    assert raise_alert(mongo_db, "ev:2", "urgent", PAYLOAD, config=cfg).status == "raised"
    assert [r.body["alert"]["level"] for r in http.received] == ["important", "urgent"]
    assert mongo_db[ALERTS].count_documents({"key": "ev:2"}) == 2


def test_failing_receiver_is_retried_then_logged_failed_without_leaking_secrets(
    http: HttpReceiver, mongo_db: pymongo.database.Database
) -> None:
    http.replies = [(500, {}), (200, {"errcode": 310000, "errmsg": "sign not match"}), (503, {})]
    cfg = config(
        [
            {"name": "ding", "type": "dingtalk", "url": f"{http.url}/ding?access_token=${{TOKEN}}"},
            {"name": "dead", "type": "webhook", "url": "http://127.0.0.1:9/nothing-listens"},
        ],
        {"TOKEN": "tok-very-secret-42"},
    )
    outcome = raise_alert(mongo_db, "ev:3", "important", PAYLOAD, config=cfg)
    assert (outcome.status, outcome.delivery) == ("raised", "failed")
    assert outcome.counts["retries"] == 4
    stored = mongo_db[ALERTS].find_one({"_id": "ev:3@important"})
    assert stored["status"] == "failed"
    attempts = [(d["channel"], d["attempt"], d["ok"], d["status"]) for d in stored["deliveries"]]
    assert attempts[:3] == [
        ("ding", 1, False, 500),
        ("ding", 2, False, 310000),
        ("ding", 3, False, 503),
    ]
    assert [a[:3] for a in attempts[3:]] == [
        ("dead", 1, False),
        ("dead", 2, False),
        ("dead", 3, False),
    ]
    assert "sign not match" in stored["deliveries"][1]["error"]
    assert "tok-very-secret-42" not in str(stored)
    assert len(http.received) == 3


def test_receiver_without_its_environment_is_disabled_and_secrets_are_scrubbed() -> None:
    cfg = config(
        [
            {"name": "wecom", "type": "wecom", "url": "https://qyapi.example/send?key=${NOT_SET}"},
            {
                "name": "hook",
                "type": "webhook",
                "url": "${HOOK}",
                "headers": {"Authorization": "${AUTH:-}"},
            },
        ],
        {"HOOK": "http://127.0.0.1:1/h"},
    )
    assert [r.name for r in cfg.receivers] == ["hook"]
    assert cfg.disabled == ("wecom",)
    assert cfg.receivers[0].headers == {}
    assert (
        cfg.scrub("POST https://x/send?key=abc&x=1 failed")
        == "POST https://x/send?key=***&x=1 failed"
    )


def test_dingtalk_signature_is_the_documented_hmac() -> None:
    url = dingtalk_signed_url(
        "https://oapi.example/robot/send?access_token=t", "s3cret", 1700000000000
    )
    sign = unquote_plus(url.rsplit("sign=", 1)[1])
    digest = hmac.new(b"s3cret", b"1700000000000\ns3cret", hashlib.sha256).digest()
    assert base64.b64decode(sign) == digest
    assert "&timestamp=1700000000000&" in url


# --- batched storage and the alert spool (issue 12 item 4, issue 13) -------------------


class _Commands(pymongo.monitoring.CommandListener):
    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: pymongo.monitoring.CommandStartedEvent) -> None:
        if event.command_name not in ("hello", "isMaster", "ping", "endSessions"):
            self.names.append(event.command_name)

    def succeeded(self, event: object) -> None:
        pass

    def failed(self, event: object) -> None:
        pass


def _alerts(n: int, level: str = "important") -> list[Alert]:
    return [Alert(f"ev:b{i}", level, {**PAYLOAD, "title": f"t{i}"}) for i in range(n)]


def test_a_batch_of_alerts_costs_two_storage_operations(mongo_uri: str, mongo_db_name: str):
    """Issue 13 counted ~4 operations per alert (1,200 for 300 items); a batch of
    alerts nobody receives is one read and one insert, whatever its size."""
    listener = _Commands()
    client: pymongo.MongoClient = pymongo.MongoClient(mongo_uri, event_listeners=[listener])
    db = client[mongo_db_name]
    try:
        outcomes = raise_alerts(db, _alerts(100), config=config([]))
        assert [o.status for o in outcomes] == ["raised"] * 100
        assert listener.names == ["find", "insert"]
        listener.names.clear()
        again = raise_alerts(db, _alerts(100), config=config([]))
        assert {o.status for o in again} == {"duplicate"}
        assert listener.names == ["find"]
        assert db[ALERTS].count_documents({"status": "no_receivers"}) == 100
    finally:
        client.drop_database(mongo_db_name)
        client.close()


def test_within_a_batch_a_lower_level_after_a_higher_one_is_not_news(
    mongo_db: pymongo.database.Database,
):
    batch = [Alert("ev:x", "urgent", PAYLOAD), Alert("ev:x", "important", PAYLOAD)]
    outcomes = raise_alerts(mongo_db, batch, config=config([]))
    assert [o.status for o in outcomes] == ["raised", "not_higher"]


def _unreachable_db() -> pymongo.database.Database:
    port = free_port()  # nothing listens: MongoDB is away
    client: pymongo.MongoClient = pymongo.MongoClient(
        f"mongodb://127.0.0.1:{port}/", serverSelectionTimeoutMS=300
    )
    return client["away"]


def test_alerts_decided_while_mongodb_is_away_are_delivered_once_on_replay(
    http: HttpReceiver, mongo_db: pymongo.database.Database, tmp_path
):
    """Issue 12: 40 alerts were "not stored; not sent" during an outage and never
    raised again. Now they wait on disk and are raised exactly once."""
    cfg = config([{"name": "hook", "type": "webhook", "url": f"{http.url}/hook"}])
    spool = AlertSpool(tmp_path / "alerts")
    outage = raise_alerts(_unreachable_db(), _alerts(40), config=cfg, spool=spool)
    assert {o.status for o in outage} == {"spooled"}
    assert spool.waiting() == 40
    assert http.received == []
    # One of them is raised live after MongoDB returned, before the spool's replay.
    assert raise_alerts(mongo_db, _alerts(1), config=cfg)[0].status == "raised"

    counts = spool.replay(mongo_db, raise_alerts, config=cfg, order=DEFAULT_ORDER)
    assert counts["spool_replayed"] == 40
    assert (counts["raised"], counts["duplicate"]) == (39, 1)
    assert spool.waiting() == 0
    assert spool.replay(mongo_db, raise_alerts, config=cfg, order=DEFAULT_ORDER)["raised"] == 0
    titles = [r.body["alert"]["payload"]["title"] for r in http.received]
    assert sorted(titles) == sorted(f"t{i}" for i in range(40))  # each exactly once
    assert mongo_db[ALERTS].count_documents({"status": "delivered"}) == 40


def test_replay_keeps_the_file_while_mongodb_is_still_away(tmp_path):
    spool = AlertSpool(tmp_path / "alerts")
    raise_alerts(_unreachable_db(), _alerts(3), config=config([]), spool=spool)
    counts = spool.replay(_unreachable_db(), raise_alerts, config=config([]), order=DEFAULT_ORDER)
    assert counts["spool_kept"] == 3
    assert spool.waiting() == 3


def test_an_alert_mongodb_refuses_costs_only_itself_and_is_kept_with_its_error(
    http: HttpReceiver, mongo_db: pymongo.database.Database, tmp_path
):
    """Before, one refused document failed the whole unordered insert: every alert of
    the batch was `store_failed`, retried only if a later item of the same subject came.
    The refusal modelled: a collection validator a DBA set on `alerts` (MongoDB's
    document validation, error 121 "Document failed validation") that knows only two
    of the levels."""
    mongo_db.create_collection(
        ALERTS,
        validator={"$jsonSchema": {"properties": {"level": {"enum": ["general", "important"]}}}},
    )
    cfg = config([{"name": "hook", "type": "webhook", "url": f"{http.url}/hook"}])
    spool = AlertSpool(tmp_path / "alerts")
    batch = [*_alerts(2), Alert("ev:urgent", "urgent", {**PAYLOAD, "title": "t-urgent"})]
    outcomes = raise_alerts(mongo_db, batch, config=cfg, spool=spool)

    assert [o.status for o in outcomes] == ["raised", "raised", "rejected"]
    assert outcomes[2].counts["refused/121"] == 1
    assert sorted(r.body["alert"]["payload"]["title"] for r in http.received) == ["t0", "t1"]
    assert mongo_db[ALERTS].count_documents({}) == 2
    (kept,) = (tmp_path / "alerts" / "rejected").glob("*.json")
    record = json_util.loads(kept.read_text())
    assert record["_id"] == "ev:urgent@urgent"
    assert record["error"]["code"] == 121
    assert record["document"]["payload"]["title"] == "t-urgent"
    assert spool.waiting() == 0  # not retried: it would be refused again


def test_a_batch_mongodb_refuses_waits_in_the_spool_and_is_raised_once_taken(
    http: HttpReceiver, mongo_db: pymongo.database.Database, tmp_path, caplog
):
    """The server answers but refuses the whole batch. Modelled: MONGO_DATABASE set
    to a name over MongoDB's 63-character limit, which the server refuses with
    OperationFailure on the first command (no connection error). Before, the batch
    was `store_failed`; now it is on disk like an outage's, and the replay keeps it
    while the refusal lasts."""
    refusing = mongo_db.client["alerts_" + "x" * 60]
    cfg = config([{"name": "hook", "type": "webhook", "url": f"{http.url}/hook"}])
    spool = AlertSpool(tmp_path / "alerts")
    with caplog.at_level("ERROR"):
        refused = raise_alerts(refusing, _alerts(3), config=cfg, spool=spool)
    assert {o.status for o in refused} == {"spooled"}
    assert spool.waiting() == 3
    assert "refused a batch of 3 alerts (OperationFailure" in caplog.text

    again = spool.replay(refusing, raise_alerts, config=cfg, order=DEFAULT_ORDER)
    assert again["spool_kept"] == 3
    assert spool.waiting() == 3  # kept once, not spooled a second time

    taken = spool.replay(mongo_db, raise_alerts, config=cfg, order=DEFAULT_ORDER)
    assert (taken["spool_replayed"], taken["raised"]) == (3, 3)
    assert spool.waiting() == 0
    assert sorted(r.body["alert"]["payload"]["title"] for r in http.received) == ["t0", "t1", "t2"]


def test_an_alert_stored_just_before_the_outage_is_delivered_by_its_replay(
    http: HttpReceiver, mongo_db: pymongo.database.Database, tmp_path
):
    """The insert reached MongoDB but its answer did not: the batch was spooled. The
    replay finds its own decision stored and undelivered, and delivers it, once."""
    cfg = config([{"name": "hook", "type": "webhook", "url": f"{http.url}/hook"}])
    alert = _alerts(1)[0]
    mongo_db[ALERTS].insert_one(
        {"_id": alert_id(alert.key, alert.level), "key": alert.key, "rank": 1}
        | {"status": "delivering", "decision": alert.decision}
    )
    spool = AlertSpool(tmp_path / "alerts")
    spool.put([alert])
    assert spool.replay(mongo_db, raise_alerts, config=cfg, order=DEFAULT_ORDER)["raised"] == 1
    spool.put([alert])  # a second copy (say, a crash before the file was removed)
    assert spool.replay(mongo_db, raise_alerts, config=cfg, order=DEFAULT_ORDER)["raised"] == 0
    assert len(http.received) == 1


def _wait_until_answers(client: pymongo.MongoClient, deadline: float = 60.0) -> None:
    """Ping through `client` until it reaches its server. A client that saw the server
    away needs a new heartbeat (at most one per 500 ms) before it selects the server
    again: with a 300 ms selection timeout, one operation right after a start fails or
    not by the scheduler's whim. Retried, it succeeds as soon as the server answers."""
    give_up = time.monotonic() + deadline
    while True:
        try:
            client.admin.command("ping")
            return
        except pymongo.errors.ConnectionFailure:  # ServerSelectionTimeoutError among them
            if time.monotonic() > give_up:
                raise


def _stage_settings(
    tmp_path, http: HttpReceiver, retry: dict, **settings: object
) -> dict[str, object]:
    """An alert stage's settings: one webhook receiver at `http` (alerts at important and
    above, `retry` as given), the test's data folder, no timer tick (the tests flush,
    and close_spider replays, themselves), plus `settings`."""
    alerting = tmp_path / "alerting.yaml"
    receivers = [{"name": "duty", "type": "webhook", "url": f"{http.url}/d"}]
    alerting.write_text(
        yaml.safe_dump({"min_level": "important", "retry": retry, "receivers": receivers})
    )
    return {
        "ALERTS_FILE": str(alerting),
        "YUQING_DATA_DIR": str(tmp_path),
        "ALERTS_FLUSH_INTERVAL": 3600,
        **settings,
    }


def _important(count: int) -> list:
    """`count` stories rated important, titled t0, t1, ..."""
    items = [story(str(n), title=f"t{n}") for n in range(count)]
    for item in items:
        item.level, item.level_reasons = "important", ["risk:sudden"]
    return items


def _run_stage(settings: dict[str, object], items: list) -> AlertsPipeline:
    """An alert stage as a crawl runs it: opened, given `items`, closed."""

    async def crawl() -> AlertsPipeline:
        crawler = get_crawler(settings_dict=settings)
        crawler.stats.open_spider()
        stage = build_from_crawler(AlertsPipeline, crawler)
        stage.open_spider()
        for item in items:
            stage.process_item(item)
        await stage.close_spider()
        return stage

    return asyncio.run(crawl())


def test_the_alert_stage_spools_during_an_outage_and_sends_each_once_after(
    tmp_path, http: HttpReceiver, redis_url: str, key_prefix: str, mongo_db_name: str
):
    """The stage as a crawl runs it: items rated important while MongoDB is away, then
    MongoDB starts; every alert reaches the receiver once, and a second crawl of the
    same items (say, after the spool replay) sends nothing more.

    Independent of the machine's load: nothing waits for a fixed time. The outage is a
    port nobody listens on; its short selection timeout is what the outage costs. Every
    other wait ends on a condition, with deadlines that cost nothing when all goes well
    (a receiver answering late must not be retried, so a duplicate is a real one)."""
    port = free_port()
    # No timer tick (_stage_settings): its replay could hold the spool file while
    # close_spider's replay looks for it.
    settings = _stage_settings(
        tmp_path,
        http,
        NO_WAIT | {"timeout_seconds": 60},
        REDIS_URL=redis_url,
        MONGO_URI=f"mongodb://127.0.0.1:{port}/",
        MONGO_DATABASE=mongo_db_name,
        # Each operation during the outage waits this long before it spools.
        MONGO_SERVER_SELECTION_TIMEOUT_MS=300,
        EVENTS_REDIS_PREFIX=key_prefix,
        ALERTS_CLOSE_TIMEOUT=120,
    )
    items = _important(6)

    async def crawl(settings: dict, server_up: Callable[[], None] | None) -> AlertsPipeline:
        crawler = get_crawler(settings_dict=settings)
        crawler.stats.open_spider()
        stage = build_from_crawler(AlertsPipeline, crawler)
        stage.open_spider()
        for item in items:
            stage.process_item(item)
        stage.flush()
        await stage.drain(120)
        stage.harvest()
        if server_up is not None:
            assert crawler.stats.get_value("alerts/spooled") == len(items)
            assert http.received == []
            server_up()
            assert stage.mongo is not None
            _wait_until_answers(stage.mongo)  # MongoDB is back for the stage's own client
        await stage.close_spider()  # replays the spool once more on the way out
        return stage

    with contextlib.ExitStack() as stack:

        def start() -> None:
            stack.enter_context(EmbeddedMongo(tmp_path / "mongo", port=port))

        first = asyncio.run(crawl(settings, start))
        stats = first.stats
        assert stats.get_value("alerts/spool/spool_replayed") == len(items)
        assert stats.get_value("alerts/spool_waiting_at_close") == 0
        # MongoDB is up from the start: a generous timeout costs nothing, and a slow first
        # connection must not turn the duplicates into spooled alerts.
        second = asyncio.run(crawl(settings | {"MONGO_SERVER_SELECTION_TIMEOUT_MS": 60_000}, None))
        assert second.stats.get_value("alerts/duplicate") == len(items)
    titles = sorted(r.body["alert"]["payload"]["title"] for r in http.received)
    assert titles == sorted(f"t{n}" for n in range(6))


def test_the_stage_remembers_a_bounded_number_of_alerts_and_mongodb_dedupes_the_rest(
    tmp_path,
    http: HttpReceiver,
    redis_url: str,
    key_prefix: str,
    mongo_uri: str,
    mongo_db_name: str,
):
    """A worker never closes: what it remembers having submitted must not grow with every
    alerted event. Past ALERTS_REMEMBERED the oldest pair is forgotten; submitted again,
    it costs one storage operation and the stored alert's _id keeps it a duplicate."""
    settings = _stage_settings(
        tmp_path,
        http,
        NO_WAIT,
        REDIS_URL=redis_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        EVENTS_REDIS_PREFIX=key_prefix,
        ALERTS_REMEMBERED=3,
    )
    items = _important(5)
    # The first was forgotten when it comes again, the last not.
    stage = _run_stage(settings, [*items, items[0], items[4]])
    assert list(stage.submitted) == [(i.id, "important") for i in (items[3], items[4], items[0])]
    stats = stage.stats
    assert stats.get_value("alerts/forgotten") == 3
    assert stats.get_value("alerts/submitted") == 6
    assert stats.get_value("alerts/already_submitted") == 1
    assert stats.get_value("alerts/duplicate") == 1  # the forgotten one, stored already
    assert sorted(r.body["alert"]["payload"]["title"] for r in http.received) == [
        f"t{n}" for n in range(5)
    ]


def test_the_stage_writes_alerts_only_after_its_index_job_ended(
    tmp_path,
    http: HttpReceiver,
    redis_url: str,
    key_prefix: str,
    mongo_uri: str,
    mongo_db_name: str,
    monkeypatch: pytest.MonkeyPatch,
):
    """The stage's pool has two threads. The embedded SecantusDB hangs when one
    connection creates a collection's indexes, another inserts into it and a third drops
    its database (reproduced: one run in ~50; a CI run hung in a test's teardown so). So
    a batch waits for the index job, here made slow, before it touches MongoDB."""
    import pipelines.alerts as stage_module

    order: list[str] = []
    real_indexes, real_batch = stage_module.ensure_alert_indexes, stage_module._raise_batch

    def slow_indexes(db):
        time.sleep(0.5)  # long enough for the other thread to take the batch meanwhile
        real_indexes(db)
        order.append("indexes")

    def recorded_batch(*args, **kwargs):
        order.append("batch")
        return real_batch(*args, **kwargs)

    monkeypatch.setattr(stage_module, "ensure_alert_indexes", slow_indexes)
    monkeypatch.setattr(stage_module, "_raise_batch", recorded_batch)
    settings = _stage_settings(
        tmp_path,
        http,
        NO_WAIT,
        REDIS_URL=redis_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        EVENTS_REDIS_PREFIX=key_prefix,
    )
    # close_spider hands the batch to the pool while the index job still runs.
    stage = _run_stage(settings, _important(2))
    assert order == ["indexes", "batch"]
    assert stage.stats.get_value("alerts/raised") == 2


def test_the_alert_stage_holds_acks_until_its_alerts_are_durable_and_reports_lost_ones(
    tmp_path, http: HttpReceiver, redis_url: str, key_prefix: str, mongo_db_name: str
):
    """A durable sink of the leased queue (queue/keeper.py), as the writer is: an item's
    request may be acknowledged only once its alert is stored or spooled. The e2e crash
    test saw it: with MongoDB away and the disk full, the items reached the spool (and
    were acknowledged) while their alerts did not, and one alert was never raised.
    Alerts that can be neither stored nor spooled are reported as lost items are."""
    port = free_port()  # MongoDB is away
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")  # the spool cannot be made under a file: no disk for it
    settings = _stage_settings(
        tmp_path,
        http,
        NO_WAIT,
        REDIS_URL=redis_url,
        MONGO_URI=f"mongodb://127.0.0.1:{port}/",
        MONGO_DATABASE=mongo_db_name,
        MONGO_SERVER_SELECTION_TIMEOUT_MS=300,
        EVENTS_REDIS_PREFIX=key_prefix,
        ALERTS_SPOOL_DIR=str(blocked / "alerts"),
    )
    quiet = story("quiet", title="nothing to alert")
    quiet.level = "general"
    items = [quiet, *_important(3)]
    reported: list[int] = []  # items_durable(lost=...) as the keeper hears it

    async def crawl() -> tuple[AlertsPipeline, list[int]]:
        crawler = get_crawler(settings_dict=settings)
        crawler.stats.open_spider()
        crawler.signals.connect(
            lambda through, lost=0: lost and reported.append(lost),
            signal=items_durable,
            weak=False,
        )
        stage = build_from_crawler(AlertsPipeline, crawler)
        stage.open_spider()
        marks = []
        stage.process_item(quiet)
        marks.append(stage.durable_through)  # no alert waits: durable at once
        for item in items[1:]:
            stage.process_item(item)
        marks.append(stage.durable_through)  # the three alerts wait in the open batch
        stage.flush()
        marks.append(stage.durable_through)  # ... then in the pool
        await stage.drain(60)
        marks.append(stage.durable_through)  # settled: lost, reported
        await stage.close_spider()
        return stage, marks

    stage, marks = asyncio.run(crawl())
    assert stage.accepted == 4
    assert marks == [1, 1, 1, 4]
    assert reported == [3]
    assert stage.stats.get_value("alerts/spool_failed") == 3
    # None of the three was sent; the office hears that storage failed, once.
    titles = [r.body["alert"]["payload"]["title"] for r in http.received]
    assert len(titles) == 1, titles
    assert "neither stored nor spooled" in titles[0]
