"""The command line's texts for operating the store (``vraagbaak backup``, ``restore``) and for a second
``vraagbaak demo``, Dutch and English; merged into handlers.messages.TEXTS, so tests/test_messages.py checks them
with the rest."""

from __future__ import annotations

OPS_TEXTS: dict[str, dict[str, str]] = {
    "cli_count_synonym_pairs": {"nl": "{n} synoniemen", "en": "{n} synonyms"},
    "cli_count_synonym_pairs_one": {"nl": "{n} synoniem", "en": "{n} synonym"},
    # a second `vraagbaak demo`
    "cli_demo_topped_up": {"nl": "Demo aangevuld in {path}; toegevoegd: {counts}",
                           "en": "Demo topped up in {path}; added: {counts}"},
    "cli_demo_kept": {"nl": "Gelaten zoals het was: {kept}", "en": "Left as it was: {kept}"},
    "cli_demo_changed": {"nl": " (waarvan {count} gewijzigd sinds de demo)",
                         "en": " ({count} of them changed since the demo)"},
    "cli_demo_questions": {
        "nl": "de {n} vragen die er al waren (de demogeschiedenis komt alleen in een lege database)",
        "en": "the {n} questions already there (the demo history only goes into an empty database)",
    },
    "cli_demo_questions_one": {
        "nl": "de {n} vraag die er al was (de demogeschiedenis komt alleen in een lege database)",
        "en": "the {n} question already there (the demo history only goes into an empty database)",
    },
    "cli_demo_left_out": {
        "nl": "Niet teruggezet (een eerdere demo zette ze erin, daarna zijn ze verwijderd): {items}",
        "en": "Not brought back (an earlier demo put them in, they were removed since): {items}",
    },
}
