"""What a page says about its article: title, authors, dates, outlet... and its wire agency.

Everything is read from one pass of signals over the parsed tree (``signals.collect``);
each field then takes the first trustworthy source in a fixed order of preference.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from worker.metadata import dates
from worker.metadata.bylines import gather_bylines
from worker.metadata.fields import (
    canonical_url,
    description,
    image,
    language,
    outlet,
    section,
    tags,
)
from worker.metadata.jsonld import JsonNode, find_article, first_text
from worker.metadata.signals import PageSignals, collect
from worker.metadata.text import host_of
from worker.metadata.title import choose_title
from worker.metadata.wire import detect_wire
from worker.models import Metadata

__all__ = ["extract_metadata"]


def extract_metadata(root: HtmlElement | None, url: str | None, body_text: str) -> Metadata:
    """Every metadata field the page (or, for an empty page, its URL) gives; never raises
    on bad metadata, and leaves ``root`` untouched."""
    if root is None:
        return Metadata(published=dates.url_date(url), outlet=host_of(url))
    signals = collect(root)
    article = find_article(signals.jsonld)
    site = outlet(signals, article, url)
    sites = (site, signals.first_meta("og:site_name"), host_of(url))
    bylines = gather_bylines(signals, article, sites, body_text)
    wire = detect_wire(signals, article, bylines, body_text)
    modified = dates.modified(signals, article)
    return Metadata(
        title=_title(signals, article, site),
        authors=bylines[0][1].names if bylines else (),
        published=dates.published(signals, article, root, url, modified),
        modified=modified,
        outlet=site,
        canonical_url=canonical_url(signals, url),
        language=language(signals, article),
        description=description(signals, article),
        image=image(signals, article, url),
        section=section(signals, article),
        tags=tags(signals, article),
        dateline=wire.dateline,
        agency=wire.agency,
        agency_evidence=wire.evidence,
    )


def _title(signals: PageSignals, article: JsonNode | None, site: str | None) -> str | None:
    headline = first_text(article.get("headline") or article.get("name")) if article else None
    head_titles = (
        headline,
        signals.first_meta("og:title"),
        signals.title_tag,
        signals.first_meta("twitter:title"),
    )
    return choose_title(head_titles, signals.headings, (site, signals.first_meta("og:site_name")))
