"""The console adapter: lines typed (or piped) in, Desk calls out. Anything not a command is a question."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.console.chat import ConsoleChat, dm
from bot.console.render import render
from handlers.desk import Desk
from handlers.dispatch import Dispatcher
from handlers.errors import UserError
from handlers.events import Asked, Clicked, Event, Marked, ThreadReplied
from handlers.messages import apology, t
from handlers.replies import Action, Message
from knowledge.model import Place, User

log = logging.getLogger(__name__)

ALIASES = {
    "/as": "/als", "/helpful": "/nuttig", "/nothelpful": "/nietnuttig", "/escalate": "/expert",
    "/reply": "/antwoord", "/mark": "/markeer", "/mark-latest": "/markeer-laatste", "/review": "/beoordelen",
    "/approve": "/goedkeuren", "/reject": "/afwijzen", "/edit": "/bewerk", "/merge": "/samenvoegen",
    "/candidates": "/kandidaten", "/home": "/overzicht", "/quit": "/stop", "/hulp": "/help", "/waiting": "/wacht",
    "/read": "/lees", "/confirm": "/bevestig", "/reroute": "/doorsturen", "/learned": "/geleerd",
    "/unlearn": "/vergeet-route",
}


def readable(stream: TextIO) -> TextIO:
    """``stream`` (standard input) with bytes its encoding cannot decode read as U+FFFD: one line of invalid
    UTF-8 is a question like any other instead of a UnicodeDecodeError that ends the session."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream


class ConsoleSession:
    def __init__(self, desk: Desk, chat: ConsoleChat, name: str, role: str = "agent",
                 out: Callable[[str], None] = print, may_own: Callable[[str], None] | None = None) -> None:
        """``may_own(name)`` raises UserError when ``name`` may not act as an owner (the owner lists); without
        it, anyone may (``--role owner`` for a demo)."""
        self.desk, self.chat, self.out = desk, chat, out
        self.dispatcher = Dispatcher(desk)
        self.pending_edit: tuple[int, dict[str, str]] | None = None  # /bewerk shown, /bevestig saves it
        self.base_owners = desk.owners
        self.may_own = may_own
        self.switch(name, role)

    def switch(self, name: str, role: str = "agent") -> None:
        if role == "owner" and self.may_own is not None:
            self.may_own(name)  # refused before anything changes: whoever was here stays
        self.user = User(id=name, name=name)
        self.role = role
        self.chat.viewer = name
        self.desk.owners = self.base_owners | ({name} if role == "owner" else set())

    @property
    def lang(self) -> str:
        """The language the console speaks: the person's, else the desk's default (VRAAGBAAK_LANG)."""
        return self.user.lang or self.desk.default_lang

    def say(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def run(self, lines: Iterable[str]) -> None:
        self.out(self.say("console_intro", who=self.who(self.user.name, self.role)))
        self.timers()  # what came due while nobody had the console open shows now
        for message in self.chat.unread(self.user.id):
            self.out(f"\n[{dm(self.user.id)}]\n{render(message)}")
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line in ("/stop", "/quit"):
                break
            self.out(f"\n{self.user.name}> {line}")
            self.handle(line)
            self.timers()
            for message in self.chat.unread(self.user.id):
                self.out(f"\n[{dm(self.user.id)}]\n{render(message)}")

    def timers(self) -> None:
        """The console has no scheduler running: the timers that are due fire when someone uses it."""
        try:
            self.desk.run_timers()
            self.desk.send_digests()
            self.desk.send_due()
        except Exception:  # a timer must never stop the console
            log.exception("timers in the console")

    def handle(self, line: str) -> None:
        try:
            reply = self.dispatch(line)
        except UserError as error:
            reply = Message(text=str(error))
        except (ValueError, IndexError):
            reply = Message(text=self.say("console_unknown_command"))
        except Exception:  # the console keeps running, like every adapter
            log.exception("console command failed: %s", line)
            reply = Message(text=apology(self.lang))
        if reply is not None:
            self.out(render(reply))

    def dispatch(self, line: str) -> Message | None:
        """A line as an event for the Dispatcher (what changes something), or a look (what only reads)."""
        here = Place(dm(self.user.id))
        if not line.startswith("/"):
            return self.event(Asked(self.user, line, here))
        word, _, rest = line.partition(" ")
        command, rest = ALIASES.get(word, word), rest.strip()
        first, _, tail = rest.partition(" ")

        def click(action: str, what: str, usage: str, **fields: str) -> Callable[[], Message | None]:
            return lambda: self.event(Clicked(self.user, action, str(self._number(first, what, usage)), here,
                                              fields))

        simple: dict[str, Callable[[], Message | None]] = {
            "/help": lambda: Message(text=self.say("console_help")),
            "/als": lambda: self._switch(first, tail.strip() or "agent"),
            "/nuttig": click(Action.HELPFUL, "answer", "/nuttig Q"),
            "/nietnuttig": click(Action.NOT_HELPFUL, "answer", "/nietnuttig Q"),
            "/expert": click(Action.ESCALATE, "question", "/expert Q"),
            "/inbox": self._inbox,
            "/thread": lambda: self._thread(first),
            "/antwoord": lambda: self._reply(first, tail),
            "/markeer": lambda: self._mark(first),
            "/markeer-laatste": click(Action.MARK_ANSWER, "escalation", "/markeer-laatste E"),
            "/wacht": click(Action.URGENT, "question", "/wacht Q"),
            "/lees": lambda: self.event(Clicked(self.user, Action.READ, first, here)),
            "/beoordelen": lambda: self.desk.review_queue(self.user),
            "/goedkeuren": click(Action.APPROVE, "review", "/goedkeuren R"),
            "/afwijzen": click(Action.REJECT, "review", "/afwijzen R [reden]", note=tail),
            "/bewerk": lambda: self._edit(first, tail),
            "/bevestig": self._confirm,
            "/samenvoegen": lambda: self._merge(first, tail.strip()),
            "/kandidaten": lambda: Message(text="\n".join(
                f"{a.id}: {a.title}" for a in self.desk.merge_candidates(
                    self._number(first, "review", "/kandidaten R"))) or "-"),
            "/overzicht": lambda: self.desk.home(self.user),
            "/doorsturen": lambda: self._reroute(first, tail.strip()),
            "/geleerd": lambda: self.desk.learned(self.user),
            "/vergeet-route": click(Action.UNLEARN, "lesson", "/vergeet-route N"),
        }
        if command not in simple:
            raise ValueError(command)
        return simple[command]()

    def _number(self, value: str, what: str, usage: str) -> int:
        """``value`` as the number a command needs; else a UserError saying which number and how."""
        if not value.isdigit():
            raise UserError(self.say("console_need_number", what=self.say(f"console_what_{what}"), usage=usage))
        return int(value)

    def _switch(self, name: str, role: str) -> Message:
        if not name or role not in ("agent", "expert", "owner"):
            raise UserError(self.say("console_usage", usage="/als NAAM [agent|expert|owner]"))
        self.switch(name, role)
        return Message(text=self.say("console_switched", who=self.who(name, role)))

    def who(self, name: str, role: str) -> str:
        """"anna (kennisbeheerder)"; the role alone when the name is the role's own (``--as agent``)."""
        said = self.say(f"console_role_{role}")
        return said if name.lower() in (role, said.lower()) else f"{name} ({said})"

    def _inbox(self) -> Message:
        posts = self.chat.open_posts()
        if not posts:
            return Message(text=self.say("console_inbox_empty"))
        return Message(text="\n".join(self.say("console_inbox_item", channel=r["channel"], id=r["id"], text=m.text)
                                      for r, m in posts))

    def _post(self, message_id: str, usage: str) -> dict:
        """The console message ``message_id`` names; else a UserError saying what is wrong."""
        row = self.chat.message(str(self._number(message_id, "message", usage)))
        if row is None:
            raise UserError(self.say("console_no_message", id=message_id))
        return row

    def _thread(self, root: str) -> Message:
        self._post(root, "/thread M")
        rows = self.chat.thread(root)
        if not rows:
            raise UserError(self.say("console_no_thread", id=root))
        return Message(text="\n".join(f"[{r['id']}] {r['author']}: {r['text']}" for r in rows))

    def _reply(self, root: str, text: str) -> Message:
        post = self._post(root, "/antwoord M TEKST")
        if not text.strip():
            raise UserError(self.say("console_need_text", id=root))
        place = self.chat.say(post["channel"], root, self.user.id, text)
        self.event(ThreadReplied(self.user, text, place))
        return Message(text=self.say("console_replied", id=place.message, root=root))

    def _mark(self, message_id: str) -> Message | None:
        row = self._post(message_id, "/markeer R")
        return self.event(Marked(self.user, Place(row["channel"], row["thread"], message_id)))

    def _reroute(self, message_id: str, channel: str) -> Message | None:
        """``/doorsturen M KANAAL``: the expert question posted as message M (or a reply in its thread) moves to
        expert channel KANAAL."""
        row = self._post(message_id, "/doorsturen M KANAAL")
        esc = self.chat.store.escalation_at(row["channel"], row["thread"] or message_id)
        if esc is None:
            raise UserError(self.say("reroute_not_escalation", id=message_id))
        if not channel:
            raise UserError(self.say("console_usage", usage=f"/doorsturen {message_id} KANAAL"))
        return self.event(Clicked(self.user, Action.REROUTE, str(esc.id), Place(dm(self.user.id)),
                                  {"channel": channel}))

    def _edit(self, review_id: str, rest: str) -> Message | None:
        """``/bewerk R TITEL | TEKST`` shows what would change and approves nothing; ``/bevestig`` then saves it
        (without ``| TEKST`` the Desk asks for the text)."""
        number = self._number(review_id, "review", "/bewerk R TITEL | TEKST")
        title, _, body = rest.partition("|")
        preview = self.desk.preview_edit(number, self.user, title, body, "/bevestig")
        self.pending_edit = (number, {"title": title.strip(), "body": body.strip()})
        return preview

    def _confirm(self) -> Message | None:
        if self.pending_edit is None:
            raise UserError(self.say("console_nothing_to_confirm"))
        number, fields = self.pending_edit
        self.pending_edit = None
        return self.event(Clicked(self.user, Action.EDIT, str(number), Place(dm(self.user.id)), fields))

    def _merge(self, review_id: str, rest: str) -> Message | None:
        """``/samenvoegen R ARTIKEL-ID [--force]`` (``--force``: also into an article that looks unrelated)."""
        number = self._number(review_id, "review", "/samenvoegen R ARTIKEL-ID")
        words = rest.split()
        into = next((w for w in words if w != "--force"), "")
        if not into:
            raise UserError(self.say("console_usage", usage=f"/samenvoegen {number} ARTIKEL-ID [--force]"))
        fields = {"into": into, "force": "yes" if "--force" in words else ""}
        return self.event(Clicked(self.user, Action.MERGE, str(number), Place(dm(self.user.id)), fields))

    def event(self, event: Event) -> Message | None:
        """Stored in the inbox and handled at once; the reply is printed here."""
        return self.dispatcher.handle_now(event)
