"""Re-routing in the console end to end: an expert moves a question with /doorsturen (/reroute), the next similar
question goes to the learned channel, and an owner lists and undoes the lesson (/geleerd, /vergeet-route, and the
command line's learned-routes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_console import db, run  # noqa: F401  (the console's fixtures)

BENCH = "buurt wil een bankje in het park"


def test_an_expert_reroutes_and_the_next_similar_question_follows(
        db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    out = run(["demo", "--no-history", "--as", "anna"], BENCH + "\n", monkeypatch, capsys)
    post = re.search(r"\[#kcc-parkeren · bericht (\d+)\]", out).group(1)
    assert f"/doorsturen {post} KANAAL]" in out  # the hint names the post, as the other commands do

    out = run(["chat", "--as", "piet", "--role", "expert"],
              f"/antwoord {post} Dit is geen parkeervraag\n/doorsturen {post} kcc-nergens\n"
              f"/reroute {post} kcc-parkeren\n/doorsturen {post} #kcc-openbare-ruimte\n", monkeypatch, capsys)
    assert "Kanaal 'kcc-nergens' ken ik niet als expertkanaal. Kies een van:" in out
    assert "Deze vraag staat al in kcc-parkeren" in out
    moved = re.search(r"\[#kcc-openbare-ruimte · bericht (\d+)\]\n(.*?)\n\n", out, re.S)
    assert moved, out
    assert "Doorgestuurd vanuit kcc-parkeren door piet" in moved.group(2)
    assert "piet in kcc-parkeren: Dit is geen parkeervraag" in moved.group(2) and BENCH in moved.group(2)
    assert f"[#kcc-parkeren (thread {post})" in out and "Antwoord daar, niet hier" in out
    assert "Doorgestuurd naar kcc-openbare-ruimte. De vraagsteller hoort het" in out

    out = run(["chat", "--as", "anna"], "/overzicht\n", monkeypatch, capsys)
    assert "Je vraag is doorgestuurd naar kcc-openbare-ruimte" in out

    out = run(["chat", "--as", "bram"], "Mag de buurtvereniging een bankje in het park zetten?\n", monkeypatch, capsys)
    assert "[#kcc-openbare-ruimte · bericht" in out and "kcc-parkeren" not in out

    out = run(["chat", "--as", "kim", "--role", "owner"], "/learned\n", monkeypatch, capsys)
    lesson = re.search(r"\[(\d+)\] buurt bankje park → kcc-openbare-ruimte \(doorgestuurd, piet", out)
    assert lesson, out
    out = run(["chat", "--as", "piet", "--role", "expert"], f"/vergeet-route {lesson.group(1)}\n", monkeypatch,
              capsys)
    assert "Alleen kennisbeheerders" in out
    out = run(["learned-routes", "undo", lesson.group(1), "--as", "kim"], "", monkeypatch, capsys)
    assert f"Les {lesson.group(1)} is ongedaan gemaakt" in out
    out = run(["learned-routes", "list"], "", monkeypatch, capsys)
    assert "Routering heeft nog niets geleerd" in out
    out = run(["chat", "--as", "cor"], "Mag de buurt een bankje neerzetten in het park?\n", monkeypatch, capsys)
    assert "[#kcc-parkeren · bericht" in out  # the keyword rules again
