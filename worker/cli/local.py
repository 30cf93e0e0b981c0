"""Commands that run stages in this process: no queue, no worker."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from config import get_settings
from worker.dedup import Story
from worker.inputs import Rejected, pages_from_manifest, pages_from_paths
from worker.models import RawPage
from worker.pipeline import extract_article


def _pages(
    paths: tuple[Path, ...], manifest: Path | None, url: str | None
) -> list[RawPage | Rejected]:
    pages = list(pages_from_paths(paths))
    if url is not None:
        pages = [RawPage(url=url, body=p.body) if isinstance(p, RawPage) else p for p in pages]
    if manifest is not None:
        pages += list(pages_from_manifest(manifest))
    return pages


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--url", default=None, help="The URL the page was served at.")
@click.option(
    "--manifest", type=click.Path(path_type=Path), help="JSON lines: {url, path} or {url, html}."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per page.")
def extract(paths: tuple[Path, ...], url: str | None, manifest: Path | None, as_json: bool) -> None:
    """Clean pages and read their metadata here, without the queue."""
    if not paths and manifest is None:
        raise click.UsageError("give PATHs or --manifest FILE")
    max_chars = get_settings().max_parse_chars
    failed = 0
    for page in _pages(paths, manifest, url):
        if isinstance(page, Rejected):
            click.echo(f"error: {page.source}: {page.reason}", err=True)
            failed += 1
            continue
        record = extract_article(page, max_chars).to_dict()
        click.echo(json.dumps(record, ensure_ascii=False) if as_json else _readable(record))
    sys.exit(1 if failed else 0)


def _readable(record: dict[str, Any]) -> str:
    fields = ("url", "title", "authors", "published", "outlet", "agency", "dateline", "status")
    head = "\n".join(f"{name}: {record[name]}" for name in fields)
    return f"{head}\n\n{record['text']}\n"


def print_stories(stories: Iterable[Story]) -> None:
    """Each story with its copies, ``*`` marking the canonical version."""
    for story in stories:
        count = len(story.members)
        click.echo(f"story {story.story_id}  ({count} {'copy' if count == 1 else 'copies'})")
        for member in story.members:
            mark = "*" if member.key == story.canonical_key else " "
            where = member.url or member.key
            click.echo(f"  {mark} {member.outlet or '?':24} {member.similarity:4.2f}  {where}")


@click.command()
@click.option("--limit", type=int, default=50, show_default=True)
def stories(limit: int) -> None:
    """List story clusters and their copies (* marks the canonical version)."""
    from worker.runtime import story_index

    print_stories(story_index().stories(limit=limit))


@click.command()
@click.option("--manifest", required=True, type=click.Path(path_type=Path, allow_dash=True))
def dedup(manifest: Path) -> None:
    """Cluster a batch in a fresh namespace: lines {id, url, title, text|html|path}."""
    from worker.cli.batch_dedup import cluster_manifest

    sys.exit(cluster_manifest(manifest, namespace=f"batch-{uuid.uuid4().hex[:12]}"))
