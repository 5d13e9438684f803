"""The Articles pages: search and filter the knowledge base, open an article (its Markdown rendered, phrasings,
keywords, history), edit it with a server-side preview, save (refused when it changed since it was opened),
archive and restore. Every change goes through the Desk's use cases (handlers/articles.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from bot.web import console, diff, markdown
from bot.web.console import owner_required
from handlers.articles import LANGS, STATUSES, ArticleEdit, ChangedSince, PersonalData, split_list
from handlers.errors import UserError
from handlers.messages import TEXTS
from knowledge.articles import ArticleFilter, article_history, article_owners, find_articles
from knowledge.model import Article

bp = Blueprint("articles", __name__)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def article_filter(args: MultiDict[str, str]) -> ArticleFilter:
    """The list's query string as a filter; unknown choices are ignored rather than refused."""
    status = args.get("status", "")
    lang = args.get("lang", "")
    return ArticleFilter(text=args.get("q", "").strip()[:200], status=status if status in STATUSES else "",
                         owner=args.get("owner", "").strip(), lang=lang if lang in LANGS else "",
                         due=args.get("due") == "1", page=max(1, _int(args.get("page"), 1)))


@bp.route("/articles")
@owner_required
def index() -> str:
    wanted = article_filter(request.args)
    found = find_articles(console.store(), wanted)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("articles.html", found=found, wanted=wanted, owners=article_owners(console.store()),
                           statuses=STATUSES, langs_=LANGS, query=query, today=date.today().isoformat())


def typed_edit(form: MultiDict[str, str]) -> ArticleEdit:
    """What the owner typed into the form, as the use case takes it."""
    return ArticleEdit(title=form.get("title", ""), body=form.get("body", "").replace("\r\n", "\n"),
                       keywords=split_list(form.get("keywords", "")),
                       questions=split_list(form.get("questions", ""), lines=True), owner=form.get("owner", ""),
                       review_date=form.get("review_date", ""), status=form.get("status", ""),
                       lang=form.get("lang", ""))


def _as_edit(article: Article) -> ArticleEdit:
    return ArticleEdit(article.title, article.body, article.keywords, article.questions, article.owner,
                       article.review_date, article.status, article.lang)


def _found(article_id: str) -> Article:
    article = console.store().article(article_id)
    if article is None:
        abort(404)
    return article


def _page(article: Article, *, form: ArticleEdit | None = None, version: int | None = None, error: str = "",
          preview: bool = False, confirmable: bool = False, changed: bool = False, status: int = 200,
          ) -> tuple[str, int]:
    """The article page: the article as stored, the form (what the owner typed, when given) and its history."""
    shown = form or _as_edit(article)
    extra: dict[str, Any] = {}
    if changed:  # how the owner's text differs from the article as it is now
        extra["changes"] = diff.spans(article.body, shown.body)
    return render_template(
        "article.html", article=article, body=markdown.render(article.body), form=shown,
        version=article.version if version is None else version, error=error,
        overdue=article.status == "validated" and "" < article.review_date < date.today().isoformat(),
        preview=markdown.render(shown.body) if preview else None, confirmable=confirmable, changed=changed,
        history=history_rows(article.id), statuses=STATUSES, langs_=LANGS, **extra,
    ), status


FIELD_LABELS = {"title": "web_field_title", "body": "web_field_body", "keywords": "web_field_keywords",
                "questions": "web_field_questions", "owner": "web_field_owner",
                "review_date": "web_field_review_date", "status": "web_articles_status", "lang": "web_articles_lang"}


def history_rows(article_id: str) -> list[dict[str, str]]:
    """The article's history as the page shows it: when, who, what (in the owner's language where the action
    has a text) and the detail worth reading (version, fields changed, a review's note)."""
    rows = []
    for entry in article_history(console.store(), article_id):
        key = f"web_history_{entry.action}"
        detail = []
        if entry.detail.get("version"):
            detail.append(console.text("web_history_version", version=entry.detail["version"]))
        changed = [c for c in entry.detail.get("changed") or entry.detail.get("fields") or [] if isinstance(c, str)]
        if changed:
            detail.append(", ".join(console.text(FIELD_LABELS[c]) if c in FIELD_LABELS else c for c in changed))
        if entry.detail.get("note"):
            detail.append(str(entry.detail["note"]))
        rows.append({"at": entry.at[:16].replace("T", " "), "actor": entry.actor,
                     "action": console.text(key) if key in TEXTS else entry.action, "detail": " · ".join(detail)})
    return rows


@bp.route("/articles/<article_id>")
@owner_required
def show(article_id: str) -> tuple[str, int]:
    return _page(_found(article_id))


@bp.route("/articles/<article_id>", methods=["POST"])
@owner_required
def save(article_id: str) -> Response | tuple[str, int]:
    """Preview (nothing saved) or save what the owner typed over the version they opened."""
    article = _found(article_id)
    form, version = typed_edit(request.form), _int(request.form.get("version"), -1)
    if request.form.get("action") == "preview":
        return _page(article, form=form, version=version, preview=True)
    try:
        console.desk().save_article(article_id, console.signed_in_owner(), version, form,
                                    confirm_public=request.form.get("confirm_public") == "1")
    except ChangedSince as error:  # show the article as it is now; the form keeps the owner's text
        return _page(error.current, form=form, error=str(error), changed=True, status=409)
    except PersonalData as error:
        return _page(article, form=form, version=version, error=str(error), confirmable=error.confirmable,
                     status=422)
    except UserError as error:
        return _page(article, form=form, version=version, error=str(error), status=422)
    flash(console.text("web_article_saved", title=form.title.strip()), "ok")
    return redirect(url_for("articles.show", article_id=article_id))


def _status_change(article_id: str, archive: bool) -> Response | tuple[str, int]:
    article = _found(article_id)
    version, owner, desk = _int(request.form.get("version"), -1), console.signed_in_owner(), console.desk()
    try:
        if archive:
            done = desk.archive_article(article_id, owner, version)
        else:
            done = desk.restore_article(article_id, owner, version)
    except ChangedSince as error:
        return _page(error.current, error=str(error), status=409)
    except UserError as error:
        return _page(article, error=str(error), status=422)
    key = "web_article_archived" if archive else "web_article_restored"
    flash(console.text(key, title=done.title), "ok")
    return redirect(url_for("articles.show", article_id=article_id))


@bp.route("/articles/<article_id>/archive", methods=["POST"])
@owner_required
def archive(article_id: str) -> Response | tuple[str, int]:
    return _status_change(article_id, archive=True)


@bp.route("/articles/<article_id>/restore", methods=["POST"])
@owner_required
def restore(article_id: str) -> Response | tuple[str, int]:
    return _status_change(article_id, archive=False)
