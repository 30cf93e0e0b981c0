"""Results without a subscription per sent task: a real worker, the local Redis."""

from __future__ import annotations

from tests.conftest import TEST_REDIS_URL
from tests.workers import python, running_worker
from worker.cli.run import sample_manifest

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
