"""Routing in the web console: the open expert questions, each with a control to move it to another expert channel
(the same use case as the chat buttons), and what routing learned, each lesson with an undo. The web console has
no chat: what a move posts waits in the outbox for the chat's serving process (``create_app`` makes the Desk
queue only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from werkzeug.wrappers import Response

from bot.web import console
from bot.web.console import owner_required
from handlers.errors import UserError

bp = Blueprint("routing", __name__)


def _page(error: tuple[int, str] | None = None, status: int = 200) -> tuple[str, int]:
    desk, lang = console.desk(), console.lang()
    open_ = []
    for esc, question in console.store().open_escalations():
        seen, choices = desk.channel_choices(esc.id)
        open_.append({"esc": esc, "question": question, "channel": desk.channel_name(esc.channel, lang),
                      "seen": seen, "choices": choices})
    lessons = [(lesson, desk.learned_line(lesson, lang)) for lesson in console.store().learned_routes()]
    return render_template("routing.html", open=open_, lessons=lessons, error=error), status


@bp.route("/routing")
@owner_required
def page() -> tuple[str, int]:
    return _page()


@bp.route("/routing/escalations/<int:escalation_id>/reroute", methods=["POST"])
@owner_required
def reroute(escalation_id: int) -> Response | tuple[str, int]:
    owner, fields = console.signed_in_owner(), request.form
    try:
        done = console.desk().reroute(escalation_id, fields.get("channel", ""), owner, fields.get("seen", ""))
    except UserError as error:
        return _page((escalation_id, str(error)), 422)
    flash(done.text, "ok")
    return redirect("/routing")


@bp.route("/routing/learned/<int:route_id>/undo", methods=["POST"])
@owner_required
def undo(route_id: int) -> Response | tuple[str, int]:
    try:
        done = console.desk().unlearn(route_id, console.signed_in_owner())
    except UserError as error:
        return _page((0, str(error)), 422)
    flash(done.text, "ok")
    return redirect("/routing")
