"""Text to comparable units: normalised words, hashed word shingles and number slots.

Everything here is deterministic across processes and machines (no ``hash()``), so
every worker computes the same values for the same text.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np
import numpy.typing as npt

#: Words per shingle: long enough that boilerplate phrases rarely collide, short
#: enough that a light edit only spoils a few shingles.
SHINGLE_WORDS = 5
#: Words of context either side of a figure that name its "slot" in a template.
SLOT_CONTEXT_WORDS = 3

_WORD = re.compile(r"[a-z0-9]+")
#: Quoted speech: from an opening quote to its closing one, or to the end of the
#: paragraph (a quote running on into the next paragraph is left open). A closing
#: single quote is one not followed by a letter, unlike an apostrophe ("ITV’s");
#: straight single quotes count only in pairs, as they open contractions too.
_QUOTED = re.compile(
    r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|‘[^‘\n]*?(?:’(?![A-Za-z])|$)"
    r"|(?<![A-Za-z])'[^'\n]*?'(?![A-Za-z])",
    re.MULTILINE,
)
#: A list of five or more names ("Arizona, California, Colorado, ..."): capitalised
#: items of up to three words without figures, between commas, the last maybe after "and".
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:['’.-][^\W\d_]+)*"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_ENUMERATION = re.compile(
    rf"\b{_NAME}(?:(?:,\s+{_NAME}){{3,}},?\s+(?:and|or)\s+{_NAME}|(?:,\s+{_NAME}){{4,}})\b"
)
_LIST_HINT = re.compile(r",\s+[A-ZÀ-ÖØ-Þ][^,]{0,40},\s+[A-ZÀ-ÖØ-Þ][^,]{0,40},\s+[A-ZÀ-ÖØ-Þ]")
#: British to American spellings, so "Defence"/"Defense" or "centre"/"center" agree.
_SPELLING_FOLDS = (
    (re.compile(r"(?<=\w{3})isation$"), "ization"),
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})our(s?)$"), r"or\1"),
    (re.compile(r"(?<=\w{2})([fc])ence$"), r"\1ense"),
    (re.compile(r"(?<=\w{3})tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=\w{3})ll(ed|ing)$"), r"l\1"),
)
#: The endings the folds above act on, to skip their regexes for every other word.
_FOLDED_ENDINGS: tuple[str, ...] = ("ise", "ised", "ises", "ising", "isation", "our", "ours")
_FOLDED_ENDINGS += ("ence", "tre", "tres", "lled", "lling")
#: Calendar words behave like figures in templated series ("Today is Monday...").
_CALENDAR_WORDS = frozenset(
    (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "june", "july", "august"),
        *("september", "october", "november", "december"),
    )
)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def without_quotes(text: str) -> str:
    """The text with quoted speech removed.

    Independent reports of one event quote the same statement verbatim; what
    makes two pages copies of one story is the reporter's own sentences around it.
    """
    return _QUOTED.sub(" ", text)


def without_enumerations(text: str) -> str:
    """The text with lists of names removed.

    Independent reports copy the same list from their common source (the states a
    health agency names, the countries at a summit): shared wording that says
    nothing about whether one report copied the other.
    """
    # the full pattern is slow to try at every capital; a list's commas are quick to find
    return "\n".join(
        _ENUMERATION.sub(" ", line) if _LIST_HINT.search(line) else line
        for line in text.split("\n")
    )


def normalised_words(text: str) -> list[str]:
    """Lower-case ASCII words with accents, punctuation and spelling variants folded."""
    # curly apostrophes vanish in the ASCII fold; drop straight ones too, alike
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("'", "")
    return [
        _fold_spelling(word) if len(word) > 5 and word.endswith(_FOLDED_ENDINGS) else word
        for word in _WORD.findall(folded)
    ]


def _fold_spelling(word: str) -> str:
    for pattern, replacement in _SPELLING_FOLDS:
        word = pattern.sub(replacement, word)
    return word


def word_hashes(words: list[str]) -> npt.NDArray[np.uint64]:
    """A stable 32-bit hash per word, widened for the shingle arithmetic."""
    return np.fromiter((zlib.crc32(word.encode()) for word in words), np.uint64, len(words))


def mix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: spreads every input bit over the whole word."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * _MIX_1
        values = (values ^ (values >> np.uint64(27))) * _MIX_2
    return values ^ (values >> np.uint64(31))


def shingle_hashes(words: list[str]) -> npt.NDArray[np.uint64]:
    """One 64-bit hash per run of SHINGLE_WORDS consecutive words, in text order."""
    count = len(words) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.zeros(0, np.uint64)
    hashes = word_hashes(words)
    combined = np.zeros(count, np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE_WORDS):
            combined = mix64(combined + hashes[offset : offset + count])
    return combined


def figure_value(word: str) -> str:
    """What a figure says, without its unit: "148m" and "148" agree, "323rd" is 323."""
    digits = "".join(char for char in word if char.isdigit())
    return digits or word


def figure_slots(words: list[str]) -> dict[int, int]:
    """Each figure's slot, a 16-bit hash of the words around it, -> an 8-bit hash of it.

    Figures are words with a digit (words are ``[a-z0-9]+``) and day and month names.
    Two stories of one template fill the same slots ("priced at Rs ___ per litre")
    with different figures, while two copies of one story fill them alike.
    """
    figures = [
        position
        for position, word in enumerate(words)
        if not word.isalpha() or word in _CALENDAR_WORDS
    ]
    masked = list(words)
    for position in figures:
        masked[position] = "#"
    slots: dict[int, int] = {}
    for position in figures:
        value = zlib.crc32(figure_value(words[position]).encode()) & 0xFF
        for context in _slot_contexts(masked, position):
            slots.setdefault(zlib.crc32(context.encode()) >> 16, value)
    return slots


def _slot_contexts(masked: list[str], position: int) -> list[str]:
    """The words before and after a figure (other figures as ``#``), where they name
    a slot: a full context of which at least two words are not figures."""
    width = SLOT_CONTEXT_WORDS
    before = masked[max(0, position - width) : position]
    after = masked[position + 1 : position + 1 + width]
    return [
        side + " ".join(context)
        for side, context in (("<", before), (">", after))
        if len(context) == width and context.count("#") < width - 1
    ]
