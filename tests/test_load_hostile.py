"""Hostile and unusual input files (issue 10: points 1, 3, 4, 11, 13 and 16).

Every file is built here, in the test: with openpyxl as Excel users' files look, by rewriting a
part of the zip where openpyxl cannot write what Excel (or an attacker) writes, or as raw bytes.
Each test asserts the exact outcome: the value imported, or the issue code, file, sheet, cell
and a fragment of the message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.errors import InputFileError
from aomori_dx.load import read_table
from aomori_dx.load import xlsx as xlsx_module
from aomori_dx.load.cells import cell_text, sheet_rows
from aomori_dx.load.xlsx import formula_cells_without_value, open_workbook, visible_sheet
from aomori_dx.model import Indicator
from aomori_dx.parse import parse_number, visible
from aomori_dx.validate import Issue, Report, validate_period

runner = CliRunner()

# indicators.csv of the sample: row 3 is a % indicator (target 80, previous 29.1, latest 32.5).
PERCENT_ROW = 3
COLUMNS = "ABCDEFGHIJKL"  # kpi … latest_rate_published, in the sample's order


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def to_xlsx(
    folder: Path,
    stem: str = "indicators",
    edit: Callable[[Any], None] | None = None,
    title: str = "中間指標",
) -> Path:
    """``<stem>.csv`` → ``<stem>.xlsx`` as text cells, then ``edit(workbook)``; the CSV is removed."""
    source = folder / f"{stem}.csv"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in csv_rows(source):
        sheet.append(row)
    if edit is not None:
        edit(workbook)
    target = folder / f"{stem}.xlsx"
    workbook.save(target)
    source.unlink()
    return target


def rewrite_parts(path: Path, parts: dict[str, bytes]) -> None:
    """Replace (or add) parts of a saved workbook, keeping the others byte for byte."""
    with zipfile.ZipFile(path) as source:
        kept = [(info, source.read(info)) for info in source.infolist() if info.filename not in parts]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in kept:
            target.writestr(info.filename, data)
        for name, data in parts.items():
            target.writestr(name, data)


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def replace_cell(xml: str, coordinate: str, replacement: str) -> str:
    """The sheet XML with the ``<c>`` element of ``coordinate`` replaced (openpyxl wrote it)."""
    start = xml.index(f'<c r="{coordinate}"')
    end = xml.index("</c>", start) + len("</c>")
    return xml[:start] + replacement + xml[end:]


def indicator_at(folder: Path, row: int) -> Indicator:
    data, report = validate_period(folder)
    assert data is not None, report.to_dict()
    return next(indicator for indicator in data.indicators if indicator.row == row)


def only_error(report: Report, code: str) -> Issue:
    found = [issue for issue in report.errors if issue.code == code]
    assert len(found) == 1, report.to_dict()
    return found[0]


def run_cli(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(folder.parent)
    result = runner.invoke(app, ["validate", folder.name, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- Point 1: percent cells -----------------------------------------------------------------


@pytest.mark.parametrize("number_format", ["0%", "0.0%", "0.00%", "#,##0.0%"])
def test_percent_cells_are_read_as_the_percent_shown(period_copy: Path, number_format: str) -> None:
    def percent(workbook: Any) -> None:
        sheet = workbook.active
        for column, value in (("D", 0.8), ("E", 0.291), ("G", 0.325), ("K", 0.364), ("L", 0.406)):
            sheet[f"{column}{PERCENT_ROW}"] = value
            sheet[f"{column}{PERCENT_ROW}"].number_format = number_format

    to_xlsx(period_copy, edit=percent)
    indicator = indicator_at(period_copy, PERCENT_ROW)
    assert (indicator.target, indicator.previous, indicator.latest) == (
        Decimal(80),
        Decimal("29.1"),
        Decimal("32.5"),
    )
    assert (indicator.previous_rate_published, indicator.latest_rate_published) == (
        Decimal("36.4"),
        Decimal("40.6"),
    )


def test_a_percent_cell_in_a_count_row_is_a_unit_mismatch_not_a_fraction(period_copy: Path) -> None:
    # Row 2 counts 件: a cell formatted as % shows "29%", which is not a count.
    def percent(workbook: Any) -> None:
        workbook.active["G2"] = 0.29
        workbook.active["G2"].number_format = "0%"

    to_xlsx(period_copy, edit=percent)
    _, report = validate_period(period_copy)
    issue = only_error(report, "unit-mismatch")
    assert (issue.sheet, issue.cell, issue.value) == ("中間指標", "G2", "29%")


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (0.45, "0%", "45%"),
        (0.291, "0.0%", "29.1%"),
        (0.29100000000000004, "0.0%", "29.1%"),
        (1, "0%", "100%"),
        # A quoted or escaped % is a literal sign (45 shown as "45%"): the value is not scaled.
        (45, '0"%"', "45"),
        (45, "0\\%", "45"),
    ],
)
def test_cell_text_of_percent_formats(value: float, number_format: str, text: str) -> None:
    assert cell_text(value, number_format) == text


# --- Point 4: float artefacts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (32.50000000000001, "32.5"),
        (450.0000000000001, "450"),
        (0.1 + 0.2, "0.3"),
        (87974100.00000001, "87974100"),
        (5e-05, "0.00005"),
        (1e20, "100000000000000000000"),
        (-2799388.0, "-2799388"),
        (3, "3"),
    ],
)
def test_float_noise_is_read_as_the_decimal_excel_shows(value: float, text: str) -> None:
    assert cell_text(value, "General") == text


def test_float_noise_never_reaches_the_model(period_copy: Path) -> None:
    def noisy(workbook: Any) -> None:
        sheet = workbook.active
        sheet[f"G{PERCENT_ROW}"] = 32.50000000000001
        sheet["D5"] = 450.0000000000001
        sheet["E5"] = 54.00000000000001
        sheet[f"E{PERCENT_ROW}"] = 0.1 + 29.0

    to_xlsx(period_copy, edit=noisy)
    percent = indicator_at(period_copy, PERCENT_ROW)
    assert (percent.previous, percent.latest) == (Decimal("29.1"), Decimal("32.5"))
    assert str(percent.latest) == "32.5"
    count = indicator_at(period_copy, 5)
    assert (str(count.target), str(count.previous)) == ("450", "54")


decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False, places=3
).filter(lambda d: d != 0 and len(d.normalize().as_tuple().digits) <= 15)


@given(decimals)
def test_any_decimal_of_15_digits_survives_float_noise(number: Decimal) -> None:
    # One unit in the last place either way is the noise of a sum such as 0.1 + 0.2.
    expected = f"{number.normalize():f}"
    exact = float(number)
    for noisy in (exact, math.nextafter(exact, math.inf), math.nextafter(exact, -math.inf)):
        assert cell_text(noisy, "General") == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("32.50000000000001", "32.5"),
        ("450.0000000000001", "450"),
        ("0.30000000000000004", "0.3"),
        ("▲2,799,388.0000000000001", "-2799388"),
        ("29.10", "29.10"),  # 15 digits or fewer: exactly as typed
        ("87,974,100", "87974100"),
    ],
)
def test_float_noise_in_a_csv_written_by_a_program_is_rounded_to_excel_precision(
    text: str, shown: str
) -> None:
    value = parse_number(text)
    assert value is not None and str(value) == shown


def test_float_noise_in_a_csv_never_reaches_the_model(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace(",32.5,R5年度", ",32.50000000000001,R5年度", 1)
    path.write_text(text, encoding="utf-8")
    assert str(indicator_at(period_copy, PERCENT_ROW).latest) == "32.5"


# --- Point 3: hidden sheets ------------------------------------------------------------------


def _hidden_first(state: str, visible_title: str = "Sheet2") -> Callable[[Any], None]:
    def edit(workbook: Any) -> None:
        real = workbook.active
        decoy = workbook.create_sheet("古いデータ", 0)
        for row in real.iter_rows(values_only=True):
            decoy.append(row)
        decoy["G2"] = "99999"  # what must never be read
        decoy.sheet_state = state
        real.title = visible_title
        workbook.active = 0  # the active tab is the hidden one, as a careless tool leaves it

    return edit


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_never_read(period_copy: Path, state: str) -> None:
    to_xlsx(period_copy, edit=_hidden_first(state))
    assert indicator_at(period_copy, 2).latest == Decimal(109)
    table = read_table(period_copy / "indicators.xlsx", ("indicators", "中間指標"))
    assert table.sheet == "Sheet2"


def test_when_the_active_sheet_is_hidden_the_sheet_named_like_the_table_is_read(period_copy: Path) -> None:
    def edit(workbook: Any) -> None:
        real = workbook.active
        real.title = "ｉｎｄｉｃａｔｏｒｓ"  # full-width: still the table's name
        workbook.create_sheet("メモ", 0)["A1"] = "作業メモ"
        old = workbook.create_sheet("古い表", 1)
        old["A1"] = "kpi"
        old.sheet_state = "hidden"

    path = to_xlsx(period_copy, edit=edit)
    # openpyxl never saves a hidden active sheet; other tools do.
    workbook_xml = re.sub('activeTab="[0-9]+"', 'activeTab="1"', sheet_xml(path, "xl/workbook.xml"))
    rewrite_parts(path, {"xl/workbook.xml": workbook_xml.encode()})
    assert indicator_at(period_copy, 2).latest == Decimal(109)
    _, report = validate_period(period_copy)
    [warning] = [issue for issue in report.warnings if issue.code == "several-sheets"]
    assert (Path(warning.file).name, warning.sheet) == ("indicators.xlsx", "ｉｎｄｉｃａｔｏｒｓ")
    assert warning.message == (
        "表示されているシートが 2 枚あります。読むのは表の名前のシート「ｉｎｄｉｃａｔｏｒｓ」だけで、「メモ」は読みません。"
        "ほかのシートを読ませたいときは、そのシートを開いた状態で保存してください。"
    )


def test_the_active_sheet_is_read_and_the_other_visible_sheets_are_named(period_copy: Path) -> None:
    def edit(workbook: Any) -> None:
        workbook.create_sheet("前期", 0).append(["kpi", "name"])
        workbook.active = 1  # the table, as the person last saw the workbook

    to_xlsx(period_copy, edit=edit)
    data, report = validate_period(period_copy)
    assert data is not None
    [warning] = [issue for issue in report.warnings if issue.code == "several-sheets"]
    assert (
        "読むのは保存したときに開いていたシート「中間指標」だけで、「前期」は読みません。" in warning.message
    )


def test_without_a_named_sheet_the_active_visible_sheet_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "一枚目"
    workbook.active["A1"] = "first"
    second = workbook.create_sheet("二枚目")
    second["A1"] = "second"
    workbook.active = 1
    workbook.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx", ("indicators",))
    assert (table.sheet, table.headers) == ("二枚目", ("second",))


def test_a_hidden_sheet_named_like_the_table_is_not_read(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "indicators"
    workbook.active["A1"] = "hidden"
    workbook.active.sheet_state = "hidden"
    shown = workbook.create_sheet("表")
    shown["A1"] = "shown"
    workbook.save(tmp_path / "t.xlsx")
    book = open_workbook(tmp_path / "t.xlsx")
    try:
        assert visible_sheet(book, ("indicators",)).title == "表"
    finally:
        book.close()


def test_a_workbook_without_a_visible_sheet_names_the_hidden_ones(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = to_xlsx(period_copy)
    workbook_xml = sheet_xml(path, "xl/workbook.xml").replace('state="visible" r:id', 'state="hidden" r:id')
    rewrite_parts(path, {"xl/workbook.xml": workbook_xml.encode()})
    _, report = validate_period(period_copy)
    issue = only_error(report, "unreadable-file")
    assert Path(issue.file).name == "indicators.xlsx"
    assert "表示されているシートがありません（非表示のシート: 「中間指標」）" in issue.message
    code, output = run_cli(period_copy, monkeypatch)
    assert code == 1 and "非表示のシート" in output and "Traceback" not in output


# --- Point 11: bounded cost ------------------------------------------------------------------


def _small_workbook(path: Path) -> Path:
    workbook = Workbook()
    workbook.active.append(["kpi", "name"])
    workbook.active.append(["K1", "x"])
    workbook.save(path)
    return path


def test_a_zip_bomb_is_refused_before_parsing_within_a_second(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "bomb.xlsx")
    # 30 MB of one repeated row: below the size limit, but inflating 1,000-fold.
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    bomb = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    bomb += row * (30 * 1024 * 1024 // len(row)) + b"</sheetData></worksheet>"
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": bomb})
    started = time.perf_counter()
    with pytest.raises(InputFileError, match="展開すると大きすぎます") as caught:
        open_workbook(path)
    assert time.perf_counter() - started < 1
    assert "xl/worksheets/sheet1.xml" in caught.value.reason and "圧縮率" in caught.value.reason


def test_parts_too_large_in_total_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _small_workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(xlsx_module, "MAX_TOTAL_BYTES", 10_000)
    with pytest.raises(
        InputFileError, match=r"ブックが展開すると大きすぎます（[\d,]+ バイト。上限 10,000 バイト）"
    ):
        open_workbook(path)


def test_a_part_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _small_workbook(tmp_path / "big.xlsx")
    # The theme (10 KB) is parsed whole by openpyxl: it has the lower limit of such parts.
    monkeypatch.setattr(xlsx_module, "MAX_TREE_PART_BYTES", 5_000)
    with pytest.raises(InputFileError, match=r"xl/theme/theme1\.xml が展開すると大きすぎます（10,140 バイト"):
        open_workbook(path)


def test_a_sheet_part_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _small_workbook(tmp_path / "big.xlsx")
    # Worksheets are streamed: they have the higher limit, and the theme passes it.
    monkeypatch.setattr(xlsx_module, "MAX_PART_BYTES", 500)
    with pytest.raises(InputFileError, match=r"xl/worksheets/sheet1\.xml が展開すると大きすぎます"):
        open_workbook(path)


def _with_sheet_data(path: Path, dimension: str, rows: str) -> None:
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": xml.encode()})


def test_a_dimension_claiming_the_whole_sheet_costs_nothing(period_copy: Path) -> None:
    path = to_xlsx(period_copy)
    xml = sheet_xml(path)
    start, end = xml.index("<dimension"), xml.index("/>", xml.index("<dimension")) + 2
    rewrite_parts(
        path,
        {"xl/worksheets/sheet1.xml": (xml[:start] + '<dimension ref="A1:XFD1048576"/>' + xml[end:]).encode()},
    )
    started = time.perf_counter()
    assert indicator_at(period_copy, 2).latest == Decimal(109)
    assert time.perf_counter() - started < 3


def test_a_value_in_the_last_row_of_the_sheet_ends_in_a_clear_message(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "far.xlsx")
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>kpi</t></is></c></row>'
    rows += '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    _with_sheet_data(path, "A1:XFD1048576", rows)
    started = time.perf_counter()
    with pytest.raises(
        InputFileError, match="1048576行目に値があります。表は 20,000 行目までにしてください。"
    ):
        read_table(path)
    assert time.perf_counter() - started < 3


def test_a_value_beyond_the_column_cap_ends_in_a_clear_message(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "wide.xlsx")
    _with_sheet_data(path, "A1:GS1", '<row r="1"><c r="A1"><v>1</v></c><c r="GS1"><v>2</v></c></row>')
    with pytest.raises(
        InputFileError,
        match=r"シート「Sheet」: GS1 に値があります。表は 200 列目（GR 列）までにしてください。",
    ):
        read_table(path)


def test_a_row_with_more_cells_than_excel_allows_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "row.xlsx")
    # No r attributes: openpyxl would build every cell of the row in memory (a 7 MB file with
    # 1.5 million such cells took 0.9 GB); this one stays below the size and ratio limits.
    _with_sheet_data(path, "A1", "<row>" + "<c><v>1</v></c>" * 20_000 + "</row>")
    started = time.perf_counter()
    with pytest.raises(InputFileError, match="1行に 16,384 個を超えるセルがあります"):
        open_workbook(path)
    assert time.perf_counter() - started < 2


def test_a_sheet_with_too_many_row_elements_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "rows.xlsx")
    # Empty formatted rows: openpyxl spends ~9 µs on each, a million of them took 9 s.
    _with_sheet_data(path, "A1:A100001", "".join(f'<row r="{row}" s="1"/>' for row in range(1, 100_002)))
    started = time.perf_counter()
    with pytest.raises(InputFileError, match="書式だけの空の行も含めて 100,000 行を超えています"):
        open_workbook(path)
    assert time.perf_counter() - started < 2


def test_an_indicators_table_of_10000_rows_still_loads(tmp_path: Path, sample_dir: Path) -> None:
    rows = csv_rows(sample_dir / "indicators.csv")
    workbook = Workbook()
    workbook.active.append(rows[0])
    for number in range(10_000):
        row = list(rows[1 + number % (len(rows) - 1)])
        row[1] += str(number)
        workbook.active.append(row)
    workbook.save(tmp_path / "indicators.xlsx")
    started = time.perf_counter()
    table = read_table(tmp_path / "indicators.xlsx", ("indicators",))
    assert len(table.rows) == 10_000 and table.rows[-1].number == 10_001
    assert time.perf_counter() - started < 15


# --- Point 13: Excel's escapes and control characters ---------------------------------------

CONTROL_MESSAGE = "Word や PowerPoint で扱えない制御文字があります"


@pytest.mark.parametrize(
    ("escape", "code"), [("_x000B_", "U+000B"), ("_x0000_", "U+0000"), ("_x001b_", "U+001B")]
)
def test_an_escaped_control_character_in_an_inline_string_is_reported(
    period_copy: Path, escape: str, code: str
) -> None:
    path = to_xlsx(period_copy)
    xml = replace_cell(sheet_xml(path), "H2", f'<c r="H2" t="inlineStr"><is><t>R5年度{escape}</t></is></c>')
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": xml.encode()})
    _, report = validate_period(period_copy)
    issue = only_error(report, "control-character")
    assert (issue.sheet, issue.cell, issue.row, issue.column) == ("中間指標", "H2", 2, "latest_period")
    assert f"5文字目 ({code})" in issue.message and CONTROL_MESSAGE in issue.message


def test_an_escaped_control_character_in_a_shared_string_is_reported(period_copy: Path) -> None:
    path = to_xlsx(period_copy)
    # Excel writes text to the shared string table; openpyxl writes inline strings.
    xml = replace_cell(sheet_xml(path), "I2", '<c r="I2" t="s"><v>0</v></c>')
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>出所_x001B_</t></si></sst>"
    )
    types = sheet_xml(path, "[Content_Types].xml").replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = sheet_xml(path, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>",
        '<Relationship Id="rIdSST" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    rewrite_parts(
        path,
        {
            "xl/worksheets/sheet1.xml": xml.encode(),
            "xl/sharedStrings.xml": shared.encode(),
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
        },
    )
    _, report = validate_period(period_copy)
    issue = only_error(report, "control-character")
    assert (issue.sheet, issue.cell, issue.column, issue.value) == ("中間指標", "I2", "source", "出所\x1b")
    assert "3文字目 (U+001B)" in issue.message


def test_an_escaped_underscore_stays_text(tmp_path: Path) -> None:
    path = _small_workbook(tmp_path / "t.xlsx")
    # A user who typed the characters "_x000B_" is saved by Excel as "_x005F_x000B_".
    _with_sheet_data(
        path, "A1:B1", '<row r="1"><c r="A1" t="inlineStr"><is><t>_x005F_x000B_</t></is></c></row>'
    )
    assert read_table(path).headers == ("_x000B_",)


# --- Point 16: messages that name the real cause ---------------------------------------------


def test_an_invisible_character_in_a_kpi_number_is_shown_escaped(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = period_copy / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\nK1,", "\nK1\u200b,", 1), encoding="utf-8")
    _, report = validate_period(period_copy)
    issue = next(issue for issue in report.errors if issue.code == "unknown-kpi")
    assert issue.row == 2 and issue.value == "K1\u200b"
    assert (
        issue.message
        == "KPI番号「K1\\u200b」は kpis の表にありません。（見えない文字 \\u200b が入っています。削除してください）"
    )
    code, output = run_cli(period_copy, monkeypatch)
    assert code == 1 and "K1\\u200b" in output


def test_a_bom_inside_a_kpi_id_is_shown_escaped(period_copy: Path) -> None:
    # A BOM pasted in the middle of a file (two CSVs joined) or inside a cell.
    path = period_copy / "kpis.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\nK2,", "\nK2\ufeff,", 1), encoding="utf-8")
    _, report = validate_period(period_copy)
    issue = only_error(report, "kpi-without-indicators")
    assert (Path(issue.file).name, issue.row, issue.value) == ("kpis.csv", 3, "K2\ufeff")
    assert (
        "(K2\\ufeff) の中間指標が indicators の表に1つもありません。（見えない文字 \\ufeff が入っています"
        in issue.message
    )


@pytest.mark.parametrize(
    ("char", "shown"),
    [("\ufeff", "\\ufeff"), ("\u200b", "\\u200b"), ("\u00ad", "\\u00ad"), ("\u2060", "\\u2060")],
)
def test_an_invisible_character_in_a_header_is_shown_escaped(
    period_copy: Path, char: str, shown: str
) -> None:
    path = period_copy / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",unit,", f",un{char}it,", 1), encoding="utf-8")
    _, report = validate_period(period_copy)
    unknown = next(issue for issue in report.warnings if issue.code == "unknown-column")
    assert unknown.message.startswith(f"見出し「un{shown}it」は使われません。")
    assert f"見えない文字 {shown} が入っています" in unknown.message
    assert only_error(report, "missing-column").column == "単位"


def test_visible_escapes_only_what_cannot_be_seen() -> None:
    assert visible("K1\u200b") == "K1\\u200b"
    assert visible("青森県 DX\t推進") == "青森県 DX\\t推進"
    assert visible("a\x0bb\U000e0001") == "a\\u000bb\\U000e0001"
    assert visible("葛󠄀城・髙橋①") == "葛󠄀城・髙橋①"  # an ideographic variation selector is part of the name


@pytest.mark.parametrize(("delimiter", "name"), [("\t", "タブ区切り"), (";", "セミコロン区切り")])
def test_a_tab_or_semicolon_separated_csv_is_called_that(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch, delimiter: str, name: str
) -> None:
    path = period_copy / "indicators.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(csv_rows(path))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    _, report = validate_period(period_copy)
    issue = only_error(report, "unreadable-file")
    assert (Path(issue.file).name, issue.row) == ("indicators.csv", 1)
    assert issue.message.startswith(f"{name}のファイルです")
    assert "CSV UTF-8 (コンマ区切り)" in issue.message
    code, output = run_cli(period_copy, monkeypatch)
    assert code == 1 and name in output


def test_an_excel_unicode_text_file_is_called_that(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    path.write_bytes("\r\n".join("\t".join(row) for row in csv_rows(path)).encode("utf-16"))
    _, report = validate_period(period_copy)
    issue = only_error(report, "unreadable-file")
    assert issue.message.startswith(
        "タブ区切りの UTF-16 のテキスト（Excel の「Unicode テキスト」など）で保存されています。"
    )


def test_a_comma_csv_with_a_tab_inside_a_value_is_still_read(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("(総合的支援体制)", "(総合的\t支援体制)", 1),
        encoding="utf-8",
    )
    data, _ = validate_period(period_copy)
    assert data is not None


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(with_encryption: bool) -> bytes:
    body = bytearray(OLE + bytes(504) + bytes(1536))
    name = ("EncryptionInfo" if with_encryption else "Workbook").encode("utf-16-le")
    body[512 + 128 : 512 + 128 + len(name)] = name  # a directory entry's name
    return bytes(body)


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (_ole(True), "パスワードで保護（暗号化）されたブックのため読めません"),
        (_zip("[Content_Types].xml", "word/document.xml"), "別の Office ファイルです"),
        (_zip("mimetype", "content.xml"), "中身が別の形式の zip です"),
        (_ole(False), "古い形式の Excel ファイル (.xls) のため読めません"),
        (b"kpi,name\nK1,x\n", "Excel ファイル (.xlsx) ではありません"),
        (b"PK\x03\x04" + bytes(100), "Excel ファイル (.xlsx) として開けません。壊れています"),
    ],
    ids=["encrypted", "docx", "ods", "xls", "text", "broken"],
)
def test_a_workbook_that_is_not_an_xlsx_says_what_it_is(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, fragment: str
) -> None:
    (period_copy / "indicators.csv").unlink()
    (period_copy / "indicators.xlsx").write_bytes(content)
    _, report = validate_period(period_copy)
    issue = only_error(report, "unreadable-file")
    assert Path(issue.file).name == "indicators.xlsx" and fragment in issue.message
    assert "壊れて" not in issue.message or fragment.endswith("壊れています")
    code, output = run_cli(period_copy, monkeypatch)
    assert code == 1 and "Traceback" not in output


def test_an_xlsb_workbook_is_called_that(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x00")
    with pytest.raises(InputFileError, match=r"Excel バイナリ ブック \(.xlsb\)"):
        open_workbook(path)


def test_an_xlsx_named_csv_is_called_an_excel_file(period_copy: Path) -> None:
    to_xlsx(period_copy).rename(period_copy / "indicators.csv")
    _, report = validate_period(period_copy)
    assert (
        "中身が Excel ファイルです（拡張子だけが .csv です）" in only_error(report, "unreadable-file").message
    )


def test_a_formula_without_a_cached_value_is_reported_at_its_cell(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def formula(workbook: Any) -> None:
        workbook.active["G2"] = "=D2*0.3"  # openpyxl writes the formula, and no result

    to_xlsx(period_copy, edit=formula)
    _, report = validate_period(period_copy)
    issue = only_error(report, "formula-without-value")
    assert (Path(issue.file).name, issue.sheet, issue.cell, issue.row, issue.column) == (
        "indicators.xlsx", "中間指標", "G2", 2, "latest",
    )  # fmt: skip
    assert issue.message.startswith("数式の結果が保存されていません")
    code, output = run_cli(period_copy, monkeypatch)
    assert code == 1 and "中間指標!G2" in output


def test_a_row_of_formulas_without_results_is_not_dropped_silently(period_copy: Path) -> None:
    def formulas(workbook: Any) -> None:
        sheet = workbook.active
        for column in COLUMNS:
            sheet[f"{column}5"] = f"={column}4"  # the whole row computed, nothing saved

    to_xlsx(period_copy, edit=formulas)
    _, report = validate_period(period_copy)
    found = [(issue.cell, issue.column) for issue in report.errors if issue.code == "formula-without-value"]
    assert found[:4] == [("A5", "kpi"), ("B5", "name"), ("C5", "unit"), ("D5", "target")]
    assert len(found) == len(COLUMNS)


def test_a_sheet_of_formulas_without_results_is_not_called_empty(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"
    workbook.active["B1"] = "=A1"
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(
        InputFileError, match=r"シート「Sheet」の数式の結果が保存されていません（A1 など 2 個のセル"
    ):
        read_table(tmp_path / "t.xlsx")


def test_a_formula_with_its_saved_result_is_read_and_an_empty_text_result_is_blank(period_copy: Path) -> None:
    path = to_xlsx(period_copy)
    xml = sheet_xml(path)
    xml = replace_cell(xml, "G2", '<c r="G2"><f>D2*0.3</f><v>112.5</v></c>')  # Excel saved the result
    xml = replace_cell(xml, "I2", '<c r="I2" t="str"><f>IF(A2="","","")</f><v></v></c>')  # an empty text
    rewrite_parts(path, {"xl/worksheets/sheet1.xml": xml.encode()})
    assert formula_cells_without_value(path, "中間指標") == []
    indicator = indicator_at(period_copy, 2)
    assert (indicator.latest, indicator.source) == (Decimal("112.5"), "")


@pytest.mark.parametrize(
    ("number_format", "text"),
    [
        ('yyyy"年"m"月"', "2024年11月"),
        ('[$-ja-JP]ggge"年"m"月"', "令和6年11月"),
        ('[$-411]ggge"年"m"月";@', "令和6年11月"),
    ],
)
def test_a_period_typed_in_japanese_excel_is_kept_as_typed(
    period_copy: Path, number_format: str, text: str
) -> None:
    def date(workbook: Any) -> None:
        workbook.active["H2"] = dt.datetime(2024, 11, 1)
        workbook.active["H2"].number_format = number_format

    to_xlsx(period_copy, edit=date)
    period = indicator_at(period_copy, 2).latest_period
    assert period is not None and (period.text, period.kind, period.year, period.month) == (
        text,
        "month",
        2024,
        11,
    )


def test_a_japanese_builtin_date_format_stored_by_number_is_kept_as_typed(period_copy: Path) -> None:
    # Japanese Excel saves yyyy"年"m"月" as built-in number format 55, with no format code at all.
    path = to_xlsx(period_copy)
    styles = sheet_xml(path, "xl/styles.xml")
    start = styles.index("<cellXfs")
    end = styles.index("</cellXfs>")
    formats = (
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="55" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    )
    styles = styles[:start] + formats + styles[end:]
    xml = replace_cell(sheet_xml(path), "H2", '<c r="H2" s="1"><v>45597</v></c>')
    rewrite_parts(path, {"xl/styles.xml": styles.encode(), "xl/worksheets/sheet1.xml": xml.encode()})
    period = indicator_at(period_copy, 2).latest_period
    assert period is not None and period.text == "2024年11月"


def test_a_date_with_a_plain_format_stays_iso(period_copy: Path) -> None:
    def date(workbook: Any) -> None:
        workbook.active["H2"] = dt.datetime(2024, 11, 1)
        workbook.active["H2"].number_format = "yyyy/m/d"

    to_xlsx(period_copy, edit=date)
    _, report = validate_period(period_copy)
    issue = only_error(report, "invalid-period")
    assert (issue.cell, issue.value) == ("H2", "2024-11-01")


def test_a_meeting_date_in_a_japanese_format_is_still_a_date(period_copy: Path) -> None:
    def date(workbook: Any) -> None:
        sheet = workbook.active
        row = next(cells[0].row for cells in sheet.iter_rows() if cells[0].value == "date")
        sheet[f"B{row}"] = dt.datetime(2024, 12, 18)
        sheet[f"B{row}"].number_format = '[$-ja-JP]ggge"年"m"月"d"日"'

    to_xlsx(period_copy, "meeting", edit=date, title="meeting")
    data, report = validate_period(period_copy)
    assert data is not None, report.to_dict()
    assert data.meeting.date == dt.date(2024, 12, 18)


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (dt.datetime(2024, 11, 30), 'm"月"d"日"', "11月30日"),
        (dt.datetime(2024, 11, 30), "[$-411]ge.m.d", "R6.11.30"),
        (dt.datetime(2019, 4, 30), 'ggge"年"m"月"d"日"', "平成31年4月30日"),
        (dt.datetime(2019, 5, 1), 'gge"年"', "令1年"),
        (dt.datetime(2024, 11, 30), 'yyyy"年"mm"月"dd"日"(aaa)', "2024年11月30日(土)"),
        (dt.datetime(2024, 11, 30), "yyyy-mm-dd", "2024-11-30"),
        (dt.datetime(2024, 11, 30, 15, 0), 'yyyy"年"m"月"d"日" h:mm', "2024-11-30 15:00:00"),
        (dt.time(15, 0), 'h"時"mm"分"', "15:00:00"),
    ],
)
def test_cell_text_of_dates(value: object, number_format: str, text: str) -> None:
    assert cell_text(value, number_format) == text


def test_an_encoding_error_names_the_line_and_the_byte(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = period_copy / "indicators.csv"
    data = path.read_bytes()
    third = data.index(b"\n", data.index(b"\n") + 1) + 1  # start of line 3
    bad = third + len(b"K1,DX")
    path.write_bytes(data[:bad] + b"\x82" + data[bad:])  # a lone CP932 lead byte in a UTF-8 file
    _, report = validate_period(period_copy)
    issue = only_error(report, "unreadable-file")
    assert issue.row is None  # a text editor's line, in the message: the file is not a table yet
    assert issue.message.startswith(
        f"3行目（先頭から {bad + 1:,} バイト目）の 0x82 が UTF-8 でも Shift_JIS(CP932) でも読めません"
    )
    code, output = run_cli(period_copy, monkeypatch)
    assert code == 1 and "0x82" in output


def test_an_encoding_error_in_a_cp932_file_points_at_the_damaged_byte(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    data = path.read_text(encoding="utf-8").replace("—", "－").encode("cp932")
    bad = data.index(b"\n") + 1  # line 2 starts with the damaged byte
    path.write_bytes(data[:bad] + b"\x85" + data[bad:])  # a lead byte of an unassigned row
    _, report = validate_period(period_copy)
    issue = only_error(report, "unreadable-file")
    assert issue.message.startswith(f"2行目（先頭から {bad + 1:,} バイト目）の 0x85 が")


def test_validating_a_csv_period_does_not_import_openpyxl(sample_dir: Path) -> None:
    # openpyxl costs import time: only a period with an .xlsx table pays it.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from aomori_dx.validate import validate_period\n"
        "from pathlib import Path\n"
        f"validate_period(Path({str(sample_dir)!r}))\n"
        "print('openpyxl' in sys.modules)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


def test_the_shared_api_reads_rows_lazily_with_positions_and_formats(tmp_path: Path) -> None:
    # What collect builds on: open_workbook → visible_sheet → sheet_rows → cell_text, and the
    # formula check restricted to the cells it cares about.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "回答"
    sheet["A1"] = "値"
    sheet["B3"] = 0.45
    sheet["B3"].number_format = "0%"
    sheet["C3"] = "=B3*2"
    sheet["A4"] = "=1"
    workbook.save(tmp_path / "answer.xlsx")
    book = open_workbook(tmp_path / "answer.xlsx")
    try:
        rows = list(sheet_rows(visible_sheet(book)))
    finally:
        book.close()
    assert [number for number, _ in rows] == [1, 3]  # row 4 holds only an uncomputed formula
    assert rows[1][1] == [(None, ""), (0.45, "0%")]
    assert [cell_text(value, number_format) for value, number_format in rows[1][1]] == ["", "45%"]
    path = tmp_path / "answer.xlsx"
    assert formula_cells_without_value(path, "回答") == ["C3", "A4"]
    assert formula_cells_without_value(path, "回答", among={"C3", "B3"}) == ["C3"]


def test_a_workbook_of_chart_sheets_only_says_so(tmp_path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    data = workbook.active
    data.append(["a", 1])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=1))
    workbook.create_chartsheet("グラフ").add_chart(chart)
    workbook.remove(data)
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(InputFileError, match="表のシートがありません（グラフのシートしかありません）"):
        read_table(tmp_path / "t.xlsx")
