"""The period's CSV tables as rows of text: read, find a column under any accepted alias, and
write back in the file's own encoding (``new-period`` and ``collect`` rewrite them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from aomori_dx.validate.schemas import SCHEMAS, normalize_header


def read_csv(path: Path) -> list[list[str]]:
    from aomori_dx.load import decode

    text, _ = decode(path, path.read_bytes())
    return list(csv.reader(io.StringIO(text, newline="")))


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> bytes:
    """The rows as CSV in the file's own encoding: a BOM stays (Excel needs it to read UTF-8),
    CP932 stays CP932 when every character fits, else UTF-8 with BOM."""
    original = path.read_bytes() if path.is_file() else b""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if b"\r\n" in original else "\n").writerows(rows)
    text = buffer.getvalue()
    if original.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    try:
        original.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return text.encode("cp932")
        except UnicodeEncodeError:
            return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def column_index(header: Sequence[str], table: str, name: str) -> int | None:
    """Index of the canonical column ``name`` in a header written with any accepted alias."""
    schema = SCHEMAS[table]
    wanted = next(column for column in schema.columns if column.name == name)
    keys = {normalize_header(alias) for alias in (wanted.name, *wanted.aliases)}
    for index, text in enumerate(header):
        if normalize_header(text) in keys:
            return index
    return None
