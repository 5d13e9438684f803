"""Articles as owners keep them: versioned saves (the second of two is refused and nothing is lost), archive
and restore, validation, personal data, the list with search and filters, history, and expertise."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from handlers.articles import ArticleEdit, ChangedSince, PersonalData, split_list
from handlers.desk import Desk
from handlers.errors import UserError
from knowledge.articles import ArticleFilter, article_history, article_owners, find_articles
from knowledge.model import Article, User
from knowledge.sqlite import schema
from knowledge.sqlite.store import SqliteStore

ANNA = User("owner1", "Anna")
BRAM = User("owner2", "Bram")
ARTICLE = "en-bulky-waste"


@pytest.fixture
def owners(desk: Desk) -> Desk:
    desk.owners = frozenset({ANNA.id, BRAM.id})
    return desk


def typed(article: Article, **changes: object) -> ArticleEdit:
    """The form as an owner sends it back: the article's fields with ``changes``."""
    edit = ArticleEdit(article.title, article.body, article.keywords, article.questions, article.owner,
                       article.review_date, article.status, article.lang)
    return replace(edit, **changes)  # type: ignore[arg-type]


def indexed(store: SqliteStore, article_id: str) -> bool:
    return bool(store.rows("SELECT 1 FROM article_index WHERE article_id = ?", [article_id]))


def test_two_owners_edit_one_article_the_second_is_refused_and_nothing_is_lost(owners: Desk) -> None:
    store = owners.store
    opened = store.article(ARTICLE)
    assert opened is not None
    # both open version N; Anna saves first
    saved = owners.save_article(ARTICLE, ANNA, opened.version, typed(opened, body="Anna's text.\n\nBook online."))
    assert saved.version == opened.version + 1
    with pytest.raises(ChangedSince) as refused:
        owners.save_article(ARTICLE, BRAM, opened.version, typed(opened, title="Bram's title", body="Bram's text."))
    # the first save stays; the second owner's text comes back for the form, with the article as it is now
    now = store.article(ARTICLE)
    assert now is not None and now.body == "Anna's text.\n\nBook online." and now.title == opened.title
    assert now.version == saved.version
    assert refused.value.typed.body == "Bram's text." and refused.value.typed.title == "Bram's title"
    assert refused.value.current.body == "Anna's text.\n\nBook online."
    # Bram saves again from the new version: accepted, and the history shows both, newest first
    owners.save_article(ARTICLE, BRAM, now.version, typed(now, body="Bram's text, on top of Anna's."))
    history = article_history(store, ARTICLE)
    assert [(e.actor, e.action) for e in history[:2]] == [(BRAM.id, "article_saved"), (ANNA.id, "article_saved")]
    assert history[0].detail["version"] == opened.version + 2 and history[0].detail["changed"] == ["body"]


def test_the_refusal_says_so_in_the_owners_language(owners: Desk) -> None:
    opened = owners.store.article(ARTICLE)
    assert opened is not None
    owners.save_article(ARTICLE, ANNA, opened.version, typed(opened, body="first"))
    with pytest.raises(ChangedSince, match="changed since you opened it"):
        owners.save_article(ARTICLE, User(BRAM.id, "Bram", "en"), opened.version, typed(opened, body="second"))
    with pytest.raises(ChangedSince, match="gewijzigd sinds je het opende"):
        owners.save_article(ARTICLE, User(BRAM.id, "Bram", "nl"), opened.version, typed(opened, body="third"))


def test_two_processes_saving_the_same_version_cannot_both_win(tmp_path: Path) -> None:
    """The check is the database's (UPDATE ... WHERE version = ?), not Python's: two stores on one file,
    each in its own thread, saving from the same version at the same moment; exactly one is written."""
    path = str(tmp_path / "kb.db")
    first, second = SqliteStore(path), SqliteStore(path)
    first.upsert_articles([Article("a1", "Title", "Body")])
    base = first.article("a1")
    assert base is not None
    results: list[Article | None] = []
    start = threading.Barrier(2)

    def save(store: SqliteStore, body: str) -> None:
        start.wait()
        results.append(store.save_article(replace(base, body=body), base.version))

    threads = [threading.Thread(target=save, args=(s, b)) for s, b in ((first, "one"), (second, "two"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if r is not None]
    assert len(results) == 2 and len(won) == 1
    stored = second.article("a1")
    assert stored is not None and stored.body == won[0].body and stored.version == base.version + 1
    first.close()
    second.close()


def test_every_change_moves_the_version_on_and_an_unchanged_import_does_not(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Title", "Body", keywords=("k",))])
    assert store.article("a1").version == 1  # type: ignore[union-attr]
    store.upsert_articles([Article("a1", "Title", "Body", keywords=("k",))])
    assert store.article("a1").version == 1  # type: ignore[union-attr]
    store.upsert_articles([Article("a1", "Title", "Body", keywords=("k", "m"))])
    store.upsert_articles([Article("a1", "Title", "Body", keywords=("k", "m"), status="archived")])
    assert store.article("a1").version == 3  # type: ignore[union-attr]


def test_a_review_approval_moves_the_version_on_so_an_open_form_is_refused(owners: Desk) -> None:
    store = owners.store
    store.upsert_articles([Article("vb-1", "Afval", "Zet het bij de weg.", status="provisional")])
    item = store.add_review("vb-1", None)
    opened = store.article("vb-1")
    assert opened is not None
    owners.approve(item.id, ANNA)
    with pytest.raises(ChangedSince):
        owners.save_article("vb-1", BRAM, opened.version, typed(opened, body="Something else."))


def test_the_migration_gives_existing_articles_version_one(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(";".join(schema.MIGRATIONS[:9]) + ";PRAGMA user_version = 9;")
    conn.execute("INSERT INTO articles (id, title, body, created_at, updated_at) VALUES ('x', 'T', 'B', '', '')")
    conn.commit()
    conn.close()
    store = SqliteStore(str(path))
    assert store.article("x").version == 1  # type: ignore[union-attr]
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    store.close()


@pytest.mark.parametrize(("changes", "says"), [
    ({"body": "   "}, "text is empty"),
    ({"title": ""}, "a title"),
    ({"review_date": "2027-02-30"}, "a date like 2027-06-01, not '2027-02-30'"),
    ({"review_date": "next week"}, "not 'next week'"),
    ({"status": "published"}, "Status 'published' is not one of"),
    ({"lang": "de"}, "Language 'de'"),
])
def test_what_is_not_valid_is_refused_with_a_clear_message(owners: Desk, changes: dict[str, str],
                                                           says: str) -> None:
    opened = owners.store.article(ARTICLE)
    assert opened is not None
    with pytest.raises(UserError, match=says):
        owners.save_article(ARTICLE, User(ANNA.id, "Anna", "en"), opened.version, typed(opened, **changes))
    assert owners.store.article(ARTICLE) == opened


def test_only_owners_save(owners: Desk) -> None:
    opened = owners.store.article(ARTICLE)
    assert opened is not None
    with pytest.raises(UserError):
        owners.save_article(ARTICLE, User("agent7"), opened.version, typed(opened, body="x"))
    with pytest.raises(UserError):
        owners.archive_article(ARTICLE, User("agent7"), opened.version)
    with pytest.raises(UserError):
        owners.set_expertise("p-09", User("agent7"), ["woz"])
    assert owners.store.article(ARTICLE) == opened


def test_new_personal_data_is_refused_unless_confirmed_public_and_a_bsn_never(owners: Desk) -> None:
    store = owners.store
    opened = store.article(ARTICLE)
    assert opened is not None
    lang_en = User(ANNA.id, "Anna", "en")
    with pytest.raises(PersonalData, match="phone number") as refused:
        owners.save_article(ARTICLE, lang_en, opened.version, typed(opened, body=opened.body + "\nCall 030 286 0000."))
    assert refused.value.confirmable and store.article(ARTICLE) == opened
    saved = owners.save_article(ARTICLE, lang_en, opened.version,
                                typed(opened, body=opened.body + "\nCall 030 286 0000."), confirm_public=True)
    assert "030 286 0000" in saved.body
    assert article_history(store, ARTICLE)[0].detail["public_details"] == ["phone"]
    # the number is there now: a later edit of another part is not refused for it
    again = owners.save_article(ARTICLE, lang_en, saved.version, typed(saved, title="Bulky waste pick-up"))
    assert again.title == "Bulky waste pick-up"
    with pytest.raises(PersonalData, match="BSN") as bsn:
        owners.save_article(ARTICLE, lang_en, again.version, typed(again, body=again.body + " BSN 111222333"),
                            confirm_public=True)
    assert not bsn.value.confirmable and "111222333" not in store.article(ARTICLE).body  # type: ignore[union-attr]


def test_archive_takes_an_article_out_of_search_and_restore_brings_it_back(owners: Desk) -> None:
    store = owners.store
    opened = store.article(ARTICLE)
    assert opened is not None and indexed(store, ARTICLE)
    archived = owners.archive_article(ARTICLE, ANNA, opened.version)
    assert archived.status == "archived" and not indexed(store, ARTICLE)
    with pytest.raises(UserError):
        owners.archive_article(ARTICLE, ANNA, archived.version)
    with pytest.raises(ChangedSince):
        owners.restore_article(ARTICLE, BRAM, opened.version)  # from the version before the archive
    restored = owners.restore_article(ARTICLE, BRAM, archived.version)
    assert restored.status == "validated" and indexed(store, ARTICLE)
    assert [(e.actor, e.action) for e in article_history(store, ARTICLE)[:2]] == [
        (BRAM.id, "article_restored"), (ANNA.id, "article_archived")]


def test_a_rejected_answer_is_restored_as_provisional_not_into_search(owners: Desk) -> None:
    store = owners.store
    store.upsert_articles([Article("vb-2", "Afval", "Zet het bij de weg.", status="provisional")])
    item = store.add_review("vb-2", None)
    owners.reject(item.id, ANNA, "wrong")
    archived = store.article("vb-2")
    assert archived is not None and archived.status == "archived"
    assert owners.restore_article("vb-2", ANNA, archived.version).status == "provisional"


def test_the_list_searches_filters_and_pages(demo_store: SqliteStore) -> None:
    everything = find_articles(demo_store, ArticleFilter(per_page=500))
    assert everything.total == len(demo_store.articles()) > 30
    waste = find_articles(demo_store, ArticleFilter(text="bulky WASTE"))
    assert ARTICLE in {a.id for a in waste.articles}
    assert all("bulky" in (a.title + a.body + " ".join(a.questions + a.keywords)).lower() for a in waste.articles)
    assert find_articles(demo_store, ArticleFilter(text="100%_")).total == 0  # LIKE wildcards are literal
    english = find_articles(demo_store, ArticleFilter(lang="en", per_page=500))
    assert english.total and {a.lang for a in english.articles} == {"en"}
    owner = article_owners(demo_store)[0]
    assert {a.owner for a in find_articles(demo_store, ArticleFilter(owner=owner)).articles} == {owner}
    pages = [find_articles(demo_store, ArticleFilter(page=n, per_page=10)) for n in (1, 2)]
    assert pages[0].pages == -(-everything.total // 10)
    assert not {a.id for a in pages[0].articles} & {a.id for a in pages[1].articles}
    assert len(pages[0].articles) == 10
    due = find_articles(demo_store, ArticleFilter(due=True), today=date(2027, 3, 1))
    assert due.total and all(a.status == "validated" and a.review_date < "2027-03-01" for a in due.articles)
    assert [a.review_date for a in due.articles] == sorted(a.review_date for a in due.articles)


def test_expertise_is_set_audited_and_found_by_people_search(owners: Desk) -> None:
    person = owners.set_expertise("p-09", ANNA, split_list("woz, kwijtschelding; hondenbelasting\nwoz"))
    assert person.expertise == ("woz", "kwijtschelding", "hondenbelasting")
    assert owners.store.people(["p-09"])[0].expertise == person.expertise
    entry = owners.store.audit_log()[-1]  # type: ignore[attr-defined]
    assert (entry["actor"], entry["action"], entry["subject"]) == (ANNA.id, "expertise_set", "p-09")
    found = owners.searcher.search("wie weet van hondenbelasting", people=True)
    assert "p-09" in {h.person.id for h in found.people}
    with pytest.raises(UserError):
        owners.set_expertise("p-nobody", ANNA, ["x"])
    with pytest.raises(UserError):
        owners.set_expertise("p-09", ANNA, ["bel 06-12345678"])


def test_a_form_opened_before_someone_was_forgotten_cannot_save_their_name_back(owners: Desk) -> None:
    from knowledge.forget import forget

    store = owners.store
    opened = store.article(ARTICLE)
    assert opened is not None and opened.owner == "Yvonne Kok"
    forget(store, "Yvonne Kok")  # type: ignore[arg-type]
    assert store.article(ARTICLE).owner == ""  # type: ignore[union-attr]
    with pytest.raises(ChangedSince):
        owners.save_article(ARTICLE, ANNA, opened.version, typed(opened, body="Edited before the forget."))
    assert store.article(ARTICLE).owner == ""  # type: ignore[union-attr]
