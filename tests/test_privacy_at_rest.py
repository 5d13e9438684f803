"""Nothing unmasked at rest or in a log: a conversation full of personal data, then every column of every table
and every log line is searched for it."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logs

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[1]
ANNA = "Mijn BSN is 111222333, wanneer wordt mijn toeslag uitbetaald? Bel me op 06-12345678 of jan.jansen@example.nl"
BRAM = "Mijn BSN is 123456782, wanneer wordt mijn toeslag uitbetaald? IBAN NL91ABNA0417164300, 1234 AB 12"
EXPERT = "Voor BSN 111222333 op NL20INGB0001234567 wordt het 20 mei; bel terug op 0612345678 of mail piet.p@example.nl"
# Every piece of personal data above, as typed and in the forms it could be stored in.
SECRETS = ("111222333", "123456782", "06-12345678", "0612345678", "12345678", "jan.jansen", "example.nl",
           "NL91ABNA0417164300", "ABNA0417", "NL20INGB0001234567", "INGB0001", "1234 AB", "1234ab", "piet.p")


def every_value(db_path: Path) -> Iterator[tuple[str, str]]:
    """(table.column, text) for every value of every table, FTS shadow tables and blobs included."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM [{table}]")
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "ignore")
                    if isinstance(value, str):
                        yield f"{table}.{name}", value
    finally:
        conn.close()


DIGEST = re.compile(r"[0-9a-f]{32,}")  # a hash: its hex digits can spell "1234ab" by chance (CI, stop 25)


def leaks(haystack: str) -> list[str]:
    folded = DIGEST.sub(" ", haystack.lower())
    return [s for s in SECRETS if s.lower() in folded or re.sub(r"\W", "", s.lower()) in re.sub(r"\W", "", folded)
            and len(re.sub(r"\W", "", s)) >= 9]


def cli(db: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VRAAGBAAK_DB": str(db), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", "-v", *argv], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=True)


def test_a_console_conversation_leaves_no_personal_data_in_the_database_or_the_log(tmp_path: Path) -> None:
    db = tmp_path / "rest.db"
    log = cli(db, "demo", "--no-chat").stderr
    # anna and bram each ask about their own case; an expert answers anna's in the thread and marks it.
    out = cli(db, "chat", "--as", "anna", stdin=ANNA + "\n")
    log += out.stderr
    conn = sqlite3.connect(db)
    [(anna_q,)] = conn.execute("SELECT id FROM questions WHERE asker_id = 'anna'").fetchall()
    conn.close()
    log += cli(db, "chat", "--as", "anna", stdin=f"/expert {anna_q}\n").stderr  # when the bot only suggested
    log += cli(db, "chat", "--as", "bram", stdin=BRAM + "\n").stderr
    conn = sqlite3.connect(db)
    [(post,)] = conn.execute("SELECT post_message FROM escalations e JOIN questions q ON q.id = e.question_id"
                             " WHERE q.asker_id = 'anna'").fetchall()
    conn.close()
    expert = cli(db, "chat", "--as", "piet", "--role", "expert", stdin=f"/antwoord {post} {EXPERT}\n")
    reply = re.search(r"Reactie (\d+) geplaatst", expert.stdout).group(1)  # type: ignore[union-attr]
    marked = cli(db, "chat", "--as", "piet", "--role", "expert", stdin=f"/thread {post}\n/markeer {reply}\n")
    log += expert.stderr + marked.stderr
    assert "Gemarkeerd als antwoord" in marked.stdout
    log += cli(db, "chat", "--as", "kim", "--role", "owner", stdin="/beoordelen\n/overzicht\n").stderr
    log += cli(db, "audit", "verify").stderr

    found = [(where, leaks(value)) for where, value in every_value(db) if leaks(value)]
    assert found == []
    assert leaks(log) == []
    # The conversation really happened and was stored (masked): the test can fail.
    conn = sqlite3.connect(db)
    questions = [r[0] for r in conn.execute("SELECT text FROM questions WHERE asker_id IN ('anna', 'bram')")]
    stored = [r[0] for r in conn.execute("SELECT text FROM console_messages WHERE author = 'piet'")]
    conn.close()
    assert len(questions) == 2 and all("[BSN]" in q for q in questions)
    assert stored and "[BSN]" in stored[0] and "[IBAN]" in stored[0]


def test_log_records_are_masked_and_exceptions_too() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(logs.PrivateRecords())
    log = logging.getLogger("vraagbaak.test.private")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        log.info("asked: %s", ANNA)
        try:
            raise ValueError(f"could not parse {BRAM}")
        except ValueError:
            log.exception("failed for %s", "agent1")
        log.info("Invalid request signature detected (signature: v0=1, timestamp: 1, body: %s)", json.dumps(ANNA))
    finally:
        log.removeHandler(handler)
    text = buffer.getvalue()
    assert leaks(text) == []
    assert "[BSN]" in text and "ValueError" in text and "body: [niet gelogd]" in text


def test_every_command_masks_its_log(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.parser import main

    assert main(["-v", "config"]) == 0
    handlers = logging.getLogger().handlers
    assert handlers and all(any(isinstance(f, logs.PrivateRecords) for f in h.filters) for h in handlers)
    for h in handlers:  # leave pytest's handlers as they were
        h.filters = [f for f in h.filters if not isinstance(f, logs.PrivateRecords)]
