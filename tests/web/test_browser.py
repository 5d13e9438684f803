"""The console end to end in a real browser: Chromium from the OS packages, driven by Playwright, against a
real ``vraagbaak serve web`` process on a database filled by ``vraagbaak demo --no-chat``.

Skipped when /usr/bin/chromium is missing, except under CI (then it fails: .ci/run installs it).
Screenshots go to $VRAAGBAAK_SCREENSHOTS when set, else the test's tmp_path."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import bootstrap
from bot.config import Settings
from bot.console.chat import ConsoleChat, dm
from knowledge.model import Place, User
from knowledge.sqlite.store import SqliteStore

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUESTIONS = [
    ("Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?",
     "Nee, particulieren krijgen geen vergunning; afsteken mag alleen op oudejaarsavond van 18:00 tot 02:00."),
    ("Mag een vereniging een springkussen neerzetten op het schoolplein tijdens de zomerfeesten?",
     "Ja, met een melding evenement minstens drie weken vooraf; boven 250 bezoekers een vergunning."),
]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason=f"{CHROMIUM} is missing (apt-get install chromium)")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vraagbaak(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def seed_activity(settings: Settings) -> list[int]:
    """Activity made as the chat makes it: questions answered directly (one found helpful, one not, which
    escalates it), and answers waiting for review (a question no article answers goes to the expert channel,
    an expert replies in the thread and marks the reply; the experts took half an hour)."""
    store = bootstrap.open_store(settings)
    desk = bootstrap.build_desk(settings, ConsoleChat(store, out=lambda _: None), store=store)
    anna, expert = User("anna", "Anna"), User("piet", "Piet de Vries")
    for question, helpful in (("hoe vraag ik een nieuw paspoort aan?", True), ("rijbewijs verlengen", False)):
        desk.ask(anna, question, Place(dm("anna")))
        desk.feedback(int(store.rows("SELECT max(id) AS id FROM questions")[0]["id"]), helpful, anna)
    for n, (question, answer) in enumerate(QUESTIONS):
        desk.ask(User("anna", "Anna"), question, Place(dm("anna")))
        esc = next(e for e, text in store.open_escalations() if text == question)
        assert esc.place and esc.place.message
        reply = Place(esc.place.channel, esc.place.message, f"browser-reply-{n}")
        assert desk.thread_reply(reply, expert, answer)
        desk.mark_answer(reply, expert)
    with store.transaction() as db:
        for row in db.execute("SELECT id, created_at FROM escalations").fetchall():
            earlier = datetime.fromisoformat(row[1]) - timedelta(minutes=30)
            db.execute("UPDATE escalations SET created_at = ? WHERE id = ?", [earlier.isoformat(), row[0]])
    ids = [r.id for r in store.pending_reviews()]
    store.close()
    return ids  # the demo's own pending answers (if any) first, then these


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], list[int]]]:
    port = free_port()
    env = {**os.environ, "VRAAGBAAK_DB": str(tmp_path / "web.db"), "VRAAGBAAK_SEMANTIC": "off",
           "VRAAGBAAK_OWNERS": "Kim", "VRAAGBAAK_WEB_URL": f"http://127.0.0.1:{port}", "VRAAGBAAK_DIGEST": "off",
           "VRAAGBAAK_LANG": "nl", "VRAAGBAAK_ENV_FILE": str(tmp_path / "none.env")}
    vraagbaak(env, "demo", "--no-chat", "--no-history")  # its own activity, below
    pending = seed_activity(Settings(db_path=env["VRAAGBAAK_DB"], semantic="off", digest="off"))
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
        yield f"http://127.0.0.1:{port}", env, pending
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("VRAAGBAAK_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_sign_in_review_and_pages_in_a_real_browser(console: tuple[str, dict[str, str], list[int]],
                                                    shots: Path) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing under CI")
    from playwright.sync_api import expect, sync_playwright

    base, env, pending = console
    approve_id, edit_id = pending[-2:]  # the two answers seeded here
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})

        page.goto(f"{base}/reviews")  # not signed in: the sign-in page, which says how to get a link
        assert page.url.startswith(f"{base}/login?next=")
        expect(page.locator("pre.command")).to_contain_text("vraagbaak web-login")
        page.screenshot(path=str(shots / "01-sign-in.png"), full_page=True)

        link = vraagbaak(env, "web-login", "Kim").strip()
        page.goto(link)
        page.click("#sign-in")
        expect(page.locator("#count-reviews")).to_have_text(str(len(pending)))
        page.screenshot(path=str(shots / "02-home.png"), full_page=True)

        page.goto(f"{base}/reviews")
        first = page.locator(f"#review-{approve_id}")
        expect(first.locator(".question")).to_contain_text(QUESTIONS[0][0])
        expect(first.locator(".thread")).to_contain_text(QUESTIONS[0][1])
        expect(first.locator(".verdict").first).to_be_visible()
        page.screenshot(path=str(shots / "03-review-queue.png"), full_page=True)
        first.locator("button[name=approve]").click()
        expect(page.locator(".notice.ok")).to_be_visible()
        expect(page.locator("article.review")).to_have_count(len(pending) - 1)
        expect(page.locator(f"#review-{approve_id}")).to_have_count(0)

        second = page.locator(f"#review-{edit_id}")
        second.locator("details.action-edit summary").click()
        second.locator("input[name=title]").fill("Springkussen op een evenement")
        second.locator("textarea[name=body]").fill("Een melding evenement volstaat tot 250 bezoekers.")
        second.locator("input[name=keywords]").fill("springkussen, evenement")
        page.screenshot(path=str(shots / "04-review-edit.png"), full_page=True)
        second.locator("button[name=save]").click()
        expect(page.locator(".notice.ok")).to_contain_text("Springkussen op een evenement")
        expect(page.locator(f"#review-{edit_id}")).to_have_count(0)
        page.screenshot(path=str(shots / "05-review-done.png"), full_page=True)

        page.goto(f"{base}/gaps")
        expect(page.locator("#chart-gaps svg")).to_have_count(1)
        assert page.locator("#chart-gaps svg .bar").count() >= 1
        page.screenshot(path=str(shots / "06-gaps.png"), full_page=True)
        page.locator("article.gap a.write").first.click()
        expect(page.locator("#new-article textarea[name=body]")).not_to_have_value("")
        page.locator("#new-article input[name=title]").fill("Vuurwerk en springkussens")
        page.screenshot(path=str(shots / "07-gap-write.png"), full_page=True)
        page.locator("#new-article button[name=save]").click()
        expect(page.locator(".notice.ok")).to_contain_text("Vuurwerk en springkussens")

        page.goto(f"{base}/analytics")
        sections = page.locator("section.chart").all()
        assert len(sections) == 6
        for section in sections:
            expect(section.locator("svg")).to_have_count(1)
            assert section.locator("svg .bar, svg .point").count() >= 1, section.get_attribute("id")
            expect(section.locator("a.csv")).to_have_count(1)
        page.screenshot(path=str(shots / "08-analytics.png"), full_page=True)

        page.locator("button[value=en]").click()  # the language switch
        expect(page.locator("h1")).to_have_text("Analytics")
        stranger = browser.new_page()
        stranger.goto(f"{base}/analytics")
        assert stranger.url.startswith(f"{base}/login?next=")

        phone = browser.new_page()  # a second browser of Kim's (its own cookies)
        phone.goto(vraagbaak(env, "web-login", "Kim").strip())
        phone.click("#sign-in")
        expect(phone.locator("#count-reviews")).to_be_visible()
        expect(page.locator("#sign-out-everywhere")).to_have_text("Sign out everywhere")
        page.screenshot(path=str(shots / "09-sign-out-everywhere.png"))
        page.locator("#sign-out-everywhere").click()  # ends the phone's session too
        expect(page.locator(".notice.ok")).to_contain_text("2 session(s) ended")
        page.screenshot(path=str(shots / "10-signed-out-everywhere.png"), full_page=True)
        phone.goto(f"{base}/reviews")
        assert phone.url.startswith(f"{base}/login?next=")
        browser.close()

    store = SqliteStore(env["VRAAGBAAK_DB"])
    decided = store.rows(f"SELECT status, decided_by, note FROM reviews WHERE id IN ({approve_id}, {edit_id})"
                         " ORDER BY id")
    assert decided == [{"status": "approved", "decided_by": "Kim", "note": ""},
                       {"status": "approved", "decided_by": "Kim", "note": "edited"}]
    edited = [a for a in store.articles() if a.title == "Springkussen op een evenement"]
    assert edited and edited[0].keywords == ("springkussen", "evenement") and edited[0].status == "validated"
    store.close()
