"""Safe writes: a temporary file beside the target, then a rename.

A failed write never leaves a half-written file and never destroys the previous output: the
rename is atomic on the same file system, and the temporary file is removed on any failure.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from aomori_dx.errors import OutputError

__all__ = ["FIXED_ZIP_TIME", "fix_core_properties", "normalize_ooxml", "write_atomic", "write_tree_atomic"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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
        # mkstemp makes the file private (0600); give it the permissions a normal write would.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"{target}: 書き出せませんでした（{exc.strerror}）。以前のファイルはそのままです。"
        ) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Office files are zip archives; python-pptx and python-docx stamp every entry with the current
# time, and chart workbooks carry "now" in their own core properties.  A fixed stamp makes the
# same inputs give the same bytes.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def normalize_ooxml(
    data: bytes, stamp: str = "2000-01-01T00:00:00Z", app: dict[str, str] | None = None
) -> bytes:
    """Rewrite an OOXML zip with fixed entry times, in the same order; embedded workbooks too.

    ``stamp`` replaces the created/modified dates of embedded documents' core properties (the
    outer document's core properties are set by the renderer itself).  ``app`` replaces
    elements of the extended properties (docProps/app.xml), where python-pptx and python-docx
    leave their template's "Microsoft Macintosh Word", "Normal.dotm" or "On-screen Show (4:3)".
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith((".xlsx", ".xlsm", ".docx", ".pptx")):
                content = normalize_ooxml(_restamp_core(content, stamp), stamp)
            elif info.filename == "docProps/app.xml" and app:
                for element, value in app.items():
                    content = re.sub(
                        rf"<{element}>[^<]*</{element}>|<{element}/>".encode(),
                        f"<{element}>{value}</{element}>".encode() if value else f"<{element}/>".encode(),
                        content,
                    )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            out.writestr(entry, content)
    return target.getvalue()


def _restamp_core(data: bytes, stamp: str) -> bytes:
    """Fix the created/modified dates inside an embedded document's docProps/core.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            out.writestr(info, content)
    return target.getvalue()


def write_tree_atomic(target: Path, files: dict[str, bytes]) -> None:
    """Replace the folder ``target`` with exactly ``files`` (relative path → bytes).

    Everything is written into a temporary folder beside it first; only then is the old folder
    moved aside and the new one moved in.  A failure leaves the previous folder as it was.
    """
    import shutil

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"{target}: 書き出し先のフォルダを作れません（{exc.strerror}）。") from exc
    backup = target.with_name(f".{target.name}.old")
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            os.chmod(path, 0o666 & ~_umask())
        os.chmod(staging, 0o777 & ~_umask())
        shutil.rmtree(backup, ignore_errors=True)
        if target.exists():
            os.replace(target, backup)
        os.replace(staging, target)
        shutil.rmtree(backup, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if backup.exists() and not target.exists():
            os.replace(backup, target)
        raise OutputError(
            f"{target}: 書き出せませんでした（{exc.strerror}）。以前のファイルはそのままです。"
        ) from exc


def fix_core_properties(props: Any, stamp: dt.datetime, title: str, author: str, comments: str = "") -> None:
    """Set a document's core properties to fixed values (python-pptx's and python-docx's objects
    have the same attributes): the same inputs then give the same bytes, and no stale template
    metadata ("python-docx", 2013 dates) is carried into the secretariat's files."""
    props.title = title
    props.author = author
    props.last_modified_by = "aomori-dx"
    props.subject = ""
    props.keywords = ""
    props.comments = comments
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
