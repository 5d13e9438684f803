"""Long work shows a progress bar on a terminal, and nothing when standard error is a pipe or a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[1]


def kb(tmp_path: Path, n: int = 400) -> Path:
    path = tmp_path / "kb.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "title": f"Artikel {i} over vergunning {i}"}) + "\n"
                            for i in range(n)))
    return path


def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "VRAAGBAAK_DB": str(tmp_path / "p.db"), "VRAAGBAAK_ENV_FILE": "/nonexistent",
            "VRAAGBAAK_LANG": "nl", "COLUMNS": "100", "VRAAGBAAK_SEMANTIC": "off"}  # the import alone


def test_import_shows_a_bar_on_a_terminal(tmp_path: Path) -> None:
    primary, secondary = os.openpty()
    done = subprocess.run([sys.executable, "-m", "bot", "import", "kb", str(kb(tmp_path))], cwd=ROOT,
                          env=env(tmp_path), stdout=subprocess.PIPE, stderr=secondary, timeout=120)
    os.close(secondary)
    shown = b""
    try:
        while chunk := os.read(primary, 65536):
            shown += chunk
    except OSError:  # the terminal is closed once everything is read
        pass
    os.close(primary)
    assert done.returncode == 0 and b"400 artikelen" in done.stdout
    assert b"importeren:" in shown and b"/400 [" in shown  # a count and an estimate; cleared when done


def test_import_is_quiet_when_not_on_a_terminal(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "import", "kb", str(kb(tmp_path))], cwd=ROOT,
                          env=env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "" and done.stdout == "400 artikelen geïmporteerd\n"
