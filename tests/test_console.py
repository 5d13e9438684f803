"""The console adapter end to end: a scripted conversation across an agent, an expert and an owner."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.parser import main
from tests.conftest import LOOP_SETTINGS

QUESTION = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "console.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    for name, value in LOOP_SETTINGS.items():
        monkeypatch.setenv(f"VRAAGBAAK_{name.upper()}", value)
    return path


def test_whole_loop_in_the_console(db: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    # The agent asks; nothing fits, so the question goes to the expert channel at once.
    out = run(["demo", "--as", "anna"], QUESTION + "\n", monkeypatch, capsys)
    assert "Demo geladen" in out and "Ik heb je vraag aan de experts gesteld" in out
    root = re.search(r"\[#([\w-]+) · bericht (\d+)\]", out)
    assert root, out
    channel, post = root.groups()

    # An expert, in another session, sees it in the inbox, answers in the thread and marks the answer.
    out = run(["chat", "--as", "piet", "--role", "expert"],
              f"/inbox\n/antwoord {post} Nee, particulieren krijgen geen vergunning. Bel 06-12345678.\n",
              monkeypatch, capsys)
    assert f"#{channel} · bericht {post}" in out
    reply = re.search(r"Reactie (\d+) geplaatst", out).group(1)
    out = run(["chat", "--as", "piet", "--role", "expert"], f"/markeer {reply}\n", monkeypatch, capsys)
    assert "Gemarkeerd als antwoord" in out and "Beantwoord door piet" in out
    assert "06-12345678" not in out and "[TELEFOON]" in out

    # The agent sees the relayed answer when she is back.
    out = run(["chat", "--as", "anna"], "/overzicht\n", monkeypatch, capsys)
    assert "Antwoord van piet op je vraag" in out and "particulieren krijgen geen vergunning" in out

    # The owner approves the logged answer; the same question is now answered directly.
    out = run(["chat", "--as", "kim", "--role", "owner"], "/beoordelen\n", monkeypatch, capsys)
    review = re.search(r"/goedkeuren (\d+)", out).group(1)
    run(["chat", "--as", "kim", "--role", "owner"], f"/goedkeuren {review}\n", monkeypatch, capsys)
    out = run(["chat", "--as", "bram"], QUESTION + "\n", monkeypatch, capsys)
    assert "Dit antwoord past het best" in out and "particulieren krijgen geen vergunning" in out
    assert "Voorlopig" not in out


def test_ask_prints_decision_articles_and_people_as_json(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat"], "", monkeypatch, capsys)
    out = run(["ask", "--json", "hoe vraag ik een paspoort aan"], "", monkeypatch, capsys)
    found = json.loads(out)
    assert found["decision"] == "answer" and found["articles"][0]["id"] == "nl-paspoort-aanvragen"
    assert found["people"] and all({"name", "title", "department", "score"} <= set(p) for p in found["people"])
    text = run(["ask", "hoe vraag ik een paspoort aan"], "", monkeypatch, capsys)
    assert "Paspoort aanvragen" in text and "/nuttig" in text


def test_unknown_command_and_errors_keep_the_console_running(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat"], "", monkeypatch, capsys)
    out = run(["chat", "--as", "anna"], "/bestaatniet\n/markeer 999\n/goedkeuren 1\nhoe vraag ik een paspoort aan\n",
              monkeypatch, capsys)
    assert "begrijp ik niet" in out and "kennisbeheerders" in out and "Paspoort aanvragen" in out


def test_synonyms_and_review_commands(db: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat"], "", monkeypatch, capsys)
    assert "grofvuil: bankstel" in run(["synonyms", "add", "grofvuil", "bankstel"], "", monkeypatch, capsys)
    assert "grofvuil:" in run(["synonyms", "list"], "", monkeypatch, capsys)
    assert "Niets te beoordelen" in run(["review", "list"], "", monkeypatch, capsys)
    assert main(["review", "approve"]) == 2


def test_python_dash_m_runs_the_cli(db: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "demo", "--no-chat"], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    assert "Demo geladen" in done.stdout


@pytest.mark.parametrize(("argv", "says"), [
    (["import", "people", "--from", "slack"], "SLACK_BOT_TOKEN"),
    (["import", "people", "--from", "graph"], "MICROSOFT_APP_ID"),
    (["serve", "slack"], "SLACK_BOT_TOKEN"),
    (["serve", "teams"], "MICROSOFT_APP_ID"),
])
def test_platform_commands_without_credentials_say_what_is_missing_and_contact_nobody(
        db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
        says: str) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD",
                 "MICROSOFT_APP_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(db.parent / "none.env"))
    assert main(argv) == 2
    assert says in capsys.readouterr().err
