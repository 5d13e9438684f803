"""ConsoleChat: the Chat port on one machine. Channels and threads live in the same SQLite file, so an
agent, an expert and an owner can each run ``vraagbaak chat`` (or switch with ``/as``) and see one loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bot.console.render import posted, render
from handlers.messages import t
from handlers.ports import Outgoing
from handlers.replies import Message, message_from_dict
from knowledge.model import Place
from knowledge.privacy import mask_text

if TYPE_CHECKING:
    from bot.bootstrap import AnyStore


def dm(user: str) -> str:
    return f"@{user}"


class ConsoleChat:
    platform = "console"

    def __init__(self, store: AnyStore, out: Callable[[str], None] = print, lang: str = "nl") -> None:
        self.store = store
        self.out = out
        self.lang = lang  # of the headers it prints (VRAAGBAAK_LANG); the messages carry their own
        self.viewer = ""  # the console user: their DMs print at once, others wait as unread

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        seen = place.channel == dm(self.viewer)  # the viewer's own DM prints at once; others wait as unread
        mid = self.store.post_console_message(place.channel, place.thread, "vraagbaak", message.text,
                                              asdict(message), read=seen)
        if place.channel.startswith("@") and not seen:
            return Place(place.channel, place.thread, mid)
        where = place.channel if place.channel.startswith("@") else f"#{place.channel}"
        thread = f" (thread {place.thread})" if place.thread else ""
        self.out(f"\n[{t('console_posted', self.lang, where=where + thread, id=mid)}]\n{render(message, posted(mid))}")
        return Place(place.channel, place.thread, mid)

    def find_sent(self, place: Place, outgoing: Outgoing) -> Place | None:
        """The console does not tell which outbox item a line was: a line in flight at a stop is posted again."""
        return None

    def update(self, place: Place, message: Message) -> None:
        self.store.edit_console_message(place.message or "", message.text, asdict(message))
        header = t("console_updated", self.lang, where=f"#{place.channel}", id=place.message)
        self.out(f"\n[{header}]\n{render(message, posted(place.message or 'M'))}")

    def link(self, place: Place) -> str:
        return f"console://{place.channel}/{place.message}"

    def tell(self, user_id: str, place: Place, message: Message) -> None:
        """Notes to one person go to their DM in the console (there is nothing ephemeral)."""
        self.send(self.direct(user_id), message)

    def show_home(self, user_id: str, message: Message) -> None:
        self.send(self.direct(user_id), message)

    def direct(self, user_id: str) -> Place:
        return Place(dm(user_id))

    # --- what a person does in the console ------------------------------------------------
    def say(self, channel: str, thread: str | None, author: str, text: str) -> Place:
        """A person's own message (an expert's reply in a thread), stored masked like everything else."""
        return Place(channel, thread, self.store.post_console_message(channel, thread, author, mask_text(text), {}))

    def message(self, message_id: str) -> dict[str, Any] | None:
        return self.store.console_message(message_id)

    def open_posts(self) -> list[tuple[dict[str, Any], Message]]:
        """Root posts in expert channels that still carry buttons (not yet answered)."""
        posts = [(r, message_from_dict(r["payload"])) for r in self.store.console_posts()]
        return [(r, m) for r, m in posts if m.buttons]

    def thread(self, root: str) -> list[dict[str, Any]]:
        return self.store.console_thread(root)

    def unread(self, user: str) -> list[Message]:
        return [message_from_dict(p) for p in self.store.unread_console_messages(dm(user))]
