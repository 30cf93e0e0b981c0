"""The SQLite store: the embedded default, one file in the data directory."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from worker.models import Article
from worker.stores import SaveOutcome, content_hash

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    url TEXT,
    title TEXT,
    outlet TEXT,
    agency TEXT,
    published TEXT,
    story_id TEXT,
    content_hash TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id);
CREATE TABLE IF NOT EXISTS article_versions (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    content_hash TEXT NOT NULL,
    record TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
"""


#: How long a process waits for another's lock on a shared SQLite file.
LOCK_TIMEOUT_S = 30.0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect_shared(path: str | Path) -> sqlite3.Connection:
    """A connection in WAL mode to a file that several worker processes write."""
    db = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as exc:
            # Entering WAL mode takes the file's exclusive lock, and SQLite says "locked"
            # at once, without waiting, while another process opening it holds a shared one.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(0.01)


class SQLiteStore:
    """Articles keyed by canonical URL, earlier versions kept in ``article_versions``."""

    name = "sqlite"

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = connect_shared(path)
        self._db.executescript(_SCHEMA)

    def save(self, article: Article) -> SaveOutcome:
        key = article.key
        if key is None:
            raise ValueError("an article needs a URL or canonical URL to be stored")
        digest = content_hash(article)
        with self._transaction():
            row = self._db.execute(
                "SELECT id, content_hash, record FROM articles WHERE canonical_url = ?", (key,)
            ).fetchone()
            if row is None:
                self._insert(key, article, digest)
                return SaveOutcome.CREATED
            if row[1] == digest:
                self._update_story(row[0], article)
                return SaveOutcome.UNCHANGED
            self._db.execute(
                "INSERT INTO article_versions VALUES (?, ?, ?, ?)", (row[0], row[1], row[2], _now())
            )
            self._replace(row[0], article, digest)
            return SaveOutcome.UPDATED

    def merge_stories(self, surviving_id: str, absorbed_ids: Sequence[str]) -> None:
        with self._transaction():
            for absorbed in absorbed_ids:
                self._db.execute(
                    "UPDATE articles SET story_id = ? WHERE story_id = ?", (surviving_id, absorbed)
                )

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every article's record plus its current ``story_id`` and row ``id``, oldest first."""
        for row in self._db.execute("SELECT id, story_id, record FROM articles ORDER BY id"):
            yield _reader_record(row)

    def get(self, key_or_id: str) -> dict[str, Any] | None:
        """An article by canonical URL, fetched URL or row id, as :meth:`articles` gives it."""
        row_id = int(key_or_id) if key_or_id.isdigit() else None
        row = self._db.execute(
            "SELECT id, story_id, record FROM articles"
            " WHERE canonical_url = ? OR url = ? OR id = ? ORDER BY id LIMIT 1",
            (key_or_id, key_or_id, row_id),
        ).fetchone()
        return _reader_record(row) if row else None

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def _columns(self, article: Article, digest: str) -> tuple[Any, ...]:
        meta = article.metadata
        story_id = article.story.story_id if article.story else None
        record = json.dumps(article.to_dict(), ensure_ascii=False)
        return (
            article.url,
            meta.title,
            meta.outlet,
            meta.agency,
            meta.published,
            story_id,
            digest,
            record,
        )

    def _insert(self, key: str, article: Article, digest: str) -> None:
        now = _now()
        self._db.execute(
            "INSERT INTO articles (canonical_url, url, title, outlet, agency, published,"
            " story_id, content_hash, record, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, *self._columns(article, digest), now, now),
        )

    def _replace(self, row_id: int, article: Article, digest: str) -> None:
        self._db.execute(
            "UPDATE articles SET url = ?, title = ?, outlet = ?, agency = ?, published = ?,"
            " story_id = ?, content_hash = ?, record = ?, updated_at = ? WHERE id = ?",
            (*self._columns(article, digest), _now(), row_id),
        )

    def _update_story(self, row_id: int, article: Article) -> None:
        if article.story:
            self._db.execute(
                "UPDATE articles SET story_id = ? WHERE id = ?", (article.story.story_id, row_id)
            )


def _reader_record(row: tuple[int, str | None, str]) -> dict[str, Any]:
    row_id, story_id, record = row
    return {**json.loads(record), "story_id": story_id, "id": row_id}
