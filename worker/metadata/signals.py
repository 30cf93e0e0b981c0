"""Everything metadata is read from, gathered from the tree in a few C-level passes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from worker.metadata.jsonld import JsonNode, parse_blocks
from worker.metadata.text import fold, path_of

#: Microdata properties worth their text; others (articleBody...) can be huge and are skipped.
_ITEMPROPS = frozenset({"author", "creator", "datepublished", "datemodified"})
#: Class or id words of byline elements; rel="author" and author links count too.
_BYLINE_MARK = re.compile("byline|author|writer|autor", re.IGNORECASE)
_BYLINE_TAGS = frozenset({"address", "byline"})
#: Headlines may open with a byline's word ("Von Sprachregeln..."): never a byline.
_HEADLINE_TAGS = frozenset({"h1", "h2"})
#: Class or id words of what holds other people's names: comments, teasers, forms.
_FOREIGN_MARKS = ("comment", "related", "teaser")
_FOREIGN_TAGS = frozenset(
    {"footer", "form", "label", "script", "style", "nav", "figure", "figcaption"}
)
#: Words that open a printed byline ("Von Jane Doe", "By JANE DOE", "Autor: ...").
_LEAD = re.compile(
    r"\s*(?:[|•·\-–—]+\s*)?(?:\d{1,2}\.\d{1,2}\.\d{2,4},?\s*(?:\d{1,2}:\d{2}\s*(?:uhr)?)?\s*)?"
    r"(?:by|von|par|por|posted by|written by|autor(?:in)?:|autor(?:in|en|innen)?(?=\s)|text:"
    r"|text von|author:|(?:ein |blog ?|gast)?(?:beitrag|artikel) von)(?:\s*:)?(?:\s|$)",
    re.IGNORECASE,
)
#: A date, a dash and a name of two to four words, nothing else: "04.03.2020 - Jane Doe".
_NAME_WORD = r"[^\W\d_][\w.'’]*(?:-[^\W\d_][\w.'’]*)*"
_DATED_NAME = re.compile(
    rf"\s*\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\s+[-–•|]\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}\s*"
)
_MAX_LEAD_TEXT = 80
#: The characters ``_LEAD`` can start with after spaces: a cheap test before the regex.
_LEAD_INITIALS = frozenset("abegptvw|•·-–—0123456789")
#: A byline element that holds only its label, the name printed beside it.
_LABEL = re.compile(
    r"(?:by|von|par|por|autor(?:in)?|author|text|written by|posted by)\s*:?",
    re.IGNORECASE,
)
_LABEL_LEVELS = 3
#: Where the line that a label opens ends.
_LINE_BREAKS = frozenset({"br", "p", "div", "li", "ul", "h1", "h2", "h3", "h4", "h5", "h6"})
_AUTHOR_HREFS = etree.XPath(
    ".//a[contains(@href, '/author/') or contains(@href, '/authors/')]/@href"
)
_DATA_AUTHORS = etree.XPath("//@data-author")
#: Elements with an itemprop: reached through the attribute, about twice as fast in
#: libxml2 as testing every element for it.
_ITEMPROP_XPATH = etree.XPath("//@itemprop/..")
#: How far above the headline a byline is looked for, unless an <article> comes first.
_SCOPE_LEVELS = 5
#: How many elements after the headline are read for a byline printed further down.
_MAX_ELEMENTS_BELOW = 80
_MAX_BYLINE_CHARS = 200
#: The separators ("| ") a byline's text may open with, cut after it is read.
_BYLINE_SLACK = 8


@dataclass(frozen=True, slots=True)
class PageSignals:
    """Raw metadata candidates of one page, each list in document order."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    itemprops: dict[str, list[str]] = field(default_factory=dict)
    jsonld: tuple[JsonNode, ...] = ()
    canonical: str | None = None
    author_links: tuple[str, ...] = ()
    html_lang: str | None = None
    title_tag: str | None = None
    #: Each <h1> (but site-name banners) as its full text followed by its parts' texts.
    headings: tuple[tuple[str, ...], ...] = ()
    #: The datetime attributes of <time> elements.
    times: tuple[str, ...] = ()
    #: The first <h1> that is no site banner: the headline, where printed dates follow.
    headline: HtmlElement | None = None
    #: The part of the page around the headline, where bylines and dates are printed
    #: (a subtree of the page, to be read, never changed).
    scope: HtmlElement | None = None

    def first_meta(self, *keys: str) -> str | None:
        """The first non-empty value under any of ``keys``, tried in the order given."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None


@dataclass(slots=True)
class _Found:
    """What one walk over the page's metadata elements has found so far."""

    meta: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    links: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    scripts: list[str] = field(default_factory=list)
    title_tag: str = ""
    headings: list[tuple[str, ...]] = field(default_factory=list)
    headline: HtmlElement | None = None
    times: list[str] = field(default_factory=list)

    def add(self, element: HtmlElement) -> None:
        tag = element.tag
        if tag == "meta":
            _add_meta(element, self.meta)
        elif tag == "link":
            _add_link(element, self.links)
        elif tag == "script" and "ld+json" in (element.get("type") or "").lower():
            self.scripts.append(element.text or "")
        elif tag == "title":
            self.title_tag = self.title_tag or fold(element.text_content())
        elif tag == "h1":
            self._add_heading(element)
        elif tag == "time":
            self.times.append(element.get("datetime") or "")

    def _add_heading(self, heading: HtmlElement) -> None:
        variants = _heading_variants(heading)
        if variants[0] and not _is_site_banner(heading):
            self.headings.append(variants)
            self.headline = heading if self.headline is None else self.headline


def collect(root: HtmlElement) -> PageSignals:
    """Read the page's head, JSON-LD, microdata, headings and times, and find where
    its byline is printed. ``root`` is only read."""
    found = _Found()
    for element in root.iter("meta", "link", "script", "title", "h1", "time"):
        found.add(element)
    scope = _byline_scope(root, found.headline)
    return PageSignals(
        meta=dict(found.meta),
        itemprops=_itemprops(root),
        jsonld=parse_blocks(found.scripts),
        canonical=next(iter(found.links.get("canonical", ())), None),
        author_links=tuple(found.links.get("author", ())) + _author_hrefs(scope),
        html_lang=root.get("lang") or root.get("xml:lang"),
        title_tag=found.title_tag or None,
        headings=tuple(found.headings),
        times=tuple(found.times),
        headline=found.headline,
        scope=scope,
    )


def _byline_scope(root: HtmlElement, headline: HtmlElement | None) -> HtmlElement:
    """Where the byline is printed: around the headline (up to its <article>), else the
    page's <article> or <main>, else the whole page."""
    if headline is None:
        found = next(root.iter("article", "main"), None)
        return found if found is not None else root
    scope = headline
    for _level in range(_SCOPE_LEVELS):
        parent = scope.getparent()
        if parent is None or scope.tag in {"article", "main"}:
            break
        scope = parent
    return scope


def _is_site_banner(heading: HtmlElement) -> bool:
    """A blog's site name set as <h1>: it links to the home page or is classed so."""
    marks = f"{heading.get('class', '')} {heading.get('id', '')}".lower()
    if "site-title" in marks or "logo" in marks or "site-name" in marks:
        return True
    links = heading.xpath(".//a/@href")
    return any(path_of(str(href)) in {"", "/", "/index.html"} for href in links)


def _heading_variants(heading: HtmlElement) -> tuple[str, ...]:
    """The heading's text, then its children's: one of them may be the headline alone,
    without a kicker line set in the same <h1>."""
    parts = [fold(child.text_content()) for child in heading.iterchildren(etree.Element)]
    return (fold(heading.text_content()), *[part for part in parts if part])


def _add_meta(element: HtmlElement, meta: defaultdict[str, list[str]]) -> None:
    key = element.get("property") or element.get("name") or element.get("itemprop")
    key = key or element.get("http-equiv")
    content = element.get("content")
    if key and content is not None:
        meta[key.strip().lower()].append(content)


def _add_link(element: HtmlElement, links: defaultdict[str, list[str]]) -> None:
    href = element.get("href")
    for rel in (element.get("rel") or "").lower().split():
        if href:
            links[rel].append(href)


def _itemprops(root: HtmlElement) -> dict[str, list[str]]:
    """Each wanted property's values, from the item that gives it first only: the other
    items on a page are teasers with their own authors and dates."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    items: dict[str, HtmlElement | None] = {}
    for element in _ITEMPROP_XPATH(root):
        for prop in element.get("itemprop").lower().split():
            if prop in _ITEMPROPS and element.tag != "meta":  # <meta> counts as head meta
                item = _item_of(element)
                if items.setdefault(prop, item) is item:
                    found[prop].append(_item_value(element))
    return dict(found)


def _item_of(element: HtmlElement) -> HtmlElement | None:
    return next(
        (node for node in element.iterancestors() if node.get("itemscope") is not None), None
    )


def _item_value(element: HtmlElement) -> str:
    """A microdata value: its machine attribute, else a nested name, else its text."""
    for attribute in ("content", "datetime"):
        if element.get(attribute):
            return str(element.get(attribute))
    names = element.xpath(".//*[@itemprop='name']")
    source = names[0] if names else element
    return fold(source.get("content") or source.text_content())


def _author_hrefs(root: HtmlElement) -> tuple[str, ...]:
    hrefs = _AUTHOR_HREFS(root)
    return tuple(str(href) for href in hrefs[:10])


def visible_bylines(scope: HtmlElement | None, headline: HtmlElement | None) -> Iterator[str]:
    """Short texts of byline-like elements near the headline, in document order (read
    lazily: the caller usually stops at the first that names someone)."""
    if scope is not None:
        article = _headline_blocks(headline)
        yield from _byline_texts(scope.iter(etree.Element), scope, article)


def bylines_below(headline: HtmlElement | None) -> Iterator[str]:
    """As ``visible_bylines``, in the part of the page that follows the headline
    (some pages print the byline under the article), up to a bounded number of
    elements: a test of each of a page's thousands would cost more than all the rest."""
    if headline is not None:
        page = headline.getroottree().getroot()
        elements = islice(_elements_after(headline), _MAX_ELEMENTS_BELOW)
        yield from _byline_texts(elements, page, _headline_blocks(headline))


def data_authors(scope: HtmlElement | None) -> Iterator[str]:
    """The first ``data-author`` attribute of the page: a forum's first post, its
    thread's opener ("<article class='message' data-author='Jane'>")."""
    if scope is not None:
        yield from (str(name) for name in islice(_DATA_AUTHORS(scope.getroottree()), 1))


def _headline_blocks(headline: HtmlElement | None) -> frozenset[HtmlElement]:
    """The elements that hold the headline, and the block right after it: whatever
    their class says ("leadStory teaserBox", "teaser-box__meta"), they are the
    article's own, no teaser of another."""
    if headline is None:
        return frozenset()
    return frozenset((*headline.iterancestors(), *islice(headline.itersiblings(), 1)))


def _elements_after(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements that follow ``element`` in document order (its own excluded)."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(etree.Element)
        node = node.getparent()


def _byline_texts(
    elements: Iterable[HtmlElement], scope: HtmlElement, article: frozenset[HtmlElement]
) -> Iterator[str]:
    for element in elements:
        if _is_byline(element) and not _is_foreign(element, scope, article):
            text = _short_text(element).lstrip("|•· ")
            if _LABEL.fullmatch(text):
                text = f"{text} {_text_beside(element)}"
            if text and len(text) <= _MAX_BYLINE_CHARS:
                yield text


def _short_text(element: HtmlElement) -> str:
    """The element's text, folded, or "" once it grows past a byline's length: read
    piece by piece, so that an <article class="author-jane"> is not read through."""
    pieces: list[str] = []
    size = 0
    for text in element.itertext():
        pieces.append(text)
        size += len(" ".join(text.split()))
        if size > _MAX_BYLINE_CHARS + _BYLINE_SLACK:
            return ""
    return fold("".join(pieces))


def _text_beside(label: HtmlElement) -> str:
    """What follows a label such as "By" or "Autor:" printed in its own element, up to
    the end of its line: "<span>By</span><a>Jane Doe</a><br>" gives "Jane Doe". When
    the label ends its block, the name is in the block that follows its ancestor."""
    node: HtmlElement | None = label
    for _level in range(_LABEL_LEVELS):
        if node is None:
            break
        text = _line_after(node)
        if text:
            return text
        node = node.getparent()
    return ""


def _line_after(node: HtmlElement) -> str:
    """The text after ``node`` up to the next line break (breaks before any text are
    skipped: "<b>Von:</b><br><br>Jane Doe")."""
    parts = [node.tail or ""]
    for sibling in node.itersiblings():
        if sum(map(len, parts)) > _MAX_BYLINE_CHARS:
            break
        if sibling.tag in _LINE_BREAKS and "".join(parts).strip():
            break
        if isinstance(sibling.tag, str):
            parts.append(sibling.text_content())
        parts.append(sibling.tail or "")
    return fold(" ".join(parts))


def _is_byline(element: HtmlElement) -> bool:
    """Marked as a byline (class, id, rel, author link, <address>) or opening with "By"."""
    tag = element.tag
    if tag in _BYLINE_TAGS:
        return True
    if tag in _HEADLINE_TAGS:
        return False  # "Von Sprachregeln und Gender-Politik" is a headline, not a byline
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    if tag == "a":
        marks += f" {element.get('href', '')} {element.get('rel', '')}"
    if len(marks) > 1 and _BYLINE_MARK.search(marks):
        return True
    text = element.text
    return bool(
        text
        and len(text) < _MAX_LEAD_TEXT
        and text.lstrip()[:1].lower() in _LEAD_INITIALS
        and (_LEAD.match(text) or _DATED_NAME.fullmatch(text))
    )


def _is_foreign(element: HtmlElement, scope: HtmlElement, article: frozenset[HtmlElement]) -> bool:
    """Inside comments, teasers, forms or footers, where names are not the byline: up to
    the scope, or to the first block that holds the headline too."""
    node: HtmlElement | None = element
    stop = scope.getparent()
    while node is not None and node is not stop and node not in article:
        if node.tag in _FOREIGN_TAGS:
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if any(mark in marks for mark in _FOREIGN_MARKS):
            return True
        node = node.getparent()
    return False
