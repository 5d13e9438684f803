"""The HTTP endpoint ``POST /api/messages`` and ``serve``: authenticate, then hand the activity over."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import requests
from aiohttp import web

from bot.config import Settings
from bot.teams.auth import AuthError, KeySet, TokenValidator
from bot.teams.chat import TeamsChat
from bot.teams.inbound import Inbound
from handlers.errors import UserError

if TYPE_CHECKING:
    from handlers.desk import Desk

log = logging.getLogger(__name__)

FLUSH_EVERY_SECONDS = 30.0
CHAT = web.AppKey("teams_chat", TeamsChat)
KEYS = web.AppKey("teams_keys", KeySet)


def build_web_app(
    settings: Settings,
    desk: Desk,
    *,
    chat: TeamsChat | None = None,
    http_client: requests.Session | None = None,
    flush_every: float | None = FLUSH_EVERY_SECONDS,
) -> web.Application:
    """The aiohttp app. ``chat`` is the TeamsChat the Desk was built with (default: ``desk.chat`` when
    that is one, else a new one); ``http_client`` carries every outbound HTTP call (tests point it at
    local fakes); ``flush_every`` seconds between ``desk.flush_outbox()`` runs (None: never)."""
    if chat is None:
        found = getattr(desk, "chat", None)
        chat = found if isinstance(found, TeamsChat) else TeamsChat(settings, http_client=http_client)
    keys = KeySet(settings.botframework_openid_metadata, http_client or requests.Session())
    validator = TokenValidator(settings.microsoft_app_id, keys)
    inbound = Inbound(desk, chat, lang=settings.lang)

    async def messages(request: web.Request) -> web.StreamResponse:
        authorization = request.headers.get("Authorization")
        if not authorization:
            log.warning("401: request without Authorization header from %s", request.remote)
            return web.Response(status=401)
        try:
            activity = json.loads(await request.read())
        except ValueError:
            activity = None
        if not isinstance(activity, dict):
            return web.Response(status=400, text="expected a JSON activity")
        try:
            await validator.validate(authorization, activity)
        except AuthError as error:
            log.warning("401: %s (activity %s from %s)", error, activity.get("id"), request.remote)
            return web.Response(status=401)
        chat.remember(activity)
        outcome = await asyncio.to_thread(inbound.handle, activity)
        if outcome.invoke is not None:
            return web.json_response(outcome.invoke)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app[CHAT] = chat
    app[KEYS] = keys
    if flush_every:
        app.cleanup_ctx.append(_flusher(desk.flush_outbox, flush_every))
    return app


def _flusher(flush: Callable[[], int], every: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                sent = await asyncio.to_thread(flush)
                if sent:
                    log.info("outbox: %d delayed message(s) delivered", sent)
            except Exception:
                log.exception("flushing the outbox failed")

    async def context(_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(run())
        yield
        task.cancel()

    return context


def check_settings(settings: Settings) -> None:
    missing = [
        name
        for name, value in (
            ("MICROSOFT_APP_ID", settings.microsoft_app_id),
            ("MICROSOFT_APP_PASSWORD", settings.microsoft_app_password),
            ("MICROSOFT_APP_TENANT_ID", settings.microsoft_app_tenant_id),
        )
        if not value
    ]
    if missing:
        raise UserError(f"Teams needs {', '.join(missing)} (see README, Microsoft Teams).")


def serve(settings: Settings, *, port: int = 3978, host: str = "0.0.0.0") -> None:
    """Run the bot: ``POST http://host:port/api/messages`` (the Azure Bot's messaging endpoint)."""
    from bot.bootstrap import build_desk, open_store

    check_settings(settings)
    chat = TeamsChat(settings)
    desk = build_desk(settings, chat, store=open_store(settings), serving=True)
    web.run_app(build_web_app(settings, desk, chat=chat), host=host, port=port)
