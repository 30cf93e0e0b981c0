"""The fetch stage: download an untrusted URL safely, politely and within limits.

Every request, robots.txt and each redirect hop included, goes through the same
gate: robots.txt must allow the URL (:mod:`worker.robots`), the host's shared
turn must be this URL's (:mod:`worker.politeness`), and the host's address is
resolved once, checked and connected to (:mod:`worker.safety`). A worker never
sleeps for a turn: the URL books the host's next free slot and
:class:`RateLimitedError` tells the task when to come back; a redirect chain
cut short that way resumes where it stopped, so redirects cost the host no
more requests than they must.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import redis
import requests
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import DecodeError, HTTPError

from config.settings import Settings
from worker.errors import (
    DisallowedByRobotsError,
    HTTPStatusError,
    InvalidURLError,
    RateLimitedError,
    RetryableError,
    TooLargeError,
    UnsupportedContentError,
)
from worker.models import RawPage
from worker.politeness import HostSchedule, host_interval
from worker.robots import RobotsCache, RobotsRules, robots_text
from worker.safety import AddressPolicy, PinnedAddressAdapter
from worker.urls import host_of, normalize_url, origin_of, port_of, without_credentials

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Encodings urllib3 decodes with a cap on the decompressed size.
_DECODED_ENCODINGS = frozenset({"", "identity", "gzip", "x-gzip", "deflate"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TRANSIENT_4XX = frozenset({408, 425, 429})
_CHUNK_BYTES = 64 * 1024
#: How long a redirect chain interrupted by the rate limit waits to be resumed.
_RESUME_TTL_S = 600


class Deadline:
    """A point in time after which a fetch gives up, whatever it is doing."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises :class:`RetryableError` once none are."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise RetryableError("the fetch ran past its total deadline")
        return left


@dataclass(frozen=True, slots=True)
class _Hop:
    """Where a fetch stands: the next URL to request and the redirects taken so far."""

    url: str
    redirects: int = 0


class Fetcher:
    """Fetches pages for the pipeline; one instance may serve many URLs."""

    def __init__(self, settings: Settings, client: redis.Redis) -> None:
        self._settings = settings
        self._policy = AddressPolicy(settings.allow_hosts)
        prefix = f"{settings.redis_prefix}:fetch"
        self._robots = RobotsCache(client, prefix, settings.robots_cache_ttl_s)
        self._schedule = HostSchedule(client, prefix, settings.max_host_wait_s)
        self._history = _History(client, settings)
        self._headers = _base_headers(settings)

    def fetch(self, url: str, *, fresh: bool = False) -> RawPage | None:
        """The page at ``url``, or None when there is nothing new to process.

        None means the same normalised URL was fetched within the refetch window,
        or the server answered a conditional request with 304 Not Modified.
        ``fresh`` ignores both: a task delivered again may have died after this
        fetch was recorded but before its page was handed on.
        """
        start = normalize_url(url)
        past = self._history.recall(start)
        if past.fetched_recently and not fresh:
            return None
        deadline = Deadline(self._settings.fetch_deadline_s)
        hop = past.resume_point or _Hop(start)
        cookies = RequestsCookieJar()
        headers = self._headers if fresh else {**self._headers, **past.conditional_headers}
        while True:
            self._admit(start, hop, deadline)
            with self._exchange(hop.url, headers, cookies, deadline) as response:
                target = _redirect_target(response, hop.url)
                if target is None:
                    return self._accept(start, hop.url, response, deadline)
                if hop.redirects >= self._settings.max_redirects:
                    raise HTTPStatusError(
                        f"more than {self._settings.max_redirects} redirects from {_shown(start)}",
                        status=response.status_code,
                    )
            hop = _next_hop(hop, target, cookies)

    # --- the gate every request passes -------------------------------------

    def _admit(self, start: str, hop: _Hop, deadline: Deadline) -> None:
        try:
            self._pass_gate(hop.url, deadline, ticket=start)
        except RateLimitedError:
            if hop.redirects:
                # Next time, start at this hop rather than request the chain again.
                self._history.save_resume_point(start, hop)
            raise

    def _pass_gate(self, url: str, deadline: Deadline, ticket: str) -> None:
        rules = self._rules_for(url, deadline, ticket)
        if rules is not None and not rules.allows(url):
            raise DisallowedByRobotsError(f"robots.txt of {origin_of(url)} disallows {_shown(url)}")
        self._take_turn(host_of(url), rules, ticket)

    def _rules_for(self, url: str, deadline: Deadline, ticket: str) -> RobotsRules | None:
        if not self._settings.obey_robots:
            return None
        origin = origin_of(url)
        cached = self._robots.get(origin)
        if cached is not None:
            return cached
        self._take_turn(host_of(url), None, ticket)
        return self._robots.put(origin, self._download_robots(f"{origin}/robots.txt", deadline))

    def _take_turn(self, host: str, rules: RobotsRules | None, ticket: str) -> None:
        """Take the host's turn for ``ticket`` (the URL being fetched) or say when it comes."""
        interval = host_interval(
            host,
            self._settings.host_rate_per_s,
            self._settings.host_rates,
            rules.crawl_delay() if rules else None,
            self._settings.max_crawl_delay_s,
        )
        wait = self._schedule.claim(host, interval, ticket)
        if wait > 0:
            raise RateLimitedError(
                f"{host} takes one request every {interval:g}s; next turn in {wait:.2f}s",
                retry_after=wait,
            )

    def _download_robots(self, url: str, deadline: Deadline) -> str:
        """robots.txt's rules; its redirects are followed within the one turn (RFC 9309)."""
        cookies = RequestsCookieJar()
        for _ in range(self._settings.max_redirects + 1):
            with self._exchange(url, self._headers, cookies, deadline) as response:
                target = _redirect_target(response, url)
                if target is None:
                    body, _ = _read_capped(response, self._settings.robots_max_bytes, deadline)
                    return robots_text(response.status_code, body)
            url = target
        return ""  # RFC 9309: too many redirects counts as "no robots.txt"

    # --- one HTTP exchange ------------------------------------------------

    @contextmanager
    def _exchange(
        self, url: str, headers: dict[str, str], cookies: RequestsCookieJar, deadline: Deadline
    ) -> Iterator[requests.Response]:
        """One GET to the checked address of ``url``, its body left to stream."""
        adapter = PinnedAddressAdapter(self._policy.checked_address(host_of(url), port_of(url)))
        try:
            response = adapter.send(
                _prepare(url, headers, cookies),
                stream=True,
                timeout=self._timeouts(deadline),
                verify=True,
                proxies=self._proxies(url),
            )
            cookies.update(response.cookies)
            with response:
                yield response
        except requests.exceptions.InvalidURL as exc:
            raise InvalidURLError(f"cannot request {_shown(url)}: {exc}") from exc
        except requests.RequestException as exc:
            raise RetryableError(f"cannot fetch {_shown(url)}: {exc}") from exc
        finally:
            adapter.close()

    def _timeouts(self, deadline: Deadline) -> tuple[float, float]:
        remaining = deadline.remaining()
        return (
            min(self._settings.connect_timeout_s, remaining),
            min(self._settings.read_timeout_s, remaining),
        )

    def _proxies(self, url: str) -> dict[str, str]:
        if not self._settings.use_env_proxies:
            return {}
        return dict(requests.utils.get_environ_proxies(url))

    # --- the final response -------------------------------------------------

    def _accept(
        self, start: str, url: str, response: requests.Response, deadline: Deadline
    ) -> RawPage | None:
        if response.status_code == 304:
            self._history.record(start, validators=None)
            return None
        self._raise_for_status(response, host_of(url))
        content_type = response.headers.get("Content-Type")
        limit = self._settings.max_page_bytes
        _check_content(response.headers, limit)
        body, truncated = _read_capped(response, limit, deadline)
        if truncated:
            raise TooLargeError(f"{_shown(url)} is larger than {limit} bytes")
        if not content_type and not _looks_like_markup(body):
            raise UnsupportedContentError(
                f"{_shown(url)} has no Content-Type and does not look like HTML"
            )
        self._history.record(start, validators=response.headers)
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        return RawPage(
            url=without_credentials(url),
            body=body,
            content_type=content_type,
            fetched_at=fetched_at,
        )

    def _raise_for_status(self, response: requests.Response, host: str) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        if status >= 500 or status in _TRANSIENT_4XX:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            if retry_after is not None and status in (429, 503):
                # The host asked every worker to back off, not just this one.
                self._schedule.defer(host, min(retry_after, self._settings.retry_backoff_max_s))
            raise RetryableError(f"{host} answered {status}", retry_after=retry_after)
        raise HTTPStatusError(f"{response.url} answered {status} {response.reason}", status=status)


def _prepare(
    url: str, headers: dict[str, str], cookies: RequestsCookieJar
) -> requests.PreparedRequest:
    # Credentials travel as a header: left in the URL they also hide the host
    # from the cookie jar's domain matching.
    user, password = requests.utils.get_auth_from_url(url)
    return requests.Request(
        "GET",
        without_credentials(url),
        headers=headers,
        cookies=cookies,
        auth=(user, password) if user else None,
    ).prepare()


def _base_headers(settings: Settings) -> dict[str, str]:
    return {
        "User-Agent": f"{settings.user_agent} (contact: {settings.contact})",
        "From": settings.contact,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }


def _next_hop(hop: _Hop, target: str, cookies: RequestsCookieJar) -> _Hop:
    if host_of(target) != host_of(hop.url):
        # Credentials and cookies belong to the host that received them.
        cookies.clear()
        target = without_credentials(target)
    return _Hop(target, hop.redirects + 1)


def _redirect_target(response: requests.Response, url: str) -> str | None:
    location = response.headers.get("Location")
    if response.status_code not in _REDIRECTS or not location:
        return None
    try:
        return normalize_url(urljoin(url, _as_sent(location)))
    except ValueError as exc:
        raise InvalidURLError(
            f"{_shown(url)} redirects to a malformed URL {location[:200]!r}"
        ) from exc


def _as_sent(header: str) -> str:
    # http.client reads header bytes as Latin-1; servers send non-ASCII Locations in UTF-8.
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


def _check_content(headers: CaseInsensitiveDict[str], max_bytes: int) -> None:
    """Refuse a response by its headers, before a byte of its body is read."""
    media_type = (headers.get("Content-Type") or "text/html").split(";")[0].strip().lower()
    if media_type not in _HTML_TYPES:
        raise UnsupportedContentError(f"{media_type} is not an HTML page")
    encoding = headers.get("Content-Encoding", "").strip().lower()
    if encoding not in _DECODED_ENCODINGS:
        raise UnsupportedContentError(f"unsupported Content-Encoding {encoding!r}")
    declared = headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(f"Content-Length {declared} exceeds {max_bytes} bytes")


def _read_capped(response: requests.Response, limit: int, deadline: Deadline) -> tuple[bytes, bool]:
    """Up to ``limit`` decoded bytes of the body, and whether there were more.

    ``read1`` returns whatever has arrived, so a server dripping one byte at a
    time still meets the deadline; urllib3 inflates at most what is asked for,
    so a compression bomb costs no more memory than ``limit``.
    """
    body = bytearray()
    try:
        while len(body) <= limit:
            deadline.remaining()
            chunk = response.raw.read1(_CHUNK_BYTES, decode_content=True)
            if not chunk:
                return bytes(body), False
            body += chunk
    except DecodeError as exc:
        raise UnsupportedContentError(f"undecodable compressed body: {exc}") from exc
    except (HTTPError, OSError) as exc:
        raise RetryableError(f"the connection failed while reading: {exc}") from exc
    del body[limit:]
    return bytes(body), True


def _shown(url: str) -> str:
    """``url`` as error messages show it: failed states are visible to operators."""
    return without_credentials(url)


def _looks_like_markup(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _History:
    """What earlier fetches of a URL left in Redis: when, its validators, a cut redirect chain."""

    def __init__(self, client: redis.Redis, settings: Settings) -> None:
        self._client = client
        self._prefix = f"{settings.redis_prefix}:fetch"
        self._window_s = settings.refetch_window_s
        self._validators_ttl_s = settings.validators_ttl_s

    def recall(self, url: str) -> _Past:
        """What is known of ``url``, in one round trip; a resume point is used up."""
        with self._client.pipeline() as pipe:
            pipe.exists(self._key("seen", url))
            pipe.hgetall(self._key("validators", url))
            pipe.hgetall(self._key("resume", url))
            pipe.delete(self._key("resume", url))
            seen, validators, resume, _ = pipe.execute()
        return _Past(bool(seen), _conditional_headers(validators), _resume_point(resume))

    def record(self, url: str, validators: CaseInsensitiveDict[str] | None) -> None:
        """Remember a completed fetch: the refetch window starts.

        ``validators`` are a 200's headers, whose ETag and Last-Modified replace
        the stored ones; None (a 304) keeps those stored.
        """
        with self._client.pipeline() as pipe:
            if self._window_s > 0:
                pipe.set(self._key("seen", url), b"1", ex=self._window_s)
            if validators is not None:
                self._replace_validators(pipe, url, validators)
            pipe.execute()

    def _replace_validators(
        self, pipe: redis.client.Pipeline, url: str, headers: CaseInsensitiveDict[str]
    ) -> None:
        key = self._key("validators", url)
        pipe.delete(key)  # validators the page no longer sends must not be replayed
        for name, header in (("etag", "ETag"), ("lm", "Last-Modified")):
            if headers.get(header):
                pipe.hset(key, name, headers[header])
        pipe.expire(key, self._validators_ttl_s)

    def save_resume_point(self, url: str, hop: _Hop) -> None:
        key = self._key("resume", url)
        with self._client.pipeline() as pipe:
            pipe.hset(key, "url", hop.url)
            pipe.hset(key, "redirects", hop.redirects)
            pipe.expire(key, _RESUME_TTL_S)
            pipe.execute()

    def _key(self, kind: str, url: str) -> str:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return f"{self._prefix}:{kind}:{digest}"


@dataclass(frozen=True, slots=True)
class _Past:
    """What earlier fetches of a URL left behind."""

    fetched_recently: bool
    conditional_headers: dict[str, str]
    #: Where a redirect chain cut short by the rate limit stopped.
    resume_point: _Hop | None


def _conditional_headers(stored: dict[bytes | str, bytes | str]) -> dict[str, str]:
    validators = _text_mapping(stored)
    headers = {"If-None-Match": validators.get("etag"), "If-Modified-Since": validators.get("lm")}
    return {name: value for name, value in headers.items() if value}


def _resume_point(stored: dict[bytes | str, bytes | str]) -> _Hop | None:
    fields = _text_mapping(stored)
    return _Hop(fields["url"], int(fields.get("redirects", "0"))) if "url" in fields else None


def _text_mapping(stored: dict[bytes | str, bytes | str]) -> dict[str, str]:
    """A Redis hash as text, whether or not the client decodes responses."""
    return {_text(name): _text(value) for name, value in stored.items()}


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
