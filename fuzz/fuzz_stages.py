#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris, libFuzzer) of the stage functions.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_stages.py /tmp/copydesk-corpus fuzz/seeds -atheris_runs=200000

The first directory is the working corpus (libFuzzer adds the inputs that reach
new code), further ones are read-only seeds; every other ``-flag`` is libFuzzer's.
The targets and their invariants are those of the hypothesis properties
(``tests/fuzz/targets.py`` decodes an input, ``tests/fuzz/invariants.py`` checks
it); an input that breaks one is written as ``crash-<sha1>`` (see ``fuzz/README.md``
for turning it into a regression test).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import atheris  # not a project dependency: only this harness needs it

    # Coverage feedback from copydesk's own code; lxml and the codecs are C.
    with atheris.instrument_imports(include=["worker", "tests.fuzz"]):
        from tests.fuzz.targets import run_input
    atheris.Setup(sys.argv, run_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
