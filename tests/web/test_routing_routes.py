"""Re-routing in the web console: the routing page lists the open expert questions with a control to move each, a
move is queued for the chat's serving process (which posts it), a refusal shows on the page, and an owner undoes a
learned route there."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from handlers.desk import Desk
from knowledge.model import Place
from knowledge.sqlite.store import SqliteStore
from tests.fakes import FakeChat
from tests.web.conftest import AGENT, csrf_of

BENCH = "buurt wil een bankje in het park"


def test_an_owner_moves_a_question_and_undoes_what_was_learned(
        app: Flask, signed_in: FlaskClient, desk: Desk, chat: FakeChat, demo_store: SqliteStore) -> None:
    desk.ask(AGENT, BENCH, Place("D1"))  # the chat's process: posted in kcc-parkeren
    esc = demo_store.open_escalations()[0][0]
    assert esc.channel == "kcc-parkeren"
    page = signed_in.get("/routing").get_data(as_text=True)
    assert BENCH in page and f'action="/routing/escalations/{esc.id}/reroute"' in page
    assert '<option value="kcc-openbare-ruimte">' in page and '<option value="kcc-parkeren">' not in page
    token = csrf_of(page)

    refused = signed_in.post(f"/routing/escalations/{esc.id}/reroute",
                             data={"csrf_token": token, "channel": "kcc-nergens", "seen": "0"})
    assert refused.status_code == 422 and "ken ik niet als expertkanaal" in refused.get_data(as_text=True)

    moved = signed_in.post(f"/routing/escalations/{esc.id}/reroute",
                           data={"csrf_token": token, "channel": "kcc-openbare-ruimte", "seen": "0"},
                           follow_redirects=True)
    assert moved.status_code == 200 and "Doorgestuurd naar kcc-openbare-ruimte" in moved.get_data(as_text=True)
    assert demo_store.escalation(esc.id).channel == "kcc-openbare-ruimte"
    waiting = [i["channel"] for i in demo_store.pending_outbox()]
    assert "kcc-openbare-ruimte" in waiting and "D1" in waiting  # queued: the web console has no chat
    assert desk.send_due() >= 3  # the chat's process sends them: the new thread, the note, the agent's word
    assert any(p.channel == "kcc-openbare-ruimte" and BENCH in m.text for p, m in chat.sent)

    stale = signed_in.post(f"/routing/escalations/{esc.id}/reroute",
                           data={"csrf_token": token, "channel": "kcc-afval", "seen": "0"}, follow_redirects=True)
    assert "Iemand anders" in stale.get_data(as_text=True) and demo_store.escalation(esc.id).moves == 1

    page = signed_in.get("/routing").get_data(as_text=True)
    lesson = demo_store.learned_routes()[0]
    assert f'id="learned-{lesson.id}"' in page and "buurt bankje park" in page
    undone = signed_in.post(f"/routing/learned/{lesson.id}/undo", data={"csrf_token": token}, follow_redirects=True)
    assert "is ongedaan gemaakt" in undone.get_data(as_text=True)
    assert demo_store.learned_routes() == []
    assert 'id="learned-empty"' in signed_in.get("/routing").get_data(as_text=True)
