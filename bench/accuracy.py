"""Accuracy of the office's judgements on real text written by others (issue 11), with a baseline.

Every figure is measured on the *test* split of real labelled data (the split rule is
`bench/splits.py`: sha1 of the text, mod 10; 9 = test) and printed next to the same
figure for the previous rules, run in this same process:

* baseline: the analysis package as it was at git commit `BASELINE_REF` (before the
  issue-11 work). `git archive` unpacks that commit's `yuqing_spiders/` and `settings/`
  into a temporary directory and the bench imports it from there under the same
  package name, then imports the current code; each keeps its own modules. Change
  the commit with `--baseline-ref`; `--no-baseline` skips it.
* now: the working tree.

Data (read from `--data`, default `../shared/data` beside the checkout; evaluation data
only, never shipped):

* 属地, province and city — texts whose places other people labelled. The gold place of
  a text is what its labelled spans name, read by the bench's own exact-name table of
  `divisions/` (official full names; province and prefecture names without their
  suffix; a county name only when it is unique in the country); a text whose spans name
  no division, or two provinces, is left out. Spans: CLUENER `address`, Weibo NER
  `GPE`, postal addresses `prov` + `city` + `district`. The judgement reads the whole
  text. Province accuracy counts texts with a gold province, city accuracy texts with a
  gold city (a municipality is its own city).
* 属地, county — 商洛 mayor's-mailbox letters answered by a county government office
  (the office names the county); title + letter, source locality 商洛市 (the mailbox is
  the city government's site, as a Nanchang source is local to Nanchang).
* departments — the same letters answered by a city or county bureau (not the office
  that forwards letters); the bureau is mapped to the department it is by
  `AGENCY_DEPARTMENT`; `first` = the top department is that one. `none` = share of all
  test letters that get no department at all.
* sentiment — `sentiment_rows()` from bench/accuracy_sentiment.py (its baseline is
  snownlp, from the `bench` extra; `--no-baseline` or no snownlp prints a dash).
* replay day — with `--replay`, `yuqing run --replay` crawls the fixture sites into a
  temporary data dir and feeds the stored items to a JSON-lines file (`--replay-items`
  reads such a file instead); each version judges every item again from its title,
  text, site and author, as if found on the day the fixtures depict (`--replay-day`).
  Printed: the share of items that are important, and the share of the important ones
  that are about Nanchang and lean negative.

    python bench/accuracy.py [--data ../shared/data] [--split test] [--replay]
                             [--no-sentiment] [--no-baseline]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from io import BytesIO
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import settings as project  # noqa: E402
from bench.accuracy_sentiment import percent, sentiment_rows  # noqa: E402
from bench.splits import split_of  # noqa: E402

BASELINE_REF = "a3c05837284924ef5cbd6b9452c8768cd973b86a"
SPLITS = ("train", "dev", "test")
# The fixtures' "now" (the replay clock of settings/__init__.py, SIGNING_REPLAY_TIME),
# at which a replay crawl counts its items as found.
REPLAY_DAY = datetime.fromtimestamp(project.SIGNING_REPLAY_TIME, UTC).isoformat()
SHANGLUO_COUNTIES = ("商州区", "洛南县", "丹凤县", "商南县", "山阳县", "镇安县", "柞水县")

# Reply agency (a substring of it) -> the department it is; first match wins. Agencies
# not listed (信息办, 信息中心, the government offices, persons) are not bureaus.
AGENCY_DEPARTMENT = (
    ("交警", "公安"),
    ("交通警察", "公安"),
    ("公安", "公安"),
    ("城市管理", "城管"),
    ("城管", "城管"),
    ("交通", "交通"),
    ("教育", "教育"),
    ("物业管理", "住建"),
    ("住房和城乡建设", "住建"),
    ("住建", "住建"),
    ("建设局", "住建"),
    ("公积金", "公积金"),
    ("医疗保障", "医保"),
    ("养老保险", "人社"),
    ("社会保障", "人社"),
    ("人力资源", "人社"),
    ("人社", "人社"),
    ("卫生", "卫健"),
    ("自然资源", "自然资源"),
    ("商务", "商务"),
    ("农业农村", "农业农村"),
    ("发展和改革", "发改"),
    ("物价", "发改"),
    ("水务", "水务"),
    ("环境保护", "生态环境"),
    ("环保", "生态环境"),
    ("生态环境", "生态环境"),
    ("民政", "民政"),
    ("市场监管", "市场监管"),
    ("市场监督", "市场监管"),
    ("林业", "林业"),
    ("体育", "体育"),
    ("扶贫", "乡村振兴"),
    ("搬迁", "乡村振兴"),
    ("税务", "税务"),
    ("残疾人", "残联"),
)


# Offices that answer for the whole government or forward letters: not a bureau.
NOT_BUREAUS = ("政府", "信息办", "信息中心", "政务信息", "公司", "供电", "联合会", "红十字会")


# --- the gold places: an exact-name table of divisions/, independent of the product ----

_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|[\u4e00-\u9fff]{1,6}?族(?:[\u4e00-\u9fff]{1,4}族)*自治州)$")


@dataclass
class GoldTable:
    names: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # -> (province, city)
    full: set[str] = field(default_factory=set)  # official full names among `names`
    counties: dict[str, set[tuple[str, str | None, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, divisions: Path) -> GoldTable:
        table = cls()
        provinces = {r["code"]: r["name"] for r in _csv(divisions / "provinces.csv")}
        for name in provinces.values():
            city = name if name in ("北京市", "天津市", "上海市", "重庆市") else None
            table.full.add(name)
            for form in {name, _PROVINCE_SUFFIX.sub("", name)}:
                table.names[form] = (name, city)
        cities = {}
        for row in _csv(divisions / "cities.csv"):
            province = provinces[row["provinceCode"]]
            real = row["name"] not in (
                "市辖区",
                "县",
                "省直辖县级行政区划",
                "自治区直辖县级行政区划",
            )
            cities[row["code"]] = row["name"] if real else None
            if real:
                table.full.add(row["name"])
                for form in {row["name"], _CITY_SUFFIX.sub("", row["name"])}:
                    if len(form) >= 2:
                        table.names.setdefault(form, (province, row["name"]))
        for row in _csv(divisions / "areas.csv"):
            province = provinces[row["provinceCode"]]
            city = cities.get(row["cityCode"]) or table.names[province][1]
            table.counties.setdefault(row["name"], set()).add((province, city, row["name"]))
        return table

    def place(self, spans: list[str]) -> tuple[str | None, str | None]:
        """(province, city) the spans name; (None, None) when none or conflicting."""
        found: list[tuple[str, str | None]] = []
        for span in spans:
            found += self._scan(span)
        provinces = {p for p, _ in found}
        if len(provinces) != 1:
            return None, None
        cities = {c for _, c in found if c}
        return provinces.pop(), (cities.pop() if len(cities) == 1 else None)

    def _scan(self, span: str) -> list[tuple[str, str | None]]:
        """The chain of division names the span starts with (河北省张家口市崇礼区 ...),
        longest first; it stops at the first piece that is none, at a county name that
        several counties carry (朝阳区), and at a short form followed by more text (北海道
        is not 北海)."""
        found: list[tuple[str, str | None]] = []
        i = 0
        while i < len(span):
            step = self._piece(span, i)
            if step is None:
                break
            end, place = step
            if place is None:
                break
            found.append(place)
            i = end
        return found

    def _piece(self, span: str, i: int) -> tuple[int, tuple[str, str | None] | None] | None:
        for j in range(min(len(span), i + 12), i + 1, -1):
            piece = span[i:j]
            owners = self.counties.get(piece)
            if owners:
                if len(owners) > 1:
                    return j, None  # a county name of several places: no gold from it
                province, city, _ = next(iter(owners))
                return j, (province, city)
            if piece in self.names:
                full = piece in self.full
                if not full and j < len(span) and self._piece(span, j) is None:
                    return None  # a short form inside a longer word (北海道)
                return j, self.names[piece]
        return None


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the real texts ------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceCase:
    source: str
    text: str
    province: str | None
    city: str | None


def _bio_sentences(path: Path, sep: str | None) -> list[list[tuple[str, str]]]:
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(sep) if line.strip() else []
        if len(parts) < 2:
            if current:
                sentences.append(current)
            current = []
            continue
        current.append((parts[0], parts[-1]))
    if current:
        sentences.append(current)
    return sentences


def _bio_spans(sentence: list[tuple[str, str]], wanted: tuple[str, ...]) -> list[str]:
    spans: list[str] = []
    for char, tag in sentence:
        kind = tag[2:] if tag[:2] in ("B-", "I-") else ""
        if kind.startswith(wanted):
            if tag.startswith("B-") or not spans:
                spans.append(char)
            else:
                spans[-1] += char
    return spans


def place_cases(data: Path, table: GoldTable) -> list[PlaceCase]:
    cases = []
    realtext = data / "realtext"
    for name in ("cluener_train.jsonl", "cluener_dev.jsonl"):
        for line in (realtext / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            spans = list((row.get("label") or {}).get("address") or {})
            if spans:
                cases.append(PlaceCase("cluener", row["text"], *table.place(spans)))
    for part in ("train", "dev", "test"):
        for sentence in _bio_sentences(realtext / f"weibo_ner_{part}.bio", "\t"):
            spans = _bio_spans(sentence, ("GPE",))
            if spans:
                text = "".join(c for c, _ in sentence)
                cases.append(PlaceCase("weibo_ner", text, *table.place(spans)))
        for sentence in _bio_sentences(realtext / f"address_parsing_{part}.bio", " "):
            spans = ["".join(_bio_spans(sentence, ("prov", "city", "district")))]
            text = "".join(c for c, _ in sentence)
            cases.append(PlaceCase("address", text, *table.place(spans)))
    return [c for c in cases if c.province]


@dataclass(frozen=True)
class Letter:
    title: str
    text: str
    agency: str
    county: str | None
    department: str | None


def letters(data: Path) -> list[Letter]:
    out = []
    for row in _csv(data / "realtext" / "shangluo_mayor_mailbox.csv"):
        agency = row["reply_agency"].strip()
        county = next((c for c in SHANGLUO_COUNTIES if c in agency), None)
        if county and "政府" not in agency:
            county = None  # a county bureau: its county is real but the office is a bureau
        department = None
        if not any(office in agency for office in NOT_BUREAUS):
            department = next((d for key, d in AGENCY_DEPARTMENT if key in agency), None)
        out.append(Letter(row["title"].strip(), row["query"].strip(), agency, county, department))
    return out


# --- the code under test: the working tree, or a git commit unpacked beside it -------


def _ours(name: str) -> bool:
    return name.split(".")[0] in ("yuqing_spiders", "settings")


@dataclass
class Engine:
    """One version of the analysis code, its modules kept apart from the other's: every
    call runs with them in sys.modules, so an import inside a function (the level
    stage of `analyse_text`) finds its own version too."""

    label: str
    root: Path
    modules: dict[str, ModuleType] = field(default_factory=dict)

    @contextmanager
    def active(self) -> Iterator[None]:
        saved = {k: v for k, v in sys.modules.items() if _ours(k)}
        for key in saved:
            del sys.modules[key]
        sys.modules.update(self.modules)
        sys.path.insert(0, str(self.root))
        try:
            yield
        finally:
            sys.path.remove(str(self.root))
            self.modules.update({k: v for k, v in sys.modules.items() if _ours(k)})
            for key in [k for k in sys.modules if _ours(k)]:
                del sys.modules[key]
            sys.modules.update(saved)

    def module(self, name: str) -> Any:
        with self.active():
            return importlib.import_module(name)

    @cached_property
    def rules(self) -> Any:
        with self.active():
            return self.module("yuqing_spiders.analysis.rules").load_rules()

    def place(self, title: str, text: str, **context: str | None) -> Any:
        rules = self.rules
        with self.active():
            resolve = self.module("yuqing_spiders.analysis.jurisdiction").resolve
            return resolve(rules.gazetteer, rules.jurisdiction, title, text, **context)

    def departments(self, title: str, text: str) -> list[str]:
        rules = self.rules
        with self.active():
            return [f.name for f in rules.departments.judge(title, text)]

    def level(self, item: dict[str, Any], found_at: str) -> tuple[str, dict[str, Any]]:
        """The item judged again by this version, as if found at `found_at`."""
        rules = self.rules
        with self.active():
            analysis = self.module("yuqing_spiders.analysis.text_analysis")
            level = self.module("yuqing_spiders.analysis.level")
            result = analysis.analyse_text(
                item.get("title"),
                item.get("content"),
                rules=rules,
                url=item.get("url"),
                ip_location=(item.get("author") or {}).get("ip_location"),
            )
            for key in ("media", "platform", "watch", "front_page", "published_at"):
                result[key] = item.get(key)
            result["author"] = {**(item.get("author") or {}), **result.get("author", {})}
            result["first_seen_at"] = result["crawled_at"] = found_at
            heat = level.LevelContext(heat=item.get("heat"))
            return level.classify(result, heat)[0], result


def _import_engine(label: str, root: Path) -> Engine:
    engine = Engine(label, root)
    engine.module("yuqing_spiders.analysis.text_analysis")
    return engine


def baseline_engine(ref: str, workdir: Path) -> Engine:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "yuqing_spiders", "settings"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(workdir, filter="data")
    return _import_engine(f"baseline {ref[:7]}", workdir)


# --- figures -----------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    goal: str
    values: dict[str, float] = field(default_factory=dict)
    n: int = 0


def _share(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


def place_figures(engine: Engine, cases: list[PlaceCase]) -> dict[str, tuple[float, int]]:
    province = city = with_city = 0
    for case in cases:
        found = engine.place("", case.text)
        province += found.province == case.province
        if case.city:
            with_city += 1
            city += found.city == case.city
    return {
        "province": (_share(province, len(cases)), len(cases)),
        "city": (_share(city, with_city), with_city),
    }


def letter_figures(engine: Engine, cases: list[Letter]) -> dict[str, tuple[float, int]]:
    county = [c for c in cases if c.county]
    county_hits = 0
    for case in county:
        found = engine.place(case.title, case.text, source_locality="陕西省商洛市")
        county_hits += found.district == case.county
    bureau = [c for c in cases if c.department]
    first = none = 0
    for case in cases:
        named = engine.departments(case.title, case.text)
        none += not named
        if case.department:
            first += bool(named) and named[0] == case.department
    return {
        "county": (_share(county_hits, len(county)), len(county)),
        "department_first": (_share(first, len(bureau)), len(bureau)),
        "no_department": (_share(none, len(cases)), len(cases)),
    }


def replay_items() -> list[dict[str, Any]]:
    """The items of one `yuqing run --replay` crawl of the fixture sites, as stored."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "items.jsonl"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("YUQING_", "SCRAPY_"))}
        env.pop("REDIS_URL", None)
        env.pop("MONGO_URI", None)
        env["PYTHONPATH"] = str(REPO)
        feeds = json.dumps({feed.as_uri(): {"format": "jsonlines", "encoding": "utf8"}})
        command = [sys.executable, "-m", "yuqing_spiders.cli", "run", "--replay"]
        command += ["--no-progress", "--data-dir", str(Path(tmp) / "data"), "-S", f"FEEDS={feeds}"]
        subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True, timeout=1800)
        rows = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("title") and r.get("level")]  # items, not comments


def _local_negative(result: dict[str, Any]) -> bool:
    city = (result.get("jurisdiction") or {}).get("city")
    return city == "南昌市" and (result.get("sentiment") or {}).get("label") == "negative"


def replay_rows(
    engines: list[Engine], day: str, saved: Path | None = None
) -> list[tuple[str, dict[str, tuple[float, int]]]]:
    """Per engine: share of the replay day's items that are important, and share of the
    important ones about Nanchang and negative. The fixture sites depict one day: every
    item is judged as if found at `REPLAY_DAY`, the replay clock the crawl itself uses
    (of the items with a date, 87 of 139 are of 2026-11-24 and -25), so the fixtures'
    age does not make all of them old news, while the old articles among them stay old."""
    if saved is not None:
        rows = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
        items = [r for r in rows if r.get("title") and r.get("level")]
    else:
        items = replay_items()
    out = []
    for engine in engines:
        judged = [engine.level(item, day) for item in items]
        important = [r for lv, r in judged if lv != "general"]
        local = [r for r in important if _local_negative(r)]
        out.append(
            (
                engine.label,
                {
                    "replay important share": (_share(len(important), len(items)), len(items)),
                    "replay important: Nanchang+negative": (
                        _share(len(local), len(important)),
                        len(important),
                    ),
                },
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--split", default="test", choices=SPLITS)
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--replay", action="store_true", help="also crawl the replay day")
    parser.add_argument(
        "--replay-items", type=Path, help="the replay day's items from an earlier crawl (JSONL)"
    )
    parser.add_argument("--replay-day", default=REPLAY_DAY, help="when the replay items are found")
    parser.add_argument("--no-sentiment", action="store_true", help="skip the sentiment rows")
    args = parser.parse_args()

    table = GoldTable.load(args.data / "divisions")
    places = [c for c in place_cases(args.data, table) if split_of(c.text) == args.split]
    mail = [c for c in letters(args.data) if split_of(c.title + c.text) == args.split]

    engines = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_baseline:
            engines.append(baseline_engine(args.baseline_ref, Path(tmp)))
        engines.append(_import_engine("now", REPO))
        rows: dict[str, dict[str, tuple[float, int]]] = {}
        for engine in engines:
            by_source: dict[str, dict[str, tuple[float, int]]] = {}
            by_source["all"] = place_figures(engine, places)
            for source in sorted({c.source for c in places}):
                subset = [c for c in places if c.source == source]
                by_source[source] = place_figures(engine, subset)
            flat = {
                f"属地 {k} ({src})": v for src, fig in by_source.items() for k, v in fig.items()
            }
            flat.update({f"mailbox {k}": v for k, v in letter_figures(engine, mail).items()})
            rows[engine.label] = flat
        if args.replay or args.replay_items:
            for label, figures in replay_rows(engines, args.replay_day, args.replay_items):
                rows[label].update(figures)

    goals = {
        "属地 province (all)": "≥ 95 %",
        "属地 city (all)": "≥ 90 %",
        "mailbox county": "≥ 85 %",
        "mailbox department_first": "≥ 75 %",
        "mailbox no_department": "≤ 10 %",
        "replay important: Nanchang+negative": "all",
    }
    labels = [e.label for e in engines]
    print(f"split: {args.split}; data: real texts labelled by others")
    print(f"{'figure':<34} {'goal':>8} " + " ".join(f"{lab:>18}" for lab in labels) + "      n")
    for name in rows[labels[-1]]:
        values = " ".join(f"{rows[lab][name][0] * 100:>17.1f}%" for lab in labels)
        print(f"{name:<34} {goals.get(name, ''):>8} {values} {rows[labels[-1]][name][1]:>6}")
    baseline = not args.no_baseline
    sentiment = [] if args.no_sentiment else sentiment_rows(args.data, baseline=baseline)
    for name, goal, before, now, n in sentiment:
        # Sentiment's baseline is snownlp, printed in the baseline's column.
        columns = [percent(before, 17)] if baseline else []
        print(f"{name:<34} {goal:>8} {' '.join([*columns, percent(now, 17)])} {n:>6}")
    agencies = Counter(c.department for c in mail if c.department)
    print("bureau letters by department:", dict(agencies.most_common()))


if __name__ == "__main__":
    main()
