"""What the mixins of this package may use of SqliteStore itself."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlite_utils


class Base(Protocol):
    path: str

    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...
    def iter_rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), batch: int = 1000,
                  ) -> Iterator[dict[str, Any]]: ...
