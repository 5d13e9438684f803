"""The web console on a real SQLite file with the demo data, and helpers to sign in and make review items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.config import Settings
from bot.web import create_app
from handlers.desk import Desk
from knowledge import weblogin
from knowledge.model import Place, User
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS, db_of
from tests.fakes import FakeChat

OWNERS = "Kim,j.verbeek@voorbeeldgemeente.nl"
AGENT = User("agent1", "Anna")
EXPERT = User("expert1", "Piet")


COOKIE = "vraagbaak_session"


@dataclass
class Clock:
    """The console's clock in a test: starts at the real time (so links issued now are valid), moved by hand."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings_holder(demo_store: SqliteStore) -> dict[str, Settings]:
    return {"settings": Settings(db_path=db_of(demo_store), web_owners=OWNERS, **LOOP_SETTINGS)}


@pytest.fixture
def app(demo_store: SqliteStore, settings_holder: dict[str, Settings], clock: Clock) -> Flask:
    return create_app(settings_holder["settings"], store=demo_store,
                      settings_source=lambda: settings_holder["settings"], clock=clock)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def csrf(client: FlaskClient, path: str = "/login") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))


def sign_in(app: Flask, client: FlaskClient, owner_id: str = "Kim", next_path: str = "/") -> Any:
    store = app.extensions["vraagbaak"].store
    token = weblogin.issue(store, owner_id)
    page = client.get(f"/login?token={token}").get_data(as_text=True)
    return client.post("/login", data={"token": token, "csrf_token": csrf_of(page), "next": next_path})


def copy_of(client: FlaskClient, into: FlaskClient) -> FlaskClient:
    """``into`` with ``client``'s session cookie (a second browser holding a copied cookie), returned."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie to copy"
    into.set_cookie(COOKIE, cookie.value, domain=cookie.domain, path=cookie.path)
    return into


@pytest.fixture
def signed_in(app: Flask, client: FlaskClient) -> FlaskClient:
    assert sign_in(app, client).status_code == 302
    return client


def pending_review(desk: Desk, chat: FakeChat, question: str, answer: str) -> int:
    """Ask ``question`` (nothing in the KB answers it), let an expert answer in the thread and mark it: the
    answer waits for review. Returns the review id."""
    before = {r.id for r in desk.store.pending_reviews()}
    desk.ask(AGENT, question, Place("D1"))
    posted = max(i for i, (p, _) in enumerate(chat.sent) if p.channel == "kcc-experts" and p.thread is None)
    reply = Place("kcc-experts", f"m{posted + 1}", f"r{len(chat.sent)}")  # FakeChat's id of that post
    assert desk.thread_reply(reply, EXPERT, answer)
    desk.mark_answer(reply, EXPERT)
    (new,) = [r.id for r in desk.store.pending_reviews() if r.id not in before]
    return new
