"""The webhook store: an HTTP POST of each new or changed article, signed.

The body is an event (see :mod:`worker.stores.events`) as JSON. Headers:

- ``X-Copydesk-Signature: sha256=<hex>``, the HMAC-SHA256 of the body with the
  shared secret, for the receiver to check before trusting the body;
- ``Idempotency-Key``, derived from the article key and content hash (or the
  merged story ids), the same on every retry of one delivery, so a receiver can
  drop the repeat of a delivery whose answer was lost;
- ``X-Copydesk-Event``, the event name.

The target obeys the fetch stage's address policy: it must resolve to public
addresses unless ``COPYDESK_ALLOW_HOSTS`` opens it, and the connection goes to
the address that was checked. A 5xx, 408, 429, timeout or connection error is
retryable; any other answer outside 2xx (redirects included) is permanent.
Retrying is the delivery task's job: one call makes one attempt.

Which content hash was delivered for each key is remembered in Redis, so an
unchanged article is not posted again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis
import requests

from worker.errors import HTTPStatusError, StoreUnavailableError
from worker.fetch import retry_after_seconds
from worker.models import Article
from worker.safety import AddressPolicy, PinnedAddressAdapter
from worker.stores import SaveOutcome, content_hash
from worker.stores.events import article_event, article_key, merge_event, short_digest
from worker.stores.redis_stream import redis_unavailable_is_retryable
from worker.urls import host_of, normalize_url, port_of

SIGNATURE_HEADER = "X-Copydesk-Signature"
#: Answers worth another attempt later, besides every 5xx.
_TRANSIENT_STATUSES = frozenset({408, 429})


def signature(secret: str, body: bytes) -> str:
    """The ``X-Copydesk-Signature`` value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """Where and how to post: the URL, the signing secret and the time limits."""

    url: str
    secret: str
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    user_agent: str = "copydesk"

    def __post_init__(self) -> None:
        normalize_url(self.url)  # raises InvalidURLError unless an absolute http(s) URL


class WebhookStore:
    """Posts ``article.created``/``article.updated``/``story.merged`` events to one URL."""

    name = "webhook"

    def __init__(
        self,
        target: WebhookTarget,
        client: redis.Redis,
        *,
        policy: AddressPolicy,
        seen_prefix: str,
        seen_ttl_s: int,
    ) -> None:
        self._target = target
        self._client = client
        self._policy = policy
        self._seen_prefix = seen_prefix
        self._seen_ttl_s = seen_ttl_s

    def save(self, article: Article) -> SaveOutcome:
        key = article_key(article)
        digest = content_hash(article)
        seen_key = f"{self._seen_prefix}:{short_digest(key)}"
        with redis_unavailable_is_retryable("webhook store"):
            delivered = self._client.get(seen_key)
        if delivered in (digest, digest.encode()):  # as the client decodes answers, or not
            return SaveOutcome.UNCHANGED
        outcome = SaveOutcome.CREATED if delivered is None else SaveOutcome.UPDATED
        self._post(article_event(outcome, key, digest, article), short_digest(f"{key}\n{digest}"))
        with redis_unavailable_is_retryable("webhook store"):
            self._client.set(seen_key, digest, ex=self._seen_ttl_s)
        return outcome

    def merge_stories(self, surviving_id: str, absorbed_ids: Sequence[str]) -> None:
        merge_key = short_digest("\n".join([surviving_id, *sorted(absorbed_ids)]))
        self._post(merge_event(surviving_id, absorbed_ids), merge_key)

    def close(self) -> None:
        """Nothing stays open between posts; the Redis client is the process's shared one."""

    def _post(self, event: dict[str, Any], idempotency_key: str) -> None:
        body = json.dumps(event, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": self._target.user_agent,
            "X-Copydesk-Event": event["event"],
            SIGNATURE_HEADER: signature(self._target.secret, body),
            "Idempotency-Key": idempotency_key,
        }
        self._send(requests.Request("POST", self._target.url, data=body, headers=headers).prepare())

    def _send(self, request: requests.PreparedRequest) -> None:
        """One attempt, to the address the policy checked."""
        url = self._target.url
        adapter = PinnedAddressAdapter(self._policy.checked_address(host_of(url), port_of(url)))
        timeout = (self._target.connect_timeout_s, self._target.read_timeout_s)
        try:
            # stream=True: the answer's body is never read, whatever its size.
            with adapter.send(request, stream=True, timeout=timeout, verify=True) as response:
                _raise_for_status(response)
        except requests.RequestException as exc:
            raise StoreUnavailableError(f"webhook {url} unreachable: {exc}") from exc
        finally:
            adapter.close()


def _raise_for_status(response: requests.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    if status >= 500 or status in _TRANSIENT_STATUSES:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        raise StoreUnavailableError(f"webhook answered {status}", retry_after=retry_after)
    raise HTTPStatusError(f"webhook answered {status} {response.reason}", status=status)
