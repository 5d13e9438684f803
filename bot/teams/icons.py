"""The app package's icons, drawn by a tiny PNG writer (zlib + struct, no imaging library).

``python -m bot.teams.icons`` rewrites ``bot/teams/app/color.png`` (192x192, full colour) and
``outline.png`` (32x32, white on transparent, as Teams requires).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

RGBA = tuple[int, int, int, int]
APP_DIR = Path(__file__).with_name("app")


def png(width: int, height: int, pixel: Callable[[int, int], RGBA]) -> bytes:
    """An 8-bit RGBA PNG whose pixel (x, y) is ``pixel(x, y)``."""
    rows = b"".join(b"\x00" + b"".join(struct.pack("4B", *pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _bubble(size: int, x: int, y: int) -> bool:
    """A speech bubble with a tail, in a ``size`` square: the bot's mark."""
    u, v = (x + 0.5) / size, (y + 0.5) / size
    body = ((u - 0.5) / 0.36) ** 2 + ((v - 0.45) / 0.28) ** 2 <= 1
    tail = 0.26 <= u <= 0.42 and 0.62 <= v <= 0.84 and (u - 0.26) <= (0.84 - v) * 0.9
    return body or tail


def _question_mark(size: int, x: int, y: int) -> bool:
    u, v = (x + 0.5) / size, (y + 0.5) / size
    ring = 0.07**2 <= (u - 0.5) ** 2 + (v - 0.38) ** 2 <= 0.12**2 and not (u < 0.5 and v > 0.38)
    stem = 0.46 <= u <= 0.54 and 0.46 <= v <= 0.56
    dot = (u - 0.5) ** 2 + (v - 0.63) ** 2 <= 0.035**2
    return ring or stem or dot


def color_icon() -> bytes:
    def pixel(x: int, y: int) -> RGBA:
        if _bubble(192, x, y) and not _question_mark(192, x, y):
            return (255, 255, 255, 255)
        return (0, 104, 180, 255)  # the accent colour, #0068B4

    return png(192, 192, pixel)


def outline_icon() -> bytes:
    def pixel(x: int, y: int) -> RGBA:
        on = _bubble(32, x, y) and not _question_mark(32, x, y)
        return (255, 255, 255, 255) if on else (0, 0, 0, 0)

    return png(32, 32, pixel)


def write_icons(folder: Path = APP_DIR) -> None:
    (folder / "color.png").write_bytes(color_icon())
    (folder / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    write_icons()
