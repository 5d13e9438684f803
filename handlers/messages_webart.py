"""The web console's Articles and People pages' texts (keys ``web_``), Dutch and English; merged into
handlers.messages.TEXTS beside the console's own (handlers/messages_web.py), so tests/test_messages.py checks them."""

from __future__ import annotations

WEBART_TEXTS: dict[str, dict[str, str]] = {
    # --- the list ---
    "web_articles_title": {"nl": "Artikelen ({count})", "en": "Articles ({count})"},
    "web_articles_search": {"nl": "Zoeken", "en": "Search"},
    "web_articles_status": {"nl": "Status", "en": "Status"},
    "web_articles_any": {"nl": "alle", "en": "any"},
    "web_articles_lang": {"nl": "Taal", "en": "Language"},
    "web_articles_due": {"nl": "Toe aan herziening", "en": "Due for review"},
    "web_articles_find": {"nl": "Zoek", "en": "Find"},
    "web_articles_none": {"nl": "Geen artikelen gevonden.", "en": "No articles found."},
    "web_articles_overdue": {"nl": "te laat", "en": "overdue"},
    "web_articles_updated": {"nl": "Gewijzigd", "en": "Changed"},
    "web_page_previous": {"nl": "Vorige", "en": "Previous"},
    "web_page_next": {"nl": "Volgende", "en": "Next"},
    "web_page_of": {"nl": "Pagina {page} van {pages}", "en": "Page {page} of {pages}"},
    # --- one article ---
    "web_article_version": {"nl": "Versie", "en": "Version"},
    "web_article_source": {"nl": "Bron", "en": "Source"},
    "web_article_url": {"nl": "Link", "en": "Link"},
    "web_article_text": {"nl": "Tekst", "en": "Text"},
    "web_article_phrasings": {"nl": "Vraagformuleringen", "en": "Phrasings"},
    "web_article_keywords": {"nl": "Trefwoorden", "en": "Keywords"},
    "web_article_your_changes": {
        "nl": "Jouw tekst tegenover het artikel zoals het nu is",
        "en": "Your text against the article as it is now",
    },
    "web_article_diff_legend": {
        "nl": "Groen: alleen in jouw tekst; doorgestreept: alleen in het artikel zoals het nu is.",
        "en": "Green: only in your text; struck through: only in the article as it is now.",
    },
    "web_article_edit": {"nl": "Bewerken", "en": "Edit"},
    "web_article_body_markdown": {"nl": "Tekst (Markdown)", "en": "Text (Markdown)"},
    "web_article_preview": {"nl": "Voorbeeld (nog niet opgeslagen)", "en": "Preview (not saved yet)"},
    "web_article_preview_button": {"nl": "Voorbeeld", "en": "Preview"},
    "web_article_save": {"nl": "Opslaan", "en": "Save"},
    "web_article_confirm_public": {
        "nl": "Dit zijn openbare gegevens van de organisatie, geen gegevens van een inwoner of klant.",
        "en": "These are the organisation's public details, not a resident's or customer's data.",
    },
    "web_article_archive": {"nl": "Archiveren", "en": "Archive"},
    "web_article_restore": {"nl": "Terugzetten", "en": "Restore"},
    "web_article_saved": {"nl": "Opgeslagen: {title}", "en": "Saved: {title}"},
    "web_article_archived": {"nl": "Gearchiveerd: {title}", "en": "Archived: {title}"},
    "web_article_restored": {"nl": "Teruggezet: {title}", "en": "Restored: {title}"},
    # --- history ---
    "web_article_history": {"nl": "Geschiedenis", "en": "History"},
    "web_history_when": {"nl": "Wanneer", "en": "When"},
    "web_history_who": {"nl": "Wie", "en": "Who"},
    "web_history_what": {"nl": "Wat", "en": "What"},
    "web_history_detail": {"nl": "Details", "en": "Details"},
    "web_history_none": {"nl": "Nog geen wijzigingen vastgelegd.", "en": "No changes recorded yet."},
    "web_history_version": {"nl": "versie {version}", "en": "version {version}"},
    "web_history_article_saved": {"nl": "bewerkt", "en": "edited"},
    "web_history_article_archived": {"nl": "gearchiveerd", "en": "archived"},
    "web_history_article_restored": {"nl": "teruggezet", "en": "restored"},
    "web_history_log_article": {"nl": "expertantwoord vastgelegd", "en": "expert answer logged"},
    "web_history_review_approved": {"nl": "goedgekeurd", "en": "approved"},
    "web_history_review_rejected": {"nl": "afgewezen", "en": "rejected"},
    "web_history_review_merged": {"nl": "samengevoegd", "en": "merged"},
    "web_history_edit_article": {"nl": "bewerkt bij beoordeling", "en": "edited in review"},
    "web_history_create_article": {"nl": "aangemaakt", "en": "created"},
    # --- people ---
    "web_people_title": {"nl": "Mensen ({count})", "en": "People ({count})"},
    "web_people_about": {
        "nl": "Het smoelenboek met ieders expertise, en wie er echt antwoorden: reacties in expertvragen en "
              "gemarkeerde antwoorden.",
        "en": "The directory with everyone's expertise, and who really answers: replies in expert threads and "
              "marked answers.",
    },
    "web_people_search": {"nl": "Zoek op naam, afdeling of expertise", "en": "Search by name, department or expertise"},
    "web_people_none": {"nl": "Niemand gevonden.", "en": "Nobody found."},
    "web_people_name": {"nl": "Naam", "en": "Name"},
    "web_people_expertise": {"nl": "Expertise", "en": "Expertise"},
    "web_people_replies": {"nl": "Reacties", "en": "Replies"},
    "web_people_marked": {"nl": "Gemarkeerd", "en": "Marked"},
    "web_people_marked_one": {"nl": "gemarkeerd als antwoord", "en": "marked as the answer"},
    "web_people_channels": {"nl": "Kanalen", "en": "Channels"},
    "web_people_channel": {"nl": "Kanaal", "en": "Channel"},
    "web_people_last": {"nl": "Laatste antwoord", "en": "Last answer"},
    "web_people_counts": {
        "nl": "{replies} reacties in expertvragen, {marked} gemarkeerd als antwoord.",
        "en": "{replies} replies in expert threads, {marked} marked as the answer.",
    },
    "web_people_expertise_edit": {
        "nl": "Expertise (onderwerpen, met komma's)",
        "en": "Expertise (topics, comma-separated)",
    },
    "web_people_expertise_saved": {"nl": "Expertise opgeslagen voor {name}.", "en": "Expertise saved for {name}."},
    "web_people_unlisted": {"nl": "Niet in het smoelenboek", "en": "Not in the directory"},
    "web_people_unlisted_about": {
        "nl": "Reacties in expertvragen van mensen die het smoelenboek niet kent (op chat-id of naam).",
        "en": "Replies in expert threads from people the directory does not know (by chat id or name).",
    },
    "web_people_answers": {"nl": "Antwoorden ({count})", "en": "Answers ({count})"},
    "web_people_question": {"nl": "Vraag", "en": "Question"},
    "web_people_answer": {"nl": "Antwoord", "en": "Answer"},
    "web_people_removed": {"nl": "(verwijderd na de bewaartermijn)", "en": "(removed after the retention period)"},
    "web_people_no_answers": {"nl": "Nog geen antwoorden in expertvragen.", "en": "No answers in expert threads yet."},
}
