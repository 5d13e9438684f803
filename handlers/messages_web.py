"""The owners' web console's texts (keys ``web_``), Dutch and English; merged into handlers.messages.TEXTS,
so tests/test_messages.py checks them with the rest."""

from __future__ import annotations

WEB_TEXTS: dict[str, dict[str, str]] = {
    "web_title": {"nl": "Kennisbeheer", "en": "Knowledge console"},
    "web_nav_home": {"nl": "Overzicht", "en": "Overview"},
    "web_nav_reviews": {"nl": "Beoordelen", "en": "Review"},
    "web_nav_articles": {"nl": "Artikelen", "en": "Articles"},
    "web_nav_gaps": {"nl": "Kennisgaten", "en": "Knowledge gaps"},
    "web_nav_analytics": {"nl": "Cijfers", "en": "Analytics"},
    "web_nav_people": {"nl": "Mensen", "en": "People"},
    "web_signed_in_as": {"nl": "Ingelogd als {name}", "en": "Signed in as {name}"},
    "web_sign_out": {"nl": "Uitloggen", "en": "Sign out"},
    "web_back_home": {"nl": "Terug naar het overzicht", "en": "Back to the overview"},
    "web_login_title": {"nl": "Inloggen", "en": "Sign in"},
    "web_login_explain": {
        "nl": "Deze console is alleen voor kennisbeheerders. Vraag een eenmalige inloglink aan op de server met:",
        "en": "This console is for knowledge owners only. Get a one-time sign-in link on the server with:",
    },
    "web_login_name": {"nl": "NAAM", "en": "NAME"},
    "web_login_owners": {
        "nl": "Kennisbeheerders staan in VRAAGBAAK_OWNERS, VRAAGBAAK_SLACK_OWNERS of VRAAGBAAK_TEAMS_OWNERS. "
              "Een link werkt één keer en 15 minuten lang.",
        "en": "Knowledge owners are listed in VRAAGBAAK_OWNERS, VRAAGBAAK_SLACK_OWNERS or VRAAGBAAK_TEAMS_OWNERS. "
              "A link works once, for 15 minutes.",
    },
    "web_login_confirm": {
        "nl": "Je opent de console met een eenmalige inloglink.",
        "en": "You are opening the console with a one-time sign-in link.",
    },
    "web_login_button": {"nl": "Inloggen", "en": "Sign in"},
    "web_login_refused": {
        "nl": "Deze inloglink is onbekend, al gebruikt of verlopen, of je bent geen kennisbeheerder meer. "
              "Vraag een nieuwe aan met vraagbaak web-login.",
        "en": "This sign-in link is unknown, used or expired, or you are no longer a knowledge owner. "
              "Get a new one with vraagbaak web-login.",
    },
    "web_error_400": {"nl": "Dit verzoek klopt niet.", "en": "This request is not valid."},
    "web_error_403": {
        "nl": "Geweigerd: het formulier is verlopen of kwam niet van deze console. Laad de pagina opnieuw en "
              "probeer het nog eens.",
        "en": "Refused: the form expired or did not come from this console. Reload the page and try again.",
    },
    "web_error_404": {"nl": "Deze pagina bestaat niet.", "en": "This page does not exist."},
    "web_error_405": {"nl": "Dat kan op deze pagina niet.", "en": "That cannot be done on this page."},
    "web_error_413": {"nl": "Dat is te veel tekst in één keer.", "en": "That is too much text at once."},
    "web_error_429": {
        "nl": "Te veel inlogpogingen. Wacht een minuut en probeer het opnieuw.",
        "en": "Too many sign-in attempts. Wait a minute and try again.",
    },
    "web_error_other": {"nl": "Er ging iets mis.", "en": "Something went wrong."},
    "web_home_title": {"nl": "Wat er op je wacht", "en": "What waits for you"},
    "web_home_reviews": {"nl": "antwoorden te beoordelen", "en": "answers to review"},
    "web_home_gaps": {"nl": "kennisgaten", "en": "knowledge gaps"},
    "web_home_overdue": {"nl": "artikelen over hun herziendatum", "en": "articles past their review date"},
    "web_home_reviews_about": {
        "nl": "antwoorden van experts: goedkeuren, bewerken, samenvoegen of afwijzen",
        "en": "answers from experts: approve, edit, merge or reject",
    },
    "web_home_articles_about": {"nl": "zoeken, bewerken en archiveren", "en": "search, edit and archive"},
    "web_home_gaps_about": {
        "nl": "vragen zonder goed antwoord, gegroepeerd, de grootste eerst",
        "en": "questions without a good answer, grouped, the biggest first",
    },
    "web_home_analytics_about": {
        "nl": "vragen, antwoorden en wachttijden per periode en kanaal",
        "en": "questions, answers and waiting times per period and channel",
    },
    "web_home_people_about": {
        "nl": "wie wat weet en wie wat beantwoordde", "en": "who knows what and who answered what",
    },
    "cli_web_not_owner": {
        "nl": "{name} is geen kennisbeheerder; alleen wie in VRAAGBAAK_OWNERS, VRAAGBAAK_SLACK_OWNERS of "
              "VRAAGBAAK_TEAMS_OWNERS staat, krijgt een inloglink",
        "en": "{name} is not a knowledge owner; only those in VRAAGBAAK_OWNERS, VRAAGBAAK_SLACK_OWNERS or "
              "VRAAGBAAK_TEAMS_OWNERS get a sign-in link",
    },
    "cli_web_login_valid": {
        "nl": "Inloglink voor {name}: één keer te gebruiken, {minutes} minuten geldig.",
        "en": "Sign-in link for {name}: use it once, within {minutes} minutes.",
    },
    "web_done": {"nl": "Gedaan.", "en": "Done."},
    "web_review_title": {"nl": "Te beoordelen ({count})", "en": "To review ({count})"},
    "web_review_empty": {"nl": "Er wacht niets op beoordeling.", "en": "Nothing waits for review."},
    "web_status_provisional": {"nl": "voorlopig", "en": "provisional"},
    "web_status_held": {"nl": "achtergehouden: persoonsgegevens", "en": "held: personal data"},
    "web_status_validated": {"nl": "goedgekeurd", "en": "validated"},
    "web_status_archived": {"nl": "gearchiveerd", "en": "archived"},
    "web_review_held": {
        "nl": "Let op: de vraag ging over één persoon (er stonden persoonsgegevens in). Dit antwoord blijft buiten "
              "de zoekresultaten tot je beoordeelt of het algemeen geldt.",
        "en": "Note: the question was about one person (it carried personal data). This answer stays out of search "
              "until you judge whether it holds in general.",
    },
    "web_review_question": {"nl": "De vraag", "en": "The question"},
    "web_review_thread": {"nl": "Draad in {channel}", "en": "Thread in {channel}"},
    "web_review_marked": {"nl": "gemarkeerd als antwoord", "en": "marked as the answer"},
    "web_review_no_replies": {"nl": "Geen antwoorden bewaard.", "en": "No replies stored."},
    "web_review_answer": {"nl": "Het antwoord", "en": "The answer"},
    "web_review_phrasings": {"nl": "Gestelde vragen:", "en": "Questions asked:"},
    "web_review_source": {"nl": "Bron: {source}", "en": "Source: {source}"},
    "web_review_similar": {"nl": "Lijkt op", "en": "Closest articles"},
    "web_review_no_similar": {"nl": "Geen bestaand artikel lijkt erop.", "en": "No existing article is like it."},
    "web_review_diff_legend": {
        "nl": "Groen: alleen in het antwoord; doorgestreept: alleen in het artikel.",
        "en": "Green: only in the answer; struck through: only in the article.",
    },
    "web_review_approve": {"nl": "Goedkeuren", "en": "Approve"},
    "web_review_edit": {"nl": "Bewerken en goedkeuren", "en": "Edit and approve"},
    "web_review_save": {"nl": "Opslaan en goedkeuren", "en": "Save and approve"},
    "web_review_merge": {"nl": "Samenvoegen", "en": "Merge"},
    "web_review_merge_into": {"nl": "Voeg samen met", "en": "Merge into"},
    "web_review_merge_other": {"nl": "of een ander artikel-id", "en": "or another article id"},
    "web_review_merge_force": {
        "nl": "ook als het artikel er niet op lijkt", "en": "even when the article does not look related",
    },
    "web_review_reject": {"nl": "Afwijzen", "en": "Reject"},
    "web_review_reject_reason": {"nl": "Reden", "en": "Reason"},
    "web_field_title": {"nl": "Titel", "en": "Title"},
    "web_field_body": {"nl": "Tekst", "en": "Text"},
    "web_field_keywords": {"nl": "Trefwoorden (met komma's)", "en": "Keywords (comma-separated)"},
    "web_field_questions": {"nl": "Vragen (één per regel)", "en": "Questions (one a line)"},
    "web_field_owner": {"nl": "Eigenaar", "en": "Owner"},
    "web_field_review_date": {"nl": "Herzien vóór", "en": "Review by"},
    "web_cancel": {"nl": "Annuleren", "en": "Cancel"},
    "web_gap_write_title": {"nl": "Nieuw artikel uit een kennisgat", "en": "New article from a knowledge gap"},
    "web_gap_write_personal": {
        "nl": "Let op: een van deze vragen ging over één persoon (er stonden persoonsgegevens in). Maak de tekst "
              "algemeen voor je hem opslaat.",
        "en": "Note: one of these questions was about one person (it carried personal data). Make the text general "
              "before you save it.",
    },
    "web_gap_write_save": {"nl": "Artikel opslaan", "en": "Save the article"},
    "web_gap_written": {"nl": "Artikel opgeslagen: {title} ({id})", "en": "Article saved: {title} ({id})"},
    # use-case texts the console brought (handlers/curate.py), for every adapter
    "bad_review_date": {
        "nl": "'{value}' is geen datum; schrijf de herziendatum als 2027-06-01",
        "en": "'{value}' is not a date; write the review date as 2027-06-01",
    },
    "create_needs_title_body": {
        "nl": "Een artikel heeft een titel en een tekst nodig.",
        "en": "An article needs a title and a text.",
    },
}
