"""Bytes a user handed in, read as text: the one rule every reader of files (RDF syntaxes, CSV
templates) applies before it parses anything."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

# A label, comment or quote is text a person wrote; a megabyte-long literal is an attack or an accident.
MAX_LITERAL = 100_000


def decode_utf8(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "binary data, not a text file", line=line_of(raw, raw.index(b"\x00")))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            path,
            f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); save the file as UTF-8",
            line=line_of(raw, error.start),
        ) from error


def line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1
