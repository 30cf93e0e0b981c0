"""Publication and modification dates, as ISO 8601 strings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from itertools import chain

from dateutil import parser as dateutil_parser
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement

from worker.metadata.jsonld import JsonNode, first_text
from worker.metadata.signals import PageSignals
from worker.metadata.text import fold

#: <meta> names for the first publication, most trusted first.
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "published_time",
    "parsely-pub-date",
    "og:article:published_time",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "release_date",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
)
#: <meta> names of dates that do not say which: some sites put the last revision there,
#: so they come after every other source of the publication date.
PLAIN_DATE_META = (
    "sailthru.date",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "date",
    "citation_date",
    "created",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "last-modified",
    "lastmod",
    "dc.date.modified",
    "dcterms.modified",
    "modified",
    "og:article:modified_time",
    "parsely-updated-date",
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[^\d]|$)"
)
_URL_DAY_FIRST = re.compile(
    r"/(0?[1-9]|[12]\d|3[01])-(0?[1-9]|1[0-2])-((?:19|20)\d{2})(?:[/.?#]|$)"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MIN_YEAR = 1995
_FUTURE_TOLERANCE = timedelta(days=2)
#: The dates of e-mail and RSS ("Mon, 04 May 2020 10:15:00 +0000"): the e-mail parser
#: reads other texts too, but wrongly ("May 4, 2020 10:15 PM" as a morning).
_RFC_2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
#: Zone names printed after a time that name one zone: "IST" (India, Ireland or Israel),
#: "CST" (the US or China) and "BST" (Britain or Bangladesh) do not.
_ZONE_OFFSETS = {
    name: hours * 3600
    for name, hours in (
        ("EST", -5), ("EDT", -4), ("CDT", -5), ("MST", -7), ("MDT", -6), ("PST", -8),
        ("PDT", -7), ("AKST", -9), ("AKDT", -8), ("HST", -10), ("WET", 0), ("WEST", 1),
        ("CET", 1), ("CEST", 2), ("MEZ", 1), ("MESZ", 2), ("EET", 2), ("EEST", 3),
        ("JST", 9), ("KST", 9), ("AEST", 10), ("AEDT", 11),
    )
}  # fmt: skip
#: How much text around the headline is searched for a printed date.
_SHOWN_DATE_CHARS = 800
_MIDNIGHT_ELSEWHERE = re.compile(r"T2[23]:00:00(?:\.0+)?(?:\+00:00|Z)$")
_SMALL_HOURS_UTC = re.compile(r"T0[0-5]:\d\d(?::\d\d(?:\.\d+)?)?(?:\+00:00|Z)$")
#: How long after the date in its URL a page may go out.
_SLUG_TO_PUBLICATION = timedelta(days=7)
#: How far past the headline the first printed date is trusted over the markup's:
#: further down it is a date the article talks about.
_SHOWN_DATE_REACH = 300
#: How much text just above the headline is searched when none follows it.
_ABOVE_DATE_CHARS = 200
#: Letters that match an ASCII letter only in a case-blind pattern ("ı" an "i").
_ODD_CASES = "İıſK"


def _label_pattern(*labels: str) -> re.Pattern[str]:
    """The labels (regular expressions, each opening with a plain letter), in any case,
    at a word's start, with the colon and spaces after them. Set to open with a class of
    the labels' first letters, so that the engine skips ahead to them: a pattern that
    opens with a look-behind or a case-blind letter is tried at every character, over
    the whole page's text. Each alternative then checks its own first letter."""
    firsts = {
        char
        for label in labels
        for char in label[0].lower() + label[0].upper() + _ODD_CASES
        if re.fullmatch(label[0], char, re.IGNORECASE)
    }
    alternatives = "|".join(f"(?<={label[0]}){label[1:]}" for label in labels)
    return re.compile(rf"[{''.join(sorted(firsts))}](?<![^\W\d_]{{2}})(?i:{alternatives})\s*:?\s*")


#: Words that label a publication date in page text, the date right after them.
_DATE_LABEL = _label_pattern(
    "datum",
    "veröffentlicht(?: am)?",
    "erschienen(?: am)?",
    "erstellt(?: am)?",
    "published(?: on)?",
    "posted(?: on)?",
    "publié le",
    "publicado(?: el)?",
    "date",
)
_LABELLED_DATE_CHARS = 30
#: Words that label the day of a page's last revision, the date right after them.
_REVISION_LABEL = _label_pattern(
    "letzte änderung",
    "zuletzt (?:geändert|aktualisiert)(?: am)?",
    "aktualisiert(?: am)?",
    "stand",
    "last (?:updated|modified)(?: on)?",
    "updated(?: on)?",
)
#: Labels of dates that date something else than the page: the day a forum member
#: joined, the day a cited source was read. The date comes right after them.
_OTHER_DATE_LABEL = re.compile(
    r"(?<![^\W\d_])(?:registriert|registered|joined|mitglied seit|member since|dabei seit"
    r"|abgerufen(?: am)?|accessed(?: on)?|retrieved(?: on)?)\s*:?\s*$",
    re.IGNORECASE,
)
_OTHER_LABEL_CHARS = 20
#: Every text of the page, and those no reader sees: two plain scans cost a fifth of one
#: that tests each text's ancestors.
_ALL_TEXTS = etree.XPath("//text()", smart_strings=False)
_UNSEEN_TEXTS = etree.XPath(
    "//script/text() | //style/text() | //noscript//text() | //template//text()",
    smart_strings=False,
)
#: The texts a reader sees under an element (read on the few pages that come to it:
#: the ancestor tests cost little there).
_SEEN_TEXTS_UNDER = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]",
    smart_strings=False,
)
#: Whole-page wrappers, whose classes say what the page has ("comments-open"), not
#: what an element in it is.
_PAGE_TAGS = frozenset({"html", "body"})
#: Elements whose text no reader sees.
_UNSEEN_TAGS = frozenset({"script", "style", "noscript", "template"})


def normalise(value: str | None) -> str | None:
    """An ISO 8601 date or date-time (with its offset when given), or None if unreadable."""
    text = (value or "").strip()
    if not text or not any(char.isdigit() for char in text):
        return None
    parsed = _parse(text)
    return parsed.isoformat() if parsed is not None and _plausible(parsed) else None


def _parse(text: str) -> date | datetime | None:
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if _RFC_2822.match(text):
        try:
            return parsedate_to_datetime(text)
        except (ValueError, TypeError, IndexError):
            pass
    if not _YEAR.search(text):
        return None  # dateutil would fill a missing year, month or day with today's
    try:
        parsed: datetime = dateutil_parser.parse(text, dayfirst=_dayfirst(text), tzinfos=_zone)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed if ":" in text else parsed.date()  # no time given: a day, not midnight


def _zone(name: str | None, offset: int | None) -> int | None:
    """dateutil's ``tzinfos``: the printed offset, else the offset of a zone's name where
    it names one zone; else none, and the time stays local (dateutil would warn)."""
    return offset if offset is not None else _ZONE_OFFSETS.get((name or "").upper())


def _dayfirst(text: str) -> bool:
    """European order for dotted dates such as 04.03.2020."""
    return "." in text and "/" not in text


def _plausible(moment: date) -> bool:
    """Not before the web had news sites, nor far in the future (a typo or a placeholder)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return day.year >= _MIN_YEAR and day <= date.today() + _FUTURE_TOLERANCE


def published(
    signals: PageSignals,
    article: JsonNode | None,
    root: HtmlElement,
    url: str | None,
    revised: str | None,
) -> str | None:
    """The day the URL or the page's visible date line gives, else the date its markup
    states, else a date the page prints under a label, htmldate's reading of the page or
    the first date printed in its article. The markup's full date-time (with its zone)
    is kept whenever it falls on the same day as the shown one.

    The shown day wins a disagreement: markup dates are often in UTC or the time of a
    later republication, the printed day is the one readers (and editors) see; a less
    trusted markup date on that day then gives its time. But the URL's day yields to
    markup a few days later, and a date printed well below the headline to any markup
    (see ``_url_day`` and ``_shown_date``). ``revised`` is the page's :func:`modified`.
    """
    stated_dates = _stated_dates(signals, article)
    stated = next(stated_dates, None)
    stated_day = stated[:10] if stated else None
    shown = _url_day(url, stated) or _shown_date(
        signals, stated_day, _last_revision(revised, stated_day)
    )
    if shown and (stated is None or stated[:10] != shown):
        return next((found for found in stated_dates if found[:10] == shown), shown)
    return stated or _labelled_anywhere(root) or _htmldate(root, url) or _first_in_article(signals)


def _stated_dates(signals: PageSignals, article: JsonNode | None) -> Iterator[str]:
    """The publication dates the markup states, most trusted first (read lazily): <meta>
    names that say so, JSON-LD, microdata, the article's <time> elements, then <meta>
    dates that do not say which."""
    groups: Iterator[Iterable[str | None]] = chain(
        (signals.meta.get(key, ()) for key in PUBLISHED_META),
        ([first_text(article.get(key))] for key in ("datePublished", "dateCreated") if article),
        [signals.itemprops.get("datepublished", [])],
        [_article_times(signals.times)],
        (signals.meta.get(key, ()) for key in PLAIN_DATE_META),
    )
    for group in groups:
        for value in group:
            if found := normalise(value):
                yield _local_midnight(found)


def _article_times(times: Iterable[HtmlElement]) -> Iterator[str]:
    """The ``datetime`` of each <time> element but those of the comments under the
    article (a reader's post, days later), in document order."""
    for element in times:
        ancestors = (node for node in element.iterancestors() if node.tag not in _PAGE_TAGS)
        if not any(_is_comment(node) for node in ancestors):
            yield str(element.get("datetime"))


def _is_comment(element: HtmlElement) -> bool:
    return "comment" in f"{element.get('class', '')} {element.get('id', '')}".lower()


def _last_revision(revised: str | None, stated_day: str | None) -> str | None:
    """The day of the page's last revision, when it states one no earlier than the day
    of its publication."""
    if stated_day is None or revised is None or revised[:10] < stated_day:
        return None
    return revised[:10]


def _url_day(url: str | None, stated: str | None) -> str | None:
    """The URL's date, unless the markup states a day up to a week after it: a slug is
    made when the draft is, often days before it goes out. A time in the small hours
    of UTC is no later day: it is the evening before in the Americas."""
    in_url = url_date(url)
    if in_url is None or stated is None or _small_hours_in_utc(stated):
        return in_url
    delay = date.fromisoformat(stated[:10]) - date.fromisoformat(in_url)
    return stated[:10] if timedelta(0) <= delay <= _SLUG_TO_PUBLICATION else in_url


def _small_hours_in_utc(stated: str) -> bool:
    return bool(_SMALL_HOURS_UTC.search(stated))


def _local_midnight(stated: str) -> str:
    """The day meant by a date-time at 22:00 or 23:00 sharp in UTC: a date without a
    time, stored as midnight in a European zone and converted (the next day)."""
    if not _MIDNIGHT_ELSEWHERE.search(stated):
        return stated
    return (date.fromisoformat(stated[:10]) + timedelta(days=1)).isoformat()


def _shown_date(
    signals: PageSignals, stated_day: str | None, revised_day: str | None
) -> str | None:
    """The date printed by the headline and byline (see ``_printed_near_headline``),
    unless it falls days after the page's last revision: no page went out after its
    last change, so that is a deadline or an event the lead announces."""
    scope = signals.scope
    if scope is None:
        return None
    found = _printed_near_headline(signals, scope, stated_day)
    return None if found and _after_revision(found, revised_day) else found


def _after_revision(day: str, revised_day: str | None) -> bool:
    """Whether ``day`` falls more than a day after the last revision: a day's slack, as
    the revision's time may be in UTC."""
    if revised_day is None:
        return False
    return date.fromisoformat(day) - date.fromisoformat(revised_day) > timedelta(days=1)


def _printed_near_headline(
    signals: PageSignals, scope: HtmlElement, stated_day: str | None
) -> str | None:
    """The date printed by the headline and byline, as readers see it: the one nearest
    the headline, in the text that follows it or in the line or two just above it (a
    kicker such as "Datum: 03.11.2021"); further up is navigation. A printed date that
    agrees with the markup's day is taken at once (the usual case: the first printed
    may be a date the lead talks about)."""
    if signals.headline is None:
        printed = _dates_of_the_page(_leading_text(scope, _SHOWN_DATE_CHARS))
        return _agreeing(printed, stated_day) or _first_near(printed, stated_day, 0)
    # The headline's own text counts: some pages set the date inside the <h1>.
    headline = fold(signals.headline.text_content())
    after = _dates_of_the_page(f"{headline} {text_after(signals.headline, _SHOWN_DATE_CHARS)}")
    if agreeing := _agreeing(after, stated_day):
        return agreeing
    above = _dates_above(scope, signals.headline)
    if above and (not after or above[0][0] < after[0][0]):
        return above[0][1]
    return _first_near(after, stated_day, len(headline))


def _dates_of_the_page(text: str) -> list[tuple[int, str]]:
    """The dates printed in ``text`` but those labelled as dating something else (a
    forum member's "Registriert: 18.09.2008" beside a post, "abgerufen am" a source)."""
    return [
        (position, day)
        for position, day in printed_dates(text)
        if not _OTHER_DATE_LABEL.search(text, max(0, position - _OTHER_LABEL_CHARS), position)
    ]


def _leading_text(element: HtmlElement, limit: int) -> str:
    """The first ``limit`` characters of the element's text, folded, its pieces apart
    ("04.03.2020</p><p>Ein" keeps its date readable): read piece by piece, as the
    element may be the whole page."""
    pieces: list[str] = []
    size = 0
    for text in element.itertext():
        pieces.append(text)
        size += len(" ".join(text.split()))
        if size >= limit:
            break
    return fold(" ".join(pieces))[:limit]


def _agreeing(printed: list[tuple[int, str]], stated_day: str | None) -> str | None:
    return stated_day if any(day == stated_day for _start, day in printed) else None


def _first_near(printed: list[tuple[int, str]], stated_day: str | None, start: int) -> str | None:
    """The first printed date; against the markup's, only one printed close below
    ``start`` counts (further down it is a date the article talks about)."""
    if not printed or (stated_day is not None and printed[0][0] - start >= _SHOWN_DATE_REACH):
        return None
    return printed[0][1]


def _dates_above(scope: HtmlElement, headline: HtmlElement) -> list[tuple[int, str]]:
    """The dates printed just above the headline, each with its distance from it."""
    window = _text_before(headline, scope, _ABOVE_DATE_CHARS)
    dates_above = reversed(_dates_of_the_page(window))
    return [(len(window) - position, day) for position, day in dates_above]


def _text_before(element: HtmlElement, scope: HtmlElement, limit: int) -> str:
    """About ``limit`` characters of the text that precedes ``element`` inside ``scope``,
    folded: read backwards from it, never the whole page."""
    return " ".join(reversed(_walk_texts(element, _preceding_texts, scope, limit)))[-limit:]


def _preceding_texts(node: HtmlElement) -> Iterator[str]:
    """The texts before ``node`` back to its parent's start, nearest first."""
    for sibling in node.itersiblings(preceding=True):
        yield sibling.tail or ""
        if isinstance(sibling.tag, str) and sibling.tag not in _UNSEEN_TAGS:
            yield from reversed(list(sibling.itertext()))
    parent = node.getparent()
    yield (parent.text or "") if parent is not None else ""


def text_after(element: HtmlElement, limit: int) -> str:
    """About ``limit`` characters of the text that follows ``element`` in document order
    (its own tail, its next siblings, then its ancestors' next siblings), folded."""
    return " ".join(_walk_texts(element, _following_texts, None, limit))[:limit]


def _walk_texts(
    element: HtmlElement,
    texts_of: Callable[[HtmlElement], Iterator[str]],
    stop: HtmlElement | None,
    limit: int,
) -> list[str]:
    """The folded texts ``texts_of`` gives for ``element`` and each ancestor in turn (up
    to ``stop``), nearest first, until about ``limit`` characters are read."""
    pieces: list[str] = []
    size = 0
    node: HtmlElement | None = element
    while node is not None and node is not stop and size < limit:
        for piece in (" ".join(text.split()) for text in texts_of(node)):
            pieces.append(piece)
            size += len(piece) + 1
            if size >= limit:
                break
        node = node.getparent()
    return [piece for piece in pieces if piece]


def _following_texts(node: HtmlElement) -> Iterator[str]:
    """The tail of ``node``, then every text of its later siblings (markup boundaries
    become spaces, so "Headline</h1><p>10.11.2021" keeps its date readable)."""
    yield node.tail or ""
    for sibling in node.itersiblings():
        if isinstance(sibling.tag, str) and sibling.tag not in _UNSEEN_TAGS:
            yield from sibling.itertext()
        yield sibling.tail or ""


def modified(signals: PageSignals, article: JsonNode | None) -> str | None:
    """The last modification date the page states."""
    return _from_jsonld(article, "dateModified") or _first_valid(
        [
            *(signals.meta.get(key, ()) for key in MODIFIED_META),
            signals.itemprops.get("datemodified", []),
        ]
    )


def _from_jsonld(article: JsonNode | None, *keys: str) -> str | None:
    if article is None:
        return None
    return next((found for key in keys if (found := normalise(first_text(article.get(key))))), None)


def _first_valid(groups: Iterable[Iterable[str]]) -> str | None:
    """The first value of the first group that reads as a date."""
    for group in groups:
        for value in group:
            found = normalise(value)
            if found:
                return found
    return None


def url_date(url: str | None) -> str | None:
    """A date written in the URL path, as in ``/2020/03/04/slug`` or ``/news/04-03-2020``."""
    match = _URL_DATE.search(url or "")
    if match:
        year, month, day = (int(part) for part in match.groups())
    elif match := _URL_DAY_FIRST.search(url or ""):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _labelled_anywhere(root: HtmlElement) -> str | None:
    """For pages that state no date in their markup: a date printed anywhere in the
    page's text under a label of its publication ("Datum:", "Veröffentlicht am"), else
    of its last revision ("Letzte Änderung:", "Updated"). The page's own word beats
    htmldate's guesses (a comment's time, a placeholder such as a 1st of January), and
    its last revision is the nearest to its publication it gives."""
    text = " ".join(" ".join(piece.split()) for piece in seen_texts(root))
    return labelled_date(text) or labelled_date(text, _REVISION_LABEL)


def _htmldate(root: HtmlElement, url: str | None) -> str | None:
    """htmldate's date for pages that state none (it copies the tree).

    Not htmldate's extensive search: after every other source here, it finds 1 more
    right date of the 506 in the snippets set, but dates 33 of the 86 pages its gold
    leaves undated (many with a year's first day from their copyright line), and costs
    about 9 ms a page, four times all the rest of the metadata.
    """
    try:
        found: str | None = find_date(root, original_date=True, url=url, extensive_search=False)
    except Exception:  # a third-party heuristic: never let it fail the page
        found = None
    return found


def _first_in_article(signals: PageSignals) -> str | None:
    """The first date printed anywhere in the page's <article> or <main>: the last
    resort for pages that date themselves nowhere else (a signature such as "Jane,
    10. September 2017" or "Hamburg, den 2. Dezember 2022" under the text)."""
    scope = signals.scope
    if scope is None or scope.tag not in {"article", "main"}:
        return None
    # Each text on its own: a calendar's cells, read together, make dates.
    pieces = (" ".join(piece.split()) for piece in _SEEN_TEXTS_UNDER(scope))
    return next((found[0][1] for piece in pieces if (found := _dates_of_the_page(piece))), None)


def seen_texts(root: HtmlElement) -> list[str]:
    """The page's texts a reader sees, each apart ("Datum</span><span>04.03.2020" stays
    readable): all but those of scripts, styles and templates, taken out by value."""
    unseen = Counter(_UNSEEN_TEXTS(root))
    seen = []
    for text in _ALL_TEXTS(root):
        if unseen[text]:
            unseen[text] -= 1
        else:
            seen.append(text)
    return seen


def labelled_date(text: str, labels: re.Pattern[str] = _DATE_LABEL) -> str | None:
    """The first date printed right after a label: "Datum: 04.03.2020", "Published on
    March 4, 2020"."""
    for label in labels.finditer(text):
        found = first_printed(text[label.end() : label.end() + _LABELLED_DATE_CHARS])
        if found and found[0] == 0:
            return found[1]
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "januar", "janvier", "enero", "gennaio", "janeiro", "jan", "jänner"),
            ("february", "februar", "février", "febrero", "febbraio", "fevereiro", "feb"),
            ("march", "märz", "mars", "marzo", "março", "mar", "maart"),
            ("april", "avril", "abril", "aprile", "apr"),
            ("may", "mai", "mayo", "maggio", "maio", "mei"),
            ("june", "juni", "juin", "junio", "giugno", "junho", "jun"),
            ("july", "juli", "juillet", "julio", "luglio", "julho", "jul"),
            ("august", "août", "agosto", "aug", "augustus"),
            ("september", "septembre", "septiembre", "settembre", "setembro", "sep", "sept"),
            ("october", "oktober", "octobre", "octubre", "ottobre", "outubro", "oct", "okt"),
            ("november", "novembre", "noviembre", "novembro", "nov"),
            ("december", "dezember", "décembre", "diciembre", "dicembre", "dezembro", "dec", "dez"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: Dates as pages print them: 2020-03-04, 04.03.2020, 4. März 2020, 4 May, 2020,
#: 4 de mayo de 2020, March 4, 2020, 17/03/2020, 03/17/2020. Each form comes with what
#: its dates always hold, a cheap test before the form's pattern runs. A pattern that
#: opens with its first digit, and tests what stands before it only after it (``\d(?<!\w\d)``
#: for ``\b\d``), is scanned for much faster: the engine skips to the next digit.
_FULL_YEAR_DATES = (
    (
        re.compile(r"((?:19|20)(?<!\w\d\d)\d{2})-(\d{2})-(\d{2})\b"),
        ("year", "month", "day"),
        re.compile("-"),
    ),
    (
        re.compile(r"(\d(?<!\w\d)\d?)\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})\b"),
        ("day", "month", "year"),
        re.compile(r"\."),
    ),
    (
        re.compile(
            rf"(\d(?<!\w\d)\d?)\.?\s+(?:de\s+)?({_MONTH_NAMES})\.?,?\s+(?:del?\s+)?((?:19|20)\d{{2}})\b",
            re.I,
        ),
        ("day", "month", "year"),
        re.compile(r"\d\.?\s"),
    ),
    # Any word where the month's name goes, checked afterwards: an alternation of all
    # the names, tried at every word, costs more than all the other forms together.
    (
        re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b"),
        ("month", "day", "year"),
        re.compile(r"\d,?\s+(?:19|20)\d{2}"),
    ),
    # Slashed dates only where the order shows: a day above 12 first or second.
    (
        re.compile(r"(1[3-9]|2\d|3[01])(?<!\w\d\d)/(0?[1-9]|1[0-2])/((?:19|20)\d{2})\b"),
        ("day", "month", "year"),
        re.compile("/"),
    ),
    (
        re.compile(r"\b(0?[1-9]|1[0-2])/(1[3-9]|2\d|3[01])/((?:19|20)\d{2})\b"),
        ("month", "day", "year"),
        re.compile("/"),
    ),
)
#: A two-digit year, as in "31.10.23", but no part of a version or a longer number.
_SHORT_YEAR_DATES = (
    (
        re.compile(r"(\d(?<![\d.]\d)\d?)\.(\d{1,2})\.(\d{2})(?![\d.])"),
        ("day", "month", "year"),
        re.compile(r"\."),
    ),
)
_EVERY_DATE_FORM = _FULL_YEAR_DATES + _SHORT_YEAR_DATES
#: What every form but the two-digit year's holds: most texts searched have none.
_FULL_YEAR = re.compile(r"(?:19|20)\d{2}")


def printed_date(text: str) -> str | None:
    """The first date written in ``text`` in one of the common printed forms."""
    found = first_printed(text)
    return found[1] if found else None


def first_printed(text: str) -> tuple[int, str] | None:
    """The first date written in ``text`` in a common printed form, with where it starts."""
    found = printed_dates(text)
    return found[0] if found else None


def printed_dates(text: str) -> list[tuple[int, str]]:
    """Every date written in ``text`` in a common printed form, with where it starts,
    in the order they appear."""
    forms = _EVERY_DATE_FORM if _FULL_YEAR.search(text) else _SHORT_YEAR_DATES
    found = [
        (match.start(), day)
        for pattern, order, hint in forms
        if hint.search(text)
        for match in pattern.finditer(text)
        if (day := _printed(dict(zip(order, match.groups(), strict=True))))
    ]
    return sorted(found)


def _printed(parts: dict[str, str]) -> str | None:
    month = parts["month"]
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
    try:
        year = int(parts["year"])
        day = date(year + 2000 if year < 100 else year, number, int(parts["day"]))
    except ValueError:
        return None
    return day.isoformat() if _plausible(day) else None
