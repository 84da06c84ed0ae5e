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
    tier: str | None = None
    domain: str | None = None


@dataclass
class Author:
    name: str | None = None
    id: str | None = None
    followers: int | None = None
    verified: bool | None = None
    verified_type: int | None = None
    is_big_v: bool | None = None


@dataclass
class Jurisdiction:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    town: str | None = None
    codes: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


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


@dataclass
class Sentiment:
    label: str | None = None  # negative | neutral | positive
    score: float | None = None


@dataclass
class FrontPagePlacement:
    site: str
    block: str | None = None
    position: int | None = None
    seen_at: datetime | None = None


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
    jurisdiction: Jurisdiction = field(default_factory=Jurisdiction)
    departments: list[str] = field(default_factory=list)
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
    # Where the item was found: channel page, search term, etc. Kept for provenance.
    found_on: str | None = None
    encoding: str | None = None  # the charset the page was decoded with
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
