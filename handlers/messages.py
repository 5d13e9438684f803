"""Every sentence a person reads in chat, in Dutch and English, side by side so they stay in step."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "usage": {
        "nl": "Stel je vraag in gewone woorden, bijvoorbeeld: hoe vraag ik een parkeervergunning aan?",
        "en": "Ask your question in plain words, for example: how do I apply for a parking permit?",
    },
    "no_question": {
        "nl": "Hallo! Wat is je vraag? Typ hem in gewone woorden, bijvoorbeeld: hoe vraag ik een parkeervergunning"
              " aan?",
        "en": "Hello! What is your question? Type it in plain words, for example: how do I apply for a parking permit?",
    },
    "answer_intro": {"nl": "Dit antwoord past het best:", "en": "This answer fits best:"},
    "suggest_intro": {
        "nl": "Ik weet het niet zeker. Bedoel je een van deze?",
        "en": "I am not sure. Do you mean one of these?",
    },
    "nothing_found": {
        "nl": "Ik vond geen antwoord in de kennisbank.",
        "en": "I found no answer in the knowledge base.",
    },
    "source": {"nl": "Bron: {source}", "en": "Source: {source}"},
    "owner": {"nl": "Eigenaar: {owner}", "en": "Owner: {owner}"},
    "fresh": {"nl": "Bijgewerkt: {date}", "en": "Updated: {date}"},
    "review_due": {"nl": "Herzien vóór: {date}", "en": "Review by: {date}"},
    "stale": {
        "nl": "Let op: dit artikel had op {date} herzien moeten worden.",
        "en": "Note: this article was due for review on {date}.",
    },
    "provisional": {
        "nl": "Voorlopig antwoord van een expert, nog niet gecontroleerd door een kennisbeheerder.",
        "en": "Provisional answer from an expert, not yet checked by a knowledge owner.",
    },
    "people_intro": {"nl": "Wie weet hier meer van:", "en": "Who knows more:"},
    "btn_helpful": {"nl": "Nuttig", "en": "Helpful"},
    "btn_not_helpful": {"nl": "Niet nuttig", "en": "Not helpful"},
    "btn_escalate": {"nl": "Vraag een expert", "en": "Ask an expert"},
    "btn_mark": {"nl": "Markeer laatste reactie als antwoord", "en": "Mark latest reply as the answer"},
    "btn_approve": {"nl": "Goedkeuren", "en": "Approve"},
    "btn_edit": {"nl": "Bewerken", "en": "Edit"},
    "btn_merge": {"nl": "Samenvoegen", "en": "Merge"},
    "btn_reject": {"nl": "Afwijzen", "en": "Reject"},
    "thanks": {"nl": "Dank je, genoteerd.", "en": "Thanks, noted."},
    "escalated": {
        "nl": "Ik heb je vraag aan de experts gesteld in {channel}. Je krijgt het antwoord hier zodra het er is.",
        "en": "I asked the experts in {channel}. You will get the answer here as soon as it is there.",
    },
    "escalated_link": {"nl": "Bekijk de vraag: {link}", "en": "See the question: {link}"},
    "escalation_queued": {
        "nl": "Ik heb je vraag voor de experts in {channel} klaargezet; het kanaal is nu even niet bereikbaar. "
              "Ik probeer het opnieuw en je krijgt het antwoord hier.",
        "en": "Your question for the experts in {channel} is queued; the channel cannot be reached right now. "
              "I will retry and you will get the answer here.",
    },
    "already_escalated": {
        "nl": "Deze vraag ligt al bij de experts in {channel}.",
        "en": "This question is already with the experts in {channel}.",
    },
    "joined_escalation": {
        "nl": "Een collega stelde deze vraag al aan de experts in {channel}. Je krijgt hetzelfde antwoord hier.",
        "en": "A colleague already asked the experts this in {channel}. You will get the same answer here.",
    },
    "esc_title": {"nl": "Vraag van {asker}", "en": "Question from {asker}"},
    "esc_tried": {"nl": "Al geprobeerd: {articles}", "en": "Already tried: {articles}"},
    "esc_tried_none": {"nl": "De kennisbank had niets passends.", "en": "The knowledge base had nothing fitting."},
    "esc_experts": {"nl": "Kunnen jullie helpen?", "en": "Can you help?"},
    "esc_how": {
        "nl": "Antwoord in deze thread. Markeer het antwoord met de knop, met ✅ of via het berichtmenu "
              "(Markeer als antwoord).",
        "en": "Answer in this thread. Mark the answer with the button, with ✅ or from the message menu "
              "(Markeer als antwoord).",
    },
    "esc_answered": {
        "nl": "Beantwoord door {author} op {date}.",
        "en": "Answered by {author} on {date}.",
    },
    "relay_intro": {
        "nl": "Antwoord van {author} op je vraag:",
        "en": "Answer from {author} to your question:",
    },
    "marked": {
        "nl": "Gemarkeerd als antwoord en doorgestuurd naar {count} collega('s). Opgeslagen als voorlopig artikel.",
        "en": "Marked as the answer and sent to {count} colleague(s). Saved as a provisional article.",
    },
    "already_answered": {
        "nl": "Deze vraag is al beantwoord.",
        "en": "This question has already been answered.",
    },
    "not_escalation_reply": {
        "nl": "Dit bericht is geen reactie in een expertvraag van Vraagbaak; ik kan het niet als antwoord markeren.",
        "en": "This message is not a reply in a Vraagbaak expert thread; I cannot mark it as the answer.",
    },
    "no_reply_yet": {
        "nl": "Er is nog geen reactie in deze thread om als antwoord te markeren.",
        "en": "There is no reply in this thread yet to mark as the answer.",
    },
    "not_allowed_mark": {
        "nl": "Alleen een expert in het kanaal of de vraagsteller kan het antwoord markeren.",
        "en": "Only an expert in the channel or the asker can mark the answer.",
    },
    "unknown_question": {"nl": "Die vraag ken ik niet (meer).", "en": "I do not know that question."},
    "owners_only": {
        "nl": "Alleen kennisbeheerders kunnen antwoorden beoordelen.",
        "en": "Only knowledge owners can review answers.",
    },
    "queue_title": {"nl": "Te beoordelen: {count}", "en": "To review: {count}"},
    "queue_empty": {"nl": "Niets te beoordelen.", "en": "Nothing to review."},
    "queue_item": {"nl": "Vraag: {question}", "en": "Question: {question}"},
    "review_done": {"nl": "Al beoordeeld: {status}.", "en": "Already reviewed: {status}."},
    "unknown_review": {"nl": "Dat beoordelingsitem bestaat niet.", "en": "That review item does not exist."},
    "nothing_to_merge": {
        "nl": "Ik vond geen bestaand artikel om mee samen te voegen; keur goed of bewerk het.",
        "en": "I found no existing article to merge into; approve or edit it instead.",
    },
    "unknown_article": {"nl": "Artikel {id} bestaat niet.", "en": "Article {id} does not exist."},
    "approved": {"nl": "Goedgekeurd: {title}", "en": "Approved: {title}"},
    "edited": {"nl": "Bewerkt en goedgekeurd: {title}", "en": "Edited and approved: {title}"},
    "merged": {
        "nl": "Samengevoegd met: {title}. De vraag is daar als extra formulering toegevoegd.",
        "en": "Merged into: {title}. The question was added there as another phrasing.",
    },
    "rejected": {"nl": "Afgewezen: {title}", "en": "Rejected: {title}"},
    "stale_title": {
        "nl": "Toe aan herziening: {count} artikel(en)",
        "en": "Due for review: {count} article(s)",
    },
    "home_title": {"nl": "Vraagbaak", "en": "Vraagbaak"},
    "home_open": {"nl": "Je open vragen", "en": "Your open questions"},
    "home_open_none": {"nl": "Je hebt geen open vragen.", "en": "You have no open questions."},
    "home_stats": {
        "nl": "Deze week: {asked} gevraagd, {direct} direct beantwoord, {escalated} naar experts, "
              "mediaan tot expertantwoord: {median}.",
        "en": "This week: {asked} asked, {direct} answered directly, {escalated} escalated, "
              "median time to an expert answer: {median}.",
    },
    "minutes": {"nl": "{n} min", "en": "{n} min"},
    "none": {"nl": "nog geen", "en": "none yet"},
    "apology": {
        "nl": "Sorry, er ging iets mis aan mijn kant. Probeer het nog eens; het is gelogd.",
        "en": "Sorry, something went wrong on my side. Please try again; it has been logged.",
    },
}


def t(key: str, lang: str | None, **values: object) -> str:
    """The text ``key`` in ``lang`` (Dutch when unknown), with ``values`` filled in."""
    variants = TEXTS[key]
    template = variants.get(lang or "nl", variants["nl"])
    return template.format(**values) if values else template


def apology(lang: str | None = None) -> str:
    return t("apology", lang)
