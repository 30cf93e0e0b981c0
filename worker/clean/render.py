"""The body as plain text and as minimal HTML."""

from __future__ import annotations

from collections.abc import Sequence

from worker.clean.segment import Block

_HTML_TAGS = {"h1": "h2", "h5": "h4", "h6": "h4"}


def as_text(blocks: Sequence[Block]) -> str:
    """One paragraph per block, a blank line between paragraphs."""
    return "\n\n".join(block.text for block in blocks if block.text)


def as_html(blocks: Sequence[Block], base_url: str | None) -> str:
    """Blocks as p, h2-h4, li (grouped in ul), blockquote and pre elements, links and
    images made absolute against ``base_url``."""
    parts: list[str] = []
    in_list = False
    for block in blocks:
        is_item = block.kind == "li"
        if is_item != in_list:
            parts.append("<ul>" if is_item else "</ul>")
            in_list = is_item
        tag = _HTML_TAGS.get(block.kind, block.kind)
        parts.append(f"<{tag}>{block.html(base_url)}</{tag}>")
    if in_list:
        parts.append("</ul>")
    return "\n".join(parts)
