"""What travels on the queues between tasks, and what a task returns."""

from __future__ import annotations

from typing import Any

from worker.models import Article, RawPage


def page_message(page: RawPage) -> dict[str, Any]:
    return {
        "url": page.url,
        "body": page.body,
        "content_type": page.content_type,
        "fetched_at": page.fetched_at,
    }


def page_from_message(message: dict[str, Any]) -> RawPage:
    body = message["body"]
    return RawPage(
        url=message.get("url"),
        body=body.encode() if isinstance(body, str) else body,
        content_type=message.get("content_type"),
        fetched_at=message.get("fetched_at"),
    )


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
