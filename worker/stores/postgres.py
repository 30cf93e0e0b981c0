"""The PostgreSQL store: articles, stories and article versions, for users to query.

The schema is a public interface (see ``SCHEMA.md``); it is created and upgraded
by the numbered SQL files in ``migrations/``, each applied once per schema.
The store connects lazily and drops a broken connection, so a server that went
away costs one :class:`StoreUnavailableError` per attempt, and the next attempt
after it returns reconnects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import psycopg
from psycopg.abc import ConnDict
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb

from worker.errors import StoreUnavailableError
from worker.models import Article
from worker.stores import SaveOutcome, content_hash
from worker.stores.events import article_key

_MIGRATION_NAME = re.compile(r"^(\d+)_([\w-]+)\.sql$")
#: Rows fetched per round trip when listing every article.
_PAGE_ROWS = 500


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def shipped_migrations() -> list[Migration]:
    """The package's migrations, ``NNNN_name.sql`` files in ``migrations/``, in order."""
    found = []
    for entry in resources.files("worker.stores").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda migration: migration.version)


def migrate(conn: psycopg.Connection[Any], migrations: Sequence[Migration]) -> list[int]:
    """Apply the migrations the connection's schema lacks; the versions applied.

    A transaction-scoped advisory lock makes workers starting together wait for
    the first one, which applies everything; the others then find nothing to do.
    """
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('copydesk migrations ' || current_schema()))"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
            " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        pending = [migration for migration in migrations if migration.version not in applied]
        for migration in pending:
            # No parameters: psycopg sends the file as one simple query, many statements allowed.
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
    return [migration.version for migration in pending]


def published_at(value: str | None) -> datetime | None:
    """The ``published`` column from the metadata's ISO date; a date without zone is UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PostgresStore:
    """Articles upserted by canonical URL; a changed text keeps the previous one as a version."""

    name = "postgres"

    def __init__(self, url: str, *, connect_timeout_s: int = 5) -> None:
        self._url = url
        self._connect_timeout_s = connect_timeout_s
        self._conn: psycopg.Connection[Any] | None = None

    def save(self, article: Article) -> SaveOutcome:
        key = article_key(article)
        digest = content_hash(article)
        with self._transaction() as conn:
            if article.story:
                _upsert_story(conn, article.story.story_id, article.story.canonical_key)
            return _upsert_article(conn, key, article, digest)

    def merge_stories(self, surviving_id: str, absorbed_ids: Sequence[str]) -> None:
        absorbed = [story for story in absorbed_ids if story != surviving_id]
        # Story rows first, then articles: the order save() locks them in.
        with self._transaction() as conn:
            _upsert_story(conn, surviving_id, None)
            conn.execute(
                "UPDATE stories SET merged_into = %s, updated_at = now() WHERE story_id = ANY(%s)"
                " OR merged_into = ANY(%s)",
                (surviving_id, absorbed, absorbed),
            )
            conn.execute(
                "UPDATE articles SET story_id = %s, updated_at = now() WHERE story_id = ANY(%s)",
                (surviving_id, absorbed),
            )

    def get(self, key_or_id: str) -> dict[str, Any] | None:
        """An article by canonical URL, fetched URL or row id, as :meth:`articles` gives it."""
        row_id = int(key_or_id) if key_or_id.isdigit() else None
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT id, story_id, record FROM articles"
                " WHERE canonical_url = %s OR url = %s OR id = %s ORDER BY id LIMIT 1",
                (key_or_id, key_or_id, row_id),
            ).fetchone()
        return _reader_record(row) if row else None

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every article's record plus its current ``story_id`` and row ``id``, oldest first."""
        last_id = 0
        while True:
            with self._transaction() as conn:
                rows = conn.execute(
                    "SELECT id, story_id, record FROM articles WHERE id > %s ORDER BY id LIMIT %s",
                    (last_id, _PAGE_ROWS),
                ).fetchall()
            yield from map(_reader_record, rows)
            if len(rows) < _PAGE_ROWS:
                return
            last_id = rows[-1][0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction on the store's connection; a lost connection becomes retryable."""
        try:
            conn = self._connection()
            with conn.transaction():
                yield conn
        except psycopg.OperationalError as exc:
            # Deadlocks and serialization failures are OperationalErrors too: a retry
            # fixes them as well, and a fresh connection costs little.
            self.close()
            raise StoreUnavailableError(f"PostgreSQL store unavailable: {exc}") from exc

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            defaults: ConnDict = {
                "connect_timeout": self._connect_timeout_s,
                "application_name": "copydesk",
            }
            # What the URL says wins over the defaults.
            conninfo = make_conninfo("", **{**defaults, **conninfo_to_dict(self._url)})
            conn = psycopg.connect(conninfo, autocommit=True)
            try:
                migrate(conn, shipped_migrations())
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn


def _upsert_story(conn: psycopg.Connection[Any], story_id: str, canonical_url: str | None) -> None:
    conn.execute(
        "INSERT INTO stories (story_id, canonical_url) VALUES (%s, %s)"
        " ON CONFLICT (story_id) DO UPDATE SET canonical_url = EXCLUDED.canonical_url,"
        " updated_at = now() WHERE EXCLUDED.canonical_url IS NOT NULL"
        " AND stories.canonical_url IS DISTINCT FROM EXCLUDED.canonical_url",
        (story_id, canonical_url),
    )


def _upsert_article(
    conn: psycopg.Connection[Any], key: str, article: Article, digest: str
) -> SaveOutcome:
    current = _lock_article(conn, key)
    if current is None:
        if _insert_article(conn, key, article, digest):
            return SaveOutcome.CREATED
        # Another worker inserted it since we looked: now it is there to lock.
        current = _lock_article(conn, key)
        if current is None:
            raise StoreUnavailableError(f"article {key} vanished while being saved")
    row_id, stored_hash = current
    if stored_hash == digest:
        _update_story_id(conn, row_id, article)
        return SaveOutcome.UNCHANGED
    conn.execute(
        "INSERT INTO article_versions (article_id, content_hash, record, stored_at)"
        " SELECT id, content_hash, record, updated_at FROM articles WHERE id = %s",
        (row_id,),
    )
    _replace_article(conn, row_id, article, digest)
    return SaveOutcome.UPDATED


def _lock_article(conn: psycopg.Connection[Any], key: str) -> tuple[int, str] | None:
    row = conn.execute(
        "SELECT id, content_hash FROM articles WHERE canonical_url = %s FOR UPDATE", (key,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def _columns(article: Article, digest: str) -> dict[str, Any]:
    meta = article.metadata
    return {
        "url": article.url,
        "title": meta.title,
        "outlet": meta.outlet,
        "agency": meta.agency,
        "published": published_at(meta.published),
        "language": meta.language,
        "story_id": article.story.story_id if article.story else None,
        "content_hash": digest,
        "record": Jsonb(article.to_dict()),
    }


def _insert_article(conn: psycopg.Connection[Any], key: str, article: Article, digest: str) -> bool:
    row = conn.execute(
        "INSERT INTO articles (canonical_url, url, title, outlet, agency, published, language,"
        " story_id, content_hash, record) VALUES (%(key)s, %(url)s, %(title)s, %(outlet)s,"
        " %(agency)s, %(published)s, %(language)s, %(story_id)s, %(content_hash)s, %(record)s)"
        " ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
        {"key": key, **_columns(article, digest)},
    ).fetchone()
    return row is not None


def _replace_article(
    conn: psycopg.Connection[Any], row_id: int, article: Article, digest: str
) -> None:
    conn.execute(
        "UPDATE articles SET url = %(url)s, title = %(title)s, outlet = %(outlet)s,"
        " agency = %(agency)s, published = %(published)s, language = %(language)s,"
        " story_id = COALESCE(%(story_id)s, story_id), content_hash = %(content_hash)s,"
        " record = %(record)s, updated_at = now() WHERE id = %(id)s",
        {"id": row_id, **_columns(article, digest)},
    )


def _update_story_id(conn: psycopg.Connection[Any], row_id: int, article: Article) -> None:
    if article.story:
        conn.execute(
            "UPDATE articles SET story_id = %s WHERE id = %s AND story_id IS DISTINCT FROM %s",
            (article.story.story_id, row_id, article.story.story_id),
        )


def _reader_record(row: tuple[Any, ...]) -> dict[str, Any]:
    row_id, story_id, record = row
    return {**record, "story_id": story_id, "id": row_id}
