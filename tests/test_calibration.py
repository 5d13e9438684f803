"""Self-calibration: the thresholds follow from the knowledge base itself, are stored, and give way to
configured ones."""

from __future__ import annotations

import pytest

from bot import bootstrap
from bot.config import Settings
from bot.parser import main
from handlers.desk import Desk
from handlers.messages import t
from handlers.replies import Action
from knowledge import calibration
from knowledge.model import Article, Place, User
from knowledge.search import Searcher, Thresholds
from knowledge.sqlite.store import SqliteStore


def test_the_demo_knowledge_base_calibrates_itself_and_keeps_the_result(demo_store: SqliteStore) -> None:
    searcher = bootstrap.build_searcher(Settings(db_path=demo_store.path), demo_store)
    found = calibration.stored(demo_store, "lexical")
    assert found is not None and found.articles == demo_store.count("articles")
    assert found.answerable > 100 and found.unanswerable > 100 and found.false_answers <= calibration.TARGET_FALSE
    assert 0.0 < found.suggest <= found.answer <= 1.0
    assert searcher.thresholds.answer == found.answer and searcher.thresholds.suggest == found.suggest
    assert "answer from" in said(found) and f"{found.answerable} of its own phrasings" in said(found)
    assert said(found, "nl").startswith("antwoorden vanaf")


def said(found: calibration.Calibration, lang: str = "en") -> str:
    key, values = found.explanation()
    return t(key, lang, **values)


def test_a_configured_threshold_wins(demo_store: SqliteStore) -> None:
    searcher = bootstrap.build_searcher(Settings(db_path=demo_store.path, answer_threshold="0.91"), demo_store)
    found = calibration.stored(demo_store, "lexical")
    assert searcher.thresholds.answer == 0.91 and searcher.thresholds.suggest == min(found.suggest, found.answer)


def test_a_material_change_of_the_knowledge_base_recalibrates(demo_store: SqliteStore) -> None:
    searcher = bootstrap.build_searcher(Settings(db_path=demo_store.path), demo_store)
    first = calibration.stored(demo_store, "lexical")
    demo_store.upsert_articles([Article("extra-1", "Één artikel erbij", "Tekst.", lang="nl")])
    assert calibration.stored(demo_store, "lexical") == first  # one article more is not material
    demo_store.upsert_articles([Article(f"extra-{n}", f"Onderwerp {n} aanvragen", "Tekst.", lang="nl")
                                for n in range(2, 40)])
    assert calibration.stored(demo_store, "lexical") is None
    searcher.search("paspoort kwijt")  # the searcher notices and calibrates again
    again = calibration.stored(demo_store, "lexical")
    assert again is not None and again.articles == demo_store.count("articles")


def test_a_knowledge_base_without_second_phrasings_calibrates_on_unanswerable_questions(store: SqliteStore) -> None:
    store.upsert_articles([Article(f"a{n}", f"Vraag over onderwerp {n} en {w}", "Antwoord.", lang="nl")
                           for n, w in enumerate(["afval", "paspoort", "parkeren", "zorg", "belasting", "subsidie",
                                                  "verhuizen", "trouwen", "hond", "boom"])])
    found = calibration.calibrate(Searcher(store), "lexical")
    assert found.answerable == 0 and found.unanswerable == 10
    assert "no article has a second phrasing" in said(found)


def test_a_tiny_knowledge_base_keeps_the_built_in_thresholds(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Hondenbelasting", "Per hond.", lang="nl")])
    found = calibration.calibrate(Searcher(store), "lexical")
    assert (found.answer, found.suggest) == (Thresholds().answer, Thresholds().suggest)
    assert "too small" in said(found)


def test_choose_takes_the_lowest_threshold_with_few_false_answers() -> None:
    answerable = [(0.9, True)] * 60 + [(0.7, True)] * 20 + [(0.7, False)] * 20
    unanswerable = [0.3] * 95 + [0.75] * 5
    found = calibration.choose(answerable, unanswerable, 100, Thresholds())
    assert found.answer == 0.75 and found.correct == 0.6  # at 0.7 a fifth of the answers would be wrong
    assert found.suggest == 0.3


def test_calibrate_prints_what_it_chose_and_why(demo_store: SqliteStore, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", demo_store.path)
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "")
    assert main(["calibrate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("antwoorden vanaf") and "verwachte foute antwoorden" in out  # VRAAGBAAK_LANG: Dutch
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["calibrate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("answer from") and "false answers expected" in out


def test_when_no_threshold_keeps_false_answers_low_the_bot_only_suggests() -> None:
    answerable = [(0.9, True), (0.9, False)] * 50  # near-duplicate articles: half of the best scores are wrong
    found = calibration.choose(answerable, [0.2] * 100, 100, Thresholds())
    assert found.answer == 1.0 and said(found).startswith("never answer at once")


def test_what_agents_marked_helpful_or_not_joins_the_calibration(desk: Desk) -> None:
    agent = User("agent1", "Anna")
    first = desk.ask(agent, "hoe vraag ik een nieuw paspoort aan?", Place("D1"))
    second = desk.ask(agent, "wat kost een paspoort voor een kind", Place("D1"))
    ids = [int(b.value) for m in (first, second) for b in m.buttons if b.action == Action.HELPFUL]
    assert len(ids) == 2
    desk.feedback(ids[0], True, agent)
    desk.feedback(ids[1], True, agent)
    found = calibration.calibrate(Searcher(desk.store), "lexical")
    assert found.learned == 2 and "2 questions agents gave feedback on" in said(found)
    assert calibration.stored(desk.store, "lexical").learned == 2


# A knowledge base whose articles have one phrasing each asks itself only unanswerable questions: what agents
# marked is then all it knows of answerable ones (own threshold 0.9 here).
ONE_PHRASING = [0.3] * 92 + [0.9] * 8


def test_one_not_helpful_mark_in_five_does_not_switch_answering_off() -> None:
    taught = [(0.97, True)] * 4 + [(0.97, False)]
    assert calibration.choose(taught, ONE_PHRASING, 100, Thresholds()).answer == 1.0  # the marks alone would
    found = calibration.with_loop([], taught, ONE_PHRASING, 100, Thresholds())
    assert (found.answer, found.asked, found.own, found.learned) == (0.9, 1.0, 0.9, 5)
    assert said(found).startswith("answer from 0.90") and "chose 0.90 by itself; the feedback on 5 questions asked" \
        " for 1.00, but 'not helpful' raises" in said(found)
    assert "koos zelf 0.90; de feedback op 5 vragen vroeg om 1.00" in said(found, "nl")


def test_many_not_helpful_marks_raise_the_threshold_but_by_at_most_the_cap() -> None:
    taught = [(0.93, False)] * 20 + [(0.99, True)] * 20  # half wrong below 0.99: the marks alone say 0.99
    found = calibration.with_loop([], taught, ONE_PHRASING, 100, Thresholds())
    assert found.answer == round(0.9 + calibration.LOOP_MAX_RAISE, 4) and found.asked == 0.99


def test_marks_that_are_evidence_raise_it_as_far_as_they_ask() -> None:
    taught = [(0.91, False)] * 10 + [(0.93, True)] * 30  # a quarter wrong of 40: beyond 8 % with 95 % confidence
    found = calibration.with_loop([], taught, ONE_PHRASING, 100, Thresholds())
    assert found.answer == 0.93 and found.asked == 0.0


def test_helpful_marks_may_lower_it() -> None:
    answerable = [(0.95, True)] * 50 + [(0.85, True)] * 10 + [(0.85, False)] * 10
    unanswerable = [0.3] * 95 + [0.8] * 5
    own = calibration.choose(answerable, unanswerable, 100, Thresholds())
    found = calibration.with_loop(answerable, [(0.85, True)] * 60, unanswerable, 100, Thresholds())
    assert own.answer == 0.95 and found.answer == 0.85 and found.asked == 0.0


def test_what_was_held_back_is_stored_with_the_thresholds(store: SqliteStore) -> None:
    found = calibration.with_loop([], [(0.97, True)] * 4 + [(0.97, False)], ONE_PHRASING, 0, Thresholds())
    calibration.save(store, "lexical", found)
    assert calibration.stored(store, "lexical", articles_now=0) == found


def test_a_suggestion_picked_joins_the_calibration_as_that_article_helping(desk: Desk) -> None:
    agent = User("agent1", "Anna")
    question = "wanneer komen ze het grof vuil ophalen"  # suggested: the waste calendar first, bulky waste second
    suggested = desk.ask(agent, question, Place("D1"))
    picks = [b.value for line in suggested.lines for b in line.buttons if b.action == Action.READ]
    assert len(picks) > 1 and not any(b.action == Action.HELPFUL for b in suggested.buttons), suggested.text
    desk.read(picks[1], agent)  # the agent picks the second: the first would have been the wrong answer
    article = picks[1].partition(":")[2]
    assert desk.store.feedback_questions(5) == [(question, article, True)]
    searcher = Searcher(desk.store)
    assert calibration.learned(searcher) == [(searcher.hits(searcher.query(question))[0].score, False)]
    assert calibration.calibrate(searcher, "lexical").learned == 1
