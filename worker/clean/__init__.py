"""The cleaning stage: a page's article body, without the page around it.

Pipeline: cut the page into text blocks (:mod:`.segment`), skipping what the
furniture judge names (:mod:`.prune`); find the article, the container where the
prose clusters and the prose near it (:mod:`.container`); drop the news furniture
left inside it (:mod:`.noise`); render as text and HTML (:mod:`.render`).
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from worker.clean.container import article_blocks
from worker.clean.noise import remove_noise
from worker.clean.prune import FurnitureJudge
from worker.clean.render import as_html, as_text
from worker.clean.segment import Block, segment
from worker.models import Body, BodyStatus

__all__ = ["extract_body"]

EMPTY_BODY = Body(text="", html="", status=BodyStatus.EMPTY_PAGE)
NO_ARTICLE = Body(text="", html="", status=BodyStatus.NO_ARTICLE)
#: Less prose than this is a notice, a teaser or a wall, not an article (characters
#: count for languages written without spaces).
_MIN_ARTICLE_WORDS = 12
_MIN_ARTICLE_CHARS = 80
#: A best container mostly made of link text is a list of teasers: an index page.
_INDEX_LINK_DENSITY = 0.5

_HEADLINES = etree.XPath(
    "/html/head/meta[@property='og:title' or @name='twitter:title']/@content"
    " | /html/head/title/text()"
)


def headline(root: HtmlElement) -> str:
    """The headlines the page's head states (social and document titles), to keep
    them out of the body; an ``h1`` in the body is dropped where it stands."""
    return " \n ".join(str(text) for text in _HEADLINES(root))


def extract_body(root: HtmlElement | None, url: str | None) -> Body:
    """The article body of a parsed page (``root`` is left untouched); links in its
    HTML are made absolute against ``url`` when it is given."""
    if root is None:
        return EMPTY_BODY
    body = root.find("body")
    blocks = segment(root if body is None else body, FurnitureJudge(root))
    if not any(block.text for block in blocks):
        return EMPTY_BODY
    found = article_blocks(blocks)
    if _is_index(found):
        return NO_ARTICLE
    chosen = remove_noise(found, headline(root))
    text = as_text(chosen)
    if len(text) < _MIN_ARTICLE_CHARS and len(text.split()) < _MIN_ARTICLE_WORDS:
        return NO_ARTICLE
    return Body(text=text, html=as_html(chosen, url), status=BodyStatus.OK)


def _is_index(blocks: list[Block]) -> bool:
    chars = sum(block.chars for block in blocks)
    return not chars or sum(block.link_chars for block in blocks) > _INDEX_LINK_DENSITY * chars
