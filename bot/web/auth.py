"""Sign-in with a one-time link (``vraagbaak web-login NAME``) or single sign-on, sign-out (here or everywhere)
and the language switch. A session lives in the database (knowledge.weblogin); the cookie carries its id."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session
from werkzeug.wrappers import Response

from bot.config import LANGS
from bot.web import console
from bot.web.console import owner_required
from bot.web.security import safe_next
from bot.web.sso import Provider, SignInFailed
from knowledge import weblogin

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)


def _check_limit() -> None:
    """429 when this address made too many sign-in attempts (counted in the database: every replica shares it)."""
    if not weblogin.allow_sign_in(console.store(), request.remote_addr or "?", console.now()):
        abort(429)


def _providers() -> dict[str, Provider]:
    found: dict[str, Provider] = current_app.extensions["vraagbaak_sso"]
    return found


def _refused() -> tuple[str, int]:
    return render_template("login.html", token="", next="/", refused=True, providers=_providers()), 403


def _start_session(owner: weblogin.Owner, how: str) -> None:
    """A fresh session (and CSRF token) for the signed-in owner; a session this browser had ends."""
    _end_this_session()
    session.permanent = True
    session[console.SESSION_KEY] = weblogin.start_session(console.store(), owner.id, console.now())
    console.store().audit(owner.id, "web_sign_in", owner.id, how=how)


def _end_this_session() -> None:
    """This browser's session ends (in the database, so a copy of the cookie is refused too); the cookie keeps
    only the language chosen (a new CSRF token comes with the next form)."""
    session_id = session.get(console.SESSION_KEY)
    if isinstance(session_id, str) and session_id:
        weblogin.end_session(console.store(), session_id, console.now())
    lang = session.get("lang")
    session.clear()
    if lang in LANGS:
        session["lang"] = lang


@bp.route("/login", methods=["GET"])
def login() -> str | Response:
    """Without a token: how to get a sign-in link. With one: a button that signs in (a link preview that
    fetches the page does not use the token up)."""
    token = request.args.get("token", "")
    if token:
        _check_limit()
    if not token and console.owner() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", token=token, next=safe_next(request.args.get("next")),
                           providers=_providers())


@bp.route("/login", methods=["POST"])
def login_post() -> str | Response | tuple[str, int]:
    _check_limit()
    target = safe_next(request.form.get("next"))
    owner_id = weblogin.redeem(console.store(), request.form.get("token", ""), console.now())
    match = next((o for o in console.owners() if o.id == owner_id), None) if owner_id else None
    if match is None:
        log.info("web console: a sign-in with an unknown, used or expired link was refused")
        return _refused()
    _start_session(match, "link")
    return redirect(target)


def _callback_url(name: str) -> str:
    return f"{console.settings().web_url.rstrip('/')}/login/{name}/callback"


@bp.route("/login/<name>")
def single_sign_on(name: str) -> Response:
    """Send the browser to the identity provider; the flow (state, nonce, PKCE verifier) stays server-side,
    bound to this browser's session by its state."""
    provider = _providers().get(name)
    if provider is None:
        abort(404)
    _check_limit()
    try:
        url, state, flow = provider.start(_callback_url(name))
    except SignInFailed as error:
        log.warning("web console: %s sign-in could not start: %s", name, error)
        abort(502)
    weblogin.save_flow(console.store(), state, name, {**flow, "next": safe_next(request.args.get("next"))},
                       console.now())
    session["sso_state"] = state
    return redirect(url)


@bp.route("/login/<name>/callback")
def single_sign_on_done(name: str) -> Response | tuple[str, int]:
    """The identity provider's answer: only for the flow this browser started, once; then the owner check."""
    provider = _providers().get(name)
    if provider is None:
        abort(404)
    _check_limit()
    state = request.args.get("state", "")
    mine = session.pop("sso_state", "")
    flow = weblogin.take_flow(console.store(), state, name, console.now()) if state and mine == state else None
    if flow is None:
        log.info("web console: a %s sign-in came back with a state this browser did not start", name)
        return _refused()
    target = safe_next(flow.pop("next", "/"))
    try:
        handle = provider.finish(flow, request.args.to_dict(), _callback_url(name))
    except SignInFailed as error:
        log.warning("web console: %s sign-in refused: %s", name, error)
        return _refused()
    match = next((o for o in console.owners() if handle.lower() in o.aliases), None)
    if match is None:
        log.info("web console: %s user %s is not a knowledge owner", name, handle)
        return _refused()
    _start_session(match, name)
    return redirect(target)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out here: this session ends for every copy of its cookie."""
    who = console.owner()
    _end_this_session()
    if who is not None:
        console.store().audit(who.id, "web_sign_out", who.id, sessions=1)
    return redirect("/login")


@bp.route("/logout/everywhere", methods=["POST"])
@owner_required
def logout_everywhere() -> Response:
    """Sign out everywhere: every session of the signed-in owner ends, in every browser, on every replica."""
    who = console.signed_in_owner()
    count = weblogin.end_everywhere(console.store(), who.id, console.now())
    _end_this_session()
    console.store().audit(who.id, "web_sign_out", who.id, sessions=count, everywhere=True)
    flash(console.text("web_signed_out_everywhere", count=count), "ok")
    return redirect("/login")


@bp.route("/lang", methods=["POST"])
def language() -> Response:
    chosen = request.form.get("lang", "")
    if chosen in LANGS:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next")))
