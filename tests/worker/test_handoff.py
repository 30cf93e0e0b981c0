"""Pages parked in Redis between fetching and processing, against a real Redis."""

from __future__ import annotations

import redis

from worker.handoff import BODY_KEY, PageHandoff, page_message
from worker.models import RawPage

PAGE = RawPage(
    url="https://news.example/a",
    body="<p>Grüße aus Köln</p>".encode(),
    content_type="text/html; charset=utf-8",
    fetched_at=1_700_000_000.0,
)


def test_a_parked_page_travels_as_a_key_and_comes_back_whole(
    redis_client: redis.Redis, namespace: str
) -> None:
    handoff = PageHandoff(redis_client, namespace, ttl_s=600)
    [message] = handoff.park([PAGE])
    assert "body" not in message and message["url"] == PAGE.url
    assert 0 < redis_client.ttl(message[BODY_KEY]) <= 600
    assert handoff.claim([message]) == [PAGE]


def test_a_released_page_is_gone_and_says_so(redis_client: redis.Redis, namespace: str) -> None:
    handoff = PageHandoff(redis_client, namespace, ttl_s=600)
    [message] = handoff.park([PAGE])
    handoff.release([message])
    assert redis_client.exists(message[BODY_KEY]) == 0
    assert handoff.claim([message]) == [None]


def test_an_inline_page_needs_no_key(redis_client: redis.Redis, namespace: str) -> None:
    handoff = PageHandoff(redis_client, namespace, ttl_s=600)
    message = {**page_message(PAGE), "body": PAGE.body}
    assert handoff.claim([message]) == [PAGE]
    handoff.release([message])  # nothing parked, nothing to forget
    assert handoff.claim([message]) == [PAGE]


def test_a_batch_is_parked_and_claimed_in_order_whatever_each_message_holds(
    redis_client: redis.Redis, namespace: str
) -> None:
    handoff = PageHandoff(redis_client, namespace, ttl_s=600)
    other = RawPage(url="https://news.example/b", body=b"<p>b</p>")
    kept, gone = handoff.park([PAGE, other])
    handoff.release([gone])
    assert handoff.claim([gone, {**page_message(other), "body": other.body}, kept]) == [
        None,
        other,
        PAGE,
    ]
