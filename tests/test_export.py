"""Export without lock-in: export -> a new database -> import gives the same articles, people, rules and
synonyms, through the same commands a municipality would use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import bootstrap
from bot.parser import main
from knowledge import audit
from knowledge.model import Article, ChannelSettings, Person
from knowledge.sqlite.store import SqliteStore

TRICKY = [
    Article(id="kolon", title='Paspoort: "spoed" [binnen 1 dag], kosten', body="Regel 1\n\n---\n\nRegel 3: klaar.",
            keywords=("paspoort", "spoed, snel"), questions=("Kan het sneller, vandaag nog?", "- met streepje"),
            url="https://x.nl/p?a=1#b", owner="Joyce de Vries", status="held", lang="nl",
            review_date="2027-01-31", source="Jan Jansen (kcc-burgerzaken)", updated_at="2025-03-04T05:06:07+00:00"),
    Article(id="en/Waste Pickup", title="'Bulky' waste", body="", keywords=(), questions=(), lang="en",
            status="provisional", updated_at="2024-12-31T23:59:59+00:00"),
    Article(id="EN-waste-pickup", title="Archived twin", status="archived", updated_at="2024-01-01T00:00:00+00:00",
            source="", owner=""),
]
PEOPLE = [
    Person(id="p-anna", name="Anna Bakker", title="Expert WOZ", department="Belastingen", expertise=("woz", "bezwaar"),
           email="anna@gemeente.nl", phone="06-1", handles=(("slack", "UANNA"), ("teams", "aad-anna"))),
    Person(id="p-bert", name="Bert", handles=(("mattermost", "bert1"),)),
]


@pytest.fixture
def source(demo_store: SqliteStore) -> SqliteStore:
    demo_store.upsert_articles(TRICKY)
    demo_store.upsert_people(PEOPLE)
    demo_store.set_routes([("afval", "kcc-afval")])
    demo_store.add_synonyms("ID", ["identiteitskaart", "id-kaart"])
    demo_store.set_channel_settings(ChannelSettings("kcc-afval", 10.0, ("p1", "p2"), "kcc-experts"))
    demo_store.set_channel_settings(ChannelSettings("kcc-vergunningen"))
    demo_store.audit("tester", "export_test", "kolon", note="[BSN]")
    return demo_store


def _same(old: SqliteStore, new: SqliteStore) -> None:
    assert new.articles() == old.articles()  # every field, updated_at included
    assert new.people() == old.people()  # with every platform handle
    assert new.routes() == old.routes()
    assert new.synonyms() == old.synonyms()
    for channel in ("kcc-afval", "kcc-vergunningen", "kcc-nergens"):
        assert new.channel_settings(channel) == old.channel_settings(channel)


@pytest.mark.parametrize("articles", ["articles", "articles.jsonl"])
def test_export_then_import_into_a_new_database_gives_the_same_store(
        source: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        articles: str) -> None:
    out = tmp_path / "export"
    monkeypatch.setenv("VRAAGBAAK_DB", source.path)
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["export", str(out)]) == 0
    assert f"Exported to {out}: {source.count('articles')} articles" in capsys.readouterr().out

    new_db = tmp_path / "new.db"
    monkeypatch.setenv("VRAAGBAAK_DB", str(new_db))
    assert main(["import", "kb", str(out / articles)]) == 0
    assert main(["import", "people", str(out / "people.jsonl")]) == 0
    assert main(["import", "routes", str(out / "routes.jsonl")]) == 0
    assert main(["import", "synonyms", str(out / "synonyms.jsonl")]) == 0
    assert main(["import", "channels", str(out / "channels.jsonl")]) == 0
    new = SqliteStore(str(new_db))
    _same(source, new)
    assert [a.id for a in new.articles(status="held")] == ["kolon"]  # held stays out of search after the trip
    assert new.rows("SELECT count(*) AS n FROM article_index WHERE article_id = 'kolon'")[0]["n"] == 0


def test_one_markdown_file_per_article_readable_by_people(source: SqliteStore, tmp_path: Path) -> None:
    from knowledge.export import export

    report = export(source, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out" / "articles").iterdir())
    assert len(files) == report.counts["articles"] == source.count("articles")
    assert "en_Waste_Pickup.md" in files and "EN-waste-pickup.md" in files  # unsafe ids get safe names
    text = (tmp_path / "out" / "articles" / "kolon.md").read_text(encoding="utf-8")
    assert text.startswith('---\nid: "kolon"\ntitle: "Paspoort: \\"spoed\\" [binnen 1 dag], kosten"\n')
    assert text.endswith("---\n\nRegel 1\n\n---\n\nRegel 3: klaar.\n")


def test_people_export_has_the_columns_the_people_importer_reads(source: SqliteStore, tmp_path: Path) -> None:
    from knowledge.export import export

    export(source, tmp_path / "out")
    rows = [json.loads(line) for line in (tmp_path / "out" / "people.jsonl").read_text().splitlines()]
    anna = next(r for r in rows if r["id"] == "p-anna")
    assert (anna["slack_id"], anna["teams_id"], anna["expertise"]) == ("UANNA", "aad-anna", ["woz", "bezwaar"])


def test_audit_log_is_exported_with_its_chain(source: SqliteStore, tmp_path: Path) -> None:
    from knowledge.export import export

    export(source, tmp_path / "out")
    rows = [json.loads(line) for line in (tmp_path / "out" / "audit.jsonl").read_text().splitlines()]
    head = source.rows("SELECT entries, hash, seal FROM audit_head")[0]
    assert rows and audit.verify(rows, head).intact
    assert rows[-1]["details"]["detail"] == '{"note": "[BSN]"}'  # the details as stored, beside the chain


def test_export_refuses_a_folder_with_files(store: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.md").write_text("x")
    monkeypatch.setenv("VRAAGBAAK_DB", store.path)
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")
    assert main(["export", str(tmp_path / "out")]) == 2
    assert "is niet leeg" in capsys.readouterr().err


def test_the_export_summary_follows_the_language(source: SqliteStore, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", source.path)
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")
    assert main(["export", str(tmp_path / "out")]) == 0
    said = capsys.readouterr().out
    assert f"Geëxporteerd naar {tmp_path / 'out'}: {source.count('articles')} artikelen" in said
    assert "articles" not in said.replace(str(tmp_path), "") and "personen" in said


def test_a_bad_channel_row_names_its_line(tmp_path: Path) -> None:
    from knowledge.importers import read_channel_settings
    from knowledge.rows import ImportProblem

    path = tmp_path / "channels.jsonl"
    path.write_text('{"channel": "kcc-afval", "target_minutes": 10}\n{"channel": "kcc-x", "target_minutes": "soon"}\n'
                    '{"target_minutes": 5}\n{"channel": "kcc-y", "target_minutes": -1}\n', encoding="utf-8")
    with pytest.raises(ImportProblem) as caught:
        read_channel_settings(path)
    assert [p.split(": ")[0] for p in caught.value.problems] == [f"{path}:{n}" for n in (2, 3, 4)]


def test_an_empty_database_exports_empty_files(tmp_path: Path) -> None:
    from knowledge.export import export

    report = export(SqliteStore(":memory:"), tmp_path / "out")
    assert report.counts == {"articles": 0, "people": 0, "routes": 0, "synonyms": 0, "channels": 0, "audit": 0}
    assert (tmp_path / "out" / "people.jsonl").read_text() == ""


def test_demo_data_round_trips_too(tmp_path: Path) -> None:
    from knowledge.export import export
    from knowledge.importers import read_articles, read_people, read_routes, read_synonyms

    old = SqliteStore(":memory:")
    bootstrap.load_demo(old)
    export(old, tmp_path / "out")
    new = SqliteStore(":memory:")
    new.upsert_articles(read_articles(tmp_path / "out" / "articles"))
    new.upsert_people(read_people(tmp_path / "out" / "people.jsonl"))
    new.set_routes(read_routes(tmp_path / "out" / "routes.jsonl"))
    for term, synonyms in read_synonyms(tmp_path / "out" / "synonyms.jsonl").items():
        new.add_synonyms(term, synonyms)
    _same(old, new)
