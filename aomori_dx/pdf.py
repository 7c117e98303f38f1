"""Convert a document to a tagged PDF with LibreOffice, when it is installed.

LibreOffice is an optional tool, not a Python dependency: ``find_office`` says whether it is
there, and ``to_pdf`` starts it headless with a throw-away user profile (a shared profile makes
parallel or repeated runs fail with a lock) and has LibreOffice's own Python drive it through
UNO (``uno_export.py``): the report's table of contents is updated with page numbers before the
export, and the PDF is tagged, titled (the document's title) and in Japanese.  The PDF is
written beside the document, atomically.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from aomori_dx.errors import OutputError
from aomori_dx.output import write_atomic

__all__ = ["INSTALL_HINT", "LANGUAGE", "find_office", "find_uno_python", "to_pdf"]

INSTALL_HINT = (
    "PDF にするには LibreOffice が必要です。Debian/Ubuntu では "
    "`sudo apt-get install libreoffice-impress libreoffice-writer python3-uno fonts-noto-cjk`、"
    "Windows・macOS では LibreOffice をインストールしてください（https://ja.libreoffice.org/）。"
)
UNO_HINT = (
    "PDF にするには LibreOffice の Python（UNO）が必要です。Debian/Ubuntu では "
    "`sudo apt-get install python3-uno`、Windows・macOS では LibreOffice を標準の構成で入れ直してください。"
)
LANGUAGE = "ja-JP"
EXPORT_SCRIPT = Path(__file__).with_name("uno_export.py")
# Where the installers put LibreOffice when it is not on PATH (the Windows installer never adds it).
INSTALLED = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe",
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)


def find_office() -> str | None:
    """The LibreOffice executable, or ``None``."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(path) for path in INSTALLED if path.is_file()), None)


def find_uno_python(office: str) -> str | None:
    """A Python that can ``import uno``: LibreOffice's own (Windows, macOS, LibreOffice's Linux
    packages), else the system's with python3-uno (Debian, Ubuntu), else ``None``."""
    program = Path(office).resolve().parent
    candidates = [
        program / "python.exe",
        program / "python",
        program.parent / "Resources" / "python",
        Path(sys.executable),
        Path("/usr/bin/python3"),
    ]
    for candidate in candidates:
        if candidate.is_file() and _imports_uno(candidate):
            return str(candidate)
    return None


def _clean_environment() -> dict[str, str]:
    # Our interpreter's settings would send LibreOffice's Python to the wrong standard library.
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP"}}


def _imports_uno(python: Path) -> bool:
    try:
        check = subprocess.run(
            [str(python), "-c", "import uno"], capture_output=True, timeout=60, env=_clean_environment()
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return check.returncode == 0


def _stop(office: subprocess.Popen[bytes]) -> None:
    """Wait for LibreOffice to quit (the script asks it to, also after a failure), else end it
    with its children: on Linux ``soffice`` is a script whose child ``soffice.bin`` would stay."""
    try:
        office.wait(timeout=30)
        return
    except subprocess.TimeoutExpired:
        pass
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(office.pid)], capture_output=True, check=False)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(office.pid, signal.SIGKILL)
    office.kill()
    office.wait()


# uno_export.py's last line says what it was doing when it failed (``step=load Exception: …``).
STEPS = {
    "connect": "起動した LibreOffice に接続できませんでした",
    "load": "LibreOffice が文書を開けませんでした",
    "update": "目次とフィールドを更新できませんでした",
    "export": "PDF を書き出せませんでした",
}


def _reason(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        lines = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        if not lines:
            return f"終了コード {exc.returncode}"
        step, _, detail = lines[-1].partition(" ")
        said = STEPS.get(step.removeprefix("step="))
        # LibreOffice's own words stay, after ours: they are what a help desk can search for.
        return f"{said}。詳細: {detail}" if said else lines[-1]
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{exc.timeout:.0f} 秒たっても終わりません"
    return str(exc)


def to_pdf(document: Path, timeout: float = 300) -> Path:
    """Write ``document`` as PDF beside it and return the PDF's path."""
    office = find_office()
    if office is None:
        raise OutputError(INSTALL_HINT)
    python = find_uno_python(office)
    if python is None:
        raise OutputError(UNO_HINT)
    target = document.with_suffix(".pdf")
    # A LibreOffice that had to be ended may still hold files of its profile for a moment.
    with tempfile.TemporaryDirectory(prefix="aomori-dx-pdf-", ignore_cleanup_errors=True) as work:
        folder = Path(work)
        # A copy in an empty folder: run from the package, the script's folder would come first
        # on sys.path and our modules could shadow the standard library of LibreOffice's Python.
        script = folder / EXPORT_SCRIPT.name
        shutil.copyfile(EXPORT_SCRIPT, script)
        produced = folder / "export.pdf"
        pipe = f"aomori-dx-{secrets.token_hex(8)}"
        listen = [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",
        ]
        try:
            # A session of its own, so that _stop can end LibreOffice's children with it.
            started = subprocess.Popen(
                listen, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        except OSError as exc:
            raise OutputError(f"{document}: LibreOffice を起動できませんでした（{exc}）。") from exc
        try:
            command = [python, str(script), pipe, str(document.resolve()), str(produced), LANGUAGE]
            subprocess.run(
                command, check=True, capture_output=True, timeout=timeout, cwd=work, env=_clean_environment()
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise OutputError(
                f"{document}: LibreOffice で PDF に変換できませんでした（{_reason(exc)}）。"
            ) from exc
        finally:
            _stop(started)
        if not produced.is_file():
            raise OutputError(f"{document}: LibreOffice が PDF を作りませんでした。")
        write_atomic(target, produced.read_bytes())
    return target
