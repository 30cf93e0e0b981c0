"""Every error a stage may raise, by what a task should do about it.

Tasks decide by class alone: a :class:`RetryableError` is retried with backoff
(honouring ``retry_after`` when the cause gave one); a :class:`PermanentError`
fails the page at once with its reason; anything else is a bug, retried a few
times and then dead-lettered.
"""

from __future__ import annotations


class CopydeskError(Exception):
    """Base of every error copydesk raises on purpose."""

    #: A short stable code for stores, ``status`` and ``watch``.
    reason = "error"


class RetryableError(CopydeskError):
    """A transient failure: the same work may succeed later."""

    reason = "retryable"

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimitedError(RetryableError):
    """The host's shared request budget is spent; try again after ``retry_after``."""

    reason = "rate_limited"


class StoreUnavailableError(RetryableError):
    """A downstream store could not be reached."""

    reason = "store_unavailable"


class PermanentError(CopydeskError):
    """A failure that retrying cannot fix."""

    reason = "failed"


class InvalidURLError(PermanentError):
    """The URL is malformed or uses a scheme other than http(s)."""

    reason = "invalid_url"


class UnsafeAddressError(PermanentError):
    """The host resolves to an address copydesk must not connect to."""

    reason = "unsafe_address"


class TooLargeError(PermanentError):
    """The page (or its decompressed body) exceeds the configured cap."""

    reason = "too_large"


class DisallowedByRobotsError(PermanentError):
    """The site's robots.txt forbids fetching this URL."""

    reason = "disallowed_by_robots"


class UnsupportedContentError(PermanentError):
    """The response is not an HTML page (a PDF, an image...)."""

    reason = "unsupported_content"


class HTTPStatusError(PermanentError):
    """The server answered with a status that retrying will not change (404, 410...)."""

    reason = "http_status"

    # Optional so that Celery can rebuild the error from its message alone.
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class InputError(PermanentError):
    """A raw page or manifest line handed to copydesk cannot be read."""

    reason = "bad_input"
