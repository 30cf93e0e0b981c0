"""Turning page bytes into text: declared charset first, detection last."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE
)
#: Browsers read a page's charset declaration from its first 1024 bytes (WHATWG).
_META_PREFIX = 4096
_MIN_DETECTABLE = 1024
_DETECT_PREFIX = 200_000
#: Labels that browsers decode as a superset (WHATWG encoding standard).
_SUPERSETS = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = _SUPERSETS.get(label.lower(), label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared(body: bytes, content_type: str | None) -> list[str]:
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:_META_PREFIX])
    labels = [header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None]
    return [codec for codec in map(_codec, labels) if codec]


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode ``body`` by its BOM, HTTP header or ``<meta>`` charset, else by detection.

    A declared charset that fails to decode strictly is distrusted (pages often
    claim UTF-8 and serve windows-1252); detection then decides. Never raises.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    for codec in [*_declared(body, content_type), "utf-8"]:
        text = _strict(body, codec)
        if text is not None:
            return text
    return body.decode(_detect(body), errors="replace")


def _detect(body: bytes) -> str:
    # Too little text misleads detection; mislabelled short pages are nearly always cp1252.
    if len(body) < _MIN_DETECTABLE:
        return "cp1252"
    best = from_bytes(body[:_DETECT_PREFIX]).best()
    return best.encoding if best else "cp1252"
