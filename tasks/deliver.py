"""Handing an article to the stores: each store is retried on its own.

The processing task saves to every store in process (no extra queue hop); a store
that is unavailable gets a delivery task of its own, retried with backoff, so a
slow or failing store never holds the others and never loses an article.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from celery import Task

from config import get_settings
from config.celery import DELIVER_TASK
from tasks.base import PipelineTask
from tasks.retrying import retry_for
from worker import runtime
from worker.app import app
from worker.deadletter import DeadLetter
from worker.errors import PermanentError, RetryableError
from worker.models import Article
from worker.stores import Store

QUEUED = "queued"


def save_everywhere(article: Article) -> dict[str, str]:
    """Each store's outcome; ``queued`` where delivery goes on in a task of its own."""
    outcomes = {}
    for store in runtime.stores():
        try:
            outcomes[store.name] = save(store, article)
        except RetryableError:
            deliver.delay(store.name, article.to_dict())
            outcomes[store.name] = QUEUED
        except PermanentError as exc:
            runtime.dead_letters().add(_undelivered(store.name, article, exc))
            outcomes[store.name] = f"failed: {exc.reason}"
    return outcomes


def _undelivered(store_name: str, article: Article, exc: PermanentError) -> DeadLetter:
    """A delivery that retrying cannot fix, listed so it can be replayed once mended."""
    return DeadLetter(
        task_id=str(uuid.uuid4()),
        task=DELIVER_TASK,
        args=[store_name, article.to_dict()],
        reason=exc.reason,
        error=str(exc),
        failed_at=time.time(),
    )


def save(store: Store, article: Article) -> str:
    outcome = store.save(article)
    if article.story and article.story.merged_story_ids:
        store.merge_stories(article.story.story_id, article.story.merged_story_ids)
    return str(outcome)


@app.task(
    name=DELIVER_TASK, base=PipelineTask, bind=True, max_retries=get_settings().store_max_retries
)
def deliver(self: Task, store_name: str, record: dict[str, Any]) -> str:
    """Save one article to one store, retrying while the store is unavailable."""
    try:
        return save(runtime.store(store_name), Article.from_dict(record))
    except RetryableError as exc:
        raise retry_for(self, exc) from exc
