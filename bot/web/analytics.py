"""Analytics over a chosen period and expert channel: every chart as SVG, with the same data as an HTML table
and as a CSV download (``/analytics/<table>.csv``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template
from markupsafe import Markup

from bot.web import charts, console, dates
from bot.web.console import owner_required
from bot.web.period import Period, period
from handlers.messages import TEXTS
from knowledge import analytics as figures

bp = Blueprint("analytics", __name__)


@dataclass(frozen=True)
class Chart:
    table: figures.Table
    svg: Markup


TRANSLATED = ("outcome", "measure", "feedback", "source")  # columns whose values are keys, not data


def label(value: object) -> str:
    """A key (an outcome, a measure, feedback) as the owner reads it; anything else as it is."""
    key = f"web_val_{value}"
    return console.text(key) if isinstance(value, str) and key in TEXTS else "" if value is None else str(value)


def cell(column: str, value: object) -> str:
    """A table cell as shown: shares as percentages, keys translated, data as it is."""
    if value is None:
        return ""
    if column == "share" and isinstance(value, int | float):
        return f"{value:.0%}"
    return label(value) if column in TRANSLATED else str(value)


def _names(keys: tuple[str, ...]) -> dict[str, str]:
    return {k: label(k) for k in keys}


def chart(table: figures.Table) -> str:
    """The chart that shows ``table`` at a glance."""
    title, empty = console.text(f"web_chart_{table.name}"), console.text("web_chart_empty")
    if table.name == "per_day":
        keys = table.columns[1:]
        return charts.bar_chart([dates.day(d, short=True) for d in table.column("day")],
                                {k: [float(v or 0) for v in table.column(k)] for k in keys},
                                title=title, series_labels=_names(keys), empty=empty)
    if table.name == "times":
        keys = ("median_minutes", "p90_minutes")
        return charts.bar_chart([label(m) for m in table.column("measure")],
                                {k: [float(v or 0) for v in table.column(k)] for k in keys},
                                title=title, stacked=False, series_labels=_names(keys), empty=empty)
    if table.name == "articles":
        values = [float(d or 0) + float(c or 0) for d, c in zip(table.column("direct"), table.column("chosen"),
                                                                 strict=True)]
        return charts.hbar_chart([str(t) for t in table.column("title")], values, title=title, empty=empty)
    first, count = {"outcomes": ("outcome", "count"), "feedback": ("feedback", "count"),
                    "topics": ("topic", "questions")}[table.name]
    return charts.hbar_chart([cell(first, v) for v in table.column(first)],
                             [float(v or 0) for v in table.column(count)], title=title, empty=empty)


def _figures(chosen: Period) -> figures.Analytics:
    return figures.analytics(console.store(), chosen.start, chosen.end, chosen.channel)


@bp.route("/analytics")
@owner_required
def page() -> str:
    chosen = period()
    found = _figures(chosen)
    shown = [Chart(t, Markup(chart(t))) for t in found.tables()]  # charts.py escapes every text it draws
    channels = [(c, console.desk().channel_name(c, console.lang())) for c in found.channels]
    return render_template("analytics.html", period=chosen, charts=shown, channels=channels, cell=cell)


@bp.route("/analytics/<name>.csv")
@owner_required
def csv(name: str) -> Response:
    chosen = period()
    table = next((t for t in _figures(chosen).tables() if t.name == name), None)
    if table is None:
        abort(404)
    filename = f"vraagbaak-{table.name}-{chosen.start.isoformat()}-{chosen.end.isoformat()}.csv"
    return Response(figures.table_csv(table), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
