"""The answerability features a ranking yields, and the cross-knowledge-base fit that measures them."""

from __future__ import annotations

import math
import random

import pytest

from benchmarks import answerability_train as train
from knowledge import answerability
from knowledge.model import Article, Hit
from knowledge.search import Searcher
from knowledge.sqlite.store import SqliteStore


@pytest.fixture
def searcher(store: SqliteStore) -> Searcher[SqliteStore]:
    store.upsert_articles([
        Article("pas", "Paspoort aanvragen", "Kom langs op afspraak.", lang="nl"),
        Article("rijbewijs", "Rijbewijs verlengen", "Neem een pasfoto mee.", lang="nl"),
        Article("afval", "Grofvuil laten ophalen", "Bel ons voor een afspraak.", lang="nl"),
        Article("hond", "Hondenbelasting betalen", "Per hond per jaar.", lang="nl"),
    ])
    return Searcher(store)


def test_the_features_say_what_the_ranking_shows(searcher: Searcher[SqliteStore]) -> None:
    q = searcher.query("paspoort aanvragen")
    hits, evidence = searcher.judged(q)
    x = dict(zip(answerability.FEATURES, answerability.features(q, hits, evidence), strict=True))
    assert hits[0].article.id == "pas" and hits == searcher.hits(q)  # the same ranking as search's
    assert x["score"] == hits[0].score and x["gap"] == pytest.approx(hits[0].score - hits[1].score)
    assert x["coverage"] == 1.0 and x["lexical_first"] == 1.0 and x["unknown"] == 0.0
    assert x["lexical"] < x["score"]  # the lexical confidence before the lead over the runner-up

    q = searcher.query("paspoort xqzvwl aanvragen")  # a word the knowledge base does not know
    hits, evidence = searcher.judged(q)
    x = dict(zip(answerability.FEATURES, answerability.features(q, hits, evidence), strict=True))
    assert 0.0 < x["unknown"] < 1.0 and x["coverage"] < 1.0


def test_the_features_of_a_ranking_given_by_hand(searcher: Searcher[SqliteStore]) -> None:
    """Each feature from a known ranking and evidence: the runner-up's gap, the lead over the mean of the next
    PEERS (the sixth hit is not one of them), the first's lexical confidence and coverage, and whether the lexical
    ranking put another article first."""
    q = searcher.query("paspoort xqzvwl aanvragen")
    known = sum(1 for _, _, k in q.groups if k)
    assert len(q.groups) == 3 and known == 2
    articles = [Article(f"a{i}", f"Artikel {i}", "") for i in range(6)]
    hits = [Hit(a, s) for a, s in zip(articles, (0.9, 0.6, 0.5, 0.4, 0.3, 0.0), strict=True)]
    evidence = answerability.Evidence({"a0": 0.7, "a1": 0.8}, {"a0": 0.5}, lexical_first="a1")
    x = dict(zip(answerability.FEATURES, answerability.features(q, hits, evidence), strict=True))
    assert x == pytest.approx({"score": 0.9, "gap": 0.3, "standout": 0.45, "lexical": 0.7, "lexical_first": 0.0,
                               "coverage": 0.5, "length": math.log1p(3), "unknown": 1 / 3})
    x = answerability.features(q, hits[:1], answerability.Evidence(lexical_first="a0"))  # no runner-up
    assert x[:5] == (0.9, 0.9, 0.9, 0.0, 1.0)


def test_an_article_left_out_is_not_ranked_and_has_no_evidence(searcher: Searcher[SqliteStore]) -> None:
    q = searcher.query("paspoort aanvragen")
    hits, evidence = searcher.judged(q, leave_out=("pas", None))
    assert "pas" not in {h.article.id for h in hits} and "pas" not in evidence.coverage
    assert answerability.features(q, [], evidence) == (0.0,) * len(answerability.FEATURES)


def test_the_fit_learns_across_knowledge_bases_and_chooses_a_probability() -> None:
    """Rows of two knowledge bases where a high first score is right: the fitted weight of the score is positive,
    and the chosen answer probability keeps each knowledge base's false answers within the target."""
    rng = random.Random(7)
    rows = []
    for kb in ("a", "b"):
        for _ in range(300):
            score = rng.random()
            ok = rng.random() < score
            x = [score] + [rng.random() for _ in answerability.FEATURES[1:]]
            rows.append({"set": kb, "variant": 0, "x": x, "expected": "e" if ok else None,
                         "top": [["e", score]]})
    model = train.fit(rows)
    assert model[1][0] > 2.0 and all(abs(w) < 1.0 for w in model[1][1:])
    p = train.choose(rows, model)
    assert 0.5 < p < 1.0
    for kb in ("a", "b"):
        answered = [r for r in rows if r["set"] == kb and answerability.probability(r["x"], model) >= p]
        assert sum(1 for r in answered if r["expected"] is None) / len(answered) <= train.TARGET_FALSE + 0.05


def test_the_fit_separates_a_separable_set() -> None:
    """Right exactly when the first feature is high (the others noise), in two knowledge bases of different sizes:
    the fitted model puts every row on its side of one half, and the chosen probability (the lowest within the
    target share of false answers) answers every right row and keeps each knowledge base within the target."""
    rng = random.Random(3)
    rows = []
    for kb, n in (("a", 400), ("b", 100)):
        for _ in range(n):
            ok = rng.random() < 0.5
            x = [rng.uniform(0.6, 1.0) if ok else rng.uniform(0.0, 0.4)] + [rng.random() for _ in range(7)]
            rows.append({"set": kb, "variant": 0, "x": x, "expected": "e" if ok else None, "top": [["e", x[0]]]})
    model = train.fit(rows)
    assert all((answerability.probability(r["x"], model) > 0.5) == train.right(r) for r in rows)
    p = train.choose(rows, model)
    for kb in ("a", "b"):
        mine = [r for r in rows if r["set"] == kb]
        found = train.measure(mine, [answerability.probability(r["x"], model) >= p for r in mine])
        assert found["correct"] == 1.0 and found["false"] <= train.TARGET_FALSE
