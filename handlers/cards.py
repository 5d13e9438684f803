"""Neutral messages built from domain objects: the answer card, escalation post, relay, review queue, home."""

from __future__ import annotations

import re
from datetime import date

from handlers.messages import TEXTS, t
from handlers.replies import Action, Button, Line, Message
from knowledge.model import Answer, Article, Person, PersonHit, Question, ReviewItem, SearchResult
from knowledge.passages import best_passage, paragraphs

SNIPPET = 400
SUGGESTION = 200  # characters of an article shown under a suggestion (three fit a phone screen)


def snippet(body: str, limit: int = SNIPPET) -> str:
    body = re.sub(r"\s+", " ", body).strip()
    if len(body) <= limit:
        return body
    cut = body[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return (cut[: end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0] + " …").strip()


def article_lines(article: Article, lang: str, today: date | None = None, *, question: str = "",
                  owner: bool = False, whole: bool = False) -> list[Line]:
    """An article as chat lines: the part that answers ``question`` (or the whole body), where it comes from,
    when its content last changed, and, for a knowledge owner only, that its review is due."""
    today = today or date.today()
    lines = [Line("title", article.title, url=article.url)]
    if article.status == "provisional":
        lines.append(Line("warning", t("provisional", lang)))
    if article.body and whole:
        lines += [Line("text", part) for part in paragraphs(article.body)]
    elif article.body:
        lines.append(Line("text", best_passage(article.body, question, lang).text))
    small = []
    if article.url or article.source:
        small.append(t("source", lang, source=article.url or article.source))
    if article.owner:
        small.append(t("owner", lang, owner=article.owner))
    if article.updated_at:
        small.append(t("fresh", lang, date=article.updated_at[:10]))
    if small:
        lines.append(Line("context", " · ".join(small)))
    if owner and article.review_date and article.review_date < today.isoformat():
        lines.append(Line("warning", t("stale", lang, date=article.review_date)))
    return lines


def read_value(question_id: int | str, article_id: str) -> str:
    """The value of a "show all" button: which question it answers and which article to show."""
    return f"{question_id}:{article_id}"


def people_line(people: tuple[PersonHit, ...] | list[Person], lang: str) -> list[Line]:
    persons = tuple(p.person if isinstance(p, PersonHit) else p for p in people)
    if not persons:
        return []
    names = "; ".join(f"{p.name} ({', '.join(x for x in (p.title, p.department) if x)})" for p in persons)
    return [Line("people", t("people_intro", lang), people=persons), Line("context", names)]


def answer_card(question: Question, result: SearchResult, owner: bool = False) -> Message:
    lang = question.lang
    qid = str(question.id)
    if result.decision == "answer" and result.best:
        best = result.best.article
        passage = best_passage(best.body, question.text, lang)
        lines = [Line("text", t("answer_intro", lang)),
                 *article_lines(best, lang, question=question.text, owner=owner)]
        lines += people_line(result.people, lang)
        read = (Button(t("btn_read", lang), Action.READ, read_value(qid, best.id)),) if passage.cut else ()
        buttons = (
            Button(t("btn_helpful", lang), Action.HELPFUL, qid, "primary"),
            Button(t("btn_not_helpful", lang), Action.NOT_HELPFUL, qid),
            *read,
            Button(t("btn_escalate", lang), Action.ESCALATE, qid),
        )
        text = f"{best.title}\n{passage.text}"
        return Message(text=text, lines=tuple(lines), buttons=buttons)
    lines = [Line("text", t("suggest_intro", lang))]
    listed = []
    for hit in result.hits[:3]:
        # the part that answers, as for an answer: the amount, date or time asked for, cut with "…"
        shown = best_passage(hit.article.body, question.text, lang, limit=SUGGESTION).text
        lines.append(Line("title", hit.article.title, url=hit.article.url))
        if hit.article.status == "provisional":
            lines.append(Line("warning", t("provisional", lang)))
        lines.append(Line("context", shown))
        lines.append(Line("actions", buttons=(Button(t("btn_open", lang), Action.READ,
                                                     read_value(qid, hit.article.id)),)))
        listed.append(f"- {hit.article.title}: {shown}" if shown else f"- {hit.article.title}")
    lines += people_line(result.people, lang)
    text = t("suggest_intro", lang) + "\n" + "\n".join(listed)
    return Message(text=text, lines=tuple(lines), buttons=(Button(t("btn_escalate", lang), Action.ESCALATE, qid,
                                                                  "primary"),))


def small_talk(kind: str, lang: str, in_thread: bool = False) -> Message:
    """The short reply to small talk (knowledge.smalltalk): 'Graag gedaan!', or a prompt to ask the question;
    none (an empty message) in a thread, where a reply would only add noise."""
    if in_thread:
        return Message(text="")
    said = t(f"small_talk_{kind}" if f"small_talk_{kind}" in TEXTS else "small_talk_noise", lang)
    return Message(text=said, lines=(Line("text", said),))


def whole_article(question: Question | None, article: Article, lang: str, owner: bool = False) -> Message:
    """The whole article, for "show all" and for a suggestion picked."""
    lines = article_lines(article, lang, owner=owner, whole=True)
    return Message(text=f"{article.title}\n{article.body}", lines=tuple(lines))


def people_card(question: Question, people: tuple[PersonHit, ...]) -> Message:
    lines = people_line(people, question.lang)
    text = t("people_intro", question.lang) + " " + lines[-1].text if lines else t("nothing_found", question.lang)
    return Message(text=text, lines=tuple(lines))


def escalation_post(question: Question, escalation_id: int, tried: list[Article], experts: list[Person],
                    answered: tuple[Answer, str] | None = None, urgent: bool = False, platform: str = "",
                    history: tuple[Line, ...] = (), moved: str = "") -> Message:
    """The post in the expert channel. ``history``: where a moved question came from and what was said there;
    ``moved``: the question went to another channel (this post then has no buttons)."""
    lang = question.lang
    lines = [Line("title", t("esc_title", lang, asker=question.asker.name or question.asker.id)),
             Line("quote", question.text)]
    if urgent and not answered:
        lines.insert(1, Line("warning", t("esc_urgent", lang)))
    if history and not answered:  # where it came from, above the question; what was said, below it
        lines[1:1] = history[:1]
        at = lines.index(Line("quote", question.text)) + 1
        lines[at:at] = history[1:]
    tried_text = (t("esc_tried", lang, articles="; ".join(a.title for a in tried)) if tried
                  else t("esc_tried_none", lang))
    lines.append(Line("context", tried_text))
    if experts:
        lines.append(Line("people", t("esc_experts", lang), people=tuple(experts)))
    buttons: tuple[Button, ...] = ()
    if answered:
        answer, when = answered
        lines.append(Line("text", t("esc_answered", lang, author=answer.author.name or answer.author.id,
                                     date=when[:16].replace("T", " "))))
        lines.append(Line("quote", answer.text))
    elif moved:
        lines.append(Line("warning", moved))
    else:
        lines.append(Line("context", how_to_answer(platform, lang, escalation_id)))
        buttons = (Button(t("btn_mark", lang), Action.MARK_ANSWER, str(escalation_id), "primary"),
                   Button(t("btn_reroute", lang), Action.REROUTE, str(escalation_id)))
    text = f"{lines[0].text}: {question.text}"
    return Message(text=text, lines=tuple(lines), buttons=buttons)


def how_to_answer(platform: str, lang: str, escalation_id: int) -> str:
    """What works where the expert reads the post: ✅ only in Slack, the message action in Teams, commands in
    the console."""
    key = f"esc_how_{platform}"
    if platform == "console":
        return t(key, lang, escalation=escalation_id)
    return t(key if key in TEXTS else "esc_how", lang)


def relay(question: Question, answer: Answer) -> Message:
    lang = question.lang
    intro = t("relay_intro", lang, author=answer.author.name or answer.author.id)
    lines = (Line("text", intro), Line("quote", question.text), Line("text", answer.text))
    return Message(text=f"{intro}\n{answer.text}", lines=lines)


def review_card(items: list[tuple[ReviewItem, Article, str]], lang: str) -> Message:
    if not items:
        return Message(text=t("queue_empty", lang), lines=(Line("text", t("queue_empty", lang)),))
    lines: list[Line] = [Line("title", t("queue_title", lang, count=len(items)))]
    for item, article, question in items:
        rid = str(item.id)
        buttons = (Button(t("btn_approve", lang), Action.APPROVE, rid, "primary"),
                   Button(t("btn_edit", lang), Action.EDIT, rid),
                   Button(t("btn_merge", lang), Action.MERGE, rid),
                   Button(t("btn_reject", lang), Action.REJECT, rid, "danger"))
        lines += [Line("divider"), Line("title", article.title),
                  Line("context", t("queue_item", lang, question=question))]
        if item.flag == "personal":
            lines.append(Line("warning", t("review_personal", lang)))
        lines += [Line("text", snippet(article.body, 300)), Line("actions", buttons=buttons)]
    text = t("queue_title", lang, count=len(items)) + "\n" + "\n".join(
        f"- [{i.id}] {a.title}" + (f" ({t('review_personal', lang)})" if i.flag == "personal" else "")
        for i, a, _ in items)
    return Message(text=text, lines=tuple(lines))

