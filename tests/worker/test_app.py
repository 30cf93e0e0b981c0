"""The Celery application's start-up: what a worker's main process prepares before forking."""

from __future__ import annotations

from tests.workers import python

#: What ``celery worker`` does before starting its pool: send ``worker_init``.
_START_A_WORKER = """
import gc
from celery.signals import worker_init
from worker.app import app
from worker.metadata.authors import first_names

before = first_names.cache_info().currsize, gc.get_freeze_count()
worker_init.send(sender=None)
print(*before, first_names.cache_info().currsize, gc.get_freeze_count())
"""


def test_a_worker_loads_the_first_names_and_freezes_them_before_its_pool_forks() -> None:
    started = python(_START_A_WORKER)
    assert started.returncode == 0, started.stderr
    names_before, frozen_before, names_after, frozen_after = map(int, started.stdout.split())
    assert (names_before, frozen_before, names_after) == (0, 0, 1)
    assert frozen_after > 10_000  # Celery, lxml's and Faker's objects out of the collector's way
