"""The bot on PostgreSQL end to end: VRAAGBAAK_DB set to a throwaway cluster's URL (a fresh schema per test),
`vraagbaak demo` loads and plays its history, `vraagbaak ask` answers from the knowledge base, and in the console
an agent's question escalates, an expert answers and marks it, and the answer is relayed: the loop works on
PostgreSQL through the same commands as on SQLite. What needs a SQLite file says so in one line."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from bot import bootstrap
from bot.config import Settings
from bot.parser import main
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore
from tests import postgres
from tests.conftest import LOOP_SETTINGS
from tests.contract.conftest import fresh_schema

QUESTION = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        code: int = 0) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(argv) == code
    found = capsys.readouterr()
    return found.out + found.err


@pytest.fixture
def url(pg_cluster: postgres.Cluster, monkeypatch: pytest.MonkeyPatch) -> str:
    schema = fresh_schema()
    found = f"{pg_cluster.url()}?schema={schema}"
    monkeypatch.setenv("VRAAGBAAK_DB", found)
    for name, value in LOOP_SETTINGS.items():
        monkeypatch.setenv(f"VRAAGBAAK_{name.upper()}", value)
    return found


def test_open_store_picks_the_backend_by_vraagbaak_db(url: str, tmp_path: object) -> None:
    store = bootstrap.open_store(Settings(db_path=url, audit_key="k", retention_days=30))
    assert isinstance(store, PostgresStore) and store.schema == url.rsplit("=", 1)[1]
    assert store.audit_key == b"k" and store.retention_days == 30
    other = bootstrap.reopen(store)
    assert isinstance(other, PostgresStore) and other.schema == store.schema and other.audit_key == b"k"
    other.close()
    store.close()
    for scheme in ("postgres://", "postgresql://"):
        assert bootstrap.on_postgres(scheme + "user@host/db")
    lite = bootstrap.open_store(Settings(db_path=str(tmp_path) + "/v.db"))  # a file: SQLite as before
    assert isinstance(lite, SqliteStore)
    lite.close()
    assert Settings().db_path == "vraagbaak.db" and not bootstrap.on_postgres(Settings().db_path)


def test_demo_ask_and_the_whole_loop_on_postgres(url: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["demo", "--no-chat"], "", monkeypatch, capsys)
    assert "Demo geladen" in out
    played = PostgresStore(url)
    assert played.count("articles") > 50 and played.count("questions") > 100 and played.count("answers") >= 10
    played.close()

    found = json.loads(run(["ask", "--json", "hoe vraag ik een paspoort aan"], "", monkeypatch, capsys))
    assert found["decision"] == "answer" and found["articles"][0]["id"] == "nl-paspoort-aanvragen"
    out = run(["ask", "hoe vraag ik een paspoort aan"], "", monkeypatch, capsys)
    assert "nl-paspoort-aanvragen  Paspoort aanvragen" in out

    # The agent asks; the best fit (an expert's answer from the history) does not answer it, so she asks an
    # expert, and the question goes to the expert channel.
    out = run(["chat", "--as", "anna"], QUESTION + "\n", monkeypatch, capsys)
    asked = re.search(r"/expert (\d+)", out).group(1)  # type: ignore[union-attr]
    out = run(["chat", "--as", "anna"], f"/expert {asked}\n", monkeypatch, capsys)
    assert "Ik heb je vraag aan de experts gesteld" in out, out
    channel, post = re.search(r"\[#([\w-]+) · bericht (\d+)\]", out).groups()  # type: ignore[union-attr]

    # An expert answers in the thread and marks the answer; it is relayed to the agent.
    out = run(["chat", "--as", "piet", "--role", "expert"],
              f"/inbox\n/antwoord {post} Nee, particulieren krijgen geen vergunning. Bel 06-12345678.\n",
              monkeypatch, capsys)
    assert f"#{channel} · bericht {post}" in out
    reply = re.search(r"Reactie (\d+) geplaatst", out).group(1)  # type: ignore[union-attr]
    out = run(["chat", "--as", "piet", "--role", "expert"], f"/markeer {reply}\n", monkeypatch, capsys)
    assert "Gemarkeerd als antwoord" in out and "Beantwoord door piet" in out
    assert "06-12345678" not in out and "[TELEFOON]" in out
    out = run(["chat", "--as", "anna"], "/overzicht\n", monkeypatch, capsys)
    assert "Antwoord van piet op je vraag" in out and "particulieren krijgen geen vergunning" in out

    store = PostgresStore(url)
    assert store.verify_audit().intact and store.count("reviews") > 5  # the marked answer awaits review
    store.close()


def test_backup_and_restore_say_they_need_sqlite(url: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    out = run(["backup", f"{tmp_path}/copy.db"], "", monkeypatch, capsys, code=2)
    assert out.strip().splitlines() == ["vraagbaak: vraagbaak backup kopieert een SQLite-bestand; VRAAGBAAK_DB is"
                                        " PostgreSQL: gebruik pg_dump."]
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    out = run(["restore", f"{tmp_path}/copy.db"], "", monkeypatch, capsys, code=2)
    assert out.strip() == ("vraagbaak: vraagbaak restore puts back a SQLite file; VRAAGBAAK_DB is PostgreSQL:"
                           " use pg_restore.")
