"""The processing task: clean, read metadata, place in a story and store, in one process."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from celery import Task

from config import get_settings
from config.celery import FETCH_TASK, PROCESS_TASK
from tasks.base import PipelineTask
from tasks.deliver import save_everywhere
from tasks.messages import article_summary
from tasks.retrying import retry_for
from worker import runtime
from worker.app import app
from worker.errors import RetryableError
from worker.models import BodyStatus, RawPage
from worker.pipeline import extract_article, story_document

_settings = get_settings()


@app.task(name=PROCESS_TASK, base=PipelineTask, bind=True)
def process(self: Task, message: dict[str, Any]) -> dict[str, Any]:
    """Run every stage after fetching on one page; safe to run again on the same page."""
    page = runtime.handoff().claim(message)
    if page is None:
        return _refetch(self, message)
    summary = _process(self, page)
    runtime.handoff().release(message)
    return summary


def _process(task: Task, page: RawPage) -> dict[str, Any]:
    article = extract_article(page, _settings.max_parse_chars)
    if article.body.status is not BodyStatus.OK:
        return article_summary(article, stored={})
    try:
        article = replace(article, story=runtime.story_index().add(story_document(article)))
    except RetryableError as exc:
        raise retry_for(task, exc) from exc
    return article_summary(article, save_everywhere(article))


def _refetch(task: Task, message: dict[str, Any]) -> dict[str, Any]:
    """The parked page is gone (processed by a worker that died before acknowledging,
    or kept waiting past its time to live): fetch the URL afresh rather than lose it."""
    url = message.get("url")
    child = task.app.send_task(FETCH_TASK, (url,), {"fresh": True})
    return {"status": "refetching", "url": url, "fetch_task_id": child.id}
