"""The owners' web console: one more adapter. A route parses the form, calls the use case the chat adapters
call, and renders a template (bot/web/README.md tells how to add a page)."""

from bot.web.app import create_app, serve

__all__ = ["create_app", "serve"]
