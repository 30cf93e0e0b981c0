"""Bylines to person names: prefixes, roles, agencies, dates and repeats removed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from worker.metadata.agency import find_agencies, is_only_agency
from worker.metadata.text import fold

#: Words that introduce a byline, in the languages most pages are written in.
_LEAD = re.compile(
    r"^(?:(?:written|posted|published|reported|text|story|words|interview|post author|"
    r"geschrieben|verfasst|erstellt|artikel|beitrag|ein beitrag|ein artikel|escrito|publié|"
    r"more|mehr|alles|alle artikel|all articles|articles)\s*)?"
    r"(?:by|von|vom|par|por|di|da|door|av|af|przez|from|autor(?:in)?|author|text)"
    r"\s*[:\-]?\s+|^(?:interview|text|texte|fotos?|photos?|bilder)\s*:\s*",
    re.IGNORECASE,
)
#: A date and time printed before the byline: "06.11.2023 13:30 von Jane Doe".
_LEADING_DATE = re.compile(
    r"^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s*(?:\d{1,2}:\d{2}\s*(?:uhr)?)?\s*(?:[-–|•]\s*)?",
    re.IGNORECASE,
)
#: Where a byline stops naming people: dates, times, "Updated", contact lines.
_TAIL = re.compile(
    r"\s*(?:\||•|·|—|–|\s-\s|\bupdated\b|\bpublished\b|\baktualisiert\b|\bveröffentlicht\b"
    r"|\bam\s+\d|\bon\s+\w+\s+\d|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\bstand:|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d).*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\by\b|\bet\b|/)\s*", re.IGNORECASE)
#: Job titles that follow a name after a comma ("Jane Doe, AP Science Writer").
_ROLE = re.compile(
    r"\b(?:writer|editor|correspondent|reporter|columnist|contributor|photographer|"
    r"redakteur(?:in)?|korrespondent(?:in)?|journalist(?:in)?|autor(?:in)?|staff|"
    r"bureau|chief|senior|special|freelance|contributing)(?:s|en|nen)?\b",
    re.IGNORECASE,
)
_NOISE = re.compile(r"\S+@\S+|https?://\S+|\(.*?\)|(?<!\w)@\w+")
#: Organisations and labels that bylines print where a person's name would be.
_NOT_PERSON = re.compile(
    r"\b(?:e\.\s?V\.|GmbH|AG|Inc\.?|Ltd\.?|LLC|Stiftung|Verband|Verein|Posted|Published|"
    r"Publiziert|Veröffentlicht|Redaktion|Pressestelle|Editorial)(?!\w)"
    r"|^(?:by|von|am|on|admin|name|no author|unknown|anonymous)$"
    r"|^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag"
    r"|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
    re.IGNORECASE,
)
#: Digits inside a several-word "name" are a date or a count, not a person.
_SPACED_DIGITS = re.compile(r"\s.*\d|\d.*\s")
#: A final period ends a sentence, except after an initial ("Joe S.").
_TRAILING_PERIOD = re.compile(r"(?<=[^\W\d_]{2})\.$")
_DOMAIN = re.compile(r"^\S+\.(?:com|net|org|de|at|ch|fr|it|es|info|eu|co\.uk|io)$", re.I)
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "de",
        "del",
        "della",
        "der",
        "den",
        "di",
        "da",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "dos",
        "das",
        "ten",
        "ter",
        "zu",
        "v.",
        "d'",
    }
)
_ODD_CHARACTERS = re.compile(r"[^\w\s.'’-]")
_MAX_NAME_WORDS = 5
_MAX_NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline says: the people who wrote, and the agencies it credits."""

    names: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()


def parse_byline(text: str) -> Byline:
    """People and agencies of one byline, as "By JANE DOE and John Roe, Associated Press"."""
    text = fold(text)
    agencies = tuple(dict.fromkeys(code for code, _printed in find_agencies(text)))
    body = _LEADING_DATE.sub("", _NOISE.sub(" ", text))
    body = _TAIL.sub("", _LEAD.sub("", body)).strip(" ,;:-")
    names = [name for part in _SPLIT.split(body) if (name := _person(part))]
    if any(" " in name for name in names):
        # Beside full names, an acronym is the outlet: "Von Jana Roe und Tom Poe, NDR".
        names = [name for name in names if " " in name or not name.isupper()]
    return Byline(tuple(dict.fromkeys(names)), agencies)


def _person(part: str) -> str | None:
    """A name as readers would write it, or None for roles, agencies and leftovers."""
    name = _clean(part)
    if not _is_person(name):
        return None
    return _title_case(name) if name.isupper() and len(name) > 3 else name


def _clean(part: str) -> str:
    """The name alone: lead words, a trailing agency, sentence period and repeats cut."""
    name = _strip_agency(_LEAD.sub("", part.strip(" ,:;-~»«©"))).strip(" ,:;-~»«")
    name = _TRAILING_PERIOD.sub("", name)
    words = name.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])  # "Jane Doe Jane Doe": a name printed twice
    return name


def _is_person(name: str) -> bool:
    if not name or len(name.split()) > _MAX_NAME_WORDS or len(name) > _MAX_NAME_CHARS:
        return False
    if _ROLE.search(name) or _NOT_PERSON.search(name) or is_only_agency(name):
        return False
    if not any(char.isalpha() for char in name) or "_" in name:
        return False  # no letters, or a user handle ("gvw_ap_news") rather than a name
    return not _SPACED_DIGITS.search(name) and _looks_like_name(name)


def _looks_like_name(part: str) -> bool:
    """One handle ("gizzmo"), or capitalised words with lower-case particles between."""
    words = part.split()
    if _ODD_CHARACTERS.search(part):
        return False
    if len(words) == 1:
        return True
    first, inner, last = words[0], words[1:-1], words[-1]
    return (
        first[0].isupper()
        and last.lower() not in _PARTICLES
        and all(word[0].isupper() or word.lower() in _PARTICLES for word in inner)
    )


def _strip_agency(part: str) -> str:
    """Cut an agency printed after the name: "JANE DOE Associated Press" -> "JANE DOE"."""
    for _code, printed in find_agencies(part):
        if part.endswith(printed) and part != printed:
            return part[: -len(printed)].strip(" ,-|/")
    return part


def _title_case(name: str) -> str:
    """JANE O'DOE-SMITH -> Jane O'Doe-Smith, keeping particles and initials readable."""
    return re.sub(r"[^\W\d_]+", lambda word: word.group(0).capitalize(), name.lower())


def merge_names(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """Names from several bylines, each person once (compared without case)."""
    seen: dict[str, str] = {}
    for group in groups:
        for name in group:
            seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def is_site_name(name: str, sites: Iterable[str | None]) -> bool:
    """Whether a "name" is the outlet itself or a domain: "CNN", "example.com"."""
    key = _site_key(name)
    return bool(_DOMAIN.search(name)) or any(site and key == _site_key(site) for site in sites)


def _site_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", re.sub(r"^www\.|\.[a-z]{2,6}$", "", text.casefold()))
