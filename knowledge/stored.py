"""Domain objects from stored rows, the same for every storage backend: a row is a dict of plain values (text,
numbers; JSON lists as text) as knowledge/sqlite/ reads it and knowledge/postgres/ hands it over (``plain``).
Also the synonym table both ways, which both backends cache."""

from __future__ import annotations

import json
from typing import Any

from knowledge import text
from knowledge.model import Answer, Article, Escalation, LearnedRoute, Person, Place, Question, ReviewItem, User


def article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"], title=row["title"], body=row["body"], keywords=tuple(json.loads(row["keywords"])),
        questions=tuple(json.loads(row["questions"])), url=row["url"], owner=row["owner"],
        status=row["status"], lang=row["lang"], review_date=row["review_date"], source=row["source"],
        updated_at=row["updated_at"], version=row["version"],
    )


def person(row: dict[str, Any], handles: tuple[tuple[str, str], ...] = ()) -> Person:
    return Person(
        id=row["id"], name=row["name"], title=row["title"], department=row["department"],
        expertise=tuple(json.loads(row["expertise"])), email=row["email"], phone=row["phone"], handles=handles,
    )


def question(r: dict[str, Any]) -> Question:
    return Question(
        id=r["id"], asker=User(r["asker_id"], r["asker_name"]), platform=r["platform"],
        place=Place(r["channel"], r["thread"], r["message"], r["extra"]), text=r["text"],
        decision=r["decision"], article_id=r["article_id"], created_at=r["created_at"], lang=r["lang"],
        status=r["status"], personal=bool(r["personal"]), urgent=bool(r["urgent"]),
    )


def escalation(r: dict[str, Any]) -> Escalation:
    place = Place(r["post_channel"], r["post_thread"], r["post_message"], r["post_extra"]) if r["post_channel"] \
        else None
    return Escalation(
        id=r["id"], question_id=r["question_id"], channel=r["channel"], place=place, status=r["status"],
        experts=tuple(json.loads(r["experts"])), tried=tuple(json.loads(r["tried"])),
        created_at=r["created_at"], answered_at=r["answered_at"], answer_id=r["answer_id"],
        urgent=bool(r["urgent"]), stage=int(r["stage"]), moves=int(r.get("moves") or 0),
        routed_at=str(r.get("routed_at") or ""),
    )


def answer(r: dict[str, Any]) -> Answer:
    return Answer(
        id=r["id"], escalation_id=r["escalation_id"], author=User(r["author_id"], r["author_name"]),
        text=r["text"], place=Place(r["channel"], r["thread"], r["message"]), created_at=r["created_at"],
        accepted=bool(r["accepted"]),
    )


def review(r: dict[str, Any]) -> ReviewItem:
    return ReviewItem(
        id=r["id"], article_id=r["article_id"], escalation_id=r["escalation_id"], status=r["status"],
        created_at=r["created_at"], decided_by=r["decided_by"], decided_at=r["decided_at"], note=r["note"],
        flag=r["flag"],
    )


def feedback(r: dict[str, Any]) -> tuple[str, str, bool]:
    """A question agents judged, from an audit row joined to its question (text, action, detail): (question text,
    the article judged or '', whether it helped). A suggestion picked ('chose') is that article helping."""
    detail = json.loads(r["detail"] or "{}")
    return r["text"], detail.get("article") or "", r["action"] == "chose" or bool(detail.get("helpful"))


def both_ways(synonyms: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Each term's synonyms and each synonym's terms, keyed folded: 'paspoort' -> ('reisdocument',) and back."""
    both: dict[str, set[str]] = {}
    for term, syns in synonyms.items():
        for s in syns:
            both.setdefault(text.fold(term), set()).add(s)
            both.setdefault(text.fold(s), set()).add(term)
    return {k: tuple(sorted(v)) for k, v in both.items()}


def learned_route(r: dict[str, Any]) -> LearnedRoute:
    return LearnedRoute(
        id=int(r["id"]), words=tuple(json.loads(r["words"])), channel=r["channel"], source=r["source"],
        escalation_id=r["escalation_id"], learned_by=r["learned_by"], learned_at=str(r["learned_at"] or ""),
        answered=bool(r["answered"]), undone_at=str(r["undone_at"] or ""), undone_by=r["undone_by"],
    )
