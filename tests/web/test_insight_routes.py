"""Gaps and analytics pages: period and channel filters, every chart an SVG with data points beside the same
data as a table and a CSV download, texts escaped."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient

from handlers.desk import Desk
from knowledge.model import Article, Place
from knowledge.sqlite.store import SqliteStore
from tests.fakes import FakeChat
from tests.web.conftest import AGENT, pending_review
from tests.web.test_review_routes import ANSWER, FIREWORKS

TABLES = ("per_day", "outcomes", "times", "feedback", "topics", "articles")


def last_question(store: SqliteStore) -> int:
    return int(store.rows("SELECT max(id) AS id FROM questions")[0]["id"])


@pytest.fixture
def activity(desk: Desk, chat: FakeChat, demo_store: SqliteStore) -> int:
    """Questions answered directly (one found helpful, one not: escalated), and one answered by an expert."""
    demo_store.upsert_articles([Article(id="kb-script", title="<script>alert('t')</script> Hondenbelasting betalen",
                                        body="De hondenbelasting betaal je per hond per jaar.",
                                        questions=("hoeveel hondenbelasting betaal ik per hond",))])
    desk.ask(AGENT, "hoeveel hondenbelasting betaal ik per hond", Place("D1"))
    desk.feedback(last_question(demo_store), True, AGENT)
    desk.ask(AGENT, "hoe vraag ik een nieuw paspoort aan?", Place("D1"))
    desk.feedback(last_question(demo_store), False, AGENT)
    review = pending_review(desk, chat, FIREWORKS, ANSWER)
    with demo_store.transaction() as db:  # the experts took half an hour (all of it ran within a second)
        for row in db.execute("SELECT id, created_at FROM escalations").fetchall():
            earlier = datetime.fromisoformat(row[1]) - timedelta(minutes=30)
            db.execute("UPDATE escalations SET created_at = ? WHERE id = ?", [earlier.isoformat(), row[0]])
    return review


def svgs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="chart" id="chart-([a-z_]+)">\s*(<svg.*?</svg>)', html, re.S))


def test_every_chart_is_an_svg_with_points_a_table_and_a_csv_link(signed_in: FlaskClient, activity: int) -> None:
    html = signed_in.get("/analytics").get_data(as_text=True)
    found = svgs(html)
    assert set(found) == set(TABLES)
    for name, svg in found.items():
        assert re.search(r'class="(bar|point)[ "]', svg), name
        assert f'href="/analytics/{name}.csv?start=' in html
    assert html.count("<table>") == len(TABLES)


def test_chart_dates_are_in_the_owners_language_and_channels_are_not_topics(signed_in: FlaskClient,
                                                                           activity: int) -> None:
    found = svgs(signed_in.get("/analytics").get_data(as_text=True))
    months = "jan feb mrt apr mei jun jul aug sep okt nov dec".split()
    days = re.findall(r'class="tick"[^>]*>(\d{1,2} [a-z]{3})</text>', found["per_day"])
    assert days and all(d.split()[1] in months for d in days)
    assert "kcc-experts" not in found["topics"]


def test_texts_in_charts_and_tables_are_escaped(signed_in: FlaskClient, activity: int) -> None:
    html = signed_in.get("/analytics").get_data(as_text=True)
    assert "Hondenbelasting" in html and "<script>alert" not in html


def test_csv_is_an_attachment_with_the_table(signed_in: FlaskClient, activity: int) -> None:
    got = signed_in.get("/analytics/outcomes.csv?start=2020-01-01&end=2099-01-01")
    assert got.status_code == 200 and got.mimetype == "text/csv"
    disposition = 'attachment; filename="vraagbaak-outcomes-2098-01-01-2099-01-01.csv"'  # a year at most
    assert got.headers["Content-Disposition"] == disposition
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True))))
    assert rows[0] == ["outcome", "count", "share"]
    assert signed_in.get("/analytics/nope.csv").status_code == 404


def test_the_period_and_channel_filter_the_numbers(signed_in: FlaskClient, activity: int,
                                                   demo_store: SqliteStore) -> None:
    def total(query: str) -> int:
        rows = list(csv.reader(io.StringIO(signed_in.get(f"/analytics/outcomes.csv?{query}").get_data(as_text=True))))
        return sum(int(r[1]) for r in rows[1:])

    assert total("") == 3
    assert total("start=2001-01-01&end=2001-01-31") == 0
    channels = [r["channel"] for r in demo_store.rows("SELECT DISTINCT channel FROM escalations")]
    assert sum(total(f"channel={c}") for c in channels) == 2  # the two questions that went to the experts
    assert total("channel=kcc-experts") >= 1 and total("channel=elders") == 0
    assert 'value="kcc-experts" selected' in signed_in.get("/analytics?channel=kcc-experts").get_data(as_text=True)


def test_a_bad_date_falls_back_and_says_so(signed_in: FlaskClient) -> None:
    html = signed_in.get("/analytics?start=gisteren").get_data(as_text=True)
    assert "onleesbaar" in html


def test_gaps_biggest_first_with_write_links(signed_in: FlaskClient, activity: int) -> None:
    html = signed_in.get("/gaps").get_data(as_text=True)
    assert re.search(r'class="(bar)[ "]', svgs(html)["gaps"])
    assert FIREWORKS in html and "paspoort" in html
    links = re.findall(r'href="(/gaps/write\?[^"]+)"', html)
    assert links and any("answer=" in link for link in links)
    form = signed_in.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert 'id="new-article"' in form
    got = signed_in.get("/gaps.csv")
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.get_data(as_text=True).startswith("gap,questions,escalations,answer")


def test_the_home_page_counts_what_waits(signed_in: FlaskClient, activity: int) -> None:
    html = signed_in.get("/").get_data(as_text=True)
    assert re.search(r'id="count-reviews">1<', html)
    assert int(re.search(r'id="count-gaps">(\d+)<', html).group(1)) >= 1
