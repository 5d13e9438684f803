"""SlackChat: the handlers' Chat port on the Slack Web API."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import VIEW_BLOCK_LIMIT, fallback_text, render
from handlers.ports import DeliveryFailed
from handlers.replies import Message
from knowledge.model import Place

log = logging.getLogger(__name__)

# chat.postEphemeral's errors that mean Slack cannot show it in that channel at all: the note goes to the DM
NO_EPHEMERAL = frozenset({"channel_not_found", "not_in_channel", "user_not_in_channel", "is_archived",
                          "restricted_action", "ekm_access_denied"})


def post(client: WebClient, place: Place, message: Message) -> Place:
    """chat.postMessage of ``message`` at ``place`` (in its thread when set); the new message's Place."""
    response = client.chat_postMessage(
        channel=place.channel,
        thread_ts=place.thread or None,
        text=fallback_text(message),
        blocks=render(message),
        unfurl_links=False,
        unfurl_media=False,
    )
    return Place(channel=str(response["channel"]), thread=place.thread, message=str(response["ts"]))


class SlackChat:
    """Chat port for Slack. ``send`` and ``update`` raise DeliveryFailed when Slack still refuses
    after the client's retries (429 / 5xx / connection), so the Desk keeps the message in its outbox."""

    platform = "slack"

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, place: Place, message: Message) -> Place:
        try:
            return post(self.client, place, message)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("chat.postMessage to %s failed: %s", place.channel, error)
            raise DeliveryFailed(str(error)) from error

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
