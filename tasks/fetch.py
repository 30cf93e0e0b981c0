"""The fetch tasks: download submitted URLs and hand their pages to processing."""

from __future__ import annotations

import time
from typing import Any

from celery import Task
from celery.utils import uuid

from config import get_settings
from config.celery import FETCH_BATCH_TASK, FETCH_TASK
from tasks.base import PipelineTask
from tasks.batches import BatchTask, Submission, carry_on_alone, pass_on, redelivered, store_results
from tasks.messages import fetch_summary
from tasks.process import process, process_batch
from tasks.retrying import backoff_s, retry_for
from worker import runtime
from worker.app import app
from worker.errors import RetryableError
from worker.models import RawPage

_settings = get_settings()
#: Seconds a fetch batch keeps, after its last fetch, to park the pages and store results.
_HAND_ON_S = 5.0


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
    try:
        [message] = runtime.handoff().park([page])
        child = process.apply_async((message,))
    except Exception as exc:
        # The fetch is recorded: fetched again within the refetch window, the page
        # would count as unchanged and never reach processing.
        retry = self.retry(
            exc=exc, kwargs={"url": url, "fresh": True}, countdown=backoff_s(self.request.retries)
        )
        raise retry from exc
    return fetch_summary(url, page, child.id)


@app.task(
    name=FETCH_BATCH_TASK,
    base=BatchTask,
    bind=True,
    single_task=FETCH_TASK,
    resumed_kwargs={"fresh": True},
)
def fetch_batch(self: Task, submissions: list[Submission]) -> dict[str, int]:
    """Fetch submitted URLs, ``[task id, url]`` each, and hand their pages to one
    ``process_batch``; each URL's result is stored under its own task id.

    A URL whose fetch fails goes on alone as a ``fetch`` task (a permanent failure is
    recorded at once), and so do the URLs left when too little of the task's time
    remains for another fetch.
    """
    if self.split_if_run_before(submissions):
        return {"submitted": len(submissions), "fetched": 0}
    started = time.monotonic()
    results: dict[str, Any] = {}
    pages: list[tuple[str, str, RawPage]] = []
    for position, (task_id, url) in enumerate(submissions):
        if position and not _time_for_another_fetch(started):
            for later_id, later_url in submissions[position:]:
                carry_on_alone(fetch, later_id, (later_url,))
            break
        try:
            page = runtime.fetcher().fetch(url)
        except Exception as exc:  # each URL's failure is its own
            pass_on(self, fetch, task_id, url, exc)
            continue
        if page is None:
            results[task_id] = fetch_summary(url)
        else:
            pages.append((task_id, url, page))
    store_results(self, results | _handed_to_processing(pages))
    return {"submitted": len(submissions), "fetched": len(pages)}


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
    """Whether a fetch taking its whole deadline would still end before the soft time
    limit, with a margin for handing the pages on."""
    elapsed = time.monotonic() - started
    return elapsed + _settings.fetch_deadline_s + _HAND_ON_S < _settings.task_soft_time_limit_s
