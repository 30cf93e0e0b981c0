"""The whole system: a real worker, pages served over loopback HTTP, the command line, the store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.httpserver import html, serve
from tests.workers import copydesk, running_worker
from worker.cli.run import sample_manifest

SAMPLES = sample_manifest().parent


def _sample_routes() -> dict[str, object]:
    lines = [json.loads(line) for line in sample_manifest().read_text().splitlines()]
    return {f"/{line['path']}": html((SAMPLES / line["path"]).read_text()) for line in lines}


def _stored(data_dir: Path) -> dict[str, dict[str, object]]:
    db = sqlite3.connect(data_dir / "articles.sqlite3")
    rows = db.execute("SELECT canonical_url, story_id, record FROM articles").fetchall()
    db.close()
    return {url: {**json.loads(record), "story_id": story} for url, story, record in rows}


def test_urls_and_a_raw_page_become_stored_clustered_articles(
    env: dict[str, str], tmp_path: Path
) -> None:
    routes = _sample_routes()
    raw_page = "cedar-falls-gazette-levee.html"
    with serve(routes) as server, running_worker(env):
        urls = [server.url(path) for path in routes if raw_page not in path]
        fetched = copydesk(env, "submit", *urls, "--wait")
        ingested = copydesk(env, "ingest", str(SAMPLES / raw_page), "--wait")
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "Levee breach floods river town" in fetched.stdout

    stored = _stored(Path(env["COPYDESK_DATA_DIR"]))
    assert len(stored) == 5
    full_copy = stored[
        "https://valleycourier.example/news/2026/03/10/levee-breach-floods-river-town"
    ]
    assert full_copy["agency"] == "AP"
    assert full_copy["authors"] == ["Jane Marlowe"]
    assert str(full_copy["published"]).startswith("2026-03-10")
    assert full_copy["outlet"] == "The Valley Courier"
    assert "Dolores Ferrante" in str(full_copy["text"])

    wire_copies = {url: item["story_id"] for url, item in stored.items() if item["agency"] == "AP"}
    assert len(wire_copies) == 3 and len(set(wire_copies.values())) == 1
    others = {item["story_id"] for item in stored.values() if item["agency"] != "AP"}
    assert len(others) == 2 and not others & set(wire_copies.values())


def test_bad_inputs_are_named_and_good_ones_still_go_through(
    env: dict[str, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("")
    with serve(_sample_routes()) as server, running_worker(env, concurrency=1):
        good = server.url("/valley-courier-library.html")
        result = copydesk(env, "submit", "not a url", "ftp://example.com/x", good, good, "--wait")
        nothing = copydesk(env, "ingest", str(empty), str(tmp_path / "missing.html"))
    assert result.returncode == 0, result.stderr
    assert "not a url" in result.stderr and "ftp://example.com/x" in result.stderr
    statuses = sorted(line.split()[0] for line in result.stdout.splitlines()[1:])
    assert statuses == ["stored", "unchanged"]  # the same URL again is not fetched twice
    assert "Library's restored reading room" in result.stdout
    assert nothing.returncode != 0
    assert "empty.html: empty page" in nothing.stderr and "missing.html" in nothing.stderr


def test_a_failed_fetch_shows_its_reason(env: dict[str, str]) -> None:
    with serve({}) as server, running_worker(env, concurrency=1):
        result = copydesk(env, "submit", server.url("/gone.html"), "--wait")
    assert result.returncode == 1
    assert "failed" in result.stdout and "404" in result.stdout
