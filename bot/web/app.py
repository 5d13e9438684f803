"""The owners' web console as a Flask app (server-rendered, Jinja2 with autoescape), served by waitress, with
/healthz, /readyz (the database) and /metrics, and an access log line per request."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

import requests
from flask import Flask, render_template, request
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from bot import bootstrap
from bot.config import LANGS, SETTINGS, WEB_PORT, Settings
from bot.health import PATHS, Health
from bot.metrics import monitor_of
from bot.web import console, dates, security, sso
from bot.web.access import AccessLog
from bot.web.chat import WebChat
from handlers.desk import Desk
from handlers.messages import t
from knowledge import weblogin

if TYPE_CHECKING:
    from bot.bootstrap import AnyStore

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
MAX_FORM_BYTES = 2 * 1024 * 1024


def _left_to_the_chat() -> None:
    """The web Desk's outbox wake-up: nobody here sends; the chat's serving process does."""


def create_app(settings: Settings, *, store: AnyStore | None = None, desk: Desk | None = None,
               settings_source: Callable[[], Settings] | None = None,
               sso_http: requests.Session | None = None, clock: Callable[[], datetime] | None = None) -> Flask:
    """The console on ``settings``' database; ``settings_source`` gives the settings current at each request
    (who is an owner; default: ``settings`` as given); ``sso_http``: the HTTP session single sign-on uses;
    ``clock``: the time sessions, sign-in links and the sign-in limit go by (default: the system's, in UTC).
    Sessions and the sign-in limit live in the database, so several apps on one database share them."""
    # a Desk handed in carries open_store's store (its port is narrower than what the console reads)
    store = store or (cast("AnyStore", desk.store) if desk is not None else bootstrap.open_store(settings))
    if desk is None:
        desk = bootstrap.build_desk(settings, WebChat(), store=store)
        # the console has no chat: what a use case posts (a re-routed question) waits in the outbox for the chat's
        # serving process, which sends it within its timer round (handlers.dispatch.TIMER_SECONDS)
        desk.kick = _left_to_the_chat
    app = Flask("bot.web", template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config.update(
        SECRET_KEY=settings.web_secret or weblogin.secret(store),
        SESSION_COOKIE_NAME="vraagbaak_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web_url.lower().startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=weblogin.SESSION_HOURS),
        MAX_CONTENT_LENGTH=MAX_FORM_BYTES,
    )
    app.extensions["vraagbaak"] = console.Console(settings_source or (lambda: settings), store, desk,
                                                  clock or (lambda: datetime.now(UTC)))
    app.extensions["vraagbaak_sso"] = sso.providers(settings, sso_http)
    app.before_request(security.check_csrf)
    app.after_request(security.add_headers)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(day=dates.day, moment=dates.moment)
    app.jinja_env.globals.update(_=console.text, csrf_field=csrf_field, current_owner=console.owner,
                                 current_lang=console.lang, langs=LANGS)
    app.register_error_handler(HTTPException, error_page)
    _register(app)
    _add_health(app, Health(monitor_of(desk, "web")))
    if settings.proxies:  # behind a load balancer every request comes from it: read the client it names
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxies,  # type: ignore[method-assign]
                                x_proto=settings.proxies)
    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _add_health(app: Flask, health: Health) -> None:
    """/healthz, /readyz and /metrics, open to anyone who reaches the port (a proxy in front forwards only the
    console's own pages; docs/operations.md)."""

    def checks() -> Response:
        found = health.answer(request.path)
        assert found is not None
        return Response(found.body, status=found.status, content_type=found.content_type)

    for path in PATHS:
        app.add_url_rule(path, endpoint=f"health_{path.strip('/')}", view_func=checks)
    app.extensions["vraagbaak_health"] = health


def _register(app: Flask) -> None:
    """Every page's blueprint. A new page: a Blueprint in its own module, registered here."""
    from bot.web import analytics, articles, auth, gaps, pages, people, review, routing

    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(gaps.bp)
    app.register_blueprint(analytics.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(routing.bp)


def csrf_field() -> Markup:
    """The hidden CSRF field every form carries (``{{ csrf_field() }}``)."""
    return Markup(f'<input type="hidden" name="{security.CSRF_FIELD}" value="{escape(security.csrf_token())}">')


def error_page(error: HTTPException) -> tuple[str, int] | Response:
    code = error.code or 500
    known = code in (400, 403, 404, 405, 413, 429, 502)
    return render_template("error.html", code=code, key=f"web_error_{code}" if known else "web_error_other"), code


def serve(settings: Settings, host: str = "127.0.0.1", port: int = WEB_PORT,
          settings_source: Callable[[], Settings] | None = None) -> None:
    """Serve the console with waitress: a few threads, a bounded number of connections, and a timeout so a
    slow or half-sent request cannot hold the server. Prints where it listens; logs each request."""
    import waitress

    server = waitress.create_server(create_app(settings, settings_source=settings_source), host=host, port=port,
                                    threads=8, connection_limit=100, channel_timeout=30, cleanup_interval=10,
                                    max_request_body_size=MAX_FORM_BYTES, ident="vraagbaak")
    security.harden(server)  # waitress's own error answers (413, 400) get the security headers too
    bound = int(getattr(server, "effective_port", port))
    print(t("cli_serving_web", settings.lang, url=f"http://{host}:{bound}"), flush=True)
    public = urlsplit(settings.web_url)
    public_port = public.port or (443 if public.scheme == "https" else 80)
    if public.hostname in ("127.0.0.1", "localhost") and public_port != bound:
        print(t("cli_serving_web_url", settings.lang, env=SETTINGS["web_url"].env, public=settings.web_url),
              flush=True)
    logging.getLogger(AccessLog.__module__).setLevel(logging.INFO)  # the access log, also without -v
    server.run()
