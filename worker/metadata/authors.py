"""Bylines to person names: prefixes, roles, agencies, dates and repeats removed."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from faker.providers import person

from worker.metadata.agency import agency_in_slug, find_agencies, is_only_agency
from worker.metadata.text import fold

#: Words that introduce a byline, in the languages most pages are written in.
_LEAD = re.compile(
    r"^(?:(?:written|posted|published|reported|text|story|words|interview|post author|"
    r"pressemitteilung|kommentar|gastkommentar|kolumne|analyse|commentary|column|analysis|"
    r"geschrieben|verfasst|erstellt|eingestellt|artikel|beitrag|ein beitrag|ein artikel|"
    r"blog ?beitrag|gastbeitrag|escrito|publié|more|mehr|alles|alle artikel|all articles|"
    r"articles)\s*)?"
    r"(?:by|von|vom|par|por|di|da|door|av|af|przez|from|autor(?:in|en|innen)?|authors?|text)"
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
    r"|\bstand:|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b(?:illustrations?|fotos?|photos?|bilder|übersetzung|translation)\b"
    r"|\b(?:alle|weitere|mehr|all|more) (?:artikel|beiträge|articles|posts|stories)\b).*$",
    re.IGNORECASE,
)
#: What separates the people (and the outlet) of a byline; a period too, after a word
#: and no initial or title: "Jane Doe. Example News", not "Joe S. Doe", "Prof. Jo Doe".
_SPLIT = re.compile(
    r"\s*(?:,|;|&|\band\b|\bund\b|\by\b|\bet\b|/|\bim gespräch mit\b|\bin conversation with\b"
    r"|(?<=[^\W\d_]{4})(?<!prof|capt|dipl|univ)\.(?=\s+[^\W\d_]))\s*",
    re.IGNORECASE,
)
#: Job titles that follow a name after a comma ("Jane Doe, AP Science Writer").
_ROLE = re.compile(
    r"\b(?:writer|editor|correspondent|reporter|columnist|contributor|photographer|"
    r"redakteur(?:in)?|korrespondent(?:in)?|journalist(?:in)?|autor(?:in)?|staff|"
    r"bureau|chief|senior|special|freelance|contributing)(?:s|en|nen)?\b",
    re.IGNORECASE,
)
#: Professions printed before a name, no part of it: "Rechtsanwalt Jane Doe".
_PROFESSION = re.compile(
    r"^(?:rechtsanwalt|rechtsanwältin|fachanwalt|fachanwältin|notar(?:in)?|attorney|lawyer)\s+",
    re.IGNORECASE,
)
_NOISE = re.compile(r"\S+@\S+|https?://\S+|\(.*?\)|(?<!\w)@\w+")
#: Organisations and labels that bylines print where a person's name would be.
_NOT_PERSON = re.compile(
    r"\b(?:e\.\s?V\.|GmbH|AG|Inc\.?|Ltd\.?|LLC|Stiftung|Verband|Verein|Posted|Published|"
    r"Publiziert|Veröffentlicht|Redaktion|Redacción|Rédaction|Redazione|Redação|Newsroom|"
    r"Pressestelle|Editorial)(?!\w)"
    r"|^(?:zur|zum|alle|all|more|mehr|view|see|read|zitat|quote|quoting)\b"
    r"|^(?:by|von|am|on|(?:wp|wordpress|site|web)?admin(?:istrator)?|webmaster|name|no author"
    r"|unknown|anonymous|anónimo|anonyme|datum|date|quelle"
    r"|source|agencies|publisher|article by|publikationen|cortesía|courtesy"
    r"|autoren|autorinnen|authors|foto|fotos|photo|photos|bild|bilder)$"
    # Picture agencies, credited where the photo is.
    r"|\b(?:istock(?:photo)?|getty ?images|shutterstock|adobe ?stock|picture alliance|imago"
    r"|unsplash|pixabay)\b"
    r"|^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|donnerstag"
    r"|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b",
    re.IGNORECASE,
)
#: Words of a company's, an office's or a team's name, which no person's name holds.
_ORGANISATION = re.compile(
    r"\b(?:co|corp|corporation|company|companies|productions?|consortium|group|media|oyj|spa"
    r"|sa|se|kg|ohg|gbr|ug|verlag|studios?|press|publishing|partners|holdings?|foundation"
    r"|institute?|agency|agentur|solutions|services|software|systems|technologies|labs"
    r"|design|digital|network|international|enterprises|industries|films|records|magazine?"
    r"|blog|online|news|shop|store|team|club|verein|gruppe|department|ministry|ministerium"
    r"|police|polizei|customs|protection|government|regierung|council|commission|authority"
    r"|administration|office|amt)\b",
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
_ARTICLES = _PARTICLES | {"the", "die", "les", "los", "las", "il", "lo", "un", "une", "ein"}
_ODD_CHARACTERS = re.compile(r"[^\w\s.'’-]")
_MAX_NAME_WORDS = 5
_MAX_BYLINE_PARTS = 6
#: The article or short word a site's name may carry in a byline: "Die", "OÖ", "The".
_MAX_ARTICLE_CHARS = 3
_MAX_NAME_CHARS = 60
#: The most words a person's full name has here: "Jane Doe", "Jane M. Doe".
MAX_FULL_NAME_WORDS = 3


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline says: the people who wrote, and the agencies it credits."""

    names: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()


def parse_byline(text: str, *, as_printed: bool = False) -> Byline:
    """People and agencies of one byline, as "By JANE DOE and John Roe, Associated Press";
    names in capitals are written as readers would unless kept ``as_printed``."""
    text = fold(text)
    agencies = tuple(dict.fromkeys(code for code, _printed in find_agencies(text)))
    body = _LEADING_DATE.sub("", _NOISE.sub(" ", text))
    body = _TAIL.sub("", _LEAD.sub("", body)).strip(" ,;:-")
    names = _people(_SPLIT.split(body))
    readable = names if as_printed else [readable_name(name) for name in names]
    return Byline(tuple(dict.fromkeys(readable)), agencies)


def _people(parts: list[str]) -> list[str]:
    """The names among a byline's parts. A single word beside full names is the outlet
    or the place ("Von Jana Roe und Tom Poe, NDR", "By Jane Doe, Lodwar, Kenya"), beside
    words that name no one a piece of an organisation's name ("Landesamt für Wald
    und Naturschutz"); many parts are a list of tags or sections, no byline."""
    found = [_person(part) for part in parts if part.strip(" ,:;-~»«©")]
    if len(found) > _MAX_BYLINE_PARTS:
        return []
    names = [name for name in found if name]
    if len(names) < len(found) or any(" " in name for name in names):
        return [name for name in names if " " in name]
    return names


def _person(part: str) -> str | None:
    """A name as printed, or None for roles, agencies and leftovers."""
    name = _clean(part)
    return name if _is_person(name) else None


def readable_name(name: str) -> str:
    """A full name printed in capitals as readers would write it; a single word (a
    handle, an acronym) as printed."""
    return _title_case(name) if name.isupper() and " " in name else name


def _clean(part: str) -> str:
    """The name alone: lead words, a trailing agency, sentence period and repeats cut."""
    name = _strip_agency(_LEAD.sub("", part.strip(" ,:;-~»«©"))).strip(" ,:;-~»«")
    name = _PROFESSION.sub("", name)
    name = _TRAILING_PERIOD.sub("", name)
    words = name.split()
    half = len(words) // 2
    if half > 1 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])  # "Jane Doe Jane Doe": a name printed twice
    return name


def _is_person(name: str) -> bool:
    if not name or len(name.split()) > _MAX_NAME_WORDS or len(name) > _MAX_NAME_CHARS:
        return False
    if (
        _ROLE.search(name)
        or _NOT_PERSON.search(name)
        or is_only_agency(name)
        or _ORGANISATION.search(name)
    ):
        return False
    if not any(char.isalpha() for char in name) or _DOMAIN.search(name):
        return False
    if "_" in name and agency_in_slug([name]):
        return False  # an agency's account ("gvw_ap_news"), where "Herr_Meier" is a person's
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
    """Whether a "name" is the outlet itself or a domain: "CNN", "example.com", or the
    site's name behind short words ("Die RUNDSCHAU", "OÖ Rundschau" of rundschau.example,
    "SV Blauer Stern" of blauer-stern.example)."""
    if _DOMAIN.search(name):
        return True
    keys = _site_keys(sites)
    if _site_key(name) in keys:
        return True
    words = [_site_key(word) for word in name.split()]
    long_words = [word for word in words if len(word) > _MAX_ARTICLE_CHARS]
    return len(long_words) < len(words) and "".join(long_words) in keys


def without_site_handle(name: str, sites: Iterable[str | None]) -> str:
    """A name without the site's own account printed after it, in lower case, as the
    link beside a byline shows it: "Jane herrdoe" on herrdoe.example gives "Jane". A
    surname that is also the site's name ("Anna Rundschau") keeps its capital."""
    *words, last = name.split()
    if words and last.islower() and _site_key(last) in _site_keys(sites):
        return " ".join(words)
    return name


def _site_keys(sites: Iterable[str | None]) -> set[str]:
    return {_site_key(site) for site in sites if site} - {""}


def _site_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", re.sub(r"^www\.|\.[a-z]{2,6}$", "", text.casefold()))


def name_key(name: str) -> str:
    """The letters of a name, without case: "ana.la.roe" and "Ana La Roe" agree."""
    return re.sub(r"[\W\d_]+", "", name.casefold())


def is_personal_name(name: str) -> bool:
    """Whether ``name`` is a person's full name: capitalised words, the first a known
    first name ("Jane Doe", "Jean DUPONT"), no word of a company's ("Meredith
    Corporation", see ``_is_person``), nor led by an acronym ("VI Consortium") or by an
    article that some first names spell too ("El Diario", "Le Monde")."""
    words = name.split()
    if not 1 < len(words) <= MAX_FULL_NAME_WORDS:
        return False
    acronym_first = words[0].isupper() and not name.isupper()
    first = words[0].casefold()
    return (
        words[-1][0].isupper()
        and not acronym_first
        and first not in _ARTICLES
        and first in first_names()
        and _is_person(name)
    )


@cache
def first_names() -> frozenset[str]:
    """The first names of every locale that Faker's person providers know (some 31,000,
    read once per process, in about 0.1 s)."""
    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            found = vars(provider).get(attribute)
            if isinstance(found, (dict, list, tuple)):
                names.update(name.casefold() for name in found)
    return frozenset(names)
