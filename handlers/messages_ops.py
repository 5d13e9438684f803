"""The command line's texts for operating the store (``vraagbaak backup``, ``restore``) and for a second
``vraagbaak demo``, Dutch and English; merged into handlers.messages.TEXTS, so tests/test_messages.py checks them
with the rest."""

from __future__ import annotations

OPS_TEXTS: dict[str, dict[str, str]] = {
    "cli_count_questions": {"nl": "{n} vragen", "en": "{n} questions"},
    "cli_count_questions_one": {"nl": "{n} vraag", "en": "{n} question"},
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
    "cli_db_unreachable": {
        "nl": "de PostgreSQL-database is niet bereikbaar: {reason}",
        "en": "the PostgreSQL database cannot be reached: {reason}",
    },
    # vraagbaak copy FROM TO
    "cli_progress_copy": {"nl": "rijen", "en": "rows"},
    "cli_copy_same": {
        "nl": "{db} is zowel bron als doel: kies een ander doel.",
        "en": "{db} is both source and target: choose another target.",
    },
    "cli_copy_no_source": {
        "nl": "Er is geen database in {db}: er is niets om te kopiëren.",
        "en": "There is no database at {db}: there is nothing to copy.",
    },
    "cli_copy_not_empty": {
        "nl": "{db} bevat al gegevens: kies een lege database of geef --replace om wat erin staat eerst te "
              "verwijderen.",
        "en": "{db} already holds data: choose an empty database or give --replace to remove what it holds first.",
    },
    "cli_copy_done": {
        "nl": "Gekopieerd: {source} -> {target} ({rows} rijen; {articles} artikelen, {questions} vragen, "
              "{audit} auditregels).",
        "en": "Copied: {source} -> {target} ({rows} rows; {articles} articles, {questions} questions, "
              "{audit} audit entries).",
    },
    "cli_copy_audit_as_source": {
        "nl": "Op de bron klopt hij met deze sleutel ook niet: staat VRAAGBAAK_AUDIT_KEY zoals de bot hem gebruikt?",
        "en": "It does not hold on the source with this key either: is VRAAGBAAK_AUDIT_KEY set as the bot uses it?",
    },
    "cli_copy_audit_intact": {
        "nl": "De auditketen van de kopie is gecontroleerd: intact ({entries} regels).",
        "en": "The copy's audit chain was checked: intact ({entries} entries).",
    },
    "cli_copy_audit_broken": {
        "nl": "De auditketen van de kopie klopt niet (met deze VRAAGBAAK_AUDIT_KEY): {problem}",
        "en": "The copy's audit chain does not hold (with this VRAAGBAAK_AUDIT_KEY): {problem}",
    },
    # vraagbaak backup FILE
    # backup and restore copy a SQLite file; a PostgreSQL database has its own tools
    "cli_backup_on_postgres": {
        "nl": "vraagbaak backup kopieert een SQLite-bestand; VRAAGBAAK_DB is PostgreSQL: gebruik pg_dump.",
        "en": "vraagbaak backup copies a SQLite file; VRAAGBAAK_DB is PostgreSQL: use pg_dump.",
    },
    "cli_restore_on_postgres": {
        "nl": "vraagbaak restore zet een SQLite-bestand terug; VRAAGBAAK_DB is PostgreSQL: gebruik pg_restore.",
        "en": "vraagbaak restore puts back a SQLite file; VRAAGBAAK_DB is PostgreSQL: use pg_restore.",
    },
    "cli_backup_written": {
        "nl": "Reservekopie geschreven: {path} ({size}; {counts}; integrity_check: ok; in {seconds} s)",
        "en": "Backup written: {path} ({size}; {counts}; integrity_check: ok; in {seconds} s)",
    },
    "cli_backup_no_database": {
        "nl": "Er is geen database in {path} (VRAAGBAAK_DB): er is niets om een reservekopie van te maken.",
        "en": "There is no database at {path} (VRAAGBAAK_DB): there is nothing to back up.",
    },
    "cli_backup_is_folder": {
        "nl": "{path} is een map: geef een bestandsnaam, bijv. {path}/vraagbaak-2026-01-31.db.",
        "en": "{path} is a folder: give a file name, e.g. {path}/vraagbaak-2026-01-31.db.",
    },
    "cli_backup_exists": {
        "nl": "{path} bestaat al: kies een nieuwe naam (bijv. met de datum erin) of geef --replace om het te "
              "vervangen.",
        "en": "{path} already exists: choose a new name (e.g. with the date in it) or give --replace to replace "
              "it.",
    },
    "cli_backup_same_file": {
        "nl": "{path} is de database zelf (VRAAGBAAK_DB): kies een ander bestand.",
        "en": "{path} is the database itself (VRAAGBAAK_DB): choose another file.",
    },
    "cli_backup_not_sqlite": {"nl": "{path} is geen SQLite-database.", "en": "{path} is not a SQLite database."},
    "cli_backup_not_vraagbaak": {
        "nl": "{path} is een SQLite-database, maar niet van Vraagbaak (ontbreekt: {missing}).",
        "en": "{path} is a SQLite database, but not a Vraagbaak one (missing: {missing}).",
    },
    "cli_backup_newer": {
        "nl": "{path} komt van een nieuwere Vraagbaak (schema {found}; deze versie kent tot {known}): werk Vraagbaak "
              "eerst bij.",
        "en": "{path} comes from a newer Vraagbaak (schema {found}; this version knows up to {known}): upgrade "
              "Vraagbaak first.",
    },
    "cli_backup_damaged": {
        "nl": "{path} is beschadigd; PRAGMA integrity_check meldt: {problem}",
        "en": "{path} is damaged; PRAGMA integrity_check reports: {problem}",
    },
    "cli_backup_failed": {"nl": "{path} is niet geschreven: {reason}", "en": "{path} was not written: {reason}"},
    # vraagbaak restore FILE
    "cli_restored": {
        "nl": "Teruggezet: {path} is nu de reservekopie {source} ({size}; {counts}; integrity_check: ok).",
        "en": "Restored: {path} is now the backup {source} ({size}; {counts}; integrity_check: ok).",
    },
    "cli_restore_aside": {"nl": "Het vervangen bestand staat in {aside}.",
                          "en": "The replaced file is kept as {aside}."},
    "cli_backup_in_use_by": {
        "nl": "{path} is in gebruik door proces {pid} ({command}). Stop dat eerst (bijv. systemctl stop "
              "vraagbaak-slack, kill {pid}, of Ctrl+C waar het draait) en geef restore dan opnieuw.",
        "en": "{path} is in use by process {pid} ({command}). Stop it first (e.g. systemctl stop vraagbaak-slack,"
              " kill {pid}, or Ctrl+C where it runs), then run restore again.",
    },
    "cli_backup_in_use": {
        "nl": "{path} is in gebruik door een ander proces (vraagbaak serve, chat of een sqlite3-shell). Stop dat eerst "
              "en geef restore dan opnieuw.",
        "en": "{path} is in use by another process (vraagbaak serve, chat or a sqlite3 shell). Stop it first, then "
              "run restore again.",
    },
}
