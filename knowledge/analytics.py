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
from typing import Protocol

Cell = str | int | float | None
OUTCOMES: tuple[str, ...] = ("direct", "suggestion", "expert", "unanswered")
TOP = 10  # rows in the topics and articles tables
CHANNELS_SEEN = 20  # channel rows the store may give among the top topics, left out (_topics)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula (CSV injection)


class Readable(Protocol):
    """What analytics read through (the store). A period is ``start`` (ISO day, included) to ``stop`` (ISO day,
    excluded), with ``channel`` None for every channel."""

    def escalation_channels(self) -> list[str]: ...
    def outcomes_per_day(self, start: str, stop: str, channel: str | None = None,
                         ) -> list[tuple[str, str, int]]: ...
    def escalation_minutes(self, start: str, stop: str, channel: str | None = None,
                           ) -> list[tuple[float | None, float | None]]: ...
    def feedback_counts(self, start: str, stop: str, channel: str | None = None,
                        ) -> list[tuple[int | None, int]]: ...
    def question_topics(self, start: str, stop: str, channel: str | None = None, top: int = 10,
                        ) -> list[tuple[str, str, int]]: ...
    def direct_answers_per_article(self, start: str, stop: str, channel: str | None = None,
                                   ) -> list[tuple[str, int]]: ...
    def article_feedback(self, start: str, stop: str, channel: str | None = None,
                         ) -> list[tuple[str, int, int, int]]: ...
    def article_titles(self, ids: list[str]) -> dict[str, str]: ...


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
    channels = tuple(store.escalation_channels())
    per_day = _per_day(store, scope)
    return Analytics(
        start=start, end=end, channel=channel, channels=channels,
        per_day=per_day, outcomes=_outcomes(per_day), times=_times(store, scope),
        feedback=_feedback(store, scope), topics=_topics(store, scope), articles=_articles(store, scope),
    )


@dataclass(frozen=True)
class _Scope:
    """The questions of a period (and channel): the days and the store's arguments for them."""

    start: date
    end: date
    channel: str | None

    @property
    def period(self) -> tuple[str, str, str | None]:
        """The store's ``start``, ``stop`` (the day after ``end``) and ``channel``."""
        return self.start.isoformat(), (self.end + timedelta(days=1)).isoformat(), self.channel


def _per_day(store: Readable, scope: _Scope) -> Table:
    counts = {(day, outcome): n for day, outcome, n in store.outcomes_per_day(*scope.period)}
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
    found = store.escalation_minutes(*scope.period)
    rows = []
    for i, measure in enumerate(("first_reply", "marked_answer")):
        values = [max(0.0, float(v)) for v in (m[i] for m in found) if v is not None]
        median, p90 = percentile(values, 50), percentile(values, 90)
        rows.append((measure, len(values), None if median is None else round(median, 1),
                     None if p90 is None else round(p90, 1)))
    return Table("times", ("measure", "n", "median_minutes", "p90_minutes"), tuple(rows))


def _feedback(store: Readable, scope: _Scope) -> Table:
    """Helpful / not helpful, as the askers of the period's questions said (the audit log's feedback)."""
    counts = {bool(helpful): n for helpful, n in store.feedback_counts(*scope.period)}
    return Table("feedback", ("feedback", "count"),
                 (("helpful", counts.get(True, 0)), ("not_helpful", counts.get(False, 0))))


def _topics(store: Readable, scope: _Scope) -> Table:
    """A question's topic is the first keyword of the article it was answered with (or of the first suggestion
    shown). A question no article with keywords covers has no topic: the store names its expert channel
    (source 'channel'), but a channel ('kcc-experts') is where a question went, not what it is about, so those
    are left out here (the outcomes and per-channel figures count them)."""
    found = store.question_topics(*scope.period, top=TOP + CHANNELS_SEEN)
    return Table("topics", ("topic", "source", "questions"), tuple([r for r in found if r[1] == "keyword"][:TOP]))


def _articles(store: Readable, scope: _Scope) -> Table:
    """Per article: questions it answered directly (and that stayed answered), times an asker chose it from the
    suggestions, and the helpful / not helpful said of it; the most used first."""
    counts: dict[str, list[int]] = {}
    for article, n in store.direct_answers_per_article(*scope.period):
        counts.setdefault(article, [0, 0, 0, 0])[0] = n
    for article, chosen, helpful, not_helpful in store.article_feedback(*scope.period):
        c = counts.setdefault(article, [0, 0, 0, 0])
        c[1:] = [chosen, helpful, not_helpful]
    ranked = sorted(counts.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), -kv[1][2], kv[0]))[:TOP]
    titles = store.article_titles([a for a, _ in ranked])
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
