"""Desk: the use cases of the loop (ask -> search -> escalate -> resolve -> curate), platform-neutral.

One Desk per running bot, built by ``bot.bootstrap``. Every method is synchronous and thread-safe;
every step is written to the audit log, and personal data is masked before anything is stored or posted.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz

from handlers import cards
from handlers.curate import Curation
from handlers.errors import UserError
from handlers.messages import t
from handlers.ports import Chat, DeliveryFailed, Search
from handlers.replies import Line, Message, message_from_dict
from knowledge import text
from knowledge.directory import asks_for_people
from knowledge.model import Escalation, Place, Question, SearchResult, User
from knowledge.privacy import mask_text
from knowledge.records import OUTBOX_ATTEMPTS
from knowledge.routing import route
from knowledge.store import SqliteStore

log = logging.getLogger(__name__)

MAX_QUESTION = 4000  # characters kept of a question; longer text is cut, never refused
SAME_QUESTION = 90   # token-sort similarity (0-100) at which a new question joins an open escalation


class Desk(Curation):
    def __init__(self, *, store: SqliteStore, search: Search, chat: Chat, default_channel: str,
                 owners: frozenset[str] = frozenset(), default_lang: str = "nl",
                 channels: dict[str, str] | None = None) -> None:
        self.store = store
        self.searcher = search
        self.chat = chat
        self.platform = chat.platform
        self.default_channel = default_channel
        self.owners = owners
        self.default_lang = default_lang
        self.channels = channels or {}  # routing name -> the platform's channel id, where they differ

    # --- delivery -------------------------------------------------------------------------
    def first_delivery(self, key: str) -> bool:
        return self.store.first_delivery(f"{self.platform}:{key}")

    def deliver(self, place: Place, message: Message, escalation_id: int | None = None) -> Place | None:
        """Send ``message``; when the platform will not take it, keep it in the outbox (None is returned)
        and ``flush_outbox`` sends it later."""
        try:
            return self.chat.send(place, message)
        except DeliveryFailed as error:
            log.warning("send to %s failed, queued: %s", place.channel, error)
            self.store.queue("send", place, asdict(message), str(error), escalation_id)
            return None

    def _update(self, place: Place, message: Message) -> None:
        try:
            self.chat.update(place, message)
        except DeliveryFailed as error:
            log.warning("update of %s failed, queued: %s", place.message, error)
            self.store.queue("update", place, asdict(message), str(error))

    def flush_outbox(self) -> int:
        """Retry what the platform would not take earlier; returns how many went out. Adapters call it on a
        timer, so it also forgets delivery keys older than a week."""
        now = datetime.now(UTC).replace(microsecond=0)
        self.store.forget_deliveries((now - timedelta(days=7)).isoformat())
        self._post_stranded((now - timedelta(minutes=2)).isoformat())
        sent = 0
        for item in self.store.pending_outbox():
            place = Place(item["channel"], item["thread"], item["message"], item["extra"])
            message = message_from_dict(item["payload"])
            try:
                if item["kind"] == "update":
                    self.chat.update(place, message)
                else:
                    posted = self.chat.send(place, message)
                    if item["escalation_id"]:
                        self.store.set_escalation_post(item["escalation_id"], posted)
            except DeliveryFailed as error:
                self.store.outbox_result(item["id"], str(error) or "failed")
                if item["attempts"] + 1 >= OUTBOX_ATTEMPTS:
                    log.error("giving up on outbox item %s to %s after %s attempts: %s", item["id"], place.channel,
                              item["attempts"] + 1, error)
                    self.store.audit("vraagbaak", "delivery_failed", str(item["id"]), channel=place.channel,
                                     error=str(error))
                continue
            self.store.outbox_result(item["id"])
            sent += 1
        return sent

    def _post_stranded(self, before: str) -> None:
        """Post escalations a stop interrupted (written, never posted, not queued): nothing acknowledged is lost."""
        for esc in self.store.stranded_escalations(before):
            q = self.store.question(esc.question_id)
            if q is None:
                continue
            log.warning("escalation %s was never posted; posting it now", esc.id)
            posted = self._post(q, esc)
            self.store.audit("vraagbaak", "escalation_recovered", str(esc.id), posted=posted is not None)

    # --- ask ------------------------------------------------------------------------------
    def lang_of(self, user: User, question: str = "") -> str:
        """The language of the question when it tells, else the person's setting, else the bot's."""
        return text.detect_lang(question, user.lang or self.default_lang)

    def ask(self, asker: User, question: str, place: Place) -> Message:
        question = (question or "").strip()
        lang = self.lang_of(asker, question)
        if not text.words(question):
            return Message(text=t("usage", lang), lines=(Line("text", t("usage", lang)),))
        question = question[:MAX_QUESTION]
        result = self.searcher.search(question)
        if result.decision == "no_question":  # 'hallo', 'dank je': ask for the question, search nothing
            return Message(text=t("no_question", lang), lines=(Line("text", t("no_question", lang)),))
        masked = mask_text(question)
        if asks_for_people(question) and result.people:
            q = self._record(asker, place, masked, lang, "answer", result, status="answered")
            self.store.audit(asker.id, "ask", str(q.id), decision="people", text=masked)
            return cards.people_card(q, result.people)
        joined = self._open_escalation_like(masked) if result.decision != "answer" else None
        q = self._record(asker, place, masked, lang, result.decision, result)
        self.store.audit(asker.id, "ask", str(q.id), decision=result.decision, text=masked,
                         shown=[h.article.id for h in result.hits[:3]])
        if joined is not None:
            self.store.add_waiter(joined.id, q.id)
            self.store.audit(asker.id, "join_escalation", str(joined.id), question=q.id)
            return self._told_where(q, joined, "joined_escalation")
        if result.decision == "escalate":
            return self._escalate(q, asker, result)
        return cards.answer_card(q, result)

    def _record(self, asker: User, place: Place, masked: str, lang: str, decision: str, result: SearchResult,
                status: str | None = None) -> Question:
        shown = [h.article.id for h in result.hits[:3]] if decision != "escalate" else []
        q = self.store.add_question(asker, self.platform, place, masked, lang, decision,
                                    result.best.article.id if decision == "answer" and result.best else None, shown)
        if status and status != q.status:
            self.store.set_question_status(q.id, status)
        return q

    def _open_escalation_like(self, masked: str) -> Escalation | None:
        folded = text.fold(masked)
        for esc, asked in self.store.open_escalations():
            if fuzz.token_sort_ratio(folded, text.fold(asked)) >= SAME_QUESTION:
                return esc
        return None

    def feedback(self, question_id: int, helpful: bool, by: User) -> Message:
        q = self._question(question_id, by)
        self.store.audit(by.id, "feedback", str(q.id), helpful=helpful, article=q.article_id)
        if helpful:
            self.store.set_question_status(q.id, "answered")
            return Message(text=t("thanks", q.lang))
        return self.escalate(question_id, by)

    # --- escalate -------------------------------------------------------------------------
    def escalate(self, question_id: int, by: User) -> Message:
        q = self._question(question_id, by)
        existing = self.store.escalation_for_question(q.id)
        if existing is not None:
            return self._told_where(q, existing, "already_escalated")
        return self._escalate(q, by, self.searcher.search(q.text))

    def _escalate(self, q: Question, by: User, result: SearchResult) -> Message:
        channel = route(self.store.routes(), q.text, result.hits[:1] if result.decision != "escalate" else (),
                        default=self.default_channel)
        tried = self.store.shown(q.id)
        experts = [p.person.id for p in result.people]
        esc = self.store.add_escalation(q.id, channel, experts, tried)
        posted = self._post(q, esc)
        self.store.audit(by.id, "escalate", str(esc.id), question=q.id, channel=channel, experts=experts,
                         tried=tried, posted=posted is not None)
        if posted is None:
            return Message(text=t("escalation_queued", q.lang, channel=channel))
        return self._told_where(q, self.store.escalation(esc.id) or esc, "escalated")

    def _post(self, q: Question, esc: Escalation) -> Place | None:
        """The escalation's root post in its expert channel (None: it waits in the outbox)."""
        post = cards.escalation_post(q, esc.id, self.store.articles(esc.tried), self.store.people(esc.experts))
        posted = self.deliver(Place(self.channels.get(esc.channel, esc.channel)), post, escalation_id=esc.id)
        if posted is not None:
            self.store.set_escalation_post(esc.id, posted)
        return posted

    def _told_where(self, q: Question, esc: Escalation, key: str) -> Message:
        said = t(key, q.lang, channel=esc.channel)
        lines = [Line("text", said)]
        link = self.chat.link(esc.place) if esc.place else ""
        if link:
            lines.append(Line("context", t("escalated_link", q.lang, link=link), url=link))
        return Message(text=said + (f"\n{link}" if link else ""), lines=tuple(lines))

    def _question(self, question_id: int, by: User) -> Question:
        q = self.store.question(int(question_id))
        if q is None:
            raise UserError(t("unknown_question", self.lang_of(by)))
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
        if self.store.answer_at(place.channel, place.message):
            return True  # the same message seen twice (a message event and a mention event)
        masked = mask_text(reply.strip()[:MAX_QUESTION * 2])
        answer = self.store.add_answer(esc.id, author, masked, place)
        self.store.audit(author.id, "expert_reply", str(esc.id), answer=answer.id, text=masked)
        return True

    def mark_answer(self, place: Place, by: User) -> Message:
        answer = self.store.answer_at(place.channel, place.message or "")
        if answer is None:
            raise UserError(t("not_escalation_reply", self.lang_of(by)))
        return self._resolve(answer.escalation_id, answer.id, by)

    def mark_latest(self, escalation_id: int, by: User) -> Message:
        answer = self.store.latest_answer(int(escalation_id))
        if answer is None:
            raise UserError(t("no_reply_yet", self.lang_of(by)))
        return self._resolve(answer.escalation_id, answer.id, by)

    def _resolve(self, escalation_id: int, answer_id: int, by: User) -> Message:
        esc = self.store.escalation(escalation_id)
        answer = self.store.answer(answer_id)
        assert esc is not None and answer is not None
        first = self.store.question(esc.question_id)
        assert first is not None
        if esc.status == "answered":
            return Message(text=t("already_answered", first.lang))
        self.store.resolve_escalation(esc.id, answer.id)
        waiting = [q for q in (self.store.question(i) for i in self.store.waiting_questions(esc.id)) if q]
        article = self.log_answer(esc, first, waiting, answer)
        for q in waiting:
            self.deliver(q.place, cards.relay(q, answer))
        if esc.place:
            resolved = self.store.escalation(esc.id) or esc
            post = cards.escalation_post(first, esc.id, self.store.articles(esc.tried),
                                         self.store.people(esc.experts), answered=(answer, resolved.answered_at))
            self._update(esc.place, post)
        self.store.audit(by.id, "mark_answer", str(esc.id), answer=answer.id, article=article.id,
                         relayed=[q.id for q in waiting])
        return Message(text=t("marked", first.lang, count=len(waiting)))
