"""Cutting a page into text blocks: the runs of text a reader sees as one paragraph.

Block-level tags (p, div, li, h2...) start a new block; inline tags (a, span, b...)
add to the current one. Each block remembers the element that owns it, so the
container scorer can credit its ancestors, and carries its own minimal HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from itertools import islice
from typing import Protocol
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
#: Links and images kept in the HTML: web and mail addresses, or site-relative paths
#: when the page's own address is unknown (never ``javascript:`` or ``data:``).
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|/|#)", re.IGNORECASE)
_NOT_IMAGES = ("data:", "javascript:", "#")
_ABSOLUTE = ("https://", "http://")
_INLINE_CACHE_SIZE = 1024


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
        parts = [
            _inline_html(part) if isinstance(part, str) else part.render(base_url)
            for part in self.markup
        ]
        return "".join(parts).strip()


def _swallowed_page(element: HtmlElement) -> bool:
    """Whether a ``<noscript>`` holds the rest of the page: an element left open in it
    keeps lxml from closing it, where a browser would have shown what follows."""
    if element.tag != "noscript":
        return False
    return sum(1 for _ in islice(element.iter(), _SWALLOWED_ELEMENTS)) >= _SWALLOWED_ELEMENTS


# Half the text between tags is the same few runs of blanks, so renderings are cached.
@lru_cache(maxsize=_INLINE_CACHE_SIZE)
def _inline_html(text: str) -> str:
    text = escape(text, quote=False)
    if _LINE_BREAK in text:
        text = text.replace(_LINE_BREAK, "<br>")
    # Substring tests find what _WHITESPACE would change several times faster than
    # a regex can (the usual answer, on a long paragraph, is no).
    loose = "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text
    return _WHITESPACE.sub(" ", text) if loose else text


def _tidy(text: str) -> str:
    if _LINE_BREAK not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split(_LINE_BREAK))
    return "\n".join(line for line in lines if line)


class Judge(Protocol):
    """What the walk skips besides tags that never hold text: elements it names."""

    #: The tags of the elements the judge may name; it is asked about no others.
    tags: frozenset[str]

    def __call__(self, element: HtmlElement, tag: str) -> bool: ...


class _Segmenter:
    """One walk over a tree, appending finished blocks to ``blocks``.

    The walk is cleaning's hottest loop (one pass per element of the page), so it
    reads each element's tag, text and tail once (lxml makes a new string each time)
    and adds tails inline."""

    def __init__(self, skip: Judge) -> None:
        self.blocks: list[Block] = []
        self.link_depth = 0
        self.skip = skip

    def run(self, root: HtmlElement) -> list[Block]:
        self._visit_block(root, _KINDS.get(root.tag, "p"), 0)
        return self.blocks

    def _finish(self, block: Block) -> None:
        if not block.texts:
            if block.has_image:
                self.blocks.append(block)
            return
        text = "".join(block.texts)
        # Most blocks are the blank lines between tags, which tidy to nothing.
        block.set_text("" if text.isspace() else _tidy(text))
        if block.text or block.has_image:
            self.blocks.append(block)

    def _add_text(self, block: Block, text: str) -> None:
        block.texts.append(text)
        block.markup.append(text)
        if self.link_depth:
            block.link_chars += len(text.strip())

    def _visit_block(self, element: HtmlElement, kind: str, depth: int) -> None:
        block = Block(element, kind)
        text = element.text
        if text and (not text.isspace() or _LINE_BREAK in text):  # as a tail is, below
            self._add_text(block, text)
        self._finish(self._visit_children(element, block, depth))

    def _visit_children(self, parent: HtmlElement, block: Block, depth: int) -> Block:
        """Visit the children of ``parent`` (which sits ``depth`` levels down) and
        their tails; return the block the text after them belongs to."""
        skip = self.skip
        for child in parent:
            tag = child.tag
            if tag.__class__ is not str or (tag in NEVER_TEXT and not _swallowed_page(child)):
                pass  # comments and processing instructions are never text either
            elif tag in skip.tags and skip(child, tag):
                pass
            elif depth >= _MAX_DEPTH:
                # Pathologically deep markup is read flat rather than recursed into.
                self._add_text(block, "".join(child.itertext()))
            elif tag in BLOCK_TAGS:
                if block.markup:  # else nothing is in it yet, and it goes on after the child
                    self._finish(block)
                    block = Block(block.owner, block.kind)
                self._visit_block(child, _KINDS.get(tag, block.kind), depth + 1)
            else:
                block = self._visit_inline(child, tag, block, depth + 1)
            tail = child.tail
            # Blanks that start a block (the lines between block tags) would tidy and
            # render to nothing, so they are not added: the block stays empty, and
            # goes on after the next block child instead of being finished.
            if tail and (block.markup or not tail.isspace() or _LINE_BREAK in tail):
                block.texts.append(tail)
                block.markup.append(tail)
                if self.link_depth:
                    block.link_chars += len(tail.strip())
        return block

    def _visit_inline(self, element: HtmlElement, tag: str, block: Block, depth: int) -> Block:
        """Visit an inline element; return the block that continues after it (a new
        one if the element held a block-level child)."""
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
            return self._visit_link(element, block, depth)
        text = element.text
        if text:
            self._add_text(block, text)
        block = self._visit_children(element, block, depth)
        if tag in _CELL_TAGS:
            self._add_text(block, " ")
        return block

    def _visit_link(self, anchor: HtmlElement, block: Block, depth: int) -> Block:
        """Visit a link: its text counts as link text, its markup keeps a safe href."""
        href = anchor.get("href") or ""
        opened_in = block
        block.markup.append(Markup("a", href))
        self.link_depth += 1
        text = anchor.text
        if text:
            self._add_text(block, text)
        block = self._visit_children(anchor, block, depth)
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


def segment(root: HtmlElement, skip: Judge) -> list[Block]:
    """The text blocks of ``root`` in document order, less the elements ``skip`` names."""
    return _Segmenter(skip).run(root)
