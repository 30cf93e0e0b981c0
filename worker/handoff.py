"""Fetched pages handed to processing through Redis, so the queue carries a key.

A page inline in a task message costs the fetch worker about 4.5 ms of CPU to send
(JSON-escaped, then base64-encoded by kombu's Redis transport: 140 KB of HTML becomes
some 250 KB) and the processing worker as much again to receive and pass to its pool
process. Parked as raw bytes under a key of its own, the same page costs a SET and a
GET. The key outlives the message's wait in the queue (``ttl_s``) and is deleted once
the page is processed; a message whose page is gone (processed already by a worker
that died before acknowledging, or waiting longer than ``ttl_s``) says so, and the
URL is fetched afresh rather than lost.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

import redis

from worker.models import RawPage

#: The message field naming a parked page's key (inline pages carry ``body``).
BODY_KEY = "body_key"


class PageHandoff:
    """Parks fetched pages in Redis and claims them back for processing."""

    def __init__(self, client: redis.Redis, prefix: str, ttl_s: int) -> None:
        self._client = client
        self._prefix = f"{prefix}:page"
        self._ttl_s = ttl_s

    def park(self, page: RawPage) -> dict[str, Any]:
        """The process message for ``page``, its body parked under a new key."""
        key = f"{self._prefix}:{uuid.uuid4().hex}"
        self._client.set(key, page.body, ex=self._ttl_s)
        return {**page_message(page, inline=False), BODY_KEY: key}

    def claim(self, message: dict[str, Any]) -> RawPage | None:
        """The page a message carries or names; None when a parked page is gone."""
        key = message.get(BODY_KEY)
        if key is None:
            return page_from_message(message)
        body = cast(bytes | None, self._client.get(key))
        return None if body is None else page_from_message({**message, "body": body})

    def release(self, messages: list[dict[str, Any]]) -> None:
        """Forget the parked pages of processed messages (inline pages have none)."""
        if keys := [message[BODY_KEY] for message in messages if message.get(BODY_KEY)]:
            self._client.delete(*keys)


def page_message(page: RawPage, *, inline: bool = True) -> dict[str, Any]:
    """A page as a process message, with its body unless the body is parked."""
    message: dict[str, Any] = {
        "url": page.url,
        "content_type": page.content_type,
        "fetched_at": page.fetched_at,
    }
    if inline:
        message["body"] = page.body
    return message


def page_from_message(message: dict[str, Any]) -> RawPage:
    body = message["body"]
    return RawPage(
        url=message.get("url"),
        body=body.encode() if isinstance(body, str) else body,
        content_type=message.get("content_type"),
        fetched_at=message.get("fetched_at"),
    )
