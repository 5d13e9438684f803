"""The one inbound seam: an event is stored in the inbox, then handled once, by one Dispatcher.

Adapters call ``submit`` (store, then acknowledge the platform) or ``handle_now`` (store and handle at once,
for the console and for platforms that want the answer in the response). Workers in the serving process
handle what is stored, also what a killed process left unfinished. Here live the permission checks, the one
error guard (a UserError is shown as it is, anything else logged and answered with an apology) and the reply:
queued in the outbox with a key per event, so handling an event twice replies once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from handlers import events
from handlers.desk import Desk
from handlers.errors import UserError
from handlers.events import Asked, Clicked, Event, Marked, OpenedHome, ThreadReplied
from handlers.messages import apology
from handlers.ports import DeliveryFailed
from handlers.replies import Action, Line, Message
from knowledge.model import Place

log = logging.getLogger(__name__)

TIMER_SECONDS = 20.0  # how often the scheduler looks for timers that are due
TIMER_GAP = 1.0  # at most this often a process looks for due timers, however often its outbox is woken
POLL_SECONDS = 0.5  # how often an idle worker looks for work nobody woke it for (another SQLite process's)
OWNERS_ONLY = frozenset({Action.APPROVE, Action.REJECT, Action.EDIT, Action.MERGE})


@dataclass(frozen=True)
class Reply:
    """Where a use case's answer goes: ``send`` to a place, ``tell`` one person where they are, ``home``
    (the person's home view); none when the use case has nothing to say."""

    kind: str
    message: Message
    place: Place | None = None  # where, for send and tell
    recipient: str = ""


class Dispatcher:
    def __init__(self, desk: Desk, *, lease: float | None = None, poll: float = POLL_SECONDS) -> None:
        self.desk = desk
        self.store = desk.store
        self.platform = desk.platform
        self.lease = lease or desk.lease
        # worth another try later (a platform that did not take a message, a busy store); anything else is a bug
        self.transient: tuple[type[Exception], ...] = (DeliveryFailed, *self.store.transient_errors)
        self.poll = poll

    # --- in ---------------------------------------------------------------------------------
    def submit(self, event: Event, *, claim: bool = False) -> int | None:
        """Store ``event`` (the adapter acknowledges after this returns); None for a redelivery. ``claim``:
        the caller handles it at once (``handle_claimed``); a worker takes it only if that caller dies."""
        event = events.scrubbed(event)  # half an emoji must not make the event unstorable
        key = f"{self.platform}:{event.key}" if event.key else None
        event = events.masked(event)  # nothing a citizen said is stored unmasked, the inbox included
        event_id = self.store.put_event(key, self.platform, type(event).__name__, events.to_dict(event),
                                        claim=self.lease if claim else 0.0)
        return event_id  # a waiting worker is woken by the store (this process's, or every replica's)

    def handle_now(self, event: Event, *, strict: bool = False) -> Message | None:
        """Store and handle ``event`` at once, returning the reply instead of sending it (the console prints
        it; a Teams invoke answers with it). A redelivery, or an event another worker holds, returns None.
        ``strict``: a UserError is raised to the caller (a form shows it beside the field) instead of being
        the reply."""
        event_id = self.submit(event, claim=True)
        row = self.store.event(event_id) if event_id is not None else None
        if row is None:
            return None
        if not strict:
            return self._process(row, inline=True)
        try:
            reply = self.handle(event)
        except UserError:
            self.store.event_done(row["id"])
            raise
        except self.transient as error:
            self.store.event_failed(row["id"], str(error))
            raise
        except Exception:
            log.exception("handling %s from %s failed", type(event).__name__, event.user.id)
            reply = self._to_person(event, Message(text=apology(event.user.lang or self.desk.default_lang)))
        self.store.event_done(row["id"])
        return reply.message if reply else None

    def handle_claimed(self, event_id: int) -> bool:
        """Handle an event this caller stored with ``submit(claim=True)``; its reply goes through the outbox."""
        row = self.store.event(event_id)
        if row is None:
            return False
        self._process(row, inline=False)
        return True

    def handle_next(self) -> bool:
        """Claim and handle the oldest waiting event; False when there is none."""
        row = self.store.claim_event(self.lease)
        if row is None:
            return False
        self._process(row, inline=False)
        return True

    def drain(self) -> int:
        handled = 0
        while self.handle_next():
            handled += 1
        return handled

    def _process(self, row: dict, *, inline: bool) -> Message | None:
        try:
            event = events.from_dict(row["kind"], row["payload"])
        except (ValueError, TypeError, KeyError) as error:
            log.error("inbox event %s cannot be read (%s); set aside", row["id"], error)
            self.store.event_failed(row["id"], f"unreadable: {error}")
            self.store.event_done(row["id"])
            return None
        try:
            reply = self.guarded(event)
            if inline:
                self.store.event_done(row["id"])
                return reply.message if reply else None
            with self.store.transaction():
                if reply is not None:
                    self._queue(reply, key=f"reply:{row['key'] or row['id']}")
                self.store.event_done(row["id"])
        except self.transient as error:
            log.warning("inbox event %s (%s) will be tried again: %s", row["id"], row["kind"], error)
            if self.store.event_failed(row["id"], str(error)):
                log.error("inbox event %s given up after repeated failures", row["id"])
                self.store.audit("vraagbaak", "event_failed", str(row["id"]), kind=row["kind"], error=str(error))
        return None

    def _queue(self, reply: Reply, key: str) -> None:
        place = reply.place if reply.place is not None else self.desk.nowhere
        self.desk.deliver(place, reply.message, key=key, kind=reply.kind, recipient=reply.recipient)

    # --- the use cases ----------------------------------------------------------------------
    def guarded(self, event: Event) -> Reply | None:
        """``handle`` with the one error guard. Transient trouble (the platform or the database busy) is
        raised for a later try; a UserError is the reply; any other error is logged, and the person gets an
        apology."""
        try:
            return self.handle(event)
        except self.transient:
            raise
        except UserError as error:
            if isinstance(event, Marked) and event.quiet:
                log.info("ignored for %s: %s", event.user.id, error)
                return None
            return self._to_person(event, Message(text=str(error)), problem=True)
        except Exception:
            log.exception("handling %s from %s failed", type(event).__name__, event.user.id)
            return self._to_person(event, Message(text=apology(event.user.lang or self.desk.default_lang)),
                                   problem=True)

    def handle(self, event: Event) -> Reply | None:
        desk = self.desk
        # A place's ``message`` is the message the reply answers (Teams replies to an activity); the question
        # itself lives in the conversation (and thread).
        if isinstance(event, Asked):
            place = event.place or self.desk.chat.direct(event.user.id)
            asked = desk.ask(event.user, event.text, replace(place, message=None), key=event.key or None)
            return Reply("send", asked, place)
        if isinstance(event, ThreadReplied):
            if desk.thread_reply(event.place, event.user, event.text) or not event.or_ask:
                return None
            asked = desk.ask(event.user, event.text, replace(event.place, message=None), key=event.key or None,
                             in_thread=True)
            return Reply("send", asked, event.place) if asked.text else None  # small talk in a thread: quiet
        if isinstance(event, Marked):
            return self._to_person(event, desk.mark_answer(event.place, event.user, note=event.note))
        if isinstance(event, OpenedHome):
            if event.where is None:
                return Reply("home", desk.home(event.user), recipient=event.user.id)
            return Reply("send", desk.home(event.user), event.where)
        return self._to_person(event, self._clicked(event))

    def _clicked(self, event: Clicked) -> Message:
        desk, user, fields = self.desk, event.user, event.fields
        if event.action in OWNERS_ONLY:
            desk.require_owner(user)
        if event.action == Action.READ:  # its value names an article, not only a number
            return desk.read(event.value, user)
        try:
            ident = int(str(event.value).strip() or 0)
        except ValueError as error:
            raise UserError(desk.unknown(user)) from error
        actions: dict[str, Callable[[], Message]] = {
            Action.HELPFUL: lambda: desk.feedback(ident, True, user),
            Action.NOT_HELPFUL: lambda: desk.feedback(ident, False, user),
            Action.ESCALATE: lambda: desk.escalate(ident, user),
            Action.URGENT: lambda: desk.flag_urgent(ident, user),
            Action.MARK_ANSWER: lambda: desk.mark_latest(ident, user),
            Action.APPROVE: lambda: desk.approve(ident, user),
            Action.REJECT: lambda: desk.reject(ident, user, fields.get("note", "")),
            Action.EDIT: lambda: desk.edit(ident, user, fields.get("title", ""), fields.get("body", "")),
            Action.MERGE: lambda: desk.merge(ident, fields.get("into", "").strip(), user,
                                             force=fields.get("force") == "yes"),
            Action.REROUTE: lambda: desk.reroute(ident, fields.get("channel", ""), user, fields.get("seen", "")),
            Action.UNLEARN: lambda: desk.unlearn(ident, user),
        }
        if event.action not in actions:
            raise UserError(desk.unknown(user))
        return actions[event.action]()

    def _to_person(self, event: Event, message: Message, problem: bool = False) -> Reply:
        """A reply for the person who caused ``event``, where they are: the conversation of the click or mark,
        else their home view (a notice above it), or for a problem their direct messages."""
        if isinstance(event, Asked | ThreadReplied):
            return Reply("send", message, event.place or self.desk.chat.direct(event.user.id))
        where = event.place if isinstance(event, Marked) else event.where
        if where is None and problem:
            return Reply("tell", message, self.desk.nowhere, recipient=event.user.id)
        if where is None:
            home = self.desk.home(event.user)
            combined = Message(text=message.text + "\n" + home.text,
                               lines=(*(message.lines or (Line("text", message.text),)), Line("divider"),
                                      *home.lines))
            return Reply("home", combined, recipient=event.user.id)
        return Reply("tell", message, where, recipient=event.user.id)

    # --- workers ----------------------------------------------------------------------------
    def start(self, workers: int = 2, flush_every: float = 30.0) -> Callable[[], None]:
        """Worker threads that handle the inbox (what is waiting now first: a restart picks up what a
        killed process left) and one that sends the outbox on demand and every ``flush_every`` seconds.
        Returns a function that stops them. Idle, they wait on the store (``wait_for_events``/``_outbox``): woken
        at once for work stored by this process, and on PostgreSQL by any replica (LISTEN/NOTIFY); the timeout is
        the fallback (SQLite shared by several processes, a lost listening connection)."""
        stop = threading.Event()
        store = self.store
        self.desk.kick = lambda: store.wake("outbox")

        def work() -> None:
            while not stop.is_set():
                try:
                    if self.handle_next():
                        continue
                except Exception:
                    log.exception("inbox worker")
                store.wait_for_events(self.poll)

        def send() -> None:
            """At start and every ``flush_every`` s the whole flush (with the housekeeping); in between, what is
            queued (woken) or due again (a claim that expired with the process that held it). Each round also
            fires the timers that are due (reminders, the weekly digest), at most every TIMER_GAP s: the serving
            process's scheduler. (Each looks at every open escalation: run on every message sent, a burst of a
            thousand escalations made that quadratic, and on PostgreSQL every replica is woken for every message.)"""
            last: datetime | None = None
            timers_at = -TIMER_GAP
            while not stop.is_set():
                try:
                    if last is None or datetime.now(UTC) - last >= timedelta(seconds=flush_every):
                        last = datetime.now(UTC)
                        sent = self.desk.flush_outbox()
                        if sent:
                            log.info("outbox: %d message(s) delivered", sent)
                    else:
                        self.desk.send_due()
                    if time.monotonic() - timers_at >= TIMER_GAP:
                        timers_at = time.monotonic()
                        if self.desk.run_timers() + self.desk.send_digests():
                            self.desk.send_due()
                except Exception:
                    log.exception("outbox sender")
                store.wait_for_outbox(min(flush_every, self.lease / 2, TIMER_SECONDS))

        threads = [threading.Thread(target=work, name=f"vraagbaak-inbox-{n}", daemon=True) for n in range(workers)]
        threads.append(threading.Thread(target=send, name="vraagbaak-outbox", daemon=True))
        for thread in threads:
            thread.start()

        def stop_all() -> None:
            stop.set()
            store.wake()
            self.desk.kick = None
            for thread in threads:
                thread.join(5)

        return stop_all
