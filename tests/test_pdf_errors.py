"""A PDF conversion that fails says in Japanese which step failed, with LibreOffice's own words after."""

from __future__ import annotations

import subprocess

import pytest

from aomori_dx import pdf, uno_export


def test_the_export_script_names_its_step(capsys: pytest.CaptureFixture[str]) -> None:
    # Run outside LibreOffice, "import uno" fails while connecting: the line names that step.
    uno_export.STEP[0] = "connect"
    assert uno_export.main(["uno_export.py", "pipe", "in.docx", "out.pdf", "ja-JP"]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith("step=connect ModuleNotFoundError:"), line


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        (
            b"step=load RuntimeError: the document could not be loaded",
            "LibreOffice が文書を開けませんでした。詳細: RuntimeError: the document could not be loaded",
        ),
        (b"step=export IOException: ", "PDF を書き出せませんでした。詳細: IOException:"),
        (b"Segmentation fault", "Segmentation fault"),  # not the script's line: shown as it is
        (b"", "終了コード 139"),
    ],
)
def test_the_reason_is_said_in_japanese(stderr: bytes, expected: str) -> None:
    failure = subprocess.CalledProcessError(139, ["python"], stderr=stderr)
    assert pdf._reason(failure) == expected
