"""Waiting for tasks and showing what became of them."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any

import click
from celery.result import AsyncResult
from celery.states import SUCCESS

_POLL_S = 0.2
_BATCH = 1000
_COLUMNS = (
    ("status", 10),
    ("title", 44),
    ("outlet", 22),
    ("agency", 8),
    ("story", 10),
    ("source", 40),
)


def outcome(meta: dict[str, Any]) -> dict[str, Any]:
    """A finished task's result, or its failure as a status and reason, from its task meta."""
    if meta["status"] == SUCCESS:
        value: dict[str, Any] = meta["result"]
        return value
    error = meta["result"]
    reason = getattr(error, "reason", type(error).__name__)
    return {"status": "failed", "error": f"{reason}: {error}"}


def child_of(meta: dict[str, Any]) -> str | None:
    """The id of the task a finished task handed its URL on to, if any: the processing
    task of a fetched page, or the fresh fetch of a page that was lost."""
    result = meta["result"]
    if meta["status"] == SUCCESS and isinstance(result, dict):
        child: str | None = result.get("process_task_id") or result.get("fetch_task_id")
        return child
    return None


def wait_all(results: dict[str, AsyncResult], timeout_s: float) -> dict[str, dict[str, Any]]:
    """Each source's final outcome, following fetch tasks into their processing task."""
    pending = dict(results)
    done: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout_s
    with click.progressbar(length=len(pending), label="processing", file=sys.stderr) as bar:
        while pending and time.monotonic() < deadline:
            finished = _advance(pending)
            done.update(finished)
            bar.update(len(finished))
            if pending:
                time.sleep(_POLL_S)
    unfinished = {"status": "pending", "error": f"not finished after {timeout_s:.0f}s"}
    return done | {source: unfinished for source in pending}


def _advance(pending: dict[str, AsyncResult]) -> dict[str, dict[str, Any]]:
    """Move finished fetches on to their processing task; take out and return what ended."""
    finished = {}
    for source, meta in _ready(pending).items():
        child = child_of(meta)
        if child is None:
            finished[source] = outcome(meta)
            del pending[source]
        else:
            pending[source] = AsyncResult(child, app=pending[source].app)
    return finished


def _ready(pending: dict[str, AsyncResult]) -> dict[str, dict[str, Any]]:
    """The task meta of each source whose task has ended, read in batches (one MGET each)."""
    sources = list(pending)
    ready: dict[str, dict[str, Any]] = {}
    for start in range(0, len(sources), _BATCH):
        batch = sources[start : start + _BATCH]
        metas = pending[batch[0]].backend.ended_metas([pending[source].id for source in batch])
        ready.update((source, meta) for source, meta in zip(batch, metas, strict=True) if meta)
    return ready


def print_table(outcomes: dict[str, dict[str, Any]]) -> None:
    click.echo(_row({name: name for name, _ in _COLUMNS}))
    for source, value in outcomes.items():
        if "error" in value:
            # Errors are printed whole: the reason is what the user needs to read.
            click.echo(f"{_fit(value['status'], _COLUMNS[0][1])}  {source}: {value['error']}")
        else:
            click.echo(_row(_cells(source, value)))


def _cells(source: str, value: dict[str, Any]) -> dict[str, str]:
    return {
        "status": str(value.get("status", "")),
        "title": str(value.get("title") or ""),
        "outlet": str(value.get("outlet") or ""),
        "agency": str(value.get("agency") or ""),
        "story": str(value.get("story_id") or "")[:8],
        "source": source,
    }


def _row(cells: dict[str, str]) -> str:
    return "  ".join(_fit(cells[name], width) for name, width in _COLUMNS).rstrip()


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def exit_code(outcomes: Sequence[dict[str, Any]]) -> int:
    return 0 if all(value.get("status") != "failed" for value in outcomes) else 1
