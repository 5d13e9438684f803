"""Neutral replies: what a person sees, before an adapter turns it into Block Kit or an Adaptive Card.

Handlers build these with the wording from ``handlers.messages``; adapters only translate them.
Text is plain text: adapters escape it for their platform (so a relayed ``<!channel>`` stays inert).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from knowledge.model import Person

LineKind = Literal["title", "text", "quote", "context", "warning", "people", "divider", "actions"]


class Action:
    """Button action ids, shared by every adapter (Slack ``action_id``, Teams ``value.action``)."""

    HELPFUL = "vb_helpful"
    NOT_HELPFUL = "vb_not_helpful"
    ESCALATE = "vb_escalate"
    MARK_ANSWER = "vb_mark_answer"
    APPROVE = "vb_approve"
    EDIT = "vb_edit"
    MERGE = "vb_merge"
    REJECT = "vb_reject"
    URGENT = "vb_urgent"  # "klant wacht": the customer is on the line
    READ = "vb_read"  # show a whole article ("question id:article id")
    REROUTE = "vb_reroute"  # move an escalation to another expert channel (field "channel"; without it: a form)
    UNLEARN = "vb_unlearn"  # an owner undoes what routing learned (a learned route's id)

    ALL = (HELPFUL, NOT_HELPFUL, ESCALATE, MARK_ANSWER, APPROVE, EDIT, MERGE, REJECT, URGENT, READ, REROUTE,
           UNLEARN)


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str
    style: Literal["", "primary", "danger"] = ""


@dataclass(frozen=True)
class Line:
    """One block of a message.

    ``title``: a heading, linked to ``url`` when set; ``text``: a paragraph; ``quote``: quoted user
    text; ``context``: small print (source, owner, freshness); ``warning``: shown so it stands out;
    ``people``: mentions of ``people`` after ``text`` (adapters mention them by platform id when
    known, else by name); ``divider``: a rule; ``actions``: a row of ``buttons`` that belongs to the
    lines just above it (one per item in a list, e.g. the review queue).
    """

    kind: LineKind
    text: str = ""
    url: str = ""
    people: tuple[Person, ...] = ()
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Message:
    """``text`` is the plain-text whole (notifications, fallback, console); ``buttons`` act on the
    whole message and come last."""

    text: str
    lines: tuple[Line, ...] = ()
    buttons: tuple[Button, ...] = ()


def message_from_dict(data: dict[str, Any]) -> Message:
    """The inverse of ``dataclasses.asdict(message)`` (the outbox stores messages as JSON)."""

    def person(p: dict[str, Any]) -> Person:
        p = dict(p)
        # messages queued before handles had their own table carry slack_id and teams_id
        legacy = tuple((k.removesuffix("_id"), p.pop(k)) for k in ("slack_id", "teams_id") if p.get(k))
        p.pop("slack_id", None)
        p.pop("teams_id", None)
        handles = tuple(tuple(h) for h in p.pop("handles", ())) or legacy
        return Person(**{**p, "expertise": tuple(p.get("expertise", ())), "handles": handles})

    def button(b: dict[str, Any]) -> Button:
        return Button(**b)

    lines = tuple(
        Line(kind=line["kind"], text=line.get("text", ""), url=line.get("url", ""),
             people=tuple(person(p) for p in line.get("people", ())),
             buttons=tuple(button(b) for b in line.get("buttons", ())))
        for line in data.get("lines", ())
    )
    return Message(text=data["text"], lines=lines, buttons=tuple(button(b) for b in data.get("buttons", ())))
