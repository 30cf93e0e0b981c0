"""The README stays true: every setting and command it names exists, and vice versa."""

from __future__ import annotations

import re
from pathlib import Path

from config.settings import Settings
from worker.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    documented = set(re.findall(r"`COPYDESK_([A-Z0-9_]+)`", README))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "settings missing from the README's table"
    assert documented - fields == set(), "the README names settings that do not exist"


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    blocks = "".join(re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL))
    documented = set(re.findall(r"^copydesk ([a-z-]+)", blocks, flags=re.MULTILINE))
    assert documented <= set(cli.commands), documented - set(cli.commands)
    assert set(cli.commands) - documented == set(), "commands missing from the README"


def test_quick_start_is_one_block_of_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\w*\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1
    commands = blocks[0].strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("copydesk run") and "pytest" in commands[1]
