"""JSON-LD blocks: parsed once, flattened, and searched for the article they describe."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

JsonNode = dict[str, Any]

#: schema.org types whose node describes the article itself, most specific first.
ARTICLE_TYPES = (
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "article",
    "blogposting",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "posting",
    "recipe",
)
#: A high surrogate escape with its low partner (group 1), or any unpaired one.
_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
#: Types that describe the page rather than the article: a weaker, last resort.
PAGE_TYPES = ("webpage", "itempage", "aboutpage", "collectionpage")


def parse_blocks(texts: Iterable[str]) -> tuple[JsonNode, ...]:
    """Every object of every block, ``@graph`` members and list items flattened."""
    nodes: list[JsonNode] = []
    for text in texts:
        try:
            data = json.loads(_without_lone_surrogates(text), strict=False)
        except (ValueError, RecursionError):
            continue
        nodes.extend(_flatten(data))
    return tuple(nodes)


def _without_lone_surrogates(text: str) -> str:
    """``text`` with escapes of unpaired surrogates (``\\ud800``) made U+FFFD.

    json.loads turns such an escape into a character no store can write as UTF-8.
    """
    if not _SURROGATE_ESCAPE.search(text):
        return text
    return _SURROGATE_ESCAPE.sub(_replace_unpaired, text)


def _replace_unpaired(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) else "\\ufffd"


def _flatten(data: Any) -> Iterator[JsonNode]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph"))
        yield from _flatten(data.get("mainEntity"))


def node_types(node: JsonNode) -> tuple[str, ...]:
    """The node's ``@type`` names, lower-cased, whether given as a string or a list."""
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return tuple(str(name).lower() for name in kinds if isinstance(name, str))


def find_article(nodes: tuple[JsonNode, ...]) -> JsonNode | None:
    """The node describing the article: an article type first, else the web page."""
    for wanted in (ARTICLE_TYPES, PAGE_TYPES):
        for kind in wanted:
            for node in nodes:
                if kind in node_types(node):
                    return node
    return None


def resolve(value: Any, nodes: tuple[JsonNode, ...]) -> Any:
    """A bare ``{"@id": ...}`` reference replaced by the node it points to."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        for node in nodes:
            if node.get("@id") == value["@id"] and len(node) > 1:
                return node
    return value


def names_of(value: Any, nodes: tuple[JsonNode, ...]) -> list[str]:
    """The ``name`` strings of a person/organisation value given as string, node or list."""
    if isinstance(value, list):
        return [name for item in value for name in names_of(item, nodes)]
    value = resolve(value, nodes)
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [str(item) for item in name if isinstance(item, str)]
    return []


def first_text(value: Any) -> str | None:
    """A plain string from a value that may be a string, a list, or a node with a url/name."""
    if isinstance(value, list):
        return next((text for item in value if (text := first_text(item))), None)
    if isinstance(value, dict):
        return first_text(value.get("url") or value.get("contentUrl") or value.get("name"))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None
