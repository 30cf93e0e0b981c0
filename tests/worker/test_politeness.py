"""The per-host schedule: one turn per interval across workers, booked in order, expiring."""

from __future__ import annotations

import itertools
import time

import pytest
import redis

from tests.conftest import keys_matching
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
    assert schedule.claim("example.com", 5.0, "/a") == 0.0
    assert 0.0 < schedule.claim("example.com", 5.0, "/b") <= 5.0
    assert schedule.claim("example.org", 5.0, "/b") == 0.0


def test_waiting_urls_book_successive_slots_and_return_one_per_interval(
    schedule: HostSchedule,
) -> None:
    assert schedule.claim("example.com", 0.5, "/0") == 0.0
    slots = []
    for n in range(1, 5):
        asked = time.monotonic()
        slots.append(asked + schedule.claim("example.com", 0.5, f"/{n}"))
    spacing = [later - earlier for earlier, later in itertools.pairwise(slots)]
    assert spacing == pytest.approx([0.5, 0.5, 0.5], abs=0.1)
    # Early, a URL is told how much longer; at its slot it takes the turn.
    assert schedule.claim("example.com", 0.5, "/2") > 0.0
    time.sleep(schedule.claim("example.com", 0.5, "/1"))
    assert schedule.claim("example.com", 0.5, "/1") == 0.0


def test_a_newcomer_queues_behind_booked_slots(schedule: HostSchedule) -> None:
    schedule.claim("example.com", 0.5, "/first")
    time.sleep(schedule.claim("example.com", 0.5, "/booked"))
    assert schedule.claim("example.com", 0.5, "/newcomer") > 0.0  # the turn is "/booked"'s
    assert schedule.claim("example.com", 0.5, "/booked") == 0.0


def test_a_late_url_keeps_its_place_but_never_shortens_the_interval(
    schedule: HostSchedule,
) -> None:
    schedule.claim("example.com", 0.5, "/first")
    schedule.claim("example.com", 0.5, "/late")
    time.sleep(schedule.claim("example.com", 0.5, "/on-time"))
    assert schedule.claim("example.com", 0.5, "/on-time") == 0.0
    wait = schedule.claim("example.com", 0.5, "/late")  # back after the next slot began
    assert 0.0 < wait <= 0.5
    time.sleep(wait)
    assert schedule.claim("example.com", 0.5, "/late") == 0.0


def test_bookings_stop_at_the_horizon(redis_client: redis.Redis, namespace: str) -> None:
    schedule = HostSchedule(redis_client, namespace, horizon_s=25.0)
    waits = [schedule.claim("example.com", 10.0, f"/{n}") for n in range(5)]
    assert waits == pytest.approx([0.0, 10.0, 20.0, 25.0, 25.0], abs=0.5)
    # Too far ahead to book: the last two look again after the horizon.
    assert len(keys_matching(redis_client, f"{namespace}:booking:*")) == 2


def test_every_schedule_key_expires(
    schedule: HostSchedule, redis_client: redis.Redis, namespace: str
) -> None:
    schedule.claim("example.com", 20.0, "/a")
    schedule.claim("example.com", 20.0, "/b")
    schedule.defer("example.org", 30.0)
    keys = keys_matching(redis_client, f"{namespace}*")
    assert len(keys) == 5  # turn, next and one booking at example.com; turn and next at .org
    assert all(0 < redis_client.pttl(key) <= 40_000 for key in keys)


@pytest.mark.parametrize("turn_s", [0.0, 1.0, 60.0])
def test_defer_keeps_every_worker_off_for_at_least_that_long(
    schedule: HostSchedule, turn_s: float
) -> None:
    if turn_s:
        schedule.claim("example.com", turn_s, "/earlier")
    schedule.defer("example.com", 7.0)
    wait = schedule.claim("example.com", 1.0, "/next")
    assert 6.5 < wait <= max(7.0, turn_s)  # extends a shorter rest, never shortens a longer one
