from __future__ import annotations

from worker.html import parse_html


def test_an_encoding_declaration_anywhere_is_no_obstacle() -> None:
    for page in (
        '<?xml version="1.0" encoding="iso-8859-1"?><p>Grüße</p>',
        '<!-- served --><?xml version="1.0" encoding="iso-8859-1"?><p>Grüße</p>',
    ):
        root, truncated = parse_html(page, 1000)
        assert root is not None and root.text_content().strip() == "Grüße"
        assert truncated is False


def test_long_pages_are_cut_and_say_so() -> None:
    root, truncated = parse_html("<p>" + "word " * 1000 + "</p>", 100)
    assert root is not None and truncated is True
    assert len(root.text_content()) < 100


def test_control_characters_and_nul_bytes_do_not_stop_parsing() -> None:
    root, _ = parse_html("<p>one\x00two\x01three</p>", 1000)
    assert root is not None and "three" in root.text_content()


def test_nothing_to_parse() -> None:
    assert parse_html("", 10) == (None, False)
    assert parse_html("   \n", 10) == (None, False)


def test_a_declared_charset_does_not_change_the_decoded_text() -> None:
    for page in (
        '<html><head><meta charset="iso-8859-1"></head><body><p>Grüße, 日本</p></body></html>',
        '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis"><p>Grüße, 日本</p>',
    ):
        root, _ = parse_html(page, 1000)
        assert root is not None and root.text_content().strip() == "Grüße, 日本"
