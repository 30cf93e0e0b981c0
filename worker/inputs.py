"""Raw pages handed to copydesk: files, directories, ``.html.gz``, JSON-lines manifests."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from worker.errors import InputError
from worker.models import RawPage

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
#: No page is larger; a bigger file (or a device such as /dev/zero) is refused, not read.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read, with a one-line reason naming it."""

    source: str
    reason: str


def pages_from_paths(paths: Iterable[Path]) -> Iterator[RawPage | Rejected]:
    """Every page file named, directories searched recursively."""
    for path in paths:
        for file in _page_files(path):
            yield _attempt(str(file), partial(read_page_file, file, None))


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
    url = _text(entry, "url")
    html = _text(entry, "html")
    if html is not None:
        return RawPage(url=url, body=html.encode("utf-8"), content_type="text/html; charset=utf-8")
    path = _text(entry, "path")
    if path is not None:
        return read_page_file(base_dir / path, url)
    raise InputError("manifest line needs an 'html' or a 'path' string")


def read_page_file(path: Path, url: str | None) -> RawPage:
    """A page from disk, gunzipped when its name ends in ``.gz``; its URL defaults to the file's."""
    try:
        if not path.is_file():
            raise InputError(f"not a readable file: {path}")
        with gzip.open(path) if path.suffix == ".gz" else path.open("rb") as handle:
            body = handle.read(MAX_FILE_BYTES + 1)
        url = url or path.resolve().as_uri()
    except (OSError, EOFError, ValueError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise InputError(f"cannot read {path!r}: {exc}") from exc
    if len(body) > MAX_FILE_BYTES:
        raise InputError(f"{path} is larger than {MAX_FILE_BYTES} bytes")
    return RawPage(url=url, body=body)


def _manifest_entry(line: str) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not JSON: {exc}") from exc
    if not isinstance(entry, dict):
        raise InputError("a manifest line must be a JSON object")
    return entry


def _text(entry: dict[str, Any], name: str) -> str | None:
    """A string field, refused if JSON escapes left it unencodable (lone surrogates)."""
    value = entry.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"manifest {name!r} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"manifest {name!r} is not valid Unicode: {exc.reason}") from exc
    return value


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
