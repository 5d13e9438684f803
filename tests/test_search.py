"""Search behaviour a KCC agent relies on: typos, Dutch and English, synonyms, people, decisions."""

from __future__ import annotations

import pytest

from bot import bootstrap
from bot.config import Settings
from knowledge import calibration, search
from knowledge.model import Article, Hit, Person
from knowledge.search import Searcher, Thresholds
from knowledge.sqlite.store import SqliteStore


@pytest.fixture
def searcher(demo_store: SqliteStore) -> Searcher:
    return bootstrap.build_searcher(Settings(db_path=demo_store.path), demo_store)


@pytest.mark.parametrize(("question", "expected"), [
    ("hoe vraag ik een paspoort aan", "nl-paspoort-aanvragen"),
    ("paspoort aanvragn hoe werkt dat", "nl-paspoort-aanvragen"),          # typo
    ("mijn rijbewjis verloopt binnenkort", "nl-rijbewijs-verlengen"),       # typo
    ("wanneer wordt het grof vuil opgehaald", "nl-grofvuil-ophalen"),       # split compound
    ("kwijtschelding gemeentelijke belastingen", "nl-kwijtschelding"),
    ("how do I register my address in the BRP", "en-brp-registration"),
])
def test_finds_the_right_article(searcher: Searcher, demo_store: SqliteStore, question: str,
                                 expected: str) -> None:
    if demo_store.article(expected) is None:
        pytest.skip(f"demo has no {expected}")
    found = searcher.search(question)
    assert expected in [h.article.id for h in found.hits[:3]], [h.article.id for h in found.hits]


def test_unrelated_question_is_not_answered(searcher: Searcher) -> None:
    found = searcher.search("Mag ik een vuurwerkvergunning voor de achtertuin op oudejaarsavond?")
    assert found.decision != "answer"


def test_exact_question_is_answered(searcher: Searcher, demo_store: SqliteStore) -> None:
    article = demo_store.article("nl-paspoort-aanvragen")
    assert article is not None
    found = searcher.search(article.questions[0])
    assert found.decision == "answer" and found.best.article.id == article.id


def test_synonyms_owners_add_are_used(store: SqliteStore) -> None:
    store.upsert_articles([
        Article("a1", "Reisdocument aanvragen", "Bij de balie burgerzaken.", lang="nl"),
        Article("a2", "Afval scheiden", "Plastic apart.", lang="nl"),
    ])
    searcher = Searcher(store)
    before = searcher.search("paspoort")
    assert before.decision == "escalate"
    store.add_synonyms("paspoort", ["reisdocument"])
    found = searcher.search("paspoort")
    assert found.best.article.id == "a1" and found.best.score > before.best.score + 0.05


def test_articles_reimported_are_found_with_their_new_text(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Hondenbelasting", "Per hond per jaar.", lang="nl")])
    searcher = Searcher(store)
    assert searcher.search("hondenbelasting").decision == "answer"
    store.upsert_articles([Article("a1", "Precariobelasting", "Voor terrassen.", lang="nl")])
    assert searcher.search("precariobelasting terras").best.article.title == "Precariobelasting"
    assert "hondenbelast" not in searcher.queries.vocabulary.df  # the old text left the index
    assert all(h.article.title == "Precariobelasting" for h in searcher.search("hondenbelasting").hits)


@pytest.mark.parametrize(("question", "department"), [
    ("wie weet iets van parkeervergunningen", "Parkeren"),
    ("who knows about rent benefit", None),
    ("wie weet iets van de WOZ-waarde", "Belastingen"),
])
def test_people_search_ranks_by_expertise(searcher: Searcher, question: str, department: str | None) -> None:
    found = searcher.search(question)
    assert found.people, question
    top = found.people[0].person
    if department:  # the best article's owner comes first; the expert by expertise is right behind
        assert any(department in p.person.department for p in found.people[:2])
    else:
        assert any("huurtoeslag" in e or "rent" in e for e in top.expertise) or "Inkomen" in top.department


def test_thresholds_come_from_configuration(demo_store: SqliteStore) -> None:
    strict = bootstrap.build_searcher(Settings(db_path=demo_store.path, answer_threshold="0.999"), demo_store)
    assert strict.search("hoe vraag ik een paspoort aan").decision != "answer"


def test_a_change_made_by_another_process_reaches_this_searcher(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Hondenbelasting", "Per hond per jaar.", lang="nl"),
                           Article("a2", "Afval scheiden", "Plastic apart.", lang="nl")])
    searcher = Searcher(store)
    assert searcher.search("precariobelasting").best.article.id != "a3"
    other = SqliteStore(store.path)  # e.g. `vraagbaak import kb` while the bot runs
    other.upsert_articles([Article("a3", "Precariobelasting", "Voor terrassen.", lang="nl")])
    assert searcher.search("precariobelasting").best.article.id == "a3"


def test_an_article_in_the_questions_language_wins_a_near_tie(store: SqliteStore) -> None:
    store.upsert_articles([
        Article("nl", "Kwijtschelding van gemeentelijke belastingen", "Vraag het aan.", keywords=("kwijtschelding",),
                lang="nl"),
        Article("en", "Remission of municipal taxes", "Apply online.", keywords=("kwijtschelding", "remission"),
                lang="en"),
    ])
    searcher = Searcher(store)
    assert searcher.search("hoe vraag ik kwijtschelding aan").best.article.id == "nl"
    assert searcher.search("how do I get remission of my taxes").best.article.id == "en"


def test_a_synonym_does_not_drag_in_unrelated_articles(demo_store: SqliteStore) -> None:
    found = Searcher(demo_store).search("paspoort kwijt")
    assert found.best.article.id == "nl-paspoort-kwijt"
    assert found.hits[1].score < found.best.score - 0.05


def test_an_unknown_compound_is_searched_by_its_known_end(searcher: Searcher) -> None:
    found = searcher.search("Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond?")
    assert found.decision == "escalate"
    assert any(p.person.department == "Vergunningen" for p in found.people)
    assert all(p.person.name != "Mark Jansen" for p in found.people)  # not the owner of an irrelevant article


def _street_and_plates(store: SqliteStore) -> None:
    store.upsert_articles(
        [Article(f"plate-{n}", f"Plate {n} for a house", "", lang="en") for n in range(40)]
        + [Article(f"street-{n}", f"Street {n}", "", lang="en") for n in range(50)]
        + [Article(f"other-{n}", f"Parking {n}", "", lang="en") for n in range(150)]
        + [Article("target", "A street plate for a house", "", lang="en")])


@pytest.mark.parametrize("ranking_terms, found", [(4, True), (0, False)])
def test_terms_left_out_of_selecting_still_rank(store: SqliteStore, monkeypatch: pytest.MonkeyPatch,
                                                ranking_terms: int, found: bool) -> None:
    """At scale the postings budget lets only the rarest term select ('plate'); 'street' must still count
    in bm25, or the one article about street plates is lost among the short 'Plate n' ones."""
    _street_and_plates(store)
    monkeypatch.setattr("knowledge.query.COMMON_SHARE", 1.0)
    monkeypatch.setattr("knowledge.query.POSTINGS_BUDGET", 45)
    monkeypatch.setattr("knowledge.query.RANKING_TERMS", ranking_terms)
    searcher = Searcher(store)
    q = searcher.queries.build("street plate", "en")
    assert q.match.startswith('("plate") AND') == found
    assert ("target" in dict((c[0], c) for c in searcher.candidates(q))) == found


def test_words_in_no_article_take_no_place_in_selecting(store: SqliteStore) -> None:
    _street_and_plates(store)
    vocabulary = Searcher(store).queries.vocabulary
    vocabulary.refresh()
    assert vocabulary.rarest(["hello", "plate", "street"], budget=45, common=1000) == ["plate"]


def test_people_added_later_are_found_by_the_same_searcher(store: SqliteStore) -> None:
    store.upsert_people([Person("p1", "Ans Smit", "Medewerker", "Burgerzaken", ("paspoort",))])
    searcher = Searcher(store)
    assert [p.person.id for p in searcher.search("wie weet iets van leerplicht").people] == []
    other = SqliteStore(store.path)  # e.g. `vraagbaak import people` while the bot runs
    articles_seen = store.generation
    other.upsert_people([Person("p2", "Bas Kok", "Leerplichtambtenaar", "Onderwijs", ("leerplicht",))])
    assert [p.person.id for p in searcher.search("wie weet iets van leerplicht").people] == ["p2"]
    assert store.generation == articles_seen  # the article vocabulary is not reloaded for a people import


def test_word_rarity_is_counted_among_the_articles_in_the_questions_language(store: SqliteStore) -> None:
    """In a Dutch KB with a few English articles 'what', 'is' and 'the' are rare overall but in every English
    article: an English question must not score on them as if they told something."""
    store.upsert_articles(
        [Article(f"nl-{n}", f"Parkeren in wijk {n}", "Vraag een vergunning aan.", lang="nl") for n in range(30)]
        + [Article("en-waste", "What is the waste calendar?", "Collection days.", lang="en"),
           Article("en-hall", "What are the opening hours of the town hall?", "Monday to Friday.", lang="en"),
           Article("en-permit", "What is the price of a parking permit?", "See the tariffs.", lang="en")])
    searcher = Searcher(store)
    vocabulary = searcher.queries.vocabulary
    vocabulary.refresh()
    assert vocabulary.idf("the") > 2.0 > 0.5 > vocabulary.idf("the", "en")
    assert vocabulary.idf("calendar", "en") > 0.5
    assert searcher.search("what is the menu of the canteen").decision == "escalate"
    assert searcher.search("waste calendar").decision == "answer"


def _template_kb(store: SqliteStore, topics: list[str]) -> Searcher:
    store.upsert_articles([Article(t, f"Show {t}", "", questions=(f"show my {t}", f"list my {t} please",
                                                                   f"what {t} do I have", f"open my {t}"), lang="en")
                           for t in topics])
    return Searcher(store, calibrate=lambda s: calibration.calibrate(s, "lexical").thresholds(Thresholds()))


def test_the_content_word_carries_the_confidence_not_the_template(store: SqliteStore) -> None:
    """'show my alarms' shares everything but its one telling word with 'show my reminders': without an
    article about alarms it must not be answered with the reminders."""
    topics = ["reminders", "playlists", "contacts", "notes", "events", "photos", "messages"]
    searcher = _template_kb(store, topics)
    assert searcher.search("show my reminders").decision == "answer"
    assert searcher.search("show my alarms").decision == "escalate"
    store.upsert_articles([Article("alarms", "Show alarms", "", questions=("show my alarms", "list my alarms please"),
                                   lang="en")])
    found = searcher.search("show my alarms")
    assert found.best.article.id == "alarms" and found.decision == "answer"


def test_the_first_hit_gains_its_lead_over_the_runner_up(store: SqliteStore) -> None:
    a, b = Article("a", "A"), Article("b", "B")
    assert search.lead([Hit(a, 0.6), Hit(b, 0.5)]) == [Hit(a, 0.7), Hit(b, 0.5)]
    assert search.lead([Hit(a, 0.6)]) == [Hit(a, 1.0)]
    assert search.lead([]) == []


@pytest.mark.parametrize("message", ["hallo", "Hoi!", "dank je", "Bedankt!", "thanks", "hello there", "goedemorgen"])
def test_a_greeting_is_no_question(searcher: Searcher, message: str) -> None:
    found = searcher.search(message)
    assert found.decision == search.NO_QUESTION and not found.hits and not found.people


def test_two_words_the_index_knows_as_one_find_the_compound(store: SqliteStore) -> None:
    store.upsert_articles([Article("grof", "Grofvuil laten ophalen", "Maak een afspraak.", lang="nl"),
                           Article("afval", "Afvalkalender", "Wanneer het afval wordt opgehaald.", lang="nl"),
                           Article("bank", "Oude bank weggooien", "Naar de milieustraat.", lang="nl")])
    q = Searcher(store).query("kan grof vuil opgehaald worden")
    assert any("grofvuil" in forms for _, forms, _ in q.groups)
    assert Searcher(store).search("kan grof vuil opgehaald worden").best.article.id == "grof"


def test_an_unknown_compound_splits_into_its_known_parts(searcher: Searcher) -> None:
    found = searcher.search("parkeervergunningaanvraag")  # 'parkeervergunning' + 'aanvraag'
    assert found.best.article.title == "Parkeervergunning voor bewoners"
    [(_, forms, known)] = searcher.query("parkeervergunningaanvraag").groups
    assert known and len(forms) == 2 and "aanvraag" in forms


@pytest.mark.parametrize(("acronym", "title"), [("AOW", "AOW en pensioenvragen"), ("BRP", "BRP")])
def test_an_acronym_alone_finds_its_article(searcher: Searcher, acronym: str, title: str) -> None:
    found = searcher.search(acronym)
    assert title in found.best.article.title and found.decision != "escalate"


def test_each_keyword_is_a_phrasing_of_its_own(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Uittreksel aanvragen", "Bij de balie.", keywords=("brp", "uittreksel gba"))])
    phrasings = store.matching(None, 1)[0][3]
    assert ("brp", "brp") in phrasings and ("gba uittreksel", "gba uittrek") in phrasings


def test_a_store_made_by_an_older_analysis_is_analysed_again_on_opening(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Uittreksel aanvragen", "Bij de balie.", keywords=("brp",))])
    with store.transaction() as db:  # as an older release left it
        db.execute("UPDATE articles SET phrasings = '[]'")
        db.execute("UPDATE meta SET value = 1 WHERE key = 'analysis_version'")
    again = SqliteStore(store.path)
    assert ("brp", "brp") in again.matching(None, 1)[0][3]
    again.close()
