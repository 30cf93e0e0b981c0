"""The plainer fields: outlet, canonical URL, language, description, image, section, tags."""

from __future__ import annotations

import re

from worker.metadata.jsonld import JsonNode, first_text, names_of
from worker.metadata.signals import PageSignals
from worker.metadata.text import absolute_url, fold, host_of

_LANGUAGE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
_TAG_SPLIT = re.compile(r"\s*[,;]\s*")


def outlet(signals: PageSignals, article: JsonNode | None, url: str | None) -> str | None:
    """The site's name as it gives it, else the host name of the URL."""
    publisher = names_of(article.get("publisher"), signals.jsonld) if article else []
    named = signals.first_meta("og:site_name", "application-name", "publisher")
    name = fold(named or next(iter(publisher), None))
    if name:
        return name
    return host_of(url)


def canonical_url(signals: PageSignals, url: str | None) -> str | None:
    """The canonical link (or og:url) made absolute against the page URL."""
    found = signals.canonical or signals.first_meta("og:url")
    if not found:
        return None
    return absolute_url(url, found)


def language(signals: PageSignals, article: JsonNode | None) -> str | None:
    """An ISO 639-1 code from <html lang>, JSON-LD, og:locale or content-language."""
    candidates = (
        signals.html_lang,
        first_text(article.get("inLanguage")) if article else None,
        signals.first_meta("og:locale", "content-language", "language", "dc.language"),
    )
    for candidate in candidates:
        match = _LANGUAGE.match((candidate or "").strip())
        if match:
            return match.group(1).lower()
    return None


def description(signals: PageSignals, article: JsonNode | None) -> str | None:
    found = signals.first_meta("og:description", "description", "twitter:description")
    found = found or (first_text(article.get("description")) if article else None)
    return fold(found) or None


def image(signals: PageSignals, article: JsonNode | None, url: str | None) -> str | None:
    found = signals.first_meta("og:image", "og:image:url", "twitter:image", "twitter:image:src")
    found = found or (first_text(article.get("image")) if article else None)
    return absolute_url(url, found) if found else None


def section(signals: PageSignals, article: JsonNode | None) -> str | None:
    found = signals.first_meta("article:section", "parsely-section", "section")
    found = found or (first_text(article.get("articleSection")) if article else None)
    return fold(found) or None


def tags(signals: PageSignals, article: JsonNode | None) -> tuple[str, ...]:
    """Tags and keywords, each once, in the order the page gives them."""
    values = list(signals.meta.get("article:tag", ()))
    if not values:
        keywords = signals.first_meta("news_keywords", "keywords", "parsely-tags")
        keywords = keywords or (_jsonld_keywords(article) if article else None)
        values = _TAG_SPLIT.split(keywords or "")
    cleaned = (fold(value) for value in values)
    return tuple(dict.fromkeys(value for value in cleaned if value))


def _jsonld_keywords(article: JsonNode) -> str | None:
    keywords = article.get("keywords")
    if isinstance(keywords, list):
        return ",".join(str(word) for word in keywords if isinstance(word, str))
    return keywords if isinstance(keywords, str) else None
