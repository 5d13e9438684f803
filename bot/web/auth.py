"""Sign-in with a one-time link (``vraagbaak web-login NAME``), sign-out and the language switch."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from werkzeug.wrappers import Response

from bot.config import LANGS
from bot.web import console
from bot.web.security import RateLimit, safe_next
from bot.web.sso import Provider, SignInFailed
from knowledge import weblogin

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)


def _limit() -> RateLimit:
    limit: RateLimit = current_app.extensions["vraagbaak_signin_limit"]
    return limit


def _providers() -> dict[str, Provider]:
    found: dict[str, Provider] = current_app.extensions["vraagbaak_sso"]
    return found


def _refused() -> tuple[str, int]:
    return render_template("login.html", token="", next="/", refused=True, providers=_providers()), 403


def _start_session(owner: weblogin.Owner, how: str) -> None:
    """A fresh session (and CSRF token) for the signed-in owner, keeping the language they chose."""
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session["owner"] = owner.id
    session["since"] = datetime.now(UTC).isoformat()
    if lang in LANGS:
        session["lang"] = lang
    console.store().audit(owner.id, "web_sign_in", owner.id, how=how)


@bp.route("/login", methods=["GET"])
def login() -> str | Response:
    """Without a token: how to get a sign-in link. With one: a button that signs in (a link preview that
    fetches the page does not use the token up)."""
    token = request.args.get("token", "")
    if token and not _limit().allow(request.remote_addr or "?"):
        abort(429)
    if not token and console.owner() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", token=token, next=safe_next(request.args.get("next")),
                           providers=_providers())


@bp.route("/login", methods=["POST"])
def login_post() -> str | Response | tuple[str, int]:
    if not _limit().allow(request.remote_addr or "?"):
        abort(429)
    target = safe_next(request.form.get("next"))
    owner_id = weblogin.redeem(console.store(), request.form.get("token", ""))
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
    if not _limit().allow(request.remote_addr or "?"):
        abort(429)
    try:
        url, state, flow = provider.start(_callback_url(name))
    except SignInFailed as error:
        log.warning("web console: %s sign-in could not start: %s", name, error)
        abort(502)
    weblogin.save_flow(console.store(), state, name, {**flow, "next": safe_next(request.args.get("next"))})
    session["sso_state"] = state
    return redirect(url)


@bp.route("/login/<name>/callback")
def single_sign_on_done(name: str) -> Response | tuple[str, int]:
    """The identity provider's answer: only for the flow this browser started, once; then the owner check."""
    provider = _providers().get(name)
    if provider is None:
        abort(404)
    if not _limit().allow(request.remote_addr or "?"):
        abort(429)
    state = request.args.get("state", "")
    mine = session.pop("sso_state", "")
    flow = weblogin.take_flow(console.store(), state, name) if state and mine == state else None
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
