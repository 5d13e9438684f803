"""Domain objects: plain frozen dataclasses, no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Literal

OUTBOX_ATTEMPTS = 120  # every 30 s: an hour of retries, then the message waits for a person to look
EVENT_ATTEMPTS = 5  # an event that fails this often is set aside ('failed') and logged, not retried forever

Decision = Literal["answer", "suggest", "escalate", "no_question"]
ArticleStatus = Literal["provisional", "validated", "archived", "held"]
# "held": an expert's answer to a question that carried personal data, kept out of search until an owner has
# seen whether it is general; "archived" is out of search for good.
UNSEARCHABLE: tuple[str, ...] = ("archived", "held")


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str = ""
    keywords: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    url: str = ""
    owner: str = ""
    status: ArticleStatus = "validated"
    lang: str = "nl"
    review_date: str = ""
    source: str = ""
    updated_at: str = ""
    version: int = 1  # moves on with every change (set by the store; a save names the version it edited)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    title: str = ""
    department: str = ""
    expertise: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    handles: tuple[tuple[str, str], ...] = ()  # (platform, the platform's id of this person), e.g. ("slack", "U…")

    def handle(self, platform: str) -> str:
        """This person's id on ``platform`` ("" when unknown): what a chat adapter mentions them by."""
        return next((h for p, h in self.handles if p == platform), "")

    def with_handles(self, more: tuple[tuple[str, str], ...]) -> Person:
        """The same person with ``more`` handles; a platform in ``more`` replaces the one held."""
        merged = dict(self.handles) | dict(more)
        return replace(self, handles=tuple(sorted(merged.items())))


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float


@dataclass(frozen=True)
class PersonHit:
    person: Person
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    decision: Decision
    hits: tuple[Hit, ...] = ()
    people: tuple[PersonHit, ...] = ()
    lang: str = "nl"
    small_talk: str = ""  # decision no_question: the kind of small talk (knowledge.smalltalk.PRIORITY)

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


@dataclass(frozen=True)
class Place:
    """Where a message lives on a chat platform, in the platform's own ids.

    ``channel`` is the conversation (Slack channel or DM id, Teams conversation id);
    ``thread`` the root message of a thread, if any; ``message`` one message's id;
    ``extra`` whatever else the adapter needs to reach it again (Teams: the serviceUrl).
    """

    channel: str
    thread: str | None = None
    message: str | None = None
    extra: str = ""


@dataclass(frozen=True)
class User:
    id: str
    name: str = ""
    lang: str | None = None


@dataclass(frozen=True)
class Question:
    id: int
    asker: User
    platform: str
    place: Place
    text: str
    decision: Decision
    article_id: str | None
    created_at: str
    lang: str = "nl"
    status: str = "open"  # open | answered | escalated | resolved
    personal: bool = False  # it carried personal data (masked): one person's case, never joined to another
    urgent: bool = False  # "klant wacht": the customer is on the line


@dataclass(frozen=True)
class Escalation:
    id: int
    question_id: int
    channel: str
    place: Place | None  # the root post in the expert channel, once posted
    status: str  # pending | open | answered | withdrawn (its askers' data was purged or forgotten)
    experts: tuple[str, ...] = ()  # person ids
    tried: tuple[str, ...] = ()  # article ids the bot showed
    created_at: str = ""
    answered_at: str = ""
    answer_id: int | None = None
    urgent: bool = False  # the customer is on the line: a shorter response target
    stage: int = 0  # 0 waiting, 1 experts reminded, 2 asked again in the backup channel
    moves: int = 0  # how often an expert moved it to another expert channel (handlers.reroute)
    routed_at: str = ""  # when it was last moved ("" never): its timers count from then


@dataclass(frozen=True)
class LearnedRoute:
    """What routing learned from an expert: questions with these ``words`` go to ``channel`` first. ``source``:
    "reroute" (an expert moved the escalation there) or "answered" (an answer was marked there where the keyword
    rules would have sent the question elsewhere); ``answered``: an answer was marked in that channel since.
    Undone by an owner: kept (``undone_at``, ``undone_by``) but no longer used."""

    id: int
    words: tuple[str, ...]  # content words of the masked question, as a person reads them
    channel: str
    source: str
    escalation_id: int | None
    learned_by: str
    learned_at: str
    answered: bool = False
    undone_at: str = ""
    undone_by: str = ""


@dataclass(frozen=True)
class ChannelSettings:
    """An expert channel's response target (None: the default) and who or where to turn to when it passes."""

    channel: str
    target_minutes: float | None = None
    backup_experts: tuple[str, ...] = ()  # person ids
    backup_channel: str = ""


@dataclass(frozen=True)
class Answer:
    id: int
    escalation_id: int
    author: User
    text: str
    place: Place
    created_at: str
    accepted: bool = False


@dataclass(frozen=True)
class ReviewItem:
    id: int
    article_id: str
    escalation_id: int | None
    status: str  # pending | approved | rejected | merged
    created_at: str = ""
    decided_by: str = ""
    decided_at: str = ""
    note: str = ""
    flag: str = ""  # why an owner must look closer: "personal" (the question carried personal data)


@dataclass(frozen=True)
class Stats:
    asked: int = 0
    answered_directly: int = 0
    escalated: int = 0
    answered_by_expert: int = 0
    median_minutes_to_answer: float | None = None


_FIELDS: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """``dataclasses.asdict`` for these frozen values (tuples stay tuples), without its deep copies: an event
    and a reply are turned into JSON for every question (asdict was a tenth of a question's time)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _FIELDS.get(kind)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if kind is tuple or kind is list:
        return kind(plain(v) for v in value)
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        _FIELDS[kind] = tuple(f.name for f in fields(value))
        return plain(value)
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})


@dataclass(frozen=True)
class Backlog:
    """What waits, as every process sees it: events not handled yet and messages not sent yet (with the time the
    oldest came in, '' when none waits), what was given up (events set aside after repeated failures, messages
    after OUTBOX_ATTEMPTS tries), and the escalations no marked answer closed yet."""

    events_waiting: int
    oldest_event: str
    events_failed: int
    messages_waiting: int
    oldest_message: str
    messages_given_up: int
    escalations_open: int
