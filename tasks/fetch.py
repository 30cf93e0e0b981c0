"""The fetch tasks: download submitted URLs and hand their pages to processing."""

from __future__ import annotations

import time
from typing import Any

from celery import Task
from celery.utils import uuid

from config import get_settings
from config.celery import FETCH_BATCH_TASK, FETCH_TASK
from tasks.base import PipelineTask, list_failure
from tasks.batches import Submission, carry_on_alone, redelivered, store_results
from tasks.messages import fetch_summary
from tasks.process import process, process_batch
from tasks.retrying import retry_for
from worker import runtime
from worker.app import app
from worker.errors import PermanentError, RetryableError
from worker.models import RawPage

_settings = get_settings()


@app.task(name=FETCH_TASK, base=PipelineTask, bind=True)
def fetch(self: Task, url: str, fresh: bool = False) -> dict[str, Any]:
    """Fetch ``url``; a page worth processing goes on to the process queue.

    ``fresh`` fetches even within the refetch window (a page handed on was lost).
    """
    try:
        page = runtime.fetcher().fetch(url, fresh=fresh or redelivered(self))
    except RetryableError as exc:
        raise retry_for(self, exc) from exc
    if page is None:
        return fetch_summary(url)
    [message] = runtime.handoff().park([page])
    child = process.apply_async((message,))
    return fetch_summary(url, page, child.id)


@app.task(name=FETCH_BATCH_TASK, base=PipelineTask, bind=True)
def fetch_batch(self: Task, submissions: list[Submission]) -> dict[str, int]:
    """Fetch submitted URLs, ``[task id, url]`` each, and hand their pages to one
    ``process_batch``; each URL's result is stored under its own task id.

    A URL whose fetch fails goes on alone as a ``fetch`` task (a permanent failure is
    recorded at once), and so do the URLs left when too little of the task's time
    remains for another fetch. A batch delivered again fetches afresh, as ``fetch`` does.
    """
    fresh = redelivered(self)
    started = time.monotonic()
    results: dict[str, Any] = {}
    pages: list[tuple[str, str, RawPage]] = []
    for position, (task_id, url) in enumerate(submissions):
        if position and not _time_for_another_fetch(started):
            for later_id, later_url in submissions[position:]:
                carry_on_alone(fetch, later_id, (later_url,), {"fresh": fresh})
            break
        try:
            page = runtime.fetcher().fetch(url, fresh=fresh)
        except Exception as exc:  # each URL's failure is its own
            _pass_on(self, task_id, url, fresh, exc)
            continue
        if page is None:
            results[task_id] = fetch_summary(url)
        else:
            pages.append((task_id, url, page))
    store_results(self, results | _handed_to_processing(pages))
    return {"submitted": len(submissions), "fetched": len(pages)}


def _pass_on(task: Task, task_id: str, url: str, fresh: bool, exc: Exception) -> None:
    """A permanent failure is the URL's result; anything else is retried in a task of its own."""
    if isinstance(exc, PermanentError):
        task.backend.mark_as_failure(task_id, exc)
        list_failure(FETCH_TASK, task_id, [url], exc)
    else:
        carry_on_alone(fetch, task_id, (url,), {"fresh": fresh}, exc)


def _handed_to_processing(pages: list[tuple[str, str, RawPage]]) -> dict[str, Any]:
    """Park the pages and send them in one processing task; each URL's fetch result."""
    if not pages:
        return {}
    parked = [[uuid(), message] for message in runtime.handoff().park([page for *_, page in pages])]
    process_batch.apply_async((parked,))
    return {
        task_id: fetch_summary(url, page, process_id)
        for (task_id, url, page), (process_id, _) in zip(pages, parked, strict=True)
    }


def _time_for_another_fetch(started: float) -> bool:
    """Whether a fetch taking its whole deadline would still end before the soft time limit."""
    elapsed = time.monotonic() - started
    return elapsed + _settings.fetch_deadline_s < _settings.task_soft_time_limit_s
