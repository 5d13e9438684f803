"""The Teams app package: flat zip, manifest 1.19+ with the app id, both icons; manifest matches the code."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.config import SETTINGS, Settings
from bot.teams import inbound, serve, write_package
from bot.teams.icons import color_icon, outline_icon
from handlers.errors import UserError
from tests.teams.fakes import APP_ID


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + chunk)
        idat += chunk if kind == b"IDAT" else b""
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    pixels = [tuple(raw[y * stride + 1 + x * 4 : y * stride + 5 + x * 4]) for y in range(height) for x in range(width)]
    return width, height, pixels


def test_package(tmp_path: Path) -> None:
    path = write_package(Settings(microsoft_app_id=APP_ID), tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
    assert "${{" not in json.dumps(manifest)
    assert manifest["$schema"] == "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
    assert tuple(int(x) for x in manifest["manifestVersion"].split(".")) >= (1, 19)
    assert manifest["id"] == APP_ID and manifest["webApplicationInfo"]["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == APP_ID
    [command] = extension["commands"]
    assert (command["id"], command["type"], command["context"]) == (
        inbound.MARK_COMMAND,
        "action",
        ["message"],
    )
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in (
        manifest["authorization"]["permissions"]["resourceSpecific"]
    )
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    commands = {c["title"] for lst in bot["commandLists"] for c in lst["commands"]}
    assert commands == inbound.HOME_COMMANDS  # every listed command has a handler, and back

    width, height, pixels = png_pixels(color)
    assert (width, height) == (192, 192) and all(p[3] == 255 for p in pixels)
    width, height, pixels = png_pixels(outline)
    assert (width, height) == (32, 32)
    assert {p for p in pixels} == {(255, 255, 255, 255), (0, 0, 0, 0)}  # white on transparent


def test_icons_in_the_tree_are_the_generated_ones() -> None:
    app = Path(inbound.__file__).with_name("app")
    assert (app / "color.png").read_bytes() == color_icon()
    assert (app / "outline.png").read_bytes() == outline_icon()


def test_package_needs_a_real_app_id(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        write_package(Settings(microsoft_app_id=""), tmp_path / "x.zip")
    assert write_package(Settings(microsoft_app_id=APP_ID), tmp_path / "out" / "app.zip").name == "app.zip"


def test_docs_name_the_commands_and_settings() -> None:
    docs = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for needle in (
        "vraagbaak serve teams",
        "vraagbaak teams-package",
        "vraagbaak import people --from graph",
        "/api/messages",
        "Markeer als antwoord",
        *(SETTINGS[name].env for name in SETTINGS if name.startswith(("microsoft_", "teams_", "graph_"))),
        SETTINGS["botframework_openid_metadata"].env,
        *sorted(inbound.HOME_COMMANDS),
    ):
        assert needle in docs, needle


def test_serve_refuses_to_start_without_credentials() -> None:
    with pytest.raises(UserError, match="MICROSOFT_APP_PASSWORD"):
        serve(Settings(microsoft_app_id=APP_ID, microsoft_app_tenant_id="t"), port=0)
