"""Is the page wire copy? Its dateline, its agency, and the evidence for it.

A page is wire copy when the agency is credited where credits go (a byline, the dateline,
the JSON-LD author or publisher, a copyright or credit line, the author's slug), never
because its body mentions an agency in passing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from worker.metadata.agency import agency_in_slug, agency_of, dateline_agency
from worker.metadata.authors import Byline
from worker.metadata.jsonld import JsonNode, first_text, names_of
from worker.metadata.signals import PageSignals

#: "ANKARA, Turkey (AP) —", "LONDON, March 4 (Reuters) -": a capitalised place, an optional
#: region or date, an optional credit in parentheses, then a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{2,40}?(?:,\s+[A-Z][\w.'’ -]{1,30}?)?)\s*"
    r"(?:\((?P<credit>[^()]{1,40})\))?\s*\.?(?:—|–|--|-|:)\s+\S"
)
#: "Berlin (dpa) - ": a place in any case, valid only with an agency credit.
_CREDITED_PLACE = re.compile(
    r"^(?P<place>(?:[A-ZÀ-Þ][\w.'’ ,/-]{0,40}?)?)\s*\((?P<credit>[^()]{1,40})\)"
    r"\s*\.?(?:—|–|--|-|:)\s+\S"
)
#: "This report by The Canadian Press was first published...": an agency's credit line.
_CREDIT_LINE = re.compile(
    r"\b(?:report|story|article)\s+(?:by|from)\s+(?P<agency>.{2,40}?)\s+was\s+first\s+published",
    re.IGNORECASE,
)
#: A date printed after the place ("LONDON, March 4", "MADRID, 4 mar") is not the place.
_TRAILING_DATE = re.compile(r",\s+(?:[A-Za-z]{3,9}\.?\s+\d{1,2}|\d{1,2}\.?\s+[A-Za-z]{3,9}\.?)$")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)", re.IGNORECASE)
_CREDIT_META = ("credit", "article:source", "source", "original-source", "syndication-source")
_DATELINE_PARAGRAPHS = 3
#: Copyright notices and credit lines close a story: only its last paragraphs are read.
_CLOSING_PARAGRAPHS = 3


@dataclass(frozen=True, slots=True)
class Wire:
    """The dateline, the agency (a short code) and which signals named it."""

    dateline: str | None = None
    agency: str | None = None
    evidence: tuple[str, ...] = ()


def detect_wire(
    signals: PageSignals,
    article: JsonNode | None,
    bylines: Iterable[tuple[str, Byline]],
    body_text: str,
) -> Wire:
    """The page's dateline and, when credits name one, its wire agency."""
    dateline, dateline_credit = find_dateline(body_text)
    votes: list[tuple[str, str]] = [
        (code, source) for source, byline in bylines for code in byline.agencies
    ]
    if dateline_credit:
        votes.append((dateline_credit, "dateline"))
    votes += _publisher_votes(signals, article)
    votes += _credit_votes(signals, article, body_text)
    slug_agency = agency_in_slug(_author_urls(signals, article))
    if slug_agency:
        votes.append((slug_agency, "author slug"))
    if not votes:
        return Wire(dateline=dateline)
    agency = Counter(code for code, _source in votes).most_common(1)[0][0]
    evidence = tuple(dict.fromkeys(source for code, source in votes if code == agency))
    return Wire(dateline=dateline, agency=agency, evidence=evidence)


def find_dateline(body_text: str) -> tuple[str | None, str | None]:
    """The dateline opening the story and the agency its credit names, if any."""
    paragraphs = [part.strip() for part in body_text.split("\n") if part.strip()]
    for paragraph in paragraphs[:_DATELINE_PARAGRAPHS]:
        found = _dateline(paragraph)
        if found is not None:
            return found
    return None, None


def _dateline(paragraph: str) -> tuple[str | None, str | None] | None:
    """(place, agency) when the paragraph opens with a dateline: an upper-case place with
    or without an agency credit, or any place with one."""
    match = _DATELINE.match(paragraph)
    credit = match.group("credit") if match else None
    if match and (credit is None or dateline_agency(credit)):
        return _place(match.group("place")), dateline_agency(credit) if credit else None
    match = _CREDITED_PLACE.match(paragraph)
    if match and (agency := dateline_agency(match.group("credit"))):
        return _place(match.group("place")), agency
    return None


def _place(text: str) -> str | None:
    return _TRAILING_DATE.sub("", text.strip(" ,")).strip(" ,") or None


def _publisher_votes(signals: PageSignals, article: JsonNode | None) -> list[tuple[str, str]]:
    if article is None:
        return []
    names = names_of(article.get("publisher"), signals.jsonld)
    return [(code, "json-ld publisher") for name in names if (code := agency_of(name))]


def _credit_votes(
    signals: PageSignals, article: JsonNode | None, body_text: str
) -> list[tuple[str, str]]:
    """Agencies named by copyright notices and credit lines."""
    closing = [line for line in body_text.split("\n") if line.strip()][-_CLOSING_PARAGRAPHS:]
    notices = [line for line in closing if _COPYRIGHT.search(line)]
    notices += [
        value
        for key in ("copyright", "dcterms.rightsholder")
        for value in signals.meta.get(key, ())
    ]
    credits = [value for key in _CREDIT_META for value in signals.meta.get(key, ())]
    if article is not None:
        notices += names_of(article.get("copyrightHolder"), signals.jsonld)
        credits += names_of(article.get("sourceOrganization"), signals.jsonld)
        credits += [text for text in [first_text(article.get("creditText"))] if text]
    credits += [found.group("agency") for line in closing if (found := _CREDIT_LINE.search(line))]
    votes = [(code, "copyright") for text in notices if (code := agency_of(text))]
    return votes + [(code, "credit") for text in credits if (code := agency_of(text))]


def _author_urls(signals: PageSignals, article: JsonNode | None) -> list[str]:
    urls = list(signals.author_links)
    urls += [value for value in signals.meta.get("article:author", ()) if "://" in value]
    if article is not None:
        authors = article.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, dict) and (url := first_text(author.get("url"))):
                urls.append(url)
    return urls
