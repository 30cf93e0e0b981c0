"""Every input the fuzzer (or a hypothesis property) broke a stage with, replayed.

Files in ``fuzz/regressions/`` are raw fuzz inputs in the layout of
:mod:`tests.fuzz.targets`; each must now pass its target's invariant. The seeds
in ``fuzz/seeds/`` replay too: they show the harness decodes what it is given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.targets import run_input

FUZZ_DIR = Path(__file__).resolve().parents[2] / "fuzz"
REGRESSIONS = FUZZ_DIR / "regressions"
SEEDS = FUZZ_DIR / "seeds"

#: Finds whose fix has not landed yet: file name -> (the exception it raises, why).
#: Each is a strict xfail, so the fix turns it red until its line here is removed.
OPEN_BUGS: dict[str, tuple[type[BaseException], str]] = {}


def _inputs(
    folder: Path, open_bugs: dict[str, tuple[type[BaseException], str]]
) -> list[pytest.ParameterSet]:
    cases = []
    for path in sorted(folder.iterdir()):
        marks = []
        if path.name in open_bugs:
            raised, reason = open_bugs[path.name]
            marks.append(pytest.mark.xfail(strict=True, raises=raised, reason=reason))
        cases.append(pytest.param(path, id=path.name, marks=marks))
    return cases


@pytest.mark.parametrize("path", _inputs(REGRESSIONS, OPEN_BUGS))
def test_fuzz_find_stays_fixed(path: Path) -> None:
    run_input(path.read_bytes())


@pytest.mark.parametrize("path", _inputs(SEEDS, {}))
def test_seed_keeps_its_invariant(path: Path) -> None:
    run_input(path.read_bytes())


def test_every_open_bug_names_a_saved_input() -> None:
    assert set(OPEN_BUGS) <= {path.name for path in REGRESSIONS.iterdir()}
