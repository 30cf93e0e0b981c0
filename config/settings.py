"""Every copydesk setting, read once from ``COPYDESK_*`` environment variables.

Defaults work on a laptop: no server to install, the embedded Redis and a SQLite
store under the user's data folder.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: A list given in the environment as comma-separated words: ``postgres,jsonl``.
CommaList = Annotated[tuple[str, ...], NoDecode]
#: A mapping given in the environment as ``key=value`` pairs: ``a.com=2,b.org=0.5``.
CommaMap = Annotated[dict[str, float], NoDecode]


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "copydesk"


class Settings(BaseSettings):
    """Settings of a copydesk process; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="COPYDESK_", frozen=True, extra="ignore")

    # --- where things live ---------------------------------------------------
    data_dir: Path = Field(default_factory=_default_data_dir)
    redis_url: str | None = None
    redis_prefix: str = "copydesk"
    log_level: str = "INFO"
    broker_url: str | None = None
    stores: CommaList = ("sqlite",)
    sqlite_path: Path | None = None
    postgres_url: str | None = None
    jsonl_dir: Path | None = None
    jsonl_max_bytes: int = 64 * 1024 * 1024
    webhook_url: str | None = None
    webhook_secret: str | None = None
    stream_name: str = "copydesk:articles"
    stream_max_len: int = 100_000
    #: How long the stream and webhook stores remember an article's content hash
    #: (an unchanged article re-sent within this window is not delivered again).
    store_seen_ttl_s: int = 30 * 24 * 3600
    postgres_connect_timeout_s: int = 5
    webhook_connect_timeout_s: float = 5.0
    webhook_read_timeout_s: float = 15.0

    # --- tasks ---------------------------------------------------------------
    fetch_queue: str = "fetch"
    process_queue: str = "process"
    store_queue: str = "store"
    task_time_limit_s: int = 300
    task_soft_time_limit_s: int = 240
    #: Submissions (URLs, pages handed in) a batch task takes at once: one message,
    #: acknowledgement and task run for all of them. Pages of a batch are in memory
    #: together (up to ``max_page_bytes`` each), hence the cap.
    batch_size: int = Field(default=8, ge=1, le=32)
    max_retries: int = 5
    store_max_retries: int = 12
    retry_backoff_max_s: int = 600
    visibility_timeout_s: int = 3600
    worker_max_tasks_per_child: int = 1000
    worker_max_memory_per_child_kb: int = 512_000
    result_expires_s: int = 7 * 24 * 3600
    #: How long a fetched page waits in Redis for its processing task.
    handoff_ttl_s: int = 7 * 24 * 3600
    #: Off by default: events cost the workers' main processes a third of their CPU;
    #: Flower and ``copydesk watch`` switch them on while they watch.
    task_events: bool = False
    heartbeat_ttl_s: int = 60

    # --- fetching ------------------------------------------------------------
    user_agent: str = "copydesk/0.1 (+https://github.com/copydesk/copydesk)"
    contact: str = "copydesk@example.invalid"
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    fetch_deadline_s: float = 30.0
    max_page_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_hosts: CommaList = ()
    use_env_proxies: bool = False
    host_rate_per_s: float = 1.0
    host_rates: CommaMap = Field(default_factory=dict)
    obey_robots: bool = True
    robots_cache_ttl_s: int = 24 * 3600
    refetch_window_s: int = 6 * 3600
    robots_max_bytes: int = 512 * 1024
    max_crawl_delay_s: float = 60.0
    max_host_wait_s: float = 300.0
    validators_ttl_s: int = 30 * 24 * 3600

    # --- cleaning ------------------------------------------------------------
    max_parse_chars: int = 3_000_000

    # --- dedup ---------------------------------------------------------------
    dedup_namespace: str = "copydesk"
    dedup_window_s: int = 7 * 24 * 3600
    dedup_min_words: int = 50
    #: Bucket hashes per time generation are 2**bits; ~expected docs per window * 16 / 100.
    dedup_shard_bits: int = 16

    @field_validator("stores", "allow_hosts", mode="before")
    @classmethod
    def _split_words(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(word.strip() for word in value.split(",") if word.strip())
        return value

    @field_validator("host_rates", mode="before")
    @classmethod
    def _split_pairs(cls, value: Any) -> Any:
        if isinstance(value, str):
            pairs = (item.split("=", 1) for item in value.split(",") if item.strip())
            return {host.strip().lower(): float(rate) for host, rate in pairs}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        # A Redis broker delivers a task again once it has been unacknowledged for the
        # visibility timeout: a task still running or waiting to retry by then runs twice.
        longest = self.task_time_limit_s + self.retry_backoff_max_s
        if self.visibility_timeout_s <= longest:
            raise ValueError(
                f"COPYDESK_VISIBILITY_TIMEOUT_S ({self.visibility_timeout_s}) must exceed the task"
                f" time limit plus the longest retry delay ({self.task_time_limit_s} + "
                f"{self.retry_backoff_max_s} = {longest}), or tasks run twice"
            )
        if self.max_host_wait_s >= self.visibility_timeout_s:
            raise ValueError(
                "COPYDESK_MAX_HOST_WAIT_S must be below COPYDESK_VISIBILITY_TIMEOUT_S:"
                " a task parked longer than the visibility timeout is delivered twice"
            )
        if self.task_soft_time_limit_s >= self.task_time_limit_s:
            raise ValueError(
                "COPYDESK_TASK_SOFT_TIME_LIMIT_S must be below COPYDESK_TASK_TIME_LIMIT_S"
            )
        return self

    @property
    def queues(self) -> tuple[str, ...]:
        """Every queue a worker serving the whole pipeline consumes."""
        return (self.fetch_queue, self.process_queue, self.store_queue)

    @property
    def embedded(self) -> bool:
        """True when copydesk runs its own Redis in the data directory."""
        return self.redis_url is None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
