"""Faults done for real: killed pool processes, SIGTERM, a Redis restart, a poison page."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from tests.conftest import postgres_url
from tests.httpserver import LoopbackServer, Reply, html, serve
from tests.workers import BIN, Deployment, copydesk, running_worker
from worker import embedded_redis
from worker.cli.run import sample_manifest

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672//"
PAGE = (sample_manifest().parent / "valley-courier-library.html").read_text()
KEY = "https://valleycourier.example/community/2026/03/09/library-reading-room-reopens"


def _slow(page: str, seconds: float) -> Reply:
    body = page.encode()
    return Reply(
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8"},
        drip_interval_s=seconds / len(body),
    )


def _pool_children(worker_pid: int) -> list[int]:
    children = Path(f"/proc/{worker_pid}/task/{worker_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def _wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _stored_keys(data_dir: Path) -> list[str]:
    path = data_dir / "articles.sqlite3"
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT canonical_url FROM articles")]
    except sqlite3.OperationalError:  # the store is still creating its tables
        return []
    finally:
        db.close()


def _articles_stored(schema: str) -> int:
    with psycopg.connect(postgres_url(schema)) as db:
        try:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
        except psycopg.errors.UndefinedTable:  # the store is still creating its tables
            return 0


@pytest.fixture(params=["redis", "rabbitmq"])
def env(request: pytest.FixtureRequest, deployment: Deployment) -> dict[str, str]:
    return deployment(**_broker_settings(request.param))


def _broker_settings(broker: str) -> dict[str, str]:
    return {"COPYDESK_BROKER_URL": AMQP_URL} if broker == "rabbitmq" else {}


def test_a_pool_process_killed_mid_task_loses_nothing(env: dict[str, str]) -> None:
    routes = {"/library.html": [_slow(PAGE, 4.0), html(PAGE)]}
    with serve(routes) as server, running_worker(env, concurrency=1) as worker:
        command = [str(BIN / "copydesk"), "submit", server.url("/library.html"), "--wait"]
        with subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as waiting:
            _wait_for(lambda: bool(server.hits("/library.html")), 60, "the fetch to start")
            for child in _pool_children(worker.pid):
                os.kill(child, signal.SIGKILL)  # what the OOM killer does
            out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out + err
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["stored"], out
    assert len(server.hits("/library.html")) == 2
    assert _stored_keys(Path(env["COPYDESK_DATA_DIR"])) == [KEY]


def test_sigterm_finishes_the_task_in_flight(env: dict[str, str]) -> None:
    with (
        serve({"/library.html": _slow(PAGE, 3.0)}) as server,
        running_worker(env, concurrency=1) as worker,
    ):
        copydesk(env, "submit", server.url("/library.html"))
        _wait_for(lambda: bool(server.hits("/library.html")), 60, "the fetch to start")
        worker.terminate()
        worker.wait(60)
        assert len(server.hits("/library.html")) == 1
    # The fetched page was handed on before the worker left; a new worker stores it.
    with running_worker(env, concurrency=1):
        _wait_for(lambda: _stored_keys(Path(env["COPYDESK_DATA_DIR"])) == [KEY], 60, "the article")


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_workers_keep_consuming_after_redis_restarts(
    broker: str, tmp_path: Path, deployment: Deployment
) -> None:
    # Redis is the broker, or (with RabbitMQ) still the result backend and the shared state.
    env = deployment(**_broker_settings(broker))
    del env["COPYDESK_REDIS_URL"]  # the embedded Redis, which this test may restart
    embedded_redis.ensure_running(tmp_path)
    try:
        with serve({"/library.html": html(PAGE)}) as server, running_worker(env, concurrency=1):
            first = copydesk(
                env,
                "ingest",
                str(sample_manifest().parent / "metro-ledger-reuters-levee.html"),
                "--wait",
            )
            assert first.returncode == 0, first.stdout + first.stderr
            embedded_redis.stop(tmp_path)
            time.sleep(2)
            embedded_redis.ensure_running(tmp_path)
            second = copydesk(env, "submit", server.url("/library.html"), "--wait", timeout=120)
            assert second.returncode == 0, second.stdout + second.stderr
            health = copydesk(env, "health")
        assert "stored" in second.stdout
        assert health.returncode == 0, health.stderr
    finally:
        embedded_redis.stop(tmp_path)


def test_a_poison_page_is_listed_with_its_reason_and_replayable(
    tmp_path: Path, deployment: Deployment
) -> None:
    env = deployment(
        COPYDESK_MAX_RETRIES="1",
        COPYDESK_RETRY_BACKOFF_MAX_S="1",
        COPYDESK_TASK_SOFT_TIME_LIMIT_S="1",
        COPYDESK_TASK_TIME_LIMIT_S="5",
        COPYDESK_MAX_PARSE_CHARS="100000000",
    )
    poison = tmp_path / "poison.html"
    poison.write_text(
        "<html><body>" + "<div><p>word word word</p></div>" * 1_500_000 + "</body></html>"
    )
    with running_worker(env, concurrency=1):
        result = copydesk(
            env,
            "ingest",
            str(poison),
            str(sample_manifest().parent / "valley-courier-library.html"),
            "--wait",
            timeout=240,
        )
        listed = copydesk(env, "failed")
    assert result.returncode == 1
    assert "stored" in result.stdout and "failed" in result.stdout
    assert "TimeLimitExceeded" in listed.stdout and "poison.html" in listed.stdout
    task_id = listed.stdout.split()[0]
    replayed = copydesk(env, "replay", task_id)
    assert replayed.returncode == 0 and "poison.html" in replayed.stdout
    assert copydesk(env, "failed").stdout.strip() == ""


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_a_whole_worker_killed_gets_its_tasks_back(broker: str, deployment: Deployment) -> None:
    # A short visibility timeout (valid with these limits) so Redis hands the task back soon.
    overrides = {
        "COPYDESK_VISIBILITY_TIMEOUT_S": "12",
        "COPYDESK_MAX_HOST_WAIT_S": "5",
        "COPYDESK_TASK_TIME_LIMIT_S": "8",
        "COPYDESK_TASK_SOFT_TIME_LIMIT_S": "7",
        "COPYDESK_RETRY_BACKOFF_MAX_S": "2",
    }
    env = deployment(**overrides, **_broker_settings(broker))
    routes = {"/library.html": [_slow(PAGE, 4.0), html(PAGE)]}
    with serve(routes) as server:
        with running_worker(env, concurrency=1) as worker:
            copydesk(env, "submit", server.url("/library.html"))
            _wait_for(lambda: bool(server.hits("/library.html")), 60, "the fetch to start")
            for pid in [*_pool_children(worker.pid), worker.pid]:
                os.kill(pid, signal.SIGKILL)
        with running_worker(env, concurrency=1):
            _wait_for(
                lambda: _stored_keys(Path(env["COPYDESK_DATA_DIR"])) == [KEY], 90, "redelivery"
            )
    assert len(server.hits("/library.html")) == 2


def _distinct_pages(count: int) -> list[tuple[str, str]]:
    """``count`` distinct pages, each sample under its own canonical URL: (URL, HTML)."""
    samples = [path.read_text() for path in sorted(sample_manifest().parent.glob("*.html"))]
    pages = []
    for number in range(count):
        url = f"https://batch.example/{number}"
        canonical = f'<link rel="canonical" href="{url}">'
        page = re.sub(
            r'<link rel="canonical" href="[^"]*">', canonical, samples[number % len(samples)]
        )
        pages.append((url, page))
    return pages


def _submission(
    kind: str, pages: list[tuple[str, str]], server: LoopbackServer, directory: Path
) -> list[str]:
    """The command that hands ``pages`` in: as raw pages in a manifest, or as URLs to fetch."""
    if kind == "pages":
        manifest = directory / "batch.jsonl"
        manifest.write_text("".join(json.dumps({"url": u, "html": h}) + "\n" for u, h in pages))
        return [str(BIN / "copydesk"), "ingest", "--manifest", str(manifest), "--wait"]
    for number, (_, page) in enumerate(pages):
        server.routes[f"/{number}.html"] = html(page)
    listing = directory / "urls.txt"
    listing.write_text("\n".join(server.url(f"/{number}.html") for number in range(len(pages))))
    return [str(BIN / "copydesk"), "submit", "--file", str(listing), "--wait"]


@pytest.mark.parametrize(
    ("broker", "kind"), [("redis", "pages"), ("rabbitmq", "pages"), ("redis", "urls")]
)
def test_a_batch_with_pool_processes_killed_stores_each_page_once(
    broker: str, kind: str, tmp_path: Path, deployment: Deployment, schema: str
) -> None:
    env = deployment(
        COPYDESK_STORES="postgres",
        COPYDESK_POSTGRES_URL=postgres_url(schema),
        COPYDESK_HOST_RATE_PER_S="1000",
        **_broker_settings(broker),
    )
    kills = 0
    with serve({}) as server, running_worker(env, concurrency=2) as worker:
        command = _submission(kind, _distinct_pages(1000), server, tmp_path)
        with subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as waiting:
            try:
                # Mid-batch, as the OOM killer strikes: a pool process killed while the pool
                # is still starting takes the whole worker down ("Could not start worker
                # processes"), which no broker setting can bring back.
                _wait_for(lambda: _articles_stored(schema) > 0, 120, "the batch's first page")
                while waiting.poll() is None and kills < 5:
                    assert worker.poll() is None, "the worker exited"
                    time.sleep(1.5)
                    for child in _pool_children(worker.pid)[:1]:
                        os.kill(child, signal.SIGKILL)
                        kills += 1
                out, err = waiting.communicate(timeout=600)
            finally:
                waiting.kill()  # a failed test must not wait an hour for ``--wait``
    assert waiting.returncode == 0, err[-2000:]
    statuses = [line.split()[0] for line in out.splitlines()[1:]]
    assert statuses == ["stored"] * 1000
    assert kills >= 3, "the batch ended before enough pool processes were killed"
    with psycopg.connect(postgres_url(schema)) as db:
        rows = db.execute("SELECT count(*), count(DISTINCT canonical_url) FROM articles").fetchone()
        versions = db.execute("SELECT count(*) FROM article_versions").fetchone()
    assert rows == (1000, 1000)
    assert versions == (0,), "a page processed twice must not become a second version"
