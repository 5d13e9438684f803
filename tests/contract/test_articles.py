"""Articles as owners change them: the conditional save (by version), an article's history and a person's
expertise, the same on SQLite and PostgreSQL; threads and processes saving one version (exactly one wins), and
expertise set while a directory import renames the person (the new name is kept)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from knowledge.model import Article, Person
from tests.contract.conftest import open_store
from tests.contract.racing import race

ARTICLE = Article("paspoort", "Paspoort aanvragen", "Maak een afspraak.", ("reisdocument",), ("Hoe vraag ik het aan?",),
                  owner="burgerzaken", review_date="2026-01-01", updated_at="2026-03-01T00:00:00+00:00")


def test_a_save_names_the_version_it_was_made_from(store: Any) -> None:
    store.upsert_articles([ARTICLE])
    opened = store.article("paspoort")
    generation = store.generation
    edited = replace(opened, title="Paspoort of ID-kaart", body="Online.", keywords=("id-kaart",),
                     questions=("Waar vraag ik een ID-kaart aan?",), status="provisional", lang="en", owner="kcc",
                     review_date="2027-01-01", url="https://example.org", source="web")
    saved = store.save_article(edited, opened.version)
    assert replace(saved, updated_at="") == replace(edited, updated_at="", version=opened.version + 1)
    assert saved.updated_at.endswith("+00:00") and saved.updated_at != ARTICLE.updated_at  # the store's clock
    assert store.article("paspoort") == saved and store.generation == generation + 1
    phrasings = json.loads(store.rows("SELECT phrasings FROM articles WHERE id = 'paspoort'")[0]["phrasings"])
    assert phrasings[0] == ["id kaart of paspoort", "id kaart of paspoort"]  # analysed anew, in English
    assert store.save_article(replace(edited, body="Later."), opened.version) is None  # moved on meanwhile
    assert store.save_article(replace(edited, id="missing"), 1) is None
    assert store.article("paspoort") == saved and store.generation == generation + 1


def test_an_articles_history_is_its_audit_entries_newest_first(store: Any) -> None:
    store.audit("anna", "edit_article", "paspoort", title="Nieuw", changed=["title"])
    store.audit("U1", "read", "paspoort")  # changes nothing: not history
    store.audit("bram", "archive_article", "paspoort")
    history = store.article_history("paspoort")
    assert [(h.id, h.actor, h.action, h.detail) for h in history] == [
        (3, "bram", "archive_article", {}), (1, "anna", "edit_article", {"title": "Nieuw", "changed": ["title"]})]
    assert [h.id for h in store.article_history("paspoort", limit=1)] == [3]
    assert store.article_history("rijbewijs") == []


def test_expertise_is_replaced_and_the_rest_of_the_person_kept(store: Any) -> None:
    piet = Person("p1", "Piet", "Jurist", "Vergunningen", ("evenementen",), "piet@x.nl", "06", (("slack", "U9"),))
    store.upsert_people([piet])
    generation = store.people_generation
    assert store.set_expertise("p1", ["woz", "hondenbelasting"]) == replace(piet, expertise=("woz", "hondenbelasting"))
    assert store.people(["p1"])[0].expertise == ("woz", "hondenbelasting") and store.people_generation > generation
    assert store.set_expertise("p1", []).expertise == ()
    assert store.set_expertise("nobody", ["x"]) is None and store.count("people") == 1


def test_two_threads_saving_one_version_one_wins(spec: dict[str, str]) -> None:
    first, second = open_store(spec), open_store(spec)
    try:
        first.upsert_articles([ARTICLE])
        base = first.article("paspoort")
        results: list[Any] = []
        start = threading.Barrier(2)

        def save(store: Any, body: str) -> None:
            start.wait()
            results.append(store.save_article(replace(base, body=body), base.version))

        threads = [threading.Thread(target=save, args=(s, b)) for s, b in ((first, "een"), (second, "twee"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        won = [r for r in results if r is not None]
        assert len(results) == 2 and len(won) == 1
        stored = second.article("paspoort")
        assert stored.body == won[0].body and stored.version == base.version + 1
    finally:
        first.close()
        second.close()


def _save(store: Any, who: int, version: int) -> int | None:
    base = store.article("paspoort")
    saved = store.save_article(replace(base, body=f"versie van {who}"), version)
    return saved.version if saved else None


@pytest.mark.process
def test_racing_processes_saving_one_version_one_wins(spec: dict[str, str], tmp_path: Path) -> None:
    store = open_store(spec)
    try:
        store.upsert_articles([ARTICLE])
        found = race(_save, spec, 8, tmp_path, 1)
        winners = [who for who, version in enumerate(found) if version is not None]
        assert len(winners) == 1 and found[winners[0]] == 2
        assert store.article("paspoort").body == f"versie van {winners[0]}" and store.article("paspoort").version == 2
    finally:
        store.close()


def test_expertise_set_during_a_directory_import_keeps_the_new_name(spec: dict[str, str]) -> None:
    importer, owner = open_store(spec), open_store(spec)
    try:
        importer.upsert_people([Person("p1", "Piet", email="piet@x.nl")])
        importing = threading.Event()

        def rename() -> None:
            with importer.transaction():
                importer.upsert_people([Person("p1", "Piet Jansen", email="piet@x.nl")])
                importing.set()
                time.sleep(0.5)  # the owner's save comes while the import is not committed yet

        thread = threading.Thread(target=rename)
        thread.start()
        importing.wait(10)
        person = owner.set_expertise("p1", ["woz"])
        thread.join()
        assert person.name == "Piet Jansen" and person.expertise == ("woz",)
        assert owner.people(["p1"])[0] == person
    finally:
        importer.close()
        owner.close()
