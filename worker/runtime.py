"""Per-process resources of a worker, created on first use (after the pool forks)."""

from __future__ import annotations

from functools import lru_cache

from config import get_settings
from worker.connections import redis_client
from worker.deadletter import DeadLetters
from worker.dedup import StoryIndex
from worker.fetch import Fetcher
from worker.handoff import PageHandoff
from worker.stores import Store, open_stores


@lru_cache(maxsize=1)
def story_index() -> StoryIndex:
    settings = get_settings()
    return StoryIndex(
        redis_client(),
        namespace=settings.dedup_namespace,
        window_s=settings.dedup_window_s,
        min_words=settings.dedup_min_words,
        shard_bits=settings.dedup_shard_bits,
    )


@lru_cache(maxsize=1)
def stores() -> tuple[Store, ...]:
    return tuple(open_stores(get_settings()))


@lru_cache(maxsize=1)
def fetcher() -> Fetcher:
    return Fetcher(get_settings(), redis_client())


@lru_cache(maxsize=1)
def handoff() -> PageHandoff:
    settings = get_settings()
    return PageHandoff(redis_client(), settings.redis_prefix, settings.handoff_ttl_s)


@lru_cache(maxsize=1)
def dead_letters() -> DeadLetters:
    return DeadLetters(redis_client(), get_settings().redis_prefix)


def store(name: str) -> Store:
    """The open store called ``name``; a name not configured is a setup error."""
    for candidate in stores():
        if candidate.name == name:
            return candidate
    raise LookupError(f"store {name!r} is not in COPYDESK_STORES")
