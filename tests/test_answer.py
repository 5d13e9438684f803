"""The answer an agent can use with a customer on the line: the part that answers, never cut silently, the
whole article one step away, suggestions that open, freshness that means something, channels by name,
routing on the question's own words, and hints that fit the place."""

from __future__ import annotations

import io
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.parser import main
from handlers import cards
from handlers.desk import Desk
from handlers.errors import UserError
from handlers.replies import Action
from knowledge.model import Article, Place, User
from knowledge.passages import best_passage
from tests.fakes import FakeChat

AGENT, OWNER = User("agent1", "Anna"), User("owner1", "Kim")


@pytest.mark.parametrize("question, title, figure", [
    ("hoeveel kost een paspoort", "Paspoort aanvragen", "€ 84,35"),
    ("wat kost trouwen", "Trouwen of geregistreerd partnerschap", "€ 395"),
])
def test_the_part_that_answers_has_the_figure_asked_for(desk: Desk, question: str, title: str, figure: str) -> None:
    [article] = [a for a in desk.store.articles() if a.title == title]
    assert figure not in cards.snippet(article.body)  # what chat showed before: 400 characters, cut silently
    assert figure in best_passage(article.body, question).text


def test_a_cut_is_marked_and_the_whole_article_is_one_step_away(desk: Desk) -> None:
    reply = desk.ask(AGENT, "hoe vraag ik een paspoort aan?", Place("D1"))
    shown = next(line.text for line in reply.lines if line.kind == "text" and "paspoort" in line.text.lower())
    assert shown.endswith("…") or shown.startswith("…")
    [read] = [b for b in reply.buttons if b.action == Action.READ]
    whole = desk.read(read.value, AGENT)
    article = desk.store.article(read.value.split(":", 1)[1])
    assert article is not None and "".join(line.text for line in whole.lines if line.kind == "text") \
        .replace(" ", "") == article.body.replace("\n", "").replace(" ", "")


def test_a_short_article_is_shown_whole_without_a_button(desk: Desk) -> None:
    desk.store.upsert_articles([Article("kort", "Openingstijden milieustraat", "Open op zaterdag van 9 tot 16 uur.",
                                        questions=("wanneer is de milieustraat open",))])
    reply = desk.ask(AGENT, "wanneer is de milieustraat open", Place("D1"))
    assert "Open op zaterdag van 9 tot 16 uur." in reply.text and "…" not in reply.text
    assert not [b for b in reply.buttons if b.action == Action.READ]


def test_a_suggestion_opens_and_counts_as_the_askers_choice(desk: Desk) -> None:
    reply = desk.ask(AGENT, "parkeren", Place("D1"))  # a word alone: the bot suggests
    opens = [b for line in reply.lines for b in line.buttons if b.action == Action.READ]
    assert opens, reply.text
    picked = opens[0]
    whole = desk.read(picked.value, AGENT)
    qid, article_id = picked.value.split(":", 1)
    assert whole.lines[0].kind == "title"
    chose = [r for r in desk.store.audit_log() if r["action"] == "chose"]
    assert chose and article_id in chose[-1]["detail"]
    assert desk.store.question(int(qid)).status == "answered"
    with pytest.raises(UserError):
        desk.read(f"{qid}:does-not-exist", AGENT)


def test_freshness_is_when_the_content_changed_and_review_is_for_owners(desk: Desk) -> None:
    article = desk.store.article("nl-paspoort-aanvragen")
    assert article is not None
    desk.store.upsert_articles([replace(article, updated_at="2026-01-15T10:00:00+00:00")])
    desk.store.upsert_articles([replace(article, updated_at="", owner="Someone else")])  # same text: kept
    assert desk.store.article(article.id).updated_at.startswith("2026-01-15")
    desk.store.upsert_articles([replace(article, updated_at="", body=article.body + " Nieuw.")])  # changed
    assert not desk.store.article(article.id).updated_at.startswith("2026-01-15")
    stale = replace(article, review_date="2020-01-01")
    agent_lines = cards.article_lines(stale, "nl")
    owner_lines = cards.article_lines(stale, "nl", owner=True)
    assert not [x for x in agent_lines if x.kind == "warning"] and [x for x in owner_lines if x.kind == "warning"]


def test_channels_are_named_never_raw_ids(desk: Desk) -> None:
    assert desk.channel_name("19:kcc-experts@thread.tacv2") == "kcc-experts"
    assert desk.channel_name("19:3f1c2a9e0b7d4c21a8e6f0d3b5c7a9e1@thread.tacv2") == "het expertkanaal"
    desk.channels = {"kcc-wmo": "C0123ABCDE"}
    assert desk.channel_name("C0123ABCDE") == "kcc-wmo" and desk.channel_name("C0999ZZZZZ") == "het expertkanaal"
    teams = Desk(store=desk.store, search=desk.searcher, chat=FakeChat(platform="teams"),
                 default_channel="19:3f1c2a9e0b7d4c21a8e6f0d3b5c7a9e1@thread.tacv2")
    told = teams.ask(AGENT, "qwerty zxcv plof?", Place("a:personal"))
    said = told.lines[0].text  # (the link below it is the platform's own URL)
    assert "19:" not in said and "het expertkanaal" in said


@pytest.mark.parametrize("question, not_to", [
    ("Mag je een hond loslaten in het park zonder lijn?", "kcc-belastingen"),
    ("Wat kost een ontheffing voor een kraan op de stoep?", "kcc-burgerzaken"),
])
def test_routing_follows_the_questions_own_words(desk: Desk, chat: FakeChat, question: str, not_to: str) -> None:
    desk.ask(AGENT, question, Place("D1"))
    q = desk.store.rows("SELECT id FROM questions ORDER BY id DESC")[0]["id"]
    desk.escalate(q, AGENT)
    [post_place] = [p for p, m in chat.sent if any(b.action == Action.MARK_ANSWER for b in m.buttons)]
    assert post_place.channel != not_to


@pytest.mark.parametrize("platform, says, never", [
    ("slack", "✅", "/antwoord"), ("teams", "berichtmenu", "✅"), ("console", "/antwoord", "✅"),
])
def test_hints_fit_the_place(desk: Desk, platform: str, says: str, never: str) -> None:
    q = desk.store.question(desk.store.add_question(AGENT, platform, Place("D1"), "vraag", "nl", "escalate",
                                                    None, []).id)
    post = cards.escalation_post(q, 7, [], [], platform=platform)
    text = "\n".join(line.text for line in post.lines)
    assert says in text and never not in text


@pytest.mark.slow
def test_console_reads_the_whole_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "c.db"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("hoeveel kost een paspoort\n"))
    assert main(["demo", "--as", "anna"]) == 0
    out = capsys.readouterr().out
    command = re.search(r"/lees (\S+)\]", out)
    assert command, out
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"/lees {command.group(1)}\n"))
    assert main(["chat", "--as", "anna"]) == 0
    out = capsys.readouterr().out
    assert "vingerafdrukken" in out and "5 werkdagen" in out  # the parts the short answer left out


def test_a_body_is_split_once_and_the_cache_keeps_to_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The best passage of a body asked again comes from the cache, the same as worked out afresh; and many
    long bodies keep the cache within its byte budget."""
    from knowledge import passages
    from knowledge.cache import ByteCache

    monkeypatch.setattr(passages, "_SPLIT", ByteCache(200_000))
    body = "Aanvragen doet u op het stadskantoor.\n\nEen paspoort kost € 84,35 voor volwassenen.\n\nMeer info."
    first = best_passage(body, "wat kost een paspoort")
    split = passages._SPLIT.get("nl\0" + body)
    assert split is not None and best_passage(body, "wat kost een paspoort") == first
    assert passages._SPLIT.get("nl\0" + body) is split  # not split again
    assert "84,35" in first.text
    for n in range(200):
        best_passage(f"Artikel {n}. " + "Een zin over het onderwerp. " * 400, "onderwerp")
    assert 0 < passages._SPLIT.bytes <= 200_000 and len(passages._SPLIT) < 200
