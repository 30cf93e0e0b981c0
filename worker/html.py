"""Parsing page text into an lxml tree, the one tree every stage reads."""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError
from lxml.html import HtmlElement as HtmlElement

#: Control characters lxml refuses in text; NUL bytes in particular abort parsing.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_html(text: str, max_chars: int) -> tuple[HtmlElement | None, bool]:
    """Parse at most ``max_chars`` of ``text``; return the root (None if nothing) and
    whether the text was cut to fit."""
    truncated = len(text) > max_chars
    text = _INVALID_XML_CHARS.sub("", _XML_DECLARATION.sub("", text[:max_chars], count=1))
    if not text.strip():
        return None, truncated
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError):
        return None, truncated
    return root, truncated
