"""The Redis Stream store: downstream consumers follow new articles and story merges.

Each new or changed article adds one compact entry (``XADD`` with an approximate
``MAXLEN`` cap); an article whose content hash the stream already announced
adds nothing. The check and the append run in one Lua script, so two workers
saving the same article at once still add a single entry.

Entry fields: ``event`` (``article.created``, ``article.updated`` or
``story.merged``), ``key``, ``content_hash``, ``story_id``, ``title``,
``outlet``, ``agency`` (empty when unknown) and ``record``, the article as JSON;
a merge entry has ``story_id`` and ``absorbed_story_ids`` (a JSON list).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import redis
from redis.typing import EncodableT, FieldT

from worker.errors import StoreUnavailableError
from worker.models import Article
from worker.stores import SaveOutcome, content_hash
from worker.stores.events import (
    ARTICLE_CREATED,
    ARTICLE_UPDATED,
    STORY_MERGED,
    article_key,
    short_digest,
)

# KEYS: stream, seen marker. ARGV: content hash, marker TTL, MAXLEN, the names of the
# created and updated events, then the entry's other field/value pairs.
_ANNOUNCE = """
local seen = redis.call('GET', KEYS[2])
if seen == ARGV[1] then
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  return 0
end
local event = seen and ARGV[5] or ARGV[4]
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'event', event, unpack(ARGV, 6))
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
return seen and 2 or 1
"""

_OUTCOMES = {0: SaveOutcome.UNCHANGED, 1: SaveOutcome.CREATED, 2: SaveOutcome.UPDATED}


@contextmanager
def redis_unavailable_is_retryable(what: str) -> Iterator[None]:
    """Turn a lost or timed-out Redis connection into :class:`StoreUnavailableError`."""
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise StoreUnavailableError(f"{what}: Redis unavailable: {exc}") from exc


class StreamStore:
    """Announces articles and story merges on a Redis Stream."""

    name = "stream"

    def __init__(self, client: redis.Redis, stream: str, *, max_len: int, seen_ttl_s: int) -> None:
        self._client = client
        self._stream = stream
        self._max_len = max_len
        self._seen_ttl_s = seen_ttl_s
        self._announce = client.register_script(_ANNOUNCE)

    def save(self, article: Article) -> SaveOutcome:
        key = article_key(article)
        digest = content_hash(article)
        seen_key = f"{self._stream}:seen:{short_digest(key)}"
        script_args: list[EncodableT] = [
            digest,
            self._seen_ttl_s,
            self._max_len,
            ARTICLE_CREATED,
            ARTICLE_UPDATED,
        ]
        with redis_unavailable_is_retryable("stream store"):
            code = self._announce(
                keys=[self._stream, seen_key], args=[*script_args, *_entry(key, digest, article)]
            )
        return _OUTCOMES[int(code)]

    def merge_stories(self, surviving_id: str, absorbed_ids: Sequence[str]) -> None:
        entry: dict[FieldT, EncodableT] = {
            "event": STORY_MERGED,
            "story_id": surviving_id,
            "absorbed_story_ids": json.dumps(list(absorbed_ids)),
        }
        with redis_unavailable_is_retryable("stream store"):
            self._client.xadd(self._stream, entry, maxlen=self._max_len, approximate=True)

    def close(self) -> None:
        """The Redis client is the process's shared one: it stays open."""


def _entry(key: str, digest: str, article: Article) -> list[str]:
    """An article's stream fields but ``event``, flattened to name, value, name, value..."""
    meta = article.metadata
    fields = {
        "key": key,
        "content_hash": digest,
        "story_id": article.story.story_id if article.story else "",
        "title": meta.title or "",
        "outlet": meta.outlet or "",
        "agency": meta.agency or "",
        "record": json.dumps(article.to_dict(), ensure_ascii=False),
    }
    return [item for pair in fields.items() for item in pair]
