"""``copydesk dedup --manifest``: cluster a batch in a namespace of its own."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from config import get_settings
from worker.connections import redis_client
from worker.dedup import StoryDocument, StoryIndex
from worker.errors import InputError
from worker.inputs import manifest_page
from worker.pipeline import extract_article, story_document

#: The batch's index keys outlive the command by this much, then Redis drops them.
_BATCH_TTL_S = 3600


def cluster_manifest(manifest: Path, namespace: str) -> int:
    """Print ``{"id", "story", "canonical"}`` per input line; the exit status."""
    settings = get_settings()
    index = StoryIndex(
        redis_client(),
        namespace=namespace,
        window_s=_BATCH_TTL_S,
        min_words=settings.dedup_min_words,
    )
    placed: list[tuple[str, str, str]] = []
    failed = 0
    for source, entry in _entries(manifest):
        try:
            document = _document(entry, manifest.parent)
        except InputError as exc:
            click.echo(f"error: {source}: {exc}", err=True)
            failed += 1
            continue
        placed.append((str(entry["id"]), document.key, index.add(document).story_id))
    for doc_id, key, story_id in placed:
        story = index.story(story_id)
        surviving = story.story_id if story else story_id
        canonical = bool(story and story.canonical_key == key)
        click.echo(json.dumps({"id": doc_id, "story": surviving, "canonical": canonical}))
    return 1 if failed else 0


def _entries(manifest: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    lines = sys.stdin.read() if str(manifest) == "-" else manifest.read_text(encoding="utf-8")
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{manifest}:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            click.echo(f"error: {source}: not JSON: {exc}", err=True)
            continue
        yield source, entry if isinstance(entry, dict) else {}


def _document(entry: dict[str, Any], base_dir: Path) -> StoryDocument:
    if "id" not in entry:
        raise InputError("each line needs an 'id'")
    key = f"batch:{entry['id']}"
    if isinstance(entry.get("text"), str):
        return StoryDocument(
            key=key,
            url=entry.get("url"),
            outlet=entry.get("outlet"),
            title=entry.get("title"),
            text=entry["text"],
            published=entry.get("published"),
            agency=entry.get("agency"),
        )
    page = manifest_page(json.dumps(entry), base_dir)
    article = extract_article(page, get_settings().max_parse_chars)
    document = story_document(article)
    return StoryDocument(
        **{**_fields(document), "key": key, "title": entry.get("title") or document.title}
    )


def _fields(document: StoryDocument) -> dict[str, Any]:
    return {name: getattr(document, name) for name in StoryDocument.__dataclass_fields__}
