from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from worker import embedded_redis


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    embedded_redis.stop(tmp_path)


def _server_pid(data_dir: Path) -> int:
    client = redis.Redis(unix_socket_path=str(embedded_redis.socket_path(data_dir)))
    return int(client.info("server")["process_id"])


def test_second_start_reuses_the_running_server(data_dir: Path) -> None:
    assert embedded_redis.ensure_running(data_dir) is True
    first = _server_pid(data_dir)
    assert embedded_redis.ensure_running(data_dir) is False
    assert _server_pid(data_dir) == first


def _start(data_dir: str) -> bool:
    return embedded_redis.ensure_running(Path(data_dir))


def test_concurrent_starts_make_one_server(data_dir: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        started = pool.map(_start, [str(data_dir)] * 4)
    assert sorted(started) == [False, False, False, True]


def test_queued_data_survives_a_restart(data_dir: Path) -> None:
    embedded_redis.ensure_running(data_dir)
    client = redis.Redis(unix_socket_path=str(embedded_redis.socket_path(data_dir)))
    client.lpush("queue", "task-1")
    client.close()
    assert embedded_redis.stop(data_dir) is True
    assert not embedded_redis.is_running(data_dir)
    embedded_redis.ensure_running(data_dir)
    client = redis.Redis(unix_socket_path=str(embedded_redis.socket_path(data_dir)))
    assert client.lrange("queue", 0, -1) == [b"task-1"]
    client.close()


def test_too_long_a_data_dir_is_refused_clearly(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 120)
    with pytest.raises(embedded_redis.EmbeddedRedisError, match="too long"):
        embedded_redis.ensure_running(deep)


def test_stop_when_nothing_runs(tmp_path: Path) -> None:
    assert embedded_redis.stop(tmp_path) is False
