"""The contracts of the stage functions, checked one input at a time.

Three drivers call these same checks, so they test the same thing: the hypothesis
properties (``test_properties.py``), the atheris harness (``fuzz/fuzz_stages.py``)
and the replay of the fuzzer's finds (``test_regressions.py``). A check returns
quietly when the stage kept its contract; otherwise an ``AssertionError`` or the
stage's undeclared exception propagates to the driver, which reports the input.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import socket
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from lxml.html import HtmlElement

from worker.dedup import Policy, Verdict, build_sketch, compare
from worker.encoding import decode_html
from worker.errors import CopydeskError, InputError, InvalidURLError
from worker.html import parse_html
from worker.inputs import manifest_page
from worker.models import Article, Body, BodyStatus, Metadata, RawPage
from worker.pipeline import extract_article
from worker.safety import AddressPolicy, is_refused
from worker.urls import host_of, normalize_url, port_of

#: The annotations of the article's parts, resolved once.
_DECLARED = {part: get_type_hints(part) for part in (Body, Metadata)}
#: Names that resolve without a DNS query reaching the network (RFC 6761).
_OFFLINE_SUFFIXES = (".invalid", ".invalid.")
_DEDUP_POLICY = Policy()


def check_decode(body: bytes, content_type: str | None) -> None:
    """Decoding never raises and always yields text."""
    assert isinstance(decode_html(body, content_type), str)


def check_parse(text: str, max_chars: int) -> None:
    """Parsing never raises; it says truthfully whether it cut the text."""
    root, truncated = parse_html(text, max_chars)
    assert root is None or isinstance(root, HtmlElement)
    assert truncated is (len(text) > max_chars)


def check_extract(page: RawPage, max_parse_chars: int) -> None:
    """Extraction never raises, and every field of the article has its declared type."""
    article = extract_article(page, max_parse_chars)
    assert isinstance(article, Article)
    assert article.url == page.url or not _storable(page.url or "")
    for part in (article.body, article.metadata):
        for field in dataclasses.fields(part):
            value = getattr(part, field.name)
            assert _has_type(value, _DECLARED[type(part)][field.name]), (field.name, value)
    if article.body.status is BodyStatus.OK:
        assert article.body.text.strip(), "a page with an article has a body to show"


def _has_type(value: object, declared: Any) -> bool:
    """Whether ``value`` is of the ``declared`` annotation (unions, ``tuple[X, ...]``, classes);
    text must also be storable: stores write UTF-8, where a lone surrogate cannot go."""
    if get_origin(declared) in (Union, UnionType):
        return any(_has_type(value, option) for option in get_args(declared))
    if get_origin(declared) is tuple:
        item = get_args(declared)[0]
        return isinstance(value, tuple) and all(_has_type(one, item) for one in value)
    if declared is str:
        return isinstance(value, str) and _storable(value)
    return isinstance(value, declared)


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_normalize(url: str) -> None:
    """Only InvalidURLError may come out; an accepted URL is its own normal form."""
    try:
        once = normalize_url(url)
    except InvalidURLError:
        return
    assert isinstance(once, str)
    twice = normalize_url(once)  # refusing its own output is a failure too
    assert twice == once, f"{url!r} -> {once!r} -> {twice!r}"


def check_manifest_line(line: str, base_dir: Path) -> None:
    """A manifest line yields a page or an InputError, nothing else."""
    try:
        page = manifest_page(line, base_dir)
    except InputError:
        return
    assert isinstance(page, RawPage)
    assert isinstance(page.body, bytes)
    assert page.url is None or isinstance(page.url, str)


def check_dedup_symmetry(
    first: str, second: str, first_published: str | None, second_published: str | None
) -> Verdict:
    """Whether two texts carry one story does not depend on which is compared first."""
    one = build_sketch(first, first_published)
    other = build_sketch(second, second_published)
    forward = compare(one, other, _DEDUP_POLICY)
    backward = compare(other, one, _DEDUP_POLICY)
    assert forward == backward, (forward, backward)
    assert 0.0 <= forward.similarity <= 1.0 and not math.isnan(forward.similarity)
    return forward


def check_address(host: str, port: int, policy: AddressPolicy) -> None:
    """A host is refused with a copydesk error or accepted, and never as an internal address.

    ``policy`` must have an empty allowlist, else internal addresses are rightly accepted.
    """
    try:
        address = policy.checked_address(host, port)
    except CopydeskError:
        return
    assert not is_refused(ipaddress.ip_address(address)), f"{host!r} accepted as {address}"


def check_url_gate(url: str, policy: AddressPolicy) -> None:
    """A URL goes through the fetcher's gate (normalise, then the address policy) as
    :meth:`worker.fetch.Fetcher.fetch` sends it; hosts that would need a DNS query
    are left out, so a run sends no query beyond the machine."""
    try:
        normal = normalize_url(url)
    except InvalidURLError:
        return
    host = host_of(normal)
    if resolves_offline(host):
        check_address(host, port_of(normal), policy)


def resolves_offline(host: str) -> bool:
    """True for an IP literal (in any spelling ``getaddrinfo`` reads as one) or a
    ``.invalid`` name: resolving those sends nothing to a name server."""
    if "\x00" in host:  # the C resolver would stop at the NUL and look up the prefix
        return False
    if host.lower().endswith(_OFFLINE_SUFFIXES):
        return True
    try:
        socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return False
    return True
