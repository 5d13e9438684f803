"""knowledge/compare.py: an expert's answer against an article, passage by passage."""

from __future__ import annotations

from knowledge import compare, text
from knowledge.model import Article

WEDDING = Article("nl-huwelijk", "Trouwen of geregistreerd partnerschap",
                  "Trouwen kan in het stadhuis op werkdagen. Trouwen op een eigen locatie kan ook, mits die locatie in"
                  " de gemeente ligt; daarvoor geldt een toeslag van € 250. Meld het huwelijk minstens 4 weken vooraf"
                  " via de website.")
FIREWORKS = Article("nl-vuurwerk", "Vuurwerk afsteken",
                    "Vuurwerk afsteken mag alleen op oudejaarsavond van 18:00 tot 02:00. Particulieren krijgen geen"
                    " vergunning voor ander vuurwerk.")


def test_passages_split_sentences_lines_and_long_sentences_at_semicolons() -> None:
    assert compare.passages("Eerste zin. Tweede zin!\n- een punt\n\nNieuwe alinea") == [
        "Eerste zin.", "Tweede zin!", "- een punt", "Nieuwe alinea"]
    long = "Dit is een lange zin die over het melden van vakantieverhuur gaat; de inwoner krijgt een nummer."
    assert compare.passages(long) == ["Dit is een lange zin die over het melden van vakantieverhuur gaat",
                                      "de inwoner krijgt een nummer."]
    assert compare.passages("Kort; heel kort.") == ["Kort; heel kort."]
    assert compare.passages("€ 3,50 per nacht. 2,5 m hoog.") == ["€ 3,50 per nacht.", "2,5 m hoog."]
    assert compare.passages("  \n\n ") == []


def test_figures_keep_amounts_times_dates_and_units() -> None:
    assert compare.figures("Toeslag €3,50 en € 250, van 18:00 tot 02:00, op 2026-12-31, 30 nachten, 1,5 m") == (
        "€ 3,50", "€ 250", "18:00", "02:00", "2026-12-31", "30 nachten", "1,5 m")


def test_changes_pair_figures_of_one_kind_and_negations() -> None:
    assert compare.changes("een toeslag van € 250", "de toeslag is € 245") == (("€ 250", "€ 245"),)
    assert compare.changes("minstens 4 weken vooraf", "uiterlijk 3 maanden vooraf") == ()  # another unit: added
    assert compare.changes("minstens 4 weken vooraf", "minstens 6 weken vooraf") == (("4 weken", "6 weken"),)
    assert compare.changes("een vergunning is nodig", "een vergunning is niet nodig") == (("", "niet"),)
    assert compare.changes("€ 250 per keer", "€ 250 per keer") == ()


def test_an_answer_that_changes_an_amount_contradicts_the_article() -> None:
    answer = "Een eigen locatie in de gemeente kan ook. De toeslag voor een eigen locatie is € 245."
    found = compare.compare(answer, WEDDING)
    assert found.verdict == "contradicts"
    changed = [p for p in found.parts if p.kind == "changed"]
    assert len(changed) == 1 and changed[0].changes == (("€ 250", "€ 245"),)
    assert "€ 250" in changed[0].match


def test_repeats_adds_and_new() -> None:
    same = compare.compare("Trouwen op een eigen locatie kan ook, mits die locatie in de gemeente ligt.", WEDDING)
    assert same.verdict == "repeats" and [p.kind for p in same.parts] == ["same"]
    more = compare.compare("Trouwen op een eigen locatie kan ook, mits die locatie in de gemeente ligt. "
                           "De trouwambtenaar neemt een tafel en stoelen mee.", WEDDING)
    assert more.verdict == "adds" and [p.kind for p in more.parts] == ["same", "new"]
    assert more.closeness > compare.compare("De trouwambtenaar neemt een tafel en stoelen mee.", WEDDING).closeness


def test_review_shows_only_close_articles_closest_first() -> None:
    answer = "Op een eigen locatie trouwen kan, mits in de gemeente. De toeslag is dan € 245."
    found = compare.review(answer, [FIREWORKS, WEDDING], question="Kan een stel in de eigen tuin trouwen?")
    assert [c.article_id for c in found.close] == ["nl-huwelijk"] and found.others == 1
    assert found.verdict == "contradicts"
    usual = {text.stem("vergunning", "nl"), text.stem("gemeente", "nl")}
    common = lambda stem: 0.2 if stem in usual else 1.0  # noqa: E731 - an idf, roughly
    nothing = compare.review("Kippen houden mag zonder vergunning, maximaal tien dieren.", [FIREWORKS, WEDDING],
                             weight=common)
    assert nothing.verdict == "new" and nothing.close == () and nothing.others == 2


def test_rarity_weights_let_telling_words_count_more() -> None:
    common = {"gemeent", "locatie"}
    weight = lambda stem: 0.1 if stem in common else 1.0  # noqa: E731
    a, b = frozenset({"gemeent", "locatie", "kip"}), frozenset({"gemeent", "locatie", "vuurwerk"})
    assert compare.similarity(a, b, weight) < compare.similarity(a, b)
    assert compare.similarity(frozenset(), frozenset()) == 0.0


def test_a_pasted_text_is_bounded() -> None:
    pasted = "Zin nummer een over iets. " * 1000
    assert len(compare.passages(pasted)) == compare.MAX_PASSAGES
    assert compare.compare(pasted, WEDDING).verdict in ("adds", "repeats")
