"""The fetch task: download a submitted URL and hand the page to processing."""

from __future__ import annotations

from typing import Any

from celery import Task

from config.celery import FETCH_TASK
from tasks.base import PipelineTask
from tasks.process import process
from tasks.retrying import retry_for
from worker import runtime
from worker.app import app
from worker.errors import RetryableError


@app.task(name=FETCH_TASK, base=PipelineTask, bind=True)
def fetch(self: Task, url: str, fresh: bool = False) -> dict[str, Any]:
    """Fetch ``url``; a page worth processing goes on to the process queue.

    ``fresh`` fetches even within the refetch window (a page handed on was lost).
    """
    redelivered = bool(self.request.delivery_info and self.request.delivery_info.get("redelivered"))
    try:
        page = runtime.fetcher().fetch(url, fresh=fresh or redelivered)
    except RetryableError as exc:
        raise retry_for(self, exc) from exc
    if page is None:
        return {"status": "unchanged", "url": url}
    child = process.apply_async((runtime.handoff().park(page),))
    return {"status": "fetched", "url": url, "final_url": page.url, "process_task_id": child.id}
