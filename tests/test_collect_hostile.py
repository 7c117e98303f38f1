"""The collection loop under hostile use (issue 10): what a division really types into a request
workbook, two answers for one cell, two ``collect`` runs at once, division names that collide or
look like formulas, escaped control characters, and workbooks that claim to be huge.

Every workbook is made by ``make_requests`` from a copy of the sample and then edited here with
openpyxl or zipfile, as a division (or an attacker) would; each test asserts the value that lands
in ``indicators.csv`` or the exit code, the issue code and the workbook/sheet/cell.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_collect import (  # the prepared period, written once per module
    INDICATOR_SHEET,
    MEETING,
    NEW_ID,
    ROADMAP_SHEET,
    SCHOOL,
    SUPPORT,
    Prepared,
    _flat,
    edit,
    errors_of,
    fill_meeting,
    grid_row,
    invoke,
    meta_of,
    prepared,
    read_dicts,
    read_rows,
    tables,
    template,
)

from aomori_dx.collect import collect, make_requests
from aomori_dx.collect import merge as merge_module
from aomori_dx.collect.lock import LOCK_NAME
from aomori_dx.collect.requests import MIN_NAME_WIDTH, _file_names
from aomori_dx.collect.sheets import BODY_PT, FONT_NAME, MIN_PRINTED_PT, print_scale, put, units
from aomori_dx.errors import AomoriDxError
from aomori_dx.load.xlsx import MAX_PART_BYTES
from aomori_dx.validate import Report, validate_period

__all__ = ["prepared", "template"]  # fixtures used here by name

PERCENT_ROW = 3  # SUPPORT row 3: 「…中小企業者の割合」, unit %, latest 32.5 (R5年度)
COUNT_ROW = 2  # SUPPORT row 2: 「…支援件数」, unit 件, latest 109 (R5年度)


def answer(
    path: Path, row: int, value: Any, number_format: str | None = None, period: str = "R6年度"
) -> Path:
    """Type a value (and its period) into the answer cells of one indicator row."""
    book = load_workbook(path)
    sheet = book[INDICATOR_SHEET]
    sheet[f"I{row}"] = value
    if number_format is not None:
        sheet[f"I{row}"].number_format = number_format
    sheet[f"J{row}"] = period
    book.save(path)
    return path


def latest_of(folder: Path, row: int) -> str:
    return read_dicts(folder / "indicators.csv")[row - 2]["latest"]


def issues_of(report: Report, code: str) -> list[tuple[str, str | None, str | None]]:
    return [(Path(i.file).name, i.sheet, i.cell) for i in report.issues if i.code == code]


# --- point 1 and 4: what people type into the answer cell ------------------------------------


@pytest.mark.parametrize(
    ("row", "value", "number_format", "expected"),
    [
        pytest.param(PERCENT_ROW, 0.45, "0%", "45", id="typed-45%"),
        pytest.param(PERCENT_ROW, 0.325, "0.0%", "32.5", id="typed-32.5%"),
        pytest.param(PERCENT_ROW, 0.4500000000000001, "0.00%", "45", id="percent-with-noise"),
        pytest.param(PERCENT_ROW, 0.45, "[Red]0%;[Blue]-0%", "45", id="percent-with-colours"),
        pytest.param(PERCENT_ROW, 45, '0.0"%"', "45", id="the-request-format"),
        pytest.param(PERCENT_ROW, "45%", None, "45", id="text-45%"),
        pytest.param(PERCENT_ROW, "４５％", None, "45", id="full-width-text"),
        pytest.param(PERCENT_ROW, "45", None, "45", id="text-45"),
        pytest.param(PERCENT_ROW, 32.50000000000001, None, "32.5", id="float-noise"),
        pytest.param(COUNT_ROW, 450.0000000000001, "General", "450", id="count-noise"),
        pytest.param(COUNT_ROW, "1,234", None, "1,234", id="count-text"),
    ],
)
def test_answer_is_read_as_displayed(
    prepared: Prepared, row: int, value: Any, number_format: str | None, expected: str
) -> None:
    path = answer(prepared.books[SUPPORT], row, value, number_format)
    _, report = collect(prepared.folder, [path])
    assert report.errors == []
    assert issues_of(report, "implausible-magnitude") == []
    assert latest_of(prepared.folder, row) == expected


def test_percent_cell_for_a_count_is_a_unit_error(prepared: Prepared) -> None:
    # 45% typed for an indicator counted in 件 is not silently 0.45 件 or 45 件.
    path = answer(prepared.books[SUPPORT], COUNT_ROW, 0.45, "0%")
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [path])
    assert errors_of(report) == [("unit-mismatch", str(path), INDICATOR_SHEET, f"I{COUNT_ROW}")]
    assert report.errors[0].value == "45%"
    assert tables(prepared.folder) == before


@pytest.mark.parametrize(
    ("row", "value", "expected"),
    [
        pytest.param(PERCENT_ROW, 0.45, "0.45", id="percent-as-fraction"),
        pytest.param(PERCENT_ROW, 1, "1", id="percent-of-one"),
        pytest.param(COUNT_ROW, 109000, "109,000", id="thousand-times"),
        pytest.param(COUNT_ROW, 1, "1", id="hundredth"),
    ],
)
def test_implausible_magnitude_is_warned_with_its_cell(
    prepared: Prepared, row: int, value: Any, expected: str
) -> None:
    path = answer(prepared.books[SUPPORT], row, value, "General")
    code, output = invoke("collect", str(prepared.folder), str(path), "--dry-run")
    assert code == 0
    assert "implausible-magnitude" in output and f"{INDICATOR_SHEET}!I{row}" in output
    assert path.name in _flat(output)

    _, report = collect(prepared.folder, [path])
    assert report.ok
    assert issues_of(report, "implausible-magnitude") == [(path.name, INDICATOR_SHEET, f"I{row}")]
    assert latest_of(prepared.folder, row) == expected  # a warning: the value is still taken


def test_implausible_percent_message(prepared: Prepared) -> None:
    path = answer(prepared.books[SUPPORT], PERCENT_ROW, 0.45, "General")
    _, report = collect(prepared.folder, [path])
    assert [issue.message for issue in report.warnings if issue.code == "implausible-magnitude"] == [
        "単位が % なのに 0.45 です。45% のつもりで 0.45 と書いていませんか（Excel のパーセント"
        "表示のセルの値を写すと小数になります）。% の指標は 45% を 45 と書きます。"
    ]


def test_zero_and_ordinary_changes_are_not_doubted(prepared: Prepared) -> None:
    path = answer(prepared.books[SUPPORT], PERCENT_ROW, 0)
    path = answer(path, COUNT_ROW, 250)
    _, report = collect(prepared.folder, [path])
    assert report.issues == []


# --- point 13: Excel's escapes decoded, then the control-character rule ------------------------


@pytest.mark.parametrize(
    ("sheet", "column", "text"),
    [
        pytest.param(INDICATOR_SHEET, "L", "確認済み_x000B_です", id="remark"),
        pytest.param(INDICATOR_SHEET, "J", "R6年度_x0001_", id="period"),
        pytest.param(INDICATOR_SHEET, "I", "_x001B_250", id="value"),
        pytest.param(ROADMAP_SHEET, "E", "研修_x000c_実施", id="roadmap"),
    ],
)
def test_escaped_control_character_names_the_cell(
    prepared: Prepared, sheet: str, column: str, text: str
) -> None:
    book = prepared.books[SUPPORT] if sheet == INDICATOR_SHEET else prepared.books[SCHOOL]
    row = 2 if sheet == INDICATOR_SHEET else grid_row(book, 42, "学びのDX", "実績")
    path = edit(book, {(sheet, f"{column}{row}"): text})
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [path])
    assert errors_of(report) == [("control-character", str(path), sheet, f"{column}{row}")]
    assert "U+00" in report.errors[0].message
    assert tables(prepared.folder) == before


def test_escaped_underscore_is_plain_text(prepared: Prepared) -> None:
    # _x005F_ is Excel's escape for "_": the text below reads as the literal "_x000B_".
    path = edit(
        prepared.books[SUPPORT],
        {(INDICATOR_SHEET, "L2"): "記号_x005F_x000B_の説明", (INDICATOR_SHEET, "K2"): "○"},
    )
    _, report = collect(prepared.folder, [path])
    assert report.ok
    assert [issue.message for issue in report.warnings if issue.code == "remark"] == [
        f"備考（{prepared.data.indicators[0].name}）: 記号_x000B_の説明"
    ]


# --- point 2: two answers for one cell, two runs at once ---------------------------------------


def twin(path: Path, name: str) -> Path:
    """A second copy of a request workbook, as when two people of a division each return one."""
    copy = path.with_name(name)
    copy.write_bytes(path.read_bytes())
    return copy


def test_conflicting_indicator_answers_import_neither(prepared: Prepared) -> None:
    second = answer(twin(prepared.books[SUPPORT], "second.xlsx"), COUNT_ROW, 260)
    first = answer(prepared.books[SUPPORT], COUNT_ROW, 250)
    edit(second, {(INDICATOR_SHEET, "K4"): "○"})  # an answer of its own beside the conflict
    school = edit(prepared.books[SCHOOL], {})  # an unrelated good workbook is still merged
    row = grid_row(school, 42, "学びのDX", "実績")
    edit(school, {(ROADMAP_SHEET, f"E{row}"): "教員研修"})
    before = tables(prepared.folder)

    changes, report = collect(prepared.folder, [first, second, school])
    assert errors_of(report) == [
        ("conflicting-answer", str(first), INDICATOR_SHEET, f"I{COUNT_ROW}"),
        ("conflicting-answer", str(second), INDICATOR_SHEET, f"I{COUNT_ROW}"),
    ]
    assert f"{second} の {INDICATOR_SHEET}!I{COUNT_ROW}" in report.errors[0].message
    assert f"{first} の {INDICATOR_SHEET}!I{COUNT_ROW}" in report.errors[1].message
    assert "「250（R6年度）」" in report.errors[0].message and "「260（R6年度）」" in report.errors[0].message
    after = tables(prepared.folder)
    assert after["indicators.csv"] == before["indicators.csv"]  # neither, not even K4
    assert "教員研修" in after["activities.csv"].decode()
    assert {change.source for change in changes} == {school.name}

    code, output = invoke("collect", str(prepared.folder), str(first), str(second))
    assert code == 1
    assert "conflicting-answer" in output
    assert first.name in _flat(output) and second.name in _flat(output)


def test_value_against_unchanged_is_a_conflict(prepared: Prepared) -> None:
    second = edit(twin(prepared.books[SUPPORT], "second.xlsx"), {(INDICATOR_SHEET, f"K{COUNT_ROW}"): "○"})
    first = answer(prepared.books[SUPPORT], COUNT_ROW, 250)
    _, report = collect(prepared.folder, [first, second])
    assert errors_of(report) == [
        ("conflicting-answer", str(first), INDICATOR_SHEET, f"I{COUNT_ROW}"),
        ("conflicting-answer", str(second), INDICATOR_SHEET, f"K{COUNT_ROW}"),
    ]


def test_identical_answers_are_not_a_conflict(prepared: Prepared) -> None:
    # 45% typed as a percent and as 45: the same answer.
    second = answer(twin(prepared.books[SUPPORT], "second.xlsx"), PERCENT_ROW, 45)
    first = answer(prepared.books[SUPPORT], PERCENT_ROW, 0.45, "0%")
    _, report = collect(prepared.folder, [first, second])
    assert report.errors == []
    assert latest_of(prepared.folder, PERCENT_ROW) == "45"


def test_roadmap_cells(prepared: Prepared) -> None:
    book = prepared.books[SCHOOL]
    row = grid_row(book, 42, "学びのDX", "実績")
    plan = grid_row(book, 42, "学びのDX", "計画")
    second = edit(twin(book, "second.xlsx"), {(ROADMAP_SHEET, f"E{row}"): "教員研修（全校）"})
    first = edit(book, {(ROADMAP_SHEET, f"E{row}"): "教員研修"})
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [first, second])
    assert errors_of(report) == [
        ("conflicting-answer", str(first), ROADMAP_SHEET, f"E{row}"),
        ("conflicting-answer", str(second), ROADMAP_SHEET, f"E{row}"),
    ]
    assert tables(prepared.folder) == before

    # Different cells of the same row, each changed by one workbook: both changes are kept.
    edit(second, {(ROADMAP_SHEET, f"E{row}"): "教員研修", (ROADMAP_SHEET, f"F{row}"): "全校で展開"})
    edit(first, {(ROADMAP_SHEET, f"I{plan}"): "振り返り"})
    _, report = collect(prepared.folder, [first, second])
    assert report.errors == []
    rows = read_rows(prepared.folder / "activities.csv")
    actuals = [r[3:] for r in rows if r[0] == "42" and r[1].startswith("学びのDX") and r[2] == "実績"]
    assert actuals == [["R6", "R6", "教員研修"], ["R7", "R7", "全校で展開"]]
    assert any(r[0] == "42" and r[2] == "計画" and r[3:] == ["R10", "R10", "振り返り"] for r in rows)


def lock_holder(folder: Path) -> Path:
    lock = folder / LOCK_NAME
    holder = {
        "user": "aomori-taro",
        "host": "PC-KIKAKU-07",
        "pid": 4242,
        "since": "2025-06-02T10:15:00+09:00",
    }
    lock.write_text(json.dumps(holder), encoding="utf-8")
    return lock


def test_second_collect_is_refused_while_the_lock_is_held(prepared: Prepared) -> None:
    lock = lock_holder(prepared.folder)
    path = answer(prepared.books[SUPPORT], COUNT_ROW, 250)
    before = tables(prepared.folder)

    code, output = invoke("collect", str(prepared.folder), str(path))
    assert code == 1
    flat = _flat(output)
    assert "collect-locked" in output
    for words in ("PC-KIKAKU-07", "aomori-taro", "2025-06-02T10:15:00+09:00", str(lock), "削除してください"):
        assert _flat(words) in flat, words
    assert tables(prepared.folder) == before
    assert lock.read_text(encoding="utf-8").startswith('{"user": "aomori-taro"')  # not ours to remove

    # A dry run only reads: it works beside a running collect.
    code, output = invoke("collect", str(prepared.folder), str(path), "--dry-run")
    assert code == 0, output

    lock.unlink()  # the stale lock removed, as the message says
    _, report = collect(prepared.folder, [path])
    assert report.ok
    assert latest_of(prepared.folder, COUNT_ROW) == "250"
    assert not lock.exists()


def test_unreadable_lock_still_refuses(prepared: Prepared) -> None:
    (prepared.folder / LOCK_NAME).write_bytes(b"\xff\xfe garbage")
    _, report = collect(prepared.folder, [prepared.books[SUPPORT]])
    assert [(i.code, i.file) for i in report.errors] == [("collect-locked", str(prepared.folder / LOCK_NAME))]


def test_lock_is_released_on_error(prepared: Prepared, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(merge_module, "_merge_indicators", broken)
    path = answer(prepared.books[SUPPORT], COUNT_ROW, 250)
    with pytest.raises(RuntimeError):
        collect(prepared.folder, [path])
    assert not (prepared.folder / LOCK_NAME).exists()


# --- point 7 and 12: file names ------------------------------------------------------------------


def set_divisions(folder: Path, divisions: list[str]) -> None:
    """Give the first indicators these 担当課 (the rest keep their data source)."""
    path = folder / "indicators.csv"
    rows = read_rows(path)
    column = rows[0].index("担当課")
    for row, division in zip(rows[1:], divisions, strict=False):
        row[column] = division
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


COLLIDING = [
    "企画/調整課",
    "企画:調整課",
    "企画*調整課",
    "ＡＢＣ推進課",
    "abc推進課",
    "ABC推進課",
    "あ" * 60 + "第一係",
    "あ" * 60 + "第二係",
]


def test_requests_never_share_a_file(prepared: Prepared, tmp_path: Path) -> None:
    set_divisions(prepared.folder, COLLIDING)
    out = tmp_path / "out"
    code, output = invoke("requests", str(prepared.folder), "--out", str(out))
    assert code == 0, output
    files = sorted(out.iterdir())
    divisions = {meta_of(path)["division"] for path in files}
    assert set(COLLIDING) <= divisions
    assert len(divisions) == len(files)
    assert f"{len(files)} 件の照会ファイル" in output
    keys = [path.name.casefold() for path in files]
    assert len(set(keys)) == len(keys)
    assert {path.name for path in files if path.name.startswith(f"{NEW_ID}_企画_調整課")} == {
        f"{NEW_ID}_企画_調整課.xlsx",
        f"{NEW_ID}_企画_調整課_2.xlsx",
        f"{NEW_ID}_企画_調整課_3.xlsx",
    }


@pytest.mark.parametrize("period_id", ["=cmd", "+x", "-x", "@x", ".x", " x", "　x", "CON", "nul", "Com1"])
def test_file_names_are_safe(period_id: str) -> None:
    names = _file_names(period_id, ["=HYPERLINK(1)", "", "CON", "..", " "])
    assert len(set(names.values())) == 5
    for name in names.values():
        assert name.endswith(".xlsx")
        assert name[0] not in "=+-@. \u3000", name
        assert name.split(".")[0].upper() not in {"CON", "NUL", "COM1", "PRN", "AUX"}, name
        assert not re.search(r'[\\/:*?"<>|\s]', name), name


# --- point 12: text from the inputs never becomes a formula -------------------------------------

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-1+2", "@SUM(A1)", "  =1+1", "＝1+1", "＋2", "\t=1+2"]


def test_text_that_looks_like_a_formula_is_written_as_text(prepared: Prepared, tmp_path: Path) -> None:
    path = prepared.folder / "indicators.csv"
    rows = read_rows(path)
    name, division, note = rows[0].index("name"), rows[0].index("担当課"), rows[0].index("note")
    for row, text in zip(rows[1:], HOSTILE, strict=False):
        row[name] = text + row[name]
        row[division] = "=課" if row is rows[1] else "-課"
        row[note] = text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    activities = prepared.folder / "activities.csv"
    activities.write_text(
        activities.read_text(encoding="utf-8").replace("①実施者募集 ②補助金事務", "=1+1 ①実施者募集"),
        encoding="utf-8",
    )
    data, report = validate_period(prepared.folder, complete=False)
    assert data is not None, report.errors
    books = make_requests(data, tmp_path / "out")

    seen: set[str] = set()
    for book in books:
        with zipfile.ZipFile(book) as archive:
            for part in archive.namelist():
                if part.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(part) and b"<f " not in archive.read(part), (book, part)
        workbook = load_workbook(book)
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows():
                for cell in cells:
                    if isinstance(cell.value, str) and cell.value.lstrip(" \t\u3000")[:1] in "=+-@＝＋－＠":
                        assert cell.data_type == "s" and cell.quotePrefix, (
                            book.name,
                            sheet.title,
                            cell.coordinate,
                        )
                        seen.add(cell.value)
    assert {HOSTILE[0] + rows[1][name][len(HOSTILE[0]) :], "=課", "-課", "=1+1 ①実施者募集"} <= seen
    # The input tables trim leading blanks; what is left still starts like a formula.
    assert all(any(value.startswith(text.strip()) for value in seen) for text in HOSTILE)

    # The workbooks round-trip: an unchanged one is collected without a protected-cell error.
    _, report = collect(prepared.folder, books)
    assert report.errors == []


# --- point 17: the workbook as a department sees it ---------------------------------------------


def test_requests_refuse_without_label_or_as_of(prepared: Prepared, tmp_path: Path) -> None:
    fill_meeting(prepared.folder, {"period_label": "", "as_of": ""})
    code, output = invoke("requests", str(prepared.folder), "--out", str(tmp_path / "out"))
    assert code == 1
    flat = _flat(output)
    assert _flat(str(prepared.folder / "meeting.csv")) in flat
    assert "period_label" in output and "as_of" in output
    assert not (tmp_path / "out").exists()

    fill_meeting(prepared.folder, {"period_label": MEETING["period_label"]})
    data, _ = validate_period(prepared.folder, complete=False)
    assert data is not None
    with pytest.raises(AomoriDxError, match=r"as_of（基準日") as raised:
        make_requests(data, tmp_path / "out")
    assert "period_label" not in raised.value.message


def test_new_period_says_what_to_fill_first(period_copy: Path) -> None:
    code, output = invoke("new-period", NEW_ID, "--from", str(period_copy))
    assert code == 0
    flat = _flat(output)
    assert _flat(f"まず {period_copy.parent / NEW_ID / 'meeting.csv'} の period_label") in flat
    assert "as_of" in output


def test_new_period_fills_label_and_as_of(period_copy: Path, tmp_path: Path) -> None:
    code, output = invoke(
        "new-period",
        NEW_ID,
        "--from",
        str(period_copy),
        "--label",
        "令和6年度下半期",
        "--as-of",
        "２０２５/０５/３１",
    )
    assert code == 0, output
    target = period_copy.parent / NEW_ID
    values = {row[0]: row[1] for row in read_rows(target / "meeting.csv")[1:]}
    assert (values["period_label"], values["as_of"], values["date"]) == ("令和6年度下半期", "2025-05-31", "")
    data, _ = validate_period(target, complete=False)
    assert data is not None
    assert len(make_requests(data, tmp_path / "out")) == 28

    code, output = invoke("new-period", "fy2025-h1", "--from", str(period_copy), "--as-of", "2025年5月")
    assert code == 2
    assert not (period_copy.parent / "fy2025-h1").exists()


def test_request_workbook_as_a_department_sees_it(template: Prepared) -> None:
    book = load_workbook(template.books[SUPPORT])
    guide = [str(cell.value) for cell in book["説明"]["A"] if cell.value]
    assert guide[0] == f"青森県DX推進会議　{MEETING['period_label']} の数値照会（基準日: {MEETING['as_of']}）"
    assert not any(NEW_ID in line or "未定" in line for line in guide)

    sheet = book[INDICATOR_SHEET]
    # Reference figures are numbers shown as the tables print them; the answer cell of the %
    # indicator shows 45 as 45% and stores 45.
    assert (sheet["D3"].value, sheet["E3"].value, sheet["G3"].value) == (80, 29.1, 32.5)
    assert sheet["D3"].number_format == '#,##0"%";"▲"#,##0"%"'
    assert sheet["E3"].number_format == '#,##0.0"%";"▲"#,##0.0"%"'
    assert sheet["D2"].number_format == '#,##0;"▲"#,##0'
    assert sheet["I3"].number_format == '#,##0.0###"%";"▲"#,##0.0###"%"'
    assert sheet["I2"].number_format == '#,##0;"▲"#,##0'
    for cell in ("D2", "D3", "E3", "G3"):
        assert sheet[cell].data_type == "n" and sheet[cell].alignment.horizontal in (None, "general")
    list_validation = next(dv for dv in sheet.data_validations.dataValidation if dv.type == "list")
    assert list_validation.formula1 == '"○"' and "K2" in list_validation.sqref

    for sheet in (book[INDICATOR_SHEET], book["説明"]):
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == (sheet.PAPERSIZE_A4, "landscape")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
        widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"[: sheet.max_column]]
        assert sheet["A2"].font.sz * print_scale(widths) >= MIN_PRINTED_PT
    assert book[INDICATOR_SHEET].print_title_rows == "$1:$1"


def test_a_long_roadmap_prints_at_full_size_with_its_key_columns(prepared: Prepared, tmp_path: Path) -> None:
    fill_meeting(prepared.folder, {"roadmap_last_year": "R20"})
    data, report = validate_period(prepared.folder, complete=False)
    assert data is not None, report.errors
    books = {meta_of(path)["division"]: path for path in make_requests(data, tmp_path / "out")}
    sheet = load_workbook(books[SCHOOL])[ROADMAP_SHEET]
    assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.scale == 100
    assert (sheet.print_title_rows, sheet.print_title_cols) == ("$1:$1", "$A:$D")


# --- point 11: bounded cost -----------------------------------------------------------------------


def rewrite_part(path: Path, part: str, change: Any) -> Path:
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in entries:
            archive.writestr(info.filename, change(content) if info.filename == part else content)
    return path


def test_a_dimension_claiming_a_million_rows_is_read_quickly(prepared: Prepared) -> None:
    path = answer(prepared.books[SUPPORT], COUNT_ROW, 250)
    rewrite_part(
        path,
        "xl/worksheets/sheet2.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    started = time.monotonic()
    _, report = collect(prepared.folder, [path])
    assert time.monotonic() - started < 10
    assert report.errors == []
    assert latest_of(prepared.folder, COUNT_ROW) == "250"


def test_a_workbook_that_inflates_is_refused(prepared: Prepared) -> None:
    path = prepared.books[SUPPORT]
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (MAX_PART_BYTES + 1))
    started = time.monotonic()
    _, report = collect(prepared.folder, [path])
    assert time.monotonic() - started < 10
    assert errors_of(report) == [("unreadable-file", str(path), None, None)]
    assert "大きすぎ" in report.errors[0].message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "暗号化",
            id="encrypted",
        ),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls", id="xls"),
        pytest.param(b"PK\x03\x04broken", "壊れています", id="broken"),
        pytest.param(b"kpi,name\n", "Excel ファイル (.xlsx) ではありません", id="csv"),
    ],
)
def test_unreadable_workbook_says_why(prepared: Prepared, content: bytes, words: str) -> None:
    path = prepared.books[SUPPORT]
    path.write_bytes(content)
    _, report = collect(prepared.folder, [path])
    assert errors_of(report) == [("unreadable-file", str(path), None, None)]
    assert words in report.errors[0].message


def test_a_value_far_right_is_named(prepared: Prepared) -> None:
    path = edit(prepared.books[SUPPORT], {(INDICATOR_SHEET, "GS2"): "x"})
    _, report = collect(prepared.folder, [path])
    assert errors_of(report) == [("unreadable-file", str(path), None, None)]
    assert f"シート「{INDICATOR_SHEET}」" in report.errors[0].message and "列" in report.errors[0].message


@pytest.mark.parametrize(
    "text", [" =1+1", "\t=1+1", "\r\n+1", "　＝1+1", "\u3000－1", "@A1", "-", "=", "＠x"]
)
def test_any_cell_written_from_text_stays_text(text: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    cell = put(book.active, 1, 1, text)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    book.save(tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert b"<f" not in archive.read("xl/worksheets/sheet1.xml")
    assert load_workbook(tmp_path / "t.xlsx").active["A1"].value == text


def test_figure_columns_are_wide_enough_and_measured_in_the_cell_font(template: Prepared) -> None:
    # 87,974,100 and ▲2,799,388 (コピー用紙削減枚数) would show as ### in a 7-digit column; the widths
    # are counted in the digits of the workbook's default font, which must be the cells' font.
    path = next(path for division, path in template.books.items() if division == "青森県環境白書")
    book = load_workbook(path)
    assert book._fonts[0].name == FONT_NAME
    sheet = book[INDICATOR_SHEET]
    assert (sheet["D2"].value, sheet["E2"].value) == (87974100, -2799388)
    for letter, text in (("D", "87,974,100"), ("E", "▲2,799,388"), ("I", "87,974,100")):
        assert sheet.column_dimensions[letter].width >= units(text) + 1, letter
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKL"]
    assert BODY_PT * print_scale(widths) >= MIN_PRINTED_PT
    assert sheet.column_dimensions["B"].width >= MIN_NAME_WIDTH


def test_identical_roadmap_answers_are_merged_once(prepared: Prepared) -> None:
    book = prepared.books[SCHOOL]
    row = grid_row(book, 42, "学びのDX", "実績")
    second = edit(twin(book, "second.xlsx"), {(ROADMAP_SHEET, f"E{row}"): "教員研修"})
    first = edit(book, {(ROADMAP_SHEET, f"E{row}"): "教員研修"})
    _, report = collect(prepared.folder, [first, second])
    assert report.errors == []
    rows = read_rows(prepared.folder / "activities.csv")
    assert [r[3:] for r in rows if r[0] == "42" and r[1].startswith("学びのDX") and r[2] == "実績"] == [
        ["R6", "R6", "教員研修"]
    ]


def test_formula_without_a_saved_result_is_not_a_blank_answer(prepared: Prepared) -> None:
    # openpyxl writes formulas without computing them: read as values, these cells look blank, and
    # the roadmap cell would silently delete its entry.
    support = edit(
        prepared.books[SUPPORT], {(INDICATOR_SHEET, "I2"): "=200+50", (INDICATOR_SHEET, "J2"): "R6年度"}
    )
    row = grid_row(prepared.books[SCHOOL], 42, "学びのDX", "計画")
    school = edit(prepared.books[SCHOOL], {(ROADMAP_SHEET, f"F{row}"): '=""&"展開"'})
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [support, school])
    assert errors_of(report) == [
        ("formula-without-value", str(support), INDICATOR_SHEET, "I2"),
        ("formula-without-value", str(school), ROADMAP_SHEET, f"F{row}"),
    ]
    assert tables(prepared.folder) == before
