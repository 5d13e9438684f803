"""Analytics over a period: outcomes per day, times to an expert's answer, feedback, topics and articles, read
from what the real loop stored (a Desk with a fake chat and a real SQLite store)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from handlers.desk import Desk
from knowledge.analytics import Table, analytics, percentile, table_csv
from knowledge.model import Place, User
from knowledge.sqlite.store import SqliteStore
from tests.fakes import FakeChat

AGENT = User("agent1", "Anna")
AGENT2 = User("agent2", "Bram")
EXPERT = User("expert1", "Piet")
KNOWN = "hoe vraag ik een nieuw paspoort aan?"
UNKNOWN = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"
TODAY = datetime.now(UTC).date()


def shift(store: SqliteStore, table: str, row_id: int, when: datetime, column: str = "created_at") -> None:
    with store.transaction() as db:
        db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [when.replace(microsecond=0).isoformat(), row_id])


def last_id(store: SqliteStore, table: str) -> int:
    return int(store.rows(f"SELECT max(id) AS n FROM {table}")[0]["n"])


def escalate_and_answer(desk: Desk, chat: FakeChat, asker: User, question: str, replied_after: float,
                        marked_after: float | None, at: datetime) -> int:
    """Ask ``question`` (escalated), an expert replies ``replied_after`` minutes later and the reply is marked
    ``marked_after`` minutes after the escalation (None: never); every stamp moved to ``at``. The escalation id."""
    desk.ask(asker, question, Place(f"D-{asker.id}"))
    esc_id = last_id(desk.store, "escalations")
    esc = desk.store.escalation(esc_id)
    assert esc is not None and esc.place is not None
    reply = Place(esc.place.channel, esc.place.message, f"r{esc_id}")
    desk.thread_reply(reply, EXPERT, "Alleen met een ontheffing van de burgemeester.")
    shift(desk.store, "questions", esc.question_id, at)
    shift(desk.store, "escalations", esc_id, at)
    shift(desk.store, "answers", last_id(desk.store, "answers"), at + timedelta(minutes=replied_after))
    if marked_after is not None:
        desk.mark_answer(reply, EXPERT)
        shift(desk.store, "escalations", esc_id, at + timedelta(minutes=marked_after), column="answered_at")
    return esc_id


def test_outcomes_per_day_times_feedback_and_articles_from_the_real_loop(desk: Desk, chat: FakeChat) -> None:
    store = desk.store
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    answered = desk.ask(AGENT, KNOWN, Place("D1"))  # answered directly, today
    assert "paspoort" in answered.text.lower()
    direct_id = last_id(store, "questions")
    desk.feedback(direct_id, True, AGENT)
    desk.ask(AGENT2, KNOWN, Place("D2"))  # answered, then "not helpful": escalated, waiting
    desk.feedback(last_id(store, "questions"), False, AGENT2)
    escalate_and_answer(desk, chat, AGENT, UNKNOWN, replied_after=10, marked_after=30, at=two_days_ago)
    escalate_and_answer(desk, chat, AGENT2, "Wie beslist over een bankje plaatsen in het park van de wijk?",
                        replied_after=50, marked_after=None, at=two_days_ago)

    found = analytics(store, TODAY - timedelta(days=6), TODAY)

    assert found.per_day.column("day")[0] == (TODAY - timedelta(days=6)).isoformat()
    assert len(found.per_day.rows) == 7  # every day of the period, zeros included
    by_day = {r[0]: r[1:] for r in found.per_day.rows}
    assert by_day[TODAY.isoformat()] == (1, 0, 0, 1)  # direct, suggestion, expert, unanswered
    assert by_day[two_days_ago.date().isoformat()] == (0, 0, 1, 1)
    assert sum(sum(r[1:]) for r in found.per_day.rows) == 4  # type: ignore[misc]
    outcomes = {r[0]: (r[1], r[2]) for r in found.outcomes.rows}
    assert outcomes == {"direct": (1, 0.25), "suggestion": (0, 0.0), "expert": (1, 0.25), "unanswered": (2, 0.5)}

    times = {r[0]: r[1:] for r in found.times.rows}
    assert times["first_reply"][0] >= 2 and times["marked_answer"] == (1, 30.0, 30.0)
    assert dict(found.feedback.rows) == {"helpful": 1, "not_helpful": 1}
    articles = {r[0]: r[1:] for r in found.articles.rows}
    paspoort = next(a for a in articles if "paspoort" in a)
    assert articles[paspoort][1:] == (1, 0, 1, 1)  # one stayed answered; feedback both ways
    assert found.topics.rows and all(isinstance(r[2], int) for r in found.topics.rows)
    assert found.channels  # the escalations were routed to an expert channel


def test_a_channel_counts_only_the_questions_escalated_there(desk: Desk, chat: FakeChat) -> None:
    at = datetime.now(UTC) - timedelta(days=1)
    escalate_and_answer(desk, chat, AGENT, UNKNOWN, replied_after=5, marked_after=8, at=at)
    desk.ask(AGENT, KNOWN, Place("D1"))  # answered directly: in no channel
    channel = desk.store.escalation(last_id(desk.store, "escalations"))
    assert channel is not None

    everything = analytics(desk.store, TODAY - timedelta(days=3), TODAY)
    one = analytics(desk.store, TODAY - timedelta(days=3), TODAY, channel=channel.channel)
    other = analytics(desk.store, TODAY - timedelta(days=3), TODAY, channel="kcc-nowhere")

    assert sum(r[1] for r in everything.outcomes.rows) == 2
    assert {r[0]: r[1] for r in one.outcomes.rows} == {"direct": 0, "suggestion": 0, "expert": 1, "unanswered": 0}
    assert one.times.rows[1][1:] == (1, 8.0, 8.0)
    assert sum(r[1] for r in other.outcomes.rows) == 0 and other.times.rows[0][1] == 0
    assert channel.channel in everything.channels


def test_an_empty_period_has_zeros_not_errors(store: SqliteStore) -> None:
    found = analytics(store, date(2026, 1, 10), date(2026, 1, 1))  # given backwards: swapped
    assert found.start == date(2026, 1, 1) and len(found.per_day.rows) == 10
    assert all(r[1:] == (0, 0, 0, 0) for r in found.per_day.rows)
    assert {r[0]: r[2] for r in found.outcomes.rows} == dict.fromkeys(("direct", "suggestion", "expert", "unanswered"),
                                                                       0.0)
    assert found.times.rows == (("first_reply", 0, None, None), ("marked_answer", 0, None, None))
    assert found.topics.rows == () and found.articles.rows == () and found.channels == ()
    assert [t.name for t in found.tables()] == ["per_day", "outcomes", "times", "feedback", "topics", "articles"]


def test_a_suggestion_chosen_counts_as_answered_by_suggestion(desk: Desk) -> None:
    store = desk.store
    q = store.add_question(AGENT, "fake", Place("D1"), "paspoort kwijt wat nu", "nl", "suggest", None,
                           ["nl-paspoort-kwijt", "nl-paspoort-aanvragen"])
    desk.read(f"{q.id}:nl-paspoort-kwijt", AGENT)  # the asker picks a suggestion
    found = analytics(store, TODAY, TODAY)
    assert {r[0]: r[1] for r in found.outcomes.rows}["suggestion"] == 1
    row = next(r for r in found.articles.rows if r[0] == "nl-paspoort-kwijt")
    assert row[2:] == (0, 1, 0, 0) and row[1]  # chosen once, with its title
    assert found.topics.rows[0][1] == "keyword"


def test_a_channel_is_not_a_topic(desk: Desk, chat: FakeChat) -> None:
    """An escalated question has no article to take a topic from; the store names its channel, the topics
    table leaves it out (issue 23: 'kcc-experts' showed up as a topic)."""
    desk.ask(AGENT, UNKNOWN, Place("D1"))
    desk.ask(AGENT, KNOWN, Place("D1"))
    store_rows = desk.store.question_topics(TODAY.isoformat(), (TODAY + timedelta(days=1)).isoformat())
    assert any(source == "channel" for _, source, _ in store_rows)  # the store does name it
    found = analytics(desk.store, TODAY, TODAY)
    assert found.topics.rows and all(r[1] == "keyword" for r in found.topics.rows)
    assert "kcc-experts" not in {r[0] for r in found.topics.rows}


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(1, 11))), 90) == 9.1


def test_csv_has_the_keys_as_header_quotes_and_guards_formulas() -> None:
    table = Table("articles", ("article", "title", "direct"),
                  (("a1", '=HYPERLINK("http://x")', 3), ("a2", "Afval, grof; \"kliko\"", -2), ("a3", "@SUM", None),
                   ("a4", "-1+1", 0), ("a5", "+31 6", 1)))
    text = table_csv(table)
    assert text.startswith("article,title,direct\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["a1", "'=HYPERLINK(\"http://x\")", "3"]
    assert rows[2] == ["a2", "Afval, grof; \"kliko\"", "-2"]  # a number stays a number
    assert rows[3] == ["a3", "'@SUM", ""] and rows[4][1] == "'-1+1" and rows[5][1] == "'+31 6"
