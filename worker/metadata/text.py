"""Small text helpers shared by the metadata readers."""

from __future__ import annotations

import html


def fold(text: str | None) -> str:
    """Whitespace runs folded to one space, entities decoded, ends trimmed."""
    if not text:
        return ""
    return " ".join(html.unescape(text).split())
