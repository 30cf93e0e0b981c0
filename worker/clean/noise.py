"""News furniture left inside the article container, removed by general rules.

Outlets wrap wire copy in their own furniture; each rule here recognises a kind of
it by what it is, never by which site it comes from:

- a block repeating text found elsewhere in the body (pull quotes, sub-heads made
  of a sentence of the body) or the headline;
- a label that ends the article ("Related topics", "Don't miss", "Up next") and
  the link lists after it;
- link-dense blocks (share bars, "also read" lines), bylines and bare dates;
- notices and appeals ("Please ensure Javascript is enabled", "This is an archived
  article", newsletter, donation, membership and app calls, disclaimers, download
  links), unrendered shortcodes;
- photo captions and credits, and captions opened by a figure's label.

A heading as long as prose is a standfirst or a pull-out set large, not a section's
title, so it never counts as a heading over nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from worker.clean.segment import SENTENCE_END as _SENTENCE_END
from worker.clean.segment import Block

_WORD = re.compile(r"\w+")
#: A block whose sentences are mostly found in longer blocks repeats them.
_REPEAT_SHARE = 0.7
#: Sentences, quotes and dash-set attributions are compared separately.
_PIECE_BOUNDARY = re.compile(r"(?<=[.!?。…])\s+|[“”\"«»„—–|]")
_PIECE_MIN_WORDS = 3
_PIECE_TRIM = " .,;:!?…'’‘()[]"
#: Shorter blocks (a three-word sub-head) may repeat a phrase by chance.
_REPEAT_MIN_CHARS = 30
#: Pull quotes and sub-heads are short; longer blocks are not suspected of repeating.
_REPEAT_MAX_CHARS = 600
#: A pull quote is a part of a clearly longer paragraph, not a near-copy of it.
_REPEAT_LONGER = 1.2
_MAX_LINK_DENSITY = 0.5
#: Notices, captions and bylines are short; longer blocks are never judged by wording.
#: (In characters, which are cheaper to count than words: about 6 a word.)
_SHORT_CHARS = 200
_CAPTION_CHARS = 140
_BYLINE_CHARS = 80
_LABEL_CHARS = 50
#: A section holding only blocks more linked than this is a list of links.
_SUBSTANCE_MAX_LINK_DENSITY = 0.3
#: Enough of a block to count as article prose after an end label.
_PROSE_CHARS = 120

#: Labels that close an article (English, German, French, Spanish, Portuguese, Polish:
#: the languages of the news this is tuned on) and the link lists they head.
_END_LABEL = re.compile(
    r"^(?:related(?: \w+)?|you (?:may|might) (?:also )?(?:like|enjoy)|more (?:from|on|in|"
    r"about|stories|news|to read)\b.*|read (?:more|next|also)|also read|see also|up next"
    r"|what to read next|don'?t miss|must read|recommended(?: for you| stories)?"
    r"|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|popular(?: stories)?"
    r"|latest(?: news| stories)?|comments?|leave a (?:comment|reply)|join the conversation"
    r"|share(?: this)?(?: article| story| post)?|tags?|topics|further reading|more"
    r"|(?:more |further )?information|contacts?|table of contents|contents"
    r"|mehr (?:zum thema|themen|dazu|artikel|beiträge|news)\b.*|weitere \w+|lesen sie auch.*"
    r"|auch interessant|(?:das )?(?:thema )?könnte (?:dich|sie) auch interessieren"
    r"|ähnliche (?:artikel|beiträge|themen)|empfohlene (?:artikel|beiträge)|kommentare"
    r"|zum weiterlesen|schon gelesen|top[- ]themen.*|kontakt|inhaltsverzeichnis"
    r"|(?:à )?lire aussi|voir aussi|sur le même (?:sujet|thème)|à lire également"
    r"|(?:notas|noticias|artículos|articulos) relacionad[ao]s|lea también|te puede interesar"
    r"|(?:veja|leia) também|zobacz (?:też|także)|czytaj (?:też|także)|polecamy)\W*$",
)
# Every phrase starts at a word boundary: anchoring them there lets the engine skip
# the middle of words, which makes this test several times faster.
_NOTICE = re.compile(
    r"©|^(?:advertising|share|print|email|tweet|close)$|^(?:anzeige\b|(?:quelle|source|fuente):)"
    r"|\b(?:javascript|archived article|cookies?\b|all rights reserved|copyright"
    r"|newsletter|subscribe|sign up\b|signup|inbox|donat(?:e|ion)|support (?:our|us|local)"
    r"|become a (?:member|subscriber|patron)|click here|follow us|share (?:this|it|on)"
    r"|short url|print this|advertisement|terms of (?:use|service)"
    r"|privacy policy|user agreement|have a tip\b|submit your|download (?:the|our)\b"
    r"|straight to your phone|apps? for (?:ios|android)|exclusive (?:offers|benefits)"
    r"|mitglied werden|werden sie mitglied|exklusive angebote|hazte miembro|beneficios exclusivos"
    r"|abonnez-vous|suscr[ií]bete|subskrypcj|prenumerat|klicken sie (?:hier|auf)"
    r"|(?:itunes|app store)\W+(?:\w+\W+)?google play|opinions exprimées|meinung des autors"
    r"|ohne gewähr|abonnieren|anmelden|page not found|404\b|(?:could not|cannot|can't) be found"
    r"|(?:does not|doesn't|no longer) exists?\b|(?:log|sign) ?in to (?:continue|read|view)"
    r"|subscribers only|to continue reading|(?:was|war) (?:this|der|dieser|das) (?:article|"
    r"artikel|beitrag|page|seite) (?:helpful|useful|hilfreich|nützlich)|how would you rate"
    r"|rate this|wie bewerten sie|bewertungen\)|(?:möchten sie|teilen sie) (?:den|diesen)"
    r" (?:artikel|beitrag)|comments? (?:are )?closed|kommentare (?:sind )?geschlossen"
    r"|beitragsbild|featured image|min(?:ute)?s? read\b|lesezeit|release date"
    r"|advertising disclosure|werbung|affiliate|be sociable|telegram|whatsapp|youtube)"
    # A download link and its file's size ("PDF | 38 KB").
    r"|(?:pdf|docx?|xlsx?|pptx?|zip)\W+\d+(?:[.,]\d+)? ?[kmg]b\b",
)
_SHORTCODE = re.compile(
    r"\[/?[a-z][\w-]*(?:\s+[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s\]]+))?)*\s*/?\]"
)
_CREDIT = re.compile(
    r"©|\b(?:photo|photograph|image|picture|pictures|credit|foto|bild|getty|reuters|afp"
    r"|shutterstock|istock|ap photo|file photo)\b",
)
#: A figure's label ("Abbildung 4:", "Fig. 2.") or a lightbox's "enlarge" opens its caption.
_FIGURE_LABEL = re.compile(
    r"^(?:(?:abbildung|abb\.|figure|fig\.|grafik)\s*(?:\d+[a-z]?\s*[:.]|:)|(?:vergrößern|enlarge)\s)"
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di)\s+\S+")
#: A year, a clock time, a numeric or a named month: what makes a line a date line.
_DATE_MARK = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[:.]\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
    r"|nov|dec|mär|mai|okt|dez)"
)
_DATE_WORDS = re.compile(
    r"\b(?:\d+|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*"
    r"|dec\w*|mär\w*|mai|okt\w*|dez\w*|am|pm|gmt|utc|[a-z]{2,3}t|updated|published"
    r"|aktualisiert|veröffentlicht|on|at|um)\b",
)
_FULL_STOPS = (".", "!", "?")
_BARE_CONTAINERS = frozenset({"div", "section", "article", "main", "header", "figure", "center"})


# --- rules on one block ---------------------------------------------------------


def is_link_list(block: Block) -> bool:
    """Share bars, "also read" lines, tag lists: mostly link text."""
    return block.link_density > _MAX_LINK_DENSITY


def is_notice(block: Block) -> bool:
    """Site notices and appeals: short blocks about the site, not the story."""
    return block.chars <= _SHORT_CHARS and bool(_NOTICE.search(block.folded))


def is_credit(block: Block) -> bool:
    """A photo caption or credit line: short, and naming a picture or its source."""
    if block.is_heading or block.chars > _CAPTION_CHARS:
        return False
    return bool(_CREDIT.search(block.folded))


def is_byline_or_date(block: Block) -> bool:
    """A byline ("By Jane Doe") or a bare date and time line."""
    if block.chars > _BYLINE_CHARS or block.text.endswith(_FULL_STOPS):
        return False
    if _BYLINE.match(block.folded):
        return True
    if not _DATE_MARK.search(block.folded):
        return False
    leftover = _DATE_WORDS.sub("", block.folded)
    return sum(len(word) > 1 for word in _WORD.findall(leftover)) <= 1


def is_caption_like(block: Block) -> bool:
    """A short unpunctuated line set in a bare ``div``/``span``: a photo caption,
    a kicker or a label, which prose and sub-heads (in their own tags) never are."""
    return (
        block.owner.tag in _BARE_CONTAINERS
        and not block.is_heading
        and block.chars < _CAPTION_CHARS
        and not block.text.endswith(_SENTENCE_END)
    )


def is_figure_caption(block: Block) -> bool:
    """A caption opened by the figure's label or its lightbox's "enlarge" button."""
    return not block.is_heading and bool(_FIGURE_LABEL.match(block.folded))


#: Cheap rules first; the wording rules only read blocks up to ``_SHORT_CHARS``.
_BLOCK_RULES: tuple[Callable[[Block], bool], ...] = (
    is_link_list,
    is_caption_like,
    is_byline_or_date,
    is_credit,
    is_figure_caption,
    is_notice,
)


def _is_furniture(block: Block) -> bool:
    if not block.text:
        return False  # an image standing alone (its caption is gone) stays for the HTML
    if block.chars > _SHORT_CHARS:
        return is_link_list(block)
    return any(rule(block) for rule in _BLOCK_RULES)


# --- rules on the sequence ------------------------------------------------------


def is_end_label(block: Block) -> bool:
    """A label that closes the article: "Related topics", "Don't miss", "Up next"."""
    return block.chars <= _LABEL_CHARS and bool(_END_LABEL.match(block.folded))


def _is_prose(block: Block) -> bool:
    return (
        block.chars >= _PROSE_CHARS
        and not is_link_list(block)
        and block.text.endswith(_SENTENCE_END)
    )


def cut_labelled_sections(blocks: Sequence[Block]) -> list[Block]:
    """Drop each end label and what follows it until prose resumes (if it does)."""
    kept: list[Block] = []
    skipping = False
    for block in blocks:
        if is_end_label(block):
            skipping = True
        elif skipping and _is_prose(block):
            skipping = False
        if not skipping:
            kept.append(block)
    return kept


def drop_hollow_sections(blocks: Sequence[Block]) -> list[Block]:
    """Drop headings whose section (up to the next heading) has nothing left in it
    but scraps: "Recommended", "Contact" or "More on this" over removed link lists."""
    kept: list[Block] = []
    section: list[Block] = []
    for block in [*blocks, None]:
        if block is None or _is_title(block):
            if not section or not _is_title(section[0]) or _has_substance(section[1:]):
                kept.extend(section)
            section = []
        if block is not None:
            section.append(block)
    return kept


def _is_title(block: Block) -> bool:
    """A heading that titles a section; a longer one is prose set in large type."""
    return block.is_heading and block.chars < _PROSE_CHARS


def _has_substance(section: Sequence[Block]) -> bool:
    """Anything but link lists: prose, an item of a list, a picture."""
    return any(block.link_density <= _SUBSTANCE_MAX_LINK_DENSITY for block in section)


def drop_repeats(blocks: list[Block], headline: str | None) -> list[Block]:
    """Drop blocks that repeat the headline or parts of longer blocks: a pull quote,
    not the paragraph it quotes; a sub-head made of a sentence of the body.
    Blocks repeated whole (an interview's recurring question) are left alone."""
    suspects = [block for block in blocks if block.chars <= _REPEAT_MAX_CHARS]
    if not suspects:
        return blocks
    by_length = sorted(blocks, key=lambda block: block.chars, reverse=True)
    context = _Context(
        (headline or "").lower(),
        [-block.chars for block in by_length],
        [block.folded for block in by_length],
    )
    repeats = {
        id(block)
        for block in suspects
        # The pieces compared are parts of the text: a shorter one never has enough.
        if len(block.folded) >= _REPEAT_MIN_CHARS
        and _repeats(block, context.longer_than(_REPEAT_LONGER * block.chars))
    }
    return [block for block in blocks if id(block) not in repeats]


@dataclass(slots=True)
class _Context:
    """The headline and the body's blocks, longest first, lower-cased."""

    headline: str
    negated_lengths: list[int]
    longest_first: list[str]
    joined: dict[int, str] = field(default_factory=dict)

    def longer_than(self, chars: float) -> str:
        """The headline and every block longer than ``chars``, as one text."""
        count = bisect_left(self.negated_lengths, -chars)
        if count not in self.joined:
            self.joined[count] = "\n".join([self.headline, *self.longest_first[:count]])
        return self.joined[count]


def _repeats(block: Block, elsewhere: str) -> bool:
    """Whether most of the block's sentences and quoted phrases occur ``elsewhere``
    (compared without the punctuation that ends them, which quoting changes)."""
    pieces = [piece.strip(_PIECE_TRIM) for piece in _PIECE_BOUNDARY.split(block.folded)]
    pieces = [piece for piece in pieces if piece.count(" ") >= _PIECE_MIN_WORDS - 1]
    total = sum(map(len, pieces))
    if total < _REPEAT_MIN_CHARS:
        return False
    found = sum(len(piece) for piece in pieces if piece in elsewhere)
    return found >= _REPEAT_SHARE * total


def strip_shortcodes(block: Block) -> Block:
    """Remove CMS shortcodes the site failed to render, like ``[form id=29]``."""
    if "[" in block.text:
        block.set_text(" ".join(_SHORTCODE.sub(" ", block.text).split()))
        block.markup = [
            _SHORTCODE.sub("", part) if isinstance(part, str) else part for part in block.markup
        ]
    return block


def remove_noise(blocks: list[Block], headline: str | None = None) -> list[Block]:
    """The article's own blocks, without the furniture around and inside it."""
    kept = [block for block in blocks if block.kind != "h1" and (block.text or block.has_image)]
    kept = cut_labelled_sections(kept)
    kept = [strip_shortcodes(block) for block in kept if not _is_furniture(block)]
    kept = [block for block in kept if block.text or block.has_image]
    return drop_repeats(drop_hollow_sections(kept), headline)
