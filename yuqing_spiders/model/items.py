"""The stored record: one `opinions` document per item (docs/schema.md).

Every stage reads and writes these dataclasses through itemadapter, so the same
item travels from parser to MongoDB unchanged in shape. Nested parts are
dataclasses too; `ItemAdapter(item).asdict()` turns the whole tree into the
document that the writer stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Media:
    name: str | None = None
    # central_key | provincial_key | local | government | commercial | self_media
    # The original publisher's tier (the 来源 medium when known), else the site's.
    tier: str | None = None
    domain: str | None = None
    site_tier: str | None = None  # the tier of the site that carried the item (by domain)
    province: str | None = None  # province of the medium `tier` describes; None = national


@dataclass
class Author:
    name: str | None = None
    id: str | None = None
    followers: int | None = None
    verified: bool | None = None
    verified_type: int | None = None
    is_big_v: bool | None = None
    big_v_reasons: list[str] = field(default_factory=list)  # the big-V rules that held
    location: str | None = None  # the account's stated location (profile)
    ip_location: str | None = None  # IP属地 as the platform shows it


@dataclass
class Jurisdiction:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    town: str | None = None
    codes: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    # The Nanchang functional zone (高新区, 经开区, 湾里管理局 ...) that runs the place.
    zone: str | None = None
    # Place names found that did not count, and why (needs context, claimed by ...).
    ignored: list[str] = field(default_factory=list)


@dataclass
class Metrics:
    comments: int | None = None
    reposts: int | None = None
    likes: int | None = None
    reads: int | None = None


@dataclass
class Risk:
    # None = not judged yet (no risk stage ran); False = judged and not flagged.
    sensitive: bool | None = None
    sudden: bool | None = None
    mass: bool | None = None
    inciting: bool | None = None
    terms: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # flag -> summed term weights
    evidence: dict[str, list[str]] = field(default_factory=dict)  # flag -> its terms
    sudden_classes: list[str] = field(default_factory=list)  # 自然灾害, 事故灾难 ...
    negated: list[str] = field(default_factory=list)  # terms found but negated


@dataclass
class Sentiment:
    label: str | None = None  # negative | neutral | positive
    score: float | None = None
    terms: list[str] = field(default_factory=list)  # strongest words, with their weights
    counts: dict[str, int] = field(default_factory=dict)  # comment_sentiment: per label


@dataclass
class Trend:
    """How fast an item spreads, from its metrics series (docs/analysis.md)."""

    label: str | None = None  # rising | steady | cooling | new
    slope: float | None = None  # interactions per hour over the trend window
    points: int = 0  # observations the trend was read from


@dataclass
class FrontPagePlacement:
    site: str
    block: str | None = None
    position: int | None = None
    seen_at: datetime | None = None


@dataclass
class RuleMatch:
    """One watch-list rule an item matches: which, for which unit, on which terms."""

    rule: str
    unit: str
    terms: list[str] = field(default_factory=list)


@dataclass
class OpinionItem:
    """One online item (article, post, thread, message) about which the office may care."""

    url: str
    source: str  # the source key in settings/sources.yaml, e.g. "people"
    platform: str  # "news", "weibo", "wechat", ... — the family of the source
    title: str | None = None
    content: str | None = None
    canonical_url: str | None = None
    native_id: str | None = None  # the platform's own id, when it has one
    id: str | None = None  # becomes `_id`; set by the identity stage
    media: Media = field(default_factory=Media)
    author: Author = field(default_factory=Author)
    editor: str | None = None
    published_at: datetime | None = None  # timezone-aware UTC
    first_seen_at: datetime | None = None
    crawled_at: datetime | None = None
    keywords: list[str] = field(default_factory=list)
    # Watch-list rules the item matches (settings/watchlist.yaml); terms also in `keywords`.
    watch: list[RuleMatch] = field(default_factory=list)
    jurisdiction: Jurisdiction = field(default_factory=Jurisdiction)
    departments: list[str] = field(default_factory=list)
    # department -> the terms that named it (departments stage)
    department_terms: dict[str, list[str]] = field(default_factory=dict)
    front_page: list[FrontPagePlacement] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    risk: Risk = field(default_factory=Risk)
    sentiment: Sentiment = field(default_factory=Sentiment)
    comment_sentiment: Sentiment | None = None
    simhash: str | None = None
    event_id: str | None = None
    repost_of: str | None = None
    is_first_publisher: bool | None = None
    level: str | None = None  # general | important
    level_reasons: list[str] = field(default_factory=list)
    routed_to: list[str] = field(default_factory=list)
    heat: float | None = None  # heat stage (docs/analysis.md); null = not computed
    trend: Trend | None = None  # heat stage, from the opinion_metrics series
    # Where the item was found: channel page, search term, etc. Kept for provenance.
    found_on: str | None = None
    encoding: str | None = None  # the charset the page was decoded with
    # Handling state a source shows (问政 boards: 待回复 | 办理中 | 已办理; "deleted").
    # Copied into every metrics point, so a change of status is a new point.
    status: str | None = None
    complete: bool = True  # False when a required field is missing; never stored as complete
    missing: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)


# Fields a news article must have to count as complete; others are optional.
REQUIRED_NEWS_FIELDS = ("title", "content", "published_at")


@dataclass
class CommentItem:
    """A comment, reply or forum floor under an item; stored in `comments`."""

    opinion_id: str  # the `_id` of the item it belongs to
    source: str
    platform: str
    native_id: str | None = None  # the platform's comment id (or floor number)
    id: str | None = None  # `_id`: `<opinion_id>#<native_id>`
    url: str | None = None
    content: str | None = None
    author: Author = field(default_factory=Author)
    published_at: datetime | None = None
    crawled_at: datetime | None = None
    floor: int | None = None  # forums and Tieba number their floors
    reply_to: str | None = None  # native id of the comment this one answers
    likes: int | None = None
    replies: int | None = None
    ip_location: str | None = None  # IP属地 where the platform shows it
    sentiment: Sentiment = field(default_factory=Sentiment)
    schema_version: int = SCHEMA_VERSION
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FrontPageLink:
    """One link on a polled front page or hot list, in page order within its block."""

    url: str
    canonical_url: str
    title: str | None = None
    block: str | None = None
    rank: int | None = None  # 1-based position within the block


@dataclass
class FrontPageSnapshot:
    """One poll of a front page (or hot list); stored in `frontpage_snapshots`, never in
    `opinions` (pipelines/frontpage.py consumes it before the opinion stages)."""

    site: str  # e.g. "netease", "weibo_hot"
    page: str  # the URL polled
    seen_at: datetime
    links: list[FrontPageLink] = field(default_factory=list)
