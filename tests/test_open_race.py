"""Processes opening one new database file at the same moment all start (CI once lost a process to
"database is locked" when two switched the new file to WAL at once)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from knowledge.sqlite.store import SqliteStore

CTX = multiprocessing.get_context("fork")


def _open(path: str, start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    SqliteStore(path).close()


@pytest.mark.process
def test_six_processes_opening_one_new_file_at_once_all_start(tmp_path: Path) -> None:
    failed = 0
    for round_ in range(60):  # the switch to WAL races in a narrow window: many rounds to meet it
        path, start = str(tmp_path / f"new-{round_}.db"), CTX.Event()
        procs = [CTX.Process(target=_open, args=(path, start)) for _ in range(6)]
        for p in procs:
            p.start()
        start.set()
        for p in procs:
            p.join(60)
        failed += sum(p.exitcode != 0 for p in procs)
    assert failed == 0
