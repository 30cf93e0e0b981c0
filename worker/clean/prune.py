"""A working copy of the page without what can never be article text.

The caller's tree is shared with the metadata stage, so pruning happens on a deep
copy of ``<body>`` (lxml copies in C: about a millisecond for a large page).
"""

from __future__ import annotations

import copy
import re

from lxml import etree
from lxml.html import HtmlElement

#: Elements whose content is never article prose (``aside`` holds pull quotes and
#: related links, ``nav``/``footer`` the site's furniture).
_NEVER_TEXT = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
    "embed", "canvas", "button", "select", "input", "textarea", "nav", "footer",
    "aside", "dialog", "head", "link", "meta", "figcaption",
)  # fmt: skip
_HIDDEN = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(translate(@style, ' ', ''), 'display:none')"
    " or contains(translate(@style, ' ', ''), 'visibility:hidden')]"
)
_WITH_HINTS = etree.XPath("//*[@class or @id or @role]")
#: Class/id words of page furniture that never holds the article itself.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|sociallinks|shares|comments?|respond|disqus"
    r"|related|relatedposts|recommended|recirc|trending|popular|mostread|newsletter"
    r"|subscribe|subscription|signup|promo|sponsor(?:ed)?|advert(?:isement)?|ads?|adsense"
    r"|adslot|dfp|outbrain|taboola|breadcrumbs?|cookies?|gdpr|consent|paywall|modal|popup"
    r"|caption|credits?|copyright|sidebar|widget|toolbar|pagination|pager|nav(?:bar)?|menu"
    r"|masthead|skip|print|donate|donation|author-?bio|byline|dateline|timestamp|tags?"
    r"|tag-?list|topics|keywords|wp-caption-text|screen-reader-text|visually-hidden"
    r"|sr-only|banner|rating|video-?player|gallery|slideshow|inline-?related)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
#: Class/id words of the article container; such an element is never pruned.
_CONTENT = re.compile(
    r"article-?body|articlebody|story-?body|entry-?content|post-?(?:content|body|entry)"
    r"|article-?(?:content|text)|main-?content|body-?text|content-?body|story-?content",
    re.IGNORECASE,
)
_WRAPPER_TAGS = frozenset({"article", "main", "body", "html"})
#: A furniture-named element holding any of these is a page wrapper, kept.
_HOLDS_ARTICLE = etree.XPath(
    "boolean(descendant::h1 | descendant::article | descendant::main"
    " | descendant::*[@itemprop='articleBody'] | (descendant::p)[6]"
    " | descendant::*[re:test(@class, $content, 'i')])",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog"})


def working_copy(root: HtmlElement) -> HtmlElement:
    """A deep copy of the page's body (or of the whole page if it has none)."""
    body = root.find("body")
    return copy.deepcopy(body if body is not None else root)


def prune(tree: HtmlElement) -> None:
    """Remove, in place, elements that are never article text."""
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    for element in _HIDDEN(tree):
        _drop(element)
    for element in _WITH_HINTS(tree):
        if element is not tree and _is_furniture(element):
            _drop(element)


def _hints(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _is_furniture(element: HtmlElement) -> bool:
    if element.get("role") in _FURNITURE_ROLES:
        return True
    hints = _hints(element)
    if not _FURNITURE.search(hints) or _CONTENT.search(hints):
        return False
    return not _is_wrapper(element)


def _is_wrapper(element: HtmlElement) -> bool:
    return element.tag in _WRAPPER_TAGS or bool(_HOLDS_ARTICLE(element, content=_CONTENT.pattern))


def _drop(element: HtmlElement) -> None:
    """Remove ``element`` but keep its tail text, which belongs to the parent."""
    if element.getparent() is not None:
        element.drop_tree()
