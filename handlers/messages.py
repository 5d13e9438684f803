"""Every text a person reads, in Dutch and English, side by side so they stay in step.

Chat replies first (no prefix), then the fixed labels of the owners' forms (``ui_``), the console's own
lines (``console_``) and the command line's results and errors (``cli_``). Logs stay English and out of here.
tests/test_messages.py checks that both languages have the same keys and the same ``{placeholders}``.
"""

from __future__ import annotations

from handlers.messages_cli import CLI_TEXTS
from handlers.messages_console import CONSOLE_TEXTS
from handlers.messages_kb import KB_TEXTS
from handlers.messages_ops import OPS_TEXTS
from handlers.messages_reroute import REROUTE_TEXTS
from handlers.messages_web import WEB_TEXTS
from handlers.messages_webart import WEBART_TEXTS

TEXTS: dict[str, dict[str, str]] = {
    "usage": {
        "nl": "Stel je vraag in gewone woorden, bijvoorbeeld: hoe vraag ik een parkeervergunning aan?",
        "en": "Ask your question in plain words, for example: how do I apply for a parking permit?",
    },
    # small talk (knowledge.smalltalk): a short reply per kind, nothing searched, nothing for the experts
    "small_talk_greeting": {
        "nl": "Hallo! Wat is je vraag? Typ hem in gewone woorden, bijvoorbeeld: hoe vraag ik een parkeervergunning"
              " aan?",
        "en": "Hello! What is your question? Type it in plain words, for example: how do I apply for a parking permit?",
    },
    "small_talk_opener": {
        "nl": "Stel je vraag maar. Typ hem in gewone woorden, bijvoorbeeld: hoe vraag ik een parkeervergunning aan?",
        "en": "Go ahead and ask. Type it in plain words, for example: how do I apply for a parking permit?",
    },
    "small_talk_thanks": {"nl": "Graag gedaan!", "en": "You're welcome!"},
    "small_talk_ack": {"nl": "Prima. Heb je nog een vraag, typ hem dan gewoon.",
                       "en": "Fine. If you have another question, just type it."},
    "small_talk_farewell": {"nl": "Tot ziens!", "en": "Goodbye!"},
    "small_talk_test": {
        "nl": "Ik ben er en ik werk. Stel je vraag in gewone woorden, bijvoorbeeld: hoe vraag ik een"
              " parkeervergunning aan?",
        "en": "I am here and working. Ask your question in plain words, for example: how do I apply for a parking"
              " permit?",
    },
    "small_talk_noise": {
        "nl": "Dat lees ik niet als een vraag. Typ je vraag in gewone woorden, bijvoorbeeld: hoe vraag ik een"
              " parkeervergunning aan?",
        "en": "I cannot read that as a question. Type it in plain words, for example: how do I apply for a parking"
              " permit?",
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
    "esc_urgent": {"nl": "⏱ Klant wacht aan de lijn", "en": "⏱ Customer waiting on the line"},
    "btn_urgent": {"nl": "Klant wacht", "en": "Customer waiting"},
    "btn_read": {"nl": "Toon alles", "en": "Show all"},
    "btn_open": {"nl": "Open", "en": "Open"},
    "urgent_set": {
        "nl": "Gemarkeerd: de klant wacht aan de lijn. De experts krijgen {minutes} minuten voordat ik ze herinner.",
        "en": "Flagged: the customer is waiting on the line. The experts get {minutes} minutes before I remind them.",
    },
    "urgent_not_yours": {
        "nl": "Alleen wie de vraag stelde, kan aangeven dat de klant wacht.",
        "en": "Only the person who asked can flag that the customer is waiting.",
    },
    "urgent_later": {
        "nl": "Genoteerd: de klant wacht aan de lijn. Vraag je een expert, dan krijgen die {minutes} minuten.",
        "en": "Noted: the customer is waiting on the line. If you ask an expert, they get {minutes} minutes.",
    },
    "timer_reminder": {
        "nl": "Deze vraag wacht al {minutes} minuten op een antwoord.",
        "en": "This question has been waiting {minutes} minutes for an answer.",
    },
    "timer_again": {
        "nl": "Nog geen antwoord na {minutes} minuten. Kan iemand hier helpen?",
        "en": "No answer after {minutes} minutes. Can anyone here help?",
    },
    "timer_agent": {
        "nl": "Na {minutes} minuten is er nog geen antwoord; ik heb het ook gevraagd in {channel}.",
        "en": "After {minutes} minutes there is no answer yet; I also asked in {channel}.",
    },
    "callback_intro": {
        "nl": "Terugbelnotitie voor je contactsysteem:",
        "en": "Call-back note for your contact system:",
    },
    "callback_note": {
        "nl": "Vraag: {question}\nGevonden in de kennisbank: {found}\nAntwoord volgt via: {link}",
        "en": "Question: {question}\nFound in the knowledge base: {found}\nThe answer will come through: {link}",
    },
    "callback_nothing": {"nl": "niets passends", "en": "nothing fitting"},
    "digest_title": {"nl": "Wat op je wacht deze week", "en": "What waits for you this week"},
    "digest_unhelpful": {
        "nl": "Vaker dan {limit} keer niet nuttig gevonden: {count}",
        "en": "Found not helpful more than {limit} times: {count}",
    },
    "esc_tried": {"nl": "Al geprobeerd: {articles}", "en": "Already tried: {articles}"},
    "esc_tried_none": {"nl": "De kennisbank had niets passends.", "en": "The knowledge base had nothing fitting."},
    "esc_experts": {"nl": "Kunnen jullie helpen?", "en": "Can you help?"},
    "esc_how": {
        "nl": "Antwoord in deze thread en markeer het antwoord met de knop.",
        "en": "Answer in this thread and mark the answer with the button.",
    },
    "esc_how_slack": {
        "nl": "Antwoord in deze thread. Markeer het antwoord met de knop, met ✅ of via het berichtmenu "
              "(Markeer als antwoord).",
        "en": "Answer in this thread. Mark the answer with the button, with ✅ or from the message menu "
              "(Markeer als antwoord).",
    },
    "esc_how_teams": {
        "nl": "Antwoord in deze thread. Markeer het antwoord met de knop of via het berichtmenu (… > Markeer als "
              "antwoord).",
        "en": "Answer in this thread. Mark the answer with the button or from the message menu (… > Markeer als "
              "antwoord).",
    },
    "esc_how_console": {
        "nl": "Antwoord met /antwoord en het berichtnummer hierboven, gevolgd door je tekst; markeer het antwoord "
              "met /markeer-laatste {escalation}.",
        "en": "Answer with /reply and the message number above, then your text; mark the answer with "
              "/mark-latest {escalation}.",
    },
    "expert_channel": {"nl": "het expertkanaal", "en": "the expert channel"},
    "esc_answered": {
        "nl": "Beantwoord door {author} op {date}.",
        "en": "Answered by {author} on {date}.",
    },
    "relay_intro": {
        "nl": "Antwoord van {author} op je vraag:",
        "en": "Answer from {author} to your question:",
    },
    "relay_note": {"nl": "Opmerking van {who}: {note}", "en": "Remark from {who}: {note}"},
    "marked": {
        "nl": "Gemarkeerd als antwoord en doorgestuurd naar {count} collega's. Opgeslagen als voorlopig artikel.",
        "en": "Marked as the answer and sent to {count} colleagues. Saved as a provisional article.",
    },
    "marked_one": {
        "nl": "Gemarkeerd als antwoord en doorgestuurd naar {count} collega. Opgeslagen als voorlopig artikel.",
        "en": "Marked as the answer and sent to {count} colleague. Saved as a provisional article.",
    },
    "marked_held": {
        "nl": "Gemarkeerd als antwoord en doorgestuurd naar {count} collega's. De vraag bevatte persoonsgegevens:"
              " het antwoord wacht op een kennisbeheerder voordat de bot het aan anderen geeft.",
        "en": "Marked as the answer and sent to {count} colleagues. The question contained personal data:"
              " the answer waits for a knowledge owner before the bot gives it to anyone else.",
    },
    "marked_held_one": {
        "nl": "Gemarkeerd als antwoord en doorgestuurd naar {count} collega. De vraag bevatte persoonsgegevens:"
              " het antwoord wacht op een kennisbeheerder voordat de bot het aan anderen geeft.",
        "en": "Marked as the answer and sent to {count} colleague. The question contained personal data:"
              " the answer waits for a knowledge owner before the bot gives it to anyone else.",
    },
    "review_personal": {
        "nl": "Bevatte persoonsgegevens; is het antwoord algemeen? Zo niet: bewerk het of wijs het af.",
        "en": "Contained personal data; is the answer general? If not, edit or reject it.",
    },
    "unknown_action": {
        "nl": "Dat begrijp ik niet (meer); probeer het opnieuw vanuit het laatste bericht.",
        "en": "I do not understand that (any more); try again from the latest message.",
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
    "unknown_escalation": {"nl": "Escalatie {id} bestaat niet.", "en": "Escalation {id} does not exist."},
    "unknown_question": {"nl": "Vraag {id} bestaat niet.", "en": "Question {id} does not exist."},
    "owners_only": {
        "nl": "Alleen kennisbeheerders kunnen antwoorden beoordelen.",
        "en": "Only knowledge owners can review answers.",
    },
    "queue_title": {"nl": "Te beoordelen: {count}", "en": "To review: {count}"},
    "queue_empty": {"nl": "Niets te beoordelen.", "en": "Nothing to review."},
    "queue_item": {"nl": "Vraag: {question}", "en": "Question: {question}"},
    "review_done": {"nl": "Al beoordeeld: {status}.", "en": "Already reviewed: {status}."},
    "review_approved": {"nl": "goedgekeurd", "en": "approved"},
    "review_rejected": {"nl": "afgewezen", "en": "rejected"},
    "review_merged": {"nl": "samengevoegd", "en": "merged"},
    "unknown_review": {"nl": "Beoordelingsitem {id} bestaat niet.", "en": "Review item {id} does not exist."},
    "nothing_to_merge": {
        "nl": "Ik vond geen bestaand artikel om mee samen te voegen; keur goed of bewerk het.",
        "en": "I found no existing article to merge into; approve or edit it instead.",
    },
    "unknown_article": {"nl": "Artikel {id} bestaat niet.", "en": "Article {id} does not exist."},
    # --- articles and people as owners keep them (handlers/articles.py) ---
    "article_changed": {
        "nl": "Niet opgeslagen: dit artikel is gewijzigd sinds je het opende (nu versie {version}, door {by} om "
              "{at}). Je tekst staat hieronder nog; vergelijk hem met de nieuwe versie en sla opnieuw op.",
        "en": "Not saved: this article changed since you opened it (now version {version}, by {by} at {at}). "
              "Your text is still below; compare it with the new version and save again.",
    },
    "article_needs_title": {"nl": "Geef het artikel een titel; er is niets opgeslagen.",
                            "en": "Give the article a title; nothing was saved."},
    "article_title_long": {"nl": "De titel is langer dan {max} tekens; er is niets opgeslagen.",
                           "en": "The title is longer than {max} characters; nothing was saved."},
    "article_needs_body": {"nl": "De tekst van het artikel is leeg; er is niets opgeslagen.",
                           "en": "The article's text is empty; nothing was saved."},
    "article_bad_date": {
        "nl": "Herzien vóór moet een datum zijn zoals 2027-06-01, niet '{value}'; er is niets opgeslagen.",
        "en": "Review by must be a date like 2027-06-01, not '{value}'; nothing was saved.",
    },
    "article_bad_status": {"nl": "Status '{value}' is niet een van {choices}.",
                           "en": "Status '{value}' is not one of {choices}."},
    "article_bad_lang": {"nl": "Taal '{value}' is niet een van {choices}.",
                         "en": "Language '{value}' is not one of {choices}."},
    "article_personal": {
        "nl": "Niet opgeslagen: je tekst bevat nieuwe persoonsgegevens ({kinds}). Haal ze weg, of bevestig dat het "
              "openbare gegevens van de organisatie zijn (zoals het algemene telefoonnummer) en sla opnieuw op.",
        "en": "Not saved: your text contains new personal data ({kinds}). Remove it, or confirm that these are the "
              "organisation's public details (such as its general phone number) and save again.",
    },
    "article_personal_never": {
        "nl": "Niet opgeslagen: je tekst bevat nieuwe persoonsgegevens ({kinds}). Een BSN hoort nooit in de "
              "kennisbank; haal het weg.",
        "en": "Not saved: your text contains new personal data ({kinds}). A BSN never belongs in the knowledge "
              "base; remove it.",
    },
    "pii_bsn": {"nl": "BSN", "en": "BSN"},
    "pii_iban": {"nl": "rekeningnummer", "en": "bank account number"},
    "pii_phone": {"nl": "telefoonnummer", "en": "phone number"},
    "pii_email": {"nl": "e-mailadres", "en": "e-mail address"},
    "pii_address": {"nl": "adres", "en": "address"},
    "article_already_archived": {"nl": "Al gearchiveerd: {title}", "en": "Already archived: {title}"},
    "article_not_archived": {"nl": "Niet gearchiveerd, dus niets terug te zetten: {title}",
                             "en": "Not archived, so nothing to restore: {title}"},
    "unknown_person": {"nl": "Persoon {id} staat niet in het smoelenboek.",
                       "en": "Person {id} is not in the directory."},
    "expertise_too_long": {
        "nl": "Te veel expertise: hoogstens {items} onderwerpen van elk hoogstens {chars} tekens.",
        "en": "Too much expertise: at most {items} topics of at most {chars} characters each.",
    },
    "expertise_personal": {
        "nl": "Niet opgeslagen: de expertise bevat persoonsgegevens. Noem alleen onderwerpen.",
        "en": "Not saved: the expertise contains personal data. Name topics only.",
    },
    "approved": {"nl": "Goedgekeurd: {title}", "en": "Approved: {title}"},
    "edited": {"nl": "Bewerkt en goedgekeurd: {title}", "en": "Edited and approved: {title}"},
    "edited_title_was": {"nl": "Titel was: {title}", "en": "Title was: {title}"},
    "edit_preview": {
        "nl": "Zo wordt beoordelingsitem {id}; er is nog niets goedgekeurd:",
        "en": "This is how review item {id} becomes; nothing is approved yet:",
    },
    "edit_title_becomes": {"nl": "Titel wordt: {title}", "en": "Title becomes: {title}"},
    "edit_body_becomes": {"nl": "Tekst wordt: {body}", "en": "Text becomes: {body}"},
    "edit_confirm": {"nl": "Goedkeuren met deze wijziging: {how}", "en": "Approve with this change: {how}"},
    "console_nothing_to_confirm": {
        "nl": "Er is geen bewerking om te bevestigen; begin met /bewerk R TITEL | TEKST.",
        "en": "There is no edit to confirm; start with /edit R TITLE | TEXT.",
    },
    "edited_body_was": {"nl": "Tekst was: {body}", "en": "Text was: {body}"},
    "edit_needs_body": {
        "nl": "Geef ook de tekst van het antwoord; er is niets goedgekeurd. Bijvoorbeeld: /bewerk {id} TITEL | TEKST",
        "en": "Give the answer's text too; nothing was approved. For example: /edit {id} TITLE | TEXT",
    },
    "not_your_question": {
        "nl": "Alleen wie vraag {id} stelde kan zeggen of het antwoord nuttig was.",
        "en": "Only the person who asked question {id} can say whether the answer helped.",
    },
    "merged": {
        "nl": "Samengevoegd met: {title}. De vraag is daar als extra formulering toegevoegd.",
        "en": "Merged into: {title}. The question was added there as another phrasing.",
    },
    "rejected": {"nl": "Afgewezen: {title}", "en": "Rejected: {title}"},
    "merge_unrelated": {
        "nl": "Niet samengevoegd: \"{answer}\" en \"{target}\" lijken niet over hetzelfde te gaan. Klopt het toch, "
              "voeg dan samen met --force (console: /samenvoegen {id} {into} --force).",
        "en": "Not merged: \"{answer}\" and \"{target}\" do not seem to be about the same thing. If it is right "
              "anyway, merge with --force (console: /samenvoegen {id} {into} --force).",
    },
    "stale_title": {
        "nl": "Toe aan herziening: {count} artikelen",
        "en": "Due for review: {count} articles",
    },
    "stale_title_one": {
        "nl": "Toe aan herziening: {count} artikel",
        "en": "Due for review: {count} article",
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
    # ui_: fixed labels of the owners' forms (Slack modals, Teams edit and merge cards)
    "ui_edit_title": {"nl": "Artikel bewerken", "en": "Edit article"},
    "ui_edit_heading": {"nl": "Bewerk het antwoord", "en": "Edit the answer"},
    "ui_merge_title": {"nl": "Samenvoegen", "en": "Merge"},
    "ui_merge_heading": {"nl": "Voeg samen", "en": "Merge"},
    "ui_title": {"nl": "Titel", "en": "Title"},
    "ui_body": {"nl": "Tekst", "en": "Text"},
    "ui_merge_into": {"nl": "Samenvoegen met", "en": "Merge into"},
    "ui_save": {"nl": "Opslaan", "en": "Save"},
    "ui_save_approve": {"nl": "Opslaan en goedkeuren", "en": "Save and approve"},
    "ui_merge": {"nl": "Samenvoegen", "en": "Merge"},
    "ui_cancel": {"nl": "Annuleren", "en": "Cancel"},
}

TEXTS.update(CONSOLE_TEXTS)  # the console adapter's own lines
TEXTS.update(CLI_TEXTS)  # the command line's results and errors
TEXTS.update(KB_TEXTS)  # import refusals and what calibration chose
TEXTS.update(WEB_TEXTS)  # the web console's texts live in their own module, checked with these
TEXTS.update(WEBART_TEXTS)  # and its Articles and People pages' texts
TEXTS.update(OPS_TEXTS)  # backup, restore and a second demo run
TEXTS.update(REROUTE_TEXTS)  # moving a question to another expert channel, and what routing learned


def t(key: str, lang: str | None, **values: object) -> str:
    """The text ``key`` in ``lang`` (Dutch when unknown), with ``values`` filled in. A count of one (``n`` or
    ``count``) takes ``<key>_one`` where there is one: "1 artikel", "2 artikelen"."""
    if (values.get("n", values.get("count")) == 1) and f"{key}_one" in TEXTS:
        key = f"{key}_one"
    variants = TEXTS[key]
    template = variants.get(lang or "nl", variants["nl"])
    return template.format(**values) if values else template


def apology(lang: str | None = None) -> str:
    return t("apology", lang)
