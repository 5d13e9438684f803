"""The console reads anything: invalid UTF-8, control characters, any alphabet, any length; each line that
is not blank gets a reply and the session goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import bootstrap
from bot.config import Settings
from bot.console.chat import ConsoleChat
from bot.console.session import ConsoleSession
from bot.parser import main
from tests.test_bounded import ANY_CHAR, MIXED

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[1]


def test_a_line_of_invalid_utf8_is_a_question_and_the_session_goes_on(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "console.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(db))
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(tmp_path / "none.env"))
    assert main(["demo", "--no-chat"]) == 0
    # Under a UTF-8 locale such as nl_NL.UTF-8 Python reads stdin strictly (only C and C.UTF-8 get
    # surrogateescape); this machine has no such locale, so say it the way Python would take it.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    stdin = b"\xff\xfe paspoort \xc3(\n\x00\x1b[2J\nhoe vraag ik een paspoort aan\n"
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--as", "anna"], input=stdin, capture_output=True,
                          env=env, cwd=ROOT, timeout=60)
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "anna> \ufffd\ufffd paspoort \ufffd(" in out
    assert "anna> hoe vraag ik een paspoort aan" in out and "Paspoort aanvragen" in out


@pytest.fixture(scope="module")
def session_parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ConsoleSession, list[str]]]:
    path = tmp_path_factory.mktemp("console") / "console.db"
    store = bootstrap.open_store(Settings(db_path=str(path)))
    bootstrap.load_demo(store)
    chat = ConsoleChat(store)
    printed: list[str] = []
    desk = bootstrap.build_desk(Settings(db_path=str(path)), chat, store=store)
    yield ConsoleSession(desk, chat, "anna", out=printed.append), printed
    store.close()


@settings(max_examples=60, deadline=None)
@given(line=st.one_of(st.text(ANY_CHAR, max_size=200), MIXED, st.text(ANY_CHAR, max_size=30).map(lambda t: "/" + t)))
def test_any_line_gets_a_reply(session_parts: tuple[ConsoleSession, list[str]], line: str) -> None:
    session, printed = session_parts
    session.switch("anna")
    printed.clear()
    session.run([line])
    text = line.strip()
    if not text or text.startswith("#") or text in ("/stop", "/quit"):
        return
    assert len(printed) >= 3, printed  # the greeting, the echo of the line, and a reply
    assert printed[2].strip()
