"""Time matters: a waiting question is not forgotten, and owners are reminded of what waits for them.

A mixin of the Desk, run by the serving process's scheduler (``Dispatcher.start``'s outbox thread calls
``run_timers``) and by the console when a person opens it. Time comes from ``self.clock``, so tests move a
fake clock instead of sleeping. Each timer moves its escalation to a stage with a conditional update inside
the transaction that queues its messages: it fires once, whatever restarts or how many processes.

- At an expert channel's response target (its own, else ``target_minutes``; ``urgent_minutes`` when the
  customer is on the line) the bot replies in the escalation thread, mentioning the suggested experts and the
  channel's backup experts.
- At twice the target it asks again in the channel's backup channel (with a link to the thread, where the
  answer belongs), tells each waiting agent, and gives them a ready-made call-back note.
- A marked answer stops both (only unanswered escalations have timers).
- Once a week (``digest_day`` at ``digest_hour``) every owner gets a digest in their own chat: answers waiting
  for review, articles past their review date, articles found not helpful more than ``not_helpful_limit``
  times; nothing is sent when there is nothing to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from handlers import cards
from handlers.errors import UserError
from handlers.messages import t
from handlers.ports import DeliveryFailed
from handlers.replies import Line, Message
from knowledge.model import Escalation, Place, Question, User

if TYPE_CHECKING:
    from handlers.ports import Chat, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    """When the timers fire (minutes) and when the weekly digest goes out (0 = Monday, hour in UTC)."""

    target_minutes: float = 15.0
    urgent_minutes: float = 3.0
    digest_day: int | None = 0  # None: no digest
    digest_hour: int = 8
    not_helpful_limit: int = 3


class Timers:
    store: Store
    chat: Chat
    platform: str
    channels: dict[str, str]
    owners: frozenset[str]
    default_lang: str
    schedule: Schedule
    clock: Callable[[], datetime]

    # provided by the Desk
    def deliver(self, place: Place, message: Message, escalation_id: int | None = None, *, key: str | None = None,
                kind: str = "send", recipient: str = "", now: bool = True) -> Place | None:  # pragma: no cover
        raise NotImplementedError

    def lang_of(self, user: User, question: str = "") -> str:  # pragma: no cover
        raise NotImplementedError

    def _question(self, question_id: int, by: User) -> Question:  # pragma: no cover
        raise NotImplementedError

    def channel_name(self, channel: str, lang: str | None = None) -> str:  # pragma: no cover
        raise NotImplementedError

    # --- waiting questions ------------------------------------------------------------------
    def target(self, esc: Escalation) -> float:
        """Minutes the experts of ``esc`` have before the first reminder."""
        if esc.urgent:
            return self.schedule.urgent_minutes
        own = self.store.channel_settings(esc.channel).target_minutes
        return float(own) if own else self.schedule.target_minutes

    def run_timers(self) -> int:
        """Fire every timer that is due now; returns how many fired."""
        now, fired = self.clock(), 0
        for esc in self.store.waiting_escalations():  # a moved one counts from its move (handlers.reroute)
            waited = (now - datetime.fromisoformat(esc.routed_at or esc.created_at)).total_seconds() / 60
            target = self.target(esc)
            if waited >= 2 * target and esc.stage < 2:
                fired += self._ask_again(esc, target)
            elif waited >= target and esc.stage < 1:
                fired += self._remind(esc, target)
        return fired

    def _remind(self, esc: Escalation, target: float) -> int:
        if esc.place is None:
            return 0  # not posted yet: the outbox is still trying; the reminder comes when it is there
        question = self.store.question(esc.question_id)
        if question is None:
            return 0
        settings = self.store.channel_settings(esc.channel)
        people = self.store.people([*esc.experts, *(p for p in settings.backup_experts if p not in esc.experts)])
        said = t("timer_reminder", question.lang, minutes=round(target))
        lines = [Line("warning", said)] + ([Line("people", t("esc_experts", question.lang), people=tuple(people))]
                                           if people else [])
        with self.store.transaction():
            if not self.store.advance_escalation(esc.id, 1):
                return 0
            self.deliver(Place(esc.place.channel, esc.place.message, None, esc.place.extra),
                         Message(text=said, lines=tuple(lines)), key=f"reminder:{esc.id}" + _moved(esc), now=False)
            self.store.audit("vraagbaak", "reminder", str(esc.id), minutes=round(target))
        return 1

    def _ask_again(self, esc: Escalation, target: float) -> int:
        question = self.store.question(esc.question_id)
        if question is None:
            return 0
        settings = self.store.channel_settings(esc.channel)
        backup = settings.backup_channel or esc.channel
        link = self.chat.link(esc.place) if esc.place else ""
        minutes = round(2 * target)
        again = t("timer_again", question.lang, minutes=minutes, question=question.text)
        lines = [Line("warning", again), Line("quote", question.text)]
        if link:
            lines.append(Line("context", t("escalated_link", question.lang, link=link), url=link))
        backups = self.store.people(settings.backup_experts)
        if backups:
            lines.append(Line("people", t("esc_experts", question.lang), people=tuple(backups)))
        waiting = [q for q in (self.store.question(i) for i in self.store.waiting_questions(esc.id)) if q]
        with self.store.transaction():
            if not self.store.advance_escalation(esc.id, 2):
                return 0
            self.deliver(Place(self.channels.get(backup, backup)), Message(text=again, lines=tuple(lines)),
                         key=f"again:{esc.id}" + _moved(esc), now=False)
            for q in waiting:
                self.deliver(q.place, self.callback_note(q, esc, backup, minutes, link),
                             key=f"callback:{esc.id}:{q.id}" + _moved(esc), now=False)
            self.store.audit("vraagbaak", "asked_again", str(esc.id), channel=backup, minutes=minutes,
                             told=[q.id for q in waiting])
        return 1

    def callback_note(self, q: Question, esc: Escalation, backup: str, minutes: int, link: str) -> Message:
        """What the agent reads when no answer came in time: what happened, and a note ready to file in the
        contact system (the question, what the bot found, where the answer will come)."""
        lang = q.lang
        tried = self.store.articles(esc.tried)
        found = "; ".join(a.title for a in tried) if tried else t("callback_nothing", lang)
        note = t("callback_note", lang, question=q.text, found=found, link=link or self.channel_name(esc.channel, lang))
        said = t("timer_agent", lang, minutes=minutes, channel=self.channel_name(backup, lang))
        lines = (Line("warning", said), Line("text", t("callback_intro", lang)), Line("quote", note))
        return Message(text=f"{said}\n{note}", lines=lines)

    def flag_urgent(self, question_id: int, by: User) -> Message:
        """"Klant wacht": the customer is on the line. The escalation gets the short target and a visible mark
        on its post; a question not escalated yet is escalated now."""
        q = self._question(question_id, by)
        lang = self.lang_of(by)
        if q.asker.id != by.id:
            raise UserError(t("urgent_not_yours", lang))
        esc = self.store.escalation_for_question(q.id)
        if esc is None:  # not with the experts yet: when it goes there, it is urgent
            self.store.set_question_urgent(q.id)
            self.store.audit(by.id, "urgent", "", question=q.id)
            return Message(text=t("urgent_later", lang, minutes=round(self.schedule.urgent_minutes)))
        if esc.status == "answered":
            raise UserError(t("already_answered", lang))
        with self.store.transaction():
            if self.store.set_urgent(esc.id) and esc.place is not None:
                flagged = self.store.escalation(esc.id) or esc
                post = cards.escalation_post(q, esc.id, self.store.articles(esc.tried),
                                             self.store.people(esc.experts), urgent=True, platform=self.platform)
                self.deliver(flagged.place or esc.place, post, kind="update", key=f"urgent:{esc.id}", now=False)
                self.store.audit(by.id, "urgent", str(esc.id), question=q.id)
        return Message(text=t("urgent_set", lang, minutes=round(self.schedule.urgent_minutes)))

    # --- owners' digest ---------------------------------------------------------------------
    def send_digests(self) -> int:
        """The weekly digest, once a week across processes, from the scheduled day and hour on; returns how
        many owners got one."""
        now, day = self.clock(), self.schedule.digest_day
        if day is None or not self.owners:
            return 0
        start = (now - timedelta(days=(now.weekday() - day) % 7)).replace(
            hour=self.schedule.digest_hour, minute=0, second=0, microsecond=0)
        if now < start:
            start -= timedelta(days=7)
        # within a day of the scheduled time (a process down then still sends it; one started later in the
        # week waits for the next), and once a week whatever the number of processes
        year, week, _ = start.isocalendar()
        if now - start >= timedelta(days=1) or not self.store.take_digest_week(year * 100 + week):
            return 0
        sent = 0
        for owner in sorted(self.owners):
            message = self.digest(User(owner, owner))
            if message is None:
                continue
            try:
                place = self.reach(owner)
            except DeliveryFailed as error:
                log.warning("no chat with owner %s for the digest: %s", owner, error)
                continue
            self.deliver(place, message, key=f"digest:{year}{week:02d}:{owner}", now=False)
            sent += 1
        self.store.audit("vraagbaak", "digest", f"{year}-W{week:02d}", owners=sent)
        return sent

    def digest(self, owner: User) -> Message | None:
        """What waits for owners, each with a direct action; None when nothing does."""
        lang = self.lang_of(owner)
        reviews = [(item, article) for item in self.store.pending_reviews()
                   if (article := self.store.article(item.article_id)) is not None]
        overdue = self.store.overdue_articles()
        unhelpful = self.store.not_helpful_articles(self.schedule.not_helpful_limit)
        if not reviews and not overdue and not unhelpful:
            return None
        lines: list[Line] = [Line("title", t("digest_title", lang))]
        if reviews:
            queue = cards.review_card([(i, a, a.questions[0] if a.questions else a.title) for i, a in reviews], lang)
            lines += [Line("divider"), *queue.lines]
        if overdue:
            lines += [Line("divider"), Line("title", t("stale_title", lang, count=len(overdue)))]
            lines += [Line("context", f"{a.review_date} · {a.title} ({a.owner or '-'})", url=a.url) for a in overdue]
        if unhelpful:
            lines += [Line("divider"), Line("title", t("digest_unhelpful", lang, count=len(unhelpful),
                                                      limit=self.schedule.not_helpful_limit))]
            lines += [Line("context", f"{n} × {a.title}", url=a.url) for a, n in unhelpful]
        text = "\n".join(line.text for line in lines if line.text)
        return Message(text=text, lines=tuple(lines))

    def reach(self, user_id: str) -> Place:
        """Where to write to a person in their own chat: the platform's direct message, else the last
        conversation in which they asked the bot something."""
        try:
            return self.chat.direct(user_id)
        except DeliveryFailed:
            place = self.store.last_place(user_id)
            if place is None:
                raise
            return place


def _moved(esc: Escalation) -> str:
    """The part of a timer's outbox key that tells the channels of a moved escalation apart: its timers fire
    again in the new channel."""
    return f":moved:{esc.moves}" if esc.moves else ""


def utc_now() -> datetime:
    return datetime.now(UTC)
