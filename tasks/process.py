"""The processing task: clean, read metadata, place in a story and store, in one process."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from celery import Task

from config import get_settings
from config.celery import PROCESS_TASK
from tasks.messages import article_summary, page_from_message
from tasks.retrying import retry_for
from worker import runtime
from worker.app import app
from worker.errors import RetryableError
from worker.models import Article, BodyStatus
from worker.pipeline import extract_article, story_document

_settings = get_settings()


@app.task(
    name=PROCESS_TASK,
    bind=True,
    max_retries=_settings.max_retries,
    time_limit=_settings.task_time_limit_s,
    soft_time_limit=_settings.task_soft_time_limit_s,
)
def process(self: Task, message: dict[str, Any]) -> dict[str, Any]:
    """Run every stage after fetching on one page; safe to run again on the same page."""
    article = extract_article(page_from_message(message), _settings.max_parse_chars)
    if article.body.status is not BodyStatus.OK:
        return article_summary(article, stored={})
    try:
        article = replace(article, story=runtime.story_index().add(story_document(article)))
        return article_summary(article, _store(article))
    except RetryableError as exc:
        raise retry_for(self, exc) from exc


def _store(article: Article) -> dict[str, str]:
    outcomes = {}
    for store in runtime.stores():
        outcomes[store.name] = str(store.save(article))
        if article.story and article.story.merged_story_ids:
            store.merge_stories(article.story.story_id, article.story.merged_story_ids)
    return outcomes
