"""One fuzz input, as bytes, to one stage call and its invariant.

The atheris harness (``fuzz/fuzz_stages.py``) feeds :func:`run_input` the bytes
libFuzzer mutates; ``test_regressions.py`` feeds it the files saved in
``fuzz/regressions/``. Both decode the bytes the same way, so a saved input
replays exactly what the fuzzer ran, with or without atheris installed.

Layout of an input: the first byte picks the target (modulo the number of
targets, in the order of :data:`TARGETS`); the target then reads its arguments
from the rest with a :class:`ByteReader`. Text is read as UTF-8 with
``surrogateescape``, so every byte string is some text, lone surrogates included.
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from tests.fuzz.invariants import (
    check_address,
    check_decode,
    check_dedup_symmetry,
    check_extract,
    check_manifest_line,
    check_normalize,
    check_parse,
    check_url_gate,
    resolves_offline,
)
from worker.models import RawPage
from worker.safety import AddressPolicy

SAMPLE_PAGE = b"<html><head><title>A page</title></head><body><p>Some text.</p></body></html>"
#: The parse limits a run may use: none left, tiny, small, the default.
PARSE_LIMITS = (0, 1, 500, 20_000, 3_000_000)
_NO_ALLOWLIST = AddressPolicy()


class ByteReader:
    """Reads typed arguments off a fuzz input; past its end every read is empty or zero."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def take(self, size: int) -> bytes:
        chunk = self._data[self._at : self._at + size]
        self._at += len(chunk)
        return chunk

    def number(self, limit: int) -> int:
        """An integer from 0 to ``limit``, read from two bytes."""
        return int.from_bytes(self.take(2), "big") % (limit + 1)

    def choice(self, options: tuple[int, ...]) -> int:
        return options[self.number(255) % len(options)]

    def text(self) -> str:
        """A length-prefixed text (two bytes of length)."""
        return _as_text(self.take(self.number(0xFFFF)))

    def optional_text(self) -> str | None:
        """None when the flag byte is even, else a text."""
        flag = self.take(1)
        return self.text() if flag and flag[0] % 2 else None

    def rest(self) -> bytes:
        return self.take(len(self._data))

    def rest_text(self) -> str:
        return _as_text(self.rest())


def _as_text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _sample_pages() -> dict[str, bytes | None]:
    """Pages a manifest line may name: good, gzipped, corrupt, truncated, empty, a folder (None)."""
    packed = gzip.compress(SAMPLE_PAGE)
    return {
        "page.html": SAMPLE_PAGE,
        "page.html.gz": packed,
        "corrupt.html.gz": packed[:10] + b"\xff" * 8 + packed[18:],
        "truncated.html.gz": packed[:-12],
        "empty.html": b"",
        "folder.html": None,
    }


SAMPLE_PAGES = _sample_pages()


def write_sample_pages(folder: Path) -> None:
    for name, content in SAMPLE_PAGES.items():
        if content is None:
            (folder / name).mkdir(exist_ok=True)
        else:
            (folder / name).write_bytes(content)


@cache
def _pages_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="copydesk-fuzz-"))
    write_sample_pages(folder)
    return folder


def decode_target(reader: ByteReader) -> None:
    content_type = reader.optional_text()
    check_decode(reader.rest(), content_type)


def parse_target(reader: ByteReader) -> None:
    limit = reader.choice(PARSE_LIMITS)
    check_parse(reader.rest_text(), limit)


def extract_target(reader: ByteReader) -> None:
    url, content_type = reader.optional_text(), reader.optional_text()
    limit = reader.choice(PARSE_LIMITS)
    check_extract(RawPage(url=url, body=reader.rest(), content_type=content_type), limit)


def normalize_target(reader: ByteReader) -> None:
    check_normalize(reader.rest_text())


def manifest_target(reader: ByteReader) -> None:
    check_manifest_line(reader.rest_text(), _pages_dir())


def dedup_target(reader: ByteReader) -> None:
    """Two texts sharing a passage: the second is a trim of the first plus its own text."""
    first = reader.text()
    trimmed = first[reader.number(len(first)) :]
    published = reader.optional_text(), reader.optional_text()
    check_dedup_symmetry(first, trimmed + reader.rest_text(), *published)


def address_target(reader: ByteReader) -> None:
    port = reader.number(65535)
    host = reader.rest_text()
    if resolves_offline(host):
        check_address(host, port, _NO_ALLOWLIST)


def url_gate_target(reader: ByteReader) -> None:
    check_url_gate(reader.rest_text(), _NO_ALLOWLIST)


TARGETS: tuple[Callable[[ByteReader], None], ...] = (
    decode_target,
    parse_target,
    extract_target,
    normalize_target,
    manifest_target,
    dedup_target,
    address_target,
    url_gate_target,
)


def run_input(data: bytes) -> None:
    """Run the target the first byte names on the rest; raises when an invariant breaks."""
    if data:
        TARGETS[data[0] % len(TARGETS)](ByteReader(data[1:]))


def target_byte(target: Callable[[ByteReader], None]) -> bytes:
    """The first byte of an input meant for ``target`` (to write regression inputs by hand)."""
    return bytes([TARGETS.index(target)])
