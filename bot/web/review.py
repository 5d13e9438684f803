"""The review queue: each pending answer with its verdict (new, repeats, adds to or contradicts an article:
knowledge/compare.py), and on demand its question, thread and a passage-by-passage comparison with the close
articles; approve, edit, merge or reject through the same use cases the chat adapters call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request
from werkzeug.wrappers import Response

from bot.web import console
from bot.web.console import owner_required
from handlers.curate import ReviewCase
from handlers.errors import UserError
from handlers.replies import Message
from knowledge import compare

bp = Blueprint("review", __name__)


def split_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def split_commas(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def _page(errors: dict[int, str] | None = None, forms: dict[int, dict[str, str]] | None = None,
          status: int = 200) -> tuple[str, int]:
    owner = console.signed_in_owner()
    cases = console.desk().review_cases(owner)
    return render_template("review.html", cases=cases, compared=compared(cases), errors=errors or {},
                           forms=forms or {}), status


def compared(cases: list[ReviewCase]) -> dict[int, compare.Review]:
    """Per review id: the answer against the articles search found for it, words weighted by their rarity in
    the knowledge base (as the cut-off was measured: benchmarks/compare_cutoff.py)."""
    vocabulary = getattr(getattr(console.search(), "queries", None), "vocabulary", None)
    if vocabulary is not None:
        vocabulary.refresh()
    out = {}
    for case in cases:
        lang = case.article.lang
        weight = (lambda stem, lang=lang: vocabulary.idf(stem, lang)) if vocabulary is not None else compare.unweighted
        out[case.item.id] = compare.review(case.article.body, case.similar, lang, weight, case.article.title)
    return out


@bp.route("/reviews")
@owner_required
def queue() -> tuple[str, int]:
    return _page()


def _act(review_id: int, action: Callable[[], Message | Any]) -> Response | tuple[str, int]:
    """Run a use case; an expected error shows on the page with the owner's input kept."""
    try:
        done = action()
    except UserError as error:
        return _page({review_id: str(error)}, {review_id: request.form.to_dict()}, 422)
    flash(done.text.splitlines()[0] if isinstance(done, Message) and done.text else console.text("web_done"), "ok")
    return redirect("/reviews")


@bp.route("/reviews/<int:review_id>/approve", methods=["POST"])
@owner_required
def approve(review_id: int) -> Response | tuple[str, int]:
    owner = console.signed_in_owner()
    return _act(review_id, lambda: console.desk().approve(review_id, owner))


@bp.route("/reviews/<int:review_id>/edit", methods=["POST"])
@owner_required
def edit(review_id: int) -> Response | tuple[str, int]:
    owner, form = console.signed_in_owner(), request.form
    return _act(review_id, lambda: console.desk().edit(
        review_id, owner, form.get("title", ""), form.get("body", ""),
        keywords=split_commas(form.get("keywords", "")), questions=split_lines(form.get("questions", "")),
        owner=form.get("owner", ""), review_date=form.get("review_date", "")))


@bp.route("/reviews/<int:review_id>/merge", methods=["POST"])
@owner_required
def merge(review_id: int) -> Response | tuple[str, int]:
    owner, form = console.signed_in_owner(), request.form
    into = form.get("into_other", "").strip() or form.get("into", "").strip()
    return _act(review_id, lambda: console.desk().merge(review_id, into, owner, force=form.get("force") == "1"))


@bp.route("/reviews/<int:review_id>/reject", methods=["POST"])
@owner_required
def reject(review_id: int) -> Response | tuple[str, int]:
    owner = console.signed_in_owner()
    return _act(review_id, lambda: console.desk().reject(review_id, owner, request.form.get("note", "").strip()))
