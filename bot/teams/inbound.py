"""Received activities -> neutral events -> the Dispatcher. Synchronous: the web layer runs it in a thread.

- message in personal chat -> ``Asked`` (the words of the manifest's ``commandLists`` -> ``OpenedHome``);
- @mention in a channel post -> ``Asked`` in the thread of that post;
- message in a channel thread (``conversation.id`` ``19:…;messageid=<root>``) -> ``ThreadReplied``, a
  question in that thread when the bot was mentioned and it is no escalation (a bare @mention is ignored);
- @mention in a group chat -> ``Asked`` in that chat;
- ``Action.Submit`` (a message with ``value.action``) -> ``Clicked``; edit and merge without their fields
  open a form (an owner's only), shown at once; so does "Doorsturen" (re-route) on an escalation card, for anyone;
- invoke ``composeExtension/submitAction`` ``markeerAntwoord`` -> ``Marked``, handled at once and answered in
  the invoke response;
- ``conversationUpdate`` adding the bot to a personal chat -> ``OpenedHome``.

User ids are Entra object ids (``from.aadObjectId``) when present, else ``from.id``.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any

from bot.teams import cards
from bot.teams.chat import TeamsChat, is_team_channel, split_conversation
from handlers.dispatch import Dispatcher
from handlers.errors import UserError
from handlers.events import Asked, Clicked, Event, Marked, OpenedHome, ThreadReplied
from handlers.ports import DeliveryFailed
from handlers.replies import Action, Message
from knowledge.model import Place, User

log = logging.getLogger(__name__)

MARK_COMMAND = "markeerAntwoord"
HOME_COMMANDS = frozenset({"home", "overzicht"})  # the bot's commandLists in app/manifest.json
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")

Payload = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    invoke: Payload | None = None  # body of the HTTP response to an invoke activity


def user_of(activity: Payload) -> User:
    sender = activity.get("from") or {}
    return User(id=str(sender.get("aadObjectId") or sender.get("id") or ""), name=str(sender.get("name") or ""))


def clean_text(activity: Payload) -> tuple[str, bool]:
    """The text without the bot's own @mention, as plain text; and whether the bot was mentioned."""
    text = str(activity.get("text") or "")
    bot_id = (activity.get("recipient") or {}).get("id")
    mentioned = False
    for entity in activity.get("entities") or []:
        if entity.get("type") == "mention" and (entity.get("mentioned") or {}).get("id") == bot_id:
            mentioned = True
            text = text.replace(str(entity.get("text") or "\0"), " ")
    text = html.unescape(_TAG.sub(" ", text))
    return " ".join(text.split()), mentioned


class Inbound:
    """Parses activities into neutral events for the Dispatcher; forms (edit, merge) are shown at once."""

    def __init__(self, dispatcher: Dispatcher, chat: TeamsChat, *, lang: str = "nl") -> None:
        self.dispatcher = dispatcher
        self.desk = dispatcher.desk
        self.chat = chat
        self.lang = lang

    def handle(self, activity: Payload) -> Outcome:
        """Store and handle one activity (tests and simple callers; the web layer splits the two steps)."""
        if activity.get("type") == "invoke":
            return self.invoke(activity)
        event_id = self.store(activity)
        if event_id is not None:
            self.dispatcher.handle_claimed(event_id)
        return Outcome()

    def store(self, activity: Payload) -> int | None:
        """The activity as an event in the inbox (None: nothing to do, or a resend of a stored one)."""
        if (activity.get("from") or {}).get("id") == (activity.get("recipient") or {}).get("id"):
            return None
        kind = activity.get("type")
        try:
            event = self._message(activity) if kind == "message" else \
                self._welcome(activity) if kind == "conversationUpdate" else None
        except UserError as error:  # a form only an owner may open
            self._show(activity, cards.activity(Message(str(error))))
            return None
        if event is None or isinstance(event, dict):
            if isinstance(event, dict):
                self._show(activity, event)
            return None
        return self.dispatcher.submit(event, claim=True)  # the caller handles it at once (handle_claimed)

    def _show(self, activity: Payload, payload: Payload) -> None:
        """A form (read-only: it changes nothing) straight into the conversation."""
        try:
            self.chat.reply(activity, payload)
        except DeliveryFailed as error:
            log.warning("could not show a form in answer to activity %s: %s", activity.get("id"), error)

    def _message(self, activity: Payload) -> Event | Payload | None:
        user, key = user_of(activity), delivery_key(activity)
        text, mentioned = clean_text(activity)
        conversation = activity.get("conversation") or {}
        base, root = split_conversation(str(conversation.get("id", "")))
        service_url = str(activity.get("serviceUrl", ""))
        kind = conversation.get("conversationType") or (
            "channel" if is_team_channel(base) else "groupChat" if conversation.get("isGroup") else "personal"
        )
        thread = (root or str(activity.get("id"))) if kind == "channel" else None
        value = activity.get("value")
        here = str(activity.get("id") or "") or None  # the reply answers this activity
        if isinstance(value, dict) and value.get("action") in Action.ALL:
            return self._button(value, user, Place(base, thread, here, service_url), key)
        if kind == "personal":
            if text.lower() in HOME_COMMANDS:
                return OpenedHome(user, Place(base, None, here, service_url), key=key)
            return Asked(user, text, Place(base, None, here, service_url), key=key)
        if kind == "channel" and root and root != activity.get("id"):
            if not text:
                return None  # a bare @mention of the bot in a thread
            return ThreadReplied(user, text, Place(base, root, str(activity.get("id")), service_url),
                                 or_ask=mentioned, key=key)
        if not mentioned:
            return None  # channel traffic seen through the RSC permission, not addressed to the bot
        return Asked(user, text, Place(base, thread, here, service_url), key=key)

    def _button(self, value: Payload, user: User, where: Place, key: str) -> Event | Payload:
        action, ident = str(value["action"]), str(value.get("value", "")).strip()
        fields = {name: str(value[field]) for name, field in
                  (("title", cards.TITLE_INPUT), ("body", cards.BODY_INPUT), ("into", cards.INTO_INPUT),
                   ("channel", cards.CHANNEL_INPUT), ("seen", "seen")) if field in value}
        if action == Action.REROUTE and "channel" not in fields:  # the button on the post: the form, for anyone
            seen, choices = self.desk.channel_choices(int(ident or 0))
            return cards.reroute_form(int(ident or 0), seen, choices, user.lang or self.lang)
        if action in (Action.EDIT, Action.MERGE) and not fields:
            self.desk.require_owner(user)  # the form shows an article: owners only
            lang = user.lang or self.lang
            if action == Action.EDIT:
                _item, article = self.desk.review_item(int(ident or 0))
                return cards.edit_form(int(ident or 0), article, lang)
            return cards.merge_form(int(ident or 0), list(self.desk.merge_candidates(int(ident or 0))), lang)
        return Clicked(user, action, ident, where, fields, key=key)

    def _welcome(self, activity: Payload) -> Event | None:
        bot_id = (activity.get("recipient") or {}).get("id")
        added = [m.get("id") for m in activity.get("membersAdded") or []]
        conversation = activity.get("conversation") or {}
        if conversation.get("conversationType", "personal") != "personal" or bot_id not in added:
            return None
        where = Place(str(conversation.get("id", "")), extra=str(activity.get("serviceUrl", "")))
        return OpenedHome(user_of(activity), where, key=delivery_key(activity))

    def invoke(self, activity: Payload) -> Outcome:
        """The message action "Markeer als antwoord": handled at once, answered in the invoke response (the
        relays it causes are sent by the outbox thread, so a slow connector does not hold the response)."""
        value = activity.get("value") or {}
        if activity.get("name") != "composeExtension/submitAction" or value.get("commandId") != MARK_COMMAND:
            return Outcome(invoke={})
        payload = value.get("messagePayload") or {}
        base, root = split_conversation(str((activity.get("conversation") or {}).get("id", "")))
        message_id = str(payload.get("id") or "")
        thread = str(payload.get("replyToId") or root or "") or None
        place = Place(base, None if thread == message_id else thread, message_id, str(activity.get("serviceUrl", "")))
        data = value.get("data")  # the manifest's parameters: the optional "opmerking", relayed with the answer
        note = str(data.get("opmerking") or "") if isinstance(data, dict) else ""
        reply = self.dispatcher.handle_now(Marked(user_of(activity), place, key=delivery_key(activity), note=note))
        if reply is None:
            return Outcome(invoke={})
        return Outcome(invoke={"task": {"type": "message", "value": reply.text}})


def delivery_key(activity: Payload) -> str:
    """Teams resends an activity with the same id in the same conversation."""
    if not activity.get("id"):
        return ""
    return f"{(activity.get('conversation') or {}).get('id', '')}:{activity['id']}"
