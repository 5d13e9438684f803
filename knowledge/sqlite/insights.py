"""SqliteStore's SQL for the owners' reports: analytics, knowledge gaps, statistics, experts, the directory.

The logic modules above (knowledge.analytics, knowledge.gaps, knowledge.reports, knowledge.experts,
knowledge.directory) decide, compute and word; these methods only read. A period is ``start`` (an ISO day,
included) to ``stop`` (an ISO day, excluded), compared with the UTC ISO time stamps as stored.
"""

from __future__ import annotations

import json
from typing import Any

from knowledge.sqlite.base import Base

CHUNK = 500  # ids per IN (...) list, well under SQLite's limit on variables


def _scope(channel: str | None) -> str:
    """The questions asked in the period (and escalated to ``channel``, when given) as a CTE ``scope``, each with
    the day it was asked and its ``outcome`` (knowledge.analytics' docstring says how it is read)."""
    where = "q.created_at >= :start AND q.created_at < :stop"
    if channel is not None:
        where += (" AND EXISTS (SELECT 1 FROM waiters w JOIN escalations e ON e.id = w.escalation_id"
                  " WHERE w.question_id = q.id AND e.channel = :channel)")
    return (
        "WITH scope AS (SELECT q.id, q.article_id, q.shown, substr(q.created_at, 1, 10) AS day,"
        " CASE WHEN q.status = 'resolved' THEN 'expert'"
        " WHEN q.status = 'answered' AND q.decision = 'answer' THEN 'direct'"
        " WHEN q.status = 'answered' THEN 'suggestion' ELSE 'unanswered' END AS outcome"
        f" FROM questions q WHERE {where}) "
    )


def _period(start: str, stop: str, channel: str | None) -> dict[str, Any]:
    return {"start": start, "stop": stop, "channel": channel}


# The feedback and choices the askers of the scope's questions gave (the audit log), with the article they were
# about.
_FEEDBACK = (
    "SELECT s.id, s.article_id, a.action, json_extract(a.detail, '$.helpful') AS helpful,"
    " json_extract(a.detail, '$.article') AS article FROM audit a JOIN scope s ON s.id = CAST(a.subject AS INTEGER)"
    " WHERE a.action IN ('feedback', 'chose') AND a.at >= :start"
)

# Every expert reply with the directory person it is from (NULL: nobody matches), its channel and whether it was
# the marked answer (knowledge.experts' docstring says how an author is matched).
_REPLIES = """
WITH replies AS (
    SELECT a.id, a.escalation_id, a.author_id, a.author_name, a.text, a.created_at, e.channel,
           (e.answer_id IS a.id) AS marked, e.question_id,
           coalesce(
               (SELECT h.person_id FROM person_handles h WHERE h.platform = q.platform AND h.handle = a.author_id),
               (SELECT p.id FROM people p WHERE p.id = a.author_id),
               (SELECT p.id FROM people p WHERE p.name = a.author_name COLLATE NOCASE AND a.author_name != ''),
               (SELECT p.id FROM people p WHERE p.name = a.author_id COLLATE NOCASE)
           ) AS person_id
    FROM answers a JOIN escalations e ON e.id = a.escalation_id JOIN questions q ON q.id = e.question_id
)
"""


def _marks(n: int) -> str:
    return ",".join("?" * n)


class InsightQueries:
    # --- analytics (knowledge.analytics) -------------------------------------------------------------------
    def escalation_channels(self: Base) -> list[str]:
        """Every expert channel questions were escalated to, as stored, in order."""
        return [r["channel"] for r in self.rows("SELECT DISTINCT channel FROM escalations ORDER BY channel")]

    def outcomes_per_day(self: Base, start: str, stop: str, channel: str | None = None,
                         ) -> list[tuple[str, str, int]]:
        """(day, outcome, questions) for each day of the period that had questions with that outcome."""
        found = self.rows(_scope(channel) + "SELECT day, outcome, count(*) AS n FROM scope GROUP BY day, outcome",
                          _period(start, stop, channel))
        return [(r["day"], r["outcome"], int(r["n"])) for r in found]

    def escalation_minutes(self: Base, start: str, stop: str, channel: str | None = None,
                           ) -> list[tuple[float | None, float | None]]:
        """Per escalation created in the period (in ``channel``, when given): minutes to its first expert reply
        and to its marked answer (None: none yet). May be negative for clocks out of step."""
        where = "e.created_at >= :start AND e.created_at < :stop" + (
            " AND e.channel = :channel" if channel is not None else "")
        # One pass over the period's answers (grouped), not a look-up per escalation: answers has no index on
        # escalation_id, and a reply never comes before its escalation.
        found = self.rows(
            "SELECT (julianday(f.first) - julianday(e.created_at)) * 1440 AS first_reply,"
            " CASE WHEN e.answered_at != '' THEN (julianday(e.answered_at) - julianday(e.created_at)) * 1440 END"
            " AS marked_answer FROM escalations e LEFT JOIN (SELECT escalation_id, min(created_at) AS first"
            " FROM answers WHERE created_at >= :start GROUP BY escalation_id) f ON f.escalation_id = e.id"
            f" WHERE {where}", _period(start, stop, channel))
        return [(r["first_reply"], r["marked_answer"]) for r in found]

    def feedback_counts(self: Base, start: str, stop: str, channel: str | None = None,
                        ) -> list[tuple[int | None, int]]:
        """(helpful, times) of the feedback the askers of the period's questions gave: helpful as stored (1, 0,
        or None when the feedback said neither), in that order of grouping (None first)."""
        found = self.rows(_scope(channel) + f"SELECT helpful, count(*) AS n FROM ({_FEEDBACK})"
                          " WHERE action = 'feedback' GROUP BY helpful", _period(start, stop, channel))
        return [(r["helpful"], int(r["n"])) for r in found]

    def question_topics(self: Base, start: str, stop: str, channel: str | None = None, top: int = 10,
                        ) -> list[tuple[str, str, int]]:
        """The ``top`` topics of the period's questions as (topic, source, questions), the most asked first: the
        first keyword of the article a question was answered with (or of the first suggestion shown), source
        'keyword'; else the expert channel of its first escalation, source 'channel'; else none."""
        found = self.rows(
            _scope(channel) + "SELECT topic, source, count(*) AS n FROM (SELECT CASE WHEN"
            " json_extract(ar.keywords, '$[0]') IS NOT NULL THEN json_extract(ar.keywords, '$[0]') ELSE"
            " (SELECT e.channel FROM waiters w JOIN escalations e ON e.id = w.escalation_id"
            " WHERE w.question_id = s.id ORDER BY e.id LIMIT 1) END AS topic,"
            " CASE WHEN json_extract(ar.keywords, '$[0]') IS NOT NULL THEN 'keyword' ELSE 'channel' END AS source"
            " FROM scope s LEFT JOIN articles ar ON ar.id = coalesce(s.article_id, json_extract(s.shown, '$[0]')))"
            " WHERE topic IS NOT NULL GROUP BY topic, source ORDER BY n DESC, topic LIMIT :top",
            {**_period(start, stop, channel), "top": top})
        return [(r["topic"], r["source"], int(r["n"])) for r in found]

    def direct_answers_per_article(self: Base, start: str, stop: str, channel: str | None = None,
                                   ) -> list[tuple[str, int]]:
        """(article, questions) for each article that answered questions of the period directly (outcome
        'direct')."""
        found = self.rows(_scope(channel) + "SELECT article_id AS article, count(*) AS n FROM scope"
                          " WHERE outcome = 'direct' AND article_id IS NOT NULL GROUP BY article_id",
                          _period(start, stop, channel))
        return [(r["article"], int(r["n"])) for r in found]

    def article_feedback(self: Base, start: str, stop: str, channel: str | None = None,
                         ) -> list[tuple[str, int, int, int]]:
        """(article, chosen, helpful, not_helpful) for each article the askers of the period's questions chose
        from the suggestions or gave feedback on."""
        found = self.rows(_scope(channel) + "SELECT article, sum(action = 'chose') AS chosen,"
                          " sum(action = 'feedback' AND helpful = 1) AS helpful,"
                          f" sum(action = 'feedback' AND helpful = 0) AS not_helpful FROM ({_FEEDBACK})"
                          " WHERE article IS NOT NULL GROUP BY article", _period(start, stop, channel))
        return [(r["article"], int(r["chosen"]), int(r["helpful"]), int(r["not_helpful"])) for r in found]

    def article_titles(self: Base, ids: list[str]) -> dict[str, str]:
        """The title of each article of ``ids`` that exists."""
        if not ids:
            return {}
        found = self.rows(f"SELECT id, title FROM articles WHERE id IN ({_marks(len(ids))})", ids)
        return {r["id"]: r["title"] for r in found}

    # --- knowledge gaps (knowledge.gaps) -------------------------------------------------------------------
    def gap_questions(self: Base, start: str, stop: str, limit: int) -> list[dict[str, Any]]:
        """The questions of the period that were escalated (asked or joined an escalation) or that their asker
        said were not helped, the newest first, at most ``limit``: dicts of id, text, created_at, lang,
        personal."""
        return self.rows(
            "SELECT q.id, q.text, q.created_at, q.lang, q.personal FROM questions q"
            " WHERE q.created_at >= :start AND q.created_at < :stop AND (EXISTS (SELECT 1 FROM waiters w"
            " WHERE w.question_id = q.id) OR q.id IN (SELECT CAST(a.subject AS INTEGER) FROM audit a"
            " WHERE a.action = 'feedback' AND a.at >= :start AND json_extract(a.detail, '$.helpful') = 0))"
            " ORDER BY q.created_at DESC, q.id DESC LIMIT :limit",
            {"start": start, "stop": stop, "limit": limit})

    def escalations_of_questions(self: Base, question_ids: list[int]) -> dict[int, tuple[int, ...]]:
        """Each question's escalations (the one it asked or joined); questions with none are left out."""
        out: dict[int, list[int]] = {}
        for chunk in range(0, len(question_ids), CHUNK):
            ids = question_ids[chunk:chunk + CHUNK]
            for r in self.rows(f"SELECT question_id, escalation_id FROM waiters WHERE question_id IN"
                               f" ({_marks(len(ids))})", ids):
                out.setdefault(r["question_id"], []).append(r["escalation_id"])
        return {k: tuple(v) for k, v in out.items()}

    def best_expert_answers(self: Base, escalation_ids: list[int]) -> list[dict[str, Any]]:
        """Per escalation of ``escalation_ids`` that has replies, its best one: the marked answer, else the latest
        reply. Dicts of id, escalation_id, text (whole), author_name, author_id, created_at, marked, and personal
        (a question of the escalation carried personal data)."""
        out: list[dict[str, Any]] = []
        for chunk in range(0, len(escalation_ids), CHUNK):
            ids = escalation_ids[chunk:chunk + CHUNK]
            out += self.rows(
                "SELECT * FROM (SELECT a.id, a.escalation_id, a.text, a.author_name, a.author_id, a.created_at,"
                " (e.answer_id IS a.id) AS marked, coalesce((SELECT max(q.personal) FROM waiters w JOIN questions q"
                " ON q.id = w.question_id WHERE w.escalation_id = e.id), 0) AS personal, row_number() OVER"
                " (PARTITION BY a.escalation_id ORDER BY e.answer_id IS a.id DESC, a.created_at DESC, a.id DESC)"
                " AS rank FROM answers a JOIN escalations e ON e.id = a.escalation_id"
                f" WHERE a.escalation_id IN ({_marks(len(ids))})) WHERE rank = 1", ids)
        return out

    # --- the week's numbers and the articles to look at (knowledge.reports) -------------------------------
    def questions_by_decision(self: Base, since: str) -> dict[str, int]:
        """Questions asked at or after ``since`` (UTC ISO) per decision (answer, suggest, escalate, ...)."""
        found = self.rows("SELECT decision, count(*) AS n FROM questions WHERE created_at >= ? GROUP BY decision",
                          [since])
        return {r["decision"]: r["n"] for r in found}

    def escalation_times(self: Base, since: str) -> list[tuple[str, str]]:
        """(created_at, answered_at) of every escalation created at or after ``since``; answered_at "" while
        no answer is marked."""
        found = self.rows("SELECT created_at, answered_at FROM escalations WHERE created_at >= ?", [since])
        return [(r["created_at"], r["answered_at"]) for r in found]

    def overdue_article_ids(self: Base, today: str) -> list[str]:
        """Validated articles whose review date is before ``today`` (an ISO day), the longest overdue first."""
        return [r["id"] for r in self.rows(
            "SELECT id FROM articles WHERE status = 'validated' AND review_date != ''"
            " AND review_date < ? ORDER BY review_date, id", [today])]

    def not_helpful_counts(self: Base, more_than: int) -> dict[str, int]:
        """Per article, how often people said it did not help (the audit log's feedback), for those said so
        more than ``more_than`` times; the most first."""
        found = self.rows(
            "SELECT json_extract(detail, '$.article') AS article, count(*) AS n FROM audit WHERE action = 'feedback'"
            " AND json_extract(detail, '$.helpful') = 0 AND json_extract(detail, '$.article') IS NOT NULL"
            " GROUP BY article HAVING n > ? ORDER BY n DESC, article", [more_than])
        return {r["article"]: r["n"] for r in found}

    # --- who answered what (knowledge.experts) -------------------------------------------------------------
    def replies_per_person(self: Base) -> dict[str, dict[str, Any]]:
        """Per directory person who gave expert replies: dicts of replies, marked (of which the marked answer),
        last (UTC ISO of the latest reply) and channels (the expert channels they replied in, a tuple)."""
        found = self.rows(
            _REPLIES + "SELECT person_id, count(*) AS replies, sum(marked) AS marked, max(created_at) AS last,"
            " json_group_array(DISTINCT channel) AS channels FROM replies WHERE person_id IS NOT NULL"
            " GROUP BY person_id")
        return {r["person_id"]: {"replies": int(r["replies"]), "marked": int(r["marked"]), "last": r["last"],
                                 "channels": tuple(json.loads(r["channels"]))} for r in found}

    def directory_entries(self: Base) -> list[dict[str, Any]]:
        """Everyone in the directory, in no particular order: dicts of id, name, title, department and
        expertise (a tuple, as listed)."""
        return [{**r, "expertise": tuple(json.loads(r["expertise"]))}
                for r in self.rows("SELECT id, name, title, department, expertise FROM people")]

    def unlisted_repliers(self: Base) -> list[tuple[str, int, int]]:
        """(author, replies, marked) of the reply authors the directory does not know, by display name (else
        platform id), the most replies first."""
        found = self.rows(
            _REPLIES + "SELECT CASE WHEN author_name != '' THEN author_name ELSE author_id END AS author,"
            " count(*) AS replies, sum(marked) AS marked FROM replies WHERE person_id IS NULL GROUP BY author"
            " ORDER BY replies DESC, author")
        return [(r["author"], int(r["replies"]), int(r["marked"])) for r in found]

    def replies_of(self: Base, person_id: str, limit: int) -> list[dict[str, Any]]:
        """The expert replies of one directory person, the latest first, at most ``limit``: dicts of id,
        escalation_id, text (whole), created_at, channel, marked and question (the escalated question's text)."""
        return self.rows(
            _REPLIES + "SELECT r.id, r.escalation_id, r.text, r.created_at, r.channel, r.marked, q.text AS question"
            " FROM replies r JOIN questions q ON q.id = r.question_id WHERE r.person_id = ?"
            " ORDER BY r.created_at DESC, r.id DESC LIMIT ?", [person_id, limit])

    # --- the people directory (knowledge.directory) ---------------------------------------------------------
    def people_named(self: Base, name: str) -> list[str]:
        """The ids of the people whose name is ``name``, case-insensitively."""
        return [r["id"] for r in self.rows("SELECT id FROM people WHERE name = ? COLLATE NOCASE", [name])]

    def people_matching(self: Base, words: list[str], limit: int) -> list[tuple[str, float]]:
        """The ``limit`` people whose expertise, title or department best match any of ``words`` (bm25 with
        expertise counting most), as (person id, score), the best first; a higher score is a better match."""
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        found = self.rows(
            "SELECT person_id, bm25(people_index, 0.0, 0.5, 2.0) AS rank FROM people_index"
            " WHERE people_index MATCH ? ORDER BY rank LIMIT ?", [match, limit])
        return [(r["person_id"], -float(r["rank"])) for r in found]
