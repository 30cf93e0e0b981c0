"""``copydesk run``: the Quick start's main job, on the embedded default, from an empty home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.workers import copydesk
from worker import embedded_redis

BIN = Path(sys.executable).parent


def test_run_processes_the_samples_on_embedded_redis_and_exits(tmp_path: Path) -> None:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("COPYDESK_", "XDG_"))
    }
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        [str(BIN / "copydesk"), "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data_dir = tmp_path / ".local" / "share" / "copydesk"
    assert (data_dir / "articles.sqlite3").exists()
    assert not embedded_redis.is_running(data_dir), "run must stop the Redis it started"
    assert "Traceback" not in result.stderr, result.stderr  # nothing left to fail at exit
    lines = result.stdout.splitlines()
    assert sum(line.startswith("stored") for line in lines) == 5
    assert any("Levee breach floods river town" in line and "AP" in line for line in lines)
    assert any("(3 copies)" in line for line in lines), result.stdout


def test_shutdown_stops_the_embedded_redis(tmp_path: Path) -> None:
    env = {"COPYDESK_DATA_DIR": str(tmp_path)}
    embedded_redis.ensure_running(tmp_path)
    assert copydesk(env, "shutdown").stdout.strip() == "embedded Redis stopped"
    assert not embedded_redis.is_running(tmp_path)
    assert copydesk(env, "shutdown").stdout.strip() == "embedded Redis was not running"
