"""Desk: the use cases of the loop (ask -> search -> escalate -> resolve -> curate), platform-neutral.

One Desk per running bot, built by ``bot.bootstrap``. Every method is synchronous and thread-safe;
every step is written to the audit log, and personal data is masked before anything is stored or posted.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process

from handlers import cards
from handlers.articles import ArticleEditing
from handlers.curate import Curation
from handlers.errors import UserError
from handlers.heartbeat import holding
from handlers.messages import t
from handlers.ports import Chat, DeliveryFailed, Metrics, NoMetrics, Outgoing, Search, Store
from handlers.replies import Action, Button, Line, Message, message_from_dict
from handlers.reroute import Rerouting
from handlers.timers import Schedule, Timers, utc_now
from knowledge import text
from knowledge.directory import asks_for_people
from knowledge.model import OUTBOX_ATTEMPTS, Escalation, Place, Question, SearchResult, User, plain
from knowledge.privacy import has_placeholder, mask, mask_text
from knowledge.routing import route

log = logging.getLogger(__name__)

MAX_QUESTION = 4000  # characters kept of a question; longer text is cut, never refused
OUTBOX_LEASE = 60.0  # seconds an outbox item is held by the process sending it
SAME_QUESTION = 90   # token-sort similarity (0-100) at which a new question joins an open escalation
RAW_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{8,}")  # a Slack channel id
READABLE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
HEXISH = re.compile(r"[0-9a-f]{12,}|[0-9a-z]{24,}")
URGENT = re.compile(r"\s*(?:klant wacht|customer waiting|klant aan de lijn)\s*[:!\-–]\s*", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class Desk(Curation, ArticleEditing, Timers, Rerouting):
    def __init__(self, *, store: Store, search: Search, chat: Chat, default_channel: str,
                 owners: frozenset[str] = frozenset(), default_lang: str = "nl",
                 channels: dict[str, str] | None = None, schedule: Schedule | None = None,
                 clock: Callable[[], datetime] = utc_now, metrics: Metrics | None = None) -> None:
        self.store = store
        self.searcher = search
        self.chat = chat
        self.platform = chat.platform
        self.default_channel = default_channel
        self.owners = owners
        self.default_lang = default_lang
        self.channels = channels or {}  # routing name -> the platform's channel id, where they differ
        self.kick: Callable[[], None] | None = None  # wakes the serving process's outbox sender, when it has one
        self.nowhere = Place("")  # the place of a message that needs none (a home view)
        self.schedule = schedule or Schedule()
        self.clock = clock
        self.lease = OUTBOX_LEASE  # seconds an event or outgoing message is held by the process working on it
        self.metrics: Metrics = metrics or NoMetrics()  # a serving process's /metrics

    # --- delivery -------------------------------------------------------------------------
    def deliver(self, place: Place, message: Message, escalation_id: int | None = None, *, key: str | None = None,
                kind: str = "send", recipient: str = "", now: bool = True) -> Place | None:
        """Every message goes through the outbox: written first (once per ``key``), then sent. Inside a
        transaction it is sent when the transaction commits (so a state change and the messages it causes are
        stored together); ``now=False`` leaves the sending to the serving process's outbox thread (``kick``)
        where there is one. Returns where it was posted, or None when it waits; the platform refusing it
        leaves it in the outbox, and ``flush_outbox`` tries again later."""
        kick = None if now else self.kick
        item = self.store.queue(kind, place, plain(message), escalation_id=escalation_id, key=key,
                                recipient=recipient, claim=0.0 if kick else self.lease)
        if kick is not None:
            self.store.after_commit(kick)
            return None
        if item < 0:
            return None  # queued before under this key: sent, or being sent, by whoever queued it
        if self.store.in_transaction:
            self.store.after_commit(lambda: None if self._send(item, mine=True) else None)
            return None
        return self._send(item, mine=True)

    def _send(self, item_id: int | None = None, claimed: dict[str, Any] | None = None,
              mine: bool = False) -> Place | None:
        """Claim one outbox item (so no other process sends it meanwhile) and send it, the claim renewed while
        the platform takes its time (``handlers.heartbeat``); ``mine``: it was queued claimed by this caller."""
        item = claimed or (self.store.outbox_item(item_id) if mine and item_id else None) \
            or self.store.claim_outbox(self.lease, item_id)
        if item is None:
            return None  # sent already, or another process is sending it
        place = Place(item["channel"], item["thread"], item["message"], item["extra"])
        message = message_from_dict(item["payload"])
        posted: Place | None = place
        try:
            with holding(self.store.extend_outbox_claim, item["id"], self.lease):  # a slow send keeps its claim
                if item["kind"] == "update":
                    self.chat.update(place, message)
                elif item["kind"] == "tell":
                    self.chat.tell(item["recipient"], place, message)
                elif item["kind"] == "home":
                    self.chat.show_home(item["recipient"], message)
                else:
                    posted = self._post_once(item, place, message)
                    if item["escalation_id"]:
                        self.store.set_escalation_post(item["escalation_id"], posted)
        except DeliveryFailed as error:
            log.warning("%s to %s failed, kept in the outbox: %s", item["kind"], place.channel, error)
            self.metrics.delivery_failed(item["kind"])
            self.store.outbox_result(item["id"], str(error) or "failed")
            if item["attempts"] + 1 >= OUTBOX_ATTEMPTS:
                log.error("giving up on outbox item %s to %s after %s attempts: %s", item["id"], place.channel,
                          item["attempts"] + 1, error)
                self.store.audit("vraagbaak", "delivery_failed", str(item["id"]), channel=place.channel,
                                 error=str(error))
            return None
        self.store.outbox_result(item["id"])
        return posted

    def _post_once(self, item: dict[str, Any], place: Place, message: Message) -> Place:
        """Post an outbox item, carrying which item it is. One that may have been in flight when a process
        stopped (its claim lapsed without a result) is looked for on the platform first: found, it is not
        posted again (Slack; a platform that cannot tell posts it again, see docs/duplicates.md)."""
        outgoing = Outgoing(int(item["id"]), str(item.get("key") or ""), str(item.get("created_at") or ""))
        if item.get("in_doubt"):
            found = self.chat.find_sent(place, outgoing)
            if found is not None:
                log.warning("outbox item %s was posted before a stop (%s %s); not posted again", item["id"],
                            found.channel, found.message)
                return found
        return self.chat.send(place, message, outgoing)

    def send_due(self) -> int:
        """Send what waits in the outbox now (what another process holds is left to it)."""
        sent = 0
        for item in self.store.pending_outbox():
            if self._send(item["id"]) is not None:
                sent += 1
        return sent

    def flush_outbox(self) -> int:
        """Retry what the platform would not take earlier; returns how many went out. Serving processes call it
        on a timer, so it also forgets delivery keys older than a week."""
        now = datetime.now(UTC).replace(microsecond=0)
        week_ago = (now - timedelta(days=7)).isoformat()
        self.store.forget_deliveries(week_ago)
        self.store.forget_events(week_ago)
        self.store.purge_due()  # retention (AVG): at most once a day across processes
        self._post_stranded((now - timedelta(minutes=2)).isoformat())
        return self.send_due()

    def _post_stranded(self, before: str) -> None:
        """Escalations written by an older version that stopped before posting them (written, never posted, not
        in the outbox): posted now, so nothing acknowledged is lost."""
        for esc in self.store.stranded_escalations(before):
            q = self.store.question(esc.question_id)
            if q is None:
                continue
            log.warning("escalation %s was never posted; posting it now", esc.id)
            posted = self._post(q, esc)
            self.store.audit("vraagbaak", "escalation_recovered", str(esc.id), posted=posted is not None)

    def channel_name(self, channel: str, lang: str | None = None) -> str:
        """A channel as people call it, never a raw platform id: the routing name it is configured under, the
        readable part of a Teams id (19:kcc-experts@thread.tacv2), else "the expert channel"."""
        for name, ident in self.channels.items():
            if ident == channel:
                return name
        if channel.startswith("19:") or RAW_CHANNEL_ID.fullmatch(channel):
            inner = channel[3:].split("@")[0] if channel.startswith("19:") else ""
            if READABLE.fullmatch(inner) and not HEXISH.fullmatch(inner.replace("-", "")):
                return inner
            return t("expert_channel", lang or self.default_lang)
        return channel

    def unknown(self, user: User) -> str:
        return t("unknown_action", self.lang_of(user))

    # --- ask ------------------------------------------------------------------------------
    def lang_of(self, user: User, question: str = "") -> str:
        """The language of the question when it tells, else the person's setting, else the bot's."""
        return text.detect_lang(question, user.lang or self.default_lang)

    def ask(self, asker: User, question: str, place: Place, key: str | None = None, *,
            in_thread: bool = False) -> Message:
        """Answer, suggest, join an open escalation or escalate. ``key``: the platform's delivery key of the
        event that asked; asked again with the same key (the event handled again after a stop), the reply comes
        from what was stored and nothing is recorded twice. Small talk gets a short reply (none ``in_thread``:
        said in someone's thread), and is not recorded, escalated or joined to an escalation."""
        key = f"{self.platform}:{key}" if key else None
        question = text.scrub((question or "").strip()[:MAX_QUESTION])
        urgent = URGENT.match(question)
        if urgent:  # "klant wacht: ..." — the customer is on the line
            question = question[urgent.end():].strip()
        lang = self.lang_of(asker, question)
        if not text.words(question):
            self.metrics.asked("no_question")
            return Message(text=t("usage", lang), lines=(Line("text", t("usage", lang)),))
        result = self._search(question)
        if result.decision == "no_question":  # 'hallo', 'dank je', 'test', 'asdf': nothing searched or recorded
            self.metrics.asked("no_question")
            return cards.small_talk(result.small_talk, lang, in_thread=in_thread)
        found = mask(question)
        masked, personal = found.text, bool(found.found) or has_placeholder(question)  # masked on the way in
        if key and (seen := self.store.question_for_event(key)) is not None:
            return self._again(seen, result)
        if asks_for_people(question) and result.people:
            with self.store.transaction():
                q = self._record(asker, place, masked, lang, "answer", result, status="answered", personal=personal,
                                 key=key)
                self.store.audit(asker.id, "ask", str(q.id), decision="people", text=masked)
            self.metrics.asked("people")
            return cards.people_card(q, result.people)
        # One step for every process (the write lock is taken first): is an open escalation asking the same,
        # record the question, join it or escalate. A question with personal data is about one person's case:
        # it joins no other, and none joins it.
        joined = esc = None
        with self.store.transaction():
            joined = self._open_escalation_like(masked) if result.decision != "answer" and not personal else None
            q = self._record(asker, place, masked, lang, result.decision, result, personal=personal, key=key)
            if urgent:
                self.store.set_question_urgent(q.id)
            self.store.audit(asker.id, "ask", str(q.id), decision=result.decision, text=masked,
                             shown=[h.article.id for h in result.hits[:3]])
            if joined is not None:
                self.store.add_waiter(joined.id, q.id)
                self.store.audit(asker.id, "join_escalation", str(joined.id), question=q.id)
            elif result.decision == "escalate":
                esc = self._escalate(q, asker, result)
        self.metrics.asked("joined" if joined is not None else result.decision)
        if urgent and joined is not None:
            self.flag_urgent(q.id, asker)
        if joined is not None:
            return self._told_where(q, joined, "joined_escalation")
        if esc is not None:
            return self._escalated(q, esc)
        return cards.answer_card(q, result, owner=self.is_owner(asker))

    def _search(self, question: str) -> SearchResult:
        started = time.perf_counter()
        try:
            return self.searcher.search(question)
        finally:
            self.metrics.searched(time.perf_counter() - started)

    def _again(self, q: Question, result: SearchResult) -> Message:
        """The reply to a question already recorded for this event (the event is handled again after a stop):
        from what was stored, changing nothing."""
        esc = self.store.escalation_for_question(q.id)
        if esc is not None:
            if esc.place is None:
                self.send_due()
            return self._escalated(q, esc)
        if q.decision == "answer" and q.article_id is None and result.people:
            return cards.people_card(q, result.people)
        return cards.answer_card(q, result, owner=self.is_owner(q.asker))

    def _record(self, asker: User, place: Place, masked: str, lang: str, decision: str, result: SearchResult,
                status: str | None = None, personal: bool = False, key: str | None = None) -> Question:
        shown = [h.article.id for h in result.hits[:3]] if decision != "escalate" else []
        q = self.store.add_question(asker, self.platform, place, masked, lang, decision,
                                    result.best.article.id if decision == "answer" and result.best else None, shown,
                                    personal=personal, event_key=key)
        if status and status != q.status:
            self.store.set_question_status(q.id, status)
        return q

    def _open_escalation_like(self, masked: str) -> Escalation | None:
        """The oldest open escalation that asks the same thing: similar words and exactly the same numbers (500
        and 5000 visitors are different questions, however alike the sentences)."""
        folded = text.fold(masked)
        numbers = sorted(NUMBER.findall(folded))
        waiting = [(ident, text.fold(asked)) for ident, asked in self.store.open_escalation_questions()]
        alike = process.extract(folded, [other for _, other in waiting], scorer=fuzz.token_sort_ratio,
                                score_cutoff=SAME_QUESTION, limit=None)
        for ident, other in (waiting[index] for _, _, index in sorted(alike, key=lambda match: match[2])):
            if sorted(NUMBER.findall(other)) == numbers:
                return self.store.escalation(ident)
        return None

    def read(self, value: str, by: User) -> Message:
        """The whole article behind "show all" or a suggestion picked (``value``: "question id:article id", or a
        question id alone for the article it was answered with). Picking a suggestion counts as feedback for
        search: the asker chose that article for that question."""
        lang = self.lang_of(by)
        qid, _, article_id = str(value).partition(":")
        q = self.store.question(int(qid)) if qid.strip().isdigit() else None
        article_id = article_id.strip() or (q.article_id if q else "") or ""
        article = self.store.article(article_id) if article_id else None
        if article is None or article.status in ("archived", "held"):
            raise UserError(t("unknown_article", lang, id=article_id or value))
        if q is not None and q.asker.id == by.id and q.decision != "answer" and q.status == "open":
            self.store.set_question_status(q.id, "answered")
            self.store.audit(by.id, "chose", str(q.id), article=article.id, text=q.text)
        else:
            self.store.audit(by.id, "read", article.id, question=q.id if q else None)
        return cards.whole_article(q, article, q.lang if q else lang, owner=self.is_owner(by))

    def feedback(self, question_id: int, helpful: bool, by: User) -> Message:
        q = self._question(question_id, by)
        if q.asker.id != by.id:  # feedback belongs to the asker: it steers search and the weekly numbers
            raise UserError(t("not_your_question", self.lang_of(by), id=q.id))
        self.store.audit(by.id, "feedback", str(q.id), helpful=helpful, article=q.article_id)
        if helpful:
            self.store.set_question_status(q.id, "answered")
            return Message(text=t("thanks", q.lang))
        return self.escalate(question_id, by)

    # --- escalate -------------------------------------------------------------------------
    def escalate(self, question_id: int, by: User) -> Message:
        q = self._question(question_id, by)
        result = self._search(q.text)
        with self.store.transaction():  # checked and written in one step: two clicks escalate once
            existing = self.store.escalation_for_question(q.id)
            esc = self._escalate(q, by, result) if existing is None else None
        if existing is not None:
            return self._told_where(q, existing, "already_escalated")
        assert esc is not None
        return self._escalated(q, esc)

    def _escalate(self, q: Question, by: User, result: SearchResult) -> Escalation:
        """Write the escalation and queue its root post (sent when the caller's transaction commits)."""
        channel = route(self.store.routes(), q.text, result.hits[:1] if result.decision == "answer" else (),
                        default=self.default_channel, learned=self.store.learned_routes())
        tried = self.store.shown(q.id)
        experts = [p.person.id for p in result.people]
        esc = self.store.add_escalation(q.id, channel, experts, tried)
        self._post(q, esc)
        self.store.audit(by.id, "escalate", str(esc.id), question=q.id, channel=channel, experts=experts,
                         tried=tried)
        self.store.after_commit(self.metrics.escalated)
        return esc

    def _escalated(self, q: Question, esc: Escalation) -> Message:
        """What the asker reads once the escalation is written: where it went, with a link when it is posted."""
        posted = self.store.escalation(esc.id) or esc
        if posted.place is None:
            return Message(text=t("escalation_queued", q.lang, channel=self.channel_name(esc.channel, q.lang)))
        return self._told_where(q, posted, "escalated")

    def _post(self, q: Question, esc: Escalation, history: tuple[Line, ...] = (), now: bool = True) -> Place | None:
        """The escalation's root post in its expert channel, through the outbox (None: it waits there); a moved
        one's post carries ``history`` (handlers.reroute) and a key of its own."""
        post = cards.escalation_post(q, esc.id, self.store.articles(esc.tried), self.store.people(esc.experts),
                                     urgent=esc.urgent, platform=self.platform, history=history)
        return self.deliver(Place(self.channels.get(esc.channel, esc.channel)), post, escalation_id=esc.id,
                            key=f"escalation:{esc.id}" + (f":moved:{esc.moves}" if esc.moves else ""), now=now)

    def _told_where(self, q: Question, esc: Escalation, key: str) -> Message:
        said = t(key, q.lang, channel=self.channel_name(esc.channel, q.lang))
        lines = [Line("text", said)]
        link = self.chat.link(esc.place) if esc.place else ""
        if link:
            lines.append(Line("context", t("escalated_link", q.lang, link=link), url=link))
        current = self.store.escalation(esc.id) or esc
        buttons = () if current.urgent else (Button(t("btn_urgent", q.lang), Action.URGENT, str(q.id)),)
        return Message(text=said + (f"\n{link}" if link else ""), lines=tuple(lines), buttons=buttons)

    def _question(self, question_id: int, by: User) -> Question:
        q = self.store.question(int(question_id))
        if q is None:
            raise UserError(t("unknown_question", self.lang_of(by), id=question_id))
        return q

    # --- resolve --------------------------------------------------------------------------
    def thread_reply(self, place: Place, author: User, reply: str) -> bool:
        """Store a reply in an escalation thread as a candidate answer (once per message); False when the
        thread is none of ours."""
        if not place.thread or not place.message or not (reply or "").strip():
            return False
        esc = self.store.escalation_at(place.channel, place.thread)
        if esc is None:
            return False
        masked = mask_text(text.scrub(reply.strip())[:MAX_QUESTION * 2])
        with self.store.transaction():
            if self.store.answer_at(place.channel, place.message):
                return True  # the same message seen twice (a message event and a mention event)
            answer = self.store.add_answer(esc.id, author, masked, place)
            self.store.audit(author.id, "expert_reply", str(esc.id), answer=answer.id, text=masked)
            first = self.store.answers(esc.id)[0].id == answer.id
        if first and (waited := _seconds_between(esc.created_at, answer.created_at)) is not None:
            self.metrics.first_reply(waited)
        return True

    def mark_answer(self, place: Place, by: User, note: str = "") -> Message:
        """``note``: the marker's remark, relayed with the answer."""
        answer = self.store.answer_at(place.channel, place.message or "")
        if answer is None:
            raise UserError(t("not_escalation_reply", self.lang_of(by)))
        return self._resolve(answer.escalation_id, answer.id, by, note=mask_text(text.scrub(note.strip()))[:1000])

    def mark_latest(self, escalation_id: int, by: User) -> Message:
        if self.store.escalation(int(escalation_id)) is None:
            raise UserError(t("unknown_escalation", self.lang_of(by), id=escalation_id))
        answer = self.store.latest_answer(int(escalation_id))
        if answer is None:
            raise UserError(t("no_reply_yet", self.lang_of(by)))
        return self._resolve(answer.escalation_id, answer.id, by)

    def _resolve(self, escalation_id: int, answer_id: int, by: User, note: str = "") -> Message:
        """One step for every process: the escalation is answered, the answer logged, and every relay and
        the post's update queued, all committed together; they are sent after the commit (a stop in between
        leaves them in the outbox, not lost). A second mark, from anywhere, changes nothing."""
        with self.store.transaction():
            esc = self.store.escalation(escalation_id)
            answer = self.store.answer(answer_id)
            assert esc is not None and answer is not None
            first = self.store.question(esc.question_id)
            assert first is not None
            if not self.store.resolve_escalation(esc.id, answer.id):
                return Message(text=t("already_answered", first.lang))
            waiting = [q for q in (self.store.question(i) for i in self.store.waiting_questions(esc.id)) if q]
            article = self.log_answer(esc, first, waiting, answer)
            for q in waiting:
                self.deliver(q.place, self._noted(cards.relay(q, answer), note, by, q.lang),
                             key=f"relay:{esc.id}:{q.id}", now=False)
            resolved = self.store.escalation(esc.id) or esc
            if esc.place:  # every post of it shows the answer (more than one: it was posted again after a stop)
                post = cards.escalation_post(first, esc.id, self.store.articles(esc.tried),
                                             self.store.people(esc.experts), answered=(answer, resolved.answered_at),
                                             platform=self.platform)
                self.deliver(esc.place, post, kind="update", key=f"answered:{esc.id}", now=False)
                for again in self.store.escalation_posts(esc.id):
                    if (again.channel, again.message) != (esc.place.channel, esc.place.message):
                        self.deliver(again, post, kind="update", key=f"answered:{esc.id}:{again.message}", now=False)
            self.store.audit(by.id, "mark_answer", str(esc.id), answer=answer.id, article=article.id,
                             relayed=[q.id for q in waiting], **({"note": note} if note else {}))
            self.learn_from_answer(resolved, first, by)
        if (waited := _seconds_between(esc.created_at, resolved.answered_at)) is not None:
            self.metrics.answer_marked(waited)
        key = "marked_held" if article.status == "held" else "marked"
        return Message(text=t(key, first.lang, count=len(waiting)))

    @staticmethod
    def _noted(message: Message, note: str, by: User, lang: str) -> Message:
        """``message`` with the marker's remark below it (none: unchanged)."""
        if not note:
            return message
        said = t("relay_note", lang, who=by.name or by.id, note=note)
        return Message(text=f"{message.text}\n{said}", lines=(*message.lines, Line("context", said)),
                       buttons=message.buttons)


def _seconds_between(start: str, end: str) -> float | None:
    """Seconds from one stored time to another (ISO 8601, UTC); None when either is missing or unreadable."""
    try:
        return max(0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    except (ValueError, TypeError):  # missing, or one without its time zone
        return None
