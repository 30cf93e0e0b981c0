"""Parsing page text into an lxml tree, the one tree every stage reads."""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError
from lxml.html import HtmlElement as HtmlElement

_UTF8 = lxml.html.HTMLParser(encoding="utf-8")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_html(text: str, max_chars: int) -> tuple[HtmlElement | None, bool]:
    """Parse at most ``max_chars`` of ``text``; return the root (None if nothing) and
    whether the text was cut to fit."""
    truncated = len(text) > max_chars
    # lxml refuses a str that declares an encoding; control characters it keeps, NULs it
    # replaces with U+FFFD, so no pass over the whole text is needed here.
    text = _XML_DECLARATION.sub("", text[:max_chars], count=1)
    if not text.strip():
        return None, truncated
    try:
        return lxml.html.document_fromstring(text), truncated
    except ValueError:
        # An encoding declaration further in (after a comment, say): parse the bytes instead.
        return _parse_utf8(text), truncated
    except ParserError:
        return None, truncated


def _parse_utf8(text: str) -> HtmlElement | None:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_UTF8)
    except (ParserError, ValueError):
        return None
