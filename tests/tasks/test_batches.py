"""Batch tasks: several submissions a task, each followed and failed under its own task id."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.httpserver import html, serve, status
from tests.workers import Deployment, copydesk, python, running_worker
from worker.cli.run import sample_manifest

SAMPLES = sample_manifest().parent
PAGES = ("valley-courier-library.html", "valley-courier-levee.html", "lakeshore-herald-levee.html")
#: Politeness that lets a batch's URLs follow one another on one host (its turns are
#: 1 ms apart) unless the host itself asks to wait.
NO_WAITING = "1000"


def _routes() -> dict[str, object]:
    return {f"/{name}": html((SAMPLES / name).read_text()) for name in PAGES}


def _stored_urls(data_dir: Path) -> list[str]:
    db = sqlite3.connect(data_dir / "articles.sqlite3")
    rows = db.execute("SELECT canonical_url FROM articles").fetchall()
    db.close()
    return [url for (url,) in rows]


def _task_runs(log: Path, name: str) -> list[str]:
    """The ids of the ``name`` tasks the worker's log says succeeded."""
    pattern = re.compile(rf"Task {re.escape(name)}\[([0-9a-f-]+)\] succeeded")
    return pattern.findall(log.read_text(encoding="utf-8", errors="replace"))


def _worker_log(data_dir: Path) -> Path:
    return next(data_dir.glob("worker-*.log"))


def test_urls_share_a_fetch_task_and_each_ends_on_its_own(deployment: Deployment) -> None:
    env = deployment(COPYDESK_BATCH_SIZE="2", COPYDESK_HOST_RATE_PER_S=NO_WAITING)
    data_dir = Path(env["COPYDESK_DATA_DIR"])
    with serve(_routes()) as server, running_worker(env):
        urls = [server.url(f"/{name}") for name in PAGES] + [server.url("/gone.html")]
        result = copydesk(env, "submit", *urls, "--wait")
        listed = copydesk(env, "failed")
    assert result.returncode == 1, result.stdout + result.stderr  # one URL failed
    rows = result.stdout.splitlines()[1:]
    assert sorted(row.split()[0] for row in rows) == ["failed", "stored", "stored", "stored"]
    assert len(_stored_urls(data_dir)) == 3
    log = _worker_log(data_dir)
    assert len(_task_runs(log, "copydesk.fetch_batch")) == 2  # four URLs, two a task
    # A 404 is the URL's final answer: recorded in the batch, not fetched again alone.
    assert len(server.hits("/gone.html")) == 1
    assert "gone.html" in listed.stdout and "http_status" in listed.stdout


def test_a_url_to_try_later_goes_on_alone_under_its_own_id(deployment: Deployment) -> None:
    env = deployment(COPYDESK_BATCH_SIZE="4", COPYDESK_HOST_RATE_PER_S=NO_WAITING)
    routes = _routes()
    busy = [status(503, **{"Retry-After": "1"}), html((SAMPLES / PAGES[0]).read_text())]
    routes["/busy.html"] = busy
    with serve(routes) as server, running_worker(env):
        urls = [server.url("/busy.html"), server.url(f"/{PAGES[1]}")]
        submitted = copydesk(env, "submit", *urls)
        ids = dict(reversed(line.split()) for line in submitted.stdout.splitlines())
        waited = copydesk(env, "status", ids[urls[0]])
        for _ in range(60):
            if "SUCCESS" in waited.stdout:
                break
            waited = copydesk(env, "status", ids[urls[0]])
    assert "status: stored" in waited.stdout, waited.stdout + waited.stderr
    assert len(server.hits("/busy.html")) == 2
    log = _worker_log(Path(env["COPYDESK_DATA_DIR"]))
    # (the other URL waits for the host's Retry-After too, alone under its own id)
    assert ids[urls[0]] in _task_runs(log, "copydesk.fetch")


_SEND_PROCESS_BATCH = """
import json, sys
from celery.result import AsyncResult
from celery.utils import uuid
from tasks.process import process_batch
from worker import runtime
from worker.models import RawPage

pages = [RawPage(url=f"http://127.0.0.1/{name}", body=open(path, "rb").read(),
                 content_type="text/html") for name, path in zip(sys.argv[1::2], sys.argv[2::2])]
messages = runtime.handoff().park(pages)
messages[1]["url"] = ["a", "message", "no stage can read"]
submissions = [[uuid(), message] for message in messages]
process_batch.apply_async((submissions,))
outcomes = []
for task_id, _ in submissions:
    result = AsyncResult(task_id)
    result.get(timeout=120, propagate=False)
    outcomes.append([task_id, result.state])
print(json.dumps(outcomes))
"""


def test_a_page_that_fails_in_a_batch_fails_alone_and_the_others_are_stored(
    deployment: Deployment,
) -> None:
    env = deployment(COPYDESK_MAX_RETRIES="1", COPYDESK_RETRY_BACKOFF_MAX_S="1")
    arguments = [str(part) for name in PAGES for part in (name, SAMPLES / name)]
    with running_worker(env):
        sent = python(_SEND_PROCESS_BATCH, *arguments, env=env)
        listed = copydesk(env, "failed")
    assert sent.returncode == 0, sent.stderr
    outcomes = json.loads(sent.stdout)
    assert [state for _, state in outcomes] == ["SUCCESS", "FAILURE", "SUCCESS"]
    poison_id = outcomes[1][0]
    assert poison_id in listed.stdout and "AttributeError" in listed.stdout
    assert len(_stored_urls(Path(env["COPYDESK_DATA_DIR"]))) == 2
    log = _worker_log(Path(env["COPYDESK_DATA_DIR"])).read_text(encoding="utf-8")
    # Tried once in the batch, once alone: COPYDESK_MAX_RETRIES=1 is used up there.
    assert f"Task copydesk.process[{poison_id}] raised unexpected: AttributeError" in log


_RUN_AGAIN = """
import json, sys
from celery.result import AsyncResult
from celery.utils import uuid
from tasks.process import process_batch
from worker import runtime
from worker.models import RawPage

pages = [RawPage(url=f"http://127.0.0.1/{name}", body=open(path, "rb").read(),
                 content_type="text/html") for name, path in zip(sys.argv[2::2], sys.argv[3::2])]
submissions = [[uuid(), message] for message in runtime.handoff().park(pages)]
process_batch.backend.store_successes({submissions[0][0]: {"status": "stored", "run": "first"}})
if sys.argv[1] == "retried":
    process_batch.apply_async((submissions,), retries=1)
else:  # what the worker does when a batch stops: a hard time limit, an error
    process_batch.on_failure(RuntimeError("stopped"), uuid(), (submissions,), {}, None)
results = [AsyncResult(task_id).get(timeout=120) for task_id, _ in submissions]
print(json.dumps([[task_id, result] for (task_id, _), result in zip(submissions, results)]))
"""


@pytest.mark.parametrize("how", ["retried", "stopped"])
def test_a_batch_that_ran_before_sends_what_it_had_not_finished_on_alone(
    how: str, env: dict[str, str]
) -> None:
    arguments = [str(part) for name in PAGES for part in (name, SAMPLES / name)]
    with running_worker(env):
        sent = python(_RUN_AGAIN, how, *arguments, env=env)
    assert sent.returncode == 0, sent.stderr
    outcomes = json.loads(sent.stdout)
    assert outcomes[0][1] == {"status": "stored", "run": "first"}  # ended before: left alone
    assert [result["status"] for _, result in outcomes[1:]] == ["stored", "stored"]
    log = _worker_log(Path(env["COPYDESK_DATA_DIR"]))
    assert sorted(_task_runs(log, "copydesk.process")) == sorted(id_ for id_, _ in outcomes[1:])
