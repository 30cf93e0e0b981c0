"""The headline: the page's own heading when its head metadata confirms it, else the
head title with the site name cut off."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from worker.metadata.text import fold

#: Separators between a headline and the site name in <title> and og:title.
_SEPARATORS = re.compile(r"\s+[|–—·•»«:/~-]+\s+|\s*\|\s*|\s+::\s+")
_MIN_HEADING_CHARS = 3
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "´": "'", "„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "\xad": None}
)


def choose_title(
    head_titles: Iterable[str | None],
    headings: Sequence[Sequence[str]],
    site_names: Iterable[str | None],
) -> str | None:
    """The headline from head titles (og:title, JSON-LD headline, <title>...) and <h1>s.

    A heading confirmed by a head title wins: it is the visible headline, free of any site
    name. Without one, the first head title that is not just the site name, stripped of it.
    """
    sites = {_key(site) for site in site_names if site and fold(site)}
    titles = [fold(title) for title in head_titles if title and fold(title)]
    titles = [title for title in titles if _key(title) not in sites] or titles
    candidates = [
        [text for text in variants if len(text) >= _MIN_HEADING_CHARS and _key(text) not in sites]
        for variants in headings
    ]
    candidates = [variants for variants in candidates if variants]
    whole = {_key(title) for title in titles}
    parts = {_key(part) for title in titles for part in _parts(title)} - sites
    for known in (whole, parts):
        for variants in candidates:
            found = next((text for text in variants if _key(text) in known), None)
            if found:
                return found
    if len(candidates) == 1 or not titles:
        return candidates[0][0] if candidates else None
    return strip_site_name(titles[0], sites)


def confirming_keys(head_titles: Iterable[str | None]) -> set[str]:
    """The comparison keys a heading may match to be confirmed by a head title: each
    title whole, each of its segments and each run of its leading segments."""
    titles = [fold(title) for title in head_titles if title and fold(title)]
    return {_key(text) for title in titles for text in (title, *_parts(title))}


def is_confirmed(variants: Iterable[str], keys: set[str]) -> bool:
    return any(_key(text) in keys for text in variants)


def _key(text: str) -> str:
    """A comparison key that ignores case, quote styles and soft hyphens."""
    return fold(text).translate(_QUOTES).casefold()


def _parts(title: str) -> list[str]:
    """Each segment of a title and each run of leading segments."""
    pieces = _SEPARATORS.split(title)
    return pieces + [title[: title.find(piece) + len(piece)] for piece in pieces[1:]]


def strip_site_name(title: str, sites: set[str]) -> str:
    """``title`` without the site name: known names dropped, else the longest segment."""
    parts = [part for part in _SEPARATORS.split(title) if part]
    if len(parts) < 2:
        return title
    kept = [part for part in parts if _key(part) not in sites]
    if kept and len(kept) < len(parts):
        return _rejoin(title, kept)
    return max(parts, key=len)


def _rejoin(title: str, kept: list[str]) -> str:
    """The original text spanning the kept segments, separators and all."""
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end] if start >= 0 and end > start else kept[0]
