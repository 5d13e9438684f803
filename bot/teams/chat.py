"""``TeamsChat``: the Chat port over the Bot Framework connector.

Places: ``channel`` is a conversation id without its ``;messageid=`` suffix, ``thread`` the root post of
a channel thread, ``message`` an activity id, ``extra`` the serviceUrl that reaches it. A Place in a team
channel without a thread means "start a new thread" (``POST /v3/conversations``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import requests

from bot.config import Settings
from bot.teams import cards
from bot.teams.connector import Connector
from bot.teams.tokens import BOT_FRAMEWORK_SCOPE, AppToken
from handlers.ports import DeliveryFailed, Outgoing
from handlers.replies import Message
from knowledge.model import Place

TEAM_CHANNEL_SUFFIXES = ("@thread.tacv2", "@thread.skype")
THREAD_MARK = ";messageid="


def split_conversation(conversation_id: str) -> tuple[str, str | None]:
    """``"19:x@thread.tacv2;messageid=42"`` -> ``("19:x@thread.tacv2", "42")``."""
    base, _, root = conversation_id.partition(THREAD_MARK)
    return base, root or None


def is_team_channel(conversation_id: str) -> bool:
    return split_conversation(conversation_id)[0].endswith(TEAM_CHANNEL_SUFFIXES)


class TeamsChat:
    platform = "teams"

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: requests.Session | None = None,
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        budget: float | None = None,
    ) -> None:
        self.settings = settings
        self.http = http_client or requests.Session()
        token = AppToken(settings, BOT_FRAMEWORK_SCOPE, http_client=http_client)
        self.connector = Connector(token, self.http, attempts=attempts, base_delay=base_delay, max_delay=max_delay,
                                   budget=budget)
        self.service_url = settings.teams_service_url
        self.tenant_id = settings.microsoft_app_tenant_id

    def remember(self, activity: dict[str, Any]) -> None:
        """Learn the serviceUrl and tenant from an authenticated activity (for proactive posts)."""
        if not self.settings.teams_service_url and activity.get("serviceUrl"):
            self.service_url = str(activity["serviceUrl"])
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        if not self.tenant_id and tenant:
            self.tenant_id = str(tenant)

    def _service_url(self, place: Place) -> str:
        service_url = place.extra or self.service_url
        if not service_url:
            raise DeliveryFailed("no Teams serviceUrl known yet (set TEAMS_SERVICE_URL or wait for an activity)")
        return service_url

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        service_url = self._service_url(place)
        base, root = split_conversation(place.channel)
        thread = place.thread or root
        activity = cards.activity(message)
        if place.message:  # an answer to a received activity: a reply to it, where Teams shows it
            conversation = f"{base}{THREAD_MARK}{thread}" if thread else base
            posted = self.connector.reply(service_url, conversation, place.message, activity)
            return Place(base, thread, str(posted.get("id", "")), service_url)
        if thread:
            posted = self.connector.send(service_url, f"{base}{THREAD_MARK}{thread}", activity)
            return Place(base, thread, str(posted.get("id", "")), service_url)
        if is_team_channel(base):
            posted = self.connector.create_thread(service_url, base, self.tenant_id, activity)
            root_id = str(posted.get("activityId") or split_conversation(str(posted.get("id", "")))[1] or "")
            return Place(base, None, root_id, service_url)
        posted = self.connector.send(service_url, base, activity)
        return Place(base, None, str(posted.get("id", "")), service_url)

    def find_sent(self, place: Place, outgoing: Outgoing) -> Place | None:
        """The connector cannot list a conversation's messages, so a post in flight at a stop is posted again;
        both posts of an escalation are then its threads (docs/duplicates.md)."""
        return None

    def update(self, place: Place, message: Message) -> None:
        if not place.message:
            raise ValueError(f"update needs a message id: {place}")
        base, root = split_conversation(place.channel)
        thread = place.thread or root or (place.message if is_team_channel(base) else None)
        conversation = f"{base}{THREAD_MARK}{thread}" if thread else base
        self.connector.update(self._service_url(place), conversation, place.message, cards.activity(message))

    def tell(self, user_id: str, place: Place, message: Message) -> None:
        """Teams has no ephemeral messages: the note goes into the conversation (thread) it is about."""
        if not place.channel:
            raise DeliveryFailed(f"no conversation known to tell {user_id}")
        self.send(place, message)

    def show_home(self, user_id: str, message: Message) -> None:
        raise DeliveryFailed("Teams has no home view; the home is sent into the personal chat")

    def direct(self, user_id: str) -> Place:
        raise DeliveryFailed(f"no personal chat with {user_id} is known (the person writes to the bot first)")

    def reply(self, activity: dict[str, Any], payload: dict[str, Any]) -> dict:
        """Answer a received activity in its own conversation (thread included)."""
        conversation = str((activity.get("conversation") or {}).get("id", ""))
        return self.connector.reply(str(activity["serviceUrl"]), conversation, str(activity.get("id", "")), payload)

    def link(self, place: Place) -> str:
        base, root = split_conversation(place.channel)
        if not is_team_channel(base) or not place.message:
            return ""
        query = {"parentMessageId": place.thread or root or place.message}
        if self.tenant_id:
            query["tenantId"] = self.tenant_id
        return f"https://teams.microsoft.com/l/message/{quote(base, safe='')}/{place.message}?{urlencode(query)}"
