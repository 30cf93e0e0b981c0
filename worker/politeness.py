"""A per-host request schedule shared by every worker process through Redis.

Two things are kept per host, both on the Redis clock so that workers' clocks
need not agree:

* the *turn*: a key that exists while the host rests after a request. A
  request is only made after taking the turn atomically, so no two requests to
  a host, from any process or machine, come closer than the host's interval;
* the *queue*: the next free slot, and for each waiting URL the slot it booked.
  A worker that cannot have the turn now books the next slot and is told when
  it comes, then goes on with other work (the task re-queues itself with that
  countdown). Waiting URLs thus come back one per interval instead of all
  polling the host at once; a newcomer queues behind them rather than taking
  a slot someone booked.

Bookings reach at most ``horizon_s`` ahead: past it a URL is told to look
again then, so no task is parked for longer than a broker can hold it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import redis

# KEYS: turn, next free slot, this ticket's booking.
# ARGV: interval ms, horizon ms, grace ms (how long a booking outlives its slot).
# Returns 0 when the turn is taken, else the milliseconds to wait.
_CLAIM = """
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local interval, horizon, grace = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local resting = redis.call('PTTL', KEYS[1])
local booked = tonumber(redis.call('GET', KEYS[3]))
if booked then
  if booked > now then return booked - now end
  if resting > 0 then
    redis.call('PEXPIRE', KEYS[3], resting + grace)
    return resting
  end
  redis.call('DEL', KEYS[3])
  redis.call('SET', KEYS[1], '1', 'PX', interval)
  return 0
end
local slot = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0'), now + math.max(resting, 0))
if slot == now then
  redis.call('SET', KEYS[1], '1', 'PX', interval)
  redis.call('SET', KEYS[2], now + interval, 'PX', interval)
  return 0
end
if slot - now > horizon then return horizon end
redis.call('SET', KEYS[2], slot + interval, 'PX', slot + interval - now)
redis.call('SET', KEYS[3], slot, 'PX', slot - now + grace)
return slot - now
"""

# KEYS: turn, next free slot. ARGV: rest ms. Neither key is ever shortened.
_DEFER = """
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local rest = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < rest then redis.call('SET', KEYS[1], '1', 'PX', rest) end
local free = tonumber(redis.call('GET', KEYS[2]) or '0')
if free < now + rest then redis.call('SET', KEYS[2], now + rest, 'PX', rest) end
return 0
"""


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
    """Turns at each host, at most one per interval across all workers, booked in order."""

    def __init__(self, client: redis.Redis, prefix: str, horizon_s: float = 300.0) -> None:
        self._prefix = prefix
        self._horizon_ms = max(1, round(horizon_s * 1000))
        self._claim = client.register_script(_CLAIM)
        self._defer = client.register_script(_DEFER)

    def claim(self, host: str, interval_s: float, ticket: str) -> float:
        """Take ``host``'s turn for ``ticket`` (what is to be fetched).

        Returns 0.0 when the turn is taken, else the seconds after which
        ``ticket`` should claim again; its place in the queue is kept until then
        (and for one interval more, for a late worker).
        """
        interval_ms = max(1, round(interval_s * 1000))
        keys = [self._key(host, "turn"), self._key(host, "next"), self._booking(host, ticket)]
        wait_ms = self._claim(keys=keys, args=[interval_ms, self._horizon_ms, interval_ms])
        return int(wait_ms) / 1000

    def defer(self, host: str, seconds: float) -> None:
        """Keep every worker off ``host`` for at least ``seconds`` (a 429's Retry-After)."""
        rest_ms = max(1, round(seconds * 1000))
        self._defer(keys=[self._key(host, "turn"), self._key(host, "next")], args=[rest_ms])

    def _key(self, host: str, kind: str) -> str:
        return f"{self._prefix}:{kind}:{host.lower()}"

    def _booking(self, host: str, ticket: str) -> str:
        digest = hashlib.sha256(ticket.encode("utf-8")).hexdigest()[:32]
        return f"{self._key(host, 'booking')}:{digest}"
