"""The process task takes fetched pages from Redis: a real worker, a loopback server, the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import redis
from celery import Celery

from config.celery import PROCESS_TASK
from tests.conftest import TEST_REDIS_URL, keys_matching
from tests.httpserver import html, serve
from tests.workers import copydesk, running_worker
from worker.cli.run import sample_manifest
from worker.handoff import BODY_KEY

PAGE = sample_manifest().parent / "valley-courier-library.html"


def _stored_urls(data_dir: Path) -> list[str]:
    db = sqlite3.connect(data_dir / "articles.sqlite3")
    rows = db.execute("SELECT url FROM articles").fetchall()
    db.close()
    return [url for (url,) in rows]


def _result(app: Celery, task_id: str) -> dict[str, Any]:
    result: dict[str, Any] = app.AsyncResult(task_id).get(timeout=120)
    return result


def test_a_processed_page_leaves_nothing_parked(
    env: dict[str, str], redis_client: redis.Redis, namespace: str
) -> None:
    with serve({"/a.html": html(PAGE.read_text())}) as server, running_worker(env):
        submitted = copydesk(env, "submit", server.url("/a.html"), "--wait")
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    assert _stored_urls(Path(env["COPYDESK_DATA_DIR"])) == [server.url("/a.html")]
    assert keys_matching(redis_client, f"{namespace}:page:*") == []


def test_a_page_lost_before_processing_is_fetched_afresh(env: dict[str, str]) -> None:
    app = Celery("test-handoff", broker=TEST_REDIS_URL, backend=TEST_REDIS_URL)
    with serve({"/a.html": html(PAGE.read_text())}) as server, running_worker(env):
        url = server.url("/a.html")
        lost = {"url": url, "content_type": "text/html", "fetched_at": None,
                BODY_KEY: f"{env['COPYDESK_REDIS_PREFIX']}:page:never-parked"}  # fmt: skip
        sent = app.send_task(PROCESS_TASK, (lost,), queue=env["COPYDESK_PROCESS_QUEUE"])
        refetching = _result(app, sent.id)
        assert refetching["status"] == "refetching"
        fetched = _result(app, refetching["fetch_task_id"])
        assert _result(app, fetched["process_task_id"])["status"] == "stored"
    assert _stored_urls(Path(env["COPYDESK_DATA_DIR"])) == [url]
