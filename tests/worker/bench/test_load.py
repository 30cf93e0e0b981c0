"""The load benchmark at a tiny size, against real workers, Redis and loopback HTTP.

These tests check accounting and the report's shape, never speed.
"""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path

import pytest
import redis
import requests
from celery import Celery

from tests.conftest import TEST_REDIS_URL, keys_matching
from worker.bench.load import main
from worker.bench.load_proc import RssSample, memory_profiles
from worker.bench.load_results import ResultReader, task_logs, wait_for_outcomes
from worker.bench.load_server import (
    PageResponses,
    loopback_hosts,
    page_urls,
    start_page_servers,
)

_PARAGRAPH = (
    "The council of the small harbour town of Westmere voted on Tuesday to rebuild the old "
    "stone pier, which storms damaged last winter, after fishermen said the boats had nowhere "
    "safe to land their catch during the autumn season. "
)


def _article(number: int) -> str:
    paragraphs = "".join(f"<p>{_PARAGRAPH} Item {number}, part {part}.</p>" for part in range(6))
    return (
        f"<html><head><title>Harbour story {number}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Harbour story {number}</h1>"
        f"{paragraphs}</article><footer>Westmere Weekly</footer></body></html>"
    )


def _write_eval_dir(root: Path, articles: int, snippets: int) -> None:
    """A tiny evaluation set in shared/eval's layout, with pages written for this test."""
    body_dir, snippet_dir = root / "article-body" / "html", root / "snippets" / "html"
    body_dir.mkdir(parents=True)
    snippet_dir.mkdir(parents=True)
    truth, annotations = {}, {}
    for number in range(articles):
        (body_dir / f"a{number}.html.gz").write_bytes(gzip.compress(_article(number).encode()))
        truth[f"a{number}"] = {"url": f"https://example.org/a{number}", "articleBody": _PARAGRAPH}
    for number in range(articles, articles + snippets):
        (snippet_dir / f"s{number}.html.gz").write_bytes(gzip.compress(_article(number).encode()))
        annotations[f"https://example.org/s{number}"] = {"file": f"s{number}.html.gz", "with": []}
    (root / "article-body" / "ground-truth.json").write_text(json.dumps(truth))
    (root / "snippets" / "annotations.json").write_text(json.dumps(annotations))


@pytest.fixture
def tiny_eval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "eval"
    _write_eval_dir(root, articles=3, snippets=2)
    monkeypatch.setenv("COPYDESK_EVAL_DIR", str(root))
    return root


def test_every_url_ends_accounted_for_in_both_pipelines(
    tiny_eval: Path, tmp_path: Path, redis_client: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("trafilatura")
    out = tmp_path / "load.json"

    code = main(["--urls", "20", "--redis", TEST_REDIS_URL, "--json-out", str(out)])

    report = json.loads(out.read_text())
    assert code == 0
    for name in ("copydesk", "reference"):
        run = report[name]
        assert (run["submitted"], run["accounted"], run["missing"]) == (20, 20, 0)
        assert sum(run["statuses"].values()) == 20
        assert run["pages_per_s"] > 0
        assert run["memory_mib"] and run["cpu_ms_per_page"]
    assert report["copydesk"]["statuses"] == {"stored": 20}
    assert report["reference"]["statuses"] == {"extracted": 20}
    tasks = report["copydesk"]["tasks"]
    assert tasks["copydesk.fetch_batch"]["succeeded"] == 3  # 20 URLs, 8 to a task
    assert all(log["repeated"] == 0 for log in tasks.values())
    assert report["in_process"]["pages"] == 5
    assert all(value and value > 0 for value in report["ratios"].values())
    assert report["copydesk"]["overhead"]["workers_ms_per_page"] > 0
    printed = capsys.readouterr().out
    assert ">= 75%" in printed and ">= 4x" in printed and "20 accounted for, 0 missing" in printed
    leftovers = keys_matching(redis_client, f"*{report['setup']['namespace']}*")
    assert leftovers == []


def test_urls_are_distinct_and_consecutive_ones_go_to_other_hosts() -> None:
    bodies = [b"<p>one</p>", b"<p>two</p>", b"<p>three</p>"]
    servers = start_page_servers(PageResponses(bodies, "text/html"), loopback_hosts(4), 2)
    try:
        urls = page_urls(servers.sites, len(bodies), 10)
        got = [requests.get(url, timeout=5).content for url in urls]
        missing = requests.get(servers.sites[0].url("/robots.txt"), timeout=5)
    finally:
        servers.stop()
    assert len(set(urls)) == 10
    assert all(urls[n].split("/")[2] != urls[n + 1].split("/")[2] for n in range(9))
    assert got == [bodies[n % 3] for n in range(10)]
    assert missing.status_code == 404


def _finish(app: Celery, task_id: str, status: str, result: object) -> None:
    """Record a task's end in the result backend as a worker does."""
    meta = {
        "task_id": task_id,
        "status": status,
        "result": result,
        "date_done": "2026-01-01T10:00:00",
    }
    app.backend.client.set(app.backend.get_key_for_task(task_id), app.backend.encode(meta))


def test_waiting_follows_a_fetch_into_its_processing_and_names_failures() -> None:
    app = Celery("test-load", broker=TEST_REDIS_URL, backend=TEST_REDIS_URL)
    fetched, processed, failed, never = (str(uuid.uuid4()) for _ in range(4))
    _finish(app, fetched, "SUCCESS", {"status": "fetched", "process_task_id": processed})
    _finish(app, processed, "SUCCESS", {"status": "stored", "stored": {"sqlite": "created"}})
    _finish(app, failed, "FAILURE", {"exc_type": "HTTPStatusError", "exc_message": ["gone"]})
    reader = ResultReader(app.backend)
    try:
        wait = wait_for_outcomes(
            reader, {"a": fetched, "b": failed, "c": never}, timeout_s=1.0, poll_s=0.05
        )
    finally:
        reader.forget([fetched, processed, failed])
    assert wait.outcomes["a"].status == "stored"
    assert wait.outcomes["a"].stores == {"sqlite": "created"}
    assert (wait.outcomes["b"].status, wait.outcomes["b"].reason) == (
        "failed",
        "HTTPStatusError: gone",
    )
    assert wait.outcomes["c"].status == "missing"
    assert wait.task_ids == {fetched, processed, failed, never}
    assert reader.finished([fetched, processed, failed]) == {}


def test_task_logs_sum_runtimes_and_count_retries_and_repeats() -> None:
    lines = [
        "[2026-01-01 10:00:00,000: INFO/MainProcess] Task copydesk.fetch[1a-2b] received",
        "[2026-01-01 10:00:00,010: INFO/ForkPoolWorker-1] Task copydesk.fetch[1a-2b] retry: "
        "Retry in 0.001s: RateLimitedError('127.0.0.2 was requested less than 0.001s ago')",
        "[2026-01-01 10:00:00,020: INFO/ForkPoolWorker-1] Task copydesk.fetch[1a-2b] "
        "succeeded in 0.25s: {'status': 'fetched'}",
        "[2026-01-01 10:00:00,030: INFO/ForkPoolWorker-2] Task copydesk.fetch[3c-4d] "
        "succeeded in 0.5s: {'status': 'fetched'}",
        "[2026-01-01 10:00:00,040: INFO/ForkPoolWorker-2] Task copydesk.fetch[3c-4d] "
        "succeeded in 0.5s: {'status': 'fetched'}",
    ]
    logs = task_logs(lines)
    assert logs["copydesk.fetch"].succeeded == 3
    assert logs["copydesk.fetch"].runtime_s == pytest.approx(1.25)
    assert (logs["copydesk.fetch"].retries, logs["copydesk.fetch"].repeated) == (1, 1)


def test_memory_is_read_per_third_of_the_run() -> None:
    samples = [
        RssSample(at=at, role="process pool", pid=pid, kb=kb)
        for at, pid, kb in [(0.0, 1, 1024), (1.0, 2, 2048), (1.5, 1, 3072), (2.9, 2, 3072)]
    ]
    profile = memory_profiles(samples, start=0.0, end=3.0)["process pool"]
    assert profile.phases == {"start": 1.0, "middle": 3.0, "end": 3.0}
    assert (profile.peak_mib, profile.processes) == (3.0, 2)
