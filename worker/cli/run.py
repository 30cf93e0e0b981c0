"""Running workers, and the one-command demo on the embedded default."""

from __future__ import annotations

import os
import subprocess  # nosec B404 - starts copydesk's own worker process
import sys
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import click

from config import get_settings
from worker import embedded_redis

_READY_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 30.0


def sample_manifest() -> Path:
    """The bundled sample pages: fictional stories as several outlets would serve them."""
    return Path(str(resources.files("worker") / "samples" / "manifest.jsonl"))


def worker_argv(queues: str, concurrency: int, pool: str, loglevel: str) -> list[str]:
    """Arguments for ``celery -A worker.app``: one worker."""
    return ["worker", "-Q", queues, "-c", str(concurrency), "-P", pool, "-l", loglevel]


@click.command()
@click.option("--queues", "-Q", default=None, help="Comma-separated queues (default: all).")
@click.option("--concurrency", "-c", type=int, default=os.cpu_count() or 1, show_default=True)
@click.option(
    "--pool",
    "-P",
    default="prefork",
    show_default=True,
    help="prefork for CPU, threads for fetching.",
)
@click.option("--loglevel", "-l", default="INFO", show_default=True)
def worker(queues: str | None, concurrency: int, pool: str, loglevel: str) -> None:
    """Run a worker (the same as ``celery -A worker.app worker``)."""
    from worker.app import app

    settings = get_settings()
    queues = queues or ",".join(settings.queues)
    app.worker_main(worker_argv(queues, concurrency, pool, loglevel))


@click.command()
def shutdown() -> None:
    """Stop the embedded Redis of the data directory (workers should be stopped first)."""
    stopped = embedded_redis.stop(get_settings().data_dir)
    click.echo("embedded Redis stopped" if stopped else "embedded Redis was not running")


@click.command()
@click.argument("urls", nargs=-1)
@click.option("--concurrency", "-c", type=int, default=2, show_default=True)
@click.option(
    "--timeout", type=float, default=600.0, show_default=True, help="Seconds to wait for results."
)
def run(urls: tuple[str, ...], concurrency: int, timeout: float) -> None:
    """Start Redis and a worker, process URLs (or the bundled samples), show results, exit."""
    from worker.cli.results import exit_code, print_table

    settings = get_settings()
    started_redis = settings.embedded and embedded_redis.ensure_running(settings.data_dir)
    process = _start_worker(concurrency)
    try:
        _wait_until_ready(process)
        outcomes = _queue_and_wait(urls, timeout)
        print_table(outcomes)
        _print_stories_of(outcomes.values())
    finally:
        _stop_worker(process)
        if started_redis:
            embedded_redis.stop(settings.data_dir)
    sys.exit(exit_code(list(outcomes.values())))


def _queue_and_wait(urls: tuple[str, ...], timeout: float) -> dict[str, dict[str, Any]]:
    """Each URL's (or sample page's) outcome. The task results are let go on return, while
    Redis still answers: a result dropped after the embedded Redis stops fails loudly."""
    from worker.cli.queue import queue_pages, queue_urls
    from worker.cli.results import wait_all
    from worker.inputs import pages_from_manifest

    queued = queue_urls(urls) if urls else queue_pages(pages_from_manifest(sample_manifest()))
    if not queued:
        raise click.ClickException("nothing was queued")
    return wait_all(queued, timeout)


def _start_worker(concurrency: int) -> subprocess.Popen[bytes]:
    settings = get_settings()
    argv = worker_argv(",".join(settings.queues), concurrency, "prefork", "WARNING")
    command = [sys.executable, "-m", "celery", "-A", "worker.app", *argv, "--without-gossip"]
    with (settings.data_dir / "worker.log").open("ab") as log:  # the worker keeps its own copy
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def _wait_until_ready(process: subprocess.Popen[bytes]) -> None:
    from worker.app import app

    deadline = time.monotonic() + _READY_TIMEOUT_S
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            log = get_settings().data_dir / "worker.log"
            raise click.ClickException(f"the worker did not start; see {log}")


def _stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _print_stories_of(outcomes: Iterable[dict[str, Any]]) -> None:
    """The stories this run's articles went to, as they stand now."""
    from worker.cli.local import print_stories
    from worker.runtime import story_index

    story_ids = dict.fromkeys(value["story_id"] for value in outcomes if value.get("story_id"))
    found = (story_index().story(story_id) for story_id in story_ids)
    click.echo()
    print_stories({story.story_id: story for story in found if story is not None}.values())
