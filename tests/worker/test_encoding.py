"""Decoding page bytes: BOM, header and <meta> first, detection when they are missing or wrong."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.encoding import decode_html

FRENCH = (
    "<html><body><p>Le ministre a déclaré qu’il était «très préoccupé» — "
    "déjà, les cafés ferment à Noël.</p></body></html>"
)
JAPANESE = (
    "<html><body><p>東京都の新しい条例について、記者会見が行われました。"
    "市民の皆様へのお知らせです。</p></body></html>"
)
RUSSIAN = "<html><body><p>Президент заявил о новых мерах поддержки экономики.</p></body></html>"
TURKISH = (
    "<html><body><p>Cumhurbaşkanı açıklama yaptı; "
    "şirketler için önemli değişiklik.</p></body></html>"
)


@pytest.mark.parametrize(
    ("text", "codec", "content_type"),
    [
        (FRENCH, "windows-1252", "text/html; charset=windows-1252"),
        (FRENCH, "windows-1252", None),  # missing charset
        (FRENCH, "windows-1252", "text/html"),
        (FRENCH, "windows-1252", "text/html; charset=utf-8"),  # wrong charset
        (FRENCH * 40, "windows-1252", None),  # long enough for detection to have a say
        (JAPANESE, "shift_jis", "text/html; charset=Shift_JIS"),
        (JAPANESE, "shift_jis", None),
        (JAPANESE, "shift_jis", "text/html; charset=utf-8"),
        (JAPANESE, "euc_jp", "text/html; charset=EUC-JP"),
        (RUSSIAN, "windows-1251", None),
        (TURKISH, "windows-1254", None),
        (FRENCH, "utf-8", "text/html; charset=iso-8859-1"),  # mislabelled UTF-8
        (JAPANESE, "utf-8", "text/html; charset=windows-1252"),
        (FRENCH, "utf-8", "text/html; charset=no-such-charset"),
    ],
)
def test_decodes_declared_missing_and_wrong_charsets(
    text: str, codec: str, content_type: str | None
) -> None:
    assert decode_html(text.encode(codec), content_type) == text


def test_meta_charset_is_read_when_the_header_has_none() -> None:
    page = JAPANESE.replace("<html>", '<html><head><meta charset="Shift_JIS"></head>')
    assert decode_html(page.encode("shift_jis"), "text/html") == page
    http_equiv = FRENCH.replace(
        "<html>", '<html><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    )
    assert decode_html(http_equiv.encode("cp1252"), None) == http_equiv


def test_xml_declaration_is_read() -> None:
    page = '<?xml version="1.0" encoding="windows-1251"?>' + RUSSIAN
    assert decode_html(page.encode("cp1251"), "application/xhtml+xml") == page


def test_shift_jis_label_decodes_cp932_extensions_as_browsers_do() -> None:
    page = "<p>①番目の記事～続報</p>"
    assert decode_html(page.encode("cp932"), "text/html; charset=Shift_JIS") == page


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_a_byte_order_mark_beats_any_label(bom: bytes, codec: str) -> None:
    assert decode_html(bom + FRENCH.encode(codec), "text/html; charset=windows-1252") == FRENCH


@pytest.mark.parametrize("label", ["undefined", "punycode", "base64", "no-such-codec"])
def test_a_label_naming_no_text_encoding_is_ignored(label: str) -> None:
    assert decode_html(FRENCH.encode("utf-8"), f"text/html; charset={label}") == FRENCH
    in_meta = f'<meta charset="{label}">{FRENCH}'
    assert decode_html(in_meta.encode("cp1252"), None) == in_meta


@given(st.binary(max_size=600), st.sampled_from([None, "text/html", "text/html; charset=utf-16"]))
def test_never_raises_on_arbitrary_bytes(body: bytes, content_type: str | None) -> None:
    assert isinstance(decode_html(body, content_type), str)
