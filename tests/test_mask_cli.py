"""`vraagbaak mask`: one masked line out for every line in, and the evaluation of a labelled set."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.parser import main

DATA = Path(__file__).parent / "data"


def test_mask_keeps_the_line_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["BSN 628 194 821", "", "Bel 14 020 of 06-12345678", "   ", "mail jan (at) gmail.com", "gewoon tekst"]
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["mask", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["BSN [BSN]", "", "Bel 14 020 of [TELEFOON]", "   ", "mail [EMAIL]", "gewoon tekst"]


def test_mask_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("IBAN NL91ABNA0417164300\r\nPostcode 1234AB, nr 5\n"))
    assert main(["mask"]) == 0
    assert capsys.readouterr().out == "IBAN [IBAN]\nPostcode [ADRES]\n"


def test_mask_eval_prints_recall_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mask", "--eval", str(DATA / "privacy_labelled.jsonl")]) == 0
    out = capsys.readouterr().out
    for kind in ("bsn", "iban", "phone", "email", "address"):
        assert f"{kind}: recall 100.0%" in out
    assert "look-alikes touched: 0.0%" in out


def test_mask_eval_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mask", "--eval"]) == 2
    assert "vraagbaak mask --eval" in capsys.readouterr().err


def test_only_a_newline_ends_a_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes("vraag\ran BSN 628194821\r\n\u2028tel 06-12345678".encode())
    assert main(["mask", str(path)]) == 0
    assert capsys.readouterr().out == "vraag\ran BSN [BSN]\n\u2028tel [TELEFOON]\n"
