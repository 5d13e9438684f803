"""The console speaks the configured language (VRAAGBAAK_LANG): its own lines come from the text catalogue."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.parser import main
from handlers.messages import t


def chat(lang: str, stdin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "console.db"))
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("VRAAGBAAK_LANG", lang)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["chat", "--as", "anna"]) == 0
    return capsys.readouterr().out


def test_the_console_speaks_english_when_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = chat("en", "/help\n/bestaatniet\n/inbox\n/as piet expert\n", tmp_path, monkeypatch, capsys)
    assert "Vraagbaak console: you are anna (agent). /help for the commands." in out
    assert "Commands (English or Dutch):" in out and "/reply M TEXT" in out
    assert "I do not understand that command." in out and "No open expert questions." in out
    assert "You are now piet (expert)." in out
    assert "Commando" not in out and "begrijp" not in out


def test_the_console_speaks_dutch_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = chat("nl", "/hulp\n/bestaatniet\n/inbox\n/als piet expert\n", tmp_path, monkeypatch, capsys)
    assert "Vraagbaak console: je bent anna (agent). /help voor commando's." in out
    assert t("console_help", "nl") in out and "/antwoord M TEKST" in out
    assert "Dat commando begrijp ik niet zo." in out and "Geen open expertvragen." in out
    assert "Je bent nu piet (expert)." in out
