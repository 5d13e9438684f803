"""Outbound: msal client credentials (cached) and the connector calls TeamsChat makes, with retries."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.teams import TeamsChat
from bot.teams.chat import split_conversation
from handlers.ports import DeliveryFailed
from handlers.replies import Message
from knowledge.model import Place
from tests.teams.fakes import APP_ID, TENANT, FakeMicrosoft
from tests.teams.harness import EXPERTS_CHANNEL, PERSONAL, http_session, make_settings


def chat_for(ms: FakeMicrosoft, tmp_path: Path, **options: float) -> TeamsChat:
    options = {"base_delay": 0.01, "max_delay": 0.05, **options}
    return TeamsChat(make_settings(ms, tmp_path), http_client=http_session(ms), **options)  # type: ignore[arg-type]


def test_two_sends_make_one_token_request(ms: FakeMicrosoft, tmp_path: Path) -> None:
    chat = chat_for(ms, tmp_path)
    place = Place(PERSONAL, extra=ms.service_url)
    first = chat.send(place, Message("een"))
    second = chat.send(place, Message("twee"))
    assert first.message and second.message and first.message != second.message
    assert len(ms.token_requests) == 1
    form = ms.token_requests[0]
    assert form["grant_type"] == ["client_credentials"]
    assert form["client_id"] == [APP_ID]
    assert form["scope"] == ["https://api.botframework.com/.default"]
    assert form["client_secret"] == ["s3cret"]
    calls = ms.connector_calls()
    assert [c["auth"] for c in calls] == ["Bearer token-1", "Bearer token-1"]
    discovery = [c for c in ms.calls if c["path"].endswith("openid-configuration")]
    assert discovery and discovery[0]["path"] == f"/{TENANT}/v2.0/.well-known/openid-configuration"


def test_new_thread_in_channel_then_update_and_reply(ms: FakeMicrosoft, tmp_path: Path) -> None:
    chat = chat_for(ms, tmp_path)
    root = chat.send(Place(EXPERTS_CHANNEL, extra=ms.service_url), Message("vraag", ()))
    create = ms.connector_calls()[-1]
    assert (create["method"], create["path"]) == ("POST", "/teams/v3/conversations")
    assert create["json"]["isGroup"] is True
    assert create["json"]["channelData"] == {"channel": {"id": EXPERTS_CHANNEL}, "tenant": {"id": TENANT}}
    assert create["json"]["activity"]["text"] == "vraag"
    assert root == Place(EXPERTS_CHANNEL, None, root.message, ms.service_url) and root.message

    chat.update(root, Message("beantwoord"))
    put = ms.connector_calls()[-1]
    assert put["method"] == "PUT"
    quoted = "19%3Akcc-experts%40thread.tacv2%3Bmessageid%3D" + root.message
    assert put["raw_path"] == f"/teams/v3/conversations/{quoted}/activities/{root.message}"
    assert put["json"]["id"] == root.message

    in_thread = chat.send(Place(EXPERTS_CHANNEL, thread=root.message, extra=ms.service_url), Message("ok"))
    post = ms.connector_calls()[-1]
    assert post["raw_path"] == f"/teams/v3/conversations/{quoted}/activities"
    assert in_thread.thread == root.message and in_thread.message
    assert chat.link(in_thread).startswith("https://teams.microsoft.com/l/message/19%3Akcc-experts%40thread.tacv2/")
    assert chat.link(Place(PERSONAL, message="1")) == ""


@pytest.mark.parametrize("statuses", [[429], [412, 502], [504, 429, 502]])
def test_connector_retries_throttling_and_gateway_errors(
    ms: FakeMicrosoft,
    tmp_path: Path,
    statuses: list[int],
) -> None:
    chat = chat_for(ms, tmp_path)
    ms.fail_next = list(statuses)
    posted = chat.send(Place(PERSONAL, extra=ms.service_url), Message("hallo"))
    assert posted.message
    assert len(ms.connector_calls()) == len(statuses) + 1


def test_connector_gives_up_with_delivery_failed(ms: FakeMicrosoft, tmp_path: Path) -> None:
    chat = chat_for(ms, tmp_path, attempts=3)
    ms.fail_next = [502] * 10
    with pytest.raises(DeliveryFailed):
        chat.send(Place(PERSONAL, extra=ms.service_url), Message("hallo"))
    assert len(ms.connector_calls()) == 3
    ms.fail_next = [403]
    with pytest.raises(DeliveryFailed):  # not retried: a retry would not change the answer
        chat.send(Place(PERSONAL, extra=ms.service_url), Message("hallo"))
    assert len(ms.connector_calls()) == 4


def test_retries_stop_within_the_budget_so_the_outbox_claim_is_never_outlived(ms: FakeMicrosoft,
                                                                              tmp_path: Path) -> None:
    # the first wait and a 15 s timeout fit the budget, no more
    chat = chat_for(ms, tmp_path, base_delay=1.0, max_delay=30.0, budget=17.5)
    ms.fail_next = [502] * 10
    started = time.monotonic()
    with pytest.raises(DeliveryFailed):
        chat.send(Place(PERSONAL, extra=ms.service_url), Message("hallo"))
    assert len(ms.connector_calls()) == 2 and time.monotonic() - started < 5


def test_no_service_url_known_is_a_delivery_failure(ms: FakeMicrosoft, tmp_path: Path) -> None:
    chat = chat_for(ms, tmp_path)
    with pytest.raises(DeliveryFailed):
        chat.send(Place(EXPERTS_CHANNEL), Message("vraag"))
    chat.remember({"serviceUrl": ms.service_url, "channelData": {"tenant": {"id": TENANT}}})
    assert chat.send(Place(EXPERTS_CHANNEL), Message("vraag")).extra == ms.service_url


def test_wrong_secret_is_a_delivery_failure(ms: FakeMicrosoft, tmp_path: Path) -> None:
    settings = make_settings(ms, tmp_path, microsoft_app_tenant_id="no-such-tenant")
    chat = TeamsChat(settings, http_client=http_session(ms), base_delay=0.01)
    with pytest.raises(DeliveryFailed):
        chat.send(Place(PERSONAL, extra=ms.service_url), Message("hallo"))
    assert ms.connector_calls() == []


def test_split_conversation() -> None:
    assert split_conversation("19:a@thread.tacv2;messageid=42") == ("19:a@thread.tacv2", "42")
    assert split_conversation("a:1xyz") == ("a:1xyz", None)
