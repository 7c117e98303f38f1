"""The few exceptions that mean "cannot continue": an unreadable file or a missing template.

Problems in the data itself are not exceptions: validation returns them as ``Issue`` values.
Each exception carries a Japanese message for the user; the CLI prints it and exits with 1.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["AomoriDxError", "InputFileError", "OutputError", "TemplateError", "describe_os_error", "reading"]


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
        raise InputFileError(
            path, f"ファイルを読めません（{describe_os_error(exc, reading=True)}）。"
        ) from exc


# What a clerk can act on, instead of the operating system's English text (every OS error the
# commands report goes through here).  EACCES is also what Windows says when the file is open in
# PowerPoint or Excel, the commonest case there.
_REASONS = {
    errno.EACCES: "書き込む権限がないか、ほかのアプリ（PowerPoint・Word・Excel など）で開いています",
    errno.EPERM: "書き込む権限がありません",
    errno.ENOSPC: "ディスクの空きが足りません",
    errno.EROFS: "読み取り専用の場所です",
    errno.EISDIR: "同じ名前のフォルダがあります",
    errno.ENOTDIR: "パスの途中に同じ名前のファイルがあります",
    errno.EEXIST: "パスの途中に同じ名前のファイルがあります",
    errno.ENAMETOOLONG: "ファイル名かパスが長すぎます",
    errno.ENOENT: "ファイルかフォルダがありません",
    # Windows: a name with : * ? " < > | in it.
    errno.EINVAL: "ファイル名に使えない文字があるか、パスの書き方が正しくありません",
    errno.EBUSY: "ほかのアプリが使っています",
    errno.EIO: "ディスクかネットワークのドライブで読み書きのエラーが起きました",
    errno.ELOOP: "シンボリックリンクが循環しています",
    errno.EMFILE: "開いているファイルが多すぎます",
}
_READ_REASONS = {
    errno.EACCES: "読む権限がないか、ほかのアプリが使っています",
    errno.EPERM: "読む権限がありません",
}


def describe_os_error(exc: OSError, reading: bool = False) -> str:
    """The reason of an operating-system error in plain Japanese, for a message about its file."""
    code = exc.errno or 0
    reason = (_READ_REASONS.get(code) if reading else None) or _REASONS.get(code)
    if reason is not None:
        return reason
    # The system's own text would be English (or the Windows locale's): the number is what helps.
    number = getattr(exc, "winerror", None) or exc.errno
    return f"OS のエラー（番号 {number}）" if number is not None else "OS のエラー"
