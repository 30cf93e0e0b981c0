"""The Celery application: ``celery -A worker.app worker`` runs a copydesk worker."""

from __future__ import annotations

import gc
from typing import Any

from celery import Celery
from celery.signals import setup_logging, worker_init

from config import get_settings
from config.celery import celery_config
from config.logging import configure_logging
from worker.connections import current_endpoints
from worker.heartbeat import HeartbeatProbe


def _configuration() -> dict[str, Any]:
    # Evaluated on first use of app.conf, so importing this module starts nothing.
    urls = current_endpoints()
    return celery_config(get_settings(), urls.broker_url, urls.result_backend)


def _warm_up(**_: Any) -> None:
    # Imported here: the command line imports this module too, and never extracts.
    from worker.pipeline import warm_up

    warm_up()
    # What the main process holds now lives as long as the worker: out of the garbage
    # collector's sight, pool processes forked from it stop rescanning it on every full
    # collection (an eighth of a ms a page) and stop copying its pages to do so.
    gc.freeze()


def _logging(loglevel: str | int | None = None, **_: Any) -> None:
    configure_logging(loglevel or get_settings().log_level)


app = Celery(
    "copydesk", include=["tasks.fetch", "tasks.process", "tasks.deliver", "tasks.heartbeat"]
)
app.add_defaults(_configuration)
# Every redis:// result backend URL (rediss://, redis+socket:// too) gets the class that
# does not subscribe to each sent task's results.
app.loader.override_backends = dict.fromkeys(
    ("redis", "rediss"), "worker.result_backend:PollingRedisBackend"
)
# Connected, so Celery leaves logging to copydesk: one format in every process.
setup_logging.connect(_logging, weak=False)
worker_init.connect(_warm_up, weak=False)
app.steps["worker"].add(HeartbeatProbe)
