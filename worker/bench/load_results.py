"""What became of every submitted task, read from Celery's Redis result backend in bulk.

Waiting asks Redis for all pending results in a few ``MGET`` round trips per poll, so
the benchmark's own waiting stays a small load beside the workers it measures. A fetch
task that handed its page on names the processing task (``process_task_id``): the wait
follows it, so each submitted URL ends with the outcome of the last task of its chain.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from celery.backends.redis import RedisBackend
from celery.states import READY_STATES, SUCCESS

#: The result field by which a task names the task that carries on its work.
CHILD_FIELD = "process_task_id"
_MGET_CHUNK = 1000
_TASK_LOG = re.compile(
    r"Task (?P<name>[\w.]+)\[(?P<id>[0-9a-f-]+)\] "
    r"(?:succeeded in (?P<runtime>[0-9.e+-]+)s|(?P<retry>retry):)"
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one submission ended: a final status, a reason when it failed, and when."""

    status: str
    reason: str | None = None
    done_at: datetime | None = None
    stores: Mapping[str, str] = field(default_factory=dict)


PENDING = Outcome("missing", "not finished before the benchmark's deadline")


def outcome_of(meta: Mapping[str, Any]) -> Outcome:
    """The outcome a finished task's result metadata records."""
    done_at = datetime.fromisoformat(meta["date_done"]) if meta.get("date_done") else None
    result = meta.get("result")
    if meta.get("status") != SUCCESS:
        return Outcome("failed", _failure_reason(result), done_at)
    if not isinstance(result, dict):
        return Outcome("succeeded", None, done_at)
    stores = result.get("stored")
    return Outcome(
        str(result.get("status", "succeeded")),
        result.get("error"),
        done_at,
        dict(stores) if isinstance(stores, dict) else {},
    )


def _failure_reason(result: object) -> str:
    """``Type: message`` of the exception Celery recorded (its arguments, as a list)."""
    if not isinstance(result, dict):
        return str(result)
    message = result.get("exc_message", "")
    if isinstance(message, list | tuple):
        message = ", ".join(str(part) for part in message)
    return f"{result.get('exc_type', 'Error')}: {message}"


class ResultReader:
    """Reads task results from a Celery Redis backend, many at a time."""

    def __init__(self, backend: RedisBackend) -> None:
        self._backend = backend

    def finished(self, task_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The result metadata of those of ``task_ids`` that have finished."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(task_ids), _MGET_CHUNK):
            chunk = task_ids[start : start + _MGET_CHUNK]
            keys = [self._backend.get_key_for_task(task_id) for task_id in chunk]
            for task_id, payload in zip(chunk, self._backend.mget(keys), strict=True):
                meta = self._backend.decode(payload) if payload else None
                if meta and meta.get("status") in READY_STATES:
                    found[task_id] = meta
        return found

    def forget(self, task_ids: Iterable[str]) -> None:
        """Delete the results of ``task_ids``."""
        keys = [self._backend.get_key_for_task(task_id) for task_id in task_ids]
        for start in range(0, len(keys), _MGET_CHUNK):
            self._backend.client.delete(*keys[start : start + _MGET_CHUNK])


@dataclass
class Wait:
    """The outcome of each submission once it ended, and every task id seen on the way."""

    outcomes: dict[str, Outcome]
    task_ids: set[str]


def wait_for_outcomes(
    reader: ResultReader, submitted: Mapping[str, str], timeout_s: float, poll_s: float = 0.25
) -> Wait:
    """Wait until every submission (source -> task id) has ended, following task chains."""
    pending = dict(submitted)
    wait = Wait({}, set(submitted.values()))
    deadline = time.monotonic() + timeout_s
    while pending and time.monotonic() < deadline:
        finished = reader.finished(list(pending.values()))
        for source, meta in _matched(pending, finished):
            child = _child(meta)
            if child:
                pending[source] = child
                wait.task_ids.add(child)
            else:
                wait.outcomes[source] = outcome_of(meta)
                del pending[source]
        if pending:
            time.sleep(poll_s)
    wait.outcomes.update(dict.fromkeys(pending, PENDING))
    return wait


def _matched(
    pending: Mapping[str, str], finished: Mapping[str, dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    for source, task_id in list(pending.items()):
        if task_id in finished:
            yield source, finished[task_id]


def _child(meta: Mapping[str, Any]) -> str | None:
    result = meta.get("result")
    if meta.get("status") == SUCCESS and isinstance(result, dict):
        child = result.get(CHILD_FIELD)
        return str(child) if child else None
    return None


@dataclass(frozen=True, slots=True)
class TaskLog:
    """What a worker's log says of one task name.

    ``repeated`` counts successes beyond the first of one task id: a task run twice.
    """

    succeeded: int = 0
    runtime_s: float = 0.0
    retries: int = 0
    repeated: int = 0


def task_logs(lines: Iterable[str]) -> dict[str, TaskLog]:
    """Per task name, from a Celery worker's INFO log ("succeeded in 0.01s", "retry:")."""
    succeeded: dict[str, Counter[str]] = {}
    retries: Counter[str] = Counter()
    runtime: dict[str, float] = {}
    for line in lines:
        match = _TASK_LOG.search(line)
        if match is None:
            continue
        name = match["name"]
        if match["retry"]:
            retries[name] += 1
        else:
            succeeded.setdefault(name, Counter())[match["id"]] += 1
            runtime[name] = runtime.get(name, 0.0) + float(match["runtime"])
    return {
        name: _task_log(succeeded.get(name, Counter()), runtime.get(name, 0.0), retries[name])
        for name in sorted(set(succeeded) | set(retries))
    }


def _task_log(successes_by_id: Counter[str], runtime_s: float, retries: int) -> TaskLog:
    succeeded = sum(successes_by_id.values())
    return TaskLog(succeeded, runtime_s, retries, repeated=succeeded - len(successes_by_id))
