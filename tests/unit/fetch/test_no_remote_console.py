"""No crawl can be remote-controlled (issue 12 item 9).

Scrapy's remote-control extension (an HTTP server running any Python code it is sent,
with a bearer token written to a job file in the user's state directory) and its
telnet console were on in every crawl: code sent to a worker printed the SMTP
password and cookies from its environment. `yuqing run` (overlay local),
`yuqing worker` (distributed) and the tests (test) build their settings with
`project_settings`; in none may either extension load, even when a
`--set ...ENABLED=1` slips in, and job files a crawl of this project left are removed.
"""

from __future__ import annotations

import json

import pytest
from scrapy.extension import ExtensionManager
from scrapy.utils.test import get_crawler

from yuqing_spiders.ops.remote_control import remove_job_files
from yuqing_spiders.ops.runtime import project_settings

CONSOLES = (
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.remote_control.RemoteControl",
)


@pytest.mark.parametrize("overlay", ["local", "distributed", "test"])
def test_consoles_are_off_in_run_and_worker_settings(overlay, monkeypatch):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "settings")  # restored after the test
    settings = project_settings(overlay)
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    for name in CONSOLES:
        assert settings.getdict("EXTENSIONS")[name] is None


def test_no_console_loads_even_when_turned_on(monkeypatch, tmp_path):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "settings")
    settings = project_settings("distributed")
    values = {
        "EXTENSIONS": settings.getdict("EXTENSIONS"),
        "TELNETCONSOLE_ENABLED": True,
        "REMOTE_CONTROL_ENABLED": True,
        "REMOTE_CONTROL_JOBS_DIR": str(tmp_path),
        "BOT_NAME": "yuqing",
    }
    crawler = get_crawler(settings_dict=values)
    crawler._apply_settings()
    manager = ExtensionManager.from_crawler(crawler)
    loaded = {f"{type(e).__module__}.{type(e).__name__}" for e in manager.middlewares}
    assert not loaded & set(CONSOLES)
    assert list(tmp_path.iterdir()) == []  # no job file with a token


def test_job_files_left_by_old_crawls_are_removed(tmp_path):
    ours = tmp_path / "123-abc.json"
    ours.write_text(json.dumps({"project": "yuqing", "port": 1, "token": "secret"}))
    other = tmp_path / "456-def.json"
    other.write_text(json.dumps({"project": "someone_else", "port": 2, "token": "x"}))
    crawler = get_crawler(
        settings_dict={"REMOTE_CONTROL_JOBS_DIR": str(tmp_path), "BOT_NAME": "yuqing"}
    )
    assert remove_job_files(crawler.settings) == 1
    assert not ours.exists()
    assert other.exists()
