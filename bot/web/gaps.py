"""Knowledge gaps: "write an article" from a gap's questions and its best expert answer, saved through the
``create_article`` use case."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, flash, redirect, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response as Redirect

from bot.web import charts, console
from bot.web.console import owner_required
from bot.web.period import Period, period
from bot.web.review import split_commas, split_lines
from handlers.errors import UserError
from knowledge import reports
from knowledge.analytics import Table, table_csv
from knowledge.gaps import Gap, gaps
from knowledge.privacy import has_placeholder

bp = Blueprint("gaps", __name__)
PHRASINGS = 20  # questions of a gap offered as the new article's phrasings
TITLE = 160
CHARTED = 10  # the biggest gaps in the chart
GAPS_WIDTH, GAPS_LABEL = 860, 60  # the gaps chart takes the page's width: room for the questions' words


def clusters(chosen: Period) -> list[Gap]:
    """The gaps of the period, biggest first; with a channel, those with a question escalated to it."""
    found = list(gaps(console.store(), chosen.start, chosen.end).clusters)
    if chosen.channel is None:
        return found
    store = console.store()
    channel_of = {e: esc.channel for g in found for e in g.escalations if (esc := store.escalation(e))}
    return [g for g in found if any(channel_of.get(e) == chosen.channel for e in g.escalations)]


def write_link(gap: Gap) -> str:
    """The "write an article" form for ``gap``: its questions and its best expert answer."""
    query = [("q", str(q.id)) for q in gap.questions[:PHRASINGS]]
    if gap.answer is not None:
        query.append(("answer", str(gap.answer.answer_id)))
    return f"/gaps/write?{urlencode(query)}"


def table(found: list[Gap]) -> Table:
    rows = tuple((g.title, g.size, len(g.escalations), g.answer.text if g.answer else "") for g in found)
    return Table("gaps", ("gap", "questions", "escalations", "answer"), rows)


@bp.route("/gaps")
@owner_required
def page() -> str:
    chosen = period()
    found = clusters(chosen)
    top = found[:CHARTED]
    svg = charts.hbar_chart([g.title for g in top], [float(g.size) for g in top],
                            title=console.text("web_chart_gaps"), empty=console.text("web_chart_empty"),
                            width=GAPS_WIDTH, label_chars=GAPS_LABEL)
    channels = [(c, console.desk().channel_name(c, console.lang())) for c in reports.escalation_channels(
        console.store())]
    return render_template("gaps.html", period=chosen, gaps=found, chart=Markup(svg), table=table(top),
                           channels=channels, write_link=write_link)


@bp.route("/gaps.csv")
@owner_required
def csv() -> Response:
    chosen = period()
    filename = f"vraagbaak-gaps-{chosen.start.isoformat()}-{chosen.end.isoformat()}.csv"
    return Response(table_csv(table(clusters(chosen))), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:PHRASINGS]


def draft() -> tuple[dict[str, str], bool]:
    """The new article's fields from the gap's questions (``q``) and best expert answer (``answer``): title from
    the first question, text from the answer, the questions as phrasings. True when any of it came from a
    question about one person (it carried personal data, now masked)."""
    store = console.store()
    questions = [q for q in (store.question(i) for i in _ids(request.args.getlist("q"))) if q is not None]
    answer_id = request.args.get("answer", "")
    answer = store.answer(int(answer_id)) if answer_id.isdigit() else None
    texts = list(dict.fromkeys(q.text for q in questions if q.text))
    personal = any(q.personal for q in questions) or (answer is not None and has_placeholder(answer.text))
    fields = {"title": texts[0][:TITLE] if texts else "", "body": answer.text if answer else "",
              "questions": "\n".join(texts), "keywords": "", "owner": "", "review_date": ""}
    return fields, personal


@bp.route("/gaps/write")
@owner_required
def write() -> str:
    fields, personal = draft()
    return render_template("gap_write.html", form=fields, personal=personal, error="")


@bp.route("/gaps/write", methods=["POST"])
@owner_required
def write_post() -> Redirect | tuple[str, int]:
    form = request.form
    try:
        article = console.desk().create_article(
            console.signed_in_owner(), form.get("title", ""), form.get("body", ""),
            questions=split_lines(form.get("questions", "")), keywords=split_commas(form.get("keywords", "")),
            owner=form.get("owner", ""), review_date=form.get("review_date", ""))
    except UserError as error:
        return render_template("gap_write.html", form=form.to_dict(), personal=form.get("personal") == "1",
                               error=str(error)), 422
    flash(console.text("web_gap_written", title=article.title, id=article.id), "ok")
    return redirect("/gaps")
