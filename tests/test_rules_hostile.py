"""Hostile inputs against the rules of a period: implausible magnitudes, dates after the as-of date,
times and budgets that cannot be, lower-is-better indicators, and files from outside the folder.

Each test breaks a copy of the sample (``period_copy``) and asserts the exact outcome.
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.model import Figure
from aomori_dx.validate import Report, validate_period
from aomori_dx.validate.report import Issue


def _issues(report: Report, code: str) -> list[Issue]:
    return [issue for issue in report.issues if issue.code == code]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _set_cells(path: Path, row: int, **cells: str) -> None:
    """Overwrite cells of a CSV table; ``row`` counts as the validation does (header = 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header = table[0]
    for column, value in cells.items():
        if column not in header:
            header.append(column)
            for line in table[1:]:
                line.append("")
        table[row - 1][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def _meeting_value(period: Path, key: str, value: str) -> None:
    path = period / "meeting.csv"
    lines = path.read_text("utf-8").split("\n")
    path.write_text(
        "\n".join(f"{key},{value}" if line.startswith(f"{key},") else line for line in lines), "utf-8"
    )


def _only(report: Report) -> list[tuple[str, str, str, int | None, str | None]]:
    """Every issue beyond the sample's six rate-mismatch warnings, as (severity, code, file, row, column)."""
    return [
        (i.severity, i.code, Path(i.file).name, i.row, i.column)
        for i in report.issues
        if i.code != "rate-mismatch"
    ]


# --- point 10: pictures and Markdown only from inside the period folder ----------------------


def _png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (60, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg_bytes(size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (60, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _chunk(b"IEND", b"")
    )


def _picture(period: Path, name: str, data: bytes) -> None:
    """Put ``data`` at projects/images/<name> and show it at the end of projects/8.md."""
    image = period / "projects" / "images" / name
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(data)
    _append(period / "projects" / "8.md", f"\n![写真](images/{name})\n")


def _last_line(path: Path) -> int:
    return len(path.read_text("utf-8").rstrip("\n").split("\n"))


def test_a_valid_png_and_jpeg_are_accepted(period_copy: Path) -> None:
    _picture(period_copy, "a.png", _png_bytes())
    _picture(period_copy, "b.jpg", _jpeg_bytes())
    data, report = validate_period(period_copy)
    assert data is not None, report.errors
    sheet = data.sheet(8)
    assert sheet is not None
    figures = [block for block in sheet.sections[-1].blocks if isinstance(block, Figure)]
    assert [Path(figure.path).name for figure in figures] == ["a.png", "b.jpg"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_png_bytes()[:60], "壊れているか、途中で切れています"),
        (_jpeg_bytes()[:400], "壊れているか、途中で切れています"),
        (b"", "空のファイルです"),
        ("これは画像ではありません".encode(), "PNG でも JPEG でもありません"),
        (b"GIF89a" + b"\0" * 40, "PNG でも JPEG でもありません"),
        (_png_claiming(100_000, 100_000), "画素数が多すぎます"),
        (_png_claiming(9_000, 9_000), "画素数が多すぎます（4,000万画素まで）。縮小してください（9000×9000）"),
    ],
    ids=["truncated-png", "truncated-jpeg", "zero-size", "text", "gif", "bomb", "81-megapixels"],
)
def test_a_picture_that_does_not_decode_is_an_error_at_its_line(
    period_copy: Path, data: bytes, fragment: str
) -> None:
    _picture(period_copy, "bad.png", data)
    sheet = period_copy / "projects" / "8.md"
    result, report = validate_period(period_copy)
    assert result is None
    assert [(i.severity, i.code, i.file, i.row, i.value) for i in report.errors] == [
        ("error", "invalid-image", str(sheet), _last_line(sheet), "images/bad.png")
    ]
    assert fragment in report.errors[0].message


def test_a_picture_over_the_byte_limit_is_refused_without_reading_it(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aomori_dx.validate import period as period_module

    monkeypatch.setattr(period_module, "MAX_IMAGE_BYTES", 100)
    _picture(period_copy, "big.png", _png_bytes((200, 200)))
    _, report = validate_period(period_copy)
    assert [issue.code for issue in report.errors] == ["invalid-image"]
    assert "ファイルが大きすぎます" in report.errors[0].message


@pytest.mark.parametrize(
    ("written", "source"),
    [
        ("/etc/passwd", "/etc/passwd"),
        ("../../../../etc/hostname", "../../../../etc/hostname"),
        ("C:\\Users\\me\\photo.png", "C:\\Users\\me\\photo.png"),
        # Markdown reads a doubled backslash as one: this names the UNC path \\server\share\a.png.
        ("\\\\\\\\server\\share\\a.png", "\\\\server\\share\\a.png"),
    ],
    ids=["absolute", "dotdot", "windows-drive", "unc"],
)
def test_a_picture_path_that_leaves_the_folder_is_an_error(
    period_copy: Path, written: str, source: str
) -> None:
    sheet = period_copy / "projects" / "8.md"
    _append(sheet, f"\n![外]({written})\n")
    result, report = validate_period(period_copy)
    assert result is None
    assert [(i.code, i.file, i.row, i.value) for i in report.errors] == [
        ("outside-folder", str(sheet), _last_line(sheet), source)
    ]
    assert "期のフォルダの外にあります" in report.errors[0].message


def test_dotdot_that_stays_inside_the_folder_is_fine(period_copy: Path) -> None:
    (period_copy / "images").mkdir()
    (period_copy / "images" / "case.png").write_bytes(_png_bytes())
    _append(period_copy / "projects" / "8.md", "\n![上](../images/case.png)\n")
    data, report = validate_period(period_copy)
    assert data is not None, report.errors


def test_a_picture_symlink_out_of_the_folder_is_an_error(period_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(_png_bytes())
    images = period_copy / "projects" / "images"
    images.mkdir()
    (images / "link.png").symlink_to(outside)
    sheet = period_copy / "projects" / "8.md"
    _append(sheet, "\n![リンク](images/link.png)\n")
    _, report = validate_period(period_copy)
    assert [(i.code, i.file, i.row) for i in report.errors] == [
        ("outside-folder", str(sheet), _last_line(sheet))
    ]


def test_a_picture_folder_linked_out_of_the_folder_is_an_error(period_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "pictures"
    outside.mkdir()
    (outside / "a.png").write_bytes(_png_bytes())
    (period_copy / "projects" / "images").symlink_to(outside, target_is_directory=True)
    _append(period_copy / "projects" / "8.md", "\n![リンク](images/a.png)\n")
    _, report = validate_period(period_copy)
    assert [issue.code for issue in report.errors] == ["outside-folder"]


@pytest.mark.parametrize("name", ["cases.md", "history.md", "discussion.md", "projects/8.md"])
def test_a_markdown_file_linked_out_of_the_folder_is_an_error(
    period_copy: Path, tmp_path: Path, name: str
) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("# 秘密\n\nroot:x:0:0\n", "utf-8")
    link = period_copy / name
    link.unlink()
    link.symlink_to(outside)
    result, report = validate_period(period_copy)
    assert result is None
    assert [(i.code, i.file, i.row) for i in report.errors] == [("outside-folder", str(link), None)]
    assert "期のフォルダの外を指すリンク" in report.errors[0].message


def test_a_linked_projects_folder_leaks_nothing(period_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "sheets"
    (period_copy / "projects").rename(outside)
    (period_copy / "projects").symlink_to(outside, target_is_directory=True)
    _, report = validate_period(period_copy)
    assert {issue.code for issue in report.errors} == {"outside-folder"}
    assert len(report.errors) == 5


@pytest.mark.parametrize("table", ["indicators", "meeting", "projects"])
def test_a_table_linked_out_of_the_folder_is_an_error(period_copy: Path, tmp_path: Path, table: str) -> None:
    outside = tmp_path / f"{table}.csv"
    (period_copy / f"{table}.csv").rename(outside)
    (period_copy / f"{table}.csv").symlink_to(outside)
    result, report = validate_period(period_copy)
    assert result is None
    found = _issues(report, "outside-folder")
    assert [(i.severity, i.file, i.row) for i in found] == [
        ("error", str(period_copy / f"{table}.csv"), None)
    ]


def test_build_with_a_bad_picture_exits_1_without_a_traceback(period_copy: Path, tmp_path: Path) -> None:
    _picture(period_copy, "bomb.png", _png_claiming(100_000, 100_000))
    _picture(period_copy, "cut.jpg", _jpeg_bytes()[:300])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(period_copy), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "invalid-image" in result.output
    assert "images/bomb.png" in result.output and "images/cut.jpg" in result.output
    assert not out.exists() or not any(out.rglob("*.pptx"))


# --- point 5: dates after the as-of date, times, budgets, featured numbers ------------------


def test_the_sample_keeps_exactly_its_six_warnings(sample_dir: Path) -> None:
    data, report = validate_period(sample_dir)
    assert data is not None
    assert [(i.code, i.row, i.column) for i in report.issues] == [
        ("rate-mismatch", 8, "latest_rate_published"),
        ("rate-mismatch", 27, "previous_rate_published"),
        ("rate-mismatch", 27, "latest_rate_published"),
        ("rate-mismatch", 28, "previous_rate_published"),
        ("rate-mismatch", 31, "previous_rate_published"),
        ("rate-mismatch", 31, "latest_rate_published"),
    ]


@pytest.mark.parametrize(
    ("column", "period"),
    [
        ("latest_period", "R7年度"),
        ("latest_period", "R6年12月末時点"),
        ("latest_period", "2025年"),
        ("latest_period", "R6年度末"),
        ("previous_period", "R6年12月"),
    ],
)
def test_a_value_dated_after_the_as_of_date_is_an_error(period_copy: Path, column: str, period: str) -> None:
    # Row 5 (首都圏デジタル人材との交流会参加者数): R4年度 → R5年度; the as-of date is 2024-11-30.
    cells = {column: period}
    if column == "previous_period":
        cells["latest_period"] = "R7年1月"
    _set_cells(period_copy / "indicators.csv", 5, **cells)
    result, report = validate_period(period_copy)
    assert result is None
    found = [(s, c, f, r, col) for s, c, f, r, col in _only(report) if c == "period-after-as-of"]
    assert found[0] == ("error", "period-after-as-of", "indicators.csv", 5, column)
    message = _issues(report, "period-after-as-of")[0].message
    assert f"「{period}」は基準日 2024-11-30" in message


@pytest.mark.parametrize("period", ["R6年度", "R6年", "R6年11月末時点", "R6年11月"])
def test_a_period_running_on_the_as_of_date_is_accepted(period_copy: Path, period: str) -> None:
    _set_cells(period_copy / "indicators.csv", 5, latest_period=period)
    data, report = validate_period(period_copy)
    assert data is not None, report.errors
    assert _only(report) == []


def test_an_end_time_before_the_start_is_an_error(period_copy: Path) -> None:
    _meeting_value(period_copy, "end", "14:30")
    result, report = validate_period(period_copy)
    assert result is None
    assert _only(report) == [("error", "time-order", "meeting.csv", 6, "value")]
    assert "終了時刻 14:30 が開始時刻 15:00 より後になっていません" in report.errors[0].message


@pytest.mark.parametrize("end", ["15:00", "09:00"])
def test_an_end_time_equal_to_or_before_the_start_is_an_error(period_copy: Path, end: str) -> None:
    _meeting_value(period_copy, "end", end)
    _, report = validate_period(period_copy)
    assert [issue.code for issue in report.errors] == ["time-order"]


@pytest.mark.parametrize("text", ["25:00", "15:60"])
def test_an_impossible_clock_time_is_an_error(period_copy: Path, text: str) -> None:
    _meeting_value(period_copy, "start", text)
    _, report = validate_period(period_copy)
    assert _only(report) == [("error", "invalid-time", "meeting.csv", 5, "value")]


@pytest.mark.parametrize(("column", "text"), [("budget", "▲48,630"), ("budget_original", "-1")])
def test_a_negative_budget_is_an_error(period_copy: Path, column: str, text: str) -> None:
    # Row 9 is project No.8, which has both budgets.
    _set_cells(period_copy / "projects.csv", 9, **{column: text})
    result, report = validate_period(period_copy)
    assert result is None
    assert _only(report) == [("error", "invalid-budget", "projects.csv", 9, column)]
    assert f"事業費「{text}」がマイナスです" in report.errors[0].message


def test_a_zero_budget_is_accepted(period_copy: Path) -> None:
    _set_cells(period_copy / "projects.csv", 9, budget="0")
    data, _ = validate_period(period_copy)
    assert data is not None


def test_a_duplicate_featured_number_is_an_error(period_copy: Path) -> None:
    projects = period_copy / "projects.csv"
    with projects.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = next(index for index, row in enumerate(rows, start=2) if row["featured"] == "1")
    second = next(index for index, row in enumerate(rows, start=2) if row["featured"] == "2")
    _set_cells(projects, second, featured="1")
    result, report = validate_period(period_copy)
    assert result is None
    assert _only(report) == [("error", "duplicate-featured", "projects.csv", second, "featured")]
    assert f"主な取組の番号 1 が {first}行目 と重複しています" in report.errors[0].message


def test_a_featured_number_below_one_is_an_error(period_copy: Path) -> None:
    _set_cells(period_copy / "projects.csv", 9, featured="0")
    _, report = validate_period(period_copy)
    assert _only(report) == [("error", "invalid-number", "projects.csv", 9, "featured")]
