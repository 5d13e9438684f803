"""A second `vraagbaak demo` adds what is missing and leaves alone what people changed: an edited or archived
article (with its version), a forgotten person, a removed synonym, a re-pointed routing rule, channel settings,
decided reviews, and the questions (no second history)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from bot import bootstrap
from bot.parser import main
from knowledge import demo_load
from knowledge.forget import forget
from knowledge.model import ChannelSettings
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")
    for name, value in LOOP_SETTINGS.items():
        monkeypatch.setenv(f"VRAAGBAAK_{name.upper()}", value)
    return path


def demo(capsys: pytest.CaptureFixture[str], *flags: str) -> list[str]:
    assert main(["demo", "--no-chat", *flags]) == 0
    return capsys.readouterr().out.splitlines()


def opened(path: Path) -> SqliteStore:
    return SqliteStore(str(path))


def test_a_second_demo_keeps_an_owners_edit_with_its_version(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo(capsys, "--no-history") == [
        f"Demo geladen in {db}: 72 artikelen, 28 personen, 70 routeringsregels, 33 synoniemregels"]
    store = opened(db)
    shipped = store.article("nl-dakkapel")
    assert shipped is not None and shipped.title == "Dakkapel plaatsen" and shipped.version == 1
    edited = store.save_article(replace(shipped, body="Onze eigen tekst over de dakkapel."), shipped.version)
    assert edited is not None and edited.version == 2
    store.close()

    out = demo(capsys, "--no-history")
    assert out == [
        f"Demo aangevuld in {db}; toegevoegd: 0 artikelen, 0 personen, 0 routeringsregels, 0 synoniemregels",
        "Gelaten zoals het was: 72 artikelen (waarvan 1 gewijzigd sinds de demo), 28 personen, 70 routeringsregels,"
        " 33 synoniemregels",
    ]
    store = opened(db)
    kept = store.article("nl-dakkapel")
    assert kept is not None and kept.body == "Onze eigen tekst over de dakkapel." and kept.version == 2
    assert [h.action for h in store.article_history("nl-dakkapel")] == []  # nothing wrote over it
    store.close()


def test_a_second_demo_does_not_bring_back_what_people_removed_or_undo_what_they_changed(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo(capsys, "--no-history")
    store = opened(db)
    archived = store.article("nl-paspoort-kwijt")
    assert archived is not None
    store.save_article(replace(archived, status="archived"), archived.version)
    forget(store, "p-03", actor="test")  # on request: out of the directory for good
    assert store.remove_synonyms("paspoort", ["reisdocument"]) == 1
    store.set_routes([("paspoort", "kcc-paspoorten")])
    store.set_channel_settings(ChannelSettings("kcc-burgerzaken", 30.0, ("p-01",), "kcc-backup"))
    store.set_expertise("p-01", ["alles over afval"])
    store.close()

    out = demo(capsys, "--no-history")
    assert out[0].endswith("toegevoegd: 0 artikelen, 0 personen, 0 routeringsregels, 0 synoniemregels")
    assert "27 personen" in out[1] and "72 artikelen (waarvan" in out[1]
    assert out[2] == "Niet teruggezet (een eerdere demo zette ze erin, daarna zijn ze verwijderd): 1 persoon, " \
                     "1 synoniem"
    store = opened(db)
    assert store.people(["p-03"]) == []
    assert "reisdocument" not in store.synonyms().get("paspoort", [])
    assert store.article("nl-paspoort-kwijt").status == "archived"  # type: ignore[union-attr]
    assert dict(store.routes())["paspoort"] == "kcc-paspoorten"
    assert store.channel_settings("kcc-burgerzaken") == ChannelSettings("kcc-burgerzaken", 30.0, ("p-01",),
                                                                        "kcc-backup")
    assert store.people(["p-01"])[0].expertise == ("alles over afval",)
    store.close()


def test_a_second_demo_adds_no_second_history_and_leaves_decided_answers_alone(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo(capsys)
    store = opened(db)
    pending = store.pending_reviews()
    assert len(pending) >= 2
    store.close()
    assert main(["review", "approve", str(pending[0].id)]) == 0
    assert main(["review", "reject", str(pending[1].id), "--note", "niet algemeen"]) == 0
    capsys.readouterr()
    tables = ("questions", "escalations", "answers", "reviews", "articles", "people", "routes", "synonyms", "audit")

    def counts() -> dict[str, int]:
        with closing(sqlite3.connect(db)) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    before = counts()
    out = demo(capsys)
    assert "0 vragen uit zes weken geschiedenis" in out[0]
    assert f"de {before['questions']} vragen die er al waren" in out[1]
    assert counts() == before  # nothing doubled, not even the audit log
    store = opened(db)
    assert [store.review(pending[0].id).status, store.review(pending[1].id).status] == [  # type: ignore[union-attr]
        "approved", "rejected"]
    assert store.article(pending[0].article_id).status == "validated"  # type: ignore[union-attr]
    assert store.article(pending[1].article_id).status == "archived"  # type: ignore[union-attr]
    store.close()


def test_a_second_demo_adds_what_the_first_did_not(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = opened(db)
    shipped = bootstrap.demo_data()
    older = demo_load.DemoData(shipped.articles[:60], shipped.people[:20], shipped.routes, shipped.synonyms[:30])
    first = demo_load.load(store, older)  # as an earlier release with fewer articles would have
    assert first.first and first.added == {"articles": 60, "people": 20, "routes": 70, "synonyms": 30}
    store.close()

    out = demo(capsys)  # and the history, which the first run left out
    assert out[0].startswith(f"Demo aangevuld in {db}; toegevoegd: 12 artikelen, 8 personen, 0 routeringsregels, "
                             "3 synoniemregels, ")
    assert out[1] == "Gelaten zoals het was: 60 artikelen, 20 personen, 70 routeringsregels, 30 synoniemregels"
    store = opened(db)
    assert store.count("articles") > 72 and len(store.people()) == 28 and store.count("questions") > 150
    assert store.articles([a.id for a in shipped.articles]) == store.articles([a.id for a in shipped.articles])
    store.close()


def test_a_database_the_demo_filled_before_it_kept_a_record_gets_nothing_back(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo(capsys, "--no-history")
    store = opened(db)
    forget(store, "p-03", actor="test")
    store.close()
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM demo_items")  # as a database from a release before the record

    out = demo(capsys, "--no-history")
    assert out[2].endswith(": 1 persoon")
    store = opened(db)
    assert store.people(["p-03"]) == [] and len(store.people()) == 27
    store.close()


def test_the_first_load_is_what_it_always_was(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "once.db"))
    assert bootstrap.load_demo(store) == {"articles": 72, "people": 28, "routes": 70, "synonyms": 33}
    assert all(a.version == 1 for a in store.articles())
    assert bootstrap.load_demo(store) == {"articles": 0, "people": 0, "routes": 0, "synonyms": 0}
    store.close()
