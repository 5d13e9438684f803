"""``write_package``: the zip to upload to Teams (manifest.json with the app id, and both icons, flat)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bot.config import Settings
from handlers.errors import UserError
from handlers.messages import t

APP_DIR = Path(__file__).with_name("app")
PLACEHOLDER = "${{MICROSOFT_APP_ID}}"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def manifest(settings: Settings) -> dict[str, Any]:
    """The manifest template with the Azure Bot's app id filled in everywhere it is needed."""
    app_id = settings.microsoft_app_id.strip()
    if not _GUID.match(app_id):
        raise UserError(t("cli_teams_app_id", settings.lang))
    text = (APP_DIR / "manifest.json").read_text(encoding="utf-8")
    return dict(json.loads(text.replace(PLACEHOLDER, app_id)))


def write_package(settings: Settings, out: Path) -> Path:
    """Write the app package to ``out`` (a .zip path, or a folder to put ``vraagbaak-teams.zip`` in)."""
    out = Path(out)
    target = out / "vraagbaak-teams.zip" if out.is_dir() else out
    target.parent.mkdir(parents=True, exist_ok=True)
    content = json.dumps(manifest(settings), indent=2, ensure_ascii=False)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", content)
        for icon in ICONS:
            archive.write(APP_DIR / icon, arcname=icon)
    return target
