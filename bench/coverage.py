"""Field coverage per source over every fixture page a source's parser reads.

Every saved article page of the replay site (tests/fixtures/web) and of the generic
pages (tests/fixtures/generic) goes through the registry as `yuqing extract` reads it:
the source's parser, then the generic extractor for each field it missed. Prints, per
source, how many pages had each field (title, time, source, author, body) and how many
of those the generic extractor filled; last, the totals.

    python bench/coverage.py [--site-parser-only]

`--site-parser-only` switches the generic fallback off, to see what the site parsers
alone cover.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from spiders._base import registry  # noqa: E402
from tests.helpers.fixtures import GENERIC_ROOT, WEB_ROOT, fixture_urls  # noqa: E402
from yuqing_spiders.extract import fallback  # noqa: E402
from yuqing_spiders.model.items import OpinionItem  # noqa: E402
from yuqing_spiders.replay.record import fixture_path  # noqa: E402

FIELDS = {
    "title": "title",
    "time": "published_at",
    "source": "media.name",
    "author": "author.name",
    "body": "content",
}


def _value(item: OpinionItem, dotted: str) -> object:
    value: object = item
    for part in dotted.split("."):
        value = getattr(value, part, None)
    return value


def _pages() -> list[tuple[Path, str]]:
    pages = []
    for root in (WEB_ROOT, GENERIC_ROOT):
        http = fixture_urls(root, "**/*", queries=True)
        for url in http:
            https = "https" + url.removeprefix("http")
            chosen = (
                url if registry.parser_for(url) else https if registry.parser_for(https) else None
            )
            if chosen is None and root is GENERIC_ROOT:
                chosen = url  # generic pages: read by the generic extractor
            if chosen is not None:
                pages.append((root, chosen))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-parser-only", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if args.site_parser_only:
        fallback.FALLBACK_FIELDS = ()
    filled: dict[str, Counter[str]] = defaultdict(Counter)
    generic: dict[str, Counter[str]] = defaultdict(Counter)
    pages: Counter[str] = Counter()
    for root, url in _pages():
        item = registry.extract(url, fixture_path(root, url).read_bytes())
        pages[item.source] += 1
        for name, dotted in FIELDS.items():
            if _value(item, dotted):
                filled[item.source][name] += 1
                if dotted in item.extra.get(fallback.PROVENANCE_KEY, []):
                    generic[item.source][name] += 1
    header = f"{'source':<14}{'pages':>6}" + "".join(f"{name:>12}" for name in FIELDS)
    print(header)
    totals: Counter[str] = Counter()
    by_generic: Counter[str] = Counter()
    for source in sorted(pages):
        cells = []
        for name in FIELDS:
            count, extra = filled[source][name], generic[source][name]
            totals[name] += count
            by_generic[name] += extra
            cells.append(f"{count:>3}/{pages[source]:<3}" + (f"+{extra}g" if extra else "   "))
        print(f"{source:<14}{pages[source]:>6}" + "".join(f"{c:>12}" for c in cells))
    total = sum(pages.values())
    print(f"{'all':<14}{total:>6}" + "".join(f"{100 * totals[n] / total:>11.0f}%" for n in FIELDS))
    print("filled by the generic extractor: " + ", ".join(f"{n} {by_generic[n]}" for n in FIELDS))


if __name__ == "__main__":
    main()
