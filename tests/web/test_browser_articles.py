"""The Articles and People pages end to end in a real browser (Chromium from the OS packages via Playwright)
against a real ``vraagbaak serve web`` (the fixtures of tests/web/test_browser.py): search and filter, open an
article, preview and save an edit, two tabs saving the same version (the second refused, its text kept),
archive and restore, and a person's expertise edited. Screenshots as in test_browser.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge.sqlite.store import SqliteStore
from tests.web.test_browser import ARGS, CHROMIUM, console, shots, vraagbaak  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason=f"{CHROMIUM} is missing (apt-get install chromium)")]
ARTICLE = "nl-grofvuil-ophalen"


def test_articles_and_people_in_a_real_browser(console: tuple[str, dict[str, str], list[int]],  # noqa: F811
                                               shots: Path) -> None:  # noqa: F811
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing under CI")
    from playwright.sync_api import expect, sync_playwright

    base, env, _ = console
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(f"{base}/articles")  # not signed in: to the sign-in page
        assert page.url.startswith(f"{base}/login?next=")
        page.goto(vraagbaak(env, "web-login", "Kim").strip())
        page.click("#sign-in")

        page.goto(f"{base}/articles")
        page.fill("#q", "grofvuil")
        page.select_option("#lang", "nl")
        page.click("form.filters button[type=submit]")
        expect(page.locator(f"#article-list a[href='/articles/{ARTICLE}']")).to_be_visible()
        page.screenshot(path=str(shots / "10-articles.png"), full_page=True)

        page.click(f"#article-list a[href='/articles/{ARTICLE}']")
        version = int(page.locator("#article-version").inner_text())
        page.fill("#body", "## Grofvuil\n\nMaak **online** een afspraak. <script>alert(1)</script>")
        page.click("button[value=preview]")
        expect(page.locator("#preview strong")).to_have_text("online")
        expect(page.locator("#preview")).to_contain_text("<script>alert(1)</script>")  # shown as text
        page.screenshot(path=str(shots / "11-article-preview.png"), full_page=True)
        page.click("button[value=save]")
        expect(page.locator(".notice.ok")).to_be_visible()
        expect(page.locator("#article-version")).to_have_text(str(version + 1))
        expect(page.locator("#article-body h2")).to_have_text("Grofvuil")

        other = context.new_page()  # a second tab opens the same version; the first saves again first
        other.goto(f"{base}/articles/{ARTICLE}")
        page.fill("#title", "Grofvuil ophalen op afspraak")
        page.click("button[value=save]")
        expect(page.locator(".notice.ok")).to_be_visible()
        other.fill("#body", "Tekst uit het tweede tabblad.")
        other.click("button[value=save]")
        expect(other.locator("#article-error")).to_contain_text("gewijzigd sinds je het opende")
        expect(other.locator("#body")).to_have_value("Tekst uit het tweede tabblad.")
        expect(other.locator("#your-changes .diff span").first).to_be_visible()
        other.screenshot(path=str(shots / "12-article-changed-since.png"), full_page=True)

        page.click("button[name=archive]")
        expect(page.locator("h1 .flag.archived")).to_be_visible()
        page.click("button[name=restore]")
        expect(page.locator("h1 .flag.validated")).to_be_visible()
        expect(page.locator("#history tbody tr")).to_have_count(4)
        page.screenshot(path=str(shots / "13-article-history.png"), full_page=True)

        page.goto(f"{base}/people?q=woz")
        expect(page.locator("#people-list a[href='/people/p-09']")).to_be_visible()
        page.click("#people-list a[href='/people/p-09']")
        page.fill("#expertise-field", "woz, taxatie, hondenbelasting")
        page.click("#expertise-field ~ .actions button")
        expect(page.locator("#expertise .tag")).to_have_count(3)
        page.screenshot(path=str(shots / "14-person.png"), full_page=True)
        browser.close()

    store = SqliteStore(env["VRAAGBAAK_DB"])
    article = store.article(ARTICLE)
    assert article is not None and article.title == "Grofvuil ophalen op afspraak" and article.version == version + 4
    assert "Tekst uit het tweede tabblad." not in article.body
    actions = [(e["actor"], e["action"], e["subject"]) for e in store.audit_log()[-5:]]
    assert actions == [("Kim", "article_saved", ARTICLE), ("Kim", "article_saved", ARTICLE),
                       ("Kim", "article_archived", ARTICLE), ("Kim", "article_restored", ARTICLE),
                       ("Kim", "expertise_set", "p-09")]
    store.close()
