"""Benchmark of the cleaning stage against trafilatura and readability-lxml.

Scores the article-body set with the Zyte benchmark's 4-gram shingle metric and the
snippets set with its with/without passages (see shared/eval/README.md). Every tool
gets the same decoded page text and is timed on it page by page, in one process, in
CPU seconds (one core): copydesk's time includes parsing the page with lxml, as the
reference tools' includes theirs. Interleaving the tools makes the speed ratio
survive a busy machine. The reference tools are the optional ``bench`` extra and are
imported only when run.

    python -m worker.bench.extract [--limit N] [--only TOOL ...] [--skip-reference]
                                   [--show-worst K]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from config.settings import get_settings
from worker.bench.evalsets import article_body_cases, snippet_cases
from worker.clean import extract_body
from worker.encoding import decode_html
from worker.html import parse_html

_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
#: The benchmark compares word 4-grams ("shingles").
SHINGLE_SIZE = 4

Extractor = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Quality:
    """Precision and recall of one tool on one set, and their harmonic mean."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class ShingleMatch:
    """Shared, extra and missed shingles of one page, as fractions of their sum."""

    true_positive: float
    false_positive: float
    false_negative: float


@dataclass(frozen=True, slots=True)
class SnippetCount:
    """Passages of one page found in the extracted text."""

    wanted_found: int
    wanted_missed: int
    unwanted_found: int


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of ``text`` (one if it is shorter)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    last_start = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[start : start + size]) for start in range(last_start))


def shingle_match(truth: str, prediction: str) -> ShingleMatch:
    """Compare a prediction to the true text, shingle by shingle, counting repeats."""
    expected, predicted = shingles(truth), shingles(prediction)
    shared = sum((expected & predicted).values())
    extra = sum((predicted - expected).values())
    missed = sum((expected - predicted).values())
    total = shared + extra + missed
    if not total:
        return ShingleMatch(0.0, 0.0, 0.0)
    return ShingleMatch(shared / total, extra / total, missed / total)


def page_precision_recall(match: ShingleMatch) -> tuple[float, float]:
    """The benchmark's per-page precision and recall (both 1 for a perfect page)."""
    if match.false_positive == 0 and match.false_negative == 0:
        return 1.0, 1.0
    if match.true_positive == 0:
        return 0.0, 0.0
    precision = match.true_positive / (match.true_positive + match.false_positive)
    recall = match.true_positive / (match.true_positive + match.false_negative)
    return precision, recall


def body_quality(pairs: Iterable[tuple[str, str]]) -> Quality:
    """Mean precision and recall over ``(truth, prediction)`` pages."""
    scores = [page_precision_recall(shingle_match(truth, got)) for truth, got in pairs]
    if not scores:
        return Quality(0.0, 0.0)
    return Quality(
        precision=sum(precision for precision, _ in scores) / len(scores),
        recall=sum(recall for _, recall in scores) / len(scores),
    )


def fold_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def snippet_count(text: str, wanted: Sequence[str], unwanted: Sequence[str]) -> SnippetCount:
    """Which passages of a page the extracted ``text`` holds, whitespace folded."""
    folded = fold_spaces(text)
    found = sum(fold_spaces(passage) in folded for passage in wanted)
    leaked = sum(fold_spaces(passage) in folded for passage in unwanted)
    return SnippetCount(found, len(wanted) - found, leaked)


def snippet_quality(counts: Iterable[SnippetCount]) -> Quality:
    """Precision and recall of passages summed over all pages."""
    found = missed = leaked = 0
    for count in counts:
        found += count.wanted_found
        missed += count.wanted_missed
        leaked += count.unwanted_found
    precision = found / (found + leaked) if found + leaked else 0.0
    recall = found / (found + missed) if found + missed else 0.0
    return Quality(precision, recall)


# --- the tools ----------------------------------------------------------------


def copydesk_text(html: str, url: str) -> str:
    root, _ = parse_html(html, get_settings().max_parse_chars)
    return extract_body(root, url).text


def trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def readability_text(html: str, url: str) -> str:
    from readability import Document

    summary = Document(html, url=url).summary(html_partial=True)
    root, _ = parse_html(summary, get_settings().max_parse_chars)
    return "" if root is None else str(root.text_content())


TOOLS: dict[str, Extractor] = {
    "copydesk": copydesk_text,
    "trafilatura": trafilatura_text,
    "readability": readability_text,
}


# --- running ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """A decoded evaluation page with what is known of it."""

    key: str
    url: str
    html: str
    truth: str = ""
    wanted: tuple[str, ...] = ()
    unwanted: tuple[str, ...] = ()


@dataclass(slots=True)
class Run:
    """One tool's outputs on one set and the CPU seconds spent producing them."""

    tool: str
    texts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def pages_per_second(self) -> float:
        return len(self.texts) / self.seconds if self.seconds else 0.0


def load_body_pages(limit: int | None) -> list[Page]:
    cases = islice(article_body_cases(), limit)
    return [
        Page(case.page_id, case.url, decode_html(case.html), truth=case.article_body)
        for case in cases
    ]


def load_snippet_pages(limit: int | None) -> list[Page]:
    cases = islice(snippet_cases(), limit)
    return [
        Page(
            case.url,
            case.url,
            decode_html(case.html),
            wanted=case.with_passages,
            unwanted=case.without_passages,
        )
        for case in cases
    ]


def run_tools(tools: Sequence[str], pages: Sequence[Page]) -> list[Run]:
    """Run every tool on every page, page by page so that a busy spell of the machine
    hits all tools alike; time is this process's CPU time (one core)."""
    runs = [Run(tool) for tool in tools]
    for page in pages:
        for run in runs:
            started = time.process_time()
            text = TOOLS[run.tool](page.html, page.url)
            run.seconds += time.process_time() - started
            run.texts.append(text)
    return runs


def score_body(pages: Sequence[Page], run: Run) -> Quality:
    return body_quality(zip((page.truth for page in pages), run.texts, strict=True))


def score_snippets(pages: Sequence[Page], run: Run) -> Quality:
    counts = (
        snippet_count(text, page.wanted, page.unwanted)
        for page, text in zip(pages, run.texts, strict=True)
    )
    return snippet_quality(counts)


def _report_line(run: Run, quality: Quality, reference_speed: float | None) -> str:
    speed = run.pages_per_second()
    ratio = f"{speed / reference_speed:5.2f}x" if reference_speed else "    -"
    return (
        f"  {run.tool:<12} F1 {quality.f1:.3f}  P {quality.precision:.3f}  "
        f"R {quality.recall:.3f}  {speed:7.1f} pages/s  {ratio} trafilatura"
    )


def _report_set(
    title: str,
    pages: Sequence[Page],
    tools: Sequence[str],
    scorer: Callable[[Sequence[Page], Run], Quality],
) -> list[Run]:
    runs = run_tools(tools, pages)
    reference = next((run for run in runs if run.tool == "trafilatura"), None)
    reference_speed = reference.pages_per_second() if reference else None
    print(f"{title} ({len(pages)} pages)")
    for run in runs:
        print(_report_line(run, scorer(pages, run), reference_speed))
    return runs


def _report_worst(pages: Sequence[Page], run: Run, count: int) -> None:
    scored = [
        (page_precision_recall(shingle_match(page.truth, text)), page.key, page.url)
        for page, text in zip(pages, run.texts, strict=True)
    ]
    scored.sort(key=lambda item: min(item[0]))
    print(f"worst {count} article-body pages for {run.tool}:")
    for (precision, recall), key, url in scored[:count]:
        print(f"  P {precision:.3f} R {recall:.3f}  {key[:12]}  {url}")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="pages per set")
    parser.add_argument(
        "--only", choices=sorted(TOOLS), action="append", help="run only these tools"
    )
    parser.add_argument(
        "--skip-reference", action="store_true", help="run copydesk alone (no bench extra)"
    )
    parser.add_argument("--show-worst", type=int, default=0, metavar="K")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    tools = ["copydesk"] if args.skip_reference else (args.only or list(TOOLS))
    body_pages = load_body_pages(args.limit)
    runs = _report_set("article-body", body_pages, tools, score_body)
    _report_set("snippets", load_snippet_pages(args.limit), tools, score_snippets)
    if args.show_worst:
        for run in runs:
            _report_worst(body_pages, run, args.show_worst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
