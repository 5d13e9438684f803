"""Sign-in with a one-time link (``vraagbaak web-login NAME``), sign-out and the language switch."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from werkzeug.wrappers import Response

from bot.config import LANGS
from bot.web import console
from bot.web.security import RateLimit, safe_next
from knowledge import weblogin

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)


def _limit() -> RateLimit:
    limit: RateLimit = current_app.extensions["vraagbaak_signin_limit"]
    return limit


@bp.route("/login", methods=["GET"])
def login() -> str | Response:
    """Without a token: how to get a sign-in link. With one: a button that signs in (a link preview that
    fetches the page does not use the token up)."""
    token = request.args.get("token", "")
    if token and not _limit().allow(request.remote_addr or "?"):
        abort(429)
    if not token and console.owner() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", token=token, next=safe_next(request.args.get("next")))


@bp.route("/login", methods=["POST"])
def login_post() -> str | Response | tuple[str, int]:
    if not _limit().allow(request.remote_addr or "?"):
        abort(429)
    target = safe_next(request.form.get("next"))
    owner_id = weblogin.redeem(console.store(), request.form.get("token", ""))
    match = next((o for o in console.owners() if o.id == owner_id), None) if owner_id else None
    if match is None:
        log.info("web console: a sign-in with an unknown, used or expired link was refused")
        return render_template("login.html", token="", next=target, refused=True), 403
    lang = session.get("lang")
    session.clear()  # a fresh session (and CSRF token) for the signed-in owner
    session.permanent = True
    session["owner"] = match.id
    session["since"] = datetime.now(UTC).isoformat()
    if lang in LANGS:
        session["lang"] = lang
    console.store().audit(match.id, "web_sign_in", match.id)
    return redirect(target)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    who = session.get("owner")
    session.clear()
    if isinstance(who, str) and who:
        console.store().audit(who, "web_sign_out", who)
    return redirect("/login")


@bp.route("/lang", methods=["POST"])
def language() -> Response:
    chosen = request.form.get("lang", "")
    if chosen in LANGS:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next")))
