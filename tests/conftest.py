"""Fixtures shared by every test: real Redis and PostgreSQL on these machines."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
import redis
from hypothesis import settings

#: Fixtures shared beyond one test module.
pytest_plugins = ["tests.webhook_receiver", "tests.workers"]

# No example database in the checkout, and no deadline: this 2-core machine is often busy.
settings.register_profile("copydesk", database=None, deadline=None)
settings.load_profile("copydesk")

TEST_REDIS_URL = os.environ.get("COPYDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEST_POSTGRES_URL = os.environ.get(
    "COPYDESK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def postgres_url(schema: str, application_name: str = "copydesk-test") -> str:
    """The test database, with ``schema`` first on the search path."""
    options = quote(f"-csearch_path={schema}")
    return f"{TEST_POSTGRES_URL}?options={options}&application_name={application_name}"


@pytest.fixture(scope="session")
def admin() -> Iterator[psycopg.Connection[Any]]:
    """A connection to the test database; skips when there is none, except on CI."""
    try:
        conn = psycopg.connect(TEST_POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must provide PostgreSQL at {TEST_POSTGRES_URL}: {exc}")
        pytest.skip(f"no PostgreSQL at {TEST_POSTGRES_URL} (set COPYDESK_TEST_POSTGRES_URL): {exc}")
    yield conn
    conn.close()


@pytest.fixture
def schema(admin: psycopg.Connection[Any]) -> Iterator[str]:
    """A fresh schema for one test, dropped with everything in it afterwards."""
    name = f"copydesk_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE SCHEMA {name}")  # a generated name, not user input
    yield name
    admin.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """A client of the local Redis; every key under the test's namespace is removed after."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:  # pragma: no cover - depends on the machine
        pytest.fail(f"tests need Redis at {TEST_REDIS_URL}: {exc}")
    yield client
    client.close()


def keys_matching(client: redis.Redis, pattern: str) -> list[bytes]:
    """Every key matching ``pattern``, scanned in large pages: the shared Redis may hold
    millions of other keys, and scanning them ten at a time (redis-py's default) takes
    longer than the test's keys live."""
    return list(client.scan_iter(match=pattern, count=10_000))


@pytest.fixture
def namespace(redis_client: redis.Redis) -> Iterator[str]:
    """A fresh key prefix, deleted with everything under it when the test ends."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in keys_matching(redis_client, f"{prefix}*"):
        redis_client.delete(key)
