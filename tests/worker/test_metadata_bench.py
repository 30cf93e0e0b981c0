"""The metadata benchmark's scoring and report (worker/bench/metadata.py)."""

from __future__ import annotations

import pytest

from worker.bench.evalsets import eval_dir
from worker.bench.metadata import author_names, main, matches


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        (("Jane Doe", "John Roe"), "Jane Doe, John Roe"),
        (("Jane Doe", "John Roe"), "Jane Doe und John Roe"),
        (("Jane Doe", "John Roe"), "Jane Doe; John Roe"),
        (("Jane Doe", "John Roe"), ["Jane Doe", "John  Roe"]),
        (("Jane Doe",), "Jane  Doe "),
    ],
)
def test_authors_match_however_the_gold_joins_them(
    predicted: tuple[str, ...], gold: object
) -> None:
    assert matches("author", predicted, gold)


def test_fields_compare_exactly_after_folding_whitespace() -> None:
    assert matches("title", " A  headline\n", "A headline")
    assert not matches("title", "A Headline", "A headline")
    assert matches("date", "2020-03-04T10:00:00+01:00", "2020-03-04")
    assert not matches("date", None, "2020-03-04")
    assert author_names("Ana Lima & Ben Okafor") == ["Ana Lima", "Ben Okafor"]


def test_report_on_a_few_pages(capsys: pytest.CaptureFixture[str]) -> None:
    if not (eval_dir() / "snippets").exists():
        pytest.skip(f"no evaluation set at {eval_dir()}")
    assert main(["--limit", "5", "--only", "copydesk"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("snippets: 5 pages; copydesk body text from ")
    assert lines[2].startswith("copydesk ")
