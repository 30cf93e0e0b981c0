"""What batch tasks share: each submission they carry keeps a task id of its own.

A batch task serves several submissions with one message, one acknowledgement and one
task run, and stores each submission's result under the task id it was given when
submitted, so users and ``copydesk submit --wait`` follow every URL as if it had a
task to itself. A submission that fails inside a batch goes on alone, as the single
task of its stage under its own id: retried there, or failed with its reason.
"""

from __future__ import annotations

from typing import Any

from celery import Task
from celery.utils.log import get_task_logger

from tasks.retrying import delay_for
from worker.errors import RetryableError

logger = get_task_logger(__name__)

#: A submission in a batch: its task id, then the stage's argument (a URL, a page message).
Submission = list[Any]


def carry_on_alone(
    task: Task,
    task_id: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any] | None = None,
    exc: Exception | None = None,
) -> None:
    """Send one submission of a batch on as ``task`` under its own id, after the delay
    ``exc`` asks for; whatever else went wrong, that task's own retries deal with it."""
    countdown = delay_for(exc, 0) if isinstance(exc, RetryableError) else None
    logger.info("%s[%s] goes on alone in %s s: %r", task.name, task_id, countdown or 0, exc)
    task.apply_async(args, kwargs, task_id=task_id, countdown=countdown)


def store_results(task: Task, results: dict[str, Any]) -> None:
    """Store each submission's result under its task id, in two round trips."""
    if results:
        task.backend.store_successes(results)


def redelivered(task: Task) -> bool:
    """True when the broker delivers this task again: a worker died running it."""
    info = task.request.delivery_info
    return bool(info and info.get("redelivered"))
