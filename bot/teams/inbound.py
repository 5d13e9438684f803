"""Received activities -> Desk calls -> replies. Synchronous: the web layer runs it in a worker thread.

- message in personal chat -> ``desk.ask`` (the words of the manifest's ``commandLists`` -> ``desk.home``);
- @mention in a channel post -> ``desk.ask`` with Place(channel, thread=that post);
- message in a channel thread (``conversation.id`` ``19:…;messageid=<root>``) -> ``desk.thread_reply``
  (a bare @mention of the bot there is ignored);
- @mention in a group chat -> ``desk.ask`` in that chat;
- ``Action.Submit`` (a message with ``value.action``) -> the matching Desk method;
- invoke ``composeExtension/submitAction`` ``markeerAntwoord`` -> ``desk.mark_answer``, answered in the
  invoke response;
- ``conversationUpdate`` adding the bot to a personal chat -> ``desk.home``.

User ids are Entra object ids (``from.aadObjectId``) when present, else ``from.id``.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.teams import cards
from bot.teams.chat import TeamsChat, is_team_channel, split_conversation
from handlers.errors import UserError
from handlers.messages import apology
from handlers.ports import DeliveryFailed
from handlers.replies import Action, Message
from knowledge.model import Place, User

if TYPE_CHECKING:
    from handlers.desk import Desk

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
    def __init__(self, desk: Desk, chat: TeamsChat, *, lang: str = "nl") -> None:
        self.desk = desk
        self.chat = chat
        self.lang = lang

    def handle(self, activity: Payload) -> Outcome:
        kind = activity.get("type")
        if (activity.get("from") or {}).get("id") == (activity.get("recipient") or {}).get("id"):
            return Outcome()
        if kind == "invoke":
            return self._invoke(activity)
        if kind not in ("message", "conversationUpdate") or not self._first(activity):
            return Outcome()
        reply = self._guarded(lambda: self._message(activity) if kind == "message" else self._welcome(activity))
        if reply is not None:
            try:
                if kind == "message":
                    self.chat.reply(activity, reply)
                else:
                    conversation = str((activity.get("conversation") or {}).get("id", ""))
                    self.chat.connector.send(str(activity["serviceUrl"]), conversation, reply)
            except DeliveryFailed as error:
                log.error("could not deliver the reply to activity %s: %s", activity.get("id"), error)
        return Outcome()

    def _first(self, activity: Payload) -> bool:
        if not activity.get("id"):
            return True
        conversation = (activity.get("conversation") or {}).get("id", "")
        return bool(self.desk.first_delivery(f"teams:{conversation}:{activity['id']}"))

    def _guarded(self, work: Callable[[], Message | Payload | None]) -> Payload | None:
        try:
            result = work()
        except UserError as error:
            return cards.activity(Message(str(error)))
        except Exception:
            log.exception("handling a Teams activity failed")
            return cards.activity(Message(apology(self.lang)))
        return cards.activity(result) if isinstance(result, Message) else result

    def _message(self, activity: Payload) -> Message | Payload | None:
        user = user_of(activity)
        value = activity.get("value")
        if isinstance(value, dict) and value.get("action") in Action.ALL:
            return self._button(value, user)
        text, mentioned = clean_text(activity)
        conversation = activity.get("conversation") or {}
        base, root = split_conversation(str(conversation.get("id", "")))
        service_url = str(activity.get("serviceUrl", ""))
        kind = conversation.get("conversationType") or (
            "channel" if is_team_channel(base) else "groupChat" if conversation.get("isGroup") else "personal"
        )
        if kind == "personal":
            if text.lower() in HOME_COMMANDS:
                return self.desk.home(user)
            return self.desk.ask(user, text, Place(base, extra=service_url))
        if kind == "channel" and root and root != activity.get("id"):
            if not text:
                return None  # a bare @mention of the bot in a thread
            place = Place(base, root, str(activity.get("id")), service_url)
            stored = self.desk.thread_reply(place, user, text)
            if stored is False and mentioned:  # not an escalation thread: a question asked in a thread
                return self.desk.ask(user, text, Place(base, root, extra=service_url))
            return None
        if not mentioned:
            return None  # channel traffic seen through the RSC permission, not addressed to the bot
        thread = (root or str(activity.get("id"))) if kind == "channel" else None
        return self.desk.ask(user, text, Place(base, thread, extra=service_url))

    def _button(self, value: Payload, user: User) -> Message | Payload:
        action, ident = value["action"], int(str(value.get("value", "")).strip() or 0)
        desk = self.desk
        if action in (Action.HELPFUL, Action.NOT_HELPFUL):
            return desk.feedback(ident, action == Action.HELPFUL, user)
        if action == Action.ESCALATE:
            return desk.escalate(ident, user)
        if action == Action.MARK_ANSWER:
            return desk.mark_latest(ident, user)
        if action == Action.APPROVE:
            return desk.approve(ident, user)
        if action == Action.REJECT:
            return desk.reject(ident, user)
        desk.require_owner(user)
        lang = user.lang or self.lang
        if action == Action.EDIT:
            if cards.TITLE_INPUT in value:
                return desk.edit(ident, user, str(value[cards.TITLE_INPUT]), str(value.get(cards.BODY_INPUT, "")))
            _item, article = desk.review_item(ident)
            return cards.edit_form(ident, article, lang)
        if cards.INTO_INPUT in value:
            return desk.merge(ident, str(value[cards.INTO_INPUT]), user)
        return cards.merge_form(ident, list(desk.merge_candidates(ident)), lang)

    def _welcome(self, activity: Payload) -> Message | None:
        bot_id = (activity.get("recipient") or {}).get("id")
        added = [m.get("id") for m in activity.get("membersAdded") or []]
        personal = (activity.get("conversation") or {}).get("conversationType", "personal") == "personal"
        return self.desk.home(user_of(activity)) if personal and bot_id in added else None

    def _invoke(self, activity: Payload) -> Outcome:
        value = activity.get("value") or {}
        if activity.get("name") != "composeExtension/submitAction" or value.get("commandId") != MARK_COMMAND:
            return Outcome(invoke={})
        if not self._first(activity):
            return Outcome(invoke={})
        payload = value.get("messagePayload") or {}
        base, root = split_conversation(str((activity.get("conversation") or {}).get("id", "")))
        message_id = str(payload.get("id") or "")
        thread = str(payload.get("replyToId") or root or "") or None
        place = Place(base, None if thread == message_id else thread, message_id, str(activity.get("serviceUrl", "")))
        try:
            text = self.desk.mark_answer(place, user_of(activity)).text
        except UserError as error:
            text = str(error)
        except Exception:
            log.exception("marking an answer from Teams failed")
            text = apology(self.lang)
        return Outcome(invoke={"task": {"type": "message", "value": text}})
