"""The demo's six weeks of history, played through the real use cases: the Desk with a quiet console chat asks,
answers, suggests, escalates, relays and logs exactly as it does for a person; each question is then moved to
the time the plan gave it (``knowledge.demo_history``). Deterministic for a given day; a few seconds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot import bootstrap
from bot.config import Settings
from bot.console.chat import ConsoleChat, dm
from handlers.desk import Desk
from knowledge.demo_history import Visit, backdate, plan
from knowledge.demo_load import PLAYED
from knowledge.model import Place, User

if TYPE_CHECKING:
    from bot.bootstrap import AnyStore


def play_history(settings: Settings, store: AnyStore, now: datetime | None = None,
                 shown: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Play the demo history into ``store``; returns how many questions were asked. A database that already
    has questions, or had the history played once (its questions may have been purged since), is left as it is:
    ``vraagbaak demo`` twice adds no second history. ``shown(done, total)`` follows the questions played (a
    progress bar)."""
    if store.demo_history_played() or store.count("questions"):
        return 0
    now = now or datetime.now(UTC)
    visits = plan(now)
    shown(0, len(visits))  # the bar shows while the searcher calibrates on the demo articles
    chat = ConsoleChat(store, out=lambda _: None, lang=settings.lang)  # experts' posts go to the file, not the screen
    desk = bootstrap.build_desk(settings, chat, store=store)
    for n, visit in enumerate(visits):
        _play(desk, chat, store, f"demo-history-{n}", visit, now)
        shown(n + 1, len(visits))
    desk.run_timers()  # what an escalation left waiting would have set off meanwhile: reminders, call-back notes
    store.remember_demo("history", [PLAYED])
    return len(visits)


def _play(desk: Desk, chat: ConsoleChat, store: AnyStore, key: str, visit: Visit, now: datetime) -> None:
    asker = User(visit.agent, visit.agent)
    desk.ask(asker, visit.text, Place(dm(visit.agent)), key=key)
    q = store.question_for_event(f"{chat.platform}:{key}")
    if q is None:
        return
    # a gap's question answered by an expert's earlier answer (logged as a provisional article) is helped; by
    # another article, not
    helpful = q.article_id.startswith("vb-") if visit.gap and q.article_id else visit.helpful
    if q.decision == "answer" and q.article_id and helpful is not None:
        desk.feedback(q.id, helpful, asker)  # not helpful: escalated
    elif q.decision == "suggest":
        shown = store.shown(q.id)
        if visit.choose and shown:
            desk.read(f"{q.id}:{shown[0]}", asker)
        elif visit.escalate:
            desk.escalate(q.id, asker)
    answers, marked_at = _replies(desk, chat, store, q.id, visit, now)
    backdate(store, q.id, visit.at, answers, marked_at)


def _replies(desk: Desk, chat: ConsoleChat, store: AnyStore, question_id: int, visit: Visit,
             now: datetime) -> tuple[dict[int, datetime], datetime | None]:
    """The experts' replies in the thread of the escalation this question started (one it joined has its own),
    marked where the plan says; when each was given."""
    esc = store.escalation_for_question(question_id)
    if esc is None or esc.question_id != question_id or esc.place is None:
        return {}, None
    latest = now - timedelta(minutes=1)
    answers: dict[int, datetime] = {}
    marked_at = None
    for reply in visit.replies:
        expert = User(reply.author, reply.author)
        place = chat.say(esc.place.channel, esc.place.message, reply.author, reply.text)
        desk.thread_reply(place, expert, reply.text)
        answer = store.answer_at(place.channel, place.message or "")
        if answer is not None:
            answers[answer.id] = min(visit.at + timedelta(minutes=reply.after), latest)
        if reply.marked and marked_at is None:
            desk.mark_answer(place, expert)
            marked_at = min(visit.at + timedelta(minutes=reply.mark_after), latest)
    return answers, marked_at
