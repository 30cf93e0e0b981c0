"""The processing tasks: clean, read metadata, place in a story and store, in one process."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.states import SUCCESS

from config import get_settings
from config.celery import FETCH_TASK, PROCESS_BATCH_TASK, PROCESS_TASK
from tasks.base import PipelineTask
from tasks.batches import BatchTask, Submission, carry_on_alone, pass_on, store_results
from tasks.deliver import save_everywhere
from tasks.messages import article_summary
from tasks.retrying import retry_for
from worker import runtime
from worker.app import app
from worker.errors import InputError, RetryableError
from worker.handoff import HANDED_IN
from worker.models import BodyStatus, RawPage
from worker.pipeline import extract_article, story_document

_settings = get_settings()


@app.task(name=PROCESS_TASK, base=PipelineTask, bind=True)
def process(self: Task, message: dict[str, Any]) -> dict[str, Any]:
    """Run every stage after fetching on one page; safe to run again on the same page."""
    [page] = runtime.handoff().claim([message])
    if page is None:
        return _stored_already(self) or _refetch(self, message)
    try:
        summary = _process(page)
    except RetryableError as exc:
        raise retry_for(self, exc) from exc
    runtime.handoff().release([message])
    return summary


@app.task(name=PROCESS_BATCH_TASK, base=BatchTask, bind=True, single_task=PROCESS_TASK)
def process_batch(self: Task, submissions: list[Submission]) -> dict[str, int]:
    """Process fetched or handed-in pages, ``[task id, page message]`` each, one after
    another; each page's result is stored under its own task id.

    A page that fails goes on alone as a ``process`` task under its id (a permanent
    failure is recorded at once), and so do the pages left at the soft time limit.
    """
    if self.split_if_run_before(submissions):
        return {"submitted": len(submissions), "processed": 0}
    pages = runtime.handoff().claim([message for _, message in submissions])
    results: dict[str, Any] = {}
    for position, ((task_id, message), page) in enumerate(zip(submissions, pages, strict=True)):
        try:
            results[task_id] = _refetch(self, message) if page is None else _process(page)
        except SoftTimeLimitExceeded:
            for later_id, later_message in submissions[position:]:
                carry_on_alone(process, later_id, (later_message,))
            break
        except Exception as exc:  # each page's failure is its own
            pass_on(self, process, task_id, message, exc)
    store_results(self, results)
    runtime.handoff().release([message for task_id, message in submissions if task_id in results])
    return {"submitted": len(submissions), "processed": len(results)}


def _process(page: RawPage) -> dict[str, Any]:
    article = extract_article(page, _settings.max_parse_chars)
    if article.body.status is not BodyStatus.OK:
        return article_summary(article, stored={})
    article = replace(article, story=runtime.story_index().add(story_document(article)))
    return article_summary(article, save_everywhere(article))


def _stored_already(task: Task) -> dict[str, Any] | None:
    """This task's result, when a run before it (its batch's, or its own) stored one and
    released the page."""
    meta = task.backend.get_task_meta(task.request.id)
    return cast(dict[str, Any], meta["result"]) if meta["status"] == SUCCESS else None


def _refetch(task: Task, message: dict[str, Any]) -> dict[str, Any]:
    """The parked page is gone (processed by a worker that died before acknowledging,
    or kept waiting past its time to live): fetch the URL afresh rather than lose it.
    A page handed in raw cannot be fetched afresh: it fails, saying so."""
    url = message.get("url")
    if message.get(HANDED_IN):
        raise InputError(
            f"the page handed in as {url} is gone from Redis (it waited longer than"
            " COPYDESK_HANDOFF_TTL_S, or was processed already): hand it in again"
        )
    child = task.app.send_task(FETCH_TASK, (url,), {"fresh": True})
    return {"status": "refetching", "url": url, "fetch_task_id": child.id}
