"""The fetch stage against a real HTTP server on loopback, fault by fault.

Every case ends in a page, None, or one of worker.errors' types with a clear
reason: the Celery task decides from the type alone.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from config.settings import Settings
from tests.conftest import keys_matching
from tests.httpserver import (
    Hit,
    Reply,
    endless,
    gzip_bomb,
    html,
    page,
    redirect,
    robots,
    serve,
    slow_drip,
    stall,
    status,
)
from worker.encoding import decode_html
from worker.errors import (
    CopydeskError,
    DisallowedByRobotsError,
    HTTPStatusError,
    InvalidURLError,
    RateLimitedError,
    RetryableError,
    TooLargeError,
    UnsafeAddressError,
    UnsupportedContentError,
)
from worker.fetch import Fetcher, retry_after_seconds
from worker.models import RawPage

ROOT = Path(__file__).resolve().parents[2]
STORY = "<html><head><title>Story</title></head><body><p>Text.</p></body></html>"

MakeFetcher = Callable[..., Fetcher]


@pytest.fixture
def make_fetcher(redis_client: redis.Redis, namespace: str) -> MakeFetcher:
    """Fetchers sharing the test's Redis namespace; loopback is allowlisted unless overridden."""

    def make(**overrides: Any) -> Fetcher:
        values: dict[str, Any] = {
            "redis_prefix": namespace,
            "allow_hosts": ("127.0.0.0/8",),
            "host_rate_per_s": 1000.0,
            "connect_timeout_s": 2.0,
            "read_timeout_s": 2.0,
            "fetch_deadline_s": 5.0,
            "max_page_bytes": 256 * 1024,
            **overrides,
        }
        return Fetcher(Settings(**values), redis_client)

    return make


def fetch_as_task(fetcher: Fetcher, url: str, *, fresh: bool = False) -> RawPage | None:
    """Fetch as the Celery task does: a spent host budget means "come back after retry_after"."""
    for _ in range(20):
        try:
            return fetcher.fetch(url, fresh=fresh)
        except RateLimitedError as exc:
            assert exc.retry_after is not None
            time.sleep(exc.retry_after)
    raise AssertionError(f"{url} stayed rate limited")


def paths(log: list[Hit]) -> list[str]:
    return [hit.path for hit in log]


# --- a normal fetch ---------------------------------------------------------


def test_fetches_a_page_naming_copydesk_and_its_contact(make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher(contact="desk@news.example")
    with serve({"/story": html(STORY)}) as server:
        raw = fetch_as_task(fetcher, server.url("/story"))
    assert raw is not None
    assert raw.url == server.url("/story")
    assert raw.body == STORY.encode()
    assert raw.content_type == "text/html; charset=utf-8"
    assert raw.fetched_at is not None
    assert abs(datetime.fromisoformat(raw.fetched_at) - datetime.now(UTC)) < timedelta(minutes=1)
    assert paths(server.log) == ["/robots.txt", "/story"]
    for hit in server.log:
        assert "copydesk" in hit.headers["User-Agent"]
        assert "desk@news.example" in hit.headers["User-Agent"]
        assert hit.headers["From"] == "desk@news.example"


def test_the_same_url_in_another_spelling_is_not_fetched_again(make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher()
    with serve({"/story": html(STORY)}) as server:
        assert fetch_as_task(fetcher, server.url("/story?utm_source=feed")) is not None
        again = server.url("/story#top").replace("http://", "HTTP://")
        assert fetch_as_task(make_fetcher(), again) is None
    assert len(server.hits("/story")) == 1


def test_a_task_delivered_again_fetches_afresh(make_fetcher: MakeFetcher) -> None:
    # Its first run may have died after the fetch was recorded, before the page went on.
    fetcher = make_fetcher()
    with serve({"/story": html(STORY, ETag='"v1"')}) as server:
        assert fetch_as_task(fetcher, server.url("/story")) is not None
        assert fetch_as_task(fetcher, server.url("/story")) is None
        assert fetch_as_task(fetcher, server.url("/story"), fresh=True) is not None
    assert "If-None-Match" not in server.hits("/story")[-1].headers


def test_a_refetch_is_conditional_and_304_means_nothing_new(make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher(refetch_window_s=0)
    modified = "Wed, 21 Oct 2026 07:28:00 GMT"
    first = html(STORY, ETag='"v1"', **{"Last-Modified": modified})
    replies = [first, status(304), html(STORY), html(STORY)]
    with serve({"/story": replies}) as server:
        assert fetch_as_task(fetcher, server.url("/story")) is not None
        assert fetch_as_task(fetcher, server.url("/story")) is None  # 304
        assert fetch_as_task(fetcher, server.url("/story")) is not None  # changed, no validators
        assert fetch_as_task(fetcher, server.url("/story")) is not None
    plain, after_first, after_304, after_change = (hit.headers for hit in server.hits("/story"))
    assert "If-None-Match" not in plain
    assert after_first["If-None-Match"] == '"v1"'
    assert after_first["If-Modified-Since"] == modified
    assert after_304["If-None-Match"] == '"v1"'  # a 304 keeps the validators it confirmed
    assert "If-None-Match" not in after_change  # a 200 without validators drops the old ones
    assert "If-Modified-Since" not in after_change


def test_pages_in_legacy_charsets_arrive_as_sent(make_fetcher: MakeFetcher) -> None:
    french = "<p>Le café de l’hôtel — déjà fermé à Noël.</p>"
    japanese = "<p>東京都の新しい条例について、記者会見が行われました。</p>"
    routes = {
        "/cp1252": page(french.encode("cp1252"), "text/html"),
        "/sjis": page(japanese.encode("shift_jis"), "text/html; charset=Shift_JIS"),
        "/mislabelled": page(french.encode("utf-8"), "text/html; charset=iso-8859-1"),
    }
    fetcher = make_fetcher()
    with serve(routes) as server:
        for path, text in [("/cp1252", french), ("/sjis", japanese), ("/mislabelled", french)]:
            raw = fetch_as_task(fetcher, server.url(path))
            assert raw is not None
            assert decode_html(raw.body, raw.content_type) == text


# --- limits -------------------------------------------------------------------


def test_a_slow_drip_is_cut_at_the_total_deadline(make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher(fetch_deadline_s=1.0)
    with serve({"/drip": slow_drip(b"<p>" + b"x" * 200 + b"</p>", interval_s=0.05)}) as server:
        started = time.monotonic()
        with pytest.raises(RetryableError, match="deadline"):
            fetch_as_task(fetcher, server.url("/drip"))
    assert time.monotonic() - started < 4.0  # the whole drip lasts 10 s


def test_a_server_that_stalls_before_answering_hits_the_read_timeout(
    make_fetcher: MakeFetcher,
) -> None:
    fetcher = make_fetcher(read_timeout_s=0.3, obey_robots=False)
    with serve({"/stall": stall(5.0)}) as server:
        started = time.monotonic()
        with pytest.raises(RetryableError, match="timed out"):
            fetch_as_task(fetcher, server.url("/stall"))
    assert time.monotonic() - started < 4.0  # the server stays silent for 5 s


def test_an_endless_body_is_cut_at_the_byte_cap(make_fetcher: MakeFetcher) -> None:
    with (
        serve({"/endless": endless()}) as server,
        pytest.raises(TooLargeError, match="larger than 65536 bytes"),
    ):
        fetch_as_task(make_fetcher(max_page_bytes=65536), server.url("/endless"))


def test_a_gzip_bomb_is_cut_at_the_byte_cap_once_inflated(make_fetcher: MakeFetcher) -> None:
    bomb = gzip_bomb(16 * 1024 * 1024)
    assert len(bomb.body) < 256 * 1024  # the wire size alone would pass the cap
    with serve({"/bomb": bomb}) as server, pytest.raises(TooLargeError):
        fetch_as_task(make_fetcher(max_page_bytes=256 * 1024), server.url("/bomb"))


def test_a_redirect_carrying_a_gzip_bomb_is_followed_without_inflating_it(
    make_fetcher: MakeFetcher,
) -> None:
    bomb = gzip_bomb(64 * 1024 * 1024)
    trap = Reply(status=302, body=bomb.body, headers={**bomb.headers, "Location": "/story"})
    with serve({"/go": trap, "/story": html(STORY)}) as server:
        tracemalloc.start()
        try:
            raw = fetch_as_task(make_fetcher(), server.url("/go"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert raw is not None
    assert raw.url == server.url("/story")
    assert peak < 16 * 1024 * 1024  # the 64 MiB body of the redirect was never inflated


def test_a_declared_length_over_the_cap_is_refused_before_reading(
    make_fetcher: MakeFetcher,
) -> None:
    with (
        serve({"/big": html("x" * 100_000)}) as server,
        pytest.raises(TooLargeError, match="Content-Length 100000"),
    ):
        fetch_as_task(make_fetcher(max_page_bytes=50_000), server.url("/big"))


@pytest.mark.parametrize("media_type", ["application/pdf", "image/png", "application/json"])
def test_what_is_not_html_is_refused_by_its_type(
    make_fetcher: MakeFetcher, media_type: str
) -> None:
    with (
        serve({"/file": page(b"%PDF-1.7 \x00\x01", media_type)}) as server,
        pytest.raises(UnsupportedContentError, match=f"{media_type} is not an HTML page"),
    ):
        fetch_as_task(make_fetcher(), server.url("/file"))


def test_xhtml_and_untyped_markup_are_accepted_untyped_binary_is_not(
    make_fetcher: MakeFetcher,
) -> None:
    routes = {
        "/xhtml": page(STORY.encode(), "application/xhtml+xml; charset=utf-8"),
        "/untyped": page(b"\n  " + STORY.encode(), None),
        "/blob": page(b"\x89PNG\r\n\x1a\n", None),
    }
    fetcher = make_fetcher()
    with serve(routes) as server:
        assert fetch_as_task(fetcher, server.url("/xhtml")) is not None
        assert fetch_as_task(fetcher, server.url("/untyped")) is not None
        with pytest.raises(UnsupportedContentError, match="does not look like HTML"):
            fetch_as_task(fetcher, server.url("/blob"))


# --- redirects ------------------------------------------------------------------


def test_a_redirect_chain_is_followed_to_the_final_url(make_fetcher: MakeFetcher) -> None:
    routes = {
        "/a": redirect("/b", 301),
        "/b": redirect("/c?utm_campaign=x", 307),
        "/c": redirect("/story", 308),
        "/story": html(STORY),
    }
    with serve(routes) as server:
        raw = fetch_as_task(make_fetcher(), server.url("/a"))
    assert raw is not None
    assert raw.url == server.url("/story")
    assert paths(server.log) == ["/robots.txt", "/a", "/b", "/c", "/story"]


def test_a_chain_longer_than_the_cap_fails(make_fetcher: MakeFetcher) -> None:
    routes = {"/1": redirect("/2"), "/2": redirect("/3"), "/3": redirect("/4"), "/4": html(STORY)}
    with serve(routes) as server, pytest.raises(HTTPStatusError, match="more than 2 redirects"):
        fetch_as_task(make_fetcher(max_redirects=2), server.url("/1"))
    assert "/4" not in paths(server.log)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/story",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/story",
        "http://10.0.0.1/admin",
        "http://localhost:{port}/story",
        "http://[::ffff:127.0.0.1]:{port}/story",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused_before_connecting(
    make_fetcher: MakeFetcher, target: str
) -> None:
    # Only 127.0.0.2 is opened: the server lives there, every other internal target stays shut.
    fetcher = make_fetcher(allow_hosts=("127.0.0.2",))
    with serve({"/story": html(STORY)}, host="127.0.0.1") as internal:
        location = target.format(port=internal.port)
        with (
            serve({"/go": redirect(location)}, host="127.0.0.2") as server,
            pytest.raises(UnsafeAddressError, match="internal address"),
        ):
            fetch_as_task(fetcher, server.url("/go"))
    assert paths(server.log) == ["/robots.txt", "/go"]
    assert internal.log == []


def test_without_the_allowlist_loopback_is_never_contacted(make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher(allow_hosts=())
    with serve({"/story": html(STORY)}) as server:
        with pytest.raises(UnsafeAddressError):
            fetch_as_task(fetcher, server.url("/story"))
        with pytest.raises(UnsafeAddressError):
            fetch_as_task(fetcher, f"http://localhost:{server.port}/story")
    assert server.log == []


def test_a_redirect_to_another_scheme_is_refused(make_fetcher: MakeFetcher) -> None:
    with (
        serve({"/go": redirect("ftp://files.example/story.html")}) as server,
        pytest.raises(InvalidURLError, match="only http and https"),
    ):
        fetch_as_task(make_fetcher(), server.url("/go"))


def test_a_malformed_redirect_fails_and_a_utf8_location_is_read_as_utf8(
    make_fetcher: MakeFetcher,
) -> None:
    utf8_location = "/café".encode().decode("latin-1")  # the bytes a server sends
    routes = {"/broken": redirect("http://[::1"), "/moved": redirect(utf8_location)}
    routes["/caf%C3%A9"] = html(STORY)
    with serve(routes) as server:
        with pytest.raises(InvalidURLError, match="malformed URL"):
            fetch_as_task(make_fetcher(), server.url("/broken"))
        raw = fetch_as_task(make_fetcher(), server.url("/moved"))
    assert raw is not None
    assert raw.url == server.url("/caf%C3%A9")


def test_credentials_and_cookies_do_not_follow_a_redirect_to_another_host(
    make_fetcher: MakeFetcher,
) -> None:
    with serve({"/end": html(STORY)}, host="127.0.0.3") as other:
        routes = {
            "/start": redirect("/again", **{"Set-Cookie": "session=s3cret; Path=/"}),
            "/again": redirect(other.url("/end")),
        }
        with serve(routes, host="127.0.0.2") as server:
            start = server.url("/start").replace("http://", "http://reader:pw@")
            raw = fetch_as_task(make_fetcher(), start)
    assert raw is not None
    assert raw.url == other.url("/end")
    started, again = server.hits("/start")[0], server.hits("/again")[0]
    assert started.headers["Authorization"].startswith("Basic ")
    assert again.headers["Cookie"] == "session=s3cret"
    (ended,) = other.hits("/end")
    assert "Cookie" not in ended.headers
    assert "Authorization" not in ended.headers


def test_environment_proxies_are_ignored_unless_configured(
    make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        serve({"/story": html(STORY)}) as origin,
        serve({"/story": html(STORY)}, host="127.0.0.3") as proxy,
    ):
        for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, proxy.base_url)
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        direct = make_fetcher(obey_robots=False, refetch_window_s=0)
        assert fetch_as_task(direct, origin.url("/story")) is not None
        assert proxy.log == []
        proxied = make_fetcher(obey_robots=False, refetch_window_s=0, use_env_proxies=True)
        assert fetch_as_task(proxied, origin.url("/story")) is not None
    assert paths(proxy.log) == [origin.url("/story")]  # a proxy is asked for the absolute URL
    assert len(origin.log) == 1


def test_failure_reasons_never_show_credentials(make_fetcher: MakeFetcher) -> None:
    routes = {"/big": endless(), "/gone": status(404), "/loop": redirect("/loop")}
    fetcher = make_fetcher(max_page_bytes=1024, max_redirects=1)
    with serve(routes) as server:
        for path in routes:
            with pytest.raises(CopydeskError) as caught:
                fetch_as_task(fetcher, server.url(path).replace("//", "//reader:s3cret@"))
            assert "s3cret" not in str(caught.value)


# --- status codes -----------------------------------------------------------------


def test_429_honours_retry_after_for_every_worker(make_fetcher: MakeFetcher) -> None:
    routes = {"/busy": status(429, **{"Retry-After": "7"}), "/other": html(STORY)}
    with serve(routes) as server:
        with pytest.raises(RetryableError) as caught:
            fetch_as_task(make_fetcher(), server.url("/busy"))
        assert caught.value.retry_after == 7.0
        with pytest.raises(RateLimitedError) as held_off:
            make_fetcher().fetch(server.url("/other"))
    assert held_off.value.retry_after is not None
    assert 4.0 < held_off.value.retry_after <= 7.0
    assert server.hits("/other") == []


def test_503_with_an_http_date_retry_after(make_fetcher: MakeFetcher) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    with (
        serve({"/down": status(503, **{"Retry-After": later})}) as server,
        pytest.raises(RetryableError) as caught,
    ):
        fetch_as_task(make_fetcher(), server.url("/down"))
    assert caught.value.retry_after is not None
    assert 25 < caught.value.retry_after <= 30


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now) == 60.0
    assert retry_after_seconds("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_500_then_200_is_retryable_then_fetched(make_fetcher: MakeFetcher) -> None:
    fetcher = make_fetcher()
    with serve({"/flaky": [status(500), html(STORY)]}) as server:
        with pytest.raises(RetryableError, match="answered 500") as caught:
            fetch_as_task(fetcher, server.url("/flaky"))
        assert caught.value.retry_after is None
        assert not isinstance(caught.value, RateLimitedError)
        raw = fetch_as_task(fetcher, server.url("/flaky"))
    assert raw is not None
    assert raw.body == STORY.encode()


@pytest.mark.parametrize("code", [403, 404, 410])
def test_permanent_statuses_fail_with_the_status(make_fetcher: MakeFetcher, code: int) -> None:
    with serve({"/gone": status(code)}) as server, pytest.raises(HTTPStatusError) as caught:
        fetch_as_task(make_fetcher(), server.url("/gone"))
    assert caught.value.status == code


def test_an_unreachable_or_unknown_host_is_retryable(make_fetcher: MakeFetcher) -> None:
    with serve({}) as server:
        closed = server.url("/story")  # the port is free again once the server stops
    with pytest.raises(RetryableError, match="cannot fetch"):
        fetch_as_task(make_fetcher(), closed)
    with pytest.raises(RetryableError, match="cannot resolve"):
        fetch_as_task(make_fetcher(), "http://no-such-host.invalid/story")


# --- robots.txt and politeness -----------------------------------------------------


def test_robots_disallow_is_honoured_and_robots_is_fetched_once(
    make_fetcher: MakeFetcher,
) -> None:
    routes = {
        "/robots.txt": robots("User-agent: copydesk\nDisallow: /private/\n"),
        "/private/memo": html(STORY),
        "/story": html(STORY),
    }
    with serve(routes) as server:
        with pytest.raises(DisallowedByRobotsError, match="disallows"):
            fetch_as_task(make_fetcher(), server.url("/private/memo"))
        assert fetch_as_task(make_fetcher(), server.url("/story")) is not None
    assert paths(server.log) == ["/robots.txt", "/story"]


def test_robots_can_be_switched_off(make_fetcher: MakeFetcher) -> None:
    routes = {"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/story": html(STORY)}
    with serve(routes) as server:
        assert fetch_as_task(make_fetcher(obey_robots=False), server.url("/story")) is not None
    assert paths(server.log) == ["/story"]


def test_a_failing_robots_txt_means_retry_later(make_fetcher: MakeFetcher) -> None:
    with (
        serve({"/robots.txt": status(500), "/story": html(STORY)}) as server,
        pytest.raises(RetryableError, match=r"robots\.txt answered 500"),
    ):
        fetch_as_task(make_fetcher(), server.url("/story"))
    assert server.hits("/story") == []


def test_robots_txt_is_read_only_up_to_its_byte_cap(make_fetcher: MakeFetcher) -> None:
    padding = "# " + "x" * 2000 + "\n"
    rules = f"User-agent: *\nDisallow: /early\n{padding}Disallow: /late\n"
    routes = {"/robots.txt": robots(rules), "/early": html(STORY), "/late": html(STORY)}
    fetcher = make_fetcher(robots_max_bytes=1024)
    with serve(routes) as server:
        with pytest.raises(DisallowedByRobotsError):
            fetch_as_task(fetcher, server.url("/early"))
        assert fetch_as_task(fetcher, server.url("/late")) is not None


def test_crawl_delay_spaces_requests_to_the_host(make_fetcher: MakeFetcher) -> None:
    routes = {
        "/robots.txt": robots("User-agent: *\nCrawl-delay: 2\n"),
        "/a": html(STORY),
        "/b": html(STORY),
    }
    fetcher = make_fetcher()
    with serve(routes) as server:
        assert fetch_as_task(fetcher, server.url("/a")) is not None
        with pytest.raises(RateLimitedError) as caught:
            fetcher.fetch(server.url("/b"))
    assert caught.value.retry_after is not None
    assert 1.0 < caught.value.retry_after <= 2.0


def test_a_redirect_cut_by_the_rate_limit_resumes_where_it_stopped(
    make_fetcher: MakeFetcher,
) -> None:
    fetcher = make_fetcher(host_rates={"127.0.0.1": 5.0}, obey_robots=False)
    with serve({"/start": redirect("/final"), "/final": html(STORY)}) as server:
        with pytest.raises(RateLimitedError) as caught:
            fetcher.fetch(server.url("/start"))
        assert caught.value.retry_after is not None
        time.sleep(caught.value.retry_after)
        raw = fetcher.fetch(server.url("/start"))
    assert raw is not None
    assert raw.url == server.url("/final")
    assert paths(server.log) == ["/start", "/final"]
    first, second = server.log
    assert second.at - first.at >= 0.15


_WORKER = """
import sys, time
import redis
from config.settings import Settings
from worker.errors import RateLimitedError
from worker.fetch import Fetcher

fetcher = Fetcher(Settings(), redis.Redis.from_url(sys.argv[1]))
for url in sys.argv[2:]:
    while True:
        try:
            fetcher.fetch(url)
            break
        except RateLimitedError as exc:  # the task would re-queue itself instead
            time.sleep(exc.retry_after)
"""


def test_two_worker_processes_share_one_host_budget(namespace: str) -> None:
    interval = 0.4
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("COPYDESK_")}
    environment = {
        **inherited,
        "PYTHONPATH": str(ROOT),
        "COPYDESK_REDIS_PREFIX": namespace,
        "COPYDESK_ALLOW_HOSTS": "127.0.0.1",
        "COPYDESK_HOST_RATES": f"127.0.0.1={1 / interval}",
    }
    redis_url = os.environ.get("COPYDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    routes = {f"/story/{n}": html(STORY) for n in range(8)}
    with serve(routes) as server:
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, redis_url]
                + [server.url(f"/story/{n}") for n in range(first, 8, 2)],
                env=environment,
                cwd=ROOT,
            )
            for first in (0, 1)
        ]
        assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    arrivals = sorted(hit.at for hit in server.log)
    assert len(arrivals) == 9  # robots.txt once, then every story once
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    # Turns are exact on the Redis clock; arrivals add each process's own latency.
    assert min(gaps) > interval / 2
    assert arrivals[-1] - arrivals[0] >= 8 * interval - 0.05


def test_every_key_the_fetcher_leaves_expires(
    make_fetcher: MakeFetcher, redis_client: redis.Redis, namespace: str
) -> None:
    fetcher = make_fetcher(host_rates={"127.0.0.1": 2.0})
    routes = {"/a": html(STORY, ETag='"1"'), "/hop": redirect("/a")}
    with serve(routes) as server:
        fetch_as_task(fetcher, server.url("/a"))
        with pytest.raises(RateLimitedError) as resting:
            fetcher.fetch(server.url("/hop"))
        assert resting.value.retry_after is not None
        time.sleep(resting.value.retry_after)
        with pytest.raises(RateLimitedError):
            fetcher.fetch(server.url("/hop"))  # /hop took the turn: /a waits at a resume point
    keys = keys_matching(redis_client, f"{namespace}*")
    kinds = {key.decode().split(":")[2] for key in keys}
    # Turns and bookings last an interval or two; these outlive the test's few seconds.
    assert {"robots", "seen", "validators", "resume"} <= kinds
    assert all(redis_client.pttl(key) != -1 for key in keys)  # -1: a key that never expires
