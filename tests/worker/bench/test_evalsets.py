"""Where the evaluation sets are found: beside the repository or beside its origin."""

from __future__ import annotations

import subprocess
from pathlib import Path

from worker.bench.evalsets import _local_origin


def _git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True)


def test_a_clone_of_a_local_repository_knows_where_it_came_from(tmp_path: Path) -> None:
    origin, clone = tmp_path / "main", tmp_path / "scratch" / "clone"
    _git("init", "-q", str(origin))
    _git("clone", "-q", str(origin), str(clone))
    assert _local_origin(clone) == [origin]


def test_a_repository_without_a_local_origin_has_none(tmp_path: Path) -> None:
    _git("init", "-q", str(tmp_path / "main"))
    assert _local_origin(tmp_path / "main") == []
    assert _local_origin(tmp_path / "not-a-repository") == []
