"""The HTTP endpoint ``POST /api/messages`` and ``serve``: authenticate, then hand the activity over.
``GET /healthz``, ``/readyz`` and ``/metrics`` answer what bot/health.py says (Teams' part of /readyz: Entra ID's
token endpoint reachable and a token for the Bot Framework obtainable)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import requests
from aiohttp import web

from bot.config import Settings
from bot.health import PATHS, Health, Probe
from bot.metrics import monitor_of
from bot.teams.auth import AuthError, KeySet, TokenValidator
from bot.teams.chat import TeamsChat
from bot.teams.inbound import Inbound
from bot.teams.tokens import TokenError
from handlers.dispatch import Dispatcher
from handlers.errors import UserError
from handlers.messages import t

if TYPE_CHECKING:
    from handlers.desk import Desk

log = logging.getLogger(__name__)

FLUSH_EVERY_SECONDS = 30.0
REPLY_BUDGET_SECONDS = 4.0  # Teams waits 15 s for the response to an activity; the handling may go on after
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
MAX_BODY = 1 << 20      # bytes of an activity (aiohttp answers 413 past it); Teams' are a few kB
READ_TIMEOUT = 10.0     # seconds to send a request's body; aiohttp's keepalive timeout bounds the headers
MAX_REQUESTS = 64       # requests handled at once; more get 503 at once
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)  # an activity not shaped like Teams'
CHAT = web.AppKey("teams_chat", TeamsChat)
KEYS = web.AppKey("teams_keys", KeySet)
HEALTH = web.AppKey("teams_health", Health)
PROBE_TIMEOUT = 3.0  # seconds the token endpoint may take to answer /readyz


def build_web_app(
    settings: Settings,
    desk: Desk,
    *,
    chat: TeamsChat | None = None,
    http_client: requests.Session | None = None,
    flush_every: float | None = FLUSH_EVERY_SECONDS,
    max_requests: int | None = None,
) -> web.Application:
    """The aiohttp app. ``chat`` is the TeamsChat the Desk was built with (default: ``desk.chat`` when
    that is one, else a new one); ``http_client`` carries every outbound HTTP call (tests point it at
    local fakes); ``flush_every`` seconds between ``desk.flush_outbox()`` runs (None: only when a message is
    queued); ``max_requests`` handled at once (default MAX_REQUESTS)."""
    if chat is None:
        found = getattr(desk, "chat", None)
        chat = found if isinstance(found, TeamsChat) else TeamsChat(settings, http_client=http_client)
    keys = KeySet(settings.botframework_openid_metadata, http_client or requests.Session())
    validator = TokenValidator(settings.microsoft_app_id, keys, issuer=settings.botframework_issuer)
    dispatcher = Dispatcher(desk)
    inbound = Inbound(dispatcher, chat, lang=settings.lang)
    # activities are handled by as many threads as the inbox has workers: past them, a stored activity waits
    # its turn (its claim keeps the workers off it; if this process dies, a worker takes it after the lease)
    handling = ThreadPoolExecutor(settings.workers, thread_name_prefix="vraagbaak-teams")
    health = Health(monitor_of(desk, "teams"), ("teams", token_check(chat)))

    async def messages(request: web.Request) -> web.StreamResponse:
        authorization = request.headers.get("Authorization")
        if not authorization:
            log.warning("401: request without Authorization header from %s", request.remote)
            return web.Response(status=401)
        try:
            async with asyncio.timeout(READ_TIMEOUT):
                raw = await request.read()
        except TimeoutError:
            log.warning("408: the body from %s did not arrive within %g s", request.remote, READ_TIMEOUT)
            return web.Response(status=408, headers={"Connection": "close"})
        try:
            activity = json.loads(raw)
        except ValueError:  # UnicodeDecodeError too
            activity = None
        if not isinstance(activity, dict):
            log.warning("400: a body from %s that is no JSON activity", request.remote)
            return web.Response(status=400, text="expected a JSON activity")
        try:
            await validator.validate(authorization, activity)
        except AuthError as error:
            log.warning("401: %s (activity %.40r from %s)", error, activity.get("id"), request.remote)
            return web.Response(status=401)
        try:
            chat.remember(activity)
            if activity.get("type") == "invoke":  # answered in the response, so handled at once (bounded)
                outcome = await asyncio.to_thread(inbound.invoke, activity)
                return web.json_response(outcome.invoke)
            event_id = await asyncio.to_thread(inbound.store, activity)  # stored before it is acknowledged
        except SHAPE_ERRORS:
            log.warning("400: an activity not shaped like Teams' from %s", request.remote, exc_info=True)
            return web.Response(status=400, text="an activity not shaped like Teams'")
        if event_id is not None:
            # handled at once when that is quick; past the budget Teams gets its 200 and the work goes on
            work = asyncio.get_running_loop().run_in_executor(handling, dispatcher.handle_claimed, event_id)
            await asyncio.wait([work], timeout=REPLY_BUDGET_SECONDS)
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_BODY, middlewares=[_limited(max_requests or MAX_REQUESTS)])
    async def checks(request: web.Request) -> web.StreamResponse:
        found = await asyncio.to_thread(health.answer, request.path)
        assert found is not None
        return web.Response(status=found.status, body=found.body, headers={"Content-Type": found.content_type})

    app.router.add_post("/api/messages", messages)
    for path in PATHS:
        app.router.add_get(path, checks)
    app[CHAT] = chat
    app[KEYS] = keys
    app[DISPATCHER] = dispatcher
    app[HEALTH] = health
    app.cleanup_ctx.append(_workers(dispatcher, flush_every, settings.workers))
    return app


def token_check(chat: TeamsChat) -> Probe:
    """Teams' part of /readyz: Entra ID's OpenID metadata answers (what msal reads to find the token endpoint), and
    a token for the Bot Framework can be had (msal keeps one until it expires)."""
    token = chat.connector.token

    def teams() -> str:
        url = f"{token.authority()}/v2.0/.well-known/openid-configuration"
        try:
            answered = chat.http.get(url, timeout=PROBE_TIMEOUT)
        except requests.RequestException as error:
            return f"the token endpoint is unreachable: {type(error).__name__}"
        if answered.status_code != 200:
            return f"the token endpoint's metadata answered {answered.status_code}"
        try:
            token.get()
        except TokenError as error:
            return f"no token: {error}"
        return ""

    return teams


def _limited(max_requests: int) -> Callable[..., Awaitable[web.StreamResponse]]:
    """A middleware: at most ``max_requests`` requests handled at once, a 503 at once for the next."""
    slots = asyncio.Semaphore(max_requests)

    @web.middleware
    async def limit(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
                    ) -> web.StreamResponse:
        if slots.locked():
            log.warning("503: already handling %d requests; refused %s", max_requests, request.remote)
            return web.Response(status=503, headers={"Retry-After": "1", "Connection": "close"})
        async with slots:
            return await handler(request)

    return limit


def _workers(dispatcher: Dispatcher, flush_every: float | None,
             workers: int) -> Callable[[web.Application], AsyncIterator[None]]:
    """The inbox workers (first what a stopped process left) and the outbox thread, for the app's lifetime."""

    async def context(_app: web.Application) -> AsyncIterator[None]:
        stop = dispatcher.start(workers=workers, flush_every=flush_every or 365 * 24 * 3600.0)
        yield
        await asyncio.to_thread(stop)

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
        raise UserError(t("cli_teams_missing", settings.lang, names=", ".join(missing)))


def serve(settings: Settings, *, port: int = 3978, host: str = "0.0.0.0") -> None:
    """Run the bot: ``POST http://host:port/api/messages`` (the Azure Bot's messaging endpoint)."""
    from bot.bootstrap import build_desk, open_store

    check_settings(settings)
    # sends run under a claim on their outbox row (the lease): their retries end well within it
    chat = TeamsChat(settings, budget=settings.lease_seconds / 3)
    desk = build_desk(settings, chat, store=open_store(settings), serving=True)
    app = build_web_app(settings, desk, chat=chat)
    print(t("cli_serving_teams", settings.lang, url=f"http://{host}:{port}/api/messages"), flush=True)
    web.run_app(app, host=host, port=port, keepalive_timeout=READ_TIMEOUT, print=None)
