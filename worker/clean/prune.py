"""What on a page can never be article text: site furniture and hidden elements.

The caller's tree is shared with the metadata stage, so nothing is removed: the
segmenter asks the judge about each element as it walks the page and skips the
furniture. Judging during the walk costs less than a pass of its own (lxml makes a
Python object for every element visited) and never looks inside skipped subtrees.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

#: The tags that page furniture is built of; inline tags inside them go with them.
_CANDIDATE_TAGS = frozenset({
    "div", "section", "ul", "ol", "p", "figure", "header", "table", "form", "dl", "nav",
    "footer", "aside", "dialog", "figcaption",
})  # fmt: skip
_ARTICLE_TAGS = ("h1", "main")
#: Furniture by its tag: ``aside`` holds pull quotes and related links, ``nav`` and
#: ``footer`` the site's links, ``figcaption`` a photo's caption and credit.
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "dialog", "figcaption"})
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HINT_WORD = re.compile(r"[a-z0-9]+")
#: Class/id words of page furniture that never holds the article itself.
_FURNITURE = frozenset(
    {
        "comment", "comments", "respond", "disqus", "related", "relatedposts", "recommended",
        "recirc", "trending", "popular", "mostread", "newsletter", "subscribe", "subscription",
        "signup", "outbrain", "taboola", "breadcrumb", "breadcrumbs", "cookie", "cookies",
        "gdpr", "consent", "caption", "legend", "credit", "credits", "byline", "dateline",
        "timestamp", "captcha",
    }
)  # fmt: skip
#: Class/id words of layout and furniture that themes also put on the article's own
#: wrapper ("entry share", "with-sidebar"), so an element full of prose keeps them.
_LAYOUT = frozenset(
    {
        "sidebar", "widget", "toolbar", "pagination", "pager", "nav", "navbar", "menu",
        "masthead", "skip", "modal", "popup", "banner", "gallery", "slideshow", "player",
        "topics", "keywords", "share", "sharing", "sharebar", "social", "socials", "promo",
        "promotion", "sponsor", "sponsored", "advert", "advertisement", "ad", "ads",
        "adsense", "adslot", "dfp", "copyright", "print", "donate", "donation", "tags",
        "taglist", "rating", "bio", "author", "authors", "autor", "footer", "contact", "meta",
        "postmetadata",
    }
)  # fmt: skip
#: Class/id words of content embedded in the article (a tweet in a "social-embed").
_EMBED = frozenset({"embed", "embedded", "tweet"})
#: Furniture words glued into longer class names ("relatedArticles").
_GLUED_FURNITURE = re.compile("related|news-?letter|sharing|social|comment|taboola|outbrain")
#: Class/id words of the article container: an element so named is never furniture.
_CONTENT = re.compile(
    r"article-?body|articlebody|story-?body|entry-?content|post-?(?:content|body|entry)"
    r"|article-?(?:content|text)|main-?content|body-?text|content-?body|story-?content"
    r"|hentry|h-entry"
)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog"})
#: A layout-named element holding this many paragraphs or characters wraps the
#: page (or the article), and is kept.
_WRAPPER_PARAGRAPHS = 3
_WRAPPER_CHARS = 1000
_HOLDS_PROSE = etree.XPath(
    f"boolean((descendant::p)[{_WRAPPER_PARAGRAPHS}])"
    f" or string-length(string(.)) > {_WRAPPER_CHARS}"
)
_HINT_CACHE_SIZE = 8192


class Named(Enum):
    """What an element's class and id words call it."""

    NOTHING = 0
    FURNITURE = 1
    LAYOUT = 2
    CONTENT = 3


# Pages repeat the same class names hundreds of times (and sites across pages), so
# the word tests are cached by the hint string.
@lru_cache(maxsize=_HINT_CACHE_SIZE)
def named(hints: str) -> Named:
    """What the class and id words ``hints`` call an element (in any case)."""
    hints = hints.lower()
    # Every name _CONTENT matches holds one of these words; testing for them first
    # spares most names the regex (a tenth of the time).
    maybe_content = "body" in hints or "content" in hints or "text" in hints or "entry" in hints
    if maybe_content and _CONTENT.search(hints):
        return Named.CONTENT
    words = set(_HINT_WORD.findall(hints))
    if not words.isdisjoint(_EMBED):
        return Named.NOTHING
    if not words.isdisjoint(_FURNITURE):
        return Named.FURNITURE
    # Glued words are guessed, so they are judged like layout words.
    if not words.isdisjoint(_LAYOUT) or _GLUED_FURNITURE.search(hints):
        return Named.LAYOUT
    return Named.NOTHING


class FurnitureJudge:
    """Says whether an element of a page is hidden or site furniture (named so by its
    tag, class, id or role), never for the elements that hold the headline or
    ``<main>``. (Tags that never hold text are the segmenter's to skip.)"""

    #: Only these tags are judged; the segmenter asks about no others.
    tags = _CANDIDATE_TAGS

    def __init__(self, root: HtmlElement) -> None:
        self.protected = _article_holders(root)

    def __call__(self, element: HtmlElement, tag: str) -> bool:
        """Whether ``element``, a ``tag`` of :attr:`tags`, is furniture."""
        if element in self.protected:
            return False
        verdict = _judge(element, tag)
        return verdict is not Named.NOTHING and _drops(element, verdict)


def _judge(element: HtmlElement, tag: str) -> Named:
    # Asked of most elements of a page, so the attributes are read inline.
    get = element.get
    if (
        tag in _FURNITURE_TAGS
        or get("role") in _FURNITURE_ROLES
        or get("hidden") is not None
        or get("aria-hidden") == "true"
    ):
        return Named.FURNITURE
    style = get("style")
    if style is not None and _HIDING_STYLE.search(style):
        return Named.FURNITURE
    hints = f"{get('class', '')} {get('id', '')}"
    return named(hints) if len(hints) > 1 else Named.NOTHING


def _drops(element: HtmlElement, verdict: Named) -> bool:
    if verdict is Named.LAYOUT:
        return not _HOLDS_PROSE(element)
    return verdict is Named.FURNITURE


def _article_holders(root: HtmlElement) -> set[HtmlElement]:
    """The headline's and ``<main>``'s ancestors: never furniture, whatever their class
    says (``<div class="page has-comments">``)."""
    holders: set[HtmlElement] = set()
    for marker in root.iter(*_ARTICLE_TAGS):
        holders.add(marker)
        for ancestor in marker.iterancestors():
            if ancestor in holders:
                break
            holders.add(ancestor)
    return holders
