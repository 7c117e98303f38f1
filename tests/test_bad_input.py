"""Bad files never give a traceback: each becomes an error issue naming the file, and exit code 1.

Also the good variants of the same table: CP932, UTF-8 with BOM, XLSX and the meeting's Japanese
headers all validate exactly like the sample's indicators.csv.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.validate import Report, validate_period

runner = CliRunner()

PNG_JUNK = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

SAMPLE_WARNINGS = [
    ("rate-mismatch", 8, "latest_rate_published"),
    ("rate-mismatch", 27, "previous_rate_published"),
    ("rate-mismatch", 27, "latest_rate_published"),
    ("rate-mismatch", 28, "previous_rate_published"),
    ("rate-mismatch", 31, "previous_rate_published"),
    ("rate-mismatch", 31, "latest_rate_published"),
]


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def warnings_of(report: Report) -> list[tuple[str, int | None, str | None]]:
    return [(issue.code, issue.row, issue.column) for issue in report.warnings]


def errors_of(report: Report) -> list[tuple[str, str, int | None, str | None]]:
    return [(issue.code, Path(issue.file).name, issue.row, issue.column) for issue in report.errors]


def run_validate(period: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """``aomori-dx validate <period>`` from the period's parent, so the printed paths are short."""
    monkeypatch.chdir(period.parent)
    result = runner.invoke(app, ["validate", period.name])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def write_indicators_xlsx(folder: Path, numeric: bool = False, sheet: str = "中間指標") -> Path:
    """indicators.csv → indicators.xlsx (the CSV is deleted); returns the workbook's path."""
    from openpyxl import Workbook

    source = folder / "indicators.csv"
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for number, row in enumerate(read_rows(source)):
        cells: list[object] = list(row)
        if numeric and number > 0:
            # Plain numbers as Excel numbers, as a user typing them would get.
            cells = [
                (float(cell) if "." in cell else int(cell)) if re.fullmatch(r"\d+(\.\d+)?", cell) else cell
                for cell in row
            ]
        worksheet.append(cells)
    target = folder / "indicators.xlsx"
    workbook.save(target)
    source.unlink()
    return target


# --- unreadable indicators.csv ---------------------------------------------------------------

BAD_CSV = {
    "empty": b"",
    "bom-only": b"\xef\xbb\xbf",
    "blank-lines": b"\r\n\r\n  \n",
    "png": PNG_JUNK,
    "utf-16": "kpi,name,unit\nK1,指標,件\n".encode("utf-16"),
    "utf-16-le-no-bom": "kpi,name,unit\nK1,指標,件\n".encode("utf-16-le"),
    "neither-utf8-nor-cp932": b"kpi,name\n\x81\x20\xff\xfe,\x82\n",
    "latin-1": "kpi,name\nK1,café société\n".encode("latin-1"),
}


@pytest.mark.parametrize("content", list(BAD_CSV.values()), ids=list(BAD_CSV))
def test_unreadable_csv_is_an_issue(period_copy: Path, content: bytes) -> None:
    (period_copy / "indicators.csv").write_bytes(content)
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("unreadable-file", "indicators.csv", None, None)]
    assert report.errors[0].message


@pytest.mark.parametrize("content", list(BAD_CSV.values()), ids=list(BAD_CSV))
def test_unreadable_csv_through_cli(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    (period_copy / "indicators.csv").write_bytes(content)
    code, output = run_validate(period_copy, monkeypatch)
    assert code == 1
    assert "indicators.csv" in output
    assert "Traceback" not in output


def test_encoding_message_says_what_to_do(period_copy: Path) -> None:
    (period_copy / "indicators.csv").write_bytes(BAD_CSV["neither-utf8-nor-cp932"])
    _, report = validate_period(period_copy)
    assert "UTF-8" in report.errors[0].message


def _broken_quote(period_copy: Path, row: int, old: str, new: str) -> None:
    path = period_copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


# Row 5: text after a closing quote (found on that row) / a quote that is never closed on its row.
BROKEN_QUOTES = {
    "text-after-quote": (5, ",人,", ',"人"x,'),
    "unclosed-quote": (5, "K1,", 'K1,"'),
}


@pytest.mark.parametrize("case", list(BROKEN_QUOTES.values()), ids=list(BROKEN_QUOTES))
def test_broken_quote_is_an_issue(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[int, str, str]
) -> None:
    _broken_quote(period_copy, *case)
    data, report = validate_period(period_copy)
    assert data is None
    assert [item[:2] for item in errors_of(report)] == [("unreadable-file", "indicators.csv")]
    assert "行目" in report.errors[0].message
    code, output = run_validate(period_copy, monkeypatch)
    assert code == 1
    assert "indicators.csv" in output


def test_broken_quote_message_names_the_row(period_copy: Path) -> None:
    _broken_quote(period_copy, *BROKEN_QUOTES["text-after-quote"])
    _, report = validate_period(period_copy)
    assert report.errors[0].message.startswith("5行目")


def test_unclosed_quote_message_names_the_row_where_it_opened(period_copy: Path) -> None:
    _broken_quote(period_copy, *BROKEN_QUOTES["unclosed-quote"])
    _, report = validate_period(period_copy)
    assert report.errors[0].message.startswith("5行目")


def test_broken_quote_issue_has_the_row(period_copy: Path) -> None:
    _broken_quote(period_copy, *BROKEN_QUOTES["text-after-quote"])
    _, report = validate_period(period_copy)
    assert errors_of(report) == [("unreadable-file", "indicators.csv", 5, None)]


# --- unreadable indicators.xlsx --------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


BAD_XLSX = {
    "text": "kpi,name,unit\nK1,指標,件\n".encode(),
    "empty": b"",
    "png": PNG_JUNK,
    "zip-without-workbook": _zip_without_workbook(),
}


@pytest.mark.parametrize("content", list(BAD_XLSX.values()), ids=list(BAD_XLSX))
def test_unreadable_xlsx_is_an_issue(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    (period_copy / "indicators.csv").unlink()
    (period_copy / "indicators.xlsx").write_bytes(content)
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("unreadable-file", "indicators.xlsx", None, None)]
    code, output = run_validate(period_copy, monkeypatch)
    assert code == 1
    assert "indicators.xlsx" in output


def test_truncated_xlsx_is_an_issue(period_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_indicators_xlsx(period_copy)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("unreadable-file", "indicators.xlsx", None, None)]
    code, output = run_validate(period_copy, monkeypatch)
    assert code == 1
    assert "indicators.xlsx" in output


def test_xlsx_with_an_empty_sheet_is_an_issue(period_copy: Path) -> None:
    from openpyxl import Workbook

    (period_copy / "indicators.csv").unlink()
    Workbook().save(period_copy / "indicators.xlsx")
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("unreadable-file", "indicators.xlsx", None, None)]


# --- missing folder --------------------------------------------------------------------------


def test_missing_period_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fy2099-h1"
    data, report = validate_period(folder)
    assert data is None
    assert [(issue.code, issue.file) for issue in report.errors] == [("missing-folder", str(folder))]
    code, output = run_validate(folder, monkeypatch)
    assert code == 1
    assert "fy2099-h1" in output


def test_period_path_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fy2024-h1"
    path.write_text("not a folder", encoding="utf-8")
    data, report = validate_period(path)
    assert data is None
    assert [issue.code for issue in report.errors] == ["missing-folder"]
    code, _ = run_validate(path, monkeypatch)
    assert code == 1


# --- positions survive blank lines and line breaks inside cells ------------------------------


def test_row_numbers_count_blank_lines(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",32.5,", ",多数,", 1)  # row 3's latest
    lines.insert(2, "")  # a blank spreadsheet row 3: the broken row is now row 4
    path.write_text("\n".join(lines), encoding="utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("invalid-number", "indicators.csv", 4, "latest")]


def test_row_numbers_count_records_not_lines(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    rows = read_rows(path)
    rows[1][rows[0].index("note")] = "一行目\n二行目\n三行目"  # row 2 spans three lines
    rows[2][rows[0].index("latest")] = "多数"  # row 3
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("invalid-number", "indicators.csv", 3, "latest")]


# --- the same table in other encodings and formats validates the same ------------------------


def test_indicators_as_cp932(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    # U+2014 (—) has no CP932 code; Excel's CP932 dash is U+2015 (―), also a "no value" mark.
    path.write_bytes(path.read_text(encoding="utf-8").replace("—", "―").encode("cp932"))
    data, report = validate_period(period_copy)
    assert data is not None
    assert errors_of(report) == []
    assert warnings_of(report) == SAMPLE_WARNINGS


def test_every_text_file_as_cp932(period_copy: Path) -> None:
    names = ["cases.md", "history.md", "discussion.md"]  # the Markdown files validation reads
    for path in [
        *period_copy.glob("*.csv"),
        *(period_copy / n for n in names),
        *period_copy.glob("projects/*.md"),
    ]:
        path.write_bytes(path.read_text(encoding="utf-8").replace("—", "―").encode("cp932"))
    data, report = validate_period(period_copy)
    assert data is not None
    assert errors_of(report) == []
    assert warnings_of(report) == SAMPLE_WARNINGS


def test_indicators_as_utf8_with_bom(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    data, report = validate_period(period_copy)
    assert data is not None
    assert errors_of(report) == []
    assert warnings_of(report) == SAMPLE_WARNINGS
    assert report.warnings[0].column == "latest_rate_published"  # the BOM is not in the header


def test_cp932_error_positions(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace("—", "―")
    text = text.replace(",450,", ",多数,", 1)  # row 5's target
    path.write_bytes(text.encode("cp932"))
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("invalid-number", "indicators.csv", 5, "target")]
    assert report.errors[0].value == "多数"


@pytest.mark.parametrize("numeric", [False, True], ids=["text-cells", "number-cells"])
def test_indicators_as_xlsx(period_copy: Path, numeric: bool) -> None:
    write_indicators_xlsx(period_copy, numeric=numeric)
    data, report = validate_period(period_copy)
    assert errors_of(report) == []
    assert data is not None
    assert warnings_of(report) == SAMPLE_WARNINGS
    assert {issue.sheet for issue in report.warnings} == {"中間指標"}
    assert report.warnings[0].cell == "L8"  # latest_rate_published of row 8
    assert all(Path(issue.file).name == "indicators.xlsx" for issue in report.warnings)


def test_xlsx_error_reports_sheet_and_cell(period_copy: Path) -> None:
    rows_path = period_copy / "indicators.csv"
    rows = read_rows(rows_path)
    assert rows[0][3] == "target"
    rows[2][3] = "多数"  # the 2nd data row: spreadsheet row 3, column D
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    rows_path.write_text(buffer.getvalue(), encoding="utf-8")
    write_indicators_xlsx(period_copy)
    data, report = validate_period(period_copy)
    assert data is None
    [issue] = report.errors
    assert (issue.code, Path(issue.file).name, issue.row, issue.column) == (
        "invalid-number",
        "indicators.xlsx",
        3,
        "target",
    )
    assert (issue.sheet, issue.cell) == ("中間指標", "D3")
    assert issue.position == "中間指標!D3 target"
    assert issue.to_dict()["cell"] == "D3"


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of an .xlsx (a zip) in place, as another program might have saved it."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    assert member in [info.filename for info, _ in parts]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == member else data)


SHEET_XML = "xl/worksheets/sheet1.xml"


def _xlsx_with_placeholder(period_copy: Path) -> Path:
    path = period_copy / "indicators.csv"
    rows = read_rows(path)
    assert rows[3][1] == "DXコーディネーターの伴走支援によりDX戦略の策定に取り組んでいる企業数"
    rows[3][1] = rows[3][1].replace("DX", "DXPLACEHOLDER", 1)  # row 4, column B
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return write_indicators_xlsx(period_copy)


def test_xlsx_control_character_reports_cell(period_copy: Path) -> None:
    path = _xlsx_with_placeholder(period_copy)
    rewrite_member(path, SHEET_XML, lambda data: data.replace(b"PLACEHOLDER", b"_x000B_"))
    data, report = validate_period(period_copy)
    assert data is None
    assert [(i.code, i.row, i.column, i.sheet, i.cell) for i in report.errors] == [
        ("control-character", 4, "name", "中間指標", "B4")
    ]
    assert "3文字目" in report.errors[0].message


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


MALFORMED_XLSX = {
    # A raw control character is not well-formed XML: what a careless exporter writes.
    "raw-control-character-in-sheet": (SHEET_XML, lambda data: data.replace(b"PLACEHOLDER", b"\x0b")),
    "truncated-sheet-xml": (SHEET_XML, _truncate),
    "truncated-styles-xml": ("xl/styles.xml", _truncate),
}


@pytest.mark.parametrize("case", list(MALFORMED_XLSX.values()), ids=list(MALFORMED_XLSX))
def test_malformed_xlsx_xml_is_an_issue(
    period_copy: Path, case: tuple[str, Callable[[bytes], bytes]]
) -> None:
    path = _xlsx_with_placeholder(period_copy)
    rewrite_member(path, *case)
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report) == [("unreadable-file", "indicators.xlsx", None, None)]


@pytest.mark.parametrize("case", list(MALFORMED_XLSX.values()), ids=list(MALFORMED_XLSX))
def test_malformed_xlsx_xml_through_cli(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, Callable[[bytes], bytes]]
) -> None:
    path = _xlsx_with_placeholder(period_copy)
    rewrite_member(path, *case)
    code, output = run_validate(period_copy, monkeypatch)
    assert code == 1
    assert "indicators.xlsx" in output


def test_xlsx_small_float_is_a_number(period_copy: Path) -> None:
    from openpyxl import load_workbook

    path = write_indicators_xlsx(period_copy)
    workbook = load_workbook(path)
    workbook.active["G3"] = 0.00005  # latest of row 3 (unit %)
    workbook.save(path)
    data, report = validate_period(period_copy)
    assert errors_of(report) == []
    assert data is not None


# --- rows wider than the header --------------------------------------------------------------


def test_row_with_more_cells_than_header_is_an_error(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    old = "デジタルトランスフォーメーション推進事業(総合的支援体制),,—,29.1%"
    assert lines[1].endswith(old)
    # An unquoted comma in the source column shifts note and both rates one cell to the right.
    lines[1] = lines[1].replace(old, old.replace("(総合的支援体制)", "(総合的支援体制),本庁"))
    path.write_text("\n".join(lines), encoding="utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert [(name, row) for _, name, row, _ in errors_of(report)] == [("indicators.csv", 2)]


JAPANESE_HEADERS = [
    "KPI番号",
    "中間指標名",
    "単位",
    "目標値 (A)",
    "前期の値 (B)",
    "前期の時点",
    "直近の値 (D)",
    "直近の時点",
    "データの出所",
    "備考",
    "前期の 達成率 (B/A)× 100=C",
    "直近の 達成率 (D/A)× 100=E",
]


def test_japanese_headers(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0].split(",") == [
        "kpi",
        "name",
        "unit",
        "target",
        "previous",
        "previous_period",
        "latest",
        "latest_period",
        "source",
        "note",
        "previous_rate_published",
        "latest_rate_published",
    ]
    lines[0] = ",".join(JAPANESE_HEADERS)
    path.write_text("\n".join(lines), encoding="utf-8")
    data, report = validate_period(period_copy)
    assert errors_of(report) == []
    assert data is not None
    assert [(code, row) for code, row, _ in warnings_of(report)] == [
        (code, row) for code, row, _ in SAMPLE_WARNINGS
    ]
    # Columns are named as the file writes them.
    assert [issue.column for issue in report.warnings] == [
        JAPANESE_HEADERS[11],
        JAPANESE_HEADERS[10],
        JAPANESE_HEADERS[11],
        JAPANESE_HEADERS[10],
        JAPANESE_HEADERS[10],
        JAPANESE_HEADERS[11],
    ]


def test_japanese_headers_give_the_same_model(period_copy: Path, sample_dir: Path) -> None:
    path = period_copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = ",".join(JAPANESE_HEADERS)
    path.write_text("\n".join(lines), encoding="utf-8")
    data, _ = validate_period(period_copy)
    expected, _ = validate_period(sample_dir)
    assert data is not None
    assert expected is not None
    assert data.indicators == expected.indicators
