"""PostgresStore's reads for the owners' reports: analytics, knowledge gaps, statistics, experts, the directory (the
same methods and results as knowledge/sqlite/insights.py).

The logic modules above (knowledge.analytics, knowledge.gaps, knowledge.reports, knowledge.experts,
knowledge.directory) decide, compute and word; these methods only read. A period is ``start`` (an ISO day,
included) to ``stop`` (an ISO day, excluded). SQLite compares them as text with the UTC ISO stamps it stores; here
the stamps are ``timestamptz``, so the bounds are read as UTC moments (an ISO day is its midnight UTC), which
selects the same rows. Where SQLite's results follow its stamps to the second (an order, minutes between two
stamps) the times are cut to the second as SQLite stored them, and minutes are computed as SQLite's julianday()
arithmetic computes them, bit for bit. Where the two cannot agree (several people of one name) it is said there.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from knowledge import reports
from knowledge.model import Article, Stats
from knowledge.postgres.base import PostgresBase

CHUNK = 500  # ids per query, as SQLite reads them (the order of best_expert_answers follows its chunks)


def moment(text: str) -> datetime:
    """A time as a caller gives it (an ISO day or an ISO time, UTC when no offset is named) as a UTC moment: the
    bound SQLite's text comparison with its stored stamps amounts to."""
    found = datetime.fromisoformat(text)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def second(column: str) -> str:
    """A stored time cut to the second, as SQLite stores it."""
    return f"date_trunc('second', {column})"


def _julianday(column: str) -> str:
    """SQLite's julianday() of a stored time (cut to the second), bit for bit: its whole milliseconds since the
    Julian epoch (an integer, exact in a double) divided by a day's, in double precision."""
    return f"(floor(date_part('epoch', {column})) * 1000 + 210866760000000) / 86400000.0::float8"


def _minutes(later: str, earlier: str) -> str:
    """Minutes between two stored times as SQLite computes them, ``(julianday(a) - julianday(b)) * 1440``, so a
    figure rounds alike on both backends."""
    return f"(({_julianday(later)}) - ({_julianday(earlier)})) * 1440.0::float8"


# What SQLite's json_extract gives for a boolean of an audit entry's detail: 1, 0, else NULL.
def _flag(detail: str, key: str) -> str:
    return f"CASE ({detail})::json ->> '{key}' WHEN 'true' THEN 1 WHEN 'false' THEN 0 END"


# An audit entry's subject as a question id (SQLite's CAST(subject AS INTEGER); NULL for what is no number).
_SUBJECT_ID = "CASE WHEN a.subject ~ '^[0-9]{1,18}$' THEN a.subject::bigint END"


def _scope(channel: str | None) -> str:
    """The questions asked in the period (and escalated to ``channel``, when given) as a CTE ``scope``, each with
    the day it was asked and its ``outcome`` (knowledge.analytics' docstring says how it is read)."""
    where = "q.created_at >= %(start)s AND q.created_at < %(stop)s"
    if channel is not None:
        where += (" AND EXISTS (SELECT 1 FROM waiters w JOIN escalations e ON e.id = w.escalation_id"
                  " WHERE w.question_id = q.id AND e.channel = %(channel)s)")
    return (
        "WITH scope AS (SELECT q.id, q.article_id, q.shown,"
        " to_char(q.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,"
        " CASE WHEN q.status = 'resolved' THEN 'expert'"
        " WHEN q.status = 'answered' AND q.decision = 'answer' THEN 'direct'"
        " WHEN q.status = 'answered' THEN 'suggestion' ELSE 'unanswered' END AS outcome"
        f" FROM questions q WHERE {where}) "
    )


def _period(start: str, stop: str, channel: str | None) -> dict[str, Any]:
    # "since": the start as text, for the audit log's times (text on both backends, compared byte by byte)
    return {"start": moment(start), "stop": moment(stop), "channel": channel, "since": start}


# The feedback and choices the askers of the scope's questions gave (the audit log), with the article they were
# about.
_FEEDBACK = (
    f"SELECT s.id, s.article_id, a.action, {_flag('a.detail', 'helpful')} AS helpful,"
    f" a.detail::json ->> 'article' AS article FROM audit a JOIN scope s ON s.id = {_SUBJECT_ID}"
    " WHERE a.action IN ('feedback', 'chose') AND a.at >= %(since)s COLLATE \"C\""
)

# Every expert reply with the directory person it is from (NULL: nobody matches), its channel and whether it was
# the marked answer (knowledge.experts' docstring says how an author is matched). nocase() folds ASCII letters
# as SQLite's NOCASE does (schema.py). Where two people match, SQLite takes the one stored first and PostgreSQL,
# which keeps no such order, the lowest id. Each author is matched once, not each reply (as SQLite does): there
# are few authors, and PostgreSQL's subplans and nocase() per reply took most of the time at 30,000 replies.
_REPLIES = """
WITH written AS (
    SELECT a.id, a.escalation_id, a.author_id, a.author_name, a.text, a.created_at, e.channel,
           (e.answer_id IS NOT DISTINCT FROM a.id)::int AS marked, e.question_id, q.platform
    FROM answers a JOIN escalations e ON e.id = a.escalation_id JOIN questions q ON q.id = e.question_id
), authors AS MATERIALIZED (  -- each author matched once (not again per reply, as inlined)
    SELECT w.platform, w.author_id, w.author_name, coalesce(
        (SELECT h.person_id FROM person_handles h WHERE h.platform = w.platform AND h.handle = w.author_id
         ORDER BY h.person_id COLLATE "C" LIMIT 1),
        (SELECT p.id FROM people p WHERE p.id = w.author_id),
        (SELECT p.id FROM people p WHERE nocase(p.name) = nocase(w.author_name) AND w.author_name <> ''
         ORDER BY p.id COLLATE "C" LIMIT 1),
        (SELECT p.id FROM people p WHERE nocase(p.name) = nocase(w.author_id) ORDER BY p.id COLLATE "C" LIMIT 1)
    ) AS person_id
    FROM (SELECT DISTINCT platform, author_id, author_name FROM written) w
), replies AS (
    SELECT w.*, au.person_id FROM written w JOIN authors au
    ON au.platform = w.platform AND au.author_id = w.author_id AND au.author_name = w.author_name
)
"""


class InsightQueries(PostgresBase):
    # --- analytics (knowledge.analytics) -------------------------------------------------------------------
    def escalation_channels(self) -> list[str]:
        """Every expert channel questions were escalated to, as stored, in order."""
        return [r["channel"] for r in self.rows(
            "SELECT DISTINCT channel COLLATE \"C\" AS channel FROM escalations ORDER BY 1")]

    def outcomes_per_day(self, start: str, stop: str, channel: str | None = None,
                         ) -> list[tuple[str, str, int]]:
        """(day, outcome, questions) for each day of the period that had questions with that outcome."""
        found = self.rows(_scope(channel) + "SELECT day, outcome, count(*) AS n FROM scope GROUP BY day, outcome"
                          " ORDER BY day COLLATE \"C\", outcome COLLATE \"C\"", _period(start, stop, channel))
        return [(r["day"], r["outcome"], int(r["n"])) for r in found]

    def escalation_minutes(self, start: str, stop: str, channel: str | None = None,
                           ) -> list[tuple[float | None, float | None]]:
        """Per escalation created in the period (in ``channel``, when given): minutes to its first expert reply
        and to its marked answer (None: none yet). May be negative for clocks out of step."""
        where = "e.created_at >= %(start)s AND e.created_at < %(stop)s" + (
            " AND e.channel = %(channel)s" if channel is not None else "")
        found = self.rows(
            f"SELECT {_minutes('f.first', 'e.created_at')} AS first_reply,"
            f" {_minutes('e.answered_at', 'e.created_at')} AS marked_answer"
            " FROM escalations e LEFT JOIN (SELECT escalation_id, min(created_at) AS first FROM answers"
            " WHERE created_at >= %(start)s GROUP BY escalation_id) f ON f.escalation_id = e.id"
            f" WHERE {where} ORDER BY e.id", _period(start, stop, channel))
        return [(r["first_reply"], r["marked_answer"]) for r in found]

    def feedback_counts(self, start: str, stop: str, channel: str | None = None,
                        ) -> list[tuple[int | None, int]]:
        """(helpful, times) of the feedback the askers of the period's questions gave: helpful as stored (1, 0,
        or None when the feedback said neither), in that order of grouping (None first)."""
        found = self.rows(_scope(channel) + f"SELECT helpful, count(*) AS n FROM ({_FEEDBACK}) f"
                          " WHERE action = 'feedback' GROUP BY helpful ORDER BY helpful NULLS FIRST",
                          _period(start, stop, channel))
        return [(r["helpful"], int(r["n"])) for r in found]

    def question_topics(self, start: str, stop: str, channel: str | None = None, top: int = 10,
                        ) -> list[tuple[str, str, int]]:
        """The ``top`` topics of the period's questions as (topic, source, questions), the most asked first: the
        first keyword of the article a question was answered with (or of the first suggestion shown), source
        'keyword'; else the expert channel of its first escalation, source 'channel'; else none."""
        # each question's first escalation's channel joined, not looked up per question (a subplan each is slow)
        found = self.rows(
            _scope(channel) + "SELECT topic, source, count(*) AS n FROM (SELECT coalesce(k.keyword, f.channel)"
            " AS topic, CASE WHEN k.keyword IS NOT NULL THEN 'keyword' ELSE 'channel' END AS source"
            " FROM (SELECT s.id, ar.keywords::json ->> 0 AS keyword FROM scope s LEFT JOIN articles ar"
            " ON ar.id = coalesce(s.article_id, s.shown::json ->> 0)) k LEFT JOIN (SELECT DISTINCT ON (w.question_id)"
            " w.question_id, e.channel FROM waiters w JOIN escalations e ON e.id = w.escalation_id"
            " ORDER BY w.question_id, e.id) f ON f.question_id = k.id AND k.keyword IS NULL) t"
            " WHERE topic IS NOT NULL GROUP BY topic, source ORDER BY n DESC, topic COLLATE \"C\","
            " source COLLATE \"C\" LIMIT %(top)s", {**_period(start, stop, channel), "top": top})
        return [(r["topic"], r["source"], int(r["n"])) for r in found]

    def direct_answers_per_article(self, start: str, stop: str, channel: str | None = None,
                                   ) -> list[tuple[str, int]]:
        """(article, questions) for each article that answered questions of the period directly (outcome
        'direct')."""
        found = self.rows(_scope(channel) + "SELECT article_id AS article, count(*) AS n FROM scope"
                          " WHERE outcome = 'direct' AND article_id IS NOT NULL GROUP BY article_id"
                          " ORDER BY article_id COLLATE \"C\"", _period(start, stop, channel))
        return [(r["article"], int(r["n"])) for r in found]

    def article_feedback(self, start: str, stop: str, channel: str | None = None,
                         ) -> list[tuple[str, int, int, int]]:
        """(article, chosen, helpful, not_helpful) for each article the askers of the period's questions chose
        from the suggestions or gave feedback on."""
        found = self.rows(
            _scope(channel) + "SELECT article, count(*) FILTER (WHERE action = 'chose') AS chosen,"
            " count(*) FILTER (WHERE action = 'feedback' AND helpful = 1) AS helpful,"
            f" count(*) FILTER (WHERE action = 'feedback' AND helpful = 0) AS not_helpful FROM ({_FEEDBACK}) f"
            " WHERE article IS NOT NULL GROUP BY article ORDER BY article COLLATE \"C\"", _period(start, stop, channel))
        return [(r["article"], int(r["chosen"]), int(r["helpful"]), int(r["not_helpful"])) for r in found]

    def article_titles(self, ids: list[str]) -> dict[str, str]:
        """The title of each article of ``ids`` that exists."""
        if not ids:
            return {}
        return {r["id"]: r["title"] for r in self.rows("SELECT id, title FROM articles WHERE id = ANY(%s)", [ids])}

    # --- knowledge gaps (knowledge.gaps) -------------------------------------------------------------------
    def gap_questions(self, start: str, stop: str, limit: int) -> list[dict[str, Any]]:
        """The questions of the period that were escalated (asked or joined an escalation) or that their asker
        said were not helped, the newest first, at most ``limit``: dicts of id, text, created_at, lang,
        personal."""
        return self.rows(
            "SELECT q.id, q.text, q.created_at, q.lang, q.personal::int AS personal FROM questions q"
            " WHERE q.created_at >= %(start)s AND q.created_at < %(stop)s AND (EXISTS (SELECT 1 FROM waiters w"
            f" WHERE w.question_id = q.id) OR q.id IN (SELECT {_SUBJECT_ID} FROM audit a WHERE a.action = 'feedback'"
            f" AND a.at >= %(since)s COLLATE \"C\" AND {_flag('a.detail', 'helpful')} = 0))"
            f" ORDER BY {second('q.created_at')} DESC, q.id DESC LIMIT %(limit)s",
            {**_period(start, stop, None), "limit": limit})

    def escalations_of_questions(self, question_ids: list[int]) -> dict[int, tuple[int, ...]]:
        """Each question's escalations (the one it asked or joined); questions with none are left out."""
        out: dict[int, list[int]] = {}
        if question_ids:
            for r in self.rows("SELECT question_id, escalation_id FROM waiters WHERE question_id = ANY(%s)"
                               " ORDER BY question_id, escalation_id", [question_ids]):
                out.setdefault(r["question_id"], []).append(r["escalation_id"])
        return {k: tuple(v) for k, v in out.items()}

    def best_expert_answers(self, escalation_ids: list[int]) -> list[dict[str, Any]]:
        """Per escalation of ``escalation_ids`` that has replies, its best one: the marked answer, else the latest
        reply. Dicts of id, escalation_id, text (whole), author_name, author_id, created_at, marked, and personal
        (a question of the escalation carried personal data)."""
        out: list[dict[str, Any]] = []
        for chunk in range(0, len(escalation_ids), CHUNK):
            out += self.rows(
                "SELECT * FROM (SELECT a.id, a.escalation_id, a.text, a.author_name, a.author_id, a.created_at,"
                " (e.answer_id IS NOT DISTINCT FROM a.id)::int AS marked, coalesce((SELECT max(q.personal::int)"
                " FROM waiters w JOIN questions q ON q.id = w.question_id WHERE w.escalation_id = e.id), 0)"
                " AS personal, row_number() OVER (PARTITION BY a.escalation_id ORDER BY"
                f" (e.answer_id IS NOT DISTINCT FROM a.id) DESC, {second('a.created_at')} DESC, a.id DESC) AS rank"
                " FROM answers a JOIN escalations e ON e.id = a.escalation_id WHERE a.escalation_id = ANY(%s)) best"
                " WHERE rank = 1 ORDER BY escalation_id", [escalation_ids[chunk:chunk + CHUNK]])
        return out

    # --- the week's numbers and the articles to look at (knowledge.reports) -------------------------------
    def questions_by_decision(self, since: str) -> dict[str, int]:
        """Questions asked at or after ``since`` (UTC ISO) per decision (answer, suggest, escalate, ...)."""
        found = self.rows("SELECT decision, count(*) AS n FROM questions WHERE created_at >= %s GROUP BY decision",
                          [moment(since)])
        return {r["decision"]: int(r["n"]) for r in found}

    def escalation_times(self, since: str) -> list[tuple[str, str]]:
        """(created_at, answered_at) of every escalation created at or after ``since``; answered_at "" while
        no answer is marked."""
        found = self.rows("SELECT created_at, answered_at FROM escalations WHERE created_at >= %s ORDER BY id",
                          [moment(since)])
        return [(r["created_at"], r["answered_at"]) for r in found]

    def overdue_article_ids(self, today: str) -> list[str]:
        """Validated articles whose review date is before ``today`` (an ISO day), the longest overdue first."""
        return [r["id"] for r in self.rows(
            "SELECT id FROM articles WHERE status = 'validated' AND review_date <> ''"
            " AND review_date < %s COLLATE \"C\" ORDER BY review_date COLLATE \"C\", id COLLATE \"C\"", [today])]

    def not_helpful_counts(self, more_than: int) -> dict[str, int]:
        """Per article, how often people said it did not help (the audit log's feedback), for those said so
        more than ``more_than`` times; the most first."""
        found = self.rows(
            f"SELECT article, count(*) AS n FROM (SELECT detail::json ->> 'article' AS article,"
            f" {_flag('detail', 'helpful')} AS helpful FROM audit WHERE action = 'feedback') f"
            " WHERE helpful = 0 AND article IS NOT NULL GROUP BY article HAVING count(*) > %s"
            " ORDER BY n DESC, article COLLATE \"C\"", [more_than])
        return {r["article"]: int(r["n"]) for r in found}

    def stats(self: reports.Readable, days: int = 7) -> Stats:
        return reports.stats(self, days)

    def overdue_articles(self: reports.Readable) -> list[Article]:
        return reports.overdue_articles(self)

    def not_helpful_articles(self: reports.Readable, more_than: int) -> list[tuple[Article, int]]:
        return reports.not_helpful_articles(self, more_than)

    # --- who answered what (knowledge.experts) -------------------------------------------------------------
    def replies_per_person(self) -> dict[str, dict[str, Any]]:
        """Per directory person who gave expert replies: dicts of replies, marked (of which the marked answer),
        last (UTC ISO of the latest reply) and channels (the expert channels they replied in, a tuple)."""
        # the channels in the order of their first reply there, as SQLite's json_group_array(DISTINCT ...) gives them
        found = self.rows(
            _REPLIES + "SELECT person_id, sum(replies) AS replies, sum(marked) AS marked, max(last) AS last,"
            " array_agg(channel ORDER BY first) AS channels FROM (SELECT person_id, channel, count(*) AS replies,"
            " sum(marked) AS marked, max(created_at) AS last, min(id) AS first FROM replies"
            " WHERE person_id IS NOT NULL GROUP BY person_id, channel) per_channel GROUP BY person_id")
        return {r["person_id"]: {"replies": int(r["replies"]), "marked": int(r["marked"]), "last": r["last"],
                                 "channels": tuple(r["channels"])} for r in found}

    def directory_entries(self) -> list[dict[str, Any]]:
        """Everyone in the directory, in no particular order: dicts of id, name, title, department and
        expertise (a tuple, as listed)."""
        return [{**r, "expertise": tuple(json.loads(r["expertise"]))}
                for r in self.rows("SELECT id, name, title, department, expertise FROM people")]

    def unlisted_repliers(self) -> list[tuple[str, int, int]]:
        """(author, replies, marked) of the reply authors the directory does not know, by display name (else
        platform id), the most replies first."""
        found = self.rows(
            _REPLIES + "SELECT author, count(*) AS replies, sum(marked) AS marked FROM (SELECT CASE WHEN"
            " author_name <> '' THEN author_name ELSE author_id END AS author, marked FROM replies"
            " WHERE person_id IS NULL) r GROUP BY author ORDER BY replies DESC, author COLLATE \"C\"")
        return [(r["author"], int(r["replies"]), int(r["marked"])) for r in found]

    def replies_of(self, person_id: str, limit: int) -> list[dict[str, Any]]:
        """The expert replies of one directory person, the latest first, at most ``limit``: dicts of id,
        escalation_id, text (whole), created_at, channel, marked and question (the escalated question's text)."""
        return self.rows(
            _REPLIES + "SELECT r.id, r.escalation_id, r.text, r.created_at, r.channel, r.marked, q.text AS question"
            " FROM replies r JOIN questions q ON q.id = r.question_id WHERE r.person_id = %s"
            f" ORDER BY {second('r.created_at')} DESC, r.id DESC LIMIT %s", [person_id, limit])

    # --- the people directory (knowledge.directory) ---------------------------------------------------------
