"""The events the delivery stores (JSON Lines, stream, webhook) hand downstream.

One vocabulary for every sink, so a consumer reading files, a stream or HTTP
posts sees the same shapes::

    {"event": "article.created", "at": ..., "key": ..., "content_hash": ...,
     "story_id": ..., "article": {...Article.to_dict()...}}
    {"event": "story.merged", "at": ..., "story_id": ..., "absorbed_story_ids": [...]}
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from worker.models import Article
from worker.stores import SaveOutcome

ARTICLE_CREATED = "article.created"
ARTICLE_UPDATED = "article.updated"
STORY_MERGED = "story.merged"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def event_name(outcome: SaveOutcome) -> str:
    """The event announcing a save; only created and updated articles are announced."""
    if outcome is SaveOutcome.UNCHANGED:
        raise ValueError("an unchanged article is not announced")
    return ARTICLE_CREATED if outcome is SaveOutcome.CREATED else ARTICLE_UPDATED


def article_event(outcome: SaveOutcome, key: str, digest: str, article: Article) -> dict[str, Any]:
    return {
        "event": event_name(outcome),
        "at": now_iso(),
        "key": key,
        "content_hash": digest,
        "story_id": article.story.story_id if article.story else None,
        "article": article.to_dict(),
    }


def merge_event(surviving_id: str, absorbed_ids: Sequence[str]) -> dict[str, Any]:
    return {
        "event": STORY_MERGED,
        "at": now_iso(),
        "story_id": surviving_id,
        "absorbed_story_ids": list(absorbed_ids),
    }


def article_key(article: Article) -> str:
    """The article's key, which every store requires."""
    key = article.key
    if key is None:
        raise ValueError("an article needs a URL or canonical URL to be stored")
    return key


def short_digest(text: str) -> str:
    """A fixed-length name for ``text`` (a URL) in Redis keys and headers."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]
