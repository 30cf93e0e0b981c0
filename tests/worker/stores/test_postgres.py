from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from config import Settings
from tests.conftest import TEST_POSTGRES_URL, postgres_url
from worker.errors import StoreUnavailableError
from worker.models import Article, Body, BodyStatus, Metadata, StoryLink
from worker.stores import SaveOutcome, open_reader, open_stores
from worker.stores.postgres import (
    Migration,
    PostgresStore,
    migrate,
    published_at,
    shipped_migrations,
)


def _url(schema: str, application_name: str = "copydesk-test") -> str:
    return postgres_url(schema, application_name)


@pytest.fixture
def store(schema: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(_url(schema))
    yield opened
    opened.close()


def _article(text: str, key: str = "https://example.com/story", story: str = "s1") -> Article:
    return Article(
        url=f"{key}?utm_source=x",
        metadata=Metadata(
            title="Headline",
            canonical_url=key,
            outlet="Example",
            agency="AP",
            published="2026-03-04",
            language="en",
        ),
        body=Body(text=text, html=f"<p>{text}</p>", status=BodyStatus.OK),
        story=StoryLink(story_id=story, canonical_key=key, similarity=1.0),
    )


def _rows(admin: psycopg.Connection[Any], schema: str, query: str) -> list[tuple[Any, ...]]:
    with admin.transaction():
        admin.execute(f"SET LOCAL search_path = {schema}")
        return admin.execute(query.encode()).fetchall()


def test_same_article_twice_is_stored_once(
    store: PostgresStore, admin: psycopg.Connection[Any], schema: str
) -> None:
    assert store.save(_article("First text.")) is SaveOutcome.CREATED
    assert store.save(_article("First text.")) is SaveOutcome.UNCHANGED
    rows = _rows(
        admin,
        schema,
        "SELECT canonical_url, outlet, agency, language, published::date::text FROM articles",
    )
    assert rows == [("https://example.com/story", "Example", "AP", "en", "2026-03-04")]
    assert _rows(admin, schema, "SELECT count(*) FROM article_versions") == [(0,)]


def test_changed_text_updates_and_keeps_the_earlier_version(
    store: PostgresStore, admin: psycopg.Connection[Any], schema: str
) -> None:
    store.save(_article("First text."))
    assert store.save(_article("Updated text.")) is SaveOutcome.UPDATED
    record = store.get("https://example.com/story")
    assert record is not None and record["text"] == "Updated text." and record["story_id"] == "s1"
    versions = _rows(admin, schema, "SELECT record->>'text' FROM article_versions")
    assert versions == [("First text.",)]


def test_get_finds_an_article_by_fetched_url_and_by_id(store: PostgresStore) -> None:
    store.save(_article("Text."))
    by_key = store.get("https://example.com/story")
    assert by_key is not None
    assert store.get("https://example.com/story?utm_source=x") == by_key
    assert store.get(str(by_key["id"])) == by_key
    assert store.get("https://example.com/elsewhere") is None


def test_story_merge_moves_members_and_marks_the_absorbed_story(
    store: PostgresStore, admin: psycopg.Connection[Any], schema: str
) -> None:
    store.save(_article("Text.", story="s1"))
    store.save(_article("Copy.", key="https://example.org/copy", story="s2"))
    store.merge_stories("s1", ["s2"])
    assert {record["story_id"] for record in store.articles()} == {"s1"}
    stories = _rows(admin, schema, "SELECT story_id, merged_into FROM stories ORDER BY story_id")
    assert stories == [("s1", None), ("s2", "s1")]


def test_articles_lists_every_article_in_order(store: PostgresStore) -> None:
    keys = [f"https://example.com/{index}" for index in range(3)]
    for key in keys:
        store.save(_article(f"Text of {key}.", key=key))
    assert [record["canonical_url"] for record in store.articles()] == keys


def test_migrations_apply_once_when_workers_start_together(
    schema: str, admin: psycopg.Connection[Any]
) -> None:
    outcomes: list[SaveOutcome] = []

    def start_and_save() -> None:
        worker_store = PostgresStore(_url(schema))
        outcomes.append(worker_store.save(_article("Same text.")))
        worker_store.close()

    threads = [threading.Thread(target=start_and_save) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted([SaveOutcome.CREATED] + [SaveOutcome.UNCHANGED] * 3)
    versions = _rows(admin, schema, "SELECT version FROM schema_migrations")
    assert versions == [(migration.version,) for migration in shipped_migrations()]


def test_a_new_migration_upgrades_an_existing_schema(store: PostgresStore, schema: str) -> None:
    store.save(_article("Text."))
    later = Migration(9999, "add_column", "ALTER TABLE articles ADD COLUMN reviewed boolean;")
    with psycopg.connect(_url(schema), autocommit=True) as conn:
        assert migrate(conn, [*shipped_migrations(), later]) == [9999]
        assert migrate(conn, [*shipped_migrations(), later]) == []
        assert conn.execute("SELECT reviewed FROM articles").fetchall() == [(None,)]


def test_unreachable_server_is_retryable() -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = PostgresStore(f"postgresql://postgres@127.0.0.1:{port}/test", connect_timeout_s=2)
    with pytest.raises(StoreUnavailableError):
        store.save(_article("Text."))


class _Relay:
    """A TCP relay to PostgreSQL that can be cut and restored on the same port: an outage."""

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.port = 0

    def up(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.02)  # lets the accept loop notice down()
        self.port = listener.getsockname()[1]
        self._stopped.clear()
        self._spawn(self._accept, listener)

    def down(self) -> None:
        self._stopped.set()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join()
        for sock in self._sockets:
            sock.close()
        self._sockets.clear()
        self._threads.clear()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while not self._stopped.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                upstream = socket.create_connection(self._target)
                self._sockets += [client, upstream]
                self._spawn(_pipe, client, upstream)
                self._spawn(_pipe, upstream, client)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
        sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def relay() -> Iterator[_Relay]:
    params = conninfo_to_dict(TEST_POSTGRES_URL)
    opened = _Relay((str(params.get("host", "127.0.0.1")), int(params.get("port") or 5432)))
    opened.up()
    yield opened
    opened.down()


def test_server_unreachable_for_a_while_then_back(
    relay: _Relay, schema: str, admin: psycopg.Connection[Any]
) -> None:
    url = make_conninfo(_url(schema), host="127.0.0.1", port=relay.port)
    store = PostgresStore(url, connect_timeout_s=2)
    store.save(_article("First text."))
    relay.down()
    backlog = [_article("Updated text."), _article("Other.", key="https://example.org/copy")]
    # Both the open connection and a new one fail while the server is away.
    for article in [*backlog, *backlog]:
        with pytest.raises(StoreUnavailableError):
            store.save(article)
    relay.up()
    assert [store.save(article) for article in backlog] == [
        SaveOutcome.UPDATED,
        SaveOutcome.CREATED,
    ]
    assert [store.save(article) for article in backlog] == [SaveOutcome.UNCHANGED] * 2
    store.close()
    texts = _rows(admin, schema, "SELECT record->>'text' FROM articles ORDER BY id")
    assert texts == [("Updated text.",), ("Other.",)]
    assert _rows(admin, schema, "SELECT record->>'text' FROM article_versions") == [
        ("First text.",)
    ]


def test_store_reconnects_after_its_connection_is_killed(
    schema: str, admin: psycopg.Connection[Any]
) -> None:
    application = f"copydesk-test-{uuid.uuid4().hex[:8]}"
    store = PostgresStore(_url(schema, application))
    store.save(_article("First text."))
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
        (application,),
    )
    changed = _article("Updated text.")
    outcomes: list[SaveOutcome | None] = []
    for _attempt in range(2):  # the delivery task's retry, made by hand
        try:
            outcomes.append(store.save(changed))
        except StoreUnavailableError:
            outcomes.append(None)
    store.close()
    assert outcomes == [None, SaveOutcome.UPDATED]
    assert _rows(admin, schema, "SELECT record->>'text' FROM articles") == [("Updated text.",)]
    assert _rows(admin, schema, "SELECT count(*) FROM article_versions") == [(1,)]


def test_unchanged_article_placed_in_another_story_moves(store: PostgresStore) -> None:
    store.save(_article("Text.", story="s1"))
    assert store.save(_article("Text.", story="s9")) is SaveOutcome.UNCHANGED
    record = store.get("https://example.com/story")
    assert record is not None and record["story_id"] == "s9"


def test_article_without_story_keeps_its_story_when_updated(store: PostgresStore) -> None:
    store.save(_article("Text.", story="s1"))
    store.save(replace(_article("New text."), story=None))
    record = store.get("https://example.com/story")
    assert record is not None and record["story_id"] == "s1"


def test_reader_and_store_come_from_settings(schema: str, tmp_path: Path) -> None:
    settings = Settings(stores=("sqlite", "postgres"), postgres_url=_url(schema), data_dir=tmp_path)
    stores = open_stores(settings)
    for opened in stores:
        opened.save(_article("Text."))
        opened.close()
    reader = open_reader(settings)
    assert isinstance(reader, PostgresStore)
    assert [record["canonical_url"] for record in reader.articles()] == [
        "https://example.com/story"
    ]
    reader.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-04", datetime(2026, 3, 4, tzinfo=UTC)),
        ("2026-03-04T10:30:00+02:00", datetime(2026, 3, 4, 8, 30, tzinfo=UTC)),
        ("2026-03-04T10:30:00", datetime(2026, 3, 4, 10, 30, tzinfo=UTC)),
        ("March 2026", None),
        (None, None),
    ],
)
def test_published_column_reads_iso_dates(value: str | None, expected: datetime | None) -> None:
    assert published_at(value) == expected
