"""Delivery to stores through real workers: a store down for a while loses nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.webhook_receiver import SECRET, Receiver
from tests.workers import Deployment, copydesk, running_worker
from worker.cli.run import sample_manifest

PAGE = sample_manifest().parent / "valley-courier-library.html"


def _eventually(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def _webhook_settings(receiver: Receiver) -> dict[str, str]:
    """Settings storing into SQLite and posting to the test's receiver."""
    return {
        "COPYDESK_STORES": "sqlite,webhook",
        "COPYDESK_WEBHOOK_URL": receiver.url,
        "COPYDESK_WEBHOOK_SECRET": SECRET,
    }


def test_a_store_down_then_back_gets_each_article_once(
    receiver: Receiver, deployment: Deployment
) -> None:
    receiver.statuses = [503, 503, 503]  # down for three attempts, then back
    env = deployment(COPYDESK_RETRY_BACKOFF_MAX_S="1", **_webhook_settings(receiver))
    with running_worker(env, concurrency=1):
        result = copydesk(env, "ingest", str(PAGE), "--wait")
        assert result.returncode == 0, result.stdout + result.stderr
        assert _eventually(lambda: len(receiver.accepted()) == 1, 60)
        time.sleep(2)  # a doubled delivery would arrive by now
    assert [delivery.status for delivery in receiver.deliveries] == [503, 503, 503, 200]
    assert all(delivery.signed for delivery in receiver.deliveries)
    assert receiver.accepted()[0].body["event"] == "article.created"
    shown = copydesk(env, "show", receiver.accepted()[0].body["key"])
    assert shown.returncode == 0 and "reading room" in shown.stdout


def test_a_store_that_refuses_an_article_lists_it_for_replay(
    receiver: Receiver, deployment: Deployment
) -> None:
    receiver.statuses = [422]
    env = deployment(**_webhook_settings(receiver))
    with running_worker(env, concurrency=1):
        result = copydesk(env, "ingest", str(PAGE), "--wait")
        listed = copydesk(env, "failed")
        replayed = copydesk(env, "replay", "--all")
        assert _eventually(lambda: len(receiver.accepted()) == 1, 60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "copydesk.deliver" in listed.stdout and "http_status" in listed.stdout
    assert replayed.returncode == 0
