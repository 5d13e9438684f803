"""The home page: what waits for the owner, with links to every page."""

from __future__ import annotations

from flask import Blueprint, render_template

from bot.web import console
from bot.web.console import owner_required

bp = Blueprint("pages", __name__)


@bp.route("/")
@owner_required
def home() -> str:
    the_desk = console.desk()
    counts = {
        "reviews": len(console.store().pending_reviews()),
        "overdue": len(the_desk.stale_articles()),
    }
    return render_template("home.html", counts=counts)
