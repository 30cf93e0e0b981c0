"""Bylines from every source that prints one, for the authors and for agency evidence."""

from __future__ import annotations

from worker.metadata.agency import agency_of
from worker.metadata.authors import Byline, is_site_name, merge_names, parse_byline
from worker.metadata.jsonld import JsonNode, names_of, node_types, resolve
from worker.metadata.signals import PageSignals

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


def gather_bylines(
    signals: PageSignals, article: JsonNode | None, sites: tuple[str | None, ...]
) -> list[tuple[str, Byline]]:
    """Each source's byline that credits someone, best source first: the first one names
    the authors, all of them serve as agency evidence. Head sources may list several
    authors; on the visible page only the first byline counts (later ones are teasers)."""
    sources = {
        "json-ld author": _jsonld_authors(article, signals.jsonld),
        "meta author": [
            value
            for key in AUTHOR_META
            for value in signals.meta.get(key, ())
            if "://" not in value
        ],
        "microdata author": signals.itemprops.get("author", [])
        + signals.itemprops.get("creator", []),
    }
    bylines = [(source, _combine(texts, sites)) for source, texts in sources.items()]
    visible = (_combine([text], sites) for text in signals.bylines)
    bylines.append(("byline", next((found for found in visible if _credits(found)), Byline())))
    return [(source, byline) for source, byline in bylines if _credits(byline)]


def _credits(byline: Byline) -> bool:
    return bool(byline.names or byline.agencies)


def _combine(texts: list[str], sites: tuple[str | None, ...]) -> Byline:
    """One byline from several texts; names that are only the site's own name dropped."""
    parsed = [parse_byline(text) for text in texts]
    names = merge_names(byline.names for byline in parsed)
    return Byline(
        tuple(name for name in names if not is_site_name(name, sites)),
        tuple(dict.fromkeys(code for byline in parsed for code in byline.agencies)),
    )


def _jsonld_authors(article: JsonNode | None, nodes: tuple[JsonNode, ...]) -> list[str]:
    """Names of the article's JSON-LD authors (people and organisations alike: an
    organisation that is an agency is a credit, any other is dropped as no person)."""
    if article is None:
        return []
    values = article.get("author") or article.get("creator") or []
    names: list[str] = []
    for value in values if isinstance(values, list) else [values]:
        node = resolve(value, nodes)
        kinds = node_types(node) if isinstance(node, dict) else ()
        is_organisation = "organization" in kinds and "person" not in kinds
        for name in names_of(node, nodes):
            if not is_organisation or agency_of(name):
                names.append(name)
    return names
