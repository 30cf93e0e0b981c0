"""The per-host schedule: one turn per interval across workers, and how long it lasts."""

from __future__ import annotations

import time

import pytest
import redis

from worker.politeness import HostSchedule, host_interval


def test_default_rate_sets_the_interval() -> None:
    assert host_interval("news.example.com", 1.0, {}) == 1.0
    assert host_interval("news.example.com", 4.0, {}) == 0.25


def test_a_host_rate_applies_to_the_host_and_its_subdomains() -> None:
    rates = {"example.com": 0.5, "fast.example.com": 10.0}
    assert host_interval("Example.COM", 1.0, rates) == 2.0
    assert host_interval("www.example.com", 1.0, rates) == 2.0
    assert host_interval("fast.example.com", 1.0, rates) == 0.1
    assert host_interval("api.fast.example.com", 1.0, rates) == 0.1
    assert host_interval("example.org", 1.0, rates) == 1.0
    assert host_interval("notexample.com", 1.0, rates) == 1.0


def test_crawl_delay_only_slows_down_and_is_capped() -> None:
    assert host_interval("a.example", 1.0, {}, crawl_delay_s=5.0) == 5.0
    assert host_interval("a.example", 1.0, {}, crawl_delay_s=0.1) == 1.0
    assert host_interval("a.example", 1.0, {}, crawl_delay_s=3600, max_crawl_delay_s=60) == 60


def test_one_turn_per_interval_then_the_wait_is_told(
    redis_client: redis.Redis, namespace: str
) -> None:
    first, second = HostSchedule(redis_client, namespace), HostSchedule(redis_client, namespace)
    assert first.claim("example.com", 0.3) == 0.0
    wait = second.claim("example.com", 0.3)
    assert 0.0 < wait <= 0.3
    assert second.claim("other.example", 0.3) == 0.0  # hosts do not share turns
    time.sleep(wait + 0.02)
    assert second.claim("example.com", 0.3) == 0.0


def test_every_schedule_key_expires(redis_client: redis.Redis, namespace: str) -> None:
    schedule = HostSchedule(redis_client, namespace)
    schedule.claim("example.com", 2.0)
    schedule.defer("example.org", 30.0)
    keys = list(redis_client.scan_iter(match=f"{namespace}*"))
    assert len(keys) == 2
    assert all(0 < redis_client.pttl(key) <= 30_000 for key in keys)


@pytest.mark.parametrize("turn_s", [0.0, 1.0, 60.0])
def test_defer_keeps_every_worker_off_for_at_least_that_long(
    redis_client: redis.Redis, namespace: str, turn_s: float
) -> None:
    schedule = HostSchedule(redis_client, namespace)
    if turn_s:
        schedule.claim("example.com", turn_s)
    schedule.defer("example.com", 7.0)
    wait = schedule.claim("example.com", 1.0)
    assert 6.5 < wait <= max(7.0, turn_s)  # extends a shorter rest, never shortens a longer one
