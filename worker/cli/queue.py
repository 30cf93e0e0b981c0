"""Commands that put work on the queues and watch it finish."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from celery import Celery
from celery.result import AsyncResult
from celery.states import READY_STATES
from celery.utils import uuid

from config import get_settings
from config.celery import HEARTBEAT_TASK
from worker.errors import InvalidURLError
from worker.handoff import HANDED_IN
from worker.inputs import Rejected, pages_from_manifest, pages_from_paths
from worker.models import RawPage

_Item = TypeVar("_Item")
_WAIT_TIMEOUT_S = 3600.0
_ENABLE_EVENTS_EVERY_S = 5.0


def _reject(source: str, reason: str) -> None:
    click.echo(f"error: {source}: {reason}", err=True)


def read_urls(urls: Sequence[str], file: Path | None) -> list[str]:
    """The URLs given, with ``-`` (or ``--file -``) read from stdin: one a line, ``#`` comments."""
    words = [url for url in urls if url != "-"]
    sources = [file] if file is not None else []
    if "-" in urls:
        sources.append(Path("-"))
    for source in sources:
        text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
        words += [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return words


def queue_urls(urls: Iterable[str]) -> dict[str, AsyncResult]:
    """Queue every valid URL for fetching, ``COPYDESK_BATCH_SIZE`` to a task; report the
    others. Each URL has a task id of its own, under which its result is stored."""
    from tasks.fetch import fetch_batch

    queued: dict[str, AsyncResult] = {}
    with fetch_batch.app.producer_or_acquire() as producer:  # one connection for every batch
        for batch in _batches(list(_valid_urls(urls))):
            submissions = [
                _submission(queued, fetch_batch.app, source, url) for source, url in batch
            ]
            fetch_batch.apply_async((submissions,), producer=producer)
    return queued


def _valid_urls(urls: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each URL as given and normalised; the invalid ones reported and left out."""
    from worker.urls import normalize_url

    for url in urls:
        try:
            yield url, normalize_url(url)
        except InvalidURLError as exc:
            _reject(url, str(exc))


def queue_pages(pages: Iterable[RawPage | Rejected]) -> dict[str, AsyncResult]:
    """Queue every readable raw page for processing, ``COPYDESK_BATCH_SIZE`` to a task;
    report the others. Pages wait in Redis (kombu would base64 their HTML into the
    message) and each has a task id of its own, under which its result is stored."""
    from tasks.process import process_batch
    from worker.runtime import handoff

    queued: dict[str, AsyncResult] = {}
    with process_batch.app.producer_or_acquire() as producer:
        for batch in _batches(list(_readable(pages))):
            messages = [{**message, HANDED_IN: True} for message in handoff().park(batch)]
            submissions = [
                _submission(queued, process_batch.app, page.url or "page", message)
                for page, message in zip(batch, messages, strict=True)
            ]
            process_batch.apply_async((submissions,), producer=producer)
    return queued


def _readable(pages: Iterable[RawPage | Rejected]) -> Iterator[RawPage]:
    for page in pages:
        if isinstance(page, Rejected):
            _reject(page.source, page.reason)
        else:
            yield page


def _batches(items: list[_Item]) -> Iterator[list[_Item]]:
    size = get_settings().batch_size
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _submission(
    queued: dict[str, AsyncResult], app: Celery, source: str, argument: Any
) -> list[Any]:
    """A new task id for ``source``, noted in ``queued``, with what its stage is given."""
    result = AsyncResult(uuid(), app=app)
    queued[_unique(queued, source)] = result
    return [result.id, argument]


def _unique(queued: dict[str, AsyncResult], source: str) -> str:
    """``source``, numbered when the same page is handed in more than once."""
    if source not in queued:
        return source
    return next(
        f"{source} ({n})" for n in range(2, len(queued) + 2) if f"{source} ({n})" not in queued
    )


def report(queued: dict[str, AsyncResult], wait: bool, timeout_s: float = _WAIT_TIMEOUT_S) -> int:
    """Print task ids, or wait and print the results table; the command's exit status."""
    from worker.cli.results import exit_code, print_table, wait_all

    if not queued:
        click.echo("error: nothing was queued", err=True)
        return 2
    if not wait:
        for source, result in queued.items():
            click.echo(f"{result.id}  {source}")
        return 0
    outcomes = wait_all(queued, timeout_s)
    print_table(outcomes)
    return exit_code(list(outcomes.values()))


@click.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--file",
    "-f",
    type=click.Path(path_type=Path, allow_dash=True),
    help="URLs, one a line ('-': stdin).",
)
@click.option("--wait", is_flag=True, help="Show progress, then a table of results.")
def submit(urls: tuple[str, ...], file: Path | None, wait: bool) -> None:
    """Queue URLs for fetching and processing ('-' reads them from stdin)."""
    if not urls and file is None:
        raise click.UsageError("give URLs, --file FILE or --file -")
    sys.exit(report(queue_urls(read_urls(urls, file)), wait))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--manifest", type=click.Path(path_type=Path), help="JSON lines: {url, path} or {url, html}."
)
@click.option("--wait", is_flag=True, help="Show progress, then a table of results.")
def ingest(paths: tuple[Path, ...], manifest: Path | None, wait: bool) -> None:
    """Queue raw pages (files, directories, .html.gz, a manifest), skipping the fetch."""
    if not paths and manifest is None:
        raise click.UsageError("give PATHs or --manifest FILE")
    pages = list(pages_from_paths(paths))
    if manifest is not None:
        pages += list(pages_from_manifest(manifest))
    sys.exit(report(queue_pages(pages), wait))


@click.command()
@click.argument("task_id")
def status(task_id: str) -> None:
    """Show a task's state and result, following a fetch into its processing."""
    from worker.app import app
    from worker.cli.results import child_of, outcome

    meta = app.backend.get_task_meta(task_id)
    while (child := child_of(meta)) is not None:
        click.echo(f"{task_id}: fetched -> {child}")
        task_id, meta = child, app.backend.get_task_meta(child)
    click.echo(f"{task_id}: {meta['status']}")
    if meta["status"] in READY_STATES:
        for key, value in outcome(meta).items():
            click.echo(f"  {key}: {value}")


@click.command()
@click.option("--limit", type=int, default=None, help="Exit after this many finished tasks.")
def watch(limit: int | None) -> None:
    """Print each task as it finishes, live, from the workers' events."""
    from worker.app import app

    seen = 0

    def on_event(event: dict[str, Any]) -> None:
        nonlocal seen
        state.event(event)
        task = state.tasks.get(event["uuid"])
        name = task.name if task else None
        if name == HEARTBEAT_TASK:
            return
        click.echo(_event_line(event, name))
        seen += 1
        if limit is not None and seen >= limit:
            raise KeyboardInterrupt

    state = app.events.State()
    handlers = {kind: on_event for kind in ("task-succeeded", "task-failed", "task-retried")}
    handlers["*"] = state.event
    with app.connection_for_read() as connection:
        receiver = app.events.Receiver(connection, handlers=handlers)
        # Only now, with the configuration read: Celery reads it lazily on first use, and a
        # thread reading it meanwhile sees the defaults (a broker at amqp://localhost).
        threading.Thread(target=_keep_events_on, args=(app,), daemon=True).start()
        with contextlib.suppress(KeyboardInterrupt):
            receiver.capture(limit=None, timeout=None, wakeup=True)


def _keep_events_on(app: Celery) -> None:
    """Workers send task events only while someone watches: ask them, as Flower does,
    every few seconds, so workers started after the watcher are asked too."""
    while True:
        app.control.enable_events()
        time.sleep(_ENABLE_EVENTS_EVERY_S)


def _event_line(event: dict[str, Any], name: str | None) -> str:
    kind = event["type"].removeprefix("task-")
    detail = event.get("exception") or event.get("result") or ""
    return f"{kind:9}  {event['uuid']}  {name or '?'}  {str(detail)[:120]}"
