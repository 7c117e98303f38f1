"""Hostile inputs against the rules of a period: implausible magnitudes, dates after the as-of date,
times and budgets that cannot be, lower-is-better indicators, and files from outside the folder.

Each test breaks a copy of the sample (``period_copy``) and asserts the exact outcome.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from seed import SEED_KPIS
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.compute import compute
from aomori_dx.format import rate_value
from aomori_dx.model import Figure, PeriodData
from aomori_dx.rates import indicator_rate, mean, reduction_rate
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


def test_a_picture_name_too_long_for_the_file_system_is_missing(period_copy: Path) -> None:
    source = "images/" + "a" * 300 + ".png"
    _append(period_copy / "projects" / "8.md", f"\n![長い]({source})\n")
    _, report = validate_period(period_copy)
    assert [(issue.code, issue.value) for issue in report.errors] == [("missing-image", source)]


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


# --- point 6: lower-is-better indicators -----------------------------------------------------

# Row 26 of the sample (K7 コピー用紙削減枚数) made a reduction target: sheets used, 1,000,000 at
# the baseline, 800,000 the target.
PAPER = 26


def _kpi_figures(data: PeriodData) -> dict[str, str]:
    return {kpi.kpi.id: str(rate_value(kpi.rate)) for kpi in compute(data).kpis}


def _paper(period: Path, latest: str, **cells: str) -> None:
    values = {
        "direction": "減少",
        "baseline": "1,000,000",
        "target": "800,000",
        "previous": "1,000,000",
        "latest": latest,
        "previous_rate_published": "",
        "latest_rate_published": "",
    }
    values.update(cells)
    _set_cells(period / "indicators.csv", PAPER, **values)


def _paper_rates(period: Path) -> tuple[Decimal | None, Decimal | None]:
    data, report = validate_period(period)
    assert data is not None, report.errors
    result = next(
        item for kpi in compute(data).kpis for item in kpi.indicators if item.indicator.row == PAPER
    )
    return result.previous_rate, result.latest_rate


@pytest.mark.parametrize("word", ["", "increase", "上昇", "増加", "ＩＮＣＲＥＡＳＥ"])
def test_an_explicit_increase_keeps_every_figure(period_copy: Path, word: str) -> None:
    path = period_copy / "indicators.csv"
    for row in range(2, 32):
        _set_cells(path, row, direction=word, baseline="")
    data, report = validate_period(period_copy)
    assert data is not None
    assert _only(report) == []
    assert _kpi_figures(data) == SEED_KPIS


@pytest.mark.parametrize(
    ("latest", "rate"),
    [
        ("950,000", Decimal(25)),
        ("800,000", Decimal(100)),
        ("700,000", Decimal(100)),  # capped like every rate
        ("1,050,000", Decimal(-25)),  # no floor: worse than the baseline is negative
        ("1,000,000", Decimal(0)),
    ],
)
def test_the_decrease_rate_is_the_share_of_the_way_from_baseline_to_target(
    period_copy: Path, latest: str, rate: Decimal
) -> None:
    _paper(period_copy, latest)
    previous, computed = _paper_rates(period_copy)
    assert previous == Decimal(0)
    assert computed == rate


def test_the_decrease_rate_is_exact_and_feeds_the_kpi(period_copy: Path) -> None:
    # (1,000,000 − 950,000) ÷ (1,000,000 − 700,000) × 100 = 16.666… (exact to 40 digits).
    _paper(period_copy, "950,000", target="700,000")
    data, _ = validate_period(period_copy)
    assert data is not None
    k7 = compute(data).kpi("K7")
    assert k7 is not None
    paper = k7.indicators[0]
    assert paper.latest_rate == reduction_rate(Decimal(950000), Decimal(1000000), Decimal(700000))
    assert str(paper.latest_rate)[:8] == "16.66666"
    assert k7.rate == mean([item.latest_rate for item in k7.indicators if item.latest_rate is not None])
    assert str(rate_value(k7.rate)) == "59.9"  # (16.67 + 74.88 + 88.11) ÷ 3
    assert compute(data).to_dict()["kpis"][6]["indicators"][0]["direction"] == "decrease"


def test_a_decrease_target_may_be_zero(period_copy: Path) -> None:
    _paper(period_copy, "250,000", target="0")
    assert _paper_rates(period_copy)[1] == Decimal(75)


def test_japanese_headers_for_direction_and_baseline(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    _paper(period_copy, "950,000")
    text = path.read_text("utf-8").replace(",direction,baseline", ",目標の方向,基準値 (R4年度)")
    path.write_text(text, "utf-8")
    assert _paper_rates(period_copy)[1] == Decimal(25)


def test_the_published_rate_is_checked_against_the_decrease_rate(period_copy: Path) -> None:
    _paper(period_copy, "950,000", latest_rate_published="25.0%", previous_rate_published="10.0%")
    _, report = validate_period(period_copy)
    found = [(i.code, i.row, i.column) for i in _issues(report, "rate-mismatch") if i.row == PAPER]
    assert found == [("rate-mismatch", PAPER, "previous_rate_published")]


def test_a_decrease_without_baseline_is_an_error(period_copy: Path) -> None:
    _paper(period_copy, "950,000", baseline="")
    result, report = validate_period(period_copy)
    assert result is None
    assert [(i.severity, i.code, i.row, i.column) for i in report.errors] == [
        ("error", "missing-value", PAPER, "baseline")
    ]
    assert "基準値（baseline）が必要です" in report.errors[0].message


@pytest.mark.parametrize("baseline", ["800,000", "700,000"])
def test_a_baseline_not_above_the_target_is_an_error(period_copy: Path, baseline: str) -> None:
    _paper(period_copy, "750,000", baseline=baseline, previous="")
    result, report = validate_period(period_copy)
    assert result is None
    assert [(i.severity, i.code, i.row, i.column) for i in report.errors] == [
        ("error", "invalid-baseline", PAPER, "baseline")
    ]
    assert "目標値 800000 より大きくありません" in report.errors[0].message


def test_an_unknown_direction_is_an_error(period_copy: Path) -> None:
    _set_cells(period_copy / "indicators.csv", PAPER, direction="下げる")
    result, report = validate_period(period_copy)
    assert result is None
    assert [(i.code, i.row, i.column, i.value) for i in report.errors] == [
        ("invalid-direction", PAPER, "direction", "下げる")
    ]


@pytest.mark.parametrize(
    ("row", "cells", "fragment"),
    [
        (7, {"latest": "12", "latest_rate_published": ""}, "直近の値 12 が目標値 5 の2倍以上です"),
        (
            8,
            {
                "previous": "3,500",
                "latest": "3,200",
                "previous_rate_published": "",
                "latest_rate_published": "",
            },
            "前期の値 3500 も直近の値 3200 も目標値 3000 を上回っています",
        ),
        (8, {"baseline": "5,000"}, "基準値（baseline）が書かれていますが"),
    ],
    ids=["twice-the-target", "above-the-target-twice", "baseline-without-direction"],
)
def test_an_unmarked_indicator_that_looks_lower_is_better_gets_a_warning(
    period_copy: Path, row: int, cells: dict[str, str], fragment: str
) -> None:
    path = period_copy / "indicators.csv"
    _set_cells(path, row, **cells)
    data, report = validate_period(period_copy)
    assert data is not None
    assert _only(report) == [("warning", "unmarked-direction", "indicators.csv", row, "latest")]
    assert fragment in _issues(report, "unmarked-direction")[0].message
    assert "目標の方向（direction）に「減少」" in _issues(report, "unmarked-direction")[0].message
    # Marking it as a higher-is-better indicator is the answer, and silences the warning.
    _set_cells(path, row, direction="増加")
    _, report = validate_period(period_copy)
    assert _only(report) == []


@given(
    baseline=st.decimals(min_value=-(10**9), max_value=10**9, places=3),
    gap=st.decimals(min_value=Decimal("0.001"), max_value=10**9, places=3),
    value=st.decimals(min_value=-(10**9), max_value=10**9, places=3),
)
def test_the_reduction_rate_is_capped_exact_and_falls_as_the_value_rises(
    baseline: Decimal, gap: Decimal, value: Decimal
) -> None:
    target = baseline - gap
    rate = reduction_rate(value, baseline, target)
    assert rate is not None and rate <= 100
    assert reduction_rate(target, baseline, target) == 100
    assert reduction_rate(baseline, baseline, target) == 0
    higher = reduction_rate(value + 1, baseline, target)
    assert higher is not None and higher <= rate


def test_the_reduction_rate_arithmetic() -> None:
    assert reduction_rate(None, Decimal(10), Decimal(2)) is None
    assert reduction_rate(Decimal(6), Decimal(10), Decimal(2)) == Decimal(50)
    with pytest.raises(ValueError):
        reduction_rate(Decimal(6), Decimal(2), Decimal(2))
    with pytest.raises(ValueError):
        indicator_rate(Decimal(6), Decimal(2), None, decrease=True)


# --- point 1: magnitudes implausible for the unit --------------------------------------------

# Row 3 of the sample: DX・デジタル化推進人財を確保している…中小企業者の割合, %, target 80,
# previous 29.1, latest 32.5.  Row 8: スマート農業機械の導入台数, 台, 3,000, 1,683 → 2,113.


@pytest.mark.parametrize(
    ("row", "column", "value", "fragment"),
    [
        (3, "latest", "0.325", "単位が % なのに 0.325 です。32.5% のつもりで 0.325 と書いていませんか"),
        (3, "previous", "0.291", "単位が % なのに 0.291 です。29.1% のつもりで 0.291 と書いていませんか"),
        (3, "target", "0.8", "単位が % なのに 0.8 です。80% のつもりで 0.8 と書いていませんか"),
        (3, "latest", "1", "単位が % なのに 1 です"),
        (3, "latest", "3250", "100 倍になっていませんか"),
        (8, "latest", "211,300", "直近の値 211300 が前期の値 1683 の 100倍以上です"),
        (8, "latest", "16", "直近の値 16 が前期の値 1683 の 100分の1以下です"),
        (2, "latest", "37,500", "値 37500 が目標値 375 の100倍以上です"),
    ],
)
def test_a_value_of_implausible_magnitude_gets_a_warning_at_its_cell(
    period_copy: Path, row: int, column: str, value: str, fragment: str
) -> None:
    _set_cells(period_copy / "indicators.csv", row, **{column: value})
    data, report = validate_period(period_copy)
    assert data is not None
    found = _issues(report, "implausible-magnitude")
    assert [(i.severity, Path(i.file).name, i.row, i.column, i.value) for i in found] == [
        ("warning", "indicators.csv", row, column, value)
    ]
    assert fragment in found[0].message
    assert _issues(report, "unmarked-direction") == []


def test_a_full_width_percent_unit_is_a_percent(period_copy: Path) -> None:
    _set_cells(period_copy / "indicators.csv", 3, unit="％", latest="0.325")
    _, report = validate_period(period_copy)
    assert [(i.row, i.column) for i in _issues(report, "implausible-magnitude")] == [(3, "latest")]


@pytest.mark.parametrize(
    ("row", "cells"),
    [
        (3, {"latest": "0.5", "previous": "0.4", "target": "0.9"}),  # small percentages throughout
        (3, {"latest": "0.5", "previous": "0.4", "target": "3"}),  # 3 is not 10 times 0.5
        (3, {"latest": "120", "target": "100"}),  # above 100% but not 10 times anything
        (8, {"latest": "16,000"}),  # 9.5 times the previous value: growth, not a slip
    ],
)
def test_plausible_values_get_no_magnitude_warning(
    period_copy: Path, row: int, cells: dict[str, str]
) -> None:
    _set_cells(period_copy / "indicators.csv", row, **cells)
    _, report = validate_period(period_copy)
    assert _issues(report, "implausible-magnitude") == []


def test_the_magnitude_warning_names_the_cell_of_a_workbook(period_copy: Path) -> None:
    source = period_copy / "indicators.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    table[2][table[0].index("latest")] = 0.325  # type: ignore[call-overload]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "中間指標"
    for line in table:
        sheet.append(line)
    workbook.save(period_copy / "indicators.xlsx")
    source.unlink()
    _, report = validate_period(period_copy)
    found = _issues(report, "implausible-magnitude")
    assert [(i.sheet, i.cell, i.row, i.column) for i in found] == [("中間指標", "G3", 3, "latest")]


def test_every_output_says_how_a_decrease_rate_is_computed(period_copy: Path) -> None:
    # The tables' headers say (D/A)×100; a reduction's rate follows another rule, so each output
    # prints that rule beside the value (format.indicator_note), or a reader would find 25.0% wrong.
    import io
    import zipfile

    from rich.console import Console

    from aomori_dx.render.deck import build_deck
    from aomori_dx.render.opendata import indicator_csv
    from aomori_dx.render.report import build_report
    from aomori_dx.render.site import build_site
    from aomori_dx.render.terminal import render_result

    _paper(period_copy, "950,000")
    data, _ = validate_period(period_copy)
    assert data is not None
    result = compute(data)
    rule = "※減らす指標: 達成率 ＝（基準値 1,000,000枚 − 値）÷（基準値 − 目標値）× 100"

    def xml_text(document: bytes, prefix: str) -> str:
        with zipfile.ZipFile(io.BytesIO(document)) as archive:
            parts = [archive.read(name).decode() for name in archive.namelist() if name.startswith(prefix)]
        return "".join(re.sub(r"<[^>]+>", "", part) for part in parts)

    # The deck puts an indicator's notes under its table, numbered like the other footnotes
    # (and breaks the line at a phrase boundary, where a space may go).
    deck_text = "".join(xml_text(build_deck(result), "ppt/slides/slide").split())
    assert re.search(r"※\d+[^※]*" + re.escape("".join(rule.removeprefix("※").split())), deck_text)
    assert rule in xml_text(build_report(result), "word/document.xml")
    assert rule in indicator_csv(result)
    site = build_site(result)
    assert any(rule in content.decode("utf-8", "replace") for content in site.values())
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(render_result(result))
    assert "".join(rule.split()) in "".join(console.file.getvalue().split())  # type: ignore[attr-defined]
