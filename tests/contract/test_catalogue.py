"""Articles, people, routes and synonyms: the same results on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from knowledge.model import Article, Person

PASPOORT = Article("paspoort", "Paspoort aanvragen", "Maak een afspraak bij de gemeente.", ("paspoort", "reisdocument"),
                   ("hoe vraag ik een paspoort aan?",), url="https://example.org/paspoort", owner="burgerzaken")
RIJBEWIJS = Article("Rijbewijs", "Rijbewijs verlengen", "Online of aan de balie.", lang="nl", status="provisional")


def test_articles_are_upserted_by_id_and_their_version_moves_on_change(store: Any) -> None:
    generation = store.generation
    assert store.upsert_articles([PASPOORT, RIJBEWIJS]) == 2
    assert store.generation == generation + 1
    stored = store.article("paspoort")
    assert replace(stored, updated_at="") == replace(PASPOORT, version=1)
    assert stored.updated_at.endswith("+00:00")
    store.upsert_articles([PASPOORT])  # the same text: same version, same time
    assert store.article("paspoort") == stored
    store.upsert_articles([replace(PASPOORT, body="Anders.", updated_at="2026-01-02")])
    changed = store.article("paspoort")
    assert (changed.version, changed.body, changed.updated_at) == (2, "Anders.", "2026-01-02")
    store.upsert_articles([replace(PASPOORT, body="Anders.", owner="kcc")])  # no text change: time kept
    assert (store.article("paspoort").version, store.article("paspoort").updated_at) == (3, "2026-01-02")


def test_articles_are_read_by_ids_in_the_order_asked_and_by_status(store: Any) -> None:
    store.upsert_articles([PASPOORT, RIJBEWIJS, Article("a-z", "Ander"), Article("Z", "Zeta")])
    assert [a.id for a in store.articles(["paspoort", "missing", "Rijbewijs"])] == ["paspoort", "Rijbewijs"]
    assert store.articles([]) == []
    assert [a.id for a in store.articles()] == ["Rijbewijs", "Z", "a-z", "paspoort"]  # byte order, as SQLite's
    assert [a.id for a in store.articles(status="provisional")] == ["Rijbewijs"]
    assert store.article("missing") is None and store.count("articles") == 4


def test_people_from_two_sources_are_one_person_by_email(store: Any) -> None:
    generation = store.people_generation
    store.upsert_people([Person("hr-1", "Piet Jansen", "Jurist", "Vergunningen", ("evenementen",),
                                "Piet@Gemeente.nl", handles=(("slack", "U9"),))])
    store.upsert_people([Person("ad-7", "P. Jansen", "", "", (), "piet@gemeente.nl", "0612345678",
                                handles=(("teams", "29:abc"),))])
    assert store.count("people") == 1 and store.people_generation == generation + 2
    [piet] = store.people()
    assert piet == Person("hr-1", "P. Jansen", "Jurist", "Vergunningen", ("evenementen",), "piet@gemeente.nl",
                          "0612345678", (("slack", "U9"), ("teams", "29:abc")))
    assert store.person_by_handle("teams", "29:abc") == piet and store.person_by_handle("slack", "nope") is None


def test_people_are_read_by_ids_in_the_order_asked(store: Any) -> None:
    store.upsert_people([Person("b", "bea"), Person("a", "Anna"), Person("c", "Cor", handles=(("slack", "U3"),))])
    assert [p.id for p in store.people(["c", "x", "a"])] == ["c", "a"]
    assert [p.name for p in store.people()] == ["Anna", "Cor", "bea"]  # byte order
    assert store.people([]) == [] and store.people(["c"])[0].handle("slack") == "U3"


def test_routes_are_kept_by_keyword(store: Any) -> None:
    assert store.set_routes([(" Paspoort ", " kcc-burgerzaken "), ("", "x"), ("afval", "kcc-afval")]) == 2
    store.set_routes([("paspoort", "kcc-reisdocumenten")])
    assert store.routes() == [("afval", "kcc-afval"), ("paspoort", "kcc-reisdocumenten")]


def test_synonyms_both_ways_and_removed(store: Any) -> None:
    generation = store.generation
    store.add_synonyms(" Paspoort ", ["Reisdocument", "ID-kaart"])
    store.add_synonyms("paspoort", ["reisdocument"])
    assert store.synonyms() == {"paspoort": ["id-kaart", "reisdocument"]}
    assert store.generation == generation + 2
    cached = store.synonyms_cached()
    assert cached["paspoort"] == ("id-kaart", "reisdocument") and cached["reisdocument"] == ("paspoort",)
    assert store.remove_synonyms("paspoort", ["id-kaart", " "]) == 1
    assert store.synonyms_cached()["paspoort"] == ("reisdocument",)
    assert store.remove_synonyms("paspoort") == 1 and store.synonyms() == {}
