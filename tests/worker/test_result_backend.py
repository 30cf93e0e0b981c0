"""Results without a subscription per sent task: a real worker, the local Redis."""

from __future__ import annotations

from celery import Celery
from celery.utils import uuid

from tests.conftest import TEST_REDIS_URL
from tests.workers import python, running_worker
from worker.cli.run import sample_manifest
from worker.result_backend import PollingRedisBackend

PAGE = sample_manifest().parent / "valley-courier-library.html"

#: Sends a page for processing, says whether anyone listens on its result channel,
#: then waits for the result with ``AsyncResult.get()``.
_SEND_THEN_GET = """
import sys
import redis
from worker.app import app
from worker.cli.queue import queue_pages
from worker.models import RawPage

page = RawPage(url="http://127.0.0.1/a", body=open(sys.argv[1], "rb").read())
result = queue_pages([page])["http://127.0.0.1/a"]
channel = app.backend.get_key_for_task(result.id)
print(redis.Redis.from_url(sys.argv[2]).pubsub_numsub(channel)[0][1])
print(result.get(timeout=120)["status"])
"""


def test_a_sender_does_not_subscribe_yet_get_still_waits(env: dict[str, str]) -> None:
    with running_worker(env):
        sent = python(_SEND_THEN_GET, str(PAGE), TEST_REDIS_URL, env=env)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.split() == ["0", "stored"]


def test_a_batch_stores_results_under_their_own_ids_and_a_success_stays() -> None:
    backend = PollingRedisBackend(app=Celery("test"), url=TEST_REDIS_URL)
    first, second = uuid(), uuid()
    try:
        backend.store_successes({first: {"status": "stored"}, second: {"status": "unchanged"}})
        backend.mark_as_failure(second, RuntimeError("a later failure"))
        backend.store_successes({first: {"status": "run twice"}, second: {"status": "again"}})
        metas = [backend.get_task_meta(task_id) for task_id in (first, second)]
    finally:
        backend.forget(first)
        backend.forget(second)
    assert [meta["status"] for meta in metas] == ["SUCCESS", "SUCCESS"]
    assert [meta["result"] for meta in metas] == [{"status": "stored"}, {"status": "unchanged"}]
    assert metas[0]["date_done"] is not None
