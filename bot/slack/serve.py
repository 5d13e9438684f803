"""``vraagbaak serve slack``: Socket Mode when SLACK_APP_TOKEN is set, else (or with --http) Bolt's
HTTP mode on /slack/events; in both, the Dispatcher's workers handle the inbox and send the outbox.
/healthz, /readyz and /metrics: on the HTTP port, or in Socket Mode on VRAAGBAAK_METRICS_PORT."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.config import SETTINGS, Settings
from bot.health import serve_side
from bot.slack.app import build_app, dispatcher_of
from bot.slack.chat import SlackChat
from bot.slack.client import web_client
from bot.slack.http import PATH, health_of, make_server
from handlers.errors import UserError
from handlers.messages import t

if TYPE_CHECKING:
    from handlers.desk import Desk

log = logging.getLogger(__name__)
FLUSH_SECONDS = 30.0
HOST = "127.0.0.1"  # HTTP mode listens on this machine only unless --host says otherwise (behind an HTTPS proxy)


@dataclass
class Service:
    """A started bot: ``stop()`` disconnects it. ``port`` is the HTTP port (None in Socket Mode);
    ``health_port`` the port of /healthz, /readyz and /metrics (None: none)."""

    desk: Desk
    app: App
    port: int | None
    stop: Callable[[], None]
    health_port: int | None = None


def start(
    settings: Settings, *, http: bool = False, port: int = 3000, host: str = HOST,
    flush_every: float = FLUSH_SECONDS,
) -> Service:
    """Build the Desk and the app, connect (Socket Mode) or listen (HTTP), and return at once."""
    from bot.bootstrap import build_desk, open_store

    if not settings.slack_bot_token:
        raise UserError(t("cli_slack_token_missing", settings.lang))
    socket_mode = bool(settings.slack_app_token) and not http
    if not socket_mode and not settings.slack_signing_secret:
        raise UserError(t("cli_slack_secret_missing", settings.lang))
    client = web_client(settings)
    # sends run under a claim on their outbox row (the lease): their retries end well within it
    sends = web_client(settings, budget=settings.lease_seconds / 3)
    desk = build_desk(settings, SlackChat(sends), store=open_store(settings), serving=True)
    app = build_app(settings, desk, client=client)
    health = health_of(app)
    if socket_mode:
        side = None
        if settings.metrics_port is not None:
            try:
                side = serve_side(health, settings.metrics_host, settings.metrics_port)
            except OSError as error:
                raise UserError(t("cli_setting_port_taken", settings.lang, env=SETTINGS["metrics_port"].env,
                                  port=settings.metrics_port, error=error.strerror or error)) from None
        stop_workers = dispatcher_of(app).start(workers=settings.workers, flush_every=flush_every)
        handler = SocketModeHandler(app, app_token=settings.slack_app_token)
        handler.connect()
        log.info("Vraagbaak for Slack: connected in Socket Mode")

        def stop_socket() -> None:
            handler.close()
            stop_workers()
            if side is not None:
                side.shutdown()
                side.server_close()

        return Service(desk, app, None, stop_socket, int(side.server_address[1]) if side else None)
    server = make_server(app, host=host, port=port, health=health)
    stop_workers = dispatcher_of(app).start(workers=settings.workers,
                                            flush_every=flush_every)  # first what a stopped process left
    threading.Thread(target=server.serve_forever, name="vraagbaak-http", daemon=True).start()
    log.info("Vraagbaak for Slack: HTTP on %s:%d%s", host, server.server_address[1], PATH)

    def stop_http() -> None:
        server.shutdown()
        server.server_close()
        stop_workers()

    return Service(desk, app, int(server.server_address[1]), stop_http, int(server.server_address[1]))


def serve(settings: Settings, *, http: bool = False, port: int = 3000, host: str = HOST) -> None:
    """Run the Slack bot until interrupted (Ctrl-C); in HTTP mode it listens on ``host`` (this machine only by
    default: Slack reaches it through an HTTPS proxy or tunnel)."""
    service = start(settings, http=http, port=port, host=host)
    lang = settings.lang
    if service.port:
        print(t("cli_serving_slack_http", lang, url=f"http://{host}:{service.port}{PATH}"), flush=True)
    else:
        print(t("cli_serving_slack_socket", lang), flush=True)
        if service.health_port:
            print(t("cli_serving_health", lang, url=f"http://{settings.metrics_host}:{service.health_port}"),
                  flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        service.stop()
