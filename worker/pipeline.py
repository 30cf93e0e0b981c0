"""Extraction in process: bytes in, a cleaned article with its metadata out."""

from __future__ import annotations

from dataclasses import replace

from worker.clean import extract_body
from worker.dedup import StoryDocument
from worker.encoding import decode_html
from worker.html import parse_html
from worker.metadata import extract_metadata
from worker.metadata.authors import first_names
from worker.models import Article, RawPage


def extract_article(page: RawPage, max_parse_chars: int) -> Article:
    """Decode, parse once, clean and read metadata; never raises on bad HTML."""
    text = decode_html(page.body, page.content_type)
    root, truncated = parse_html(text, max_parse_chars)
    url = _storable(page.url)
    body = extract_body(root, url)
    metadata = extract_metadata(root, url, body.text)
    return Article(url=url, metadata=metadata, body=replace(body, truncated=truncated))


def warm_up() -> None:
    """Load what extraction otherwise loads on its first page (Faker's first-name lists,
    0.15 s): run in a worker's main process before its pool forks, every pool process,
    replaced after ``worker_max_tasks_per_child`` tasks, starts with it."""
    first_names()


def _storable(url: str | None) -> str | None:
    """The URL with unpaired surrogates (from a command line or a JSON escape) made U+FFFD."""
    return url.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if url else url


def story_document(article: Article) -> StoryDocument:
    """What the dedup index needs to know of an article."""
    meta = article.metadata
    return StoryDocument(
        key=article.key or "",
        url=article.url,
        outlet=meta.outlet,
        title=meta.title,
        text=article.body.text,
        published=meta.published,
        agency=meta.agency,
    )
