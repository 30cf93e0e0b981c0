"""How a task retries, chosen by the class of the error a stage raised."""

from __future__ import annotations

from celery import Task
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval

from config import get_settings
from worker.errors import RateLimitedError, RetryableError

#: A rate-limited task re-checks the host's schedule at least this often. Countdowns stay
#: far below the broker's visibility timeout, or Redis would deliver the task twice.
MAX_RATE_LIMIT_WAIT_S = 60.0


def retry_for(task: Task, exc: RetryableError) -> Retry:
    """The Retry to raise for ``exc``: waiting on a host's budget never uses up retries."""
    if isinstance(exc, RateLimitedError):
        wait = min(exc.retry_after or 1.0, MAX_RATE_LIMIT_WAIT_S)
        return task.retry(exc=exc, countdown=wait, max_retries=None)
    return task.retry(exc=exc, countdown=_countdown(task.request.retries, exc.retry_after))


def _countdown(retries: int, retry_after: float | None) -> float:
    cap = get_settings().retry_backoff_max_s
    if retry_after is not None:
        return min(retry_after, cap)
    return float(get_exponential_backoff_interval(2, retries, cap, full_jitter=True))
