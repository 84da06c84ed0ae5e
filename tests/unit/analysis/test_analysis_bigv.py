"""Big-V from followers and verification, with thresholds from YAML."""

from __future__ import annotations

import pytest

from yuqing_spiders.analysis.bigv import compile_bigv, judge

RULES = compile_bigv(
    {
        "followers": 1_000_000,
        "verified_followers": 100_000,
        "verified_types": [1, 3],
        "verified_types_min_followers": 10_000,
    }
)


@pytest.mark.parametrize(
    ("followers", "verified", "verified_type", "expected"),
    [
        (None, None, None, None),  # a news byline: not judged
        (2_000_000, False, -1, True),
        (999_999, False, -1, False),
        (150_000, True, 0, True),
        (99_999, True, 0, False),
        (20_000, True, 3, True),  # a media account
        (9_999, True, 3, False),
        (20_000, True, 2, False),  # an enterprise is not big-V by type
        (None, True, 0, False),
    ],
)
def test_thresholds(followers, verified, verified_type, expected):
    assert judge(RULES, followers, verified, verified_type).is_big_v is expected


def test_reasons_name_the_rule():
    result = judge(RULES, 1_500_000, True, 0)
    assert result.reasons == [
        "followers 1500000 >= 1000000",
        "verified, followers 1500000 >= 100000",
    ]


def test_defaults_when_the_section_is_missing():
    assert compile_bigv(None).followers == 1_000_000
