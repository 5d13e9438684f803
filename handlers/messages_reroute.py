"""Texts of re-routing (handlers/reroute.py) and of what routing learned, in Dutch and English; checked with
handlers.messages.TEXTS (tests/test_messages.py)."""

from __future__ import annotations

REROUTE_TEXTS: dict[str, dict[str, str]] = {
    "btn_reroute": {"nl": "Doorsturen", "en": "Re-route"},
    "rerouted": {
        "nl": "Doorgestuurd naar {channel}. De vraagsteller hoort het; de herinneringen beginnen daar opnieuw.",
        "en": "Moved to {channel}. The asker is told; the reminders start again there.",
    },
    "reroute_unknown_channel": {
        "nl": "Kanaal '{channel}' ken ik niet als expertkanaal. Kies een van: {known}.",
        "en": "'{channel}' is not an expert channel I know. Choose one of: {known}.",
    },
    "reroute_same_channel": {
        "nl": "Deze vraag staat al in {channel}. Kies een ander expertkanaal.",
        "en": "This question is already in {channel}. Choose another expert channel.",
    },
    "reroute_answered": {
        "nl": "Deze vraag is al beantwoord; doorsturen kan niet meer.",
        "en": "This question has been answered already; it can no longer be moved.",
    },
    "reroute_already": {
        "nl": "Iemand anders stuurde deze vraag net door; hij staat nu in {channel}.",
        "en": "Someone else just moved this question; it is now in {channel}.",
    },
    "reroute_not_escalation": {
        "nl": "Bericht {id} is geen expertvraag van Vraagbaak.",
        "en": "Message {id} is not an expert question from Vraagbaak.",
    },
    "reroute_from": {
        "nl": "↪ Doorgestuurd vanuit {channel} door {who}.",
        "en": "↪ Moved here from {channel} by {who}.",
    },
    "reroute_history": {"nl": "Eerder gezegd:", "en": "Said before:"},
    "reroute_history_item": {"nl": "{author} in {channel}: {text}", "en": "{author} in {channel}: {text}"},
    "reroute_note": {
        "nl": "↪ {who} stuurde deze vraag door naar {channel}. Antwoord daar, niet hier.",
        "en": "↪ {who} moved this question to {channel}. Answer there, not here.",
    },
    "reroute_moved_post": {
        "nl": "↪ Doorgestuurd naar {channel} door {who}.",
        "en": "↪ Moved to {channel} by {who}.",
    },
    "reroute_told": {
        "nl": "Je vraag is doorgestuurd naar {channel}: daar zitten de experts die hem kunnen beantwoorden. Je hoort"
              " het antwoord hier.",
        "en": "Your question was moved to {channel}, where the experts who can answer it are. You will get the"
              " answer here.",
    },
    "cli_forget_learned_routes": {
        "nl": "geleerde routes uit hun vragen (verwijderd) of door hen geleerd (naam wordt 'een collega')",
        "en": "learned routes from their questions (deleted) or taught by them (name becomes 'een collega')",
    },
    "console_what_lesson": {"nl": "de les (zie /geleerd)", "en": "the lesson (see /learned)"},
    "ui_reroute_title": {"nl": "Doorsturen", "en": "Re-route"},
    "ui_reroute_to": {"nl": "Naar expertkanaal", "en": "To expert channel"},
    "ui_reroute_heading": {"nl": "Vraag doorsturen naar een ander expertkanaal",
                           "en": "Move the question to another expert channel"},
    # the web console's routing page (bot/web/routing.py)
    "web_nav_routing": {"nl": "Routering", "en": "Routing"},
    "web_routing_title": {"nl": "Routering: open expertvragen en wat er geleerd is",
                          "en": "Routing: open expert questions and what was learned"},
    "web_routing_open": {"nl": "Open expertvragen ({count})", "en": "Open expert questions ({count})"},
    "web_routing_open_empty": {"nl": "Geen open expertvragen.", "en": "No open expert questions."},
    "web_routing_learned": {"nl": "Geleerde routes ({count})", "en": "Learned routes ({count})"},
    "web_routing_learned_about": {
        "nl": "Een vraag die op een les lijkt, gaat eerst naar het kanaal van die les. Maak een les ongedaan als hij"
              " niet klopt: zulke vragen volgen dan weer de trefwoorden.",
        "en": "A question like a lesson goes to that lesson's channel first. Undo a lesson that is wrong: such"
              " questions then follow the keywords again.",
    },
    "web_routing_undo": {"nl": "Ongedaan maken", "en": "Undo"},
    "web_home_routing_about": {"nl": "open expertvragen doorsturen; geleerde routes bekijken en terugdraaien",
                               "en": "move open expert questions; see and undo learned routes"},
    # what routing learned (an owner's view; console, command line, web console)
    "learned_title": {"nl": "Geleerde routes ({count})", "en": "Learned routes ({count})"},
    "learned_title_one": {"nl": "Geleerde route (1)", "en": "Learned route (1)"},
    "learned_none": {
        "nl": "Routering heeft nog niets geleerd: dat gebeurt als een expert een vraag doorstuurt.",
        "en": "Routing has learned nothing yet: it learns when an expert moves a question.",
    },
    "learned_item": {
        "nl": "[{id}] {words} → {channel} ({source}, {who}, {date})",
        "en": "[{id}] {words} → {channel} ({source}, {who}, {date})",
    },
    "learned_source_reroute": {"nl": "doorgestuurd", "en": "re-routed"},
    "learned_source_answered": {"nl": "daar beantwoord", "en": "answered there"},
    "learned_confirmed": {"nl": "bevestigd door een antwoord", "en": "confirmed by an answer"},
    "learned_undone": {
        "nl": "Les {id} is ongedaan gemaakt: vragen met '{words}' volgen weer de trefwoorden.",
        "en": "Lesson {id} is undone: questions with '{words}' follow the keywords again.",
    },
    "learned_unknown": {
        "nl": "Les {id} bestaat niet of is al ongedaan gemaakt.",
        "en": "Lesson {id} does not exist or was undone already.",
    },
    "learned_owners_only": {
        "nl": "Alleen kennisbeheerders kunnen geleerde routes ongedaan maken.",
        "en": "Only knowledge owners can undo learned routes.",
    },
}
