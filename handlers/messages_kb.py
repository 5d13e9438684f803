"""What the knowledge base takes in and chooses, Dutch and English: why a row of an imported file is refused
(``imp_``) and what ``vraagbaak calibrate`` chose and why (``calibration_``); merged into handlers.messages.TEXTS,
so tests/test_messages.py checks them with the rest."""

from __future__ import annotations

KB_TEXTS: dict[str, dict[str, str]] = {
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
