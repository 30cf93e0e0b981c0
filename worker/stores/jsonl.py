"""The JSON Lines store: one event per line, in files rotated by day and by size.

Files are named ``articles-YYYY-MM-DD-NNNN.jsonl`` (UTC day, then part number),
so sorting the names orders the events. A part is left once the next line
would take it past ``max_bytes``; a line is never split.

Several worker processes may share the directory: each save runs inside a
write transaction on the directory's small SQLite index (key -> content hash),
which both serialises the appends and makes them idempotent. The line is
appended and synced before the index records it, so a crash in between can at
worst repeat a line on retry, never lose one; consumers may drop repeats by
``(key, content_hash)``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from worker.models import Article
from worker.stores import SaveOutcome, content_hash
from worker.stores.events import article_event, article_key, merge_event
from worker.stores.sqlite import connect_shared

INDEX_NAME = ".index.sqlite3"


def _utc_today() -> date:
    return datetime.now(UTC).date()


class JsonlStore:
    """Appends ``article.created``/``article.updated``/``story.merged`` events to files."""

    name = "jsonl"

    def __init__(
        self, directory: Path, max_bytes: int, *, today: Callable[[], date] = _utc_today
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._directory = directory
        self._max_bytes = max_bytes
        self._today = today
        # Other processes hold the write lock only for one append: wait rather than fail.
        self._index = connect_shared(directory / INDEX_NAME)
        self._index.execute(
            "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, content_hash TEXT NOT NULL)"
        )
        self._part = 1

    def save(self, article: Article) -> SaveOutcome:
        key = article_key(article)
        digest = content_hash(article)
        with self._locked():
            row = self._index.execute(
                "SELECT content_hash FROM seen WHERE key = ?", (key,)
            ).fetchone()
            if row is not None and row[0] == digest:
                return SaveOutcome.UNCHANGED
            outcome = SaveOutcome.CREATED if row is None else SaveOutcome.UPDATED
            self._append(article_event(outcome, key, digest, article))
            self._index.execute(
                "INSERT INTO seen (key, content_hash) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET content_hash = excluded.content_hash",
                (key, digest),
            )
        return outcome

    def merge_stories(self, surviving_id: str, absorbed_ids: Sequence[str]) -> None:
        with self._locked():
            self._append(merge_event(surviving_id, absorbed_ids))

    def close(self) -> None:
        self._index.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The directory's write lock, held by one process at a time."""
        self._index.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._index.execute("ROLLBACK")
            raise
        self._index.execute("COMMIT")

    def _append(self, event: dict[str, Any]) -> None:
        line = (json.dumps(event, ensure_ascii=False) + "\n").encode()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        descriptor = os.open(self._file_for(len(line)), flags, 0o644)
        try:
            _write_all(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def _file_for(self, line_bytes: int) -> Path:
        """Today's first part with room for the line (an empty part takes any line)."""
        day = self._today().isoformat()
        if not self._path(day, self._part).exists():
            self._part = 1  # a new day, or files moved away: start from the first part
        while True:
            path = self._path(day, self._part)
            size = path.stat().st_size if path.exists() else 0
            if size == 0 or size + line_bytes <= self._max_bytes:
                return path
            self._part += 1

    def _path(self, day: str, part: int) -> Path:
        return self._directory / f"articles-{day}-{part:04d}.jsonl"


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
