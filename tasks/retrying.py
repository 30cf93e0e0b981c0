"""How a task retries, chosen by the class of the error a stage raised."""

from __future__ import annotations

from celery import Task
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval

from config import get_settings
from worker.errors import RateLimitedError, RetryableError


def retry_for(task: Task, exc: RetryableError) -> Retry:
    """The Retry to raise for ``exc``: waiting on a host's budget never uses up retries."""
    if isinstance(exc, RateLimitedError):
        # The host's turn booked for this URL; settings keep it below the visibility timeout.
        return task.retry(exc=exc, countdown=exc.retry_after, max_retries=None)
    return task.retry(exc=exc, countdown=_countdown(task.request.retries, exc.retry_after))


def _countdown(retries: int, retry_after: float | None) -> float:
    cap = get_settings().retry_backoff_max_s
    if retry_after is not None:
        return min(retry_after, cap)
    return float(get_exponential_backoff_interval(2, retries, cap, full_jitter=True))
