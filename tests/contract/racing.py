"""Processes racing on one store (as replicas on several machines would): each opens the store, waits for one
signal, then all run the same step at once."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.contract.conftest import open_store

# Processes fork from a server that imported the backends once: 8 start in a fraction of a second.
CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload([__name__, "tests.contract.test_access", "tests.contract.test_articles"])

Step = Callable[[Any, int, Any], Any]  # (store, which process, argument) -> what it found (JSON)


def _run(step: Step, spec: dict[str, str], who: int, start: Any, arg: Any, out: str) -> None:
    store = open_store(spec)
    start.wait(60)
    found = step(store, who, arg)
    store.close()
    Path(out, f"{who}.json").write_text(json.dumps(found))


def race(step: Step, spec: dict[str, str], processes: int, tmp_path: Path, arg: Any = None) -> list[Any]:
    """What ``step`` found in each of ``processes`` processes running it at once (their exit codes must be 0)."""
    start = CTX.Event()
    out = tmp_path / f"race-{step.__name__}"
    out.mkdir()
    procs = [CTX.Process(target=_run, args=(step, spec, n, start, arg, str(out))) for n in range(processes)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * processes
    return [json.loads((out / f"{n}.json").read_text()) for n in range(processes)]
