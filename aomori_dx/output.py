"""Safe writes: a temporary file beside the target, then a rename; and the guards around them.

A failed write never leaves a half-written file and never destroys the previous output: the
rename is atomic on the same file system, and the temporary file is removed on any failure.
Nothing is ever written inside the folders being read (``check_outside``), and nothing the user
made is ever removed: temporary names are unique, a symlink is never replaced, and a published
folder is replaced only when it carries the mark of ``publish`` (``SITE_MARKER``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from aomori_dx.errors import OutputError, describe_os_error

__all__ = [
    "FIXED_ZIP_TIME",
    "NAME_BYTES",
    "SITE_MARKER",
    "SITE_MARKER_TEXT",
    "NormalizedZip",
    "check_outside",
    "clip_bytes",
    "describe_os_error",
    "fix_core_properties",
    "normalize_ooxml",
    "restamp_core",
    "temp_prefix",
    "write_atomic",
    "write_files_atomic",
    "write_tree_atomic",
]


# A file name holds at most 255 bytes on the file systems in use (NTFS counts UTF-16 units, ext4
# and APFS bytes of UTF-8; a Japanese character is 3 bytes).  Names we derive from user text keep
# well inside that, so that our own temporary names beside them never exceed it.
NAME_BYTES = 255
_TEMP_STEM_BYTES = 96


def clip_bytes(text: str, limit: int) -> str:
    """``text`` cut at a character boundary so that its UTF-8 form is at most ``limit`` bytes."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def temp_prefix(name: str) -> str:
    """The prefix of a temporary file or folder beside ``name``: hidden, recognisable, and short
    enough that ``mkstemp``'s random part and suffix still fit in a file name."""
    return f".{clip_bytes(name, _TEMP_STEM_BYTES)}."


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two spellings of a path the same file: device and inode when it exists.

    Identity also catches another spelling on a case-insensitive disk and hard links.  Some
    network drives report inode 0 for everything; there, and for paths that do not exist yet,
    the resolved path in the platform's case is compared instead.
    """
    try:
        status = os.stat(path)
    except OSError:
        return os.path.normcase(str(path))
    if status.st_ino == 0:
        return os.path.normcase(str(path))
    return (status.st_dev, status.st_ino)


def check_outside(targets: Iterable[Path], inputs: Iterable[Path], replaced: bool = False) -> None:
    """Raise ``OutputError`` when a target is an input file or lies inside an input folder.

    ``inputs`` are the period folders and files being read; ``targets`` the files or folders
    about to be written.  Paths are resolved first (symlinks, ``..``), so no spelling gets round
    the check.  With ``replaced`` the targets are folders replaced as a whole, so an input inside
    one is refused too.
    """
    # Named as given but absolute: "期のフォルダ ." would not tell the user which folder.
    known = {_identity(path.resolve()): Path(os.path.abspath(path)) for path in inputs}
    for target in targets:
        resolved = target.resolve()
        for ancestor in (resolved, *resolved.parents):
            source = known.get(_identity(ancestor))
            if source is None:
                continue
            if source.is_dir():
                raise OutputError(
                    f"{target}: 読み込んでいる期のフォルダ {source} の中には書き出せません。"
                    "入力を上書きしないよう、期のフォルダの外を出力先に指定してください。"
                )
            raise OutputError(
                f"{target}: 読み込んでいる入力ファイル {source} と同じファイルには書き出せません。"
                "別の出力先を指定してください。"
            )
        if replaced and os.path.lexists(resolved):
            mine = _identity(resolved)
            for source in known.values():
                resolved_source = source.resolve()
                if any(_identity(path) == mine for path in (resolved_source, *resolved_source.parents)):
                    raise OutputError(
                        f"{target}: 読み込んでいる {source} を含むフォルダなので、置き換えられません。"
                        "別の出力先を指定してください。"
                    )


def _make_parents(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, adding them to ``created`` (outermost first)
    before trying, so that a failure half-way still knows what to clean up."""
    created += reversed([path for path in (folder, *folder.parents) if not os.path.lexists(path)])
    folder.mkdir(parents=True, exist_ok=True)


def _remove_empty(folders: Sequence[Path]) -> None:
    """Remove folders this run created, innermost first, as long as they are still empty."""
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _refuse_special(target: Path) -> None:
    # os.replace would swap a symlink for a file (losing the user's link) and fails on a folder
    # with a message that does not say what to do.
    if target.is_symlink():
        raise OutputError(
            f"{target}: シンボリックリンクなので書き出しません（リンクもリンク先も書き換えないため）。"
            "リンクを消すか、別の出力先を指定してください。"
        )
    if target.is_dir():
        raise OutputError(
            f"{target}: 同じ名前のフォルダがあるため書き出せません。別の出力先を指定してください。"
        )


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically; raise ``OutputError`` with a Japanese message."""
    write_files_atomic({target: data})


def write_files_atomic(files: Mapping[Path, bytes]) -> None:
    """Write several files so that a failure leaves every previous file as it was.

    Each file goes to a temporary file beside its target (a unique name, so nothing of the
    user's is ever overwritten); only when all are written are they renamed into place.
    """
    for target in files:
        _refuse_special(target)
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    done: list[Path] = []
    current = Path()
    try:
        for current, data in files.items():
            _make_parents(current.parent, created)
            handle, name = tempfile.mkstemp(
                prefix=temp_prefix(current.name), suffix=".tmp", dir=current.parent
            )
            staged.append((Path(name), current))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            # mkstemp makes the file private (0600); give it the permissions a normal write would.
            os.chmod(name, 0o666 & ~_umask())
        for temporary, current in staged:
            os.replace(temporary, current)
            done.append(current)
    except OSError as exc:
        _discard_files(staged, created)
        # A rename failing after another succeeded is rare (the disk is full before that), but
        # then the message must not claim that every previous file is kept.
        kept = (
            f"{'、'.join(map(str, done))} は新しくなりました。" if done else "以前のファイルはそのままです。"
        )
        raise OutputError(f"{current}: 書き出せませんでした（{describe_os_error(exc)}）。{kept}") from exc
    except BaseException:
        _discard_files(staged, created)
        raise


def _discard_files(staged: Sequence[tuple[Path, Path]], created: Sequence[Path]) -> None:
    for temporary, _ in staged:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    _remove_empty(created)


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
    out = NormalizedZip(stamp, app)
    for info in source.infolist():
        out.add(info.filename, source.read(info.filename))
    return out.close()


class NormalizedZip:
    """The zip that ``normalize_ooxml`` makes, written entry by entry (name and content, in order).

    A writer that has its parts as bytes adds them here directly: zipping them first only to
    read them back doubled the compression time of a large deck.
    """

    def __init__(self, stamp: str = "2000-01-01T00:00:00Z", app: dict[str, str] | None = None) -> None:
        self._stamp = stamp
        self._app = app or {}
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", zipfile.ZIP_DEFLATED)

    def add(self, name: str, content: bytes) -> None:
        if name.endswith((".xlsx", ".xlsm", ".docx", ".pptx")):
            content = _normalize_embedded(content, self._stamp)
        elif name == "docProps/app.xml":
            for element, value in self._app.items():
                content = re.sub(
                    rf"<{element}>[^<]*</{element}>|<{element}/>".encode(),
                    f"<{element}>{value}</{element}>".encode() if value else f"<{element}/>".encode(),
                    content,
                )
        entry = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        self._zip.writestr(entry, content)

    def close(self) -> bytes:
        """The zip's bytes; nothing can be added after."""
        self._zip.close()
        return self._buffer.getvalue()


def _normalize_embedded(data: bytes, stamp: str) -> bytes:
    """``normalize_ooxml(restamp_core(data, stamp), stamp)`` in one pass (a deck has one
    workbook for each of its charts)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = NormalizedZip(stamp)
    for info in source.infolist():
        content = source.read(info.filename)
        if info.filename == "docProps/core.xml":
            content = _restamped(content, stamp)
        out.add(info.filename, content)
    return out.close()


def _restamped(core: bytes, stamp: str) -> bytes:
    return _CORE_DATES.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", core)


def restamp_core(data: bytes, stamp: str) -> bytes:
    """Set the created/modified dates in an OOXML file's docProps/core.xml to ``stamp`` (openpyxl
    and the chart workbooks of python-pptx write the time of saving there)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _restamped(content, stamp)
            out.writestr(info, content)
    return target.getvalue()


# The mark of a folder that ``publish`` made: only such a folder is ever replaced, so a user's
# own folder that happens to be called site/ is never deleted.
SITE_MARKER = ".aomori-dx-site"
SITE_MARKER_TEXT = (
    "このフォルダは aomori-dx publish が作りました。publish のたびにフォルダごと作り直します。\n"
    "このファイルを消すと、aomori-dx はこのフォルダを置き換えません。\n"
)


def _refuse_foreign(target: Path) -> None:
    if target.is_symlink():
        raise OutputError(
            f"{target}: シンボリックリンクなので置き換えません（リンクもリンク先も消さないため）。"
            "リンクを消すか、--out で別の出力先を指定してください。"
        )
    if not os.path.lexists(target):
        return
    marker = target / SITE_MARKER
    if not target.is_dir() or marker.is_symlink() or not marker.is_file():
        raise OutputError(
            f"{target}: aomori-dx が作ったフォルダではないため、置き換えません（{SITE_MARKER} がありません）。"
            "中身を別の場所に移すか、--out で別の出力先を指定してください。"
        )


def _discard_tree(folder: Path | None) -> None:
    """Remove a folder this run created (staging or backup); rmtree never follows symlinks."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def write_tree_atomic(target: Path, files: Mapping[str, bytes]) -> None:
    """Replace the folder ``target`` with exactly ``files`` (relative path → bytes) and the marker.

    Everything is written into a new folder of a unique name beside it first; only then is the
    old folder moved into another new folder of a unique name, and the new one moved in.  Only
    folders this run created are ever removed, and a failure leaves the previous folder as it was.
    """
    _refuse_foreign(target)
    created: list[Path] = []
    try:
        _make_parents(target.parent, created)
        staging = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent))
    except OSError as exc:
        _remove_empty(created)
        raise OutputError(
            f"{target}: 書き出し先のフォルダを作れません（{describe_os_error(exc)}）。"
        ) from exc
    backup: Path | None = None
    try:
        for name, data in sorted({**files, SITE_MARKER: SITE_MARKER_TEXT.encode("utf-8")}.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            os.chmod(path, 0o666 & ~_umask())
        os.chmod(staging, 0o777 & ~_umask())
        if os.path.lexists(target):
            backup = Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".old", dir=target.parent))
            os.rename(target, backup / target.name)
        try:
            os.rename(staging, target)
        except OSError:
            if backup is not None:
                os.rename(backup / target.name, target)
            raise
    except OSError as exc:
        _discard_tree(staging)
        kept = backup / target.name if backup is not None else None
        if kept is not None and os.path.lexists(kept):
            # Putting the previous folder back failed too: say where it is, and keep it.
            where = f"以前のフォルダは {kept} にあります。"
        else:
            _discard_tree(backup)
            _remove_empty(created)
            where = "以前のファイルはそのままです。"
        raise OutputError(f"{target}: 書き出せませんでした（{describe_os_error(exc)}）。{where}") from exc
    except BaseException:
        _discard_tree(staging)
        raise
    _discard_tree(backup)


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
