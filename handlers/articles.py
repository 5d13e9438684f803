"""Articles and people as knowledge owners keep them: save an edit (refused when the article changed since the
owner opened it: a version number, checked by the database), archive and restore, a person's expertise.

Owners only; every change is written to the audit log with who made it. Personal data an owner types into an
article is refused, not masked: masking would silently turn a sentence into "[TELEFOON]" in published
knowledge, while a refusal keeps the owner's text in the form to fix. Only data that is new in the edit counts
(an article may carry the organisation's own contact details already), and the owner may confirm that new
details are the organisation's public ones (a general phone number or address); a BSN is never accepted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, get_args

from handlers.errors import UserError
from handlers.messages import t
from knowledge.model import Article, ArticleStatus, Person, User
from knowledge.privacy import found_values

if TYPE_CHECKING:
    from handlers.ports import Store

STATUSES: tuple[str, ...] = get_args(ArticleStatus)
LANGS = ("nl", "en")
NEVER_PUBLIC = ("bsn",)  # personal data no confirmation lets into an article
MAX_TITLE = 300
MAX_EXPERTISE = 40  # items
MAX_EXPERTISE_ITEM = 80  # characters
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EDITED = ("title", "body", "keywords", "questions", "owner", "review_date", "status", "lang")


@dataclass(frozen=True)
class ArticleEdit:
    """What an owner typed into an article's form."""

    title: str
    body: str
    keywords: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    owner: str = ""
    review_date: str = ""
    status: str = "validated"
    lang: str = "nl"


def split_list(text: str, *, lines: bool = False) -> tuple[str, ...]:
    """Items typed in one box: one per line (``lines``), else separated by commas, semicolons or lines;
    trimmed, empty ones and repeats left out."""
    parts = text.splitlines() if lines else re.split(r"[,;\n]", text)
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


class ChangedSince(UserError):
    """The article moved on since the owner opened it: nothing was saved. Carries the article as it is now and
    what the owner typed, so a form can show both and nothing is lost."""

    def __init__(self, message: str, current: Article, typed: ArticleEdit) -> None:
        super().__init__(message)
        self.current = current
        self.typed = typed


class PersonalData(UserError):
    """New personal data in an edit: nothing was saved. ``confirmable``: the owner may confirm it is the
    organisation's own public details (not for a BSN)."""

    def __init__(self, message: str, kinds: tuple[str, ...], confirmable: bool) -> None:
        super().__init__(message)
        self.kinds = kinds
        self.confirmable = confirmable


class ArticleEditing:
    store: Store

    def require_owner(self, by: User) -> str:  # pragma: no cover - Curation provides it
        raise NotImplementedError

    def _article(self, article_id: str, lang: str) -> Article:
        found = self.store.article(article_id)
        if found is None:
            raise UserError(t("unknown_article", lang, id=article_id))
        return found

    def save_article(self, article_id: str, by: User, expected_version: int, edit: ArticleEdit,
                     confirm_public: bool = False) -> Article:
        """Save what the owner typed over the version they opened (``expected_version``). Refused with
        ``ChangedSince`` when another change came first, ``PersonalData`` for new personal data, a UserError
        for what is not valid; nothing is written then."""
        lang = self.require_owner(by)
        current = self._article(article_id, lang)
        clean = _checked(edit, lang)
        wanted = replace(current, title=clean.title, body=clean.body, keywords=clean.keywords,
                         questions=clean.questions, owner=clean.owner, review_date=clean.review_date,
                         status=clean.status, lang=clean.lang, updated_at="")  # type: ignore[arg-type]
        changed = [name for name in EDITED if getattr(wanted, name) != getattr(current, name)]
        if not changed and expected_version == current.version:
            return current
        confirmed = _new_personal(current, wanted, lang, confirm_public)
        with self.store.transaction():
            saved = self.store.save_article(wanted, expected_version)
            if saved is None:
                raise self._changed(article_id, lang, clean)
            detail: dict[str, object] = {"version": saved.version, "changed": changed}
            if confirmed:
                detail["public_details"] = list(confirmed)
            self.store.audit(by.id, "article_saved", article_id, **detail)
        return saved

    def _changed(self, article_id: str, lang: str, typed: ArticleEdit) -> ChangedSince:
        now = self._article(article_id, lang)
        last = next(iter(self.store.article_history(article_id, limit=1)), None)
        return ChangedSince(t("article_changed", lang, version=now.version, by=last.actor if last else "-",
                              at=(last.at if last else now.updated_at)[:16].replace("T", " ")), now, typed)

    def archive_article(self, article_id: str, by: User, expected_version: int) -> Article:
        """Take an article out of search for good (restorable); remembers its status for ``restore_article``."""
        lang = self.require_owner(by)
        current = self._article(article_id, lang)
        if current.status == "archived":
            raise UserError(t("article_already_archived", lang, title=current.title))
        return self._set_status(current, "archived", by, expected_version, lang, was=current.status)

    def restore_article(self, article_id: str, by: User, expected_version: int) -> Article:
        """Bring an archived article back with the status it had (provisional when that is not known: an
        answer a review rejected or merged goes back to being checked, not straight into search)."""
        lang = self.require_owner(by)
        current = self._article(article_id, lang)
        if current.status != "archived":
            raise UserError(t("article_not_archived", lang, title=current.title))
        archived = next((e for e in self.store.article_history(article_id) if e.action == "article_archived"), None)
        was = str(archived.detail.get("was", "")) if archived else ""
        return self._set_status(current, was if was in STATUSES and was != "archived" else "provisional", by,
                                expected_version, lang)

    def _set_status(self, current: Article, status: str, by: User, expected_version: int, lang: str,
                    **detail: object) -> Article:
        wanted = replace(current, status=status, updated_at="")  # type: ignore[arg-type]
        typed = ArticleEdit(current.title, current.body, current.keywords, current.questions, current.owner,
                            current.review_date, current.status, current.lang)
        action = "article_archived" if status == "archived" else "article_restored"
        with self.store.transaction():
            saved = self.store.save_article(wanted, expected_version)
            if saved is None:
                raise self._changed(current.id, lang, typed)
            self.store.audit(by.id, action, current.id, version=saved.version, status=status, **detail)
        return saved

    def set_expertise(self, person_id: str, by: User, expertise: Sequence[str]) -> Person:
        """Replace what a person is known to know about (what routing and people search read)."""
        lang = self.require_owner(by)
        items = tuple(dict.fromkeys(e.strip() for e in expertise if e.strip()))
        if len(items) > MAX_EXPERTISE or any(len(e) > MAX_EXPERTISE_ITEM for e in items):
            raise UserError(t("expertise_too_long", lang, items=MAX_EXPERTISE, chars=MAX_EXPERTISE_ITEM))
        if found_values("\n".join(items)):
            raise UserError(t("expertise_personal", lang))
        before = self.store.people([person_id])
        if not before:
            raise UserError(t("unknown_person", lang, id=person_id))
        with self.store.transaction():
            person = self.store.set_expertise(person_id, items)
            if person is None:
                raise UserError(t("unknown_person", lang, id=person_id))
            self.store.audit(by.id, "expertise_set", person_id, expertise=list(items),
                             was=list(before[0].expertise))
        return person


def _checked(edit: ArticleEdit, lang: str) -> ArticleEdit:
    """The edit trimmed, or a UserError naming the first thing that is not valid."""
    title, body, review = edit.title.strip(), edit.body.strip(), edit.review_date.strip()
    if not title:
        raise UserError(t("article_needs_title", lang))
    if len(title) > MAX_TITLE:
        raise UserError(t("article_title_long", lang, max=MAX_TITLE))
    if not body:
        raise UserError(t("article_needs_body", lang))
    if review and not _is_date(review):
        raise UserError(t("article_bad_date", lang, value=review))
    if edit.status not in STATUSES:
        raise UserError(t("article_bad_status", lang, value=edit.status, choices=", ".join(STATUSES)))
    if edit.lang not in LANGS:
        raise UserError(t("article_bad_lang", lang, value=edit.lang, choices=", ".join(LANGS)))
    return ArticleEdit(title=title, body=body, keywords=tuple(dict.fromkeys(k.strip() for k in edit.keywords
                                                                             if k.strip())),
                       questions=tuple(dict.fromkeys(q.strip() for q in edit.questions if q.strip())),
                       owner=edit.owner.strip(), review_date=review, status=edit.status, lang=edit.lang)


def _is_date(value: str) -> bool:
    if not ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _text(a: Article) -> str:
    return "\n".join([a.title, a.body, *a.keywords, *a.questions, a.owner])


def _new_personal(current: Article, wanted: Article, lang: str, confirm_public: bool) -> tuple[str, ...]:
    """The kinds of personal data ``wanted`` adds to ``current``; PersonalData unless the owner confirmed they
    are public details (never for a BSN). Returns the kinds confirmed."""
    new = found_values(_text(wanted)) - found_values(_text(current))
    kinds = tuple(sorted({kind for kind, _ in new}))
    if not kinds:
        return ()
    never = any(k in NEVER_PUBLIC for k in kinds)
    if confirm_public and not never:
        return kinds
    named = ", ".join(t(f"pii_{k}", lang) for k in kinds)
    key = "article_personal_never" if never else "article_personal"
    raise PersonalData(t(key, lang, kinds=named), kinds, confirmable=not never)
