"""The per-host schedule: one turn per interval across workers, booked in order, expiring."""

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


@pytest.fixture
def schedule(redis_client: redis.Redis, namespace: str) -> HostSchedule:
    return HostSchedule(redis_client, namespace)


def test_the_first_claim_takes_the_turn_and_hosts_do_not_share_turns(
    schedule: HostSchedule,
) -> None:
    assert schedule.claim("example.com", 0.3, "/a") == 0.0
    assert 0.0 < schedule.claim("example.com", 0.3, "/b") <= 0.3
    assert schedule.claim("example.org", 0.3, "/b") == 0.0


def test_waiting_urls_book_successive_slots_and_return_one_per_interval(
    schedule: HostSchedule,
) -> None:
    assert schedule.claim("example.com", 0.2, "/0") == 0.0
    waits = [schedule.claim("example.com", 0.2, f"/{n}") for n in range(1, 5)]
    for position, wait in enumerate(waits, start=1):
        assert position * 0.2 - 0.05 < wait <= position * 0.2
    # Back at its slot, each URL takes the turn; early, it is told how much longer.
    assert 0.1 < schedule.claim("example.com", 0.2, "/2") <= 0.4
    time.sleep(waits[0])
    assert schedule.claim("example.com", 0.2, "/1") == 0.0


def test_a_newcomer_queues_behind_booked_slots(schedule: HostSchedule) -> None:
    schedule.claim("example.com", 0.2, "/first")
    booked = schedule.claim("example.com", 0.2, "/booked")
    time.sleep(booked)  # the turn is free, but "/booked" owns it
    assert schedule.claim("example.com", 0.2, "/newcomer") > 0.1
    assert schedule.claim("example.com", 0.2, "/booked") == 0.0


def test_a_late_url_keeps_its_place_but_never_shortens_the_interval(
    schedule: HostSchedule,
) -> None:
    schedule.claim("example.com", 0.2, "/first")
    late = schedule.claim("example.com", 0.2, "/late")
    on_time = schedule.claim("example.com", 0.2, "/on-time")
    time.sleep(on_time)
    assert schedule.claim("example.com", 0.2, "/on-time") == 0.0
    wait = schedule.claim("example.com", 0.2, "/late")  # came back after the next slot
    assert 0.1 < wait <= 0.2
    assert late < on_time
    time.sleep(wait)
    assert schedule.claim("example.com", 0.2, "/late") == 0.0


def test_bookings_stop_at_the_horizon(redis_client: redis.Redis, namespace: str) -> None:
    schedule = HostSchedule(redis_client, namespace, horizon_s=1.0)
    waits = [schedule.claim("example.com", 0.4, f"/{n}") for n in range(5)]
    assert waits[:4] == pytest.approx([0.0, 0.4, 0.8, 1.0], abs=0.05)
    assert waits[3] == waits[4] == 1.0  # too far ahead to book: look again in a second
    assert len(list(redis_client.scan_iter(match=f"{namespace}:booking:*"))) == 2


def test_every_schedule_key_expires(
    schedule: HostSchedule, redis_client: redis.Redis, namespace: str
) -> None:
    schedule.claim("example.com", 2.0, "/a")
    schedule.claim("example.com", 2.0, "/b")
    schedule.defer("example.org", 30.0)
    keys = list(redis_client.scan_iter(match=f"{namespace}*"))
    assert len(keys) == 5  # turn, next and one booking at example.com; turn and next at .org
    assert all(0 < redis_client.pttl(key) <= 30_000 for key in keys)


@pytest.mark.parametrize("turn_s", [0.0, 1.0, 60.0])
def test_defer_keeps_every_worker_off_for_at_least_that_long(
    schedule: HostSchedule, turn_s: float
) -> None:
    if turn_s:
        schedule.claim("example.com", turn_s, "/earlier")
    schedule.defer("example.com", 7.0)
    wait = schedule.claim("example.com", 1.0, "/next")
    assert 6.5 < wait <= max(7.0, turn_s)  # extends a shorter rest, never shortens a longer one
