"""Celery worker processes for the load benchmark: started, awaited until ready, stopped."""

from __future__ import annotations

import socket
import subprocess  # nosec B404 - starts Celery workers of this benchmark
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from celery import Celery

_READY_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """One worker to run: which Celery app, on which queues, with which pool."""

    name: str
    app: str
    queues: Sequence[str]
    pool: str
    concurrency: int


@dataclass(frozen=True, slots=True)
class RunningWorker:
    spec: WorkerSpec
    node: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def worker_command(spec: WorkerSpec, node: str) -> list[str]:
    """``celery worker`` at INFO level: its log lines give each task's run time."""
    return [
        sys.executable, "-m", "celery", "-A", spec.app, "worker",
        "-Q", ",".join(spec.queues), "-P", spec.pool, "-c", str(spec.concurrency),
        "-n", node, "--without-gossip", "--without-mingle", "-l", "INFO",
    ]  # fmt: skip


def _start(spec: WorkerSpec, env: Mapping[str, str], log_dir: Path, tag: str) -> RunningWorker:
    node = f"{spec.name}-{tag}@{socket.gethostname()}"
    log = log_dir / f"{spec.name}-{tag}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own argv
            worker_command(spec, node), env=dict(env), stdout=output, stderr=subprocess.STDOUT
        )
    return RunningWorker(spec, node, process, log)


def _stop(worker: RunningWorker) -> None:
    """Warm shutdown (SIGTERM): in-flight tasks finish; killed if that takes too long."""
    worker.process.terminate()
    try:
        worker.process.wait(_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()


def _wait_until_ready(control_app: Celery, workers: Sequence[RunningWorker]) -> None:
    waiting = {worker.node: worker for worker in workers}
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while waiting:
        for reply in control_app.control.ping(destination=list(waiting), timeout=0.5):
            for node in reply:
                waiting.pop(node, None)
        late = [worker for worker in waiting.values() if worker.process.poll() is not None]
        if not late and time.monotonic() > deadline:
            late = list(waiting.values())
        if late:
            raise RuntimeError(f"worker {late[0].node} did not start; see {late[0].log}")


@contextmanager
def running_workers(
    specs: Sequence[WorkerSpec],
    env: Mapping[str, str],
    log_dir: Path,
    tag: str,
    control_app: Celery,
) -> Iterator[list[RunningWorker]]:
    """Start every worker, wait until each answers a ping, stop them all on exit."""
    with ExitStack() as stack:
        workers = []
        for spec in specs:
            worker = _start(spec, env, log_dir, tag)
            stack.callback(_stop, worker)
            workers.append(worker)
        _wait_until_ready(control_app, workers)
        yield workers
