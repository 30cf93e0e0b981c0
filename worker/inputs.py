"""Raw pages handed to copydesk: files, directories, ``.html.gz``, JSON-lines manifests."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from worker.errors import InputError
from worker.models import RawPage

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read, with a one-line reason naming it."""

    source: str
    reason: str


def pages_from_paths(paths: Iterable[Path]) -> Iterator[RawPage | Rejected]:
    """Every page file named, directories searched recursively."""
    for path in paths:
        for file in _page_files(path):
            yield _attempt(str(file), partial(read_page_file, file, file.resolve().as_uri()))


def pages_from_manifest(manifest: Path) -> Iterator[RawPage | Rejected]:
    """One page per JSON line: ``{"url": ..., "path": ...}`` or ``{"url": ..., "html": ...}``."""
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield Rejected(str(manifest), f"cannot read manifest: {exc}")
        return
    for number, line in enumerate(lines, start=1):
        if line.strip():
            source = f"{manifest}:{number}"
            yield _attempt(source, partial(manifest_page, line, manifest.parent))


def manifest_page(line: str, base_dir: Path) -> RawPage:
    """The page one manifest line describes; a relative ``path`` is read from ``base_dir``."""
    entry = _manifest_entry(line)
    url = entry.get("url")
    if url is not None and not isinstance(url, str):
        raise InputError("manifest 'url' must be a string")
    if isinstance(entry.get("html"), str):
        return RawPage(
            url=url, body=entry["html"].encode("utf-8"), content_type="text/html; charset=utf-8"
        )
    if isinstance(entry.get("path"), str):
        path = base_dir / entry["path"]
        return read_page_file(path, url or path.resolve().as_uri())
    raise InputError("manifest line needs an 'html' or a 'path' string")


def read_page_file(path: Path, url: str | None) -> RawPage:
    """A page from disk, gunzipped when its name ends in ``.gz``."""
    try:
        data = path.read_bytes()
        body = gzip.decompress(data) if path.suffix == ".gz" else data
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    return RawPage(url=url, body=body)


def _manifest_entry(line: str) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}") from exc
    if not isinstance(entry, dict):
        raise InputError("a manifest line must be a JSON object")
    return entry


def _page_files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.name.lower().endswith(PAGE_SUFFIXES))
    else:
        yield path


def _attempt(source: str, read: Callable[[], RawPage]) -> RawPage | Rejected:
    try:
        page = read()
    except InputError as exc:
        return Rejected(source, str(exc))
    if not page.body.strip():
        return Rejected(source, "empty page")
    return page
