"""Bad input, fuzzed: the stage functions' contracts over generated hostile input.

Every property runs under the profile of :mod:`tests.fuzz.profiles` (200 examples
each by default; ``COPYDESK_HYPOTHESIS_PROFILE=thorough`` for 5,000). To see how
many inputs each property ran, and how long they took::

    .venv/bin/python -m pytest tests/fuzz --hypothesis-show-statistics

The checks themselves live in :mod:`tests.fuzz.invariants`, shared with the atheris
harness in ``fuzz/`` and the replay of its finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from config.settings import Settings
from tests.fuzz import strategies as gen
from tests.fuzz.invariants import (
    check_address,
    check_decode,
    check_dedup_symmetry,
    check_extract,
    check_manifest_line,
    check_normalize,
    check_parse,
    check_url_gate,
)
from tests.fuzz.profiles import FUZZ_SETTINGS
from tests.fuzz.targets import PARSE_LIMITS, SAMPLE_PAGES, write_sample_pages
from tests.httpserver import LoopbackServer, html, serve
from worker.errors import InvalidURLError, UnsafeAddressError
from worker.fetch import Fetcher
from worker.models import RawPage
from worker.safety import AddressPolicy

NO_ALLOWLIST = AddressPolicy()
BAD_CANONICAL_LINK = RawPage(url=None, body=b'<link rel="canonical" href="http://[broken">')


@FUZZ_SETTINGS
@given(gen.page_bodies())
@example((b"<p>plain ascii</p>", "text/html; charset=undefined")).via("discovered failure")
def test_decoding_any_bytes_yields_text(page: tuple[bytes, str | None]) -> None:
    check_decode(*page)


@FUZZ_SETTINGS
@given(st.one_of(st.text(), gen.html_documents()), st.sampled_from(PARSE_LIMITS) | st.integers(0))
def test_parsing_any_text_never_raises(text: str, max_chars: int) -> None:
    check_parse(text, max_chars)


@FUZZ_SETTINGS
@given(gen.raw_pages(), st.sampled_from(PARSE_LIMITS))
@example(RawPage(url="A://[", body=b""), 0).via("discovered failure")
@example(BAD_CANONICAL_LINK, 3_000_000).via("discovered failure")
def test_extraction_never_raises_and_keeps_its_types(page: RawPage, max_parse_chars: int) -> None:
    check_extract(page, max_parse_chars)


@FUZZ_SETTINGS
@given(gen.urls)
@example("http://a/%%32%65/b").via("discovered failure")
def test_url_normalisation_is_idempotent(url: str) -> None:
    check_normalize(url)


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("manifest")
    write_sample_pages(folder)
    return folder


@FUZZ_SETTINGS
@given(line=gen.manifest_lines(sorted(SAMPLE_PAGES)))
@example(line="[" * 2000 + "]" * 2000).via("discovered failure")
def test_manifest_line_gives_a_page_or_an_input_error(pages_dir: Path, line: str) -> None:
    check_manifest_line(line, pages_dir)


@FUZZ_SETTINGS
@given(gen.story_pairs(), gen.dates | st.none(), gen.dates | st.none())
def test_dedup_verdict_is_symmetric(
    pair: tuple[str, str], first_published: str | None, second_published: str | None
) -> None:
    verdict = check_dedup_symmetry(*pair, first_published, second_published)
    event("same story" if verdict.same_story else "different stories")
    event("an update" if verdict.is_update else "not an update")


@FUZZ_SETTINGS
@given(st.one_of(gen.host_literals, gen.host_names), st.integers(0, 65535))
def test_address_policy_refuses_with_its_errors_or_accepts_a_public_address(
    host: str, port: int
) -> None:
    check_address(host, port, NO_ALLOWLIST)


@FUZZ_SETTINGS
@given(gen.urls)
def test_fetch_gate_refuses_with_its_errors_or_accepts_a_public_address(url: str) -> None:
    check_url_gate(url, NO_ALLOWLIST)


@pytest.fixture(scope="module")
def loopback_server() -> Iterator[LoopbackServer]:
    with serve({"/": html("<p>internal</p>"), "/robots.txt": html("")}) as server:
        yield server


# The fixtures (server, Redis namespace) are meant to be shared by every example.
@settings(
    FUZZ_SETTINGS,
    suppress_health_check=[
        *FUZZ_SETTINGS.suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(loopback=gen.ipv4_spellings_of((127, 0, 0, 1)), path=gen.url_parts)
@example(loopback="2130706433", path="").via("decimal spelling of 127.0.0.1")
def test_fetcher_never_requests_an_internal_address_however_spelled(
    loopback_server: LoopbackServer,
    redis_client: redis.Redis,
    namespace: str,
    loopback: str,
    path: str,
) -> None:
    """A real Fetcher, with no allowlist, given loopback in any spelling: it refuses the
    URL as malformed or unsafe, and the server listening there never sees a request."""
    overrides: dict[str, Any] = {"fetch_key_prefix": namespace, "host_rate_per_s": 1000.0}
    fetcher = Fetcher(Settings(**overrides), redis_client)
    with pytest.raises((InvalidURLError, UnsafeAddressError)) as refused:
        fetcher.fetch(f"http://{loopback}:{loopback_server.port}/{path}")
    event(f"refused as {refused.type.__name__}")
    assert loopback_server.log == []
