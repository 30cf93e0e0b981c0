"""The Celery application's start-up: what a worker's main process prepares before forking."""

from __future__ import annotations

from tests.workers import python

#: What ``celery worker`` does before starting its pool: send ``worker_init``.
_START_A_WORKER = """
from celery.signals import worker_init
from worker.app import app
from worker.metadata.authors import first_names

before = first_names.cache_info().currsize
worker_init.send(sender=None)
print(before, first_names.cache_info().currsize)
"""


def test_a_worker_loads_the_first_names_before_its_pool_forks() -> None:
    started = python(_START_A_WORKER)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["0", "1"]
