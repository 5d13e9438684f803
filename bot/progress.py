"""Progress bars on long work (import, embedding, evaluation): tqdm on standard error, with a count and an
estimate, and nothing at all when standard error is not a terminal (a pipe, a log, CI)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
SHOWN_FROM = 200  # items: below this the work takes well under a couple of seconds


def _bar(**options: object) -> tqdm:
    # a terminal that reports no size (0 x 0) would hide the bar: COLUMNS/LINES, the size, else 80 x 24
    size = shutil.get_terminal_size()
    return tqdm(unit="", file=sys.stderr, leave=False, ncols=size.columns or 80, nrows=size.lines or 24, **options)


def _quiet(total: int | None) -> bool:
    return not sys.stderr.isatty() or (total is not None and total < SHOWN_FROM)


def iterate(items: list[T], desc: str) -> Iterator[T]:
    """``items``, counted on a bar while they are used."""
    yield from _bar(iterable=items, desc=desc, disable=_quiet(len(items)))


@contextmanager
def counter(desc: str) -> Iterator[Callable[[int, int], None]]:
    """A ``(done, total)`` callback for work that learns its total as it goes."""
    bar: tqdm | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = _bar(total=total, desc=desc, disable=_quiet(total))
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()

