"""The console and the command line speak the configured language (VRAAGBAAK_LANG): their own lines come from
the text catalogue."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.parser import main
from handlers.messages import t


def configure(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "console.db"))
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("VRAAGBAAK_LANG", lang)
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")  # the wording is tested here, not the embedding


def chat(lang: str, stdin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> str:
    configure(lang, tmp_path, monkeypatch)
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


@pytest.mark.parametrize(("lang", "loaded", "no_id", "no_file", "stopped"), [
    ("en", "Demo loaded into", "Give the number of the review item.", "Give a CSV or JSON file",
     "Import stopped; nothing from this file was imported:"),
    ("nl", "Demo geladen in", "Noem het nummer van het beoordelingsitem.", "Geef een CSV- of JSON-bestand",
     "Import gestopt; er is niets uit dit bestand geïmporteerd:"),
])
def test_the_command_line_answers_in_the_configured_language(
        lang: str, loaded: str, no_id: str, no_file: str, stopped: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    configure(lang, tmp_path, monkeypatch)
    assert main(["demo", "--no-chat"]) == 0
    out = capsys.readouterr().out
    assert loaded in out and {"en": "72 articles, 28 people", "nl": "72 artikelen, 28 personen"}[lang] in out
    one = tmp_path / "one.jsonl"
    one.write_text('{"id": "x1", "title": "Een"}\n')
    assert main(["import", "kb", str(one)]) == 0
    assert capsys.readouterr().out == {"en": "1 article imported\n", "nl": "1 artikel geïmporteerd\n"}[lang]
    assert main(["review", "approve"]) == 2
    assert no_id in capsys.readouterr().err
    assert main(["import", "people"]) == 2
    assert no_file in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\np1,\n")
    assert main(["import", "people", str(bad)]) == 2
    err = capsys.readouterr().err
    reason = {"en": "bad.csv:2: missing 'name'", "nl": "bad.csv:2: 'name' ontbreekt"}[lang]
    assert stopped in err and reason in err  # one language in one message: the reasons too


def test_the_console_names_a_role_once_and_in_the_reader_s_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    configure("nl", tmp_path, monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/als kim owner\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "je bent agent. /help" in out and "Je bent nu kim (kennisbeheerder)." in out


def test_review_errors_follow_the_configured_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    configure("en", tmp_path, monkeypatch)
    assert main(["review", "approve", "42"]) == 2
    assert capsys.readouterr().err == "vraagbaak: Review item 42 does not exist.\n"
