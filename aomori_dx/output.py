"""Safe writes: a temporary file beside the target, then a rename.

A failed write never leaves a half-written file and never destroys the previous output: the
rename is atomic on the same file system, and the temporary file is removed on any failure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from aomori_dx.errors import OutputError

__all__ = ["write_atomic"]


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically; raise ``OutputError`` with a Japanese message."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: 書き出し先のフォルダを作れません（{exc.strerror}）。") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"{target}: 書き出せませんでした（{exc.strerror}）。以前のファイルはそのままです。"
        ) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
