#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris, libFuzzer) of the stage functions.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_stages.py /tmp/copydesk-corpus fuzz/seeds -atheris_runs=200000

The first directory is the working corpus (libFuzzer adds the inputs that reach
new code), further ones are read-only seeds; every other ``-flag`` is libFuzzer's.
``COPYDESK_FUZZ_TARGETS=decode,extract`` fuzzes only those targets.
The targets and their invariants are those of the hypothesis properties
(``tests/fuzz/targets.py`` decodes an input, ``tests/fuzz/invariants.py`` checks
it); an input that breaks one is written as ``crash-<sha1>`` (see ``fuzz/README.md``
for turning it into a regression test).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Comma-separated target names to fuzz (default: all).
TARGETS_VARIABLE = "COPYDESK_FUZZ_TARGETS"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import atheris  # not a project dependency: only this harness needs it

    # Coverage feedback from copydesk's own code; lxml and the codecs are C.
    with atheris.instrument_imports(include=["worker", "tests.fuzz"]):
        from tests.fuzz.targets import TARGETS, run_input
    names = os.environ.get(TARGETS_VARIABLE, "")
    selected = {name.strip() for name in names.split(",") if name.strip()}
    atheris.Setup(sys.argv, _only(selected, TARGETS, run_input) if selected else run_input)
    atheris.Fuzz()


def _only(
    names: set[str], targets: Sequence[Callable[..., None]], run: Callable[[bytes], None]
) -> Callable[[bytes], None]:
    """``run`` restricted to the targets named (``decode``, ``extract``...): inputs for the
    others are skipped, so a known open bug in one stage does not stop the others' search."""
    known = {target.__name__.removesuffix("_target"): index for index, target in enumerate(targets)}
    if names - known.keys():
        raise SystemExit(f"unknown targets {sorted(names - known.keys())}; known: {sorted(known)}")
    wanted = {known[name] for name in names}

    def run_selected(data: bytes) -> None:
        if data and data[0] % len(targets) in wanted:
            run(data)

    return run_selected


if __name__ == "__main__":
    main()
