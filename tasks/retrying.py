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
        return task.retry(exc=exc, countdown=delay_for(exc, 0), max_retries=None)
    return task.retry(exc=exc, countdown=delay_for(exc, task.request.retries))


def delay_for(exc: RetryableError, retries: int) -> float:
    """Seconds to wait before trying again after ``exc``, ``retries`` tries in."""
    if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
        return exc.retry_after
    if exc.retry_after is not None:
        return min(exc.retry_after, get_settings().retry_backoff_max_s)
    return backoff_s(retries)


def backoff_s(retries: int) -> float:
    """Exponential backoff with full jitter, capped at ``COPYDESK_RETRY_BACKOFF_MAX_S``."""
    cap = get_settings().retry_backoff_max_s
    return float(get_exponential_backoff_interval(2, retries, cap, full_jitter=True))
