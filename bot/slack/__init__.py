"""The Slack adapter: Slack events -> Desk use cases -> Block Kit.

``serve`` runs the bot (Socket Mode or HTTP), ``fetch_people`` imports the directory from users.list,
``build_app`` wires a Bolt app to a Desk (tests drive it).
"""

from bot.slack.app import build_app
from bot.slack.directory import fetch_people
from bot.slack.serve import serve

__all__ = ["build_app", "fetch_people", "serve"]
