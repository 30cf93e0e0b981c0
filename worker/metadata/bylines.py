"""Bylines from every source that prints one, for the authors and for agency evidence."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from worker.metadata.agency import agency_of
from worker.metadata.authors import (
    MAX_FULL_NAME_WORDS,
    Byline,
    is_personal_name,
    is_site_name,
    merge_names,
    name_key,
    parse_byline,
    readable_name,
    without_site_handle,
)
from worker.metadata.jsonld import JsonNode, first_text, names_of, node_types, resolve
from worker.metadata.signals import (
    PageSignals,
    bylines_below,
    copyright_owners,
    data_authors,
    post_author_comments,
    signatures,
    visible_bylines,
)
from worker.metadata.text import fold

#: <meta> names that carry the author, most specific first.
AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
    "cxenseparse:author",
    "og:article:author",
)

_AUTHOR_LABEL = re.compile(
    r"written by|verfasst von|geschrieben von|autor|author|écrit par|escrito por|scritto da",
    re.IGNORECASE,
)
#: A line that credits its writer by a label: "Autor: Jane Doe", "Text: Jane Doe", "By Jane Doe".
_LABELLED_CREDIT = re.compile(
    r"(?:autor(?:in)?|author|text|written by)\s*:\s*\S|(?:von|by)\s+[^\W\d_]", re.IGNORECASE
)
#: A signature closes an article: only its last paragraphs are read, and only short ones.
_CLOSING_PARAGRAPHS = 3
_MAX_SIGNED_LINE_CHARS = 80
_TWITTER_FIELDS = 4
#: Capitalised words that follow a first name, up to where a person's description
#: goes on in lower case or punctuation: "Tom Roe - engineer", "Tom Roe is ...".
_SURNAME_WORDS = re.compile(r"(?:\s+[^\W\d_a-zß][\w'’-]*){1,2}(?=\s*(?:[-–—,:(|]|$)|\s+[a-zß])")


def gather_bylines(
    signals: PageSignals,
    article: JsonNode | None,
    sites: tuple[str | None, ...],
    body_text: str = "",
) -> list[tuple[str, Byline]]:
    """Each source's byline that credits someone, best source first: the first one names
    the authors, all of them serve as agency evidence. Head sources may list several
    authors; on the visible page only the first byline counts (later ones are teasers).

    The visible page is read only when the head names no person, or only weak names (a
    first name, a handle, the site's own name) that a printed byline may spell out:
    scanning it is the costliest step, and otherwise it could only add evidence for an
    agency. When it names no one either, a labelled signature closing ``body_text`` may,
    else the person whose copyright the page's footer prints.
    """
    people, untyped = _jsonld_authors(article, signals.jsonld)
    sources = {
        "json-ld author": untyped,
        "meta author": [
            value
            for key in AUTHOR_META
            for value in signals.meta.get(key, ())
            if "://" not in value
        ]
        + _twitter_author(signals),
        "microdata author": signals.itemprops.get("author", [])
        + signals.itemprops.get("creator", []),
    }
    bylines = [
        (source, _combine(texts, sites, structured=True)) for source, texts in sources.items()
    ]
    # A name typed Person stays even when it is also the site's name (a personal blog).
    typed = _combine(people, (), structured=True)
    bylines[0] = ("json-ld author", _merge(typed, bylines[0][1]))
    named = [byline.names for _source, byline in bylines if byline.names]
    if not named:
        bylines.append(("byline", _printed_byline(signals, sites, body_text)))
    elif all(_is_weak(name, sites) for name in named[0]):
        bylines = _fuller_first(bylines, named[0], signals, sites)
    return [(source, byline) for source, byline in bylines if _credits(byline)]


def _is_weak(name: str, sites: tuple[str | None, ...]) -> bool:
    """A name that may stand for a fuller one: a handle or first name ("Tom",
    "ana.la.roe"), or the site's own name typed as a person."""
    return " " not in name or is_site_name(name, sites)


def _fuller_first(
    bylines: list[tuple[str, Byline]],
    weak: tuple[str, ...],
    signals: PageSignals,
    sites: tuple[str | None, ...],
) -> list[tuple[str, Byline]]:
    """The bylines with the first that gives a full name for the weak ones put first:
    another head source's, else the printed byline's ("By Tom Roe" for "Tom")."""
    for index, (_source, byline) in enumerate(bylines):
        if _is_fuller(byline.names, weak, sites):
            return [bylines[index], *bylines[:index], *bylines[index + 1 :]]
    printed = _visible_byline(signals, sites)
    if _is_fuller(printed.names, weak, sites):
        return [("byline", printed), *bylines]
    return bylines


def _is_full_name(name: str, sites: tuple[str | None, ...]) -> bool:
    return 1 < len(name.split()) <= MAX_FULL_NAME_WORDS and not is_site_name(name, sites)


def _is_fuller(
    names: tuple[str, ...], weak: tuple[str, ...], sites: tuple[str | None, ...]
) -> bool:
    """Whether ``names`` hold a full name that spells out a weak one, or stands for a
    person where the head only gave the site's name or an account ("user4711"): a short
    one, where four words and more are likelier a company's."""
    if not names or not all(_is_full_name(name, sites) for name in names):
        return False
    stand_ins = [
        name_key(name)
        for name in weak
        if not is_site_name(name, sites) and not any(char.isdigit() for char in name)
    ]
    return all(any(name_key(name).startswith(key) for name in names) for key in stand_ins)


def _printed_byline(signals: PageSignals, sites: tuple[str | None, ...], body_text: str) -> Byline:
    """The byline the page prints, else a labelled signature, else the footer's owner;
    a first name or initials in it spelt out where the author page's address can tell."""
    printed = _visible_byline(signals, sites)
    if not printed.names:
        signed = _signature(body_text, sites)
        printed = _merge(printed, signed if signed.names else _owner(signals))
    return _spelled_by_slug(printed, signals)


def _owner(signals: PageSignals) -> Byline:
    """The person whose copyright the page's footer prints, on a page that credits no
    one else: a personal site's owner wrote it (a company that owns one is no author)."""
    for owner in copyright_owners(signals.scope):
        if parse_byline(owner).names == (owner,) and is_personal_name(owner):
            return Byline((owner,))
    return Byline()


def _spelled_by_slug(byline: Byline, signals: PageSignals) -> Byline:
    """A first name or initials ("Don", "DT") that the author page's address spells out
    ("/author/dontownsend/") and the page prints in full: the full name."""
    if len(byline.names) != 1 or " " in byline.names[0] or signals.scope is None:
        return byline
    short = name_key(byline.names[0])
    page = signals.scope.getroottree().getroot()
    for slug in dict.fromkeys(_slug_keys(signals.author_links)):
        full = _printed_in_full(page, slug, short) if slug != short else None
        if full:
            return Byline((full,), byline.agencies)
    return byline


def _printed_in_full(page: HtmlElement, slug: str, short: str) -> str | None:
    """A text of the page that is a full name with the slug's letters, of which
    ``short`` is the first name or the initials."""
    for text in page.itertext():
        full = fold(text)
        if len(full) > _MAX_SIGNED_LINE_CHARS or name_key(full) != slug:
            continue
        if _abbreviates(short, full) and parse_byline(full).names == (full,):
            return full
    return None


def _slug_keys(links: tuple[str, ...]) -> list[str]:
    return [name_key(link.rstrip("/").rsplit("/", 1)[-1]) for link in links]


def _abbreviates(short: str, full: str) -> bool:
    """Whether a name's key is its first name or its initials: "don", "dt"."""
    initials = "".join(word[0] for word in full.split()).casefold()
    return name_key(full).startswith(short) or short == initials


def _visible_byline(signals: PageSignals, sites: tuple[str | None, ...]) -> Byline:
    """The first printed byline that credits someone: near the headline, else in the
    elements that follow it (some pages print it below the article, or in a block
    further from a deeply set headline than the scope reaches), else the first post's
    author that forum software states in a data attribute."""
    for texts in (
        visible_bylines(signals.scope, signals.headline),
        bylines_below(signals.headline, signals.scope),
        data_authors(signals.scope),
        post_author_comments(signals.scope),
        signatures(signals.headline),
    ):
        found = next(
            (byline for text in texts if _credits(byline := _combine([text], sites))), None
        )
        if found is not None:
            return found
    return Byline()


def _signature(body_text: str, sites: tuple[str | None, ...]) -> Byline:
    """The writer a labelled line at the article's end names ("Autor: Jane Doe"), as
    pages print where no byline tops the article."""
    closing = [line.strip() for line in body_text.split("\n") if line.strip()]
    for line in closing[-_CLOSING_PARAGRAPHS:]:
        if len(line) <= _MAX_SIGNED_LINE_CHARS and _LABELLED_CREDIT.match(line):
            byline = _combine([line], sites)
            if byline.names:
                return Byline(byline.names)
    return Byline()


def _twitter_author(signals: PageSignals) -> list[str]:
    """The value of a Twitter card field labelled as the author ("Written by", "Verfasst
    von"...), as blog software writes it."""
    for number in range(1, _TWITTER_FIELDS + 1):
        label = signals.first_meta(f"twitter:label{number}") or ""
        value = signals.first_meta(f"twitter:data{number}")
        if value and _AUTHOR_LABEL.search(label):
            return [value]
    return []


def _merge(first: Byline, second: Byline) -> Byline:
    return Byline(
        merge_names([first.names, second.names]),
        tuple(dict.fromkeys(first.agencies + second.agencies)),
    )


def _credits(byline: Byline) -> bool:
    return bool(byline.names or byline.agencies)


def _combine(
    texts: list[str], sites: tuple[str | None, ...], *, structured: bool = False
) -> Byline:
    """One byline from several texts; names that are only the site's own name dropped.

    A structured field (meta, JSON-LD) whose names are all in capitals keeps them: that
    is the site's style, as it prints them. One name in capitals among others is not.
    """
    parsed = [parse_byline(text, as_printed=structured) for text in texts]
    names = merge_names(
        [without_site_handle(name, sites) for name in byline.names] for byline in parsed
    )
    if structured and not all(name.isupper() for name in names):
        names = merge_names([map(readable_name, names)])
    return Byline(
        tuple(name for name in names if not is_site_name(name, sites)),
        tuple(dict.fromkeys(code for byline in parsed for code in byline.agencies)),
    )


def _jsonld_authors(
    article: JsonNode | None, nodes: tuple[JsonNode, ...]
) -> tuple[list[str], list[str]]:
    """Names of the article's JSON-LD authors: those typed Person, and the others (bare
    strings, agencies). An organisation that is no agency is no person and is dropped.
    A page whose article names no author but whose graph holds a single Person (as blog
    software writes it) is taken to be by that person."""
    values = (article or {}).get("author") or (article or {}).get("creator")
    if not values:
        persons = [node for node in nodes if "person" in node_types(node)]
        values = persons if len(persons) == 1 else []
    people: list[str] = []
    others: list[str] = []
    for value in values if isinstance(values, list) else [values]:
        node = resolve(value, nodes)
        kinds = node_types(node) if isinstance(node, dict) else ()
        for name in names_of(node, nodes):
            if "person" in kinds:
                people.append(_spelled_out(name, node.get("description")))
            elif "organization" not in kinds or agency_of(name):
                others.append(name)
    return people, others


def _spelled_out(name: str, description: object) -> str:
    """A first name or handle spelt out by the person's own description, as blog
    software writes it: "Tom" described as "Tom Roe - engineer and cyclist"."""
    text = first_text(description) or ""
    if " " in name or not text.startswith(name):
        return name
    surname = _SURNAME_WORDS.match(text, len(name))
    return name + surname.group(0) if surname else name
