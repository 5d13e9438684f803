"""Analytics for the owners' console: what the bot answered over a period, how fast experts answered, what
people thought of it, and which topics and articles carry the load.

Plain reads over the store, a few SQL queries per call (no per-question Python over the whole table): at
100,000 questions a call takes well under a second (README, measured). Every figure is a ``Table`` (column
keys, not display text), so a page can show it as a chart, as a table and as CSV (``table_csv``).

How a question's outcome is read from what the loop stores (``handlers/desk.py``):

- ``expert``: its escalation was answered (the question's status is ``resolved``);
- ``direct``: the bot answered it (decision ``answer``) and it stayed answered (not escalated afterwards by
  "not helpful" or the asker's own click);
- ``suggestion``: the bot only suggested (or found nothing), and the asker then chose a suggestion or said it
  helped (status ``answered``);
- ``unanswered``: everything else (still open, or escalated and waiting).

The period runs from ``start`` 00:00 to ``end`` 24:00 UTC (dates in the database are UTC ISO strings); a
question counts on the day it was asked. With ``channel`` given, only questions escalated to that expert
channel count (including those that joined an escalation there), and the times, feedback, topics and articles
are those of these questions and escalations.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

Cell = str | int | float | None
OUTCOMES: tuple[str, ...] = ("direct", "suggestion", "expert", "unanswered")
TOP = 10  # rows in the topics and articles tables
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula (CSV injection)


class Readable(Protocol):
    """What analytics read through (the store)."""

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Table:
    name: str  # "per_day", "outcomes", "times", "feedback", "topics", "articles"
    columns: tuple[str, ...]  # column keys, translated by the page that shows them
    rows: tuple[tuple[Cell, ...], ...]

    def column(self, key: str) -> tuple[Cell, ...]:
        """The values of one column, in row order."""
        i = self.columns.index(key)
        return tuple(r[i] for r in self.rows)


@dataclass(frozen=True)
class Analytics:
    start: date
    end: date
    channel: str | None
    channels: tuple[str, ...]  # expert channels that ever had an escalation (for the filter), as stored
    per_day: Table  # day, direct, suggestion, expert, unanswered: every day of the period, zeros included
    outcomes: Table  # outcome, count, share (0..1) over the period
    times: Table  # measure (first_reply, marked_answer), n, median and p90 minutes (None without data)
    feedback: Table  # helpful / not helpful counts
    topics: Table  # topic, source (keyword | channel), questions: the most asked first
    articles: Table  # article, title, direct, chosen, helpful, not_helpful: the articles that answered most

    def tables(self) -> tuple[Table, ...]:
        return (self.per_day, self.outcomes, self.times, self.feedback, self.topics, self.articles)


def analytics(store: Readable, start: date, end: date, channel: str | None = None) -> Analytics:
    """The numbers of the period ``start``..``end`` (both included), for one expert ``channel`` or all."""
    if end < start:
        start, end = end, start
    scope = _Scope(start, end, channel)
    channels = tuple(r["channel"] for r in store.rows("SELECT DISTINCT channel FROM escalations ORDER BY channel"))
    per_day = _per_day(store, scope)
    return Analytics(
        start=start, end=end, channel=channel, channels=channels,
        per_day=per_day, outcomes=_outcomes(per_day), times=_times(store, scope),
        feedback=_feedback(store, scope), topics=_topics(store, scope), articles=_articles(store, scope),
    )


@dataclass(frozen=True)
class _Scope:
    """The questions of a period (and channel) as a CTE ``scope`` with an ``outcome`` column."""

    start: date
    end: date
    channel: str | None

    @property
    def params(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "stop": (self.end + timedelta(days=1)).isoformat(),
                "channel": self.channel}

    @property
    def cte(self) -> str:
        where = "q.created_at >= :start AND q.created_at < :stop"
        if self.channel is not None:
            where += (" AND EXISTS (SELECT 1 FROM waiters w JOIN escalations e ON e.id = w.escalation_id"
                      " WHERE w.question_id = q.id AND e.channel = :channel)")
        return (
            "WITH scope AS (SELECT q.id, q.article_id, q.shown, substr(q.created_at, 1, 10) AS day,"
            " CASE WHEN q.status = 'resolved' THEN 'expert'"
            " WHEN q.status = 'answered' AND q.decision = 'answer' THEN 'direct'"
            " WHEN q.status = 'answered' THEN 'suggestion' ELSE 'unanswered' END AS outcome"
            f" FROM questions q WHERE {where}) "
        )


def _per_day(store: Readable, scope: _Scope) -> Table:
    found = store.rows(scope.cte + "SELECT day, outcome, count(*) AS n FROM scope GROUP BY day, outcome",
                       scope.params)
    counts = {(r["day"], r["outcome"]): int(r["n"]) for r in found}
    days = [scope.start + timedelta(days=i) for i in range((scope.end - scope.start).days + 1)]
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (d.isoformat(), *(counts.get((d.isoformat(), o), 0) for o in OUTCOMES)) for d in days)
    return Table("per_day", ("day", *OUTCOMES), rows)


def _outcomes(per_day: Table) -> Table:
    """The period's totals per outcome, summed from the days (no second pass over the questions)."""
    counts = {o: sum(int(v or 0) for v in per_day.column(o)) for o in OUTCOMES}
    total = sum(counts.values())
    rows = tuple((o, counts[o], round(counts[o] / total, 4) if total else 0.0) for o in OUTCOMES)
    return Table("outcomes", ("outcome", "count", "share"), rows)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0..100) by linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _times(store: Readable, scope: _Scope) -> Table:
    """Minutes from an escalation (created in the period) to its first expert reply and to its marked answer."""
    where = "e.created_at >= :start AND e.created_at < :stop" + (
        " AND e.channel = :channel" if scope.channel is not None else "")
    # One pass over the period's answers (grouped), not a look-up per escalation: answers has no index on
    # escalation_id, and a reply never comes before its escalation.
    found = store.rows(
        "SELECT (julianday(f.first) - julianday(e.created_at)) * 1440 AS first_reply,"
        " CASE WHEN e.answered_at != '' THEN (julianday(e.answered_at) - julianday(e.created_at)) * 1440 END"
        " AS marked_answer FROM escalations e LEFT JOIN (SELECT escalation_id, min(created_at) AS first"
        " FROM answers WHERE created_at >= :start GROUP BY escalation_id) f ON f.escalation_id = e.id"
        f" WHERE {where}", scope.params)
    rows = []
    for measure in ("first_reply", "marked_answer"):
        values = [max(0.0, float(r[measure])) for r in found if r[measure] is not None]
        median, p90 = percentile(values, 50), percentile(values, 90)
        rows.append((measure, len(values), None if median is None else round(median, 1),
                     None if p90 is None else round(p90, 1)))
    return Table("times", ("measure", "n", "median_minutes", "p90_minutes"), tuple(rows))


_FEEDBACK = (
    "SELECT s.id, s.article_id, a.action, json_extract(a.detail, '$.helpful') AS helpful,"
    " json_extract(a.detail, '$.article') AS article FROM audit a JOIN scope s ON s.id = CAST(a.subject AS INTEGER)"
    " WHERE a.action IN ('feedback', 'chose') AND a.at >= :start"
)


def _feedback(store: Readable, scope: _Scope) -> Table:
    """Helpful / not helpful, as the askers of the period's questions said (the audit log's feedback)."""
    found = store.rows(scope.cte + f"SELECT helpful, count(*) AS n FROM ({_FEEDBACK}) WHERE action = 'feedback'"
                       " GROUP BY helpful", scope.params)
    counts = {bool(r["helpful"]): int(r["n"]) for r in found}
    return Table("feedback", ("feedback", "count"),
                 (("helpful", counts.get(True, 0)), ("not_helpful", counts.get(False, 0))))


def _topics(store: Readable, scope: _Scope) -> Table:
    """A question's topic is the first keyword of the article it was answered with (or of the first suggestion
    shown); a question no article with keywords covers (an escalation, an expert's provisional article) has its
    expert channel as topic. Questions with neither are left out."""
    found = store.rows(
        scope.cte + "SELECT topic, source, count(*) AS n FROM (SELECT CASE WHEN json_extract(ar.keywords, '$[0]')"
        " IS NOT NULL THEN json_extract(ar.keywords, '$[0]') ELSE (SELECT e.channel FROM waiters w JOIN escalations e"
        " ON e.id = w.escalation_id WHERE w.question_id = s.id ORDER BY e.id LIMIT 1) END AS topic,"
        " CASE WHEN json_extract(ar.keywords, '$[0]') IS NOT NULL THEN 'keyword' ELSE 'channel' END AS source"
        " FROM scope s LEFT JOIN articles ar ON ar.id = coalesce(s.article_id, json_extract(s.shown, '$[0]')))"
        " WHERE topic IS NOT NULL GROUP BY topic, source ORDER BY n DESC, topic LIMIT :top",
        {**scope.params, "top": TOP})
    return Table("topics", ("topic", "source", "questions"),
                 tuple((r["topic"], r["source"], int(r["n"])) for r in found))


def _articles(store: Readable, scope: _Scope) -> Table:
    """Per article: questions it answered directly (and that stayed answered), times an asker chose it from the
    suggestions, and the helpful / not helpful said of it; the most used first."""
    direct = store.rows(scope.cte + "SELECT article_id AS article, count(*) AS n FROM scope"
                        " WHERE outcome = 'direct' AND article_id IS NOT NULL GROUP BY article_id", scope.params)
    said = store.rows(scope.cte + "SELECT article, sum(action = 'chose') AS chosen,"
                      " sum(action = 'feedback' AND helpful = 1) AS helpful,"
                      f" sum(action = 'feedback' AND helpful = 0) AS not_helpful FROM ({_FEEDBACK})"
                      " WHERE article IS NOT NULL GROUP BY article", scope.params)
    counts: dict[str, list[int]] = {}
    for r in direct:
        counts.setdefault(r["article"], [0, 0, 0, 0])[0] = int(r["n"])
    for r in said:
        c = counts.setdefault(r["article"], [0, 0, 0, 0])
        c[1:] = [int(r["chosen"]), int(r["helpful"]), int(r["not_helpful"])]
    ranked = sorted(counts.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), -kv[1][2], kv[0]))[:TOP]
    ids = [a for a, _ in ranked]
    titles = {r["id"]: r["title"] for r in store.rows(
        f"SELECT id, title FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else {}
    return Table("articles", ("article", "title", "direct", "chosen", "helpful", "not_helpful"),
                 tuple((a, titles.get(a, ""), *c) for a, c in ranked))


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    shown = str(value)
    if isinstance(value, str) and shown.startswith(FORMULA_START):
        return "'" + shown  # a spreadsheet shows it as text instead of running it
    return shown


def table_csv(table: Table) -> str:
    """The table as RFC 4180 CSV (CRLF line ends, quoted where needed) with the column keys as header. A text
    cell that a spreadsheet could take for a formula (= + - @, a tab or carriage return first) gets a leading
    apostrophe; numbers are written as they are, so a negative number stays a number."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
