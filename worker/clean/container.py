"""Finding the article: the container where the page's prose clusters, and the
prose close to it.

Each prose-like block credits its nearest ancestors (the parent most, the
grandparent less, as readability does); a container's credit is then weighed down
by its link density and nudged by class/id hints; a container inside the page's
``<article>``/``<main>`` is preferred to a close rival outside them (a widget). From
the best container the search climbs while the ancestors add mostly prose (articles
split into boxes), never past its own ``<article>``, takes the siblings that look
like more of the same article and the boxes built like its own that hold prose (a
CMS's text modules, a thread's posts), and finally adds the clear prose around it
within its ``<article>`` and the lead above it, which may sit in a header beside the
``<article>`` or be set as a heading too long to be a title (teasers of other stories,
cut short with an ellipsis, are neither).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice

from lxml.html import HtmlElement

from worker.clean.segment import BLOCK_TAGS, SENTENCE_END, Block

#: Shorter runs of text say nothing about where the prose is.
_PROSE_MIN_CHARS = 25
_PROSE_MAX_LINK_DENSITY = 0.5
#: How much of a block's credit each ancestor level receives.
_LEVEL_SHARE = (1.0, 0.5, 1 / 6, 1 / 9)
_PARAGRAPH_OWNERS = frozenset({"p", "pre", "tr", "li", "blockquote", "dd", "dt"})
_TAG_PRIOR = {
    "div": 5.0, "article": 10.0, "main": 5.0, "section": 3.0, "pre": 3.0, "blockquote": 3.0,
    "table": 3.0, "address": -3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0, "dd": -3.0, "dt": -3.0,
    "li": -3.0, "form": -3.0, "th": -5.0,
}  # fmt: skip
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|masthead|media|meta|outbrain|promo"
    r"|related|scroll|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|teaser"
    r"|card|list|feed|more",
    re.IGNORECASE,
)
_CLASS_WEIGHT = 25.0
_HINT_CACHE_SIZE = 8192
_ITEMPROP_BODY_WEIGHT = 50.0
#: A sibling scoring this share of the best container is more of the same article.
_SIBLING_SHARE = 0.2
_SIBLING_MIN_SCORE = 10.0
_SIBLING_PARAGRAPH_CHARS = 80
_SIBLING_MAX_LINK_DENSITY = 0.25
#: A parent is part of the article if it adds this much prose, as a share of the
#: prose already found and of everything else the parent adds.
_WIDEN_MIN_GAIN = 0.5
_WIDEN_MIN_PROSE_SHARE = 0.5
_WIDEN_LEVELS = 4
_TALLY_LEVELS = len(_LEVEL_SHARE) + _WIDEN_LEVELS + 2
#: Prose this close to the container, and this clearly prose, is more of the article.
_SCOPE_LEVELS = 8
_SCOPE_FALLBACK_LEVEL = 3
_SCOPE_TAGS = frozenset({"article", "main"})
#: A container within ``<article>``/``<main>`` scoring this share of the best one
#: outside them is the article.
_LANDMARK_SHARE = 0.2
#: How deep below its scope a satellite paragraph may sit.
_SCOPE_DEPTH = 12
_SATELLITE_MIN_CHARS = 100
#: A lead before the article often goes without a full stop; this long, it is prose.
_SATELLITE_UNPUNCTUATED_CHARS = 150
#: A heading this long is a lead set in large type, not a title.
_LEAD_HEADING_CHARS = 160
#: Teasers of other stories end cut short.
_ELLIPSES = ("...", "…")
#: How far above the container the boxes of a split article are looked for, and how
#: much prose a box needs to be one of them.
_KINDRED_LEVELS = 8
_KINDRED_MIN_PROSE_CHARS = 100
_SATELLITE_MAX_LINK_DENSITY = 0.2


@dataclass(slots=True)
class _Tally:
    """What a candidate container holds: prose credit, characters, link characters."""

    credit: float = 0.0
    chars: int = 0
    link_chars: int = 0
    prose_chars: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


def prose_credit(block: Block) -> float:
    """readability's paragraph score: longer, comma-rich text is more likely prose."""
    commas = block.text.count(",") + block.text.count("，") + block.text.count("、")
    return 1.0 + commas + min(block.chars / 100, 3.0)


def _is_prose(block: Block) -> bool:
    return (
        block.chars >= _PROSE_MIN_CHARS
        and block.link_density <= _PROSE_MAX_LINK_DENSITY
        and not block.is_heading
    )


def _hint_weight(element: HtmlElement) -> float:
    weight = _TAG_PRIOR.get(str(element.tag), 0.0)
    if element.get("itemprop", "").lower() == "articlebody":
        weight += _ITEMPROP_BODY_WEIGHT
    return weight + _class_weight(f"{element.get('class', '')} {element.get('id', '')}")


@lru_cache(maxsize=_HINT_CACHE_SIZE)
def _class_weight(hints: str) -> float:
    """What class and id words say of a container (cached: pages repeat them)."""
    weight = _CLASS_WEIGHT if _POSITIVE.search(hints) else 0.0
    return weight - _CLASS_WEIGHT if _NEGATIVE.search(hints) else weight


def _tally(blocks: Iterable[Block]) -> dict[HtmlElement, _Tally]:
    tallies: dict[HtmlElement, _Tally] = {}
    # Paragraphs share parents (a body's dozens of <p>): their ancestors' tallies are
    # looked up once per parent, and the counts they share added once per parent.
    # (Credit is a float, so it is still added block by block, in page order.)
    above: dict[HtmlElement | None, _Above] = {}
    for block in blocks:
        owner = block.owner
        own = tallies.get(owner)
        if own is None:
            own = tallies[owner] = _Tally()
        parent = owner.getparent()
        shared = above.get(parent)
        if shared is None:
            shared = above[parent] = _Above(_ancestor_tallies(parent, tallies))
        credit = prose_credit(block) if _is_prose(block) else 0.0
        prose_chars = block.chars if credit else 0
        for tally in (own, shared.counts):
            tally.chars += block.chars
            tally.link_chars += block.link_chars
            tally.prose_chars += prose_chars
        if credit:
            credited = shared.tallies if owner.tag in _PARAGRAPH_OWNERS else [own, *shared.tallies]
            for share, tally in zip(_LEVEL_SHARE, credited, strict=False):
                tally.credit += credit * share
    for shared in above.values():
        shared.add_counts()
    return tallies


@dataclass(slots=True)
class _Above:
    """The tallies of a parent and the ancestors above it that its children's blocks
    count in, and the counts those blocks add to them."""

    tallies: list[_Tally]
    counts: _Tally = field(default_factory=_Tally)

    def add_counts(self) -> None:
        for tally in self.tallies:
            tally.chars += self.counts.chars
            tally.link_chars += self.counts.link_chars
            tally.prose_chars += self.counts.prose_chars


def _ancestor_tallies(
    parent: HtmlElement | None, tallies: dict[HtmlElement, _Tally]
) -> list[_Tally]:
    """The tallies of ``parent`` and its ancestors up to _TALLY_LEVELS above a
    paragraph (credited levels, then widening): the wrappers above need no tally.
    They are made in the order the page's blocks first reach them."""
    if parent is None:
        return []
    found = []
    for element in islice(chain((parent,), parent.iterancestors()), _TALLY_LEVELS - 1):
        tally = tallies.get(element)
        if tally is None:
            tally = tallies[element] = _Tally()
        found.append(tally)
    return found


def _score(element: HtmlElement, tally: _Tally) -> float:
    # Hints may at most double (or cancel) the prose credit: a well-named wrapper of a
    # headline must not outrank the paragraphs next to it.
    hint = max(-tally.credit, min(tally.credit, _hint_weight(element)))
    return (tally.credit + hint) * (1.0 - tally.link_density)


def _belongs_with(sibling: HtmlElement, tally: _Tally | None, threshold: float) -> bool:
    """Whether a sibling of the best container is more of the same article."""
    if tally is None:
        return False
    if tally.credit and _score(sibling, tally) >= threshold:
        return True
    return (
        sibling.tag == "p"
        and tally.chars >= _SIBLING_PARAGRAPH_CHARS
        and tally.link_density < _SIBLING_MAX_LINK_DENSITY
    )


def _adds_prose(tally: _Tally, wider: _Tally) -> bool:
    """Whether what ``wider`` holds beyond ``tally`` is more prose, mostly."""
    more_prose = wider.prose_chars - tally.prose_chars
    more_text = wider.chars - tally.chars
    return more_prose >= _WIDEN_MIN_GAIN * tally.prose_chars and (
        more_prose >= _WIDEN_MIN_PROSE_SHARE * more_text
    )


def _widen(
    best: HtmlElement, tally: _Tally, tallies: dict[HtmlElement, _Tally]
) -> tuple[HtmlElement, _Tally]:
    """Climb from the best container to the nearest ancestors that add mostly prose:
    articles split into several boxes, or a lead paragraph beside the body. An
    ``<article>`` bounds the climb: what lies beyond it is another story."""
    if _is_lone_article(best):
        return best, tally
    for ancestor in islice(best.iterancestors(), _WIDEN_LEVELS):
        wider = tallies.get(ancestor)
        if wider is None:
            break
        if _adds_prose(tally, wider):
            best, tally = ancestor, wider
        if _is_lone_article(ancestor):
            break
    return best, tally


def _is_lone_article(element: HtmlElement) -> bool:
    """An ``<article>`` with no other beside it: the story's own bounds (articles side
    by side are items of a list, or parts of one page)."""
    if element.tag != "article":
        return False
    parent = element.getparent()
    return parent is None or sum(1 for _ in parent.iterchildren("article")) == 1


def _in_landmark(element: HtmlElement) -> bool:
    return any(node.tag in _SCOPE_TAGS for node in chain((element,), element.iterancestors()))


def _best_candidate(candidates: list[tuple[HtmlElement, _Tally]]) -> tuple[HtmlElement, _Tally]:
    """The best scoring container, unless it lies outside the page's ``<article>`` and
    ``<main>`` while a container within them scores nearly as well (a widget's text
    beside a short article)."""
    scored = [(_score(*candidate), candidate) for candidate in candidates]
    top_score, top = max(scored, key=lambda item: item[0])
    if _in_landmark(top[0]):
        return top
    close = [item for item in scored if item[0] >= _LANDMARK_SHARE * top_score]
    landmarked = [item for item in close if _in_landmark(item[1][0])]
    return max(landmarked, key=lambda item: item[0])[1] if landmarked else top


def article_roots(blocks: list[Block]) -> list[HtmlElement]:
    """The best container and the siblings that belong with it, in page order."""
    tallies = _tally(blocks)
    candidates = [(element, tally) for element, tally in tallies.items() if tally.credit]
    if not candidates:
        return []
    best, best_tally = _widen(*_best_candidate(candidates), tallies)
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(_SIBLING_MIN_SCORE, _score(best, best_tally) * _SIBLING_SHARE)
    siblings = [
        sibling
        for sibling in parent
        if sibling is best or _belongs_with(sibling, tallies.get(sibling), threshold)
    ]
    return siblings + list(_kindred_parts(best, tallies))


def _kind(element: HtmlElement) -> tuple[str, str]:
    return str(element.tag), element.get("class", "")


def _is_prose_part(tally: _Tally | None) -> bool:
    return (
        tally is not None
        and tally.prose_chars >= _KINDRED_MIN_PROSE_CHARS
        and tally.link_density <= _SIBLING_MAX_LINK_DENSITY
    )


def _kindred_parts(best: HtmlElement, tallies: dict[HtmlElement, _Tally]) -> Iterator[HtmlElement]:
    """The parts of an article a CMS splits into boxes of one kind: the siblings of
    the best container's near ancestors that are built like them and hold prose."""
    for ancestor in islice(chain((best,), best.iterancestors()), _KINDRED_LEVELS + 1):
        parent = ancestor.getparent()
        if parent is None:
            return
        kind = _kind(ancestor)
        if not kind[1]:
            continue  # bare boxes say nothing of being built alike
        for box in parent:
            if box is not ancestor and _kind(box) == kind and _is_prose_part(tallies.get(box)):
                yield box


def _owners(roots: Iterable[HtmlElement]) -> set[HtmlElement]:
    # Blocks are owned by block-level elements only, so only those need collecting
    # (lxml filters the tags in C).
    owners: set[HtmlElement] = set()
    for root in roots:
        owners.update(root.iter(*BLOCK_TAGS))
    return owners


def _scope(root: HtmlElement) -> HtmlElement:
    """Where the rest of the article may be: the ``<article>`` (or ``<main>``) holding
    the container, or else a near ancestor (leads and boxed sections sit close by)."""
    ancestors = list(islice(root.iterancestors(), _SCOPE_LEVELS))
    return next(
        (ancestor for ancestor in ancestors if ancestor.tag in _SCOPE_TAGS),
        ancestors[min(_SCOPE_FALLBACK_LEVEL, len(ancestors) - 1)] if ancestors else root,
    )


def _is_satellite_prose(block: Block) -> bool:
    return (
        block.chars >= _SATELLITE_MIN_CHARS
        and block.link_density <= _SATELLITE_MAX_LINK_DENSITY
        and not block.is_heading
        and block.text.endswith(SENTENCE_END)
    )


def _is_lead(block: Block) -> bool:
    """Prose set before the article, which leads often leave unpunctuated."""
    return (
        block.chars >= _SATELLITE_UNPUNCTUATED_CHARS
        and block.link_density <= _SATELLITE_MAX_LINK_DENSITY
        and (not block.is_heading or block.chars >= _LEAD_HEADING_CHARS)
        and not block.text.endswith(_ELLIPSES)
    )


def _is_within(element: HtmlElement, scope: HtmlElement) -> bool:
    return any(ancestor is scope for ancestor in islice(element.iterancestors(), _SCOPE_DEPTH))


def article_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks of the article: those of its container, and the prose near it
    (a lead above it may lack the full stop the rest of that prose must have)."""
    roots = article_roots(blocks)
    if not roots:
        return []
    inside = _owners(roots)
    scope = _scope(roots[0])
    first = next((index for index, block in enumerate(blocks) if block.owner in inside), 0)
    return [
        block
        for index, block in enumerate(blocks)
        if block.owner in inside or _is_nearby_prose(block, scope, before=index < first)
    ]


def _is_nearby_prose(block: Block, scope: HtmlElement, before: bool) -> bool:
    """Prose within the container's scope, or a lead above it: a standfirst often sits
    in a header beside the ``<article>``, so a lead may be one level wider. Cut-short
    prose after the container is a teaser of another story."""
    if before and _is_lead(block):
        parent = scope.getparent()
        return _is_within(block.owner, scope if parent is None else parent)
    if not before and block.text.endswith(_ELLIPSES):
        return False
    return _is_satellite_prose(block) and _is_within(block.owner, scope)
