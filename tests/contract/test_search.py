"""Search's store methods (the full-text indexes of articles and people): the same candidates, scores and order on
SQLite (FTS5, bm25) and PostgreSQL (tsvector, GIN, the same bm25 in SQL)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from knowledge import text
from knowledge.model import Article, Person
from knowledge.postgres import PostgresStore
from knowledge.postgres.search import tsquery
from knowledge.query import QueryBuilder
from knowledge.search import FIELD_WEIGHTS, Searcher
from knowledge.sqlite import SqliteStore

TOPICS = ["parkeervergunning", "afvalkalender", "paspoort", "rijbewijs", "huurtoeslag", "grofvuil", "hondenbelasting",
          "kapvergunning", "uitkering", "verhuizing"]
VERBS = ["aanvragen", "verlengen", "opzeggen", "betalen", "wijzigen"]
PLACES = ["centrum", "noord", "oost", "zuid", "west", "haven"]


def knowledge_base() -> list[Article]:
    """Sixty articles, Dutch and English, with terms in several fields and repeated, some archived or held, and
    pairs alike but for their id (ties)."""
    found = []
    for i in range(60):
        topic, verb, place = TOPICS[i % 10], VERBS[i % 5], PLACES[i % 6]
        lang = "en" if i % 7 == 0 else "nl"
        title = f"How do I {verb} a {topic}?" if lang == "en" else f"{topic.capitalize()} {verb} in {place}"
        questions = (f"hoe kan ik mijn {topic} {verb}?", f"wat kost een {topic} in {place}?")[: 1 + i % 2]
        body = " ".join([f"De {topic} {verb} u bij de gemeente."] * (1 + i % 3) + [f"Wijk {place}, loket {i}."])
        status = "archived" if i % 17 == 5 else "held" if i % 19 == 7 else "validated"
        found.append(Article(f"kb-{i:02d}", title, body, (topic, place) if i % 4 else (), questions, lang=lang,
                             status=status))
    found += [Article("twin-b", "Grofvuil ophalen", "Bel de gemeente."),
              Article("twin-a", "Grofvuil ophalen", "Bel de gemeente.")]
    return found


QUESTIONS = ["hoe vraag ik een parkeervergunning aan in het centrum", "paspoort verlengen", "grofvuil ophalen",
             "How do I renew a rijbewijs?", "wat kost hondenbelasting in oost", "huurtoeslag opzeggen noord",
             "kapvergunnig aanvragen", "ik wil verhuizen naar de haven", "loket 12", "de gemeente", "xyzzy",
             "afval kalender", "uitkering betalen wijzigen opzeggen"]

PEOPLE = [Person("p1", "Piet Jansen", "Jurist", "Vergunningen", ("parkeervergunning", "kapvergunning")),
          Person("p2", "Anna de Vries", "Adviseur", "Afval", ("grofvuil", "afvalkalender")),
          Person("p3", "anna de vries", "Consulent", "Werk en Inkomen", ("uitkering",)),
          Person("p4", "Émile Zola", "Jurist", "Belastingen", ("hondenbelasting", "paspoort")),
          Person("p5", "Ben", "Medewerker", "Vergunningen", ("parkeervergunning",))]


def _filled(store: Any) -> Any:
    store.upsert_articles(knowledge_base())
    store.upsert_people(PEOPLE)
    return store


def test_candidates_scores_and_their_order_are_sqlites(tmp_path: Path, pg_store: PostgresStore) -> None:
    lite, pg = _filled(SqliteStore(str(tmp_path / "search.db"))), _filled(pg_store)
    assert pg.term_article_counts() == lite.term_article_counts()
    assert list(pg.term_article_counts()) == list(lite.term_article_counts())  # byte order: typo fixes pick alike
    assert pg.indexed_articles_per_lang() == lite.indexed_articles_per_lang()
    compared = 0
    for question in QUESTIONS:
        q = QueryBuilder(lite).build(question, "nl")
        assert QueryBuilder(pg).build(question, "nl") == q
        for match in (q.match, q.broad):
            for limit in (3, 24):
                assert pg.matching(match, limit, FIELD_WEIGHTS) == lite.matching(match, limit, FIELD_WEIGHTS)
                assert pg.matching(match, limit, (0.0, 1.0, 1.0)) == lite.matching(match, limit, (0.0, 1.0, 1.0))
                assert pg.matching(match, limit) == lite.matching(match, limit)
                compared += bool(lite.matching(match, limit, FIELD_WEIGHTS))
        assert Searcher(pg).candidates(q) == Searcher(lite).candidates(q)
    assert compared >= 30
    assert pg.matching(None, 7) == lite.matching(None, 7)
    assert pg.article_phrasings() == lite.article_phrasings()
    lite.close()


def test_people_are_found_as_on_sqlite(tmp_path: Path, pg_store: PostgresStore) -> None:
    lite, pg = _filled(SqliteStore(str(tmp_path / "search.db"))), _filled(pg_store)
    assert pg.people_vocabulary() == lite.people_vocabulary()
    for words in (["parkeervergun"], ["jurist", "grofvuil"], ["vergun", "afval", "uitkeer", "jurist"], ["nothing"], []):
        assert pg.people_matching(words, 3) == lite.people_matching(words, 3)
    for name in ("Anna de Vries", "ANNA DE VRIES", "émile zola", "ÉMILE ZOLA", "Piet"):
        assert pg.people_named(name) == lite.people_named(name)
    lite.close()


def test_the_index_follows_archiving_and_ties_keep_the_first_stored_first(store: Any) -> None:
    store.upsert_articles([Article("b", "Draak houden", "Vraag een vergunning."),
                           Article("a", "Draak houden", "Vraag een vergunning."),
                           Article("c", "Kat houden", "Geen vergunning.")])
    ranked = store.matching('"draak"', 5, FIELD_WEIGHTS)
    assert [r[0] for r in ranked] == ["a", "b"] and ranked[0][1] == ranked[1][1] > 0  # equal: by id
    assert [r[0] for r in store.matching('"draak"', 1, FIELD_WEIGHTS)] == ["b"]  # of equals, the first stored
    assert [r[0] for r in store.matching('"vergun"', 2)] == ["a", "b"]  # unranked: the first two stored
    assert store.term_article_counts()["draak"] == 2 and store.indexed_articles_per_lang() == {"nl": 3}
    store.upsert_articles([Article("b", "Draak houden", "Vraag een vergunning.", status="archived")])
    assert [r[0] for r in store.matching('"draak"', 5, FIELD_WEIGHTS)] == ["a"]
    assert store.term_article_counts()["draak"] == 1 and store.indexed_articles_per_lang() == {"nl": 2}
    store.upsert_articles([Article("b", "Draak houden", "Vraag een vergunning.")])
    assert [r[0] for r in store.matching('"draak"', 1, FIELD_WEIGHTS)] == ["b"]  # back in its place
    assert [r[0] for r in store.matching(None, 3)] == ["a", "b", "c"]


def test_a_word_in_any_script_is_found(store: Any) -> None:
    """Python's words, not PostgreSQL's parser (which drops '௰' and splits 'a৴b' under C.UTF-8)."""
    words = ["a৴b", "x௰", "ᏸᏸ", "日本語"]
    store.upsert_articles([Article(f"w{i}", w, w) for i, w in enumerate(words)])
    for i, word in enumerate(words):
        [term] = text.terms(word, "nl")
        assert [r[0] for r in store.matching(f'"{term}"', 5, FIELD_WEIGHTS)] == [f"w{i}"]
        assert store.term_article_counts()[term] == 1


def test_a_term_repeated_counts_and_the_title_counts_most(store: Any) -> None:
    store.upsert_articles([Article("body", "Over iets", "draak"), Article("title", "Draak", "over iets"),
                           Article("twice", "Over iets", "draak draak")])
    assert [r[0] for r in store.matching('"draak"', 3, FIELD_WEIGHTS)] == ["title", "twice", "body"]
    assert [r[0] for r in store.matching('"draak"', 3, (0.0, 1.0, 1.0, 1.0, 1.0))][0] == "twice"


def test_counts_stay_right_when_writers_race(pg_spec: dict[str, str]) -> None:
    """Four threads, each on a connection of its own, load articles that share terms at once: every count the
    index keeps is the count of what it holds (no update lost, no deadlock)."""
    stores = [PostgresStore(pg_spec["url"], schema=pg_spec["schema"]) for _ in range(4)]
    articles = knowledge_base()
    errors: list[BaseException] = []

    def load(store: PostgresStore, part: int) -> None:
        try:
            for a in articles[part::4]:
                store.upsert_articles([a, replace(a, id=f"{a.id}-{part}")])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=load, args=(s, i)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    recount = Counter(r["word"] for r in stores[0].rows(
        "SELECT unnest(tsvector_to_array(terms)) AS word FROM article_index"))
    assert stores[0].term_article_counts() == dict(recount)
    assert stores[0].rows("SELECT docs, tokens FROM search_totals WHERE name = 'article_index'") == stores[0].rows(
        "SELECT count(*) AS docs, sum(tokens) AS tokens FROM article_index")
    for store in stores:
        store.close()


def test_a_person_deleted_leaves_the_people_index(pg_store: PostgresStore) -> None:
    _filled(pg_store)
    assert pg_store.people_vocabulary()[0]["jurist"] == 2
    with pg_store.transaction() as conn:
        conn.execute("DELETE FROM people WHERE id = 'p1'")  # as forgetting a person does
        pg_store._bump(conn, "people_generation")
    df, size = pg_store.people_vocabulary()
    assert df["jurist"] == 1 and "kapvergun" not in df and size == 4
    assert [p for p, _ in pg_store.people_matching(["kapvergun", "jurist"], 5)] == ["p4"]


def test_a_store_without_its_index_fills_it_on_opening(pg_spec: dict[str, str]) -> None:
    """A schema from before search (or from an older analysis) is indexed again when the store opens."""
    first = _filled(PostgresStore(pg_spec["url"], schema=pg_spec["schema"]))
    wanted = (first.matching('"paspoort"', 24, FIELD_WEIGHTS), first.people_matching(["jurist"], 5))
    with first.transaction() as conn:
        conn.execute("DELETE FROM article_index")
        conn.execute("DELETE FROM people_index")
        conn.execute("DELETE FROM meta WHERE key = 'analysis_version'")
    assert first.matching('"paspoort"', 24, FIELD_WEIGHTS) == []
    first.close()
    again = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    assert (again.matching('"paspoort"', 24, FIELD_WEIGHTS), again.people_matching(["jurist"], 5)) == wanted
    again.close()


def test_an_index_row_is_replaced_not_updated(pg_store: PostgresStore) -> None:
    pg_store.upsert_articles([Article("a", "Draak")])
    with pytest.raises(Exception, match="replaced by DELETE and INSERT"), pg_store.transaction() as conn:
        conn.execute("UPDATE article_index SET tokens = 0")


@pytest.mark.parametrize(("match", "query", "phrases"), [
    ('"a"', "'a'", ["a"]),
    ('"a" OR "b"', "( 'a' | 'b' )", ["a", "b"]),
    ('("a" OR "b") AND ("a" OR "b" OR "c")', "( 'a' | 'b' )", ["a", "b", "a", "b", "c"]),
    ('"a" AND ("a" OR "b") AND "c"', "( 'a' & 'c' )", ["a", "a", "b", "c"]),
    ('"a" "a"', "'a'", ["a", "a"]),
    ('("a" OR "b") AND ("b" OR "c")', "( ( 'a' | 'b' ) & ( 'b' | 'c' ) )", ["a", "b", "b", "c"]),
    ('(a b) AND (a OR c)', "( ( 'a' & 'b' ) & ( 'a' | 'c' ) )", ["a", "b", "a", "c"]),
    ('a b OR c', "( ( 'a' & 'b' ) | 'c' )", ["a", "b", "c"]),
    ('"it""s" OR "o\'k"', "( 'it\"s' | 'o''k' )", ['it"s', "o'k"]),
])
def test_an_fts5_expression_becomes_a_tsquery(match: str, query: str, phrases: list[str]) -> None:
    assert tsquery(match) == (query, phrases)


@pytest.mark.parametrize("match", ['"a b"', 'NOT "a"', '"a" OR', '("a"', '"a")', 'a*', 'title:a', '""'])
def test_what_nothing_builds_is_refused(match: str) -> None:
    with pytest.raises(ValueError):
        tsquery(match)
