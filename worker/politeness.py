"""A per-host request schedule shared by every worker process through Redis.

Each host has one key that exists while the host is resting: claiming a turn
is ``SET key NX PX interval``, atomic in Redis, so two workers on two machines
cannot both win it. A worker that loses is told how long the host still rests
(the key's remaining TTL) and goes on with other work instead of sleeping.
Expiry runs on the Redis clock, so workers' clocks need not agree.
"""

from __future__ import annotations

from collections.abc import Mapping

import redis


def host_interval(
    host: str,
    default_rate_per_s: float,
    host_rates: Mapping[str, float],
    crawl_delay_s: float | None = None,
    max_crawl_delay_s: float = 60.0,
) -> float:
    """Seconds between two requests to ``host``.

    A rate configured for the host or one of its parent domains beats the
    default; robots.txt's ``Crawl-delay`` can only slow that down, up to
    ``max_crawl_delay_s``.
    """
    rate = _configured_rate(host.lower(), host_rates, default_rate_per_s)
    interval = 1.0 / rate if rate > 0 else 0.0
    return max(interval, min(crawl_delay_s or 0.0, max_crawl_delay_s))


def _configured_rate(host: str, host_rates: Mapping[str, float], default: float) -> float:
    labels = host.split(".")
    for start in range(len(labels)):
        rate = host_rates.get(".".join(labels[start:]))
        if rate is not None:
            return rate
    return default


class HostSchedule:
    """Turns at each host, handed out at most once per interval across all workers."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client = client
        self._prefix = prefix

    def claim(self, host: str, interval_s: float) -> float:
        """Take the host's turn: 0.0 when granted, else the seconds until the next turn."""
        interval_ms = max(1, round(interval_s * 1000))
        if self._client.set(self._key(host), b"1", px=interval_ms, nx=True):
            return 0.0
        # A negative TTL means the key expired between the two calls: come back at once.
        remaining_ms = int(self._client.pttl(self._key(host)))
        return max(remaining_ms, 1) / 1000

    def defer(self, host: str, seconds: float) -> None:
        """Keep every worker off ``host`` for at least ``seconds`` (a 429's Retry-After)."""
        rest_ms = max(1, round(seconds * 1000))
        if not self._client.set(self._key(host), b"1", px=rest_ms, nx=True):
            self._client.pexpire(self._key(host), rest_ms, gt=True)

    def _key(self, host: str) -> str:
        return f"{self._prefix}:turn:{host.lower()}"
