"""Microsoft Teams over the raw Bot Framework protocol: aiohttp inbound, msal + PyJWT tokens.

Entry points the CLI uses: ``serve``, ``write_package``, ``fetch_people``; tests use ``build_web_app``.
"""

from bot.teams.chat import TeamsChat
from bot.teams.graph import fetch_people
from bot.teams.package import write_package
from bot.teams.web import build_web_app, serve

__all__ = ["TeamsChat", "build_web_app", "fetch_people", "serve", "write_package"]
