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
}
