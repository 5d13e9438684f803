"""The console adapter's own lines (``vraagbaak chat`` / ``demo``), Dutch and English; merged into
handlers.messages.TEXTS, so tests/test_messages.py checks them with the rest."""

from __future__ import annotations

CONSOLE_TEXTS: dict[str, dict[str, str]] = {
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
}
