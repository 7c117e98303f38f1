"""A sweep over every command with hostile and careless files, for what the other hostile tests
leave open: numbers that NFKC would silently change, years that no date can hold, a new period
copied through links, and folder names that Windows would change.

Each test breaks a copy of the sample (``period_copy``) or builds the hostile file in ``tmp_path``
and asserts the exact outcome: the value read, or exit code 1 (2 for a misused option), the
message naming the file, row and column, and the issue code; never a traceback.
"""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_collect import (  # the prepared period, written once per module
    INDICATOR_SHEET,
    ROADMAP_SHEET,
    SCHOOL,
    SUPPORT,
    Prepared,
    prepared,
    read_dicts,
    tables,
    template,
)
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.collect import collect
from aomori_dx.parse import ParseError, parse_number
from aomori_dx.validate import Report, validate_period

__all__ = ["prepared", "template"]  # fixtures used here by name

runner = CliRunner()


def _set_cells(path: Path, row: int, **cells: str) -> None:
    """Overwrite cells of a CSV table; ``row`` counts as the validation does (header = 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    for column, value in cells.items():
        table[row - 1][table[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def _meeting_value(period: Path, key: str, value: str) -> None:
    path = period / "meeting.csv"
    lines = path.read_text("utf-8").split("\n")
    path.write_text(
        "\n".join(f"{key},{value}" if line.startswith(f"{key},") else line for line in lines), "utf-8"
    )


def _errors(report: Report) -> list[tuple[str, str, int | None, str | None, str]]:
    return [
        (i.code, Path(i.file).name, i.row, i.column, i.message)
        for i in report.issues
        if i.severity == "error"
    ]


# --- numbers that NFKC would change -------------------------------------------------------------


@pytest.mark.parametrize("text", ["109¹", "109²", "1①", "12⑩"])
def test_a_numeral_after_a_number_is_never_joined_to_it(text: str) -> None:
    # NFKC makes ¹ a 1: a footnote mark copied from a PDF turned 109 into 1091 without a word.
    with pytest.raises(ParseError) as caught:
        parse_number(text, "件")
    assert caught.value.problem.name == "INVALID_NUMBER"
    assert "（上付きの数字・丸数字など）は数値として読めません" in caught.value.message


@pytest.mark.parametrize(
    ("text", "unit", "value"), [("5m²", "m²", "5"), ("5 m2", "m²", "5"), ("１２３", "", "123")]
)
def test_numerals_in_a_unit_and_full_width_digits_still_read(text: str, unit: str, value: str) -> None:
    assert str(parse_number(text, unit)) == value


def test_a_footnote_mark_on_a_value_is_an_error_at_its_cell(period_copy: Path) -> None:
    _set_cells(period_copy / "indicators.csv", 2, latest="109¹")
    assert _errors(validate_period(period_copy)[1]) == [
        (
            "invalid-number",
            "indicators.csv",
            2,
            "latest",
            "「109¹」の「¹」（上付きの数字・丸数字など）は数値として読めません。"
            "数字だけを入力し、注の印は備考の列に書いてください。",
        )
    ]


# --- years that no date can hold ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text"), [("latest_period", "9999年度"), ("previous_period", "R7981年度")]
)
def test_a_period_in_year_9999_is_an_error_not_a_traceback(period_copy: Path, column: str, text: str) -> None:
    # Its last day would be 10000-03-31: the comparison of periods raised ValueError.
    _set_cells(period_copy / "indicators.csv", 3, **{column: text})
    result = runner.invoke(app, ["validate", str(period_copy)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _errors(validate_period(period_copy)[1]) == [
        (
            "invalid-period",
            "indicators.csv",
            3,
            column,
            f"「{text}」は西暦 9999 年です。2999 年より後の年は書けません。打ち間違いでないか確かめてください。",
        )
    ]


def test_a_roadmap_ending_in_year_9999_is_an_error_not_a_traceback(period_copy: Path, tmp_path: Path) -> None:
    _meeting_value(period_copy, "roadmap_last_year", "9999")
    result = runner.invoke(app, ["build", str(period_copy), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "「9999」は西暦 9999 年です。" in result.output
    assert not (tmp_path / "out").exists()


def test_an_as_of_date_in_year_9999_is_an_error(period_copy: Path) -> None:
    _meeting_value(period_copy, "as_of", "9999-12-31")
    assert [
        (code, row, message) for code, _, row, _, message in _errors(validate_period(period_copy)[1])
    ] == [
        ("invalid-date", 9, "「9999-12-31」は 2999 年より後の日付です。打ち間違いでないか確かめてください。")
    ]


# --- new-period: links, names ----------------------------------------------------------------------


def test_new_period_never_copies_a_file_from_outside_through_a_link(
    period_copy: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("外の秘密\n", "utf-8")
    (period_copy / "history.md").unlink()
    (period_copy / "history.md").symlink_to(secret)
    target = period_copy.parent / "fy2025-h1"
    result = runner.invoke(app, ["new-period", "--from", str(period_copy), "fy2025-h1"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"{period_copy / 'history.md'} は期のフォルダの外を指すリンク" in result.output.replace("\n", "")
    assert not target.exists()
    assert sorted(p.name for p in period_copy.parent.iterdir()) == [period_copy.name, "secret.md"]


def test_new_period_copies_a_link_inside_the_folder(period_copy: Path) -> None:
    (period_copy / "projects" / "8-copy.md").symlink_to("8.md")
    result = runner.invoke(app, ["new-period", "--from", str(period_copy), "fy2025-h1"])
    assert result.exit_code == 0, result.output
    copied = period_copy.parent / "fy2025-h1" / "projects" / "8-copy.md"
    assert copied.read_bytes() == (period_copy / "projects" / "8.md").read_bytes()


def test_new_period_with_a_dangling_link_names_it(period_copy: Path) -> None:
    (period_copy / "projects" / "9.md").symlink_to("nothere.md")
    result = runner.invoke(app, ["new-period", "--from", str(period_copy), "fy2025-h1"])
    assert result.exit_code == 1
    assert (
        f"{period_copy / 'projects' / '9.md'} はリンクですが、リンク先がありません。"
        in result.output.replace("\n", "")
    )
    assert not (period_copy.parent / "fy2025-h1").exists()


def test_new_period_names_the_unreadable_table_of_the_source(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    path.write_bytes(path.read_bytes().replace(b"109", b"1\xff09", 1))
    result = runner.invoke(app, ["new-period", "--from", str(period_copy), "fy2025-h1"])
    assert result.exit_code == 1
    output = result.output.replace("\n", "")
    # The table the clerk must fix, not the temporary copy that is gone by the time it is read.
    assert f"エラー: {path}: 2行目（先頭から 233 バイト目）の 0xFF が" in output
    assert sorted(p.name for p in period_copy.parent.iterdir()) == [period_copy.name]


@pytest.mark.parametrize(
    "name", ["", " ", "fy2025-h1 ", "fy2025-h1.", "fy2025:h1", "fy*", "CON", "nul.txt", "fy\t1"]
)
def test_new_period_refuses_a_name_windows_would_change(period_copy: Path, name: str) -> None:
    # Windows drops trailing dots and spaces (another folder's name), writes a:b as a hidden
    # stream of a, and keeps CON for the console.
    result = runner.invoke(app, ["new-period", "--from", str(period_copy), name])
    assert result.exit_code == 2
    assert "は Windows のフォルダ名に使えないか、別の名前に変わってしまいます" in result.output.replace(
        "\n", ""
    )
    assert sorted(p.name for p in period_copy.parent.iterdir()) == [period_copy.name]


def test_new_period_refuses_an_as_of_date_in_year_9999(period_copy: Path) -> None:
    result = runner.invoke(
        app, ["new-period", "--from", str(period_copy), "fy2025-h1", "--as-of", "9999-12-31"]
    )
    assert result.exit_code == 2
    assert "「9999-12-31」は 2999 年より後の日付です。" in result.output.replace("\n", "")
    assert not (period_copy.parent / "fy2025-h1").exists()


# --- build --font ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("font", "shown"), [("", ""), (" ", " "), ("BIZ\x0bUDPGothic", "BIZ\\u000bUDPGothic"), ("a\nb", "a\\nb")]
)
def test_a_font_name_that_cannot_be_a_font_is_refused_before_anything_is_built(
    period_copy: Path, tmp_path: Path, font: str, shown: str
) -> None:
    # A vertical tab in the name made lxml raise half-way through the deck.
    result = runner.invoke(app, ["build", str(period_copy), "--out", str(tmp_path / "out"), "--font", font])
    assert result.exit_code == 2
    assert f"フォント名「{shown}」は使えません。" in result.output.replace("\n", "")
    assert not (tmp_path / "out").exists()


def test_a_font_name_with_xml_characters_is_written_as_text(period_copy: Path, tmp_path: Path) -> None:
    from docx import Document
    from pptx import Presentation

    font = "A<b>&\"'"
    result = runner.invoke(app, ["build", str(period_copy), "--out", str(tmp_path / "out"), "--font", font])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(tmp_path / "out" / period_copy.name / "deck.pptx"))
    assert deck.slides[0].shapes.title.text_frame.paragraphs[0].runs[0].font.name == font
    report = Document(str(tmp_path / "out" / period_copy.name / "report.docx"))
    assert report.styles["Normal"].font.name == font


# --- merged cells: a value on one row, blanks on the others --------------------------------------


def _table_as_xlsx(period: Path, stem: str, sheet: str) -> Path:
    """``<stem>.csv`` of the period as ``<stem>.xlsx`` (text cells), the CSV removed."""
    from openpyxl import Workbook

    with (period / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    path = period / f"{stem}.xlsx"
    book.save(path)
    (period / f"{stem}.csv").unlink()
    return path


def test_a_merged_category_in_a_projects_workbook_is_an_error_at_its_range(period_copy: Path) -> None:
    # Japanese roadmaps merge 項目 down the rows; read as typed, rows 3–4 would count as
    # projects without a category on the roadmap slide.
    path = _table_as_xlsx(period_copy, "projects", "事業一覧")
    book = load_workbook(path)
    book.active["C3"] = book.active["C4"] = None
    book.active.merge_cells("C2:C4")
    book.save(path)
    _, report = validate_period(period_copy)
    issues = [i for i in report.issues if i.code == "merged-cells"]
    assert [(i.severity, Path(i.file).name, i.row, i.column, i.sheet, i.cell) for i in issues] == [
        ("error", "projects.xlsx", 2, "category", "事業一覧", "C2")
    ]
    assert issues[0].message == (
        "セル C2:C4 が結合されています。結合したセルは左上のセル（C2）にしか値がなく、"
        "ほかのセルは空欄として読まれます。結合を解除し、各行に値を入れてください。"
    )
    result = runner.invoke(app, ["build", str(period_copy), "--out", str(period_copy.parent / "out")])
    assert result.exit_code == 1
    assert not (period_copy.parent / "out").exists()


def test_a_merge_beside_the_table_is_not_the_tables_business(period_copy: Path) -> None:
    path = _table_as_xlsx(period_copy, "kpis", "KPI")
    book = load_workbook(path)
    book.active.merge_cells("H2:I5")  # a note box right of the five headed columns
    book.save(path)
    _, report = validate_period(period_copy)
    assert [i for i in report.issues if i.code == "merged-cells"] == []
    assert report.ok


def test_an_answer_merged_over_three_rows_is_refused_not_read_for_one(prepared: Prepared) -> None:
    # ○ in K2 merged down to K4 meant "unchanged" for three indicators; read as typed it confirmed
    # one and left the other two answers lost without a word.
    path = prepared.books[SUPPORT]
    book = load_workbook(path)
    book[INDICATOR_SHEET]["K2"] = "○"
    book[INDICATOR_SHEET].merge_cells("K2:K4")
    book.save(path)
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [path])
    assert [(i.code, Path(i.file).name, i.sheet, i.cell, i.message) for i in report.errors] == [
        (
            "merged-cells",
            path.name,
            INDICATOR_SHEET,
            "K2",
            "セル K2:K4 が結合されています。結合したセルは左上のセル（K2）にしか値がなく、"
            "ほかのセルの回答は読まれません。結合を解除し、各行に入力してください。",
        )
    ]
    assert tables(prepared.folder) == before
    assert all(row["confirmed"] == "" for row in read_dicts(prepared.folder / "indicators.csv"))


# --- requests: a returned workbook saved back where requests writes ---------------------------------


def test_requests_never_overwrite_a_workbook_a_division_filled(prepared: Prepared) -> None:
    # The returned file keeps the request's name: re-running requests into the same folder
    # replaced the division's answers with an empty form.
    path = prepared.books[SUPPORT]
    book = load_workbook(path)
    book[INDICATOR_SHEET]["I2"] = 250
    book[INDICATOR_SHEET]["J2"] = "R6年度"
    book.save(path)
    before = {p.name: p.read_bytes() for p in prepared.requests.iterdir()}
    result = runner.invoke(
        app, ["requests", str(prepared.folder), "--out", str(prepared.requests)], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert (
        f"エラー: {prepared.requests} に、担当課が記入した照会ファイルがあります（{path.name}）。"
        "作り直すと記入が消えるので、何も作りませんでした。"
    ) in result.output.replace("\n", "")
    assert {p.name: p.read_bytes() for p in prepared.requests.iterdir()} == before


def test_requests_remake_their_own_untouched_workbooks(prepared: Prepared) -> None:
    before = {p.name: p.read_bytes() for p in prepared.requests.iterdir()}
    result = runner.invoke(app, ["requests", str(prepared.folder), "--out", str(prepared.requests)])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in prepared.requests.iterdir()} == before


# --- text files of any size --------------------------------------------------------------------------


def test_a_csv_of_100000_rows_stops_at_the_row_cap_at_once(period_copy: Path) -> None:
    # The row cap of a sheet holds for a CSV too: 100,000 rows took 23 s and 320 MB to check
    # (a million rows, minutes and gigabytes).  Short rows: the file stays under the size cap.
    path = period_copy / "indicators.csv"
    header = path.read_text("utf-8").splitlines()[0]
    path.write_text("\n".join([header, *(f"K1,n{n},件,1" for n in range(100_000))]) + "\n", "utf-8")
    started = time.perf_counter()
    report = validate_period(period_copy)[1]
    assert time.perf_counter() - started < 5
    assert _errors(report) == [
        (
            "unreadable-file",
            "indicators.csv",
            20_001,
            None,
            "20001行目に値があります。表は 20,000 行目までにしてください。",
        )
    ]


def test_a_csv_ending_in_blank_lines_past_the_row_cap_is_read(period_copy: Path) -> None:
    path = period_copy / "goals.csv"
    path.write_text(path.read_text("utf-8") + ",,,\n" * 25_000, "utf-8")
    assert validate_period(period_copy)[1].ok


@pytest.mark.parametrize("name", ["history.md", "goals.csv"])
def test_a_text_file_over_24_mb_is_refused_without_reading_it(period_copy: Path, name: str) -> None:
    path = period_copy / name
    with path.open("ab") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: the size is what counts, not the bytes
    assert _errors(validate_period(period_copy)[1]) == [
        (
            "unreadable-file",
            name,
            None,
            None,
            "ファイルが大きすぎます（26,214,400 バイト。上限 25,165,824 バイト）。"
            "期のフォルダに置くファイルを取り違えていないか確かめてください。",
        )
    ]


# --- rules: rows typed twice, a meeting numbered 0 -----------------------------------------------------


def test_an_indicator_typed_twice_in_another_width_is_a_duplicate(period_copy: Path) -> None:
    # ＤＸ and DX: both rows counted in K1's average, which moved without a word.
    path = period_copy / "indicators.csv"
    rows = path.read_text("utf-8").splitlines()
    twice = rows[2].replace("DX・デジタル化", "ＤＸ・デジタル化 ", 1)
    path.write_text("\n".join([*rows, twice]) + "\n", "utf-8")
    assert _errors(validate_period(period_copy)[1]) == [
        (
            "duplicate-indicator",
            "indicators.csv",
            len(rows) + 1,
            "name",
            "同じ KPI に同じ中間指標名が 3行目 にもあります（「DX・デジタル化推進人財を確保している又は確保に"
            "取り組んでいる中小企業者の割合」と全角・半角や空白だけが違います）。",
        )
    ]


@pytest.mark.parametrize("number", ["0", "-1", "▲1"])
def test_a_meeting_numbered_below_one_is_an_error(period_copy: Path, number: str) -> None:
    _meeting_value(period_copy, "number", number)
    assert _errors(validate_period(period_copy)[1]) == [
        ("invalid-number", "meeting.csv", 3, "value", "会議の回（number）は 1 以上の整数にしてください。")
    ]


# --- --previous that is not earlier; report -o with the terminal table -------------------------------


def test_the_period_as_its_own_previous_is_refused(period_copy: Path) -> None:
    # Every 前期差 would print as ±0.0pt.
    result = runner.invoke(app, ["report", str(period_copy), "--previous", str(period_copy / ".")])
    assert result.exit_code == 1
    assert f"前期のフォルダ {period_copy / '.'} は今の期のフォルダと同じです。" in result.output.replace(
        "\n", ""
    )


def test_a_previous_period_measured_later_is_refused(period_copy: Path, tmp_path: Path) -> None:
    later = period_copy.parent / "fy2025-h1"
    shutil.copytree(period_copy, later)
    _meeting_value(later, "as_of", "2025-05-31")
    result = runner.invoke(
        app, ["build", str(period_copy), "--previous", str(later), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert (
        f"前期 {later} の基準日 2025-05-31 が、今の期 {period_copy} の基準日 2024-11-30 より後です。"
        "前期差が逆向きになるので止めました。"
    ) in result.output.replace("\n", "")
    assert not (tmp_path / "out").exists()


def test_a_copy_of_the_period_beside_it_is_compared_with_a_warning(period_copy: Path) -> None:
    # inputs/fy2024-h1 and its copy fy2024-h1-old: the copy's previous period is the original.
    copy = period_copy.parent / "fy2024-h1-old"
    shutil.copytree(period_copy, copy)
    result = runner.invoke(app, ["report", str(copy), "--format", "json"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert (
        f"前期 {period_copy} の基準日 2024-11-30 が今の期と同じです（期のフォルダの控えではありませんか）。"
        in result.output
    )


def test_report_output_with_the_table_format_is_a_usage_error(period_copy: Path, tmp_path: Path) -> None:
    # -o was ignored: the table went to the terminal and the file was never written, exit 0.
    result = runner.invoke(app, ["report", str(period_copy), "-o", str(tmp_path / "report.txt")])
    assert result.exit_code == 2
    assert "--output（-o）は --format json か --format csv のときに使います。" in result.output
    assert not (tmp_path / "report.txt").exists()


# --- collect: text outside the tables, which nothing reads -------------------------------------------


@pytest.mark.parametrize(
    ("book", "sheet", "cell"),
    [
        pytest.param(SUPPORT, INDICATOR_SHEET, "M2", id="right-of-the-indicators"),
        pytest.param(SCHOOL, ROADMAP_SHEET, "J3", id="right-of-the-roadmap"),
        pytest.param(SCHOOL, ROADMAP_SHEET, "E40", id="a-new-activity-below-the-roadmap"),
    ],
)
def test_text_outside_the_table_is_refused_not_dropped(
    prepared: Prepared, book: str, sheet: str, cell: str
) -> None:
    # A division that unprotects the sheet and adds an activity below the roadmap (or writes the
    # value beside the table) lost it without a word: nothing reads those cells.
    path = prepared.books[book]
    workbook = load_workbook(path)
    workbook[sheet][cell] = "新しい取組"
    if book == SUPPORT:
        workbook[INDICATOR_SHEET]["K3"] = "○"
    workbook.save(path)
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [path])
    assert [(i.code, i.sheet, i.cell, i.value) for i in report.errors] == [
        ("protected-cell-edited", sheet, cell, "新しい取組")
    ]
    assert report.errors[0].message == (
        "表の外のセルに記入があります。取り込まれないので、表の中の黄色のセルに入力してください（取組や行は増やせません）。"
    )
    assert tables(prepared.folder) == before


# --- an as-of date after the meeting ----------------------------------------------------------------


def test_an_as_of_date_after_the_meeting_is_warned(period_copy: Path) -> None:
    # 2025-11-30 for 2024-11-30: values dated R7年度 would pass as measured, without a word.
    _meeting_value(period_copy, "as_of", "2025-11-30")
    _, report = validate_period(period_copy)
    assert [
        (i.severity, i.code, i.row, i.column, i.message)
        for i in report.issues
        if i.code == "as-of-after-date"
    ] == [
        (
            "warning",
            "as-of-after-date",
            9,
            "value",
            "基準日 2025-11-30 が会議の開催日 2024-12-18 より後です。基準日は、資料の値を集めた日（開催日かそれより前）にしてください。",
        )
    ]
    result = runner.invoke(app, ["validate", str(period_copy), "--strict"])
    assert result.exit_code == 1


def test_an_as_of_date_after_an_old_meeting_date_is_fine_while_collecting(period_copy: Path) -> None:
    _meeting_value(period_copy, "as_of", "2025-11-30")
    _, report = validate_period(period_copy, complete=False)
    assert [i for i in report.issues if i.code == "as-of-after-date"] == []


def test_new_period_refuses_a_name_that_sorts_before_its_source(period_copy: Path) -> None:
    # FY2025-H1 sorts before fy2024-h1: it would never be the latest period, and its report
    # would have no previous period to compare with.
    result = runner.invoke(app, ["new-period", "--from", str(period_copy), "FY2025-H1"])
    assert result.exit_code == 2
    assert "「FY2025-H1」は元の期「fy2024-h1」より前に並ぶ名前です。" in result.output.replace("\n", "")
    assert sorted(p.name for p in period_copy.parent.iterdir()) == [period_copy.name]


@pytest.mark.parametrize("text", ["1.23457E+11", "8.8E+07", "1e3"])
def test_a_number_in_exponent_notation_says_so(text: str) -> None:
    # Excel saves a long number of a General cell as it shows it, digits dropped; the message
    # called E+11 a unit.
    with pytest.raises(ParseError) as caught:
        parse_number(text, "枚")
    assert caught.value.problem.name == "INVALID_NUMBER"
    assert caught.value.message.startswith(f"「{text}」は指数表記の数値なので読めません")


# --- a formula that failed, in a text column -----------------------------------------------------------


def test_a_formula_error_in_a_text_column_is_an_error_at_its_cell(period_copy: Path) -> None:
    # #REF! is saved as the cell's result: read as text it became the indicator's name.
    from openpyxl import load_workbook

    path = _table_as_xlsx(period_copy, "indicators", "中間指標")
    book = load_workbook(path)
    cell = book.active["B2"]
    cell.value, cell.data_type = "#REF!", "e"
    book.save(path)
    _, report = validate_period(period_copy)
    assert [(i.code, i.row, i.column, i.sheet, i.cell, i.value, i.message) for i in report.errors] == [
        (
            "formula-error",
            2,
            "name",
            "中間指標",
            "B2",
            "#REF!",
            "数式の結果がエラー（#REF!）になっています。数式を直すか、値を入力してください。",
        )
    ]


def test_text_that_reads_like_an_error_is_text(period_copy: Path) -> None:
    from openpyxl import load_workbook

    path = _table_as_xlsx(period_copy, "indicators", "中間指標")
    book = load_workbook(path)
    book.active["J2"] = "#N/A は調査なしの意味"  # typed, not a formula's result
    book.save(path)
    data, report = validate_period(period_copy)
    assert report.errors == []
    assert data is not None and data.indicators[0].note == "#N/A は調査なしの意味"


def test_a_formula_error_in_a_roadmap_answer_is_refused_not_merged_as_text(prepared: Prepared) -> None:
    path = prepared.books[SCHOOL]
    book = load_workbook(path)
    cell = book[ROADMAP_SHEET]["E3"]
    cell.value, cell.data_type = "#REF!", "e"
    book.save(path)
    before = tables(prepared.folder)
    _, report = collect(prepared.folder, [path])
    assert [(i.code, i.sheet, i.cell, i.value, i.message) for i in report.errors] == [
        (
            "formula-error",
            ROADMAP_SHEET,
            "E3",
            "#REF!",
            "数式の結果がエラー（#REF!）になっています。数式を直すか、値を入力してください。",
        )
    ]
    assert tables(prepared.folder) == before


# --- rows and columns hidden in a workbook ---------------------------------------------------------------


def test_a_hidden_row_with_an_old_indicator_is_an_error(period_copy: Path) -> None:
    # The old row hidden instead of deleted was read like the others and counted in K1's average.
    from openpyxl import load_workbook

    path = _table_as_xlsx(period_copy, "indicators", "中間指標")
    book = load_workbook(path)
    book.active.row_dimensions[3].hidden = True
    book.active.column_dimensions["J"].hidden = True  # note: holds values in the sample
    book.active.column_dimensions["P"].hidden = True  # beyond the table, empty: nothing to say
    book.save(path)
    _, report = validate_period(period_copy)
    assert [(i.code, i.row, i.column, i.cell, i.message) for i in report.errors] == [
        (
            "hidden-cells",
            3,
            None,
            "A3",
            "3行目は非表示になっていますが、値があります（Excel の画面では見えませんが、読まれて資料に出ます）。"
            "再表示して（フィルターで隠れた行はフィルターを解除して）、使わない行・列は削除してください。",
        ),
        (
            "hidden-cells",
            1,
            "note",
            "J1",
            "J 列は非表示になっていますが、値があります（Excel の画面では見えませんが、読まれて資料に出ます）。"
            "再表示して（フィルターで隠れた行はフィルターを解除して）、使わない行・列は削除してください。",
        ),
    ]


def test_a_hidden_empty_row_is_fine(period_copy: Path) -> None:
    from openpyxl import load_workbook

    path = _table_as_xlsx(period_copy, "kpis", "KPI")
    book = load_workbook(path)
    book.active.row_dimensions[40].hidden = True
    book.save(path)
    assert validate_period(period_copy)[1].ok


def test_the_library_holds_the_same_rules_as_the_command(tmp_path: Path) -> None:
    # A script calling the library gets the period-name and font rules too (as AomoriDxError).
    from aomori_dx.collect import new_period
    from aomori_dx.compute import compute
    from aomori_dx.errors import AomoriDxError
    from aomori_dx.pipeline import Documents, build_documents
    from aomori_dx.validate import validate_period

    source = tmp_path / "fy2024-h1"
    shutil.copytree(Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1", source)
    with pytest.raises(AomoriDxError, match="より前に並ぶ名前"):
        new_period(source, tmp_path / "FY2025-H1")
    with pytest.raises(AomoriDxError, match="Windows のフォルダ名"):
        new_period(source, tmp_path / "fy2025-h1.")
    assert not (tmp_path / "FY2025-H1").exists()
    data, _ = validate_period(source)
    assert data is not None
    with pytest.raises(AomoriDxError, match="フォント名"):
        build_documents(compute(data, None), tmp_path / "out", Documents(deck=False, font="BIZ\vUD"))
    assert not (tmp_path / "out").exists()


def test_a_name_retyped_in_another_width_keeps_its_previous_snapshot(tmp_path: Path) -> None:
    # ＤＸ typed where the last period had DX (or a space added) is the same indicator: it keeps
    # its previous row, and is neither "new" (all red) nor without a 前期差.
    from aomori_dx.compute import compute
    from aomori_dx.validate import validate_period

    sample = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"
    before, after = tmp_path / "fy2024-h1", tmp_path / "fy2024-h2"
    shutil.copytree(sample, before)
    shutil.copytree(sample, after)
    name = "県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数)"
    retyped = "県内企業のデジタル化・ＤＸ支援件数（ＤＸ総合窓口への相談件数）"
    text = (after / "indicators.csv").read_text("utf-8-sig")
    assert name in text
    (after / "indicators.csv").write_text(text.replace(name, retyped), "utf-8")
    old, _ = validate_period(before)
    new, report = validate_period(after)
    assert old is not None and new is not None, [issue.message for issue in report.errors]
    result = compute(new, old)
    [item] = [i for kpi in result.kpis for i in kpi.indicators if i.indicator.name == retyped]
    assert not item.new and not item.changed
    assert result.kpi("K1") is not None and result.kpi("K1").delta == 0  # type: ignore[union-attr]
