"""The pipeline a user would otherwise build: a Celery task that fetches and runs trafilatura.

One task per URL, on Celery's defaults (the same broker as copydesk): download with
requests, extract with ``trafilatura.extract``, return a summary. The load benchmark
runs it as ``celery -A worker.bench.load_reference worker`` with the broker and queue
given in the environment (:data:`REDIS_URL_VARIABLE`, :data:`QUEUE_VARIABLE`).
"""

from __future__ import annotations

import os
from typing import Any

import requests
from celery import Celery

TASK_NAME = "load_reference.fetch_and_extract"
REDIS_URL_VARIABLE = "COPYDESK_LOAD_REFERENCE_REDIS_URL"
QUEUE_VARIABLE = "COPYDESK_LOAD_REFERENCE_QUEUE"
_TIMEOUT_S = (5.0, 15.0)


def fetch_and_extract(url: str) -> dict[str, Any]:
    """Download ``url`` and extract its main text with trafilatura."""
    import trafilatura  # optional bench extra: imported by the worker only

    response = requests.get(url, timeout=_TIMEOUT_S)
    response.raise_for_status()
    text = trafilatura.extract(response.content, url=url)
    return {"status": "extracted" if text else "empty", "url": url, "chars": len(text or "")}


def reference_app(redis_url: str, queue: str) -> Celery:
    """The reference pipeline's Celery app: broker and results on ``redis_url``."""
    app = Celery("load-reference", broker=redis_url, backend=redis_url)
    app.conf.update(
        task_default_queue=queue,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK_NAME)(fetch_and_extract)
    return app


app = reference_app(
    os.environ.get(REDIS_URL_VARIABLE, "redis://127.0.0.1:6379/0"),
    os.environ.get(QUEUE_VARIABLE, "load-reference"),
)
