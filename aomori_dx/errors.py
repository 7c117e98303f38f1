"""The few exceptions that mean "cannot continue": an unreadable file or a missing template.

Problems in the data itself are not exceptions: validation returns them as ``Issue`` values.
Each exception carries a Japanese message for the user; the CLI prints it and exits with 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["AomoriDxError", "InputFileError", "OutputError", "TemplateError", "reading"]


class AomoriDxError(Exception):
    """Base class: ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputFileError(AomoriDxError):
    """A file under ``inputs/`` that cannot be read at all (encoding, binary junk, broken XLSX)."""

    def __init__(self, path: Path | str, message: str, row: int | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.reason = message
        self.row = row


class TemplateError(AomoriDxError):
    """A template that is missing or lacks a layout or style the renderer needs."""


class OutputError(AomoriDxError):
    """The output could not be written (permissions, disk); the previous output is left as it was."""


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn the OS errors of reading ``path`` into ``InputFileError`` with a Japanese reason."""
    try:
        yield
    except FileNotFoundError as exc:
        raise InputFileError(path, "ファイルがありません。") from exc
    except IsADirectoryError as exc:
        raise InputFileError(path, "ファイルではなくフォルダです。") from exc
    except OSError as exc:
        raise InputFileError(path, f"ファイルを読めません（{exc.strerror}）。") from exc
