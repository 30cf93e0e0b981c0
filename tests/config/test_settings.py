from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings


def test_defaults_need_no_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    settings = Settings()
    assert settings.embedded
    assert settings.data_dir == tmp_path / ".local" / "share" / "copydesk"
    assert settings.stores == ("sqlite",)


def test_lists_and_maps_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYDESK_STORES", "postgres, jsonl")
    monkeypatch.setenv("COPYDESK_ALLOW_HOSTS", "127.0.0.1,10.0.0.0/8")
    monkeypatch.setenv("COPYDESK_HOST_RATES", "Example.com=2,slow.org=0.2")
    monkeypatch.setenv("COPYDESK_REDIS_URL", "redis://cache:6379/1")
    settings = Settings()
    assert settings.stores == ("postgres", "jsonl")
    assert settings.allow_hosts == ("127.0.0.1", "10.0.0.0/8")
    assert settings.host_rates == {"example.com": 2.0, "slow.org": 0.2}
    assert not settings.embedded


def test_a_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYDESK_MAX_PAGE_BYTES", "lots")
    with pytest.raises(ValueError, match="max_page_bytes"):
        Settings()


def test_a_batch_holds_at_least_one_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYDESK_BATCH_SIZE", "0")
    with pytest.raises(ValueError, match="batch_size"):
        Settings()


def test_a_visibility_timeout_shorter_than_a_task_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPYDESK_VISIBILITY_TIMEOUT_S", "600")
    monkeypatch.setenv("COPYDESK_TASK_TIME_LIMIT_S", "300")
    monkeypatch.setenv("COPYDESK_RETRY_BACKOFF_MAX_S", "600")
    with pytest.raises(ValueError, match="tasks run twice"):
        Settings()


def test_a_soft_limit_must_come_before_the_hard_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYDESK_TASK_SOFT_TIME_LIMIT_S", "400")
    with pytest.raises(ValueError, match="SOFT_TIME_LIMIT"):
        Settings()


def test_a_host_wait_past_the_visibility_timeout_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPYDESK_MAX_HOST_WAIT_S", "7200")
    with pytest.raises(ValueError, match="MAX_HOST_WAIT_S"):
        Settings()
