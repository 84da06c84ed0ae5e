"""`scrapyd-deploy` to a real scrapyd on 127.0.0.1, then a job scheduled through its API.

scrapyd runs in a virtualenv that sees this project's dependencies but NOT the project
itself (no editable install), so the crawl can only work from the deployed egg: its
packages, its data files (settings/sources.yaml read from inside the zip) and its
`scrapy` settings entry point. The job crawls the replay site into MongoDB.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
import zipfile
from configparser import ConfigParser
from pathlib import Path

import pytest

from tests.helpers.cli import people_article_ids
from tests.helpers.paths import FIXTURES_WEB, REPO
from yuqing_spiders.ops.services import free_port
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md")
PACKAGES = ("yuqing_spiders", "spiders", "pipelines", "middlewares", "settings")


def copy_project(target: Path, scrapyd_url: str) -> Path:
    """What a release checkout holds, with the deploy target pointed at our scrapyd.
    A copy, so the egg build (build/, *.egg-info) never touches the working tree."""
    target.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(REPO / package, target / package, ignore=ignore)
    config = ConfigParser()
    config.read(target / "scrapy.cfg")
    config["deploy"]["url"] = scrapyd_url
    with (target / "scrapy.cfg").open("w") as handle:
        config.write(handle)
    return target


def isolated_python(target: Path) -> Path:
    """A virtualenv whose site-packages are this one's by a .pth line: dependencies
    import, but the project's editable-install hook (itself a .pth) is not run."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True)
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site,) = Path(target).glob("lib/python*/site-packages")
    (site / "yuqing-deps.pth").write_text("\n".join(sorted(paths)) + "\n")
    return target / "bin" / "python"


def api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(base + path, data=body, timeout=10) as response:
        return json.load(response)


def wait_for(check, what: str, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def answers(base: str) -> bool:
    try:
        return api(base, "daemonstatus.json")["status"] == "ok"
    except OSError:
        return False


@pytest.fixture
def scrapyd(tmp_path):
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
        "poll_interval = 0.5\n"
        "max_proc = 1\n"
    )
    python = isolated_python(tmp_path / "venv")
    # HOME here: no ~/.scrapyd.conf of the machine overrides the test's file.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "YUQING_EGG_CACHE": str(home / "unpacked"),
    }
    with (home / "scrapyd.out").open("w") as out:
        proc = subprocess.Popen(
            [str(python), "-m", "scrapyd"], cwd=home, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: answers(base) or proc.poll() is not None, "scrapyd to start", 60)
        assert proc.poll() is None, (home / "scrapyd.out").read_text()[-2000:]
        yield base, home
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_deploy_to_scrapyd_and_crawl_through_its_api(scrapyd, tmp_path, mongo_uri, mongo_db):
    base, home = scrapyd
    project = copy_project(tmp_path / "project", base)
    deploy = subprocess.run(
        [str(Path(sys.executable).parent / "scrapyd-deploy"), "-v", "r1"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert deploy.returncode == 0, deploy.stderr[-3000:] + deploy.stdout[-2000:]
    assert json.loads(deploy.stdout)["status"] == "ok"

    (egg,) = (home / "eggs" / "yuqing").glob("r1*.egg")
    names = set(zipfile.ZipFile(egg).namelist())
    assert {
        "settings/sources.yaml",
        "spiders/people/spider.py",
        "pipelines/mongo_writer.py",
    } <= names
    assert not any(n.startswith("tests/") for n in names)
    assert "people" in api(base, "listspiders.json?project=yuqing")["spiders"]

    with ReplayServer(FIXTURES_WEB) as site:
        job = api(
            base,
            "schedule.json",
            [
                ("project", "yuqing"),
                ("spider", "people"),
                ("setting", f"YUQING_REPLAY_URL={site.url}"),
                ("setting", f"MONGO_URI={mongo_uri}"),
                ("setting", f"MONGO_DATABASE={mongo_db.name}"),
                ("setting", f"YUQING_DATA_DIR={tmp_path / 'data'}"),
            ],
        )
        assert job["status"] == "ok", job

        def finished() -> bool:
            jobs = api(base, "listjobs.json?project=yuqing")
            return any(j["id"] == job["jobid"] for j in jobs["finished"])

        wait_for(finished, "the scrapyd job to finish")

    (log,) = (home / "logs" / "yuqing" / "people").glob(f"{job['jobid']}.log")
    text = log.read_text()
    assert "Spider closed (finished)" in text, text[-3000:]
    expected = {f"people:{i}" for i in people_article_ids()}
    assert {d["_id"] for d in mongo_db.opinions.find({}, {"_id": 1})} == expected
    runs = list(mongo_db.crawl_stats.find({"final": True}))
    assert [r["counts"]["items"] for r in runs] == [len(expected)]
    # The job ran from the egg, unpacked (settings/_egg.py), not from this checkout.
    (unpacked,) = (home / "unpacked").glob("r1-*")
    assert (unpacked / "settings" / "sources.yaml").is_file()
