"""Sanity checks for the demo data the bot ships with (knowledge/demo/)."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

DEMO = Path(__file__).parents[1] / "knowledge" / "demo"

ARTICLE_FIELDS = (
    "id",
    "title",
    "body",
    "keywords",
    "questions",
    "lang",
    "url",
    "owner",
    "status",
    "review_date",
)
PEOPLE_HEADER = ["id", "name", "title", "department", "expertise", "email", "phone", "slack_id", "teams_id"]
PEOPLE_REQUIRED = ("id", "name", "title", "department", "expertise", "email", "phone", "slack_id")
CHANNELS = {
    "kcc-burgerzaken",
    "kcc-belastingen",
    "kcc-werk-inkomen",
    "kcc-wmo",
    "kcc-afval",
    "kcc-parkeren",
    "kcc-vergunningen",
    "kcc-openbare-ruimte",
}


def _read_csv(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DEMO / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    out = []
    lines = (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
            pytest.fail(f"articles.jsonl line {n}: invalid JSON: {exc}")
        assert isinstance(obj, dict), f"line {n} is not a JSON object"
        out.append(obj)
    return out


@pytest.fixture(scope="module")
def people() -> list[dict[str, str]]:
    header, rows = _read_csv("people.csv")
    assert header == PEOPLE_HEADER
    return rows


@pytest.fixture(scope="module")
def routes() -> list[dict[str, str]]:
    header, rows = _read_csv("routes.csv")
    assert header == ["keyword", "channel"]
    return rows


def test_articles_have_required_fields(articles):
    for art in articles:
        for field in ARTICLE_FIELDS:
            assert field in art, f"{art.get('id')}: missing {field}"
            value = art[field]
            assert value, f"{art.get('id')}: empty {field}"
            if field in ("keywords", "questions"):
                assert isinstance(value, list), f"{art['id']}: {field} is not a list"
                assert all(isinstance(v, str) and v.strip() for v in value), f"{art['id']}: blank {field}"
            else:
                assert isinstance(value, str) and value.strip(), f"{art['id']}: {field} is not a string"


def test_article_values_are_well_formed(articles):
    for art in articles:
        assert art["lang"] in ("nl", "en"), art["id"]
        assert art["id"].startswith(art["lang"] + "-"), art["id"]
        assert art["status"] == "validated", art["id"]
        assert art["url"].startswith("https://www.voorbeeldgemeente.nl/"), art["id"]
        date.fromisoformat(art["review_date"])
        assert 3 <= len(art["keywords"]) <= 8, art["id"]
        assert 2 <= len(art["questions"]) <= 4, art["id"]
        sentences = len(re.findall(r"[.!?](?:\s|$)", art["body"]))
        assert 3 <= sentences <= 8, f"{art['id']}: {sentences} sentences"


def test_article_ids_and_urls_unique(articles):
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    urls = [a["url"] for a in articles]
    assert len(urls) == len(set(urls))


def test_article_counts_per_language(articles):
    assert sum(a["lang"] == "nl" for a in articles) >= 40
    assert sum(a["lang"] == "en" for a in articles) >= 10


def test_some_articles_are_stale_and_most_are_not(articles):
    dates = [a["review_date"] for a in articles]
    assert all("2026-01-01" <= d <= "2027-12-31" for d in dates)
    past = [d for d in dates if d < "2026-07-01"]
    assert 1 <= len(past) < len(dates) // 4


def test_owners_are_people(articles, people):
    names = {p["name"] for p in people}
    unknown = sorted({a["owner"] for a in articles} - names)
    assert not unknown, f"owners not in people.csv: {unknown}"


def test_escalation_topics_are_left_out(articles):
    # The demo shows escalation on these questions, so no article may cover them.
    text = " ".join(
        " ".join([a["title"], a["body"], *a["keywords"], *a["questions"]]) for a in articles
    ).lower()
    for word in ("huisdier", "wasmachine", "bijzondere bijstand", "spoed", "zondag", "adoptie", "vuurwerk"):
        assert word not in text, word


def test_people(people):
    assert len(people) >= 20
    for p in people:
        for field in PEOPLE_REQUIRED:
            assert (p.get(field) or "").strip(), f"{p.get('id')}: empty {field}"
        assert p["email"].endswith("@voorbeeldgemeente.nl"), p["id"]
        assert [e for e in p["expertise"].split(";") if e.strip()], p["id"]
    ids = [p["id"] for p in people]
    assert len(ids) == len(set(ids))
    slack = [p["slack_id"] for p in people]
    assert len(slack) == len(set(slack))
    names = [p["name"] for p in people]
    assert len(names) == len(set(names))
    assert any("kennismanager" in p["title"].lower() for p in people)
    assert any("english" in p["expertise"].lower() for p in people)


def test_routes(routes):
    assert 40 <= len(routes) <= 80
    for r in routes:
        kw = r["keyword"]
        assert kw.strip() and kw == kw.lower() and kw == kw.strip(), f"bad keyword {kw!r}"
        assert r["channel"] in CHANNELS, f"{kw}: unknown channel {r['channel']!r}"
    keywords = [r["keyword"] for r in routes]
    assert len(keywords) == len(set(keywords))
    assert {r["channel"] for r in routes} == CHANNELS


def test_the_history_reports_its_progress_from_before_the_first_question(tmp_path: Path) -> None:
    from bot import bootstrap, demo
    from bot.config import Settings

    settings = Settings(db_path=str(tmp_path / "h.db"), semantic="off", digest="off")
    store = bootstrap.open_store(settings)
    bootstrap.load_demo(store)
    seen: list[tuple[int, int]] = []
    played = demo.play_history(settings, store, shown=lambda done, total: seen.append((done, total)))
    assert played > 150 and seen[0] == (0, played) and seen[-1] == (played, played)
    assert [done for done, _ in seen] == list(range(played + 1))
    assert store.count("questions") == played  # one question a visit
