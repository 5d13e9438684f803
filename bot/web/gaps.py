"""Knowledge gaps: "write an article" from a gap's questions and its best expert answer, saved through the
``create_article`` use case."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from werkzeug.wrappers import Response

from bot.web import console
from bot.web.console import owner_required
from bot.web.review import split_commas, split_lines
from handlers.errors import UserError
from knowledge.privacy import has_placeholder

bp = Blueprint("gaps", __name__)
PHRASINGS = 20  # questions of a gap offered as the new article's phrasings
TITLE = 160


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
def write_post() -> Response | tuple[str, int]:
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
