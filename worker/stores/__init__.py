"""Downstream stores: where finished articles are handed on.

Every store is idempotent by the article's key (its canonical URL): saving the
same article twice stores it once, and a changed text becomes a new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from config import Settings
from worker.models import Article

if TYPE_CHECKING:
    from worker.stores.postgres import PostgresStore
    from worker.stores.sqlite import SQLiteStore


class SaveOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class Store(Protocol):
    """What the processing task needs of a store."""

    name: str

    def save(self, article: Article) -> SaveOutcome: ...

    def merge_stories(self, surviving_id: str, absorbed_ids: Sequence[str]) -> None: ...

    def close(self) -> None: ...


def content_hash(article: Article) -> str:
    """Identifies a version of an article: its text and headline."""
    digest = hashlib.sha256()
    digest.update((article.metadata.title or "").encode())
    digest.update(b"\0")
    digest.update(article.body.text.encode())
    return digest.hexdigest()


class ArticleReader(Protocol):
    """What ``copydesk show`` and ``copydesk export`` read stored articles from.

    A record is what :meth:`Article.to_dict` gives, plus the article's current
    ``story_id`` (after any merge) and its row ``id`` in the store.
    """

    def get(self, key_or_id: str) -> dict[str, Any] | None: ...

    def articles(self) -> Iterator[dict[str, Any]]: ...

    def close(self) -> None: ...


def open_stores(settings: Settings) -> list[Store]:
    """The stores named in ``COPYDESK_STORES``, opened."""
    factories: dict[str, Callable[[Settings], Store]] = {
        "sqlite": _open_sqlite,
        "postgres": _open_postgres,
        "jsonl": _open_jsonl,
        "stream": _open_stream,
        "webhook": _open_webhook,
    }
    unknown = [name for name in settings.stores if name not in factories]
    if unknown:
        raise ValueError(f"unknown store(s) in COPYDESK_STORES: {', '.join(unknown)}")
    return [factories[name](settings) for name in settings.stores]


def open_reader(settings: Settings) -> ArticleReader:
    """PostgreSQL when ``COPYDESK_STORES`` names it, else the SQLite store."""
    if "postgres" in settings.stores:
        return _open_postgres(settings)
    return _open_sqlite(settings)


# The factories import their store lazily: a worker loads only the clients it uses.


def _open_sqlite(settings: Settings) -> SQLiteStore:
    from worker.stores.sqlite import SQLiteStore

    return SQLiteStore(sqlite_path(settings))


def _open_postgres(settings: Settings) -> PostgresStore:
    from worker.stores.postgres import PostgresStore

    url = _required(settings.postgres_url, "COPYDESK_POSTGRES_URL")
    return PostgresStore(url, connect_timeout_s=settings.postgres_connect_timeout_s)


def _open_jsonl(settings: Settings) -> Store:
    from worker.stores.jsonl import JsonlStore

    return JsonlStore(settings.jsonl_dir or settings.data_dir / "jsonl", settings.jsonl_max_bytes)


def _open_stream(settings: Settings) -> Store:
    from worker.connections import redis_client
    from worker.stores.redis_stream import StreamStore

    return StreamStore(
        redis_client(),
        settings.stream_name,
        max_len=settings.stream_max_len,
        seen_ttl_s=settings.store_seen_ttl_s,
    )


def _open_webhook(settings: Settings) -> Store:
    from worker.connections import redis_client
    from worker.safety import AddressPolicy
    from worker.stores.events import short_digest
    from worker.stores.webhook import WebhookStore, WebhookTarget

    target = WebhookTarget(
        url=_required(settings.webhook_url, "COPYDESK_WEBHOOK_URL"),
        secret=_required(settings.webhook_secret, "COPYDESK_WEBHOOK_SECRET"),
        connect_timeout_s=settings.webhook_connect_timeout_s,
        read_timeout_s=settings.webhook_read_timeout_s,
        user_agent=settings.user_agent,
    )
    return WebhookStore(
        target,
        redis_client(),
        policy=AddressPolicy(settings.allow_hosts),
        # Per target URL: pointing copydesk at a new receiver delivers everything to it.
        seen_prefix=f"{settings.redis_prefix}:webhook:{short_digest(target.url)[:12]}",
        seen_ttl_s=settings.store_seen_ttl_s,
    )


def _required(value: str | None, variable: str) -> str:
    if not value:
        raise ValueError(f"{variable} must be set to use this store")
    return value


def sqlite_path(settings: Settings) -> str:
    return str(settings.sqlite_path or settings.data_dir / "articles.sqlite3")
