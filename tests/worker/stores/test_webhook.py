from __future__ import annotations

import http.server

import pytest
import redis

from tests.webhook_receiver import SECRET, Receiver
from worker.errors import (
    HTTPStatusError,
    InvalidURLError,
    StoreUnavailableError,
    UnsafeAddressError,
)
from worker.models import Article, Body, BodyStatus, Metadata, StoryLink
from worker.safety import AddressPolicy
from worker.stores import SaveOutcome, content_hash
from worker.stores.webhook import WebhookStore, WebhookTarget


def _store(
    url: str, client: redis.Redis, namespace: str, allow: tuple[str, ...] = ("127.0.0.1",)
) -> WebhookStore:
    return WebhookStore(
        WebhookTarget(url=url, secret=SECRET, connect_timeout_s=2, read_timeout_s=2),
        client,
        policy=AddressPolicy(allow),
        seen_prefix=f"{namespace}:webhook",
        seen_ttl_s=3600,
    )


def _article(text: str, key: str = "https://example.com/story") -> Article:
    return Article(
        url=key,
        metadata=Metadata(title="Headline", canonical_url=key, outlet="Example"),
        body=Body(text=text, html=f"<p>{text}</p>", status=BodyStatus.OK),
        story=StoryLink(story_id="s1", canonical_key=key, similarity=1.0),
    )


def test_same_article_twice_is_posted_once_and_signed(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    store = _store(receiver.url, redis_client, namespace)
    assert store.save(_article("First text.")) is SaveOutcome.CREATED
    assert store.save(_article("First text.")) is SaveOutcome.UNCHANGED
    [delivery] = receiver.deliveries
    assert delivery.signed
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["X-Copydesk-Event"] == "article.created"
    assert delivery.body["key"] == "https://example.com/story"
    assert delivery.body["content_hash"] == content_hash(_article("First text."))
    assert delivery.body["article"]["text"] == "First text."


def test_changed_article_is_posted_as_an_update(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    store = _store(receiver.url, redis_client, namespace)
    store.save(_article("First text."))
    assert store.save(_article("Updated text.")) is SaveOutcome.UPDATED
    events = [delivery.body["event"] for delivery in receiver.deliveries]
    assert events == ["article.created", "article.updated"]
    keys = {delivery.headers["Idempotency-Key"] for delivery in receiver.deliveries}
    assert len(keys) == 2


def test_story_merge_is_posted(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    _store(receiver.url, redis_client, namespace).merge_stories("s1", ["s2"])
    [delivery] = receiver.deliveries
    assert delivery.signed and delivery.headers["X-Copydesk-Event"] == "story.merged"
    assert delivery.body["story_id"] == "s1" and delivery.body["absorbed_story_ids"] == ["s2"]


def test_receiver_down_then_back_loses_nothing_and_doubles_nothing(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    receiver.statuses = [503, 503]
    store = _store(receiver.url, redis_client, namespace)
    outcomes: list[SaveOutcome | None] = []
    for _attempt in range(4):  # the delivery task's retries, made by hand
        try:
            outcomes.append(store.save(_article("Text.")))
        except StoreUnavailableError:
            outcomes.append(None)
    assert outcomes == [None, None, SaveOutcome.CREATED, SaveOutcome.UNCHANGED]
    assert [delivery.status for delivery in receiver.deliveries] == [503, 503, 200]
    # Every attempt carried the same idempotency key, so a receiver can drop repeats.
    assert len({delivery.headers["Idempotency-Key"] for delivery in receiver.deliveries}) == 1
    assert len(receiver.accepted()) == 1


def test_rate_limit_is_retryable_with_the_delay_asked(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    receiver.statuses = [429]
    receiver.retry_after = "7"
    store = _store(receiver.url, redis_client, namespace)
    with pytest.raises(StoreUnavailableError) as raised:
        store.save(_article("Text."))
    assert raised.value.retry_after == 7


def test_client_error_is_permanent(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    receiver.statuses = [422]
    store = _store(receiver.url, redis_client, namespace)
    with pytest.raises(HTTPStatusError) as raised:
        store.save(_article("Text."))
    assert raised.value.status == 422


def test_unreachable_receiver_is_retryable(redis_client: redis.Redis, namespace: str) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there any more
    store = _store(f"http://127.0.0.1:{port}/hook", redis_client, namespace)
    with pytest.raises(StoreUnavailableError):
        store.save(_article("Text."))


def test_internal_target_is_refused_unless_allowed(
    receiver: Receiver, redis_client: redis.Redis, namespace: str
) -> None:
    store = _store(receiver.url, redis_client, namespace, allow=())
    with pytest.raises(UnsafeAddressError):
        store.save(_article("Text."))
    assert receiver.deliveries == []


def test_target_must_be_an_http_url() -> None:
    with pytest.raises(InvalidURLError):
        WebhookTarget(url="ftp://example.com/hook", secret=SECRET)
