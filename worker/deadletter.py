"""The failed list: every task that ended in failure, with its reason, ready to replay.

Keyed by task id, so a task that fails twice (a redelivery) is listed once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, cast

import redis
from kombu.utils import json


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A failed task: what to run again, and why it failed."""

    task_id: str
    task: str
    args: list[Any]
    reason: str
    error: str
    failed_at: float

    @property
    def source(self) -> str:
        """The URL or page the task was working on, for people to read."""
        for arg in self.args:
            if isinstance(arg, dict) and arg.get("url"):
                return str(arg["url"])
        return str(self.args[0]) if self.args else ""


class DeadLetters:
    """Failed tasks kept in Redis: a hash of records and a sorted set by time."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._records = f"{prefix}:failed"
        self._order = f"{prefix}:failed:order"

    def add(self, letter: DeadLetter) -> None:
        pipe = self._client.pipeline()
        pipe.hset(self._records, letter.task_id, _dumps(asdict(letter)))
        pipe.zadd(self._order, {letter.task_id: letter.failed_at})
        pipe.execute()

    def list(self, limit: int = 100) -> list[DeadLetter]:
        """The most recent failures first."""
        ids = cast(list[bytes], self._client.zrevrange(self._order, 0, limit - 1))
        records = cast(list[bytes | None], self._client.hmget(self._records, ids)) if ids else []
        return [DeadLetter(**_loads(record)) for record in records if record]

    def take(self, task_id: str) -> DeadLetter | None:
        """Remove a failure from the list, returning it (to be replayed)."""
        pipe = self._client.pipeline()
        pipe.hget(self._records, task_id)
        pipe.hdel(self._records, task_id)
        pipe.zrem(self._order, task_id)
        record = pipe.execute()[0]
        return DeadLetter(**_loads(record)) if record else None

    def count(self) -> int:
        return int(self._client.hlen(self._records))


def _dumps(record: dict[str, Any]) -> str:
    # kombu's JSON keeps raw page bodies (bytes) intact, as on the queue itself.
    text: str = json.dumps(record)  # type: ignore[no-untyped-call]
    return text


def _loads(text: bytes) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(text)  # type: ignore[no-untyped-call]
    return record
