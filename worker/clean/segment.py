"""Cutting a page into text blocks: the runs of text a reader sees as one paragraph.

Block-level tags (p, div, li, h2...) start a new block; inline tags (a, span, b...)
add to the current one. Each block remembers the element that owns it, so the
container scorer can credit its ancestors, and carries its own minimal HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from itertools import islice
from urllib.parse import urljoin

from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "body", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr",
        "ul",
    }
)  # fmt: skip
#: Table cells join into one block per row, like the row reads.
_CELL_TAGS = frozenset({"td", "th"})
#: Elements whose content is never text (page furniture is judged in :mod:`.prune`);
#: ``rt`` and ``rp`` hold ruby annotations (the reading of a word set above it), which
#: would split the sentence they annotate.
NEVER_TEXT = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
    "embed", "canvas", "button", "select", "input", "textarea", "head", "link", "meta",
    "rt", "rp",
})  # fmt: skip
#: How sentences (and quotes closing them) end, in the scripts news is written in.
SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", "“", "’", "'", ")", "»", "«", "…", "。")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: The tag a block is rendered as, by its owner's tag; other owners (div, section...)
#: render as their context does.
_KINDS = {
    **{tag: tag for tag in HEADING_TAGS}, "li": "li", "pre": "pre", "blockquote": "blockquote",
    "p": "p", "dt": "p", "dd": "p", "tr": "p",
}  # fmt: skip
#: A ``<noscript>`` fallback is a notice or a tracking image, never this many elements.
_SWALLOWED_ELEMENTS = 100
#: Stands for ``<br>`` while text is gathered (parse_html removes it from page text).
_LINE_BREAK = "\v"
#: Nesting deeper than this (two Python frames a level) is read flat.
_MAX_DEPTH = 200
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_LOOSE_SPACE = re.compile(r"[\t\r\n\f]|  ")
#: Links and images kept in the HTML: web and mail addresses, or site-relative paths
#: when the page's own address is unknown (never ``javascript:`` or ``data:``).
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|/|#)", re.IGNORECASE)
_NOT_IMAGES = ("data:", "javascript:", "#")
_ABSOLUTE = ("https://", "http://")


@dataclass(frozen=True, slots=True)
class Markup:
    """A link's start or end, or an image, rendered only if the body is kept (making
    addresses absolute costs more than the rest of segmentation)."""

    kind: str
    url: str
    alt: str = ""

    def render(self, base_url: str | None) -> str:
        url = _safe_url(self.url, base_url)
        if url is None:
            return ""
        if self.kind == "img":
            return f'<img src="{escape(url)}" alt="{escape(self.alt)}">'
        return f'<a href="{escape(url)}">' if self.kind == "a" else "</a>"


@dataclass(slots=True)
class Block:
    """A paragraph-like run of text and what it is made of."""

    #: The block-level element the text sits in, and the tag it renders as.
    owner: HtmlElement
    kind: str
    #: The page text as found, and the same interleaved with links and images.
    texts: list[str] = field(default_factory=list)
    markup: list[str | Markup] = field(default_factory=list)
    #: Characters of the text inside links (share bars and link lists are all link).
    link_chars: int = 0
    has_image: bool = False
    text: str = ""
    chars: int = 0
    _folded: str | None = None

    def set_text(self, text: str) -> None:
        self.text = text
        self.chars = len(text)
        self._folded = None

    @property
    def folded(self) -> str:
        """The text lower-cased, for the wording rules."""
        if self._folded is None:
            self._folded = self.text.lower()
        return self._folded

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def is_heading(self) -> bool:
        return self.kind in HEADING_TAGS

    def html(self, base_url: str | None = None) -> str:
        """The block's inline HTML: escaped text, links, images and line breaks, with
        addresses made absolute against ``base_url``."""
        parts = (
            _inline_html(part) if isinstance(part, str) else part.render(base_url)
            for part in self.markup
        )
        return "".join(parts).strip()


def _swallowed_page(element: HtmlElement) -> bool:
    """Whether a ``<noscript>`` holds the rest of the page: an element left open in it
    keeps lxml from closing it, where a browser would have shown what follows."""
    if element.tag != "noscript":
        return False
    return sum(1 for _ in islice(element.iter(), _SWALLOWED_ELEMENTS)) >= _SWALLOWED_ELEMENTS


def _inline_html(text: str) -> str:
    text = escape(text, quote=False)
    if _LINE_BREAK in text:
        text = text.replace(_LINE_BREAK, "<br>")
    return _WHITESPACE.sub(" ", text) if _LOOSE_SPACE.search(text) else text


def _tidy(text: str) -> str:
    if _LINE_BREAK not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split(_LINE_BREAK))
    return "\n".join(line for line in lines if line)


class _Segmenter:
    """One walk over a tree, appending finished blocks to ``blocks``."""

    def __init__(self, skip: Callable[[HtmlElement], bool]) -> None:
        self.blocks: list[Block] = []
        self.link_depth = 0
        self.depth = 0
        self.skip = skip

    def run(self, root: HtmlElement) -> list[Block]:
        self._visit_block(root, "p")
        return self.blocks

    def _finish(self, block: Block) -> None:
        if not block.texts and not block.has_image:
            return
        block.set_text(_tidy("".join(block.texts)))
        if block.text or block.has_image:
            self.blocks.append(block)

    def _add_text(self, block: Block, text: str | None) -> None:
        if not text:
            return
        block.texts.append(text)
        block.markup.append(text)
        if self.link_depth:
            block.link_chars += len(text.strip())

    def _visit_block(self, element: HtmlElement, parent_kind: str) -> None:
        kind = _KINDS.get(element.tag, parent_kind)
        block = Block(element, kind)
        if element.text:
            self._add_text(block, element.text)
        for child in element:
            block = self._visit_child(child, block, kind)
        self._finish(block)

    def _visit_child(self, child: HtmlElement, block: Block, kind: str) -> Block:
        """Visit ``child`` of the block's owner; return the block its tail belongs to."""
        tag = child.tag
        never_text = tag in NEVER_TEXT and not _swallowed_page(child)
        if not isinstance(tag, str) or never_text or self.skip(child):
            pass
        elif self.depth >= _MAX_DEPTH:
            # Pathologically deep markup is read flat rather than recursed into.
            self._add_text(block, "".join(child.itertext()))
        elif tag in BLOCK_TAGS:
            self._finish(block)
            self.depth += 1
            self._visit_block(child, kind)
            self.depth -= 1
            block = Block(block.owner, kind)
        else:
            self.depth += 1
            block = self._visit_inline(child, block)
            self.depth -= 1
        if child.tail:
            self._add_text(block, child.tail)
        return block

    def _visit_inline(self, element: HtmlElement, block: Block) -> Block:
        """Visit an inline element; return the block that continues after it (a new
        one if the element held a block-level child)."""
        tag = element.tag
        if tag == "br":
            block.texts.append(_LINE_BREAK)
            block.markup.append(_LINE_BREAK)
            return block
        if tag == "img":
            source = element.get("src") or element.get("data-src")
            if source and not source.startswith(_NOT_IMAGES):
                block.markup.append(Markup("img", source, element.get("alt") or ""))
                block.has_image = True
            return block
        if tag == "a":
            return self._visit_link(element, block)
        if element.text:
            self._add_text(block, element.text)
        for child in element:
            block = self._visit_child(child, block, block.kind)
        if tag in _CELL_TAGS:
            self._add_text(block, " ")
        return block

    def _visit_link(self, anchor: HtmlElement, block: Block) -> Block:
        """Visit a link: its text counts as link text, its markup keeps a safe href."""
        href = anchor.get("href") or ""
        opened_in = block
        block.markup.append(Markup("a", href))
        self.link_depth += 1
        if anchor.text:
            self._add_text(block, anchor.text)
        for child in anchor:
            block = self._visit_child(child, block, block.kind)
        self.link_depth -= 1
        opened_in.markup.append(Markup("/a", href))
        return block


def _safe_url(raw: str | None, base_url: str | None) -> str | None:
    url = (raw or "").strip()
    if url and base_url and not url.startswith(_ABSOLUTE):
        try:
            url = urljoin(base_url, url)
        except ValueError:  # a malformed address (bad port, bad IPv6 literal)
            return None
    return url if _SAFE_URL.match(url) else None


def segment(root: HtmlElement, skip: Callable[[HtmlElement], bool]) -> list[Block]:
    """The text blocks of ``root`` in document order, less the elements ``skip`` names."""
    return _Segmenter(skip).run(root)
