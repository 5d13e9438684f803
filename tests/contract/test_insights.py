"""The owners' reads (analytics, knowledge gaps, the week's numbers, experts, the directory) give the same results
on SQLite and PostgreSQL, in the same order, over one history of the loop written to both (tests/contract/history.py);
and the results are the ones that history calls for."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from knowledge import analytics, experts, gaps
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore
from tests.contract import history
from tests.contract.history import TODAY


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def reads(store: Any, ids: dict[str, int]) -> dict[str, Any]:
    """Every read of the mixin, as the logic modules call them, over the history's period and parts of it."""
    start, end = history.period()
    week = (start.isoformat(), (end + timedelta(days=1)).isoformat())
    recent = ((TODAY - timedelta(days=2)).isoformat(), week[1])
    out: dict[str, Any] = {"escalation_channels": store.escalation_channels()}
    for name, (a, b) in {"week": week, "recent": recent, "month": ((TODAY - timedelta(days=40)).isoformat(),
                                                                   week[1])}.items():
        for channel in (None, "kcc-dieren", "kcc-burgerzaken", "kcc-nergens"):
            for method in ("outcomes_per_day", "escalation_minutes", "feedback_counts", "question_topics",
                           "direct_answers_per_article", "article_feedback"):
                out[f"{method} {name} {channel}"] = getattr(store, method)(a, b, channel)
        out[f"question_topics {name} top 2"] = store.question_topics(a, b, top=2)
        out[f"gap_questions {name}"] = store.gap_questions(a, b, 10)
        out[f"gap_questions {name} limit 2"] = store.gap_questions(a, b, 2)
    out["article_titles"] = store.article_titles(["rijbewijs", "nergens", "paspoort"])
    out["article_titles none"] = store.article_titles([])
    question_ids = sorted(ids.values())
    out["escalations_of_questions"] = store.escalations_of_questions(question_ids)
    escalations = [ids[k] for k in ("esc_dragon", "esc_paspoort", "esc_personal", "esc_old")]
    out["best_expert_answers"] = store.best_expert_answers([*escalations, 999])
    out["best_expert_answers none"] = store.best_expert_answers([])
    for since in (week[0], recent[0], f"{recent[0]}T10:00:00+00:00"):
        out[f"questions_by_decision {since}"] = store.questions_by_decision(since)
        out[f"escalation_times {since}"] = store.escalation_times(since)
    for today in ("2020-01-01", "2021-01-01", "2030-01-01"):
        out[f"overdue_article_ids {today}"] = store.overdue_article_ids(today)
    for more_than in (0, 1):
        out[f"not_helpful_counts {more_than}"] = store.not_helpful_counts(more_than)
        out[f"not_helpful_articles {more_than}"] = store.not_helpful_articles(more_than)
    out["stats"] = store.stats()
    out["stats 60"] = store.stats(60)
    out["overdue_articles"] = store.overdue_articles()
    out["replies_per_person"] = store.replies_per_person()
    # "in no particular order" on both: SQLite gives the order they were stored in, which PostgreSQL keeps not
    out["directory_entries"] = sorted(store.directory_entries(), key=lambda e: e["id"])
    out["unlisted_repliers"] = store.unlisted_repliers()
    for person in ("p1", "p2", "p3"):
        out[f"replies_of {person}"] = store.replies_of(person, 10)
    out["replies_of p1 limit 1"] = store.replies_of("p1", 1)
    for name in ("Piet Jansen", "piet JANSEN", "Els", "émile dubois", "Émile Dubois", ""):
        out[f"people_named {name}"] = store.people_named(name)
    out["last_place"] = store.last_place("U2")
    # what the logic modules make of them
    out["analytics"] = analytics.analytics(store, start, end)
    out["analytics dieren"] = analytics.analytics(store, start, end, "kcc-dieren")
    out["gaps"] = gaps.gaps(store, start, end)
    out["experts"] = experts.experts(store)
    out["answers_of p1"] = experts.answers_of(store, "p1")
    return {k: _plain(v) for k, v in out.items()}


def _rounded(minutes: list[list[float | None]]) -> list[list[float | None]]:
    return [[None if m is None else round(m, 4) for m in pair] for pair in minutes]


@pytest.fixture
def both(tmp_path: Path, pg_store: PostgresStore) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    lite = SqliteStore(str(tmp_path / "insights.db"))
    try:
        found = reads(lite, history.build(lite)), reads(pg_store, history.build(pg_store))
    finally:
        lite.close()
    yield found


def test_every_read_gives_the_same_results_on_both_backends(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    expected, found = both
    assert list(found) == list(expected)
    differing = [name for name in expected if found[name] != expected[name]]
    assert not differing, {name: (expected[name], found[name]) for name in differing[:3]}


def test_the_reads_say_what_the_history_did(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    for found in both:
        week = f"{history.period()[0].isoformat()}"
        assert found["escalation_channels"] == ["kcc-burgerzaken", "kcc-dieren"]
        outcomes: dict[str, int] = {}
        for _, outcome, n in found["outcomes_per_day week None"]:
            outcomes[outcome] = outcomes.get(outcome, 0) + n
        assert outcomes == {"direct": 2, "expert": 2, "suggestion": 1, "unanswered": 3}
        # minutes as SQLite's julianday arithmetic gives them (off in the 7th place), bit for bit on both
        assert _rounded(found["escalation_minutes week None"]) == [[10.0, 30.0], [5.0, None], [15.0, 40.0]]
        assert _rounded(found["escalation_minutes week kcc-dieren"]) == [[5.0, None]]
        assert found["feedback_counts week None"] == [[0, 2], [1, 1]]
        # a question's topic: its article's first keyword, else its first escalation's channel
        assert found["question_topics week None"] == [["kcc-dieren", "channel", 2], ["reisdocument", "keyword", 2],
                                                      ["rijbewijs", "keyword", 2], ["kcc-burgerzaken", "channel", 1]]
        assert found["question_topics week top 2"] == found["question_topics week None"][:2]
        assert found["direct_answers_per_article week None"] == [["paspoort", 1], ["rijbewijs", 1]]
        assert found["article_feedback week None"] == [["paspoort", 0, 1, 1], ["rijbewijs", 1, 0, 1]]
        assert [q["text"] for q in found["gap_questions week"]] == [
            "klopt mijn adres in de BRP?", "mag ik een draak houden in de tuin?", "mag ik een draak houden?",
            "paspoort kwijt in het buitenland", "rijbewijs omwisselen"]
        assert [q["personal"] for q in found["gap_questions week"]] == [1, 0, 0, 0, 0]
        assert [(a["author_name"], a["marked"]) for a in found["best_expert_answers"]] == [
            ("PIET JANSEN", 1), ("Piet Jansen", 1), ("", 0), ("Els", 1)]  # the escalations' order
        assert found[f"questions_by_decision {week}"] == {"answer": 3, "escalate": 3, "suggest": 2}
        assert found["overdue_article_ids 2030-01-01"] == ["paspoort"]  # validated only
        assert found["not_helpful_counts 0"] == {"paspoort": 1, "rijbewijs": 1}
        assert found["stats"]["asked"] == 8 and found["stats"]["escalated"] == 3
        piet = found["replies_per_person"]["p1"]
        # the channels in the order of his first reply in each (as SQLite's json_group_array gives them)
        assert (piet["replies"], piet["marked"], piet["channels"]) == (3, 2, ["kcc-dieren", "kcc-burgerzaken"])
        assert found["replies_per_person"]["p2"]["replies"] == 1 and "p3" not in found["replies_per_person"]
        assert found["unlisted_repliers"] == [["Gast", 1, 0]]
        assert [r["text"] for r in found["replies_of p1"]] == [
            "Nee, niet zonder vergunning.", "Meld het bij de ambassade.", "Via Mijn Gemeente."]  # the latest first
        assert found["people_named piet JANSEN"] == ["p1"] and found["people_named Els"] == []
        assert found["people_named émile dubois"] == []  # any case of the ASCII letters only, as SQLite's NOCASE
        assert found["people_named Émile Dubois"] == ["p4"]


def test_reports_are_not_held_up_compiling_queries(pg_store: PostgresStore) -> None:
    """PostgreSQL's JIT compiled the topics query of 20,000 questions for 1.5 s of its 1.7 s: the store's connections
    run without it (its queries are short)."""
    assert pg_store.rows("SHOW jit") == [{"jit": "off"}]
