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
from handlers.messages import apology
from handlers.replies import Action, Message
from knowledge.model import Place, User

log = logging.getLogger(__name__)

HELP = """Commando's (Nederlands of Engels):
  gewone tekst                      een vraag stellen (als agent)
  /als NAAM [agent|expert|owner]    wissel van persoon (/as)
  /nuttig Q, /nietnuttig Q          feedback op antwoord Q (/helpful, /nothelpful)
  /expert Q                         vraag Q aan een expert voorleggen (/escalate)
  /inbox                            open expertvragen in de expertkanalen
  /thread M                         een expertvraag (bericht M) met reacties
  /antwoord M TEKST                 reageer in de thread van bericht M (/reply)
  /markeer R                        markeer reactie R als het antwoord (/mark)
  /markeer-laatste E                markeer de laatste reactie op escalatie E (/mark-latest)
  /beoordelen                       de beoordelingslijst (/review; kennisbeheerders)
  /goedkeuren R, /afwijzen R [reden], /bewerk R TITEL | TEKST, /samenvoegen R ARTIKEL-ID, /kandidaten R
  /overzicht                        je open vragen en de cijfers van deze week (/home)
  /stop                             afsluiten (/quit)"""

ALIASES = {
    "/as": "/als", "/helpful": "/nuttig", "/nothelpful": "/nietnuttig", "/escalate": "/expert",
    "/reply": "/antwoord", "/mark": "/markeer", "/mark-latest": "/markeer-laatste", "/review": "/beoordelen",
    "/approve": "/goedkeuren", "/reject": "/afwijzen", "/edit": "/bewerk", "/merge": "/samenvoegen",
    "/candidates": "/kandidaten", "/home": "/overzicht", "/quit": "/stop", "/hulp": "/help",
}


def readable(stream: TextIO) -> TextIO:
    """``stream`` (standard input) with bytes its encoding cannot decode read as U+FFFD: one line of invalid
    UTF-8 is a question like any other instead of a UnicodeDecodeError that ends the session."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")
    return stream


class ConsoleSession:
    def __init__(self, desk: Desk, chat: ConsoleChat, name: str, role: str = "agent",
                 out: Callable[[str], None] = print) -> None:
        self.desk, self.chat, self.out = desk, chat, out
        self.dispatcher = Dispatcher(desk)
        self.base_owners = desk.owners
        self.switch(name, role)

    def switch(self, name: str, role: str = "agent") -> None:
        self.user = User(id=name, name=name)
        self.role = role
        self.chat.viewer = name
        self.desk.owners = self.base_owners | ({name} if role == "owner" else set())

    def run(self, lines: Iterable[str]) -> None:
        self.out(f"Vraagbaak console: je bent {self.user.name} ({self.role}). /help voor commando's.")
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line in ("/stop", "/quit"):
                break
            self.out(f"\n{self.user.name}> {line}")
            self.handle(line)
            for message in self.chat.unread(self.user.id):
                self.out(f"\n[{dm(self.user.id)}]\n{render(message)}")

    def handle(self, line: str) -> None:
        try:
            reply = self.dispatch(line)
        except UserError as error:
            reply = Message(text=str(error))
        except (ValueError, IndexError):
            reply = Message(text="Dat commando begrijp ik niet zo. /help toont de commando's.")
        except Exception:  # the console keeps running, like every adapter
            log.exception("console command failed: %s", line)
            reply = Message(text=apology(self.user.lang))
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

        def click(action: str, **fields: str) -> Callable[[], Message | None]:
            return lambda: self.event(Clicked(self.user, action, str(int(first)), here, fields))

        simple: dict[str, Callable[[], Message | None]] = {
            "/help": lambda: Message(text=HELP),
            "/als": lambda: self._switch(first, tail.strip() or "agent"),
            "/nuttig": click(Action.HELPFUL),
            "/nietnuttig": click(Action.NOT_HELPFUL),
            "/expert": click(Action.ESCALATE),
            "/inbox": self._inbox,
            "/thread": lambda: self._thread(first),
            "/antwoord": lambda: self._reply(first, tail),
            "/markeer": lambda: self._mark(first),
            "/markeer-laatste": click(Action.MARK_ANSWER),
            "/beoordelen": lambda: self.desk.review_queue(self.user),
            "/goedkeuren": click(Action.APPROVE),
            "/afwijzen": click(Action.REJECT, note=tail),
            "/bewerk": lambda: self._edit(first, tail),
            "/samenvoegen": click(Action.MERGE, into=tail.strip()),
            "/kandidaten": lambda: Message(text="\n".join(
                f"{a.id}: {a.title}" for a in self.desk.merge_candidates(int(first))) or "-"),
            "/overzicht": lambda: self.desk.home(self.user),
        }
        if command not in simple:
            raise ValueError(command)
        return simple[command]()

    def _switch(self, name: str, role: str) -> Message:
        if not name or role not in ("agent", "expert", "owner"):
            raise ValueError("usage")
        self.switch(name, role)
        return Message(text=f"Je bent nu {name} ({role}).")

    def _inbox(self) -> Message:
        posts = self.chat.open_posts()
        if not posts:
            return Message(text="Geen open expertvragen.")
        return Message(text="\n".join(f"#{r['channel']} · bericht {r['id']}: {m.text}" for r, m in posts))

    def _thread(self, root: str) -> Message:
        rows = self.chat.thread(root)
        if not rows:
            raise ValueError(root)
        return Message(text="\n".join(f"[{r['id']}] {r['author']}: {r['text']}" for r in rows))

    def _reply(self, root: str, text: str) -> Message:
        post = self.chat.message(root)
        if post is None or not text.strip():
            raise ValueError(root)
        place = self.chat.say(post["channel"], root, self.user.id, text)
        self.event(ThreadReplied(self.user, text, place))
        return Message(text=f"Reactie {place.message} geplaatst in de thread van bericht {root}.")

    def _mark(self, message_id: str) -> Message | None:
        row = self.chat.message(message_id)
        if row is None:
            raise ValueError(message_id)
        return self.event(Marked(self.user, Place(row["channel"], row["thread"], message_id)))

    def _edit(self, review_id: str, rest: str) -> Message | None:
        title, _, body = rest.partition("|")
        fields = {"title": title.strip(), "body": body.strip()}
        return self.event(Clicked(self.user, Action.EDIT, str(int(review_id)), Place(dm(self.user.id)), fields))

    def event(self, event: Event) -> Message | None:
        """Stored in the inbox and handled at once; the reply is printed here."""
        return self.dispatcher.handle_now(event)
