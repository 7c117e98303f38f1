"""Convert a document to PDF with LibreOffice, when it is installed.

LibreOffice is an optional tool, not a Python dependency: ``find_office`` says whether it is
there, and ``to_pdf`` runs it headless with a throw-away user profile (a shared profile makes
parallel or repeated runs fail with a lock).  The PDF is written beside the document, atomically.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from aomori_dx.errors import OutputError
from aomori_dx.output import write_atomic

__all__ = ["INSTALL_HINT", "find_office", "to_pdf"]

INSTALL_HINT = (
    "PDF にするには LibreOffice が必要です。Debian/Ubuntu では "
    "`sudo apt-get install libreoffice-impress libreoffice-writer fonts-noto-cjk`、"
    "Windows・macOS では LibreOffice をインストールしてください（https://ja.libreoffice.org/）。"
)


def find_office() -> str | None:
    """The LibreOffice executable, or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(document: Path, timeout: float = 300) -> Path:
    """Write ``document`` as PDF beside it and return the PDF's path."""
    office = find_office()
    if office is None:
        raise OutputError(INSTALL_HINT)
    target = document.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="aomori-dx-pdf-") as work:
        profile = Path(work) / "profile"
        command = [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            str(document.resolve()),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise OutputError(f"{document}: LibreOffice で PDF に変換できませんでした（{exc}）。") from exc
        produced = Path(work) / (document.stem + ".pdf")
        if not produced.is_file():
            raise OutputError(f"{document}: LibreOffice が PDF を作りませんでした。")
        write_atomic(target, produced.read_bytes())
    return target
