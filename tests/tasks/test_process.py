"""The process task takes fetched pages from Redis: a real worker, a loopback server, the store."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import redis
from celery import Celery

from config.celery import PROCESS_TASK
from tests.conftest import TEST_REDIS_URL, keys_matching
from tests.httpserver import html, serve
from tests.workers import Deployment, copydesk, running_worker
from worker.cli.run import sample_manifest
from worker.handoff import BODY_KEY

SAMPLES = sample_manifest().parent
PAGE = SAMPLES / "valley-courier-library.html"


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


def test_raw_pages_wait_in_redis_and_travel_in_batches(
    deployment: Deployment, redis_client: redis.Redis, namespace: str
) -> None:
    env = deployment(COPYDESK_BATCH_SIZE="2")
    pages = [SAMPLES / name for name in sorted(path.name for path in SAMPLES.glob("*.html"))]
    queued = copydesk(env, "ingest", *map(str, pages))
    assert queued.returncode == 0, queued.stderr
    messages = redis_client.lrange(env["COPYDESK_PROCESS_QUEUE"], 0, -1)
    assert len(messages) == 3  # five pages, two to a task
    assert all(len(message) < 10_000 for message in messages)  # keys, not HTML
    assert len(keys_matching(redis_client, f"{namespace}:page:*")) == 5
    with running_worker(env):
        waited = copydesk(env, "ingest", "--wait", *map(str, pages[:1]))
        for line in queued.stdout.splitlines():
            task_id = line.split()[0]
            assert "status: stored" in copydesk(env, "status", task_id).stdout
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert len(_stored_urls(Path(env["COPYDESK_DATA_DIR"]))) == 5
    assert keys_matching(redis_client, f"{namespace}:page:*") == []


def test_a_raw_page_gone_before_processing_fails_and_says_why(
    deployment: Deployment, tmp_path: Path
) -> None:
    env = deployment(COPYDESK_HANDOFF_TTL_S="1")
    queued = copydesk(env, "ingest", str(PAGE))
    time.sleep(2)  # longer than the page may wait for a worker
    with running_worker(env):
        waited = copydesk(env, "status", queued.stdout.split()[0])
        for _ in range(60):
            if "FAILURE" in waited.stdout:
                break
            time.sleep(1)
            waited = copydesk(env, "status", queued.stdout.split()[0])
        listed = copydesk(env, "failed")
    assert "FAILURE" in waited.stdout and "bad_input" in waited.stdout, waited.stdout
    assert "hand it in again" in listed.stdout and PAGE.name in listed.stdout
