"""Turning page bytes into text: declared charset first, detection last."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from charset_normalizer.utils import is_multi_byte_encoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
#: Browsers read a page's charset declaration from its first 1024 bytes (WHATWG);
#: pages with long heads put it later, so a little more is searched.
_META_PREFIX = 4096
_DETECT_PREFIX = 200_000
#: Codecs that browsers decode as a superset (WHATWG encoding standard): pages
#: labelled Shift_JIS use cp932's extra characters, those labelled GB2312 GBK's.
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _declared(body: bytes, content_type: str | None) -> list[str]:
    header = _HEADER_CHARSET.search(content_type or "")
    in_body = [pattern.search(body[:_META_PREFIX]) for pattern in (_XML_ENCODING, _META_CHARSET)]
    labels = [header.group(1) if header else None]
    labels += [match.group(1).decode("ascii") for match in in_body if match]
    return [codec for codec in map(_codec, labels) if codec]


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    # Not just UnicodeDecodeError: "undefined" and "punycode" raise a bare UnicodeError.
    except (UnicodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode ``body`` by its BOM, HTTP header or ``<meta>`` charset, else by detection.

    A declared charset that fails to decode strictly is distrusted (pages often
    claim UTF-8 and serve windows-1252); detection then decides. Never raises.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    for codec in _candidates(body, content_type):
        text = _strict(body, codec)
        if text is not None:
            return text
    return body.decode(_detect(body), errors="replace")


def _candidates(body: bytes, content_type: str | None) -> list[str]:
    # Non-ASCII bytes that form valid UTF-8 are UTF-8: other encodings produce such
    # sequences by accident almost never, while servers labelling UTF-8 pages
    # ISO-8859-1 by default are common.
    utf8_first = [] if body.isascii() else ["utf-8"]
    return [*utf8_first, *_declared(body, content_type), "utf-8"]


def _detect(body: bytes) -> str:
    matches = from_bytes(body[:_DETECT_PREFIX])
    best = matches.best()
    if best is None:
        return "cp1252"
    if is_multi_byte_encoding(best.encoding) or _strict(body, "cp1252") is None:
        return best.encoding
    # Single-byte code pages are hard to tell apart. charset-normalizer's chaos
    # score penalises the typographic marks (’ — «) windows-1252 keeps in
    # 0x80-0x9F, so on plain French it prefers cp1257; windows-1252 is the web's
    # default legacy encoding (WHATWG) and wins unless another code page reads
    # as a language more clearly (Turkish cp1254, Polish cp1250, Russian cp1251).
    western = next((m.percent_coherence for m in matches if m.encoding == "cp1252"), 0.0)
    return "cp1252" if western >= best.percent_coherence else best.encoding
