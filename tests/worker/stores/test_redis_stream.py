from __future__ import annotations

import json
import socket
import threading
from typing import cast

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.conftest import keys_matching
from worker.errors import StoreUnavailableError
from worker.models import Article, Body, BodyStatus, Metadata, StoryLink
from worker.stores import SaveOutcome, content_hash
from worker.stores.redis_stream import StreamStore

TTL_S = 3600
StreamEntries = list[tuple[bytes, dict[bytes, bytes]]]


def _article(text: str, key: str = "https://example.com/story", story: str = "s1") -> Article:
    return Article(
        url=key,
        metadata=Metadata(title="Headline", canonical_url=key, outlet="Example", agency="AP"),
        body=Body(text=text, html=f"<p>{text}</p>", status=BodyStatus.OK),
        story=StoryLink(story_id=story, canonical_key=key, similarity=1.0),
    )


def _store(client: redis.Redis, namespace: str, max_len: int = 1000) -> StreamStore:
    return StreamStore(client, f"{namespace}:articles", max_len=max_len, seen_ttl_s=TTL_S)


def _entries(client: redis.Redis, namespace: str) -> list[dict[str, str]]:
    return [
        {name.decode(): value.decode() for name, value in fields.items()}
        for _id, fields in cast(StreamEntries, client.xrange(f"{namespace}:articles"))
    ]


def test_same_article_twice_adds_one_entry(redis_client: redis.Redis, namespace: str) -> None:
    store = _store(redis_client, namespace)
    assert store.save(_article("First text.")) is SaveOutcome.CREATED
    assert store.save(_article("First text.")) is SaveOutcome.UNCHANGED
    [entry] = _entries(redis_client, namespace)
    assert entry["event"] == "article.created"
    assert entry["key"] == "https://example.com/story"
    assert entry["content_hash"] == content_hash(_article("First text."))
    assert (entry["story_id"], entry["title"], entry["outlet"], entry["agency"]) == (
        "s1",
        "Headline",
        "Example",
        "AP",
    )
    assert json.loads(entry["record"])["text"] == "First text."


def test_changed_article_adds_an_update(redis_client: redis.Redis, namespace: str) -> None:
    store = _store(redis_client, namespace)
    store.save(_article("First text."))
    assert store.save(_article("Updated text.")) is SaveOutcome.UPDATED
    entries = _entries(redis_client, namespace)
    assert [entry["event"] for entry in entries] == ["article.created", "article.updated"]
    assert json.loads(entries[1]["record"])["text"] == "Updated text."


def test_the_memory_of_an_article_expires(redis_client: redis.Redis, namespace: str) -> None:
    _store(redis_client, namespace).save(_article("Text."))
    [seen_key] = keys_matching(redis_client, f"{namespace}:articles:seen:*")
    assert 0 < redis_client.ttl(seen_key) <= TTL_S


def test_story_merge_adds_an_entry(redis_client: redis.Redis, namespace: str) -> None:
    _store(redis_client, namespace).merge_stories("s1", ["s2", "s3"])
    [entry] = _entries(redis_client, namespace)
    assert entry["event"] == "story.merged" and entry["story_id"] == "s1"
    assert json.loads(entry["absorbed_story_ids"]) == ["s2", "s3"]


def test_stream_length_is_capped(redis_client: redis.Redis, namespace: str) -> None:
    store = _store(redis_client, namespace, max_len=10)
    for index in range(250):
        store.save(_article("Text.", key=f"https://example.com/{index}"))
    # Approximate trimming drops whole macro nodes (100 entries by default), never below the cap.
    assert 10 <= redis_client.xlen(f"{namespace}:articles") < 250


def test_concurrent_saves_of_one_article_add_one_entry(
    redis_client: redis.Redis, namespace: str
) -> None:
    outcomes: list[SaveOutcome] = []

    def save() -> None:
        client = redis.Redis(connection_pool=redis_client.connection_pool)
        outcomes.append(_store(client, namespace).save(_article("Same text.")))

    threads = [threading.Thread(target=save) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([SaveOutcome.CREATED] + [SaveOutcome.UNCHANGED] * 3)
    assert len(_entries(redis_client, namespace)) == 1


def test_unreachable_redis_is_retryable() -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = redis.Redis(host="127.0.0.1", port=port, retry=Retry(NoBackoff(), retries=0))
    store = StreamStore(client, "copydesk:unreachable", max_len=10, seen_ttl_s=TTL_S)
    with pytest.raises(StoreUnavailableError):
        store.save(_article("Text."))
    with pytest.raises(StoreUnavailableError):
        store.merge_stories("s1", ["s2"])
    client.close()
