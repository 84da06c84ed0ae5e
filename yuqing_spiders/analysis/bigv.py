"""Big-V (大V): an account whose post travels far, from followers and verification.

Thresholds come from the `bigv` section of settings/analysis.yaml. An author with
neither a follower count nor a verification flag (a news byline) is not judged:
`is_big_v` stays None rather than False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BigVRules:
    followers: int = 1_000_000
    verified_followers: int = 100_000
    verified_types: frozenset[int] = frozenset({1, 3})
    verified_types_min_followers: int = 10_000


@dataclass
class BigVResult:
    is_big_v: bool | None
    reasons: list[str]


def judge(
    rules: BigVRules, followers: int | None, verified: bool | None, verified_type: int | None
) -> BigVResult:
    """Whether an account is a big V, and the rule that said so."""
    if followers is None and verified is None and verified_type is None:
        return BigVResult(None, [])
    count = followers or 0
    reasons = []
    if count >= rules.followers:
        reasons.append(f"followers {count} >= {rules.followers}")
    if verified and count >= rules.verified_followers:
        reasons.append(f"verified, followers {count} >= {rules.verified_followers}")
    if (
        verified is not False
        and verified_type in rules.verified_types
        and count >= rules.verified_types_min_followers
    ):
        minimum = rules.verified_types_min_followers
        reasons.append(f"verified_type {verified_type}, followers {count} >= {minimum}")
    return BigVResult(bool(reasons), reasons)


def compile_bigv(section: dict[str, Any] | None) -> BigVRules:
    section = section or {}
    defaults = BigVRules()
    return BigVRules(
        followers=int(section.get("followers", defaults.followers)),
        verified_followers=int(section.get("verified_followers", defaults.verified_followers)),
        verified_types=frozenset(
            int(t) for t in section.get("verified_types", defaults.verified_types)
        ),
        verified_types_min_followers=int(
            section.get("verified_types_min_followers", defaults.verified_types_min_followers)
        ),
    )
