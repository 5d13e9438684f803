"""manifest.yml and the Bolt app agree: every event, command and shortcut has a listener and back."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.slack.app import routes_of
from tests.slack.conftest import Running
from tests.slack.driver import command, dm, home_opened, mention, reaction, shortcut, thread_reply

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
# the scopes each manifest entry needs (https://api.slack.com/events, /scopes); the manifest asks no more
NEEDS = {
    "event:app_mention": {"app_mentions:read"},
    "event:message.im": {"im:history"},
    "event:message.channels": {"channels:history"},
    "event:message.groups": {"groups:history"},
    "event:reaction_added": {"reactions:read"},
    "event:app_home_opened": set(),
    "command:/vraag": {"commands"},
    "shortcut:vraag_bericht": {"commands"},
    "shortcut:markeer_antwoord": {"commands"},
}
# the scopes of each Web API method (https://api.slack.com/methods); the code's calls are read from bot/slack,
# so a call added without its scope here fails, and a scope nothing calls for is not asked
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"}, "chat_postEphemeral": {"chat:write"}, "chat_update": {"chat:write"},
    "chat_getPermalink": set(), "conversations_open": {"im:write"}, "users_info": {"users:read"},
    "users_list": {"users:read", "users:read.email"},  # the directory import reads the e-mail addresses
    "users_profile_get": {"users.profile:read"}, "team_profile_get": {"users.profile:read"},
    "views_open": set(), "views_publish": set(),
    # a message in flight at a stop is looked for before it is posted again: in channels, private ones and DMs
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_replies": {"channels:history", "groups:history", "im:history"},
}
SLACK_CODE = Path(__file__).resolve().parents[2] / "bot" / "slack"


def web_api_calls() -> set[str]:
    pattern = re.compile(r"\.((?:chat|conversations|users|team|views|reactions|im|channels|groups)_\w+)\(")
    return {m for path in SLACK_CODE.rglob("*.py") for m in pattern.findall(path.read_text(encoding="utf-8"))}


def test_every_web_api_call_has_known_scopes() -> None:
    assert web_api_calls() - set(METHOD_SCOPES) == set()


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def entries(data: dict[str, Any]) -> set[str]:
    events = {f"event:{e}" for e in data["settings"]["event_subscriptions"]["bot_events"]}
    commands = {f"command:{c['command']}" for c in data["features"]["slash_commands"]}
    shortcuts = {f"shortcut:{s['callback_id']}" for s in data["features"]["shortcuts"]}
    return events | commands | shortcuts


def test_every_manifest_entry_has_a_listener_and_back(running: Running) -> None:
    routes = routes_of(running.app)
    assert entries(manifest()) == routes.manifest
    # nothing registered around the Routes table (those listeners would escape this check)
    assert len(running.app._listeners) == routes.count


def test_scopes_are_what_the_listeners_need_and_no_more() -> None:
    data = manifest()
    needed = set().union(*(NEEDS[e] for e in entries(data)), *(METHOD_SCOPES[m] for m in web_api_calls()))
    assert set(data["oauth_config"]["scopes"]["bot"]) == needed


def test_manifest_app_settings() -> None:
    data = manifest()
    assert data["features"]["app_home"] == {
        "home_tab_enabled": True, "messages_tab_enabled": True, "messages_tab_read_only_enabled": False,
    }
    assert data["features"]["bot_user"]["display_name"]
    assert all(s["type"] == "message" for s in data["features"]["shortcuts"])
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True


def requests_for_each_entry() -> dict[str, tuple[str, Any]]:
    message = {"ts": "1700000001.000100", "text": "x"}
    group = thread_reply("x", channel="G0PRIVATE", thread="1.0")
    group["event"]["channel_type"] = "group"
    return {
        "event:app_mention": ("event", mention("x")),
        "event:message.im": ("event", dm("x")),
        "event:message.channels": ("event", thread_reply("x", channel="C0EXPERTS", thread="1.0")),
        "event:message.groups": ("event", group),
        "event:reaction_added": ("event", reaction("C0EXPERTS", "1.0")),
        "event:app_home_opened": ("event", home_opened("U0AGENT")),
        "command:/vraag": ("command", command("x")),
        "shortcut:vraag_bericht": ("interaction", shortcut("shortcut_vraag_bericht", user="U0AGENT",
                                                           channel="C0KCC", message=message)),
        "shortcut:markeer_antwoord": ("interaction", shortcut("shortcut_markeer_antwoord", user="U0AGENT",
                                                              channel="C0KCC", message=message)),
    }


@pytest.mark.parametrize("entry", sorted(entries(manifest())))
def test_each_manifest_entry_is_handled(running: Running, entry: str, caplog: pytest.LogCaptureFixture) -> None:
    known = requests_for_each_entry()
    assert entry in known, f"add a request for the new manifest entry {entry} to this test"
    kind, data = known[entry]
    with caplog.at_level(logging.WARNING):
        response = getattr(running.slack, kind)(data)
    assert response.status == 200
    assert not [r for r in caplog.records if "Unhandled request" in r.getMessage()]
