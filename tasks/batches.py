"""Batch tasks: several submissions a task, each keeping a task id of its own.

A batch task serves several submissions with one message, one acknowledgement and one
task run, and stores each submission's result under the task id it was given when
submitted, so users and ``copydesk submit --wait`` follow every URL as if it had a
task to itself. A submission that fails inside a batch for good is recorded at once;
one that may succeed later goes on alone, as the single task of its stage under its
own id, and retries or fails there.

A batch runs once. Whatever stops it (an error, the hard time limit, its worker dying
and the broker delivering it again) sends each of its submissions without a result on
alone: a page that kills or breaks its batch then takes down only itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

from celery import Task
from celery.utils.log import get_task_logger

from tasks.base import PipelineTask, list_failure
from tasks.retrying import delay_for
from worker.errors import PermanentError, RetryableError

logger = get_task_logger(__name__)

#: A submission in a batch: its task id, then the stage's argument (a URL, a page message).
Submission = list[Any]


class BatchTask(PipelineTask):
    """A task over several submissions that is never run twice as a batch."""

    autoretry_for = ()
    #: Its own result says only how many it served; each submission's is under its id.
    ignore_result = True
    #: The task that takes one submission alone.
    single_task: str
    #: Its keyword arguments when a batch that was stopped hands it a submission.
    resumed_kwargs: ClassVar[dict[str, Any]] = {}

    def split_if_run_before(self, submissions: list[Submission]) -> bool:
        """True, once every submission without a result has gone on alone, when this
        batch ran before (delivered again after its worker died, or retried)."""
        if not (redelivered(self) or self.request.retries):
            return False
        self.split(submissions)
        return True

    def split(self, submissions: list[Submission]) -> None:
        """Send on alone, under its own id, each submission that has no result yet."""
        ended = self.backend.ended_metas([task_id for task_id, _ in submissions])
        for (task_id, argument), meta in zip(submissions, ended, strict=True):
            if meta is None:
                self.app.send_task(
                    self.single_task, (argument,), self.resumed_kwargs, task_id=task_id
                )

    def failed_for_good(self, exc: Exception, task_id: str, args: list[Any]) -> None:
        logger.warning("%s[%s] stopped (%r): its submissions go on alone", self.name, task_id, exc)
        self.split(args[0])


def pass_on(batch: Task, single: Task, task_id: str, argument: Any, exc: Exception) -> None:
    """What a submission that failed in a batch becomes: a permanent failure is its
    result at once; anything else is tried again alone."""
    if isinstance(exc, PermanentError):
        batch.backend.mark_as_failure(task_id, exc)
        list_failure(single.name, task_id, [argument], exc)
    else:
        carry_on_alone(single, task_id, (argument,), exc=exc)


def carry_on_alone(
    task: Task,
    task_id: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any] | None = None,
    exc: Exception | None = None,
) -> None:
    """Send one submission of a batch on as ``task`` under its own id, counted as tried
    once when it failed, after the delay ``exc`` asks for."""
    countdown = delay_for(exc, 0) if isinstance(exc, RetryableError) else None
    logger.info("%s[%s] goes on alone in %s s: %r", task.name, task_id, countdown or 0, exc)
    task.apply_async(
        args, kwargs, task_id=task_id, countdown=countdown, retries=0 if exc is None else 1
    )


def store_results(task: Task, results: dict[str, Any]) -> None:
    """Store each submission's result under its task id, in two round trips."""
    if results:
        task.backend.store_successes(results)


def redelivered(task: Task) -> bool:
    """True when the broker delivers this task again: a worker died running it."""
    info = task.request.delivery_info
    return bool(info and info.get("redelivered"))
