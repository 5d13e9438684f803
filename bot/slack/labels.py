"""The few fixed UI labels the adapter owns (modal titles and fields); everything else a person reads
comes from the handlers' Messages."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "edit_title": "Artikel bewerken",
        "merge_title": "Samenvoegen",
        "title": "Titel",
        "body": "Tekst",
        "merge_into": "Samenvoegen met",
        "save": "Opslaan",
        "merge": "Samenvoegen",
        "cancel": "Annuleren",
    },
    "en": {
        "edit_title": "Edit article",
        "merge_title": "Merge",
        "title": "Title",
        "body": "Text",
        "merge_into": "Merge into",
        "save": "Save",
        "merge": "Merge",
        "cancel": "Cancel",
    },
}


def label(key: str, lang: str | None) -> str:
    return LABELS.get(lang or "nl", LABELS["nl"])[key]
