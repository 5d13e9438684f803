"""Curation: answers logged back as provisional articles, the owners' review, the home view and numbers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from handlers import cards
from handlers.errors import UserError
from handlers.messages import TEXTS, t
from handlers.replies import Line, Message
from knowledge.model import Answer, Article, Escalation, Question, ReviewItem, Stats, User
from knowledge.privacy import has_placeholder

if TYPE_CHECKING:
    from handlers.ports import Search, Store

REVIEW_AFTER_DAYS = 365
STALE_SHOWN = 5  # overdue articles listed on an owner's home
SIMILAR_SHOWN = 8  # articles search finds for an answer under review (the page shows those close enough)


@dataclass(frozen=True)
class ReviewCase:
    """One pending answer with what an owner needs to judge it: the question it came from, the thread it was
    marked in (its channel and the experts' replies, masked as stored) and the closest existing articles."""

    item: ReviewItem
    article: Article
    question: Question | None
    channel: str
    replies: tuple[Answer, ...]
    marked: int | None  # the id of the reply marked as the answer
    similar: tuple[Article, ...]


def _lines(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


class Curation:
    store: Store
    searcher: Search
    owners: frozenset[str]

    def lang_of(self, user: User, question: str = "") -> str:  # pragma: no cover - Desk overrides
        raise NotImplementedError

    def channel_name(self, channel: str, lang: str | None = None) -> str:  # pragma: no cover - Desk overrides
        raise NotImplementedError

    def log_answer(self, esc: Escalation, first: Question, waiting: list[Question], answer: Answer) -> Article:
        """Write the expert's answer back as a provisional article with the askers' phrasings, for review.
        An answer to a question that carried personal data (or that carries some itself) is about one person's
        case: it is held out of search, flagged, until an owner has seen whether it is general."""
        phrasings = tuple(dict.fromkeys(q.text for q in waiting if q.text))
        personal = any(q.personal for q in [first, *waiting]) or has_placeholder(answer.text)
        article = Article(
            id=f"vb-{esc.id}", title=first.text[:160], body=answer.text, questions=phrasings,
            status="held" if personal else "provisional", lang=first.lang, owner="",
            source=f"{answer.author.name or answer.author.id} ({self.channel_name(esc.channel, first.lang)})",
        )
        self.store.upsert_articles([article])
        self.store.add_review(article.id, esc.id, flag="personal" if personal else "")
        self.store.audit(answer.author.id, "log_article", article.id, escalation=esc.id, held=personal)
        return article

    def is_owner(self, user: User) -> bool:
        return user.id in self.owners

    def require_owner(self, by: User) -> str:
        """The owner's language; UserError (in it) for anyone who is not a knowledge owner."""
        return self._owner(by)

    def _owner(self, by: User) -> str:
        lang = self.lang_of(by)
        if not self.is_owner(by):
            raise UserError(t("owners_only", lang))
        return lang

    def review_item(self, review_id: int, lang: str | None = None) -> tuple[ReviewItem, Article]:
        item = self.store.review(int(review_id))
        article = self.store.article(item.article_id) if item else None
        if item is None or article is None:
            raise UserError(t("unknown_review", lang, id=review_id))
        return item, article

    def _pending(self, review_id: int, by: User) -> tuple[ReviewItem, Article, str]:
        lang = self._owner(by)
        item, article = self.review_item(review_id, lang)
        if item.status != "pending":
            status = t(f"review_{item.status}", lang) if f"review_{item.status}" in TEXTS else item.status
            raise UserError(t("review_done", lang, status=status))
        return item, article, lang

    def review_queue(self, by: User) -> Message:
        lang = self._owner(by)
        return cards.review_card(self._queue_items(), lang)

    def _queue_items(self) -> list[tuple[ReviewItem, Article, str]]:
        items = []
        for item in self.store.pending_reviews():
            article = self.store.article(item.article_id)
            if article:
                items.append((item, article, article.questions[0] if article.questions else article.title))
        return items

    def _decide(self, item: ReviewItem, status: str, by: User, note: str = "") -> None:
        self.store.decide_review(item.id, status, by.id, note)
        self.store.audit(by.id, f"review_{status}", item.article_id, review=item.id, note=note)

    def approve(self, review_id: int, by: User) -> Message:
        item, article, lang = self._pending(review_id, by)
        self.store.upsert_articles([self._validated(article, by)])
        self._decide(item, "approved", by)
        return Message(text=t("approved", lang, title=article.title))

    def edit(self, review_id: int, by: User, title: str, body: str, *, keywords: Sequence[str] | None = None,
             questions: Sequence[str] | None = None, owner: str | None = None,
             review_date: str | None = None) -> Message:
        """Save the owner's title and text (and, from a form, keywords, phrasings, owner and review date; None
        keeps what is there) and approve. The text is required: an edit without it would approve the expert's
        answer unseen, so it is asked for instead."""
        item, article, lang = self._pending(review_id, by)
        if not body.strip():
            raise UserError(t("edit_needs_body", lang, id=item.id))
        validated = self._validated(article, by)
        edited = replace(validated, title=title.strip() or article.title, body=body.strip(),
                         keywords=_lines(keywords) if keywords is not None else article.keywords,
                         questions=_lines(questions) if questions is not None else article.questions,
                         owner=(owner or "").strip() or validated.owner,
                         review_date=self._review_date(review_date, lang) or validated.review_date)
        self.store.upsert_articles([edited])
        self._decide(item, "approved", by, note="edited")
        changed = [f for f in ("title", "body", "keywords", "questions", "owner", "review_date")
                   if getattr(edited, f) != getattr(article, f)]
        self.store.audit(by.id, "edit_article", edited.id, review=item.id, fields=changed)
        said = t("edited", lang, title=edited.title)
        changed = [t("edited_title_was", lang, title=article.title)] if edited.title != article.title else []
        if edited.body != article.body:
            changed.append(t("edited_body_was", lang, body=article.body[:300]))
        return Message(text="\n".join([said, *changed]),
                       lines=(Line("text", said), *(Line("context", c) for c in changed)))

    def preview_edit(self, review_id: int, by: User, title: str, body: str, confirm: str) -> Message:
        """What an edit would change, before anything is approved (where the owner typed it blind: the console
        and the command line; a form shows the text it edits). ``confirm``: how to go ahead."""
        item, article, lang = self._pending(review_id, by)
        if not body.strip():
            raise UserError(t("edit_needs_body", lang, id=item.id))
        new_title = title.strip() or article.title
        lines = [Line("title", t("edit_preview", lang, id=item.id))]
        if new_title != article.title:
            lines += [Line("context", t("edited_title_was", lang, title=article.title)),
                      Line("text", t("edit_title_becomes", lang, title=new_title))]
        lines += [Line("context", t("edited_body_was", lang, body=article.body)),
                  Line("text", t("edit_body_becomes", lang, body=body.strip())),
                  Line("warning", t("edit_confirm", lang, how=confirm))]
        return Message(text="\n".join(line.text for line in lines), lines=tuple(lines))

    @staticmethod
    def _review_date(value: str | None, lang: str) -> str:
        """``value`` as an ISO date ("" when empty); UserError when it is no date."""
        if not value or not value.strip():
            return ""
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise UserError(t("bad_review_date", lang, value=value.strip())) from None

    def create_article(self, by: User, title: str, body: str, *, questions: Sequence[str] = (),
                       keywords: Sequence[str] = (), owner: str = "", review_date: str = "",
                       lang: str | None = None) -> Article:
        """A new validated article written by an owner (e.g. from a knowledge gap), with its phrasings, owner
        and review date (default: a year from today); audited."""
        said = self._owner(by)
        if not title.strip() or not body.strip():
            raise UserError(t("create_needs_title_body", said))
        slug = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:40].strip("-") or "artikel"
        article = self._validated(Article(
            id=f"kb-{slug}-{secrets.token_hex(3)}", title=title.strip(), body=body.strip(),
            keywords=_lines(keywords), questions=_lines(questions), owner=owner.strip(),
            lang=lang or said, source=by.name or by.id), by)
        article = replace(article, review_date=self._review_date(review_date, said) or article.review_date)
        self.store.upsert_articles([article])
        self.store.audit(by.id, "create_article", article.id, title=article.title)
        return article

    def review_cases(self, by: User, limit: int = 50) -> list[ReviewCase]:
        """The pending answers (oldest first, at most ``limit``), each with its question, thread and the
        closest existing articles."""
        self._owner(by)
        cases = []
        for item in self.store.pending_reviews()[:limit]:
            article = self.store.article(item.article_id)
            if article is None:
                continue
            esc = self.store.escalation(item.escalation_id) if item.escalation_id is not None else None
            question = self.store.question(esc.question_id) if esc else None
            cases.append(ReviewCase(
                item=item, article=article, question=question,
                channel=self.channel_name(esc.channel, by.lang) if esc else "",
                replies=tuple(self.store.answers(esc.id)) if esc else (),
                marked=esc.answer_id if esc else None,
                similar=tuple(self._like(article)[:SIMILAR_SHOWN])))
        return cases

    def _validated(self, article: Article, by: User) -> Article:
        review = (date.today() + timedelta(days=REVIEW_AFTER_DAYS)).isoformat()
        return replace(article, status="validated", owner=article.owner or by.name or by.id, review_date=review,
                       updated_at="")

    def merge_candidates(self, review_id: int) -> list[Article]:
        _, article = self.review_item(review_id)
        candidates = self._like(article)
        if not candidates:
            raise UserError(t("nothing_to_merge", None))
        return candidates[:5]

    def _like(self, article: Article, limit: int = 8) -> list[Article]:
        """Articles search finds for ``article``'s title, first phrasings and opening: what it could merge into."""
        about = " ".join([article.title, *article.questions[:2], article.body[:300]])
        found = self.searcher.search(about, limit=limit, people=False)
        return [h.article for h in found.hits if h.article.id != article.id and h.article.status != "archived"]

    def merge(self, review_id: int, into_article_id: str, by: User, force: bool = False) -> Message:
        """Add the answer's phrasings to an existing article and archive the answer. An article search does not
        find for it (an unrelated one: a typo in the id, say) is refused with both shown, unless ``force``."""
        item, article, lang = self._pending(review_id, by)
        target = self.store.article(into_article_id)
        if target is None or target.id == article.id:
            raise UserError(t("unknown_article", lang, id=into_article_id))
        if not force and target.id not in {a.id for a in self._like(article, limit=24)}:
            raise UserError(t("merge_unrelated", lang, answer=article.title, target=target.title, id=review_id,
                              into=target.id))
        phrasings = tuple(dict.fromkeys([*target.questions, *article.questions]))
        self.store.upsert_articles([replace(target, questions=phrasings, updated_at=""),
                                    replace(article, status="archived", updated_at="")])
        self._decide(item, "merged", by, note=f"into {target.id}")
        return Message(text=t("merged", lang, title=target.title))

    def reject(self, review_id: int, by: User, note: str = "") -> Message:
        item, article, lang = self._pending(review_id, by)
        self.store.upsert_articles([replace(article, status="archived", updated_at="")])
        self._decide(item, "rejected", by, note)
        return Message(text=t("rejected", lang, title=article.title))

    # --- home and numbers -----------------------------------------------------------------
    def stats(self, days: int = 7) -> Stats:
        return self.store.stats(days)

    def home(self, user: User) -> Message:
        lang = self.lang_of(user)
        lines: list[Line] = [Line("title", t("home_title", lang)), Line("text", t("home_open", lang))]
        mine = self.store.open_questions(user.id)
        lines += [Line("context", f"{q.created_at[:16].replace('T', ' ')} · {q.text[:200]}") for q in mine] or [
            Line("context", t("home_open_none", lang))]
        s = self.stats()
        median = (t("minutes", lang, n=s.median_minutes_to_answer) if s.median_minutes_to_answer is not None
                  else t("none", lang))
        numbers = t("home_stats", lang, asked=s.asked, direct=s.answered_directly, escalated=s.escalated,
                    median=median)
        lines += [Line("divider"), Line("text", numbers)]
        text = "\n".join(x.text for x in lines if x.text)
        if self.is_owner(user):
            queue = cards.review_card(self._queue_items(), lang)
            lines += [Line("divider"), *queue.lines]
            text += "\n" + queue.text
            stale = self.stale_articles()
            if stale:
                due = [Line("title", t("stale_title", lang, count=len(stale)))]
                due += [Line("context", f"{a.review_date} · {a.title} ({a.owner or '-'})", url=a.url)
                        for a in stale[:STALE_SHOWN]]
                lines += [Line("divider"), *due]
                text += "\n" + "\n".join(line.text for line in due)
        return Message(text=text, lines=tuple(lines))

    def stale_articles(self) -> list[Article]:
        """Validated articles past their review date, the longest overdue first."""
        return self.store.overdue_articles()
