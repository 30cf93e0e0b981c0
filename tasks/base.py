"""What every copydesk task shares: bounded retries, and the failed list at the end."""

from __future__ import annotations

import time
from typing import Any

from billiard.einfo import ExceptionInfo
from celery import Task

from config import get_settings
from worker import runtime
from worker.deadletter import DeadLetter
from worker.errors import PermanentError, RetryableError

_settings = get_settings()


class PipelineTask(Task):  # type: ignore[misc]
    """A task that retries unexpected errors a few times and lists its final failure.

    A :class:`PermanentError` fails at once. A :class:`RetryableError` is retried by the
    task itself (it knows how long to wait). Anything else is a bug or a poison page:
    retried with backoff, then listed in the failed list instead of blocking the queue.
    """

    autoretry_for: tuple[type[Exception], ...] = (Exception,)
    dont_autoretry_for = (PermanentError, RetryableError)
    retry_backoff = True
    retry_backoff_max = _settings.retry_backoff_max_s
    retry_jitter = True
    max_retries = _settings.max_retries
    time_limit = _settings.task_time_limit_s
    soft_time_limit = _settings.task_soft_time_limit_s

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        self.failed_for_good(exc, task_id, list(args))

    def failed_for_good(self, exc: Exception, task_id: str, args: list[Any]) -> None:
        """What becomes of a task no retry will save (Celery's ``on_failure``, the hard
        time limit included): it goes on the failed list."""
        list_failure(self.name, task_id, args, exc)


def list_failure(task_name: str, task_id: str, args: list[Any], exc: Exception) -> None:
    """Put a task that failed for good on the failed list, with its reason, for replay."""
    letter = DeadLetter(
        task_id=task_id,
        task=task_name,
        args=args,
        reason=getattr(exc, "reason", type(exc).__name__),
        error=str(exc),
        failed_at=time.time(),
    )
    runtime.dead_letters().add(letter)
