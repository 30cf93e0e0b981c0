"""Parsing page text into an lxml tree, the one tree every stage reads."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement as HtmlElement


def _parser() -> etree.HTMLParser:
    """lxml.html's parser without its per-element class lookup: that lookup is a Python
    call each time an element is first touched (a quarter of cleaning's tree walk),
    and only picks the form classes (``FormElement``, ``InputElement``...) no stage
    uses. Every element is still an ``HtmlElement``. No stage looks elements up by
    XML id either, so the parser does not index them."""
    parser = etree.HTMLParser(encoding="utf-8", collect_ids=False)
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_UTF8 = _parser()
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_html(text: str, max_chars: int) -> tuple[HtmlElement | None, bool]:
    """Parse at most ``max_chars`` of ``text``; return the root (None if nothing) and
    whether the text was cut to fit."""
    truncated = len(text) > max_chars
    text = _XML_DECLARATION.sub("", text[:max_chars], count=1)
    if not text or text.isspace():
        return None, truncated
    # libxml2 parses UTF-8: given a str, it converts it to UTF-8 itself, more slowly
    # than Python encodes it. The parser's own encoding overrides any the page declares
    # (lxml would refuse a str that declares one); control characters it keeps, NULs
    # it replaces with U+FFFD, so no pass over the whole text is needed here.
    try:
        return lxml.html.document_fromstring(
            text.encode("utf-8", "replace"), parser=_UTF8
        ), truncated
    except (ParserError, ValueError):
        return None, truncated
