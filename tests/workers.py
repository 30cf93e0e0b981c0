"""Real Celery worker processes and the ``copydesk`` command, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.conftest import TEST_REDIS_URL

BIN = Path(sys.executable).parent
#: Makes a test deployment's settings: keyword arguments override ``COPYDESK_`` settings.
Deployment = Callable[..., dict[str, str]]


def isolated_env(data_dir: Path, namespace: str, **overrides: str) -> dict[str, str]:
    """Settings for a test deployment on the local Redis, its queues and index of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COPYDESK_")}
    env.update(
        COPYDESK_DATA_DIR=str(data_dir),
        COPYDESK_REDIS_URL=TEST_REDIS_URL,
        COPYDESK_FETCH_QUEUE=f"{namespace}-fetch",
        COPYDESK_PROCESS_QUEUE=f"{namespace}-process",
        COPYDESK_STORE_QUEUE=f"{namespace}-store",
        COPYDESK_REDIS_PREFIX=namespace,
        COPYDESK_DEDUP_NAMESPACE=namespace,
        COPYDESK_ALLOW_HOSTS="127.0.0.1",
        COPYDESK_HOST_RATE_PER_S="100",
    )
    env.update(overrides)
    return env


@pytest.fixture
def deployment(tmp_path: Path, namespace: str) -> Iterator[Deployment]:
    """Makes a test's deployment settings (``isolated_env`` with overrides) and drops
    their queues when the test ends."""
    made: list[dict[str, str]] = []

    def make(**overrides: str) -> dict[str, str]:
        made.append(isolated_env(tmp_path, namespace, **overrides))
        return made[-1]

    yield make
    for env in made:
        drop_queues(env)


@pytest.fixture
def env(deployment: Deployment) -> dict[str, str]:
    """A test deployment with the default settings."""
    return deployment()


@contextmanager
def running_worker(
    env: Mapping[str, str], concurrency: int = 2
) -> Iterator[subprocess.Popen[bytes]]:
    """``celery -A worker.app worker`` on the test's queues, stopped (SIGTERM) on exit."""
    queues = ",".join(env[f"COPYDESK_{name}_QUEUE"] for name in ("FETCH", "PROCESS", "STORE"))
    log = Path(env["COPYDESK_DATA_DIR"]) / f"worker-{uuid.uuid4().hex[:6]}.log"
    command = [
        str(BIN / "celery"),
        "-A",
        "worker.app",
        "worker",
        "-Q",
        queues,
        "-c",
        str(concurrency),
        "-n",
        f"test-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "INFO",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=dict(env), stdout=output, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            process.wait(60)


def copydesk(
    env: Mapping[str, str], *args: str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run the ``copydesk`` command line as a user would."""
    return subprocess.run(
        [str(BIN / "copydesk"), *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(
    code: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python process of the test's interpreter."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def drop_queues(env: Mapping[str, str], redis_url: str = TEST_REDIS_URL) -> None:
    client = redis.Redis.from_url(redis_url)
    client.delete(
        *(env.get(f"COPYDESK_{name}_QUEUE", name.lower()) for name in ("FETCH", "PROCESS", "STORE"))
    )
    client.close()
