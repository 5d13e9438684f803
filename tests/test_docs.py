"""The README documents every command and setting; the set-up commands match what CI runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot import config
from bot.parser import parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands(p: argparse.ArgumentParser) -> list[str]:
    action = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def test_every_command_is_in_the_readme() -> None:
    for name in subcommands(parser()):
        assert f"vraagbaak {name}" in README, name


def test_every_import_kind_is_in_the_readme() -> None:
    top = parser()
    imports = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices["import"]
    for kind in subcommands(imports):
        assert f"vraagbaak import {kind}" in README, kind


def test_every_setting_is_in_the_readme() -> None:
    for setting in config.SETTINGS.values():
        assert f"`{setting.env}`" in README, setting.env


def test_ci_runs_the_readme_test_command() -> None:
    block = re.search(r"## Set-up.*?```sh\n(.*?)```", README, re.S)
    assert block
    install, test = block.group(1).strip().splitlines()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci and "pip install --quiet -e '.[dev]'" in ci and "vraagbaak demo" in install
