"""The README documents every command and setting; the set-up commands match what CI runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot import config
from bot.parser import parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands(p: argparse.ArgumentParser) -> list[str]:
    action = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def test_every_command_is_in_the_readme() -> None:
    for name in subcommands(parser()):
        assert f"vraagbaak {name}" in README, name


def test_every_import_kind_is_in_the_readme() -> None:
    top = parser()
    imports = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices["import"]
    for kind in subcommands(imports):
        assert f"vraagbaak import {kind}" in README, kind


def test_every_setting_is_in_the_readme() -> None:
    for setting in config.SETTINGS.values():
        assert f"`{setting.env}`" in README, setting.env


def test_ci_runs_the_readme_test_command() -> None:
    block = re.search(r"## Set-up.*?```sh\n(.*?)```", README, re.S)
    assert block
    install, test = block.group(1).strip().splitlines()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci and "pip install --quiet -e '.[dev]'" in ci and "vraagbaak demo" in install


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}


def broken_links(path: Path) -> list[str]:
    """Links in ``path`` to a file that does not exist, or to a heading that is not in the file linked."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        file, _, fragment = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.is_relative_to(ROOT) or not linked.exists() \
                or (fragment and linked.suffix == ".md" and fragment not in anchors(linked)):
            broken.append(target)
    return broken


def test_no_link_points_outside_the_repository() -> None:
    assert "../" not in README
    assert broken_links(ROOT / "README.md") == []


def test_the_docs_links_resolve() -> None:
    docs = sorted((ROOT / "docs").glob("*.md"))
    assert docs
    for path in docs:
        assert broken_links(path) == [], path.name


def test_the_readme_is_a_guide_of_at_most_450_lines() -> None:
    """Measurements, design notes and rejected ideas go to docs/, so the README stays the user's guide."""
    assert len(README.splitlines()) <= 450


def test_the_walkthrough_says_to_activate_the_venv_before_plain_vraagbaak() -> None:
    walk = README.index("## A walk through the loop")
    first_plain = README.index("$ vraagbaak", walk)
    assert ".venv/bin/activate" in README[walk:first_plain]


def test_ask_s_options_are_documented_as_they_are() -> None:
    top = parser()
    ask = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices["ask"]
    row = next(line for line in README.splitlines() if line.startswith('| `vraagbaak ask'))
    options = {o for a in ask._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
    assert options == set(re.findall(r"--[a-z]+", row))


def test_no_large_file_is_tracked() -> None:
    """Wheels, downloads and generated data stay out of the repository (they are ignored, and this catches a
    forced add): nothing tracked is over 5 MB."""
    import subprocess

    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    tracked = [ROOT / name for name in listed.decode().split("\0") if name]
    large = [str(p.relative_to(ROOT)) for p in tracked if p.is_file() and p.stat().st_size > 5_000_000]
    assert tracked and not large, f"files over 5 MB are tracked: {large}"


def test_the_licence_is_the_eupl_and_the_readme_says_so() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "EUPL-1.2" in README


def test_the_manifest_registers_what_sign_in_with_slack_sends(tmp_path: Path) -> None:
    """manifest.yml's redirect URL and user scopes are those the web console's Sign in with Slack asks for
    (with VRAAGBAAK_WEB_URL at the manifest's example host), so a Slack app made from it accepts the sign-in."""
    from urllib.parse import parse_qs, urlsplit

    import yaml

    from bot.web.app import create_app

    oauth = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))["oauth_config"]
    settings = config.Settings(db_path=str(tmp_path / "v.db"), semantic="off", slack_client_id="1.2",
                               slack_client_secret="secret", web_url="https://vraagbaak.example.org")
    response = create_app(settings).test_client().get("/login/slack")
    assert response.status_code == 302
    sent = parse_qs(urlsplit(response.headers["Location"]).query)
    assert sent["redirect_uri"] == oauth["redirect_urls"]
    assert sorted(sent["scope"][0].split()) == sorted(oauth["scopes"]["user"])
