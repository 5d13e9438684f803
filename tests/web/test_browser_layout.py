"""Every page of the console holds any text (issue 23): in a real browser (Chromium from the OS packages via
Playwright) against a real ``vraagbaak serve web`` on the demo with its history, plus long content: a
3,000-character pasted question (escalated, answered with a long URL and waiting for review), a question of one
200-character word, an article with long titles, a long URL and long keywords. Each page is opened at 1280 and
390 px wide, screenshotted (to $VRAAGBAAK_SCREENSHOTS or the test's tmp_path) and measured: the test fails when
a page is wider than its window (document.scrollWidth > window.innerWidth). The widths go to widths.json beside
the screenshots (docs/web-pages.md has the figures before and after)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import bootstrap
from bot.config import Settings
from bot.console.chat import ConsoleChat, dm
from knowledge.model import Article, Place, User
from tests.web.test_browser import ARGS, CHROMIUM, free_port, shots, vraagbaak  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason=f"{CHROMIUM} is missing (apt-get install chromium)")]

WORD = "Gemeentebelastingkwijtscheldingsaanvraagformulier" * 4  # 200 letters, no break
URL = ("https://www.voorbeeldgemeente.nl/inwoners/belastingen-en-heffingen/kwijtschelding/aanvragen/formulier"
       "?referentie=ABCDEF0123456789ABCDEF0123456789&terug=https%3A%2F%2Fwww.voorbeeldgemeente.nl%2Fmijn-zaken")
SENTENCE = ("Klant belt over de aanslag gemeentelijke belastingen van dit jaar en zegt dat het bedrag niet klopt, "
            "omdat de afvalstoffenheffing voor een meerpersoonshuishouden is berekend terwijl ze alleen woont. ")
PASTED = (f"Geplakt uit de mail van de klant: {URL} " + SENTENCE * 40)[:3000]
TITLE = ("Kwijtschelding van gemeentelijke belastingen aanvragen bij een laag inkomen, met het formulier, de "
         "bewijsstukken en de termijnen " + WORD)
LONG_ID = "nl-lange-inhoud"
WIDTHS = (1280, 390)
MAX_ANSWER_HEIGHT = 320  # px of the review page per answer at 1280 (before the compact list: about 1,100)


def seed_long_content(settings: Settings) -> None:
    """Long content made the way the bot makes it: the pasted question and the long word asked by an agent
    (nothing answers them: they escalate), an expert's reply with a long URL marked as the answer; an article
    with long titles, keywords, a long URL and a long word, answering one question."""
    store = bootstrap.open_store(settings)
    desk = bootstrap.build_desk(settings, ConsoleChat(store, out=lambda _: None), store=store)
    agent, expert = User("anna", "Anna"), User("piet", "Piet de Vries")
    for n, question in enumerate((PASTED, WORD)):
        before = {e.id for e, _ in store.open_escalations()}
        desk.ask(agent, question, Place(dm("anna")))
        (esc,) = [e for e, _ in store.open_escalations() if e.id not in before]  # nothing answers it
        assert esc.place and esc.place.message
        reply = Place(esc.place.channel, esc.place.message, f"layout-reply-{n}")
        assert desk.thread_reply(reply, expert, f"Zie {URL} en het formulier {WORD}. " + SENTENCE * 3)
        desk.mark_answer(reply, expert)
    store.upsert_articles([Article(
        LONG_ID, TITLE, f"Kwijtschelding vraagt de inwoner aan via {URL}.\n\nHet woord {WORD} komt voor.",
        keywords=(WORD.lower()[:60], "kwijtschelding lange inhoud"), questions=(TITLE, PASTED[:400]), url=URL,
        owner="Mevrouw Aleksandra Wiśniewska-van der Heijden-Oppenheimer", review_date="2027-03-01")])
    desk.ask(agent, "kwijtschelding lange inhoud", Place(dm("anna")))
    store.close()


@pytest.fixture
def long_console(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    env = {**os.environ, "VRAAGBAAK_DB": str(tmp_path / "web.db"), "VRAAGBAAK_SEMANTIC": "off",
           "VRAAGBAAK_OWNERS": "Kim", "VRAAGBAAK_WEB_URL": f"http://127.0.0.1:{port}", "VRAAGBAAK_DIGEST": "off",
           "VRAAGBAAK_LANG": "nl", "VRAAGBAAK_ENV_FILE": str(tmp_path / "none.env")}
    vraagbaak(env, "demo", "--no-chat")  # with its six weeks of history: gaps, charts, answers to review
    seed_long_content(Settings(db_path=env["VRAAGBAAK_DB"], semantic="off", digest="off"))
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "web", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout and server.stdout.read()
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_every_page_holds_long_text_at_desktop_and_phone_widths(long_console: tuple[str, dict[str, str]],
                                                                shots: Path) -> None:  # noqa: F811
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing under CI")
    from playwright.sync_api import sync_playwright

    base, env = long_console
    pages = {"home": "/", "reviews": "/reviews", "articles": "/articles", "article": f"/articles/{LONG_ID}",
             "gaps": "/gaps", "analytics": "/analytics", "people": "/people", "routing": "/routing"}
    widths: dict[str, dict[int, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(f"{base}/login")
        widths["login"] = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{base}/login")
            widths["login"][width] = page.evaluate("document.documentElement.scrollWidth")
        page.goto(vraagbaak(env, "web-login", "Kim").strip())
        page.click("#sign-in")
        page.goto(f"{base}/people")
        person = page.locator("#people-list a[href^='/people/']").first.get_attribute("href")
        page.goto(f"{base}/gaps")
        write = page.locator("article.gap a.write").first.get_attribute("href")
        pages.update({"person": str(person), "gap-write": str(write)})
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for name, path in pages.items():
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
                widths.setdefault(name, {})[width] = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{base}/gaps")
        assert page.get_by_text(WORD[:60]).count() >= 1  # the long content is on the pages measured
        page.goto(f"{base}/reviews")
        answers = page.locator("article.review").count()
        assert answers >= 2
        height = page.evaluate("document.documentElement.scrollHeight")
        widths["reviews per answer (height)"] = {1280: height // answers}
        changed = page.locator("article.review:has(.verdict-line .verdict.contradicts)").first
        if changed.count():  # the demo's wedding answer changes the article's price: open its details
            changed.locator("details.case-details > summary").click()
            changed.screenshot(path=str(shots / "review-details-1280.png"))
        browser.close()
    (shots / "widths.json").write_text(json.dumps(widths, indent=1), encoding="utf-8")
    assert widths["reviews per answer (height)"][1280] <= MAX_ANSWER_HEIGHT  # 20 answers in a few screens
    wider = {f"{name} at {width}": w for name, by in widths.items() if not name.startswith("reviews per")
             for width, w in by.items() if w > width}
    assert not wider, f"pages wider than their window (scrollWidth): {wider}; screenshots in {shots}"
