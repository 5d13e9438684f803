"""The console adapter end to end: a scripted conversation across an agent, an expert and an owner."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console.chat import ConsoleChat
from bot.parser import main
from handlers.replies import Message
from knowledge.sqlite import SqliteStore
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
    out = run(["demo", "--no-history", "--as", "anna"], QUESTION + "\n", monkeypatch, capsys)
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



def test_ask_is_a_dry_run_showing_decision_scores_and_people(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat", "--no-history"], "", monkeypatch, capsys)
    text = run(["ask", "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond?"], "", monkeypatch,
               capsys)
    assert "Besluit: " in text and re.search(r"^  0\.\d{3}  nl-", text, re.M) and "Mensen (score, naam):" in text
    assert "Expertkanaal bij escalatie: kcc-" in text and "Proefrun" in text and "Vraag van cli" not in text
    text = run(["ask", "hoe vraag ik een paspoort aan"], "", monkeypatch, capsys)
    assert "Besluit: antwoorden" in text and "nl-paspoort-aanvragen  Paspoort aanvragen" in text
    text = run(["ask", "hallo"], "", monkeypatch, capsys)  # no content: the bot asks for the question
    assert "Besluit: geen vraag" in text and "Wat is je vraag?" in text and "Artikelen" not in text
    assert "Expertkanaal" not in text
    # nothing recorded, posted or counted
    out = run(["chat", "--as", "piet", "--role", "expert"], "/inbox\n", monkeypatch, capsys)
    assert "Geen open expertvragen" in out
    assert "Deze week: 0 gevraagd" in run(["chat", "--as", "x"], "/overzicht\n", monkeypatch, capsys)


def test_ask_escalate_puts_the_question_to_the_experts(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat", "--no-history"], "", monkeypatch, capsys)
    out = run(["ask", "--escalate", "--as", "anna", "hoe vraag ik een paspoort aan"], "", monkeypatch, capsys)
    assert "Vraag van anna" in out and "Ik heb je vraag aan de experts gesteld in kcc-burgerzaken" in out
    out = run(["chat", "--as", "piet", "--role", "expert"], "/inbox\n", monkeypatch, capsys)
    assert "#kcc-burgerzaken · bericht 1: " in out
    assert main(["ask", "--json", "--escalate", "x"]) == 2


def test_unknown_command_and_errors_keep_the_console_running(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat"], "", monkeypatch, capsys)
    out = run(["chat", "--as", "anna"], "/bestaatniet\n/markeer 999\n/goedkeuren 1\nhoe vraag ik een paspoort aan\n",
              monkeypatch, capsys)
    assert "begrijp ik niet" in out and "kennisbeheerders" in out and "Paspoort aanvragen" in out


def test_synonyms_and_review_commands(db: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat", "--no-history"], "", monkeypatch, capsys)
    assert "grofvuil: bankstel" in run(["synonyms", "add", "grofvuil", "bankstel"], "", monkeypatch, capsys)
    assert "grofvuil:" in run(["synonyms", "list"], "", monkeypatch, capsys)
    assert "Niets te beoordelen" in run(["review", "list"], "", monkeypatch, capsys)
    assert main(["review", "approve"]) == 2


@pytest.mark.process
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


def test_commands_say_what_is_wrong(db: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat", "--no-history"], "", monkeypatch, capsys)
    out = run(["chat", "--as", "piet", "--role", "expert"],
              "/thread 99\n/antwoord 99 x\n/markeer 7\n/nuttig\n/nuttig 99\n/antwoord\n/goedkeuren\n/als\n"
              "/markeer-laatste 99\n",
              monkeypatch, capsys)
    assert "begrijp ik niet" not in out
    assert out.count("Bericht 99 bestaat niet") == 2 and "Bericht 7 bestaat niet" in out
    assert "Geef het nummer van het antwoord" in out and "Vraag 99 bestaat niet." in out
    assert "Geef het nummer van het bericht" in out and "Geef het nummer van het beoordelingsitem" in out
    assert "Zo gebruik je het: /als NAAM" in out and "Escalatie 99 bestaat niet." in out


def test_feedback_belongs_to_the_asker(db: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-chat"], "", monkeypatch, capsys)
    out = run(["chat", "--as", "anna"], "hoe vraag ik een paspoort aan\n", monkeypatch, capsys)
    question = re.search(r"/nuttig (\d+)", out).group(1)
    out = run(["chat", "--as", "bram"], f"/nuttig {question}\n/nietnuttig {question}\n", monkeypatch, capsys)
    assert out.count(f"Alleen wie vraag {question} stelde") == 2 and "experts gesteld" not in out
    out = run(["chat", "--as", "anna"], f"/nuttig {question}\n", monkeypatch, capsys)
    assert "Dank je, genoteerd." in out


def test_an_edit_without_text_asks_for_it_and_approves_nothing(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-history", "--as", "anna"], QUESTION + "\n", monkeypatch, capsys)
    run(["chat", "--as", "piet"], "/antwoord 1 Nee, dat mag niet.\n/markeer 2\n", monkeypatch, capsys)
    out = run(["chat", "--as", "kim", "--role", "owner"], "/bewerk 1 Vuurwerk in de tuin\n/beoordelen\n",
              monkeypatch, capsys)
    assert "Geef ook de tekst van het antwoord; er is niets goedgekeurd" in out and "/goedkeuren 1" in out
    assert main(["review", "edit", "1", "--title", "Vuurwerk"]) == 2
    # with the text: first what would change, nothing approved; /bevestig approves it
    out = run(["chat", "--as", "kim", "--role", "owner"], "/bewerk 1 Vuurwerk in de tuin | Nee, nooit.\n"
              "/beoordelen\n", monkeypatch, capsys)
    assert "Tekst was: Nee, dat mag niet." in out and "Tekst wordt: Nee, nooit." in out and "/bevestig" in out
    assert "/goedkeuren 1" in out  # still waiting for review
    out = run(["review", "edit", "1", "--title", "T", "--body", "B"], "", monkeypatch, capsys)
    assert "er is nog niets goedgekeurd" in out and "--yes" in out  # the command line shows it first too
    out = run(["chat", "--as", "kim", "--role", "owner"], "/bevestig\n/bewerk 1 Vuurwerk in de tuin | Nee, nooit."
              "\n/bevestig\n/bewerk 1 x | y\n", monkeypatch, capsys)
    assert "Er is geen bewerking om te bevestigen" in out  # a new session: nothing pending
    assert "Bewerkt en goedgekeurd: Vuurwerk in de tuin" in out
    assert "Al beoordeeld: goedgekeurd." in out
    assert main(["review", "edit", "1", "--title", "T", "--body", "B", "--yes"]) == 2  # already approved
    assert "Al beoordeeld" in capsys.readouterr().err


def test_synonyms_remove_only_what_is_named_and_list_one_term(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    run(["synonyms", "add", "aow", "ouderdomsuitkering", "pensioen", "staatspensioen"], "", monkeypatch, capsys)
    run(["synonyms", "add", "wmo", "zorg"], "", monkeypatch, capsys)
    out = run(["synonyms", "remove", "aow", "ouderdomsuitkering"], "", monkeypatch, capsys)
    assert "1 verwijderd; aow heeft nog: pensioen, staatspensioen" in out
    assert run(["synonyms", "list", "aow"], "", monkeypatch, capsys) == "aow: pensioen, staatspensioen\n"
    assert "wmo: zorg" in run(["synonyms", "list"], "", monkeypatch, capsys)
    assert "2 verwijderd; aow heeft nog: -" in run(["synonyms", "remove", "aow"], "", monkeypatch, capsys)
    assert "aow heeft geen synoniemen" in run(["synonyms", "list", "aow"], "", monkeypatch, capsys)


@pytest.mark.parametrize(("argv", "usage"), [
    (["synonyms", "add", "foo"], "vraagbaak synonyms add TERM SYNONIEM"),
    (["synonyms", "add"], "vraagbaak synonyms add TERM SYNONIEM"),
    (["synonyms", "remove"], "vraagbaak synonyms remove TERM [SYNONIEM...]"),
])
def test_synonyms_without_what_they_need_show_their_own_usage(
        argv: list[str], usage: str, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert usage in capsys.readouterr().err


def test_review_list_shows_the_command_line_s_commands_and_merge_warns_when_unrelated(
        db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run(["demo", "--no-history", "--as", "anna"], "Mag je een hond loslaten in het park zonder riem?\n/expert 1\n",
        monkeypatch, capsys)
    run(["chat", "--as", "piet"], "/antwoord 1 Nee, alleen in een losloopgebied.\n/markeer 2\n", monkeypatch, capsys)
    out = run(["review", "list"], "", monkeypatch, capsys)
    assert "vraagbaak review approve 1" in out and "vraagbaak review merge 1 --into" in out and "/goedkeuren" not in out
    assert main(["review", "merge", "1", "--into", "nl-paspoort-aanvragen"]) == 2
    err = capsys.readouterr().err
    assert "Niet samengevoegd" in err and "hond" in err and "--force" in err
    out = run(["chat", "--as", "kim", "--role", "owner"], "/samenvoegen 1 nl-paspoort-aanvragen\n", monkeypatch, capsys)
    assert "Niet samengevoegd" in out
    out = run(["review", "merge", "1", "--into", "nl-paspoort-aanvragen", "--force"], "", monkeypatch, capsys)
    assert "Samengevoegd met" in out


@pytest.mark.slow
def test_demo_plays_six_weeks_of_history_once(db: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["demo", "--no-chat"], "", monkeypatch, capsys)
    played = re.search(r"(\d+) vragen uit zes weken geschiedenis", out)
    assert played and int(played.group(1)) > 150, out
    again = run(["demo", "--no-chat"], "", monkeypatch, capsys)
    assert "0 vragen uit zes weken geschiedenis" in again  # a second run adds no second history
    out = run(["chat", "--as", "kim", "--role", "owner"], "/beoordelen\n", monkeypatch, capsys)
    assert "/goedkeuren" in out  # the experts' marked answers wait for review


def test_the_owner_list_holds_in_the_console_and_on_the_command_line(
        db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """With VRAAGBAAK_OWNERS set, only those owners act as one: ``--role owner``, ``/als NAAM owner`` and
    ``review --as`` refuse anyone else with the web console's wording; before, mallory approved."""
    run(["demo", "--no-history", "--as", "anna"], QUESTION + "\n", monkeypatch, capsys)
    run(["chat", "--as", "piet"], "/antwoord 1 Nee, dat mag niet.\n/markeer 2\n", monkeypatch, capsys)
    monkeypatch.setenv("VRAAGBAAK_OWNERS", "kim")
    refusal = "mallory is geen kennisbeheerder; alleen wie in VRAAGBAAK_OWNERS, VRAAGBAAK_SLACK_OWNERS of " \
              "VRAAGBAAK_TEAMS_OWNERS staat"

    monkeypatch.setattr(sys, "stdin", io.StringIO("/goedkeuren 1\n/bewerk 1 T | B\n/bevestig\n"))
    assert main(["chat", "--as", "mallory", "--role", "owner"]) == 2
    got = capsys.readouterr()
    assert refusal in got.err and len(got.err.strip().splitlines()) == 1 and "Goedgekeurd" not in got.out
    out = run(["chat", "--as", "mallory"], "/als mallory owner\n/goedkeuren 1\n", monkeypatch, capsys)
    assert refusal in out and "Alleen kennisbeheerders" in out and "Goedgekeurd" not in out
    for argv in (["review", "approve", "1", "--as", "mallory"], ["review", "list", "--as", "mallory"]):
        assert main(argv) == 2
        assert refusal in capsys.readouterr().err
    assert "/goedkeuren 1" in run(["chat", "--as", "Kim", "--role", "owner"], "/beoordelen\n", monkeypatch, capsys)

    out = run(["chat", "--as", "kim", "--role", "owner"], "/goedkeuren 1\n", monkeypatch, capsys)
    assert "Goedgekeurd" in out
    monkeypatch.setenv("VRAAGBAAK_OWNERS", "")  # no list: anyone may play the owner in the console, as before
    assert "Niets te beoordelen" in run(["chat", "--as", "mallory", "--role", "owner"], "/beoordelen\n",
                                        monkeypatch, capsys)


def test_a_dm_prints_once_for_its_reader_and_waits_unread_for_anyone_else(store: SqliteStore) -> None:
    printed: list[str] = []
    chat = ConsoleChat(store, out=printed.append)
    chat.viewer = "anna"
    chat.send(chat.direct("anna"), Message(text="Voor anna"))
    chat.send(chat.direct("piet"), Message(text="Voor piet"))
    assert len(printed) == 1 and "Voor anna" in printed[0]
    assert chat.unread("anna") == []  # shown already: not again as unread
    assert [m.text for m in chat.unread("piet")] == ["Voor piet"]
    assert chat.unread("piet") == []  # read once
    stored = store.rows("SELECT channel, read FROM console_messages ORDER BY id")
    assert stored == [{"channel": "@anna", "read": 1}, {"channel": "@piet", "read": 1}]
