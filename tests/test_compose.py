"""docker-compose.yml, its services' commands run here against the local Redis.

No Docker engine runs on the development machines, so the compose file is read and
each copydesk service's command is started as a local process: the file cannot
drift from the code.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
import yaml

from tests.conftest import postgres_url
from tests.httpserver import html, serve
from tests.workers import BIN, copydesk, drop_queues
from worker.cli.run import sample_manifest

COMPOSE = Path(__file__).resolve().parents[1] / "docker-compose.yml"
LOCAL_REDIS = "redis://127.0.0.1:6379/14"


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())["services"]
    return services


def _local_env(service: dict[str, Any], data_dir: Path, schema: str) -> dict[str, str]:
    env = {key: str(value) for key, value in service.get("environment", {}).items()}
    env.update(
        COPYDESK_REDIS_URL=LOCAL_REDIS,
        COPYDESK_POSTGRES_URL=postgres_url(schema),
        COPYDESK_JSONL_DIR=str(data_dir / "articles"),
        COPYDESK_DATA_DIR=str(data_dir),
        COPYDESK_ALLOW_HOSTS="127.0.0.1",
        COPYDESK_DEDUP_NAMESPACE=schema,
        COPYDESK_REDIS_PREFIX=schema,
        PATH=str(BIN),
    )
    return env


@pytest.fixture
def compose_processes(tmp_path: Path, schema: str) -> Iterator[dict[str, dict[str, str]]]:
    services = {name: spec for name, spec in _services().items() if "build" in spec}
    processes, envs = [], {}
    with ExitStack() as logs:
        for name, spec in services.items():
            envs[name] = _local_env(spec, tmp_path, schema)
            argv = shlex.split(spec["command"])
            log = logs.enter_context((tmp_path / f"{name}.log").open("wb"))
            processes.append(
                subprocess.Popen(
                    [str(BIN / argv[0]), *argv[1:]],
                    env=envs[name],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        yield envs
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(60)
    drop_queues({}, LOCAL_REDIS)
    client = redis.Redis.from_url(LOCAL_REDIS)
    client.delete(*client.keys(f"{schema}*") or ["-"])
    client.close()


def test_compose_defines_the_whole_deployment() -> None:
    services = _services()
    assert {"redis", "postgres", "fetcher", "worker", "flower"} <= set(services)
    assert "appendonly yes" in services["redis"]["command"]
    assert "noeviction" in services["redis"]["command"]
    assert services["fetcher"]["command"].count("--queues fetch") == 1
    assert "ports" not in services["worker"], (
        "workers must scale: docker compose up --scale worker=4"
    )


def _flower_answers(url: str, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return True
        except requests.ConnectionError:
            time.sleep(0.5)
    return False


def test_every_service_command_runs_the_pipeline(
    compose_processes: dict[str, dict[str, str]],
) -> None:
    env = compose_processes["worker"]
    page = (sample_manifest().parent / "valley-courier-library.html").read_text()
    with serve({"/library.html": html(page)}) as server:
        fetched = copydesk(env, "submit", server.url("/library.html"), "--wait")
    ingested = copydesk(
        env, "ingest", str(sample_manifest().parent / "lakeshore-herald-levee.html"), "--wait"
    )
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert "Library's restored reading room" in fetched.stdout
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "stored" in ingested.stdout
    assert _flower_answers("http://127.0.0.1:5555/healthcheck")
    exported = copydesk(env, "export", "--format", "jsonl")
    titles = {json.loads(line)["title"] for line in exported.stdout.splitlines()}
    assert "Thousands flee as Tamsin River levee fails" in titles
    assert "Library's restored reading room reopens Saturday" in titles
