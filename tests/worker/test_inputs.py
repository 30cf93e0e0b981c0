from __future__ import annotations

import gzip
import json
from pathlib import Path

from worker.inputs import Rejected, pages_from_manifest, pages_from_paths
from worker.models import RawPage

PAGE = b"<html><body><p>Hello</p></body></html>"


def test_files_directories_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PAGE)
    nested = tmp_path / "more"
    nested.mkdir()
    (nested / "b.html.gz").write_bytes(gzip.compress(PAGE))
    (nested / "notes.txt").write_text("not a page")
    pages = list(pages_from_paths([tmp_path]))
    assert [p.body for p in pages if isinstance(p, RawPage)] == [PAGE, PAGE]
    assert all(isinstance(p, RawPage) and p.url and p.url.startswith("file://") for p in pages)


def test_unreadable_empty_and_corrupt_files_are_rejected_by_name(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"  \n")
    (tmp_path / "broken.html.gz").write_bytes(b"not gzip at all")
    missing = tmp_path / "missing.html"
    results = list(
        pages_from_paths([tmp_path / "empty.html", tmp_path / "broken.html.gz", missing])
    )
    assert all(isinstance(r, Rejected) for r in results)
    reasons = {Path(r.source).name: r.reason for r in results if isinstance(r, Rejected)}
    assert reasons["empty.html"] == "empty page"
    assert "broken.html.gz" in reasons["broken.html.gz"]
    assert "missing.html" in reasons["missing.html"]


def test_manifest_lines_with_html_or_path(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(PAGE)
    lines = [
        json.dumps({"url": "https://example.com/a", "html": "<p>inline</p>"}),
        json.dumps({"url": "https://example.com/b", "path": "page.html"}),
        "",
        "{not json",
        json.dumps({"url": "https://example.com/c"}),
        json.dumps(["a", "list"]),
    ]
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text("\n".join(lines))
    results = list(pages_from_manifest(manifest))
    good = [r for r in results if isinstance(r, RawPage)]
    assert [(p.url, p.body) for p in good] == [
        ("https://example.com/a", b"<p>inline</p>"),
        ("https://example.com/b", PAGE),
    ]
    bad = [r for r in results if isinstance(r, Rejected)]
    assert [r.source for r in bad] == [f"{manifest}:4", f"{manifest}:5", f"{manifest}:6"]


def test_missing_manifest_is_one_rejection(tmp_path: Path) -> None:
    [result] = pages_from_manifest(tmp_path / "nope.jsonl")
    assert isinstance(result, Rejected)
    assert "cannot read manifest" in result.reason


def test_devices_and_bad_paths_are_refused_not_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"path": "/dev/zero"}),
        json.dumps({"path": "page\u0000.html"}),
        json.dumps({"html": "\ud800"}),
        "[" * 5000 + "]" * 5000,
    ]
    manifest = tmp_path / "bad.jsonl"
    manifest.write_text("\n".join(lines))
    results = list(pages_from_manifest(manifest))
    assert len(results) == 4 and all(isinstance(r, Rejected) for r in results)
