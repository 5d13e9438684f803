"""Re-routing: an expert moves a question to another expert channel with one action, and routing learns from it.

A mixin of the Desk. ``reroute`` is one step for every process: the escalation moves by a conditional update
(of two experts clicking at once, one moves it; the other is told where it went), and in the same transaction
the new thread's post (the question, who asked, what was tried and what was said so far), a note in the old
thread, the old post's update, a word to every waiting agent, the lesson for routing and the audit entry are
written; the messages go out when it commits. The timers count from the move (``Escalation.routed_at``).

Routing learns which channel answers which words (knowledge.routing): from a move (the new channel), and from an
answer marked in a channel the keyword rules would not have chosen. An owner lists the lessons and undoes one.
See docs/routing.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers import cards
from handlers.errors import UserError
from handlers.messages import t
from handlers.replies import Line, Message
from knowledge.model import Answer, Escalation, LearnedRoute, Place, Question, User
from knowledge.routing import content_words, learned_match, route

if TYPE_CHECKING:
    from handlers.ports import Store

HISTORY = 10  # earlier replies carried into the new thread
HISTORY_CHARS = 500  # of each


class Rerouting:
    store: Store
    platform: str
    default_channel: str
    channels: dict[str, str]
    owners: frozenset[str]

    # provided by the Desk
    def deliver(self, place: Place, message: Message, escalation_id: int | None = None, *, key: str | None = None,
                kind: str = "send", recipient: str = "", now: bool = True) -> Place | None:  # pragma: no cover
        raise NotImplementedError

    def lang_of(self, user: User, question: str = "") -> str:  # pragma: no cover
        raise NotImplementedError

    def channel_name(self, channel: str, lang: str | None = None) -> str:  # pragma: no cover
        raise NotImplementedError

    def is_owner(self, user: User) -> bool:  # pragma: no cover
        raise NotImplementedError

    def _post(self, q: Question, esc: Escalation, history: tuple[Line, ...] = (),
              now: bool = True) -> Place | None:  # pragma: no cover
        raise NotImplementedError

    # --- which channels there are ---------------------------------------------------------
    def expert_channels(self) -> list[str]:
        """Every expert channel a question can go to (routing names, or platform ids where routes name those):
        the default, the configured ones and those the routes name."""
        known = {self.default_channel, *self.channels, *(channel for _, channel in self.store.routes())}
        return sorted(c for c in known if c)

    def channel_choices(self, escalation_id: int) -> tuple[str, list[tuple[str, str]]]:
        """What a re-route form shows: how often the escalation was moved so far (the form sends it back as
        ``seen``: a form opened before someone else's move then moves nothing) and (value, label) of the channels
        it can move to, every expert channel but its own."""
        esc = self.store.escalation(int(escalation_id))
        here = esc.channel if esc else ""
        return str(esc.moves if esc else 0), [(c, self.channel_name(c)) for c in self.expert_channels() if c != here]

    def _channel_named(self, said: str) -> str | None:
        """The expert channel a person means by ``said``: its routing name (with or without #), the name it
        shows as, or its platform id."""
        wanted = said.strip().lstrip("#").strip().casefold()
        if not wanted:
            return None
        for channel in self.expert_channels():
            ident = self.channels.get(channel, channel)
            if wanted in (channel.casefold(), self.channel_name(channel).casefold(), ident.casefold()):
                return channel
        return None

    # --- move -------------------------------------------------------------------------------
    def reroute(self, escalation_id: int, channel: str, by: User, seen: str = "") -> Message:
        """Move escalation ``escalation_id`` to the expert channel ``channel``, once (see the module). ``seen``:
        how often it had been moved when the expert's form was made (``channel_choices``); moved since, it stays
        where the other expert put it."""
        lang = self.lang_of(by)
        esc = self.store.escalation(int(escalation_id))
        if esc is None:
            raise UserError(t("unknown_escalation", lang, id=escalation_id))
        moves = int(seen) if seen.strip().isdigit() else esc.moves
        if moves != esc.moves and esc.status in ("pending", "open"):
            return Message(text=t("reroute_already", lang, channel=self.channel_name(esc.channel, lang)))
        target = self._channel_named(channel)
        if target is None:
            known = ", ".join(self.channel_name(c, lang) for c in self.expert_channels())
            raise UserError(t("reroute_unknown_channel", lang, channel=channel.strip() or "-", known=known))
        if esc.status not in ("pending", "open"):
            raise UserError(t("reroute_answered", lang))
        if target == esc.channel:
            raise UserError(t("reroute_same_channel", lang, channel=self.channel_name(target, lang)))
        q = self.store.question(esc.question_id)
        if q is None:
            raise UserError(t("unknown_escalation", lang, id=escalation_id))
        who = by.name or by.id
        with self.store.transaction():
            if not self.store.move_escalation(esc.id, target, moves):
                now = self.store.escalation(esc.id) or esc
                if now.status not in ("pending", "open"):
                    raise UserError(t("reroute_answered", lang))
                return Message(text=t("reroute_already", lang, channel=self.channel_name(now.channel, lang)))
            moved = self.store.escalation(esc.id)
            assert moved is not None
            said = self.store.answers(esc.id)
            self._post(q, moved, history=self._history(q, esc, said, who), now=False)
            self._leave_note(q, esc, target, who)
            waiting = [w for w in (self.store.question(i) for i in self.store.waiting_questions(esc.id)) if w]
            for w in waiting:
                told = t("reroute_told", w.lang, channel=self.channel_name(target, w.lang))
                self.deliver(w.place, Message(text=told, lines=(Line("text", told), Line("quote", w.text))),
                             key=f"moved:{esc.id}:{moved.moves}:{w.id}", now=False)
            lesson = self.store.learn_route(esc.id, content_words(q.text), target, "reroute", by.id)
            self.store.audit(by.id, "reroute", str(esc.id), question=q.id, from_channel=esc.channel,
                             to_channel=target, moves=moved.moves, told=[w.id for w in waiting],
                             replies=len(said), learned=lesson.id, words=list(lesson.words))
        return Message(text=t("rerouted", lang, channel=self.channel_name(target, lang)))

    def _history(self, q: Question, old: Escalation, said: list[Answer], who: str) -> tuple[Line, ...]:
        """What the new thread's post carries of the old one: where it came from and who moved it, and what was
        said there (the latest HISTORY replies, masked as stored)."""
        lang = q.lang
        lines = [Line("warning", t("reroute_from", lang, channel=self.channel_name(old.channel, lang), who=who))]
        if said:
            lines.append(Line("text", t("reroute_history", lang)))
            lines += [Line("context", t("reroute_history_item", lang, author=a.author.name or a.author.id,
                                        channel=self.channel_name(self._routing_name(a.place.channel), lang),
                                        text=cards.snippet(a.text, HISTORY_CHARS))) for a in said[-HISTORY:]]
        return tuple(lines)

    def _routing_name(self, ident: str) -> str:
        """The routing name of a platform channel id (itself where routes name platform ids)."""
        return next((name for name, known in self.channels.items() if known == ident), ident)

    def _leave_note(self, q: Question, old: Escalation, target: str, who: str) -> None:
        """A note in every thread the escalation had, and its posts there without buttons, saying where it went."""
        lang = q.lang
        where = self.channel_name(target, lang)
        note = t("reroute_note", lang, who=who, channel=where)
        posts = self.store.escalation_posts(old.id) or ([old.place] if old.place else [])
        moved = t("reroute_moved_post", lang, channel=where, who=who)
        post = cards.escalation_post(q, old.id, self.store.articles(old.tried), self.store.people(old.experts),
                                     platform=self.platform, moved=moved)
        here = old.place.channel if old.place else None  # the channel it leaves, as the platform names it
        for place in posts:
            if place.channel != here:
                continue  # a thread in a channel it left before: told then
            tag = f"{old.id}:{old.moves + 1}:{place.message}"
            self.deliver(Place(place.channel, place.message, None, place.extra),
                         Message(text=note, lines=(Line("text", note),)), key=f"moved-note:{tag}", now=False)
            self.deliver(place, post, kind="update", key=f"moved-post:{tag}", now=False)

    # --- learning -------------------------------------------------------------------------
    def learn_from_answer(self, esc: Escalation, q: Question, by: User) -> LearnedRoute | None:
        """An answer was marked in ``esc.channel``: a lesson of a move is confirmed; a question the keyword rules
        (and no lesson) would have sent elsewhere is learned for that channel. None: nothing new learned."""
        if self.store.confirm_route(esc.id, esc.channel):
            return None
        if esc.moves:
            return None  # moved, and its lesson undone by an owner: not learned again behind their back
        lessons = self.store.learned_routes()
        known = learned_match(lessons, q.text)
        if known is not None and known.channel == esc.channel:
            return None
        if known is None and route(self.store.routes(), q.text, default=self.default_channel) == esc.channel:
            return None
        words = content_words(q.text)
        if not words:
            return None
        lesson = self.store.learn_route(esc.id, words, esc.channel, "answered", by.id, answered=True)
        self.store.audit(by.id, "route_learned", str(esc.id), learned=lesson.id, channel=esc.channel,
                         words=list(words))
        return lesson

    def learned(self, by: User) -> Message:
        """What routing learned, the latest first, for an owner to check (and undo)."""
        lang = self.lang_of(by)
        lessons = self.store.learned_routes()
        if not lessons:
            return Message(text=t("learned_none", lang), lines=(Line("text", t("learned_none", lang)),))
        title = t("learned_title", lang, count=len(lessons))
        items = [self.learned_line(lesson, lang) for lesson in lessons]
        return Message(text="\n".join([title, *items]),
                       lines=(Line("title", title), *(Line("context", item) for item in items)))

    def learned_line(self, lesson: LearnedRoute, lang: str) -> str:
        source = t(f"learned_source_{lesson.source}", lang)
        if lesson.answered and lesson.source == "reroute":
            source += ", " + t("learned_confirmed", lang)
        return t("learned_item", lang, id=lesson.id, words=" ".join(lesson.words),
                 channel=self.channel_name(lesson.channel, lang), source=source, who=lesson.learned_by,
                 date=lesson.learned_at[:10])

    def unlearn(self, route_id: int, by: User) -> Message:
        """An owner undoes a lesson: questions like it follow the keyword rules again (the lesson is kept, undone,
        and the audit log says who)."""
        lang = self.lang_of(by)
        if not self.is_owner(by):
            raise UserError(t("learned_owners_only", lang))
        lesson = self.store.learned_route(int(route_id))
        if lesson is None or not self.store.undo_learned_route(lesson.id, by.id):
            raise UserError(t("learned_unknown", lang, id=route_id))
        self.store.audit(by.id, "route_unlearned", str(lesson.escalation_id or ""), learned=lesson.id,
                         channel=lesson.channel, words=list(lesson.words))
        return Message(text=t("learned_undone", lang, id=lesson.id, words=" ".join(lesson.words)))
