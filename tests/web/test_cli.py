"""vraagbaak web-login: a one-time link for an owner, a clear refusal for anyone else."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.parser import main
from knowledge.sqlite.store import SqliteStore


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, demo_store: SqliteStore) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", demo_store.path)
    monkeypatch.setenv("VRAAGBAAK_OWNERS", "Kim,j.verbeek@voorbeeldgemeente.nl")
    monkeypatch.setenv("VRAAGBAAK_WEB_URL", "https://kb.gemeente.example/")
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")


def test_an_owner_gets_a_one_time_link(capsys: pytest.CaptureFixture[str], demo_store: SqliteStore) -> None:
    assert main(["web-login", "Joyce", "Verbeek"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://kb.gemeente.example/login?token=") and len(link.split("=", 1)[1]) >= 40
    assert demo_store.rows("SELECT owner FROM web_logins") == [{"owner": "p-02"}]


def test_anyone_else_is_refused_with_one_line(capsys: pytest.CaptureFixture[str], demo_store: SqliteStore) -> None:
    assert main(["web-login", "Piet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Piet" in err and "VRAAGBAAK_OWNERS" in err
    assert demo_store.rows("SELECT count(*) AS n FROM web_logins") == [{"n": 0}]


def test_the_console_follows_edits_of_the_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import config

    env_file = tmp_path / "vraagbaak.env"
    env_file.write_text("VRAAGBAAK_OWNERS=Kim,Joyce\n", encoding="utf-8")
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(env_file))
    monkeypatch.setattr(config, "_ENVIRONMENT_AT_START", {"VRAAGBAAK_LANG": "en"})
    assert config.reload().web_owners == "Kim,Joyce" and config.reload().lang == "en"
    env_file.write_text("VRAAGBAAK_OWNERS=Joyce\nVRAAGBAAK_LANG=nl\n", encoding="utf-8")
    assert config.reload().web_owners == "Joyce" and config.reload().lang == "en"  # the environment wins
