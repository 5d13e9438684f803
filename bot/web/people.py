"""The People pages: the directory with each person's expertise and who answered what (replies in expert
threads, marked answers, channels, last answer; ``knowledge.experts``), and the authors of replies the directory
does not know; one person's answers, and their expertise edited through the Desk's use case (audited)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.web import console
from bot.web.console import owner_required
from handlers.articles import split_list
from handlers.errors import UserError
from knowledge.experts import Expert, answers_of, experts

bp = Blueprint("people", __name__)


def _matches(expert: Expert, words: list[str]) -> bool:
    about = " ".join([expert.name, expert.title, expert.department, *expert.expertise]).casefold()
    return all(w in about for w in words)


@bp.route("/people")
@owner_required
def index() -> str:
    wanted = request.args.get("q", "").strip()[:200]
    words = wanted.casefold().split()
    listed, unlisted = experts(console.store())
    return render_template("people.html", records=[e for e in listed if _matches(e, words)],
                           unlisted=unlisted if not words else (), wanted=wanted)


def _page(person_id: str, *, error: str = "", typed: str | None = None, status: int = 200) -> tuple[str, int]:
    record = next((e for e in experts(console.store())[0] if e.person_id == person_id), None)
    found = console.store().people([person_id])
    if record is None or not found:
        abort(404)
    expertise = ", ".join(record.expertise) if typed is None else typed
    return render_template("person.html", record=record, person=found[0],
                           answers=answers_of(console.store(), person_id), expertise=expertise, error=error), status


@bp.route("/people/<person_id>")
@owner_required
def show(person_id: str) -> tuple[str, int]:
    return _page(person_id)


@bp.route("/people/<person_id>/expertise", methods=["POST"])
@owner_required
def expertise(person_id: str) -> Response | tuple[str, int]:
    typed = request.form.get("expertise", "")
    try:
        person = console.desk().set_expertise(person_id, console.signed_in_owner(), split_list(typed))
    except UserError as error:
        return _page(person_id, error=str(error), typed=typed, status=422)
    flash(console.text("web_people_expertise_saved", name=person.name), "ok")
    return redirect(url_for("people.show", person_id=person_id))
