"""Where the broker, result backend and shared state live: a server, or the embedded Redis."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import redis

from config import Settings, get_settings
from worker import embedded_redis


@dataclass(frozen=True, slots=True)
class Endpoints:
    """URLs for Celery's broker and results, and for copydesk's own Redis state."""

    broker_url: str
    result_backend: str
    redis_url: str


def endpoints(settings: Settings) -> Endpoints:
    """Resolve URLs from settings, starting the embedded Redis when no server is configured."""
    if settings.redis_url is None:
        embedded_redis.ensure_running(settings.data_dir)
        socket = embedded_redis.socket_path(settings.data_dir)
        return Endpoints(
            broker_url=settings.broker_url or f"redis+socket://{socket}",
            result_backend=f"redis+socket://{socket}",
            redis_url=f"unix://{socket}",
        )
    return Endpoints(
        broker_url=settings.broker_url or settings.redis_url,
        result_backend=settings.redis_url,
        redis_url=settings.redis_url,
    )


@lru_cache(maxsize=1)
def current_endpoints() -> Endpoints:
    return endpoints(get_settings())


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    """This process's client for copydesk's shared state (dedup index, politeness)."""
    return redis.Redis.from_url(current_endpoints().redis_url, health_check_interval=30)
