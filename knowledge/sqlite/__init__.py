"""The SQLite backend: every SQL statement of the embedded store lives in this package.

Each module is a mixin of ``knowledge.sqlite.store.SqliteStore`` holding the statements of one area, with methods named
in domain words (``open_escalation_counts``, ``forget_person``), so the logic modules above (knowledge.analytics,
knowledge.forget, ...) decide and compute while the backend reads and writes. A step that reads, decides and
writes is one method here, inside one transaction, so two processes cannot both do it.
"""

from knowledge.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
