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
from worker.metadata.title import confirming_keys, is_confirmed

#: Microdata properties worth their text; others (articleBody...) can be huge and are skipped.
_ITEMPROPS = frozenset({"author", "creator", "datepublished", "datemodified"})
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
#: A heading or term that is only the word "Author", the name in the block after it;
#: in lower case it is the role of a name printed before it ("Jane Doe, author").
_AUTHOR_WORD = re.compile(r"\s*(?:Autor(?:in)?|Author|AUTOR(?:IN)?|AUTHOR)\s*")
_MAX_LEAD_TEXT = 80
#: The characters ``_LEAD`` can start with after spaces: a cheap test before the regex.
_LEAD_INITIALS = frozenset("abegptvw|•·-–—0123456789")
#: A byline element that holds only its label, the name printed beside it.
_LABEL = re.compile(
    r"(?:by|von|par|por|autor(?:in)?|author|text|written by|posted by)\s*:?",
    re.IGNORECASE,
)
_LABEL_LEVELS = 3
#: Elements without text a reader sees: never a byline, and common enough (icons, line
#: breaks, scripts) to be worth turning away first.
_NEVER_BYLINES = frozenset(
    {"img", "br", "hr", "col", "input", "meta", "link", "source", "path", "wbr", "area"}
    | {"script", "style", "template"}
)
#: Where the line that a label opens ends.
_LINE_BREAKS = frozenset({"br", "p", "div", "li", "ul", "h1", "h2", "h3", "h4", "h5", "h6"})
#: Link targets, tested in Python: libxml2's contains() costs more than the test.
_LINK_HREFS = etree.XPath(".//a/@href", smart_strings=False)
_MAX_AUTHOR_LINKS = 10
_DATA_AUTHORS = etree.XPath("//@data-author", smart_strings=False)
#: Blog software marks the comments that the post's own author wrote ("bypostauthor").
#: Reached through the class attributes, a plain substring test first: half the cost of
#: testing every element's class word by word.
_POST_AUTHOR_COMMENTS = etree.XPath(
    "//@class[contains(., 'bypostauthor')]"
    "[contains(concat(' ', normalize-space(.), ' '), ' bypostauthor ')]/.."
)
#: Where such a comment names its writer: the hCard name, else the author line.
_COMMENTER_NAMES = tuple(
    etree.XPath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {mark} ')]")
    for mark in ("fn", "comment-author")
)
#: The texts of where a page prints its owner's copyright: its footer, or a block classed
#: so, but those inside an article or its main part (they credit its pictures). Each text
#: once, in document order, however deeply such blocks nest; the blocks are reached
#: through their attributes, about twice as fast in libxml2 as testing every element.
_FOOTER_TEXTS = etree.XPath(
    "(//footer | (//@class[contains(., 'footer') or contains(., 'copyright')]"
    " | //@id[contains(., 'footer')])/..)[not(ancestor::article or ancestor::main)]//text()",
    smart_strings=False,
)
#: Paragraphs that open with a copyright sign: a text's own credit ("© 2019 Jane Doe").
_COPYRIGHT_PARAGRAPHS = etree.XPath("//p[starts-with(normalize-space(.), '©')]")
_DATED_COPYRIGHT = re.compile(r"©\s*\d{4}\s+(?P<owner>[^©/|•,;:\d]{3,60})")
#: "© 2012-2020 Jane Doe", "Copyright (c) Jane Doe. All rights reserved": the owner.
_COPYRIGHT = re.compile(
    r"(?:(?:©|\(c\)|copyright)\s*)+(?:(?:since|seit|by)\s+)?"
    r"(?:\d{4}(?:\s*[-–]\s*(?:\d{4})?)?\s*)?(?:by\s+)?(?P<owner>[^•|·,.;:©/\d]{3,60})",
    re.IGNORECASE,
)
#: The verb printed after a commenter's name: "Jane says:", "Jane sagt:".
_SAYS = re.compile(r"\s+(?:says|sagt|dit|dice|zegt)\s*:?\s*$", re.IGNORECASE)
_ITEM_NAMES = etree.XPath(".//*[@itemprop='name']")
#: Elements with an itemprop: reached through the attribute, about twice as fast in
#: libxml2 as testing every element for it.
_ITEMPROP_XPATH = etree.XPath("//@itemprop/..")
#: A signature: two or three capitalised words (an initial among them), after a dash
#: or "Von"/"By" if any; set in bold or italics as a paragraph of its own.
_SIGNED_WORD = r"[^\W\d_a-zß][\w'’-]+"
_SIGNED_NAME = re.compile(
    rf"(?:[-–—]\s*|(?:[Vv]on|[Bb]y)\s+)?{_SIGNED_WORD}(?:\s+(?:[^\W\d_a-zß]\.|{_SIGNED_WORD})){{1,2}}"
)
_EMPHASIS_TAGS = frozenset({"b", "strong", "i", "em"})
_MAX_SIGNATURE_CHARS = 40
#: A signature closes the article: the last of its paragraphs, some before it.
_MIN_PARAGRAPHS_BEFORE = 2
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
    #: The <time> elements that carry a datetime, in document order.
    times: tuple[HtmlElement, ...] = ()
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
    heading_elements: list[HtmlElement] = field(default_factory=list)
    times: list[HtmlElement] = field(default_factory=list)

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
        elif tag == "time" and element.get("datetime"):
            self.times.append(element)

    def _add_heading(self, heading: HtmlElement) -> None:
        variants = _heading_variants(heading)
        if variants[0] and not _is_site_banner(heading):
            self.headings.append(variants)
            self.heading_elements.append(heading)

    def headline(self) -> HtmlElement | None:
        """The first <h1> that a head title confirms, else the first: a page may set an
        advertisement's or a teaser's heading as an <h1> above the article's."""
        if len(self.heading_elements) < 2:
            return next(iter(self.heading_elements), None)
        titles = [
            *self.meta.get("og:title", ()),
            self.title_tag,
            *self.meta.get("twitter:title", ()),
        ]
        keys = confirming_keys(titles)
        pairs = zip(self.heading_elements, self.headings, strict=True)
        confirmed = (element for element, variants in pairs if is_confirmed(variants, keys))
        return next(confirmed, self.heading_elements[0])


def collect(root: HtmlElement) -> PageSignals:
    """Read the page's head, JSON-LD, microdata, headings and times, and find where
    its byline is printed. ``root`` is only read."""
    found = _Found()
    for element in root.iter("meta", "link", "script", "title", "h1", "time"):
        found.add(element)
    headline = found.headline()
    scope = _byline_scope(root, headline)
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
        headline=headline,
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
    links = _LINK_HREFS(heading)
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
    names = _ITEM_NAMES(element)
    source = names[0] if names else element
    return fold(source.get("content") or source.text_content())


def _author_hrefs(root: HtmlElement) -> tuple[str, ...]:
    hrefs = (str(href) for href in _LINK_HREFS(root))
    found = (href for href in hrefs if "/author/" in href or "/authors/" in href)
    return tuple(islice(found, _MAX_AUTHOR_LINKS))


def visible_bylines(scope: HtmlElement | None, headline: HtmlElement | None) -> Iterator[str]:
    """Short texts of byline-like elements near the headline, in document order (read
    lazily: the caller usually stops at the first that names someone)."""
    if scope is not None:
        article = _headline_blocks(headline)
        yield from _byline_texts(scope.iter(etree.Element), scope, article)


def bylines_below(headline: HtmlElement | None, scope: HtmlElement | None) -> Iterator[str]:
    """As ``visible_bylines``, in the part of the page that follows the headline
    (some pages print the byline under the article), up to a bounded number of
    elements: a test of each of a page's thousands would cost more than all the rest.
    Those still in ``scope`` count but are not read again: ``visible_bylines`` has."""
    if headline is not None and scope is not None:
        page = headline.getroottree().getroot()
        read = sum(1 for _element in islice(_elements_after(headline, scope), _MAX_ELEMENTS_BELOW))
        elements = islice(_elements_after(scope), _MAX_ELEMENTS_BELOW - read)
        yield from _byline_texts(elements, page, _headline_blocks(headline))


def data_authors(scope: HtmlElement | None) -> Iterator[str]:
    """The first ``data-author`` attribute of the page: a forum's first post, its
    thread's opener ("<article class='message' data-author='Jane'>")."""
    if scope is not None:
        yield from (str(name) for name in islice(_DATA_AUTHORS(scope.getroottree()), 1))


def post_author_comments(scope: HtmlElement | None) -> Iterator[str]:
    """The name on the first comment marked as by the post's own author: where a blog
    prints no byline, its author still answers readers under the post."""
    if scope is not None:
        for comment in islice(_POST_AUTHOR_COMMENTS(scope.getroottree()), 1):
            names = [name for find in _COMMENTER_NAMES for name in find(comment)]
            if names:
                yield _SAYS.sub("", fold(names[0].text_content()))


def copyright_owners(scope: HtmlElement | None) -> Iterator[str]:
    """Who holds the copyright of the text, in order: a paragraph of its own that says
    so ("© 2019 Jane Doe"), then the page's footer ("Copyright (c) 2012- Jane Doe. All
    rights reserved"); a person or a company, for the caller to tell apart. Footers
    inside the article credit its pictures ("© Jane Doe/Agency"), not the page; a text
    of footers nested in one another is read once."""
    if scope is not None:
        for paragraph in _COPYRIGHT_PARAGRAPHS(scope.getroottree()):
            match = _DATED_COPYRIGHT.fullmatch(fold(paragraph.text_content()))
            if match and next(paragraph.iterancestors("figure"), None) is None:
                yield match.group("owner").strip()
        for text in _FOOTER_TEXTS(scope.getroottree()):
            if _may_hold_copyright(text):
                match = _COPYRIGHT.search(text)
                if match and not text[match.end() :].startswith("/"):
                    yield fold(match.group("owner"))


def _may_hold_copyright(text: str) -> bool:
    """What ``_COPYRIGHT`` needs, tested first as most texts hold none of it: "©", the
    "(" of "(c)", or the "py" of "copyright" in any case (a substring test, where the
    pattern would take "ı" for an "i")."""
    return "©" in text or "(" in text or "py" in text.lower()


def signatures(headline: HtmlElement | None) -> Iterator[str]:
    """Names signed under an article, a paragraph of their own in bold or italics
    ("<p><b><i>Jane Doe</i></b></p>") among its last: where pages that print no
    byline credit their writer."""
    if headline is not None:
        for paragraph in headline.getroottree().getroot().iter("p"):
            if _is_signature(paragraph):
                yield fold(paragraph.text_content())


def _is_signature(paragraph: HtmlElement) -> bool:
    """The markup is tested first, as it is cheap and a page has hundreds of paragraphs;
    the position last: a bold line followed by paragraphs is a subheading."""
    if not len(paragraph) or (paragraph.text or "").strip():
        return False
    if any(child.tag not in _EMPHASIS_TAGS for child in paragraph.iterdescendants()):
        return False
    text = fold(paragraph.text_content())
    if len(text) > _MAX_SIGNATURE_CHARS or not _SIGNED_NAME.fullmatch(text):
        return False
    if any(sibling.tag == "p" for sibling in paragraph.itersiblings()):
        return False
    before = (sibling for sibling in paragraph.itersiblings(preceding=True) if sibling.tag == "p")
    return len(list(islice(before, _MIN_PARAGRAPHS_BEFORE))) == _MIN_PARAGRAPHS_BEFORE


def _headline_blocks(headline: HtmlElement | None) -> frozenset[HtmlElement]:
    """The elements that hold the headline, and the block right after it: whatever
    their class says ("leadStory teaserBox", "teaser-box__meta"), they are the
    article's own, no teaser of another."""
    if headline is None:
        return frozenset()
    return frozenset((*headline.iterancestors(), *islice(headline.itersiblings(), 1)))


def _elements_after(element: HtmlElement, stop: HtmlElement | None = None) -> Iterator[HtmlElement]:
    """The elements that follow ``element`` in document order (its own excluded), up to
    the end of ``stop`` if given, else of the page."""
    node: HtmlElement | None = element
    while node is not None and node is not stop:
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
    if tag in _HEADLINE_TAGS or tag in _NEVER_BYLINES:
        return False  # "Von Sprachregeln und Gender-Politik" is a headline, not a byline
    marks = f"{element.get('class', '')} {element.get('id', '')}"
    if tag == "a":
        marks += f" {_link_path(element.get('href', ''))} {element.get('rel', '')}"
    if len(marks) > 1 and _is_marked(marks.lower()):
        return True
    text = element.text
    if text and len(text) >= _MAX_LEAD_TEXT:
        text = text.strip()  # a short text set in a template's indentation
    return bool(
        text
        and len(text) < _MAX_LEAD_TEXT
        and text.lstrip()[:1].lower() in _LEAD_INITIALS
        and (_LEAD.match(text) or _DATED_NAME.fullmatch(text) or _AUTHOR_WORD.fullmatch(text))
    )


def _link_path(href: str) -> str:
    """A link's target without its host: an author page's address says so in its path
    ("/autor/jane"), where a host's name ("autorenverlag.example") says nothing."""
    return href.split("//", 1)[1].partition("/")[2] if "//" in href else href


def _is_marked(marks: str) -> bool:
    """Whether lower-cased class, id (or link) words mark a byline: rel="author" and
    author links count too, and the "poster" of news and forum software. Plain substring
    tests: a regular expression, run on every element of the scope, costs more."""
    return (
        "author" in marks
        or "byline" in marks
        or "writer" in marks
        or "autor" in marks
        or "poster" in marks
    )


def _is_foreign(element: HtmlElement, scope: HtmlElement, article: frozenset[HtmlElement]) -> bool:
    """Inside comments, teasers, forms or footers, where names are not the byline: up to
    the scope, or to the first block that holds the headline too. The element's own
    class does not count: a box classed "teaser-box author" is the author's."""
    node: HtmlElement | None = element
    stop = scope.getparent()
    while node is not None and node is not stop and node not in article:
        if node.tag in _FOREIGN_TAGS and not _is_article_footer(node, article):
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if node is not element and any(mark in marks for mark in _FOREIGN_MARKS):
            return True
        node = node.getparent()
    return False


def _is_article_footer(node: HtmlElement, article: frozenset[HtmlElement]) -> bool:
    """A <footer> of the <article> that holds the headline: its byline line ("Posted by
    Jane"), no page footer."""
    return node.tag == "footer" and next(node.iterancestors("article"), None) in article
