"""Wire agencies: who they are, how outlets print them, and the evidence a page is wire copy."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Each agency's short code and the names outlets print for it (matched as whole words).
AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "AP": ("The Associated Press", "Associated Press", "AP"),
    "Reuters": ("Thomson Reuters", "Reuters"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "UPI": ("United Press International", "UPI"),
    "CP": ("The Canadian Press", "Canadian Press"),
    "PA": ("PA Media", "Press Association", "PA Wire", "PA"),
    "dpa": ("Deutsche Presse-Agentur", "dpa"),
    "Bloomberg": ("Bloomberg News", "Bloomberg"),
    "AAP": ("Australian Associated Press", "AAP"),
    "PTI": ("Press Trust of India", "PTI"),
    "IANS": ("Indo-Asian News Service", "IANS"),
    "EFE": ("Agencia EFE", "EFE"),
    "ANSA": ("Agenzia ANSA", "ANSA"),
    "Kyodo": ("Kyodo News", "Kyodo"),
    "Xinhua": ("Xinhua News Agency", "Xinhua"),
    "APA": ("Austria Presse Agentur", "APA"),
    "KNA": ("Katholische Nachrichten-Agentur", "KNA"),
    "epd": ("Evangelischer Pressedienst", "epd"),
    "Yonhap": ("Yonhap News Agency", "Yonhap"),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "TASS": ("TASS",),
    "ANP": ("ANP",),
    "SDA": ("Keystone-SDA", "SDA"),
}
#: Codes short or common enough to appear in a slug: "gvw_ap_news", "reuters-staff".
_SLUG_CODES = {
    "ap": "AP",
    "apnews": "AP",
    "reuters": "Reuters",
    "afp": "AFP",
    "upi": "UPI",
    "dpa": "dpa",
    "bloomberg": "Bloomberg",
    "aap": "AAP",
    "pti": "PTI",
    "ians": "IANS",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "xinhua": "Xinhua",
}
#: Short codes written in lower case elsewhere are still the agency ("dpa"); all others
#: must keep their capitals, so that "ap" or "pa" in ordinary words never match.
_CASELESS = {"dpa", "epd"}


def _name_pattern() -> re.Pattern[str]:
    everything = (name for names in AGENCY_NAMES.values() for name in names)
    names = sorted(everything, key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


_NAME = _name_pattern()
_CODE_BY_NAME = {name.casefold(): code for code, names in AGENCY_NAMES.items() for name in names}
_PRINTED_AS = {name.casefold(): name for names in AGENCY_NAMES.values() for name in names}
_SLUG_SPLIT = re.compile(r"[^a-z]+")


def find_agencies(text: str) -> list[tuple[str, str]]:
    """Each agency named in ``text`` as (code, the words as printed), in order."""
    found = []
    for match in _NAME.finditer(text):
        printed = match.group(0)
        if _case_fits(printed):
            found.append((_CODE_BY_NAME[printed.casefold()], printed))
    return found


def _case_fits(printed: str) -> bool:
    """Whole names match in any case; short codes only as agencies print them."""
    if " " in printed or "-" in printed:
        return True
    canonical = _PRINTED_AS[printed.casefold()]
    return printed == canonical or printed.casefold() in _CASELESS or printed.isupper()


def dateline_agency(credit: str) -> str | None:
    """The agency of a dateline credit, the words between parentheses: "AP", "CP", "dpa".

    The Canadian Press signs "(CP)" only there, where nothing but an agency is printed:
    elsewhere two capitals are too often something else.
    """
    words = credit.strip()
    return "CP" if words == "CP" else agency_of(words)


def agency_of(text: str) -> str | None:
    """The agency ``text`` names, if it names one (first wins)."""
    found = find_agencies(text)
    return found[0][0] if found else None


def is_only_agency(text: str) -> bool:
    """Whether ``text`` is nothing but agency names and joining words: "AP / dpa"."""
    rest = _NAME.sub(" ", text) if find_agencies(text) else text
    return not re.sub(
        r"(?i)\b(?:the|and|und|with|news|staff|wire|mit|files?|photos?|fotos?)\b|[\W_]", "", rest
    )


def agency_in_slug(values: Iterable[str]) -> str | None:
    """An agency code as a word of an author slug or URL path: ``/author/gvw_ap_news/``."""
    for value in values:
        path = value.rstrip("/").rsplit("/", 1)[-1].lower()
        for word in _SLUG_SPLIT.split(path):
            if word in _SLUG_CODES:
                return _SLUG_CODES[word]
    return None
