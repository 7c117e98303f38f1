"""Names at the file system's limit: a period folder or an output file of up to 255 bytes works, and
the names aomori-dx derives from them (temporary files, request workbooks) never exceed 255 bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.output import NAME_BYTES, clip_bytes, temp_prefix

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(arg) for arg in args], env={"COLUMNS": "300"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _long_name(total_bytes: int) -> str:
    # Japanese characters are three bytes in UTF-8: the name is at the limit in bytes, not characters.
    name = "期" * (total_bytes // 3)
    return name + "x" * (total_bytes - len(name.encode()))


def test_clip_bytes_cuts_at_a_character_boundary() -> None:
    assert clip_bytes("あいう", 7) == "あい"
    assert clip_bytes("あいう", 9) == "あいう"
    assert len(temp_prefix(_long_name(255)).encode()) <= 100


def test_new_period_with_a_name_at_the_limit(tmp_path: Path, sample_dir: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(sample_dir, inputs / sample_dir.name)
    name = _long_name(250)
    code, output = invoke("new-period", name, "--from", inputs / sample_dir.name)
    assert code == 0, output
    assert (inputs / name / "meeting.csv").is_file()


def test_requests_names_stay_within_the_limit(tmp_path: Path, sample_dir: Path) -> None:
    period = tmp_path / _long_name(240)
    shutil.copytree(sample_dir, period)
    # The longest division name of the sample is a data source of ~70 characters (210 bytes).
    out = tmp_path / "req"
    code, output = invoke("requests", period, "--out", out)
    assert code == 0, output
    names = [path.name for path in out.iterdir()]
    assert names and all(len(name.encode()) <= NAME_BYTES - 100 for name in names)
    assert len(set(names)) == len(names)


def test_report_output_with_a_name_at_the_limit(tmp_path: Path, sample_dir: Path) -> None:
    target = tmp_path / (_long_name(250) + ".json")
    code, output = invoke("report", sample_dir, "--format", "json", "-o", target)
    assert code == 0, output
    assert target.read_bytes().startswith(b"{")
