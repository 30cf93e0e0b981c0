"""Downstream stores: where finished articles are handed on.

Every store is idempotent by the article's key (its canonical URL): saving the
same article twice stores it once, and a changed text becomes a new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from config import Settings
from worker.models import Article


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


def open_stores(settings: Settings) -> list[Store]:
    """The stores named in ``COPYDESK_STORES``, opened."""
    from worker.stores.sqlite import SQLiteStore

    factories = {"sqlite": lambda: SQLiteStore(sqlite_path(settings))}
    unknown = [name for name in settings.stores if name not in factories]
    if unknown:
        raise ValueError(f"unknown store(s) in COPYDESK_STORES: {', '.join(unknown)}")
    return [factories[name]() for name in settings.stores]


def sqlite_path(settings: Settings) -> str:
    return str(settings.sqlite_path or settings.data_dir / "articles.sqlite3")
