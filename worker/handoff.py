"""Fetched pages handed to processing through Redis, so the queue carries a key.

A page inline in a task message costs the fetch worker about 4.5 ms of CPU to send
(JSON-escaped, then base64-encoded by kombu's Redis transport: 140 KB of HTML becomes
some 250 KB) and the processing worker as much again to receive and pass to its pool
process. Parked as raw bytes under a key of its own, the same page costs a SET and a
GET. The key outlives the message's wait in the queue (``ttl_s``) and is deleted once
the page is processed; a message whose page is gone (processed already by a worker
that died before acknowledging, or waiting longer than ``ttl_s``) says so, and the
URL is fetched afresh rather than lost (a page handed in raw, marked ``HANDED_IN``,
cannot be: it fails with its reason).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, cast

import redis

from worker.models import RawPage

#: The message field naming a parked page's key (inline pages carry ``body``).
BODY_KEY = "body_key"
#: The message field marking a page handed in raw: when gone, it cannot be fetched afresh.
HANDED_IN = "handed_in"


class PageHandoff:
    """Parks fetched pages in Redis and claims them back for processing."""

    def __init__(self, client: redis.Redis, prefix: str, ttl_s: int) -> None:
        self._client = client
        self._prefix = f"{prefix}:page"
        self._ttl_s = ttl_s

    def park(self, pages: Sequence[RawPage]) -> list[dict[str, Any]]:
        """The process message of each page, its body parked under a new key (one round trip)."""
        messages = [
            {**page_message(page), BODY_KEY: f"{self._prefix}:{uuid.uuid4().hex}"} for page in pages
        ]
        with self._client.pipeline(transaction=False) as pipe:
            for page, message in zip(pages, messages, strict=True):
                pipe.set(message[BODY_KEY], page.body, ex=self._ttl_s)
            pipe.execute()
        return messages

    def claim(self, messages: Sequence[dict[str, Any]]) -> list[RawPage | None]:
        """The page each message carries or names (one round trip); None where a parked
        page is gone."""
        keys = [message[BODY_KEY] for message in messages if message.get(BODY_KEY)]
        bodies = iter(cast(list[bytes | None], self._client.mget(keys)) if keys else [])
        return [_claimed(message, bodies) for message in messages]

    def release(self, messages: Sequence[dict[str, Any]]) -> None:
        """Forget the parked pages of processed messages (inline pages have none)."""
        if keys := [message[BODY_KEY] for message in messages if message.get(BODY_KEY)]:
            self._client.delete(*keys)


def _claimed(message: dict[str, Any], parked: Iterator[bytes | None]) -> RawPage | None:
    """The message's page: the next of the bodies read for parked pages, or its own
    ``body`` (messages queued by versions that sent pages inline)."""
    if not message.get(BODY_KEY):
        return page_from_message(message)
    body = next(parked)
    return None if body is None else page_from_message({**message, "body": body})


def page_message(page: RawPage) -> dict[str, Any]:
    """What a process message says of a page besides its body."""
    return {"url": page.url, "content_type": page.content_type, "fetched_at": page.fetched_at}


def page_from_message(message: dict[str, Any]) -> RawPage:
    body = message["body"]
    return RawPage(
        url=message.get("url"),
        body=body.encode() if isinstance(body, str) else body,
        content_type=message.get("content_type"),
        fetched_at=message.get("fetched_at"),
    )
