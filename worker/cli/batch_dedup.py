"""``copydesk dedup --manifest``: cluster a batch in a namespace of its own, then drop it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import redis

from config import get_settings
from worker.connections import redis_client
from worker.dedup import StoryDocument, StoryIndex
from worker.errors import InputError
from worker.inputs import manifest_page
from worker.pipeline import extract_article, story_document

#: Should the command die half-way, Redis drops the batch's keys after this long.
_BATCH_TTL_S = 3600


def cluster_manifest(manifest: Path, namespace: str) -> int:
    """Print ``{"id", "story", "canonical"}`` per input line; the exit status."""
    client = redis_client()
    min_words = get_settings().dedup_min_words
    index = StoryIndex(client, namespace=namespace, window_s=_BATCH_TTL_S, min_words=min_words)
    try:
        placed, failed = _place_all(index, manifest)
        for doc_id, key, story_id in placed:
            story = index.story(story_id)
            surviving = story.story_id if story else story_id
            canonical = bool(story and story.canonical_key == key)
            click.echo(json.dumps({"id": doc_id, "story": surviving, "canonical": canonical}))
    finally:
        _drop(client, namespace)
    return 1 if failed else 0


def _place_all(index: StoryIndex, manifest: Path) -> tuple[list[tuple[str, str, str]], int]:
    placed, failed = [], 0
    for source, line in _lines(manifest):
        try:
            entry = _entry(line)
            document = _document(entry, manifest.parent)
        except InputError as exc:
            click.echo(f"error: {source}: {exc}", err=True)
            failed += 1
            continue
        placed.append((str(entry["id"]), document.key, index.add(document).story_id))
    return placed, failed


def _lines(manifest: Path) -> Iterator[tuple[str, str]]:
    text = sys.stdin.read() if str(manifest) == "-" else manifest.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield f"{manifest}:{number}", line


def _entry(line: str) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not JSON: {exc}") from exc
    if not isinstance(entry, dict) or "id" not in entry:
        raise InputError("each line must be a JSON object with an 'id'")
    return entry


def _document(entry: dict[str, Any], base_dir: Path) -> StoryDocument:
    key = f"batch:{entry['id']}"
    if isinstance(entry.get("text"), str):
        given = {
            name: entry.get(name) for name in ("url", "outlet", "title", "published", "agency")
        }
        return StoryDocument(key=key, text=entry["text"], **given)
    page = manifest_page(json.dumps(entry), base_dir)
    document = story_document(extract_article(page, get_settings().max_parse_chars))
    return replace(document, key=key, title=entry.get("title") or document.title)


def _drop(client: redis.Redis, namespace: str) -> None:
    for key in client.scan_iter(match=f"{namespace}:*", count=1000):
        client.delete(key)
