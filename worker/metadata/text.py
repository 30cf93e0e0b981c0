"""Small text helpers shared by the metadata readers."""

from __future__ import annotations

import html
from urllib.parse import urljoin, urlsplit


def fold(text: str | None) -> str:
    """Whitespace runs folded to one space, entities decoded, ends trimmed."""
    if not text:
        return ""
    return " ".join(html.unescape(text).split())


def host_of(url: str | None) -> str | None:
    """The URL's host name without "www.", or None (also for a malformed URL)."""
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # "http://[bad" and other URLs urllib refuses
        return None
    return host.removeprefix("www.") if host else None


def path_of(url: str) -> str | None:
    try:
        return urlsplit(url).path
    except ValueError:
        return None


def absolute_url(base: str | None, link: str) -> str | None:
    """``link`` resolved against ``base``, if the result is a web URL."""
    try:
        absolute = urljoin(base or "", link.strip())
        scheme = urlsplit(absolute).scheme
    except ValueError:
        return None
    return absolute if scheme in {"http", "https"} else None
