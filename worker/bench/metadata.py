"""Benchmark of metadata extraction (title, author, date) against trafilatura.

Scores exact matches (after folding whitespace) with the gold metadata of the snippets
set (see shared/eval/README.md), and times both tools on the same decoded pages in the
same run. Each tool parses the page itself in its timing; copydesk's body text (which
feeds the dateline and agency, not these three fields) comes from ``worker.clean``
when it imports, else from a crude text fallback, and the report says which.

    python -m worker.bench.metadata [--limit N] [--only copydesk] [--show-misses FIELD]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from worker.bench.evalsets import SnippetCase, snippet_cases
from worker.encoding import decode_html
from worker.html import HtmlElement, parse_html
from worker.metadata import extract_metadata

FIELDS = ("title", "author", "date")
_MAX_PARSE_CHARS = 3_000_000
#: How the gold data joins several authors in one string.
_GOLD_AUTHOR_SEPARATORS = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b)\s*")

#: A tool reads one page (html, url) into the three compared fields.
Reader = Callable[[str, str], dict[str, Any]]


@dataclass(slots=True)
class Tally:
    """Exact matches per field, pages seen and time spent by one tool."""

    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    seconds: float = 0.0
    pages: int = 0
    misses: list[tuple[str, str, object, object]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.totals[name] if self.totals[name] else 0.0


def fold(text: object) -> str:
    return " ".join(str(text).split()) if text else ""


def author_names(value: object) -> list[str]:
    """A list of folded names from a gold or predicted author value (string or list)."""
    if isinstance(value, (list, tuple)):
        return [fold(name) for name in value if fold(name)]
    return [fold(name) for name in _GOLD_AUTHOR_SEPARATORS.split(fold(value)) if fold(name)]


def matches(name: str, predicted: object, gold: object) -> bool:
    """Whether one predicted field equals the gold value, as the snippets set compares."""
    if not predicted:
        return False
    if name == "date":
        return str(predicted)[:10] == str(gold)
    if name == "author":
        return fold(predicted) == fold(gold) or author_names(predicted) == author_names(gold)
    return fold(predicted) == fold(gold)


def body_text_reader() -> tuple[Callable[[HtmlElement | None, str], str], str]:
    """``worker.clean``'s body text when that stage imports, else all paragraph text."""
    try:
        from worker.clean import extract_body
    except ImportError:
        return _crude_body_text, "crude <p> text (worker.clean did not import)"
    return (lambda root, url: extract_body(root, url).text), "worker.clean.extract_body"


def _crude_body_text(root: HtmlElement | None, _url: str) -> str:
    if root is None:
        return ""
    return "\n\n".join(fold(p.text_content()) for p in root.iter("p") if fold(p.text_content()))


def copydesk_reader(body_texts: dict[str, str]) -> Reader:
    """copydesk's metadata; body texts come precomputed (another stage's work, untimed)."""

    def read(html: str, url: str) -> dict[str, Any]:
        root, _ = parse_html(html, _MAX_PARSE_CHARS)
        metadata = extract_metadata(root, url, body_texts.get(url, ""))
        return {"title": metadata.title, "author": metadata.authors, "date": metadata.published}

    return read


def body_texts(pages: Sequence[tuple[SnippetCase, str]]) -> tuple[dict[str, str], str]:
    """Each page's body text (by URL) and which reader made them."""
    reader, source = body_text_reader()
    texts = {}
    for case, html in pages:
        root, _ = parse_html(html, _MAX_PARSE_CHARS)
        texts[case.url] = reader(root, case.url)
    return texts, source


def trafilatura_reader() -> Reader:
    from trafilatura.metadata import extract_metadata as trafilatura_metadata

    def read(html: str, url: str) -> dict[str, Any]:
        document = trafilatura_metadata(html, default_url=url)
        if document is None:
            return {}
        author = document.author.split("; ") if document.author else None
        return {"title": document.title, "author": author, "date": document.date}

    return read


def run(reader: Reader, pages: Sequence[tuple[SnippetCase, str]], keep_misses: str | None) -> Tally:
    tally = Tally()
    for case, html in pages:
        started = time.perf_counter()
        predicted = reader(html, case.url)
        tally.seconds += time.perf_counter() - started
        tally.pages += 1
        for name in FIELDS:
            gold = case.gold.get(name)
            if not gold:
                continue
            tally.totals[name] += 1
            if matches(name, predicted.get(name), gold):
                tally.hits[name] += 1
            elif name == keep_misses:
                tally.misses.append((case.url, name, gold, predicted.get(name)))
    return tally


def report(tallies: dict[str, Tally]) -> Iterable[str]:
    yield f"{'tool':<12} {'title':>16} {'author':>16} {'date':>16} {'pages/s':>9}"
    for tool, tally in tallies.items():
        cells = [
            f"{tally.hits[name]}/{tally.totals[name]} {tally.accuracy(name):6.1%}"
            for name in FIELDS
        ]
        speed = tally.pages / tally.seconds if tally.seconds else 0.0
        yield f"{tool:<12} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16} {speed:9.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument("--only", choices=("copydesk", "trafilatura"), default=None)
    parser.add_argument("--show-misses", choices=FIELDS, default=None)
    args = parser.parse_args(argv)

    pages = [(case, decode_html(case.html, None)) for case in islice(snippet_cases(), args.limit)]
    readers: dict[str, Reader] = {}
    body_source = "none (copydesk not run)"
    if args.only in (None, "copydesk"):
        texts, body_source = body_texts(pages)
        readers["copydesk"] = copydesk_reader(texts)
    if args.only in (None, "trafilatura"):
        readers["trafilatura"] = trafilatura_reader()
    tallies = {tool: run(reader, pages, args.show_misses) for tool, reader in readers.items()}
    print(f"snippets: {len(pages)} pages; copydesk body text from {body_source}")
    for line in report(tallies):
        print(line)
    for url, _name, gold, predicted in tallies.get("copydesk", Tally()).misses:
        print(f"  miss {url}\n     gold {gold!r}\n     got  {predicted!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
