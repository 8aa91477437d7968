"""Just enough PNG decoding (8-bit RGB or RGBA, not interlaced: what Chromium writes) to look at
a screenshot's pixels without an imaging library."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def pixels(path: Path) -> tuple[int, int, list[bytearray], int]:
    """(width, height, rows of bytes, bytes per pixel)."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a PNG")
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    assert header is not None
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit RGB(A), not interlaced")
    step = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            add = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
            line[i] = (line[i] + add) & 0xFF
        rows.append(line)
        previous = line
    return width, height, rows, step


def has_color(path: Path, rgb: tuple[int, int, int], box: tuple[int, int, int, int]) -> bool:
    """Whether any pixel in box (left, top, right, bottom) is within 8 of `rgb` per channel."""
    width, height, rows, step = pixels(path)
    left, top, right, bottom = box
    for y in range(top, min(bottom, height)):
        row = rows[y]
        for x in range(left, min(right, width)):
            pixel = row[x * step : x * step + 3]
            if all(abs(p - c) <= 8 for p, c in zip(pixel, rgb, strict=True)):
                return True
    return False
