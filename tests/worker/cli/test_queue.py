"""``status`` and ``watch``: following tasks from the command line, with a real worker."""

from __future__ import annotations

import subprocess
import time

from tests.httpserver import html, serve
from tests.workers import BIN, copydesk, running_worker
from worker.cli.run import sample_manifest

PAGE = sample_manifest().parent / "valley-courier-library.html"


def test_status_follows_a_fetch_into_its_processing(env: dict[str, str]) -> None:
    with serve({"/a.html": html(PAGE.read_text())}) as server, running_worker(env, concurrency=1):
        submitted = copydesk(env, "submit", server.url("/a.html"), "--wait")
        assert submitted.returncode == 0, submitted.stderr
        queued = copydesk(env, "submit", server.url("/a.html?utm_source=mail"))
    task_id = queued.stdout.split()[0]
    status = copydesk(env, "status", task_id)
    assert f"{task_id}: SUCCESS" in status.stdout
    # Submitted again within the refetch window: not fetched twice.
    assert "status: unchanged" in status.stdout


def test_watch_prints_tasks_as_they_finish(env: dict[str, str]) -> None:
    with running_worker(env, concurrency=1):
        command = [str(BIN / "copydesk"), "watch", "--limit", "1"]
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as watcher:
            # workers send events once the watcher's request reaches them (it asks every
            # few seconds): pages keep coming until one finishes in the watcher's sight
            deadline = time.monotonic() + 120
            while watcher.poll() is None and time.monotonic() < deadline:
                copydesk(env, "ingest", str(PAGE))
                time.sleep(2)
            if watcher.poll() is None:
                watcher.kill()  # it never saw a task: fail here, not at the suite's timeout
            out, _ = watcher.communicate(timeout=10)
    assert watcher.returncode == 0
    assert out.startswith("succeeded") and "copydesk.process" in out


def test_submit_reads_urls_from_stdin_and_prints_task_ids(env: dict[str, str]) -> None:
    lines = "# today's feed\nhttps://example.com/a\n\nnot a url\nhttps://example.com/b\n"
    result = subprocess.run(
        [str(BIN / "copydesk"), "submit", "-"],
        input=lines,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()] == [
        "https://example.com/a",
        "https://example.com/b",
    ]
    assert "not a url" in result.stderr


def test_submit_with_nothing_valid_queues_nothing_and_fails(env: dict[str, str]) -> None:
    result = copydesk(env, "submit", "nonsense", "javascript:alert(1)")
    assert result.returncode != 0
    assert "nothing was queued" in result.stderr


def test_health_fails_without_a_worker_making_progress(env: dict[str, str]) -> None:
    result = copydesk(env, "health")
    assert result.returncode == 1
    assert "no worker on this host made progress" in result.stderr
