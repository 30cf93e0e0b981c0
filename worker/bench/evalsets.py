"""Loaders for the evaluation sets in ``shared/eval`` (see its README)."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The url of the ``origin`` remote in a repository's ``.git/config``.
_ORIGIN_URL = re.compile(r'\[remote "origin"\][^\[]*?^\s*url\s*=\s*(.+)$', re.MULTILINE)


def eval_dir() -> Path:
    """``COPYDESK_EVAL_DIR``, else ``shared/eval`` beside the repository, else beside the
    local repository it was cloned from (a scratch clone elsewhere finds the sets too)."""
    configured = os.environ.get("COPYDESK_EVAL_DIR")
    if configured:
        return Path(configured)
    repository = Path(__file__).resolve().parents[2]
    places = [repository, *_local_origin(repository)]
    found = (place.parent / "shared" / "eval" for place in places)
    return next((path for path in found if path.is_dir()), repository.parent / "shared" / "eval")


def _local_origin(repository: Path) -> list[Path]:
    """The directory the repository was cloned from, when that was a local path."""
    try:
        config = (repository / ".git" / "config").read_text()
    except OSError:
        return []
    origin = _ORIGIN_URL.search(config)
    url = origin.group(1).strip().removeprefix("file://") if origin else ""
    return [Path(url)] if url.startswith("/") else []


@dataclass(frozen=True, slots=True)
class BodyCase:
    """An article-body page: its HTML bytes and the true article text."""

    page_id: str
    url: str
    html: bytes
    article_body: str


@dataclass(frozen=True, slots=True)
class SnippetCase:
    """A snippets page: passages that must and must not be extracted, gold metadata."""

    url: str
    html: bytes
    with_passages: tuple[str, ...]
    without_passages: tuple[str, ...]
    gold: dict[str, Any] = field(default_factory=dict)


def _gunzip(path: Path) -> bytes:
    with gzip.open(path, "rb") as handle:
        return handle.read()


def article_body_cases(root: Path | None = None) -> Iterator[BodyCase]:
    base = (root or eval_dir()) / "article-body"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, entry in sorted(truth.items()):
        html = _gunzip(base / "html" / f"{page_id}.html.gz")
        yield BodyCase(page_id, entry.get("url", ""), html, entry["articleBody"])


def snippet_cases(root: Path | None = None) -> Iterator[SnippetCase]:
    base = (root or eval_dir()) / "snippets"
    annotations = json.loads((base / "annotations.json").read_text(encoding="utf-8"))
    for url, entry in annotations.items():
        gold = {
            key: value for key, value in entry.items() if key not in {"file", "with", "without"}
        }
        yield SnippetCase(
            url=url,
            html=_gunzip(base / "html" / entry["file"]),
            with_passages=tuple(entry.get("with", ())),
            without_passages=tuple(entry.get("without", ())),
            gold=gold,
        )


def syndication_documents(root: Path | None = None) -> list[dict[str, Any]]:
    path = (root or eval_dir()) / "syndication" / "documents.json"
    documents: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["documents"]
    return documents
