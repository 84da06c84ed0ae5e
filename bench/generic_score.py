"""Field scores of the generic extractor over the hand-made template-trouble pages.

Each page in tests/fixtures/generic/ listed in tests/helpers/generic_expected.py shows
one class of template trouble real Chinese sites have (issue 14). Prints, per page, the
fields read right and wrong, then per field `field: right/total (pct)`.

    python bench/generic_score.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.helpers.fixtures import GENERIC_ROOT, response_from_fixture  # noqa: E402
from tests.helpers.generic_expected import PAGES, score_page  # noqa: E402
from yuqing_spiders.extract.generic import extract_article  # noqa: E402


def main() -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for page in PAGES:
        item = extract_article(response_from_fixture(page.url, GENERIC_ROOT))
        scores = score_page(page, item)
        wrong = [name for name, ok in scores.items() if not ok]
        print(f"{page.url}: {'all right' if not wrong else 'wrong ' + ', '.join(wrong)}")
        for name, ok in scores.items():
            total[name] += 1
            right[name] += ok
    for name in total:
        print(f"{name}: {right[name]}/{total[name]} ({100 * right[name] / total[name]:.0f} %)")


if __name__ == "__main__":
    main()
