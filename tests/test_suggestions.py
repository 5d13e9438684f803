"""Suggestions that can be used: each suggestion shows the part of its article that answers the question (the
amount, date or time asked for), like a direct answer does, within the platforms' limits and cut with "…"."""

from __future__ import annotations

import re

from handlers import cards
from handlers.desk import Desk
from handlers.replies import Message
from knowledge.model import Article, Hit, Place, SearchResult, User
from knowledge.passages import asked_figures, best_passage, figures
from tests.test_console import run

AGENT = User("agent1", "Anna")


def test_a_suggestion_shows_the_price_asked_for(desk: Desk) -> None:
    reply = desk.ask(AGENT, "hoeveel kost een paspoort", Place("D1"))
    assert reply.text.startswith("Ik weet het niet zeker. Bedoel je een van deze?")
    assert "€ 84,35" in shown_under(reply, "Paspoort aanvragen")
    assert "€ 84,35" in reply.text  # also in the plain text (notifications, fallback)


def test_a_suggestion_for_a_question_in_another_language_shows_the_price(desk: Desk) -> None:
    """An English question suggested a Dutch article: the figure asked for still picks the sentence."""
    article = desk.store.article("nl-paspoort-aanvragen")
    assert article is not None
    q = desk.store.add_question(AGENT, "fake", Place("D1"), "How much does a passport cost?", "en", "suggest",
                                None, [article.id])
    reply = cards.answer_card(q, SearchResult(q.text, "suggest", (Hit(article, 0.7),), lang="en"))
    assert reply.text.startswith("I am not sure") and "€ 84,35" in shown_under(reply, "Paspoort aanvragen")


def shown_under(reply: Message, title: str) -> str:
    """The passage shown under the suggested article ``title``: cut with a mark, within the suggestion's size."""
    [at] = [i for i, line in enumerate(reply.lines) if line.kind == "title" and line.text == title]
    shown = reply.lines[at + 1]
    assert shown.kind == "context" and len(shown.text) <= cards.SUGGESTION + 4
    assert shown.text.startswith("…") or shown.text.endswith("…")
    return shown.text


def test_the_console_shows_the_price_under_the_suggestion(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "c.db"))
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")
    monkeypatch.setenv("VRAAGBAAK_ANSWER_THRESHOLD", "0.9")
    monkeypatch.setenv("VRAAGBAAK_SUGGEST_THRESHOLD", "0.5")
    run(["demo", "--no-chat", "--no-history"], "", monkeypatch, capsys)
    out = run(["chat", "--as", "anna"], "hoeveel kost een paspoort\n", monkeypatch, capsys)
    assert "Bedoel je een van deze?" in out
    block = out[out.index("** Paspoort aanvragen **"):]
    assert re.search(r"^   .*€ 84,35", block, re.M), out


def test_a_long_paragraph_shows_its_sentences_that_answer() -> None:
    body = ("Aanvragen gaat op afspraak bij de balie. " * 6 + "De leges zijn € 12,50 per aanvraag. "
            + "Daarna duurt het 3 werkdagen. " + "Meenemen: een geldig legitimatiebewijs. " * 4)
    cost = best_passage(body, "wat kost het", limit=120)
    assert "€ 12,50" in cost.text and cost.text.startswith("…") and cost.text.endswith("…") and cost.cut
    assert len(cost.text) <= 124
    wait = best_passage(body, "hoe lang duurt het", limit=120)
    assert "3 werkdagen" in wait.text
    first = best_passage(body, "", limit=120)  # nothing to go by: the opening, marked as cut
    assert first.text.startswith("Aanvragen") and first.text.endswith("…")
    long_sentence = "Een zin " + "zonder einde " * 100 + "met € 5,00 erin."
    cut = best_passage(long_sentence, "wat kost het", limit=100)
    assert len(cut.text) <= 104 and cut.text.endswith("…")


def test_the_figure_asked_for_is_told_from_other_figures() -> None:
    assert asked_figures("hoeveel kost een paspoort") >= {"amount"}
    assert asked_figures("hoe laat is de milieustraat open") == {"time", "date"}
    assert asked_figures("wanneer is de milieustraat open") == {"time", "date", "duration"}
    assert asked_figures("hoe lang duurt een vog") == {"duration"}
    assert asked_figures("hoe vraag ik een paspoort aan") == frozenset()
    assert figures("kost in 2026 € 84,35") == {"amount"} and figures("open van 9.00 tot 16.00 uur") >= {"time"}
    assert "duration" in figures("na ongeveer 5 werkdagen") and "date" in figures("op maandag")
    body = ("Het paspoort ligt na ongeveer 5 werkdagen klaar.\n\nDe balie is open op maandag van 9.00 tot 17.00 uur."
            "\n\nEen paspoort kost € 84,35.")
    assert "84,35" in best_passage(body, "wat kost een paspoort", limit=60).text
    assert "maandag" in best_passage(body, "hoe laat is de balie open", limit=60).text
    assert "5 werkdagen" in best_passage(body, "wanneer kan ik een paspoort ophalen", limit=60).text
    assert "5 werkdagen" in best_passage(body, "hoe lang duurt een paspoort", limit=60).text


def test_suggestions_keep_within_the_platform_limits(desk: Desk) -> None:
    from bot.slack import blocks
    from bot.teams import cards as teams_cards

    huge = "Openingstijden. " + "Heel lang verhaal zonder punt " * 400 + "kost € 1,00."
    desk.store.upsert_articles([Article(f"lang-{n}", f"Lang artikel {n} over parkeren", huge,
                                        questions=("parkeren tarief",)) for n in range(3)])
    reply = desk.ask(AGENT, "parkeren tarief kosten", Place("D1"))
    rendered = blocks.render(reply)
    for block in rendered:
        for part in [block.get("text") or {}, *block.get("elements", [])]:
            assert len(part.get("text", "")) <= blocks.SECTION_LIMIT
    card = teams_cards.card(reply)
    assert len(str(card)) < 28_000 and all(len(b.get("text", "")) <= 3000 for b in card["body"])
