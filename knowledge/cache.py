"""A cache bounded by bytes, not by count: a few huge keys cannot grow it past its budget.

Keys are strings; values anything whose ``sys.getsizeof`` counts what it holds (a str, an ``array``), or
anything else with its size in bytes given to ``put``."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")

# What an entry costs beyond its two strings: its OrderedDict slot, hash index and link node (measured
# ~91 bytes with tracemalloc on CPython 3.11; rounded up for the slack a dict keeps after growing).
ENTRY_OVERHEAD = 128


def entry_size(key: str, value: object) -> int:
    return sys.getsizeof(key) + sys.getsizeof(value) + ENTRY_OVERHEAD


class ByteCache(Generic[V]):
    """At most ``max_bytes`` (estimated: the strings' ``sys.getsizeof`` plus ENTRY_OVERHEAD each); when a new
    entry would pass that, the oldest entries go. An entry larger than the whole budget is not kept.
    ``get`` is the dict's own (no Python call on the hot path); ``put`` may run in several threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[str, V] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()
        self.get = self._items.get

    def __len__(self) -> int:
        return len(self._items)

    def put(self, key: str, value: V, size: int | None = None) -> V:
        """Keep ``value``; ``size``: its bytes when ``sys.getsizeof`` does not count what it holds."""
        given = size is not None
        size = sys.getsizeof(key) + size + ENTRY_OVERHEAD if size is not None else entry_size(key, value)
        if size > self.max_bytes:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= self._size(key, old)
            self._items[key] = value
            if given:  # only then: a second dict entry per item would be memory the estimate leaves out
                self._sizes[key] = size
            self.bytes += size
            while self.bytes > self.max_bytes:
                gone, gone_value = self._items.popitem(last=False)
                self.bytes -= self._size(gone, gone_value)
        return value

    def _size(self, key: str, value: V) -> int:
        size = self._sizes.pop(key, None)
        return size if size is not None else entry_size(key, value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._sizes.clear()
            self.bytes = 0
