"""SlackChat: the handlers' Chat port on the Slack Web API."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import VIEW_BLOCK_LIMIT, fallback_text, render
from handlers.ports import DeliveryFailed, Outgoing
from handlers.replies import Message
from knowledge.model import Place

log = logging.getLogger(__name__)

# chat.postEphemeral's errors that mean Slack cannot show it in that channel at all: the note goes to the DM
NO_EPHEMERAL = frozenset({"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived",
                          "restricted_action", "ekm_access_denied"})
OUTBOX_EVENT = "vraagbaak_outbox"  # the metadata event type of a message sent from the outbox
LOOK_PAGE = 50   # messages per conversations.history / .replies call when looking for one sent before a stop
LOOK_PAGES = 3   # pages at most: a channel busier than that since the item was queued is not read further
SKEW = 120       # seconds looked back before the item was queued (this machine's clock against Slack's)
CHANNEL_ID = re.compile(r"[A-Z0-9]+")  # C…, G…, D…; a channel name (lower case) cannot be read back


def metadata(outgoing: Outgoing) -> dict[str, Any]:
    """The message metadata that says which outbox item a message is."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"outbox_id": outgoing.id, "key": outgoing.key}}


def is_sent(found: dict[str, Any], outgoing: Outgoing) -> bool:
    """Whether a message from conversations.history (with its metadata) is the one sent for ``outgoing``."""
    meta = found.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return meta.get("event_type") == OUTBOX_EVENT and str(payload.get("outbox_id")) == str(outgoing.id) \
        and str(payload.get("key") or "") == outgoing.key


def post(client: WebClient, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
    """chat.postMessage of ``message`` at ``place`` (in its thread when set), with the outbox item it is as
    message metadata; the new message's Place."""
    response = client.chat_postMessage(
        channel=place.channel,
        thread_ts=place.thread or None,
        text=fallback_text(message),
        blocks=render(message),
        unfurl_links=False,
        unfurl_media=False,
        metadata=metadata(outgoing) if outgoing is not None else None,
    )
    return Place(channel=str(response["channel"]), thread=place.thread, message=str(response["ts"]))


class SlackChat:
    """Chat port for Slack. ``send`` and ``update`` raise DeliveryFailed when Slack still refuses
    after the client's retries (429 / 5xx / connection), so the Desk keeps the message in its outbox."""

    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        try:
            return post(self.client, place, message, outgoing)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("chat.postMessage to %s failed: %s", place.channel, error)
            raise DeliveryFailed(str(error)) from error

    def find_sent(self, place: Place, outgoing: Outgoing) -> Place | None:
        """The message posted at ``place`` for ``outgoing`` before a stop, found by its metadata in the channel's
        history since the item was queued (conversations.replies in a thread). None when it is not there, or
        Slack will not say (no history scope, a channel given by name: then it is posted again); a refusal
        that passes (429, 5xx, no connection) raises DeliveryFailed, so the outbox asks again later rather
        than risk a second post."""
        if not CHANNEL_ID.fullmatch(place.channel):
            return None
        cursor = ""
        try:
            for _ in range(LOOK_PAGES):
                page = self._history(place, _oldest(outgoing.queued_at), cursor)
                for found in page.get("messages") or []:
                    if is_sent(found, outgoing):
                        return Place(place.channel, place.thread, str(found["ts"]), place.extra)
                cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
                if not cursor:
                    return None
        except SlackApiError as error:
            status = error.response.status_code
            if status == 429 or status >= 500:
                raise DeliveryFailed(str(error)) from error
            log.warning("cannot look for outbox item %s in %s (%s); it is posted again", outgoing.id,
                        place.channel, error.response.get("error"))
            return None
        except (SlackClientError, OSError) as error:
            raise DeliveryFailed(str(error)) from error
        log.warning("outbox item %s not among the last %s messages of %s; it is posted again", outgoing.id,
                    LOOK_PAGE * LOOK_PAGES, place.channel)
        return None

    def _history(self, place: Place, oldest: str | None, cursor: str) -> Any:
        if place.thread:
            return self.client.conversations_replies(channel=place.channel, ts=place.thread, oldest=oldest,
                                                     limit=LOOK_PAGE, include_all_metadata=True, cursor=cursor or None)
        return self.client.conversations_history(channel=place.channel, oldest=oldest, limit=LOOK_PAGE,
                                                 include_all_metadata=True, cursor=cursor or None)

    def update(self, place: Place, message: Message) -> None:
        if not place.message:
            raise DeliveryFailed(f"no message id to update in {place.channel}")
        try:
            self.client.chat_update(
                channel=place.channel, ts=place.message, text=fallback_text(message), blocks=render(message)
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("chat.update of %s/%s failed: %s", place.channel, place.message, error)
            raise DeliveryFailed(str(error)) from error

    def tell(self, user_id: str, place: Place, message: Message) -> None:
        """Ephemeral to ``user_id`` in a channel (in its thread when set); in a DM, or when Slack will not show
        it there (``NO_EPHEMERAL``: the bot or the person is not in the channel), a message in the person's DM.
        A refusal that passes (429, 5xx) raises DeliveryFailed, so the outbox tries the ephemeral again."""
        try:
            if place.channel and not place.channel.startswith("D"):
                try:
                    self.client.chat_postEphemeral(channel=place.channel, user=user_id, thread_ts=place.thread or None,
                                                   text=fallback_text(message), blocks=render(message))
                    return
                except SlackApiError as error:
                    if error.response.get("error") not in NO_EPHEMERAL:
                        raise
                    log.info("chat.postEphemeral in %s failed (%s); using the DM", place.channel, error)
            dm = place if place.channel.startswith("D") else Place(self.direct(user_id).channel)
            post(self.client, dm, message)
        except (SlackApiError, SlackClientError, OSError) as error:
            raise DeliveryFailed(str(error)) from error

    def show_home(self, user_id: str, message: Message) -> None:
        """views.publish of ``message`` as the person's App Home."""
        try:
            self.client.views_publish(user_id=user_id, view={"type": "home",
                                                             "blocks": render(message, limit=VIEW_BLOCK_LIMIT)})
        except (SlackApiError, SlackClientError, OSError) as error:
            raise DeliveryFailed(str(error)) from error

    def direct(self, user_id: str) -> Place:
        try:
            return Place(str(self.client.conversations_open(users=user_id)["channel"]["id"]))
        except (SlackApiError, SlackClientError, OSError) as error:
            raise DeliveryFailed(str(error)) from error

    def link(self, place: Place) -> str:
        ts = place.message or place.thread
        if not ts:
            return ""
        try:
            response = self.client.chat_getPermalink(channel=place.channel, message_ts=ts)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("chat.getPermalink for %s/%s failed: %s", place.channel, ts, error)
            return ""
        return str(response.get("permalink") or "")


def _oldest(queued_at: str) -> str | None:
    """Slack's ``oldest`` for an item queued at ``queued_at`` (ISO 8601), a little earlier for clock skew."""
    try:
        return f"{datetime.fromisoformat(queued_at).timestamp() - SKEW:.6f}"
    except (ValueError, TypeError):
        return None
