"""What travels on the queues between tasks, and what a task returns."""

from __future__ import annotations

from typing import Any

from worker.models import Article, RawPage


def article_summary(article: Article, stored: dict[str, str]) -> dict[str, Any]:
    """The task result users watch: enough to read in a table, not the whole article."""
    meta = article.metadata
    story = article.story
    return {
        "status": "stored" if stored else str(article.body.status),
        "url": article.url,
        "key": article.key,
        "title": meta.title,
        "outlet": meta.outlet,
        "agency": meta.agency,
        "published": meta.published,
        "words": article.body.word_count,
        "body_status": str(article.body.status),
        "story_id": story.story_id if story else None,
        "canonical": bool(story and story.canonical_key == article.key),
        "stored": stored,
    }


def fetch_summary(
    url: str, page: RawPage | None = None, process_task_id: str | None = None
) -> dict[str, Any]:
    """A fetch's result: unchanged (no page), or the page's final URL and its processing task."""
    if page is None:
        return {"status": "unchanged", "url": url}
    return {
        "status": "fetched",
        "url": url,
        "final_url": page.url,
        "process_task_id": process_task_id,
    }
