"""What ``vraagbaak demo`` puts in, and what a second run leaves alone.

The demo is a starting point that people then change: an owner edits or archives an article, approves or
rejects an answer, forgets a person, removes a synonym, points a routing rule elsewhere. A second ``vraagbaak
demo`` adds only what the demo never added (after a first run without history, or a newer release's new
articles) and leaves the rest alone: an item that is there is kept whatever was done to it, and one an earlier
run added that is gone now is not brought back. The store remembers what the demo added (``demo_items``), so
"removed since" and "never added" can be told apart (knowledge.sqlite.demo).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from knowledge.articles import CONTENT
from knowledge.model import Article, Person

KINDS = ("articles", "people", "routes", "synonyms")
PLAYED = "played"  # the history's one item


class Loadable(Protocol):
    def transaction(self) -> AbstractContextManager[object]: ...
    def demo_items(self) -> dict[str, set[str]]: ...
    def remember_demo(self, kind: str, items: Iterable[str]) -> None: ...
    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...
    def routes(self) -> list[tuple[str, str]]: ...
    def synonyms(self) -> dict[str, list[str]]: ...
    def upsert_articles(self, articles: Iterable[Article]) -> int: ...
    def upsert_people(self, people: Iterable[Person]) -> int: ...
    def set_routes(self, routes: Iterable[tuple[str, str]]) -> int: ...
    def add_synonyms(self, term: str, synonyms: Iterable[str]) -> None: ...


@dataclass(frozen=True)
class DemoData:
    """The demo municipality as shipped (``knowledge/demo/`` and ``knowledge/synonyms.csv``)."""

    articles: Sequence[Article]
    people: Sequence[Person]
    routes: Sequence[tuple[str, str]]
    synonyms: Sequence[tuple[str, Sequence[str]]]  # each row: a term and its synonyms


@dataclass(frozen=True)
class DemoLoad:
    """What one run did, per kind: ``added`` (never there before), ``kept`` (there already: left as it is;
    ``changed`` of the kept articles differ from the demo's text) and ``left_out`` (an earlier run added it and
    it was removed since: not brought back). Synonyms count rows of the demo's list; ``left_out`` counts single
    synonyms. ``first``: nothing of the demo was there before."""

    added: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    first: bool = True


def _key(*parts: str) -> str:
    return "\t".join(p.strip().lower() for p in parts)


def load(store: Loadable, data: DemoData) -> DemoLoad:
    """Add what of ``data`` the demo never added; leave what is there, and what was removed since, alone.
    One transaction: what is added and what is remembered go together."""
    with store.transaction():
        before = store.demo_items()
        present = {a.id: a for a in store.articles([a.id for a in data.articles])}
        # A database the demo filled before it kept a record (articles are archived, never deleted): whatever of
        # the demo is missing there was removed by a person.
        legacy = not any(before.values()) and bool(present)

        def removed(kind: str, item: str) -> bool:
            return legacy or item in before.get(kind, set())

        added: dict[str, int] = {}
        kept: dict[str, int] = {}
        left_out: dict[str, int] = {}

        new_articles = [a for a in data.articles if a.id not in present and not removed("articles", a.id)]
        if new_articles:
            store.upsert_articles(new_articles)
        changed = sum(1 for a in data.articles if a.id in present and _differs(present[a.id], a))
        _count(added, kept, left_out, "articles", len(new_articles), len(present), len(data.articles))

        there = {p.id for p in store.people([p.id for p in data.people])}
        new_people = [p for p in data.people if p.id not in there and not removed("people", p.id)]
        if new_people:
            store.upsert_people(new_people)
        _count(added, kept, left_out, "people", len(new_people), len(there), len(data.people))

        routed = {_key(keyword) for keyword, _ in store.routes()}
        new_routes = [(k, c) for k, c in data.routes if _key(k) not in routed and not removed("routes", _key(k))]
        if new_routes:
            store.set_routes(new_routes)
        _count(added, kept, left_out, "routes", len(new_routes), sum(_key(k) in routed for k, _ in data.routes),
               len(data.routes))

        known = {_key(term, s) for term, synonyms in store.synonyms().items() for s in synonyms}
        rows_added = rows_kept = gone = 0
        for term, synonyms in data.synonyms:
            fresh = [s for s in synonyms if _key(term, s) not in known and not removed("synonyms", _key(term, s))]
            gone += sum(_key(term, s) not in known and removed("synonyms", _key(term, s)) for s in synonyms)
            if fresh:
                store.add_synonyms(term, fresh)
                rows_added += 1
            elif any(_key(term, s) in known for s in synonyms):
                rows_kept += 1
        added["synonyms"], kept["synonyms"], left_out["synonyms"] = rows_added, rows_kept, gone

        store.remember_demo("articles", [a.id for a in data.articles])
        store.remember_demo("people", [p.id for p in data.people])
        store.remember_demo("routes", [_key(k) for k, _ in data.routes])
        store.remember_demo("synonyms", [_key(term, s) for term, synonyms in data.synonyms for s in synonyms])
    return DemoLoad(added, kept, left_out, changed, first=not any(before.values()) and not present)


def _count(added: dict[str, int], kept: dict[str, int], left_out: dict[str, int], kind: str, new: int, there: int,
           total: int) -> None:
    added[kind], kept[kind], left_out[kind] = new, there, total - new - there


def _differs(stored: Article, shipped: Article) -> bool:
    """Whether a person changed ``stored`` since the demo put ``shipped`` in (text, status, owner, ...)."""
    return any(getattr(stored, name) != getattr(shipped, name) for name in CONTENT)
