"""Media tiers: which kind of medium a site or a named publisher is.

Two tables ship in yuqing_spiders/data/media (see SOURCE.md there): tiers by web domain,
matched on the longest domain suffix, and tiers by the publisher a page names in its
来源 line (新华社, 江西日报, ...). Names in neither table are tiered by a few rules: a
government body's name is `government`, a county 融媒体中心 is `local`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from yuqing_spiders.model.resources import DATA_DIR as PACKAGE_DATA
from yuqing_spiders.model.resources import read_text

DATA_DIR = PACKAGE_DATA / "media"
TIERS_FILE = DATA_DIR / "media_tiers.csv"
NAMES_FILE = DATA_DIR / "media_names.csv"
PROVINCES_FILE = PACKAGE_DATA / "gazetteer" / "china_provinces.csv"
TIERS = ("central_key", "provincial_key", "local", "government", "commercial", "self_media")

# Longest known name that starts a 来源 value counts ("人民网－人民日报" is 人民网) when
# it has at least this many characters: shorter prefixes name too much.
_MIN_PREFIX = 3
_NAME_NOISE_RE = re.compile(r"[\s\-－—–·•_|｜/:：()（）【】\[\]<>《》\"“”']")
_GOVERNMENT_RE = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|局|厅|委|署|法院|检察院|支队|大队|派出所|街道办事处)$"
)
_LOCAL_MEDIA_RE = re.compile(r"(?:县|区|市)融媒体中心$")


@dataclass(frozen=True)
class MediaEntry:
    name: str
    tier: str
    province: str | None
    basis: str


@dataclass
class MediaTable:
    domains: dict[str, MediaEntry] = field(default_factory=dict)
    names: dict[str, MediaEntry] = field(default_factory=dict)
    # (name prefix, province) for placing government bodies: 江西/南昌/洪城 -> 江西.
    places: list[tuple[str, str]] = field(default_factory=list)

    def by_domain(self, host: str | None) -> MediaEntry | None:
        """The entry of the longest listed suffix of `host`, or None."""
        host = (host or "").lower().strip(".")
        while host:
            if host in self.domains:
                return self.domains[host]
            host = host.partition(".")[2]
        return None

    def by_name(self, name: str | None) -> MediaEntry | None:
        """The entry of a publisher's name: exact, then the longest known prefix, then rules."""
        key = normalise_name(name)
        if not key:
            return None
        if key in self.names:
            return self.names[key]
        prefixes = [n for n in self.names if len(n) >= _MIN_PREFIX and key.startswith(n)]
        if prefixes:
            return self.names[max(prefixes, key=len)]
        return self._by_rule(key)

    def _by_rule(self, key: str) -> MediaEntry | None:
        if _LOCAL_MEDIA_RE.search(key):
            return MediaEntry(key, "local", self.province_of(key), "rule_county_media_centre")
        if _GOVERNMENT_RE.search(key):
            return MediaEntry(key, "government", self.province_of(key), "rule_government_body")
        return None

    def province_of(self, key: str) -> str | None:
        for prefix, province in self.places:
            if key.startswith(prefix):
                return province
        return None


def normalise_name(name: str | None) -> str:
    """'人民网－江西频道' -> '人民网江西频道': width folded, spaces and dashes removed."""
    return _NAME_NOISE_RE.sub("", unicodedata.normalize("NFKC", name or ""))


def load_media_table(
    tiers: str | Path = TIERS_FILE,
    names: str | Path = NAMES_FILE,
    provinces: str | Path | None = PROVINCES_FILE,
) -> MediaTable:
    """Both tables; a row with an unknown tier is a ValueError naming file and row."""
    table = MediaTable()
    for number, row in enumerate(_rows(tiers), start=2):
        entry = _entry(row, tiers, number)
        table.domains.setdefault(row["domain"].strip().lower(), entry)
        for alias in _aliases(row["name"]):
            table.names.setdefault(alias, entry)
    # Explicit publisher names win over a site row's bracketed aliases.
    for number, row in enumerate(_rows(names), start=2):
        table.names[normalise_name(row["name"])] = _entry(row, names, number)
    if provinces is not None:
        table.places = _places(provinces)
    return table


def _rows(path: str | Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_text(path))))


def _entry(row: dict[str, str], path: str | Path, number: int) -> MediaEntry:
    tier = (row.get("tier") or "").strip()
    if tier not in TIERS:
        raise ValueError(f"{path}, row {number}: unknown tier {tier!r} (one of {', '.join(TIERS)})")
    primary = re.split(r"[(（]", row["name"], maxsplit=1)[0].strip()
    return MediaEntry(primary, tier, (row.get("province") or "").strip() or None, row["basis"])


def _aliases(name: str) -> list[str]:
    """'中国江西网(大江网,江西日报社)' -> the three names; '(原法制网)' -> 法制网."""
    found = []
    for part in re.split(r"[(),（）,，:：]", name):
        part = part.strip().removeprefix("原")
        if part and not part.startswith("含") and "/" not in part:
            found.append(normalise_name(part))
    return found


def _places(path: str | Path) -> list[tuple[str, str]]:
    """Province and Jiangxi city names (and short names) with their province."""
    try:
        rows = _rows(path)
    except FileNotFoundError:
        return []
    provinces = {r["code"]: r["name"] for r in rows if r["level"] != "prefecture"}
    places: list[tuple[str, str]] = []
    for row in rows:
        province_code = row["parent_code"] if row["level"] == "prefecture" else row["code"]
        province = _short(provinces.get(province_code, ""))
        for name in [row["name"], *row["short"].split("|")]:
            if len(name) >= 2 and province:
                places.append((name, province))
    return sorted(places, key=lambda p: -len(p[0]))


def _short(province: str) -> str:
    """'江西省' -> '江西', as media_tiers.csv writes provinces."""
    return re.sub(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", province)
