"""One failing fixture per validation rule: copy the sample period, break one thing, check the issue.

Every assertion names the code, the file, the spreadsheet row (header = 1) and, where the issue
has one, the column as written in the file's header.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from aomori_dx.validate import Report, validate_period

# --- helpers ---------------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    """All records of a CSV file, header first (record index + 1 = spreadsheet row)."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str) -> str:
    """Replace the cell at spreadsheet ``row`` under header ``column``; return the old text."""
    rows = read_rows(path)
    index = rows[0].index(column)
    old = rows[row - 1][index]
    rows[row - 1][index] = value
    write_rows(path, rows)
    return old


def append_row(path: Path, cells: list[str]) -> int:
    """Append a record; return its spreadsheet row."""
    rows = read_rows(path)
    rows.append(cells)
    write_rows(path, rows)
    return len(rows)


def row_cells(path: Path, row: int) -> list[str]:
    return list(read_rows(path)[row - 1])


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def where(report: Report, severity: str = "error") -> list[tuple[str, str, int | None, str | None]]:
    """(code, file name, row, column) of every issue of one severity, in report order."""
    return [
        (issue.code, Path(issue.file).name, issue.row, issue.column)
        for issue in report.issues
        if issue.severity == severity
    ]


def errors_of(report: Report, code: str) -> list[tuple[str, str, int | None, str | None]]:
    return [item for item in where(report) if item[0] == code]


SAMPLE_WARNINGS = [
    ("rate-mismatch", "indicators.csv", 8, "latest_rate_published"),
    ("rate-mismatch", "indicators.csv", 27, "previous_rate_published"),
    ("rate-mismatch", "indicators.csv", 27, "latest_rate_published"),
    ("rate-mismatch", "indicators.csv", 28, "previous_rate_published"),
    ("rate-mismatch", "indicators.csv", 31, "previous_rate_published"),
    ("rate-mismatch", "indicators.csv", 31, "latest_rate_published"),
]


# --- baseline --------------------------------------------------------------------------------


def test_sample_is_valid_with_six_rate_warnings(sample_dir: Path) -> None:
    data, report = validate_period(sample_dir)
    assert report.ok
    assert data is not None
    assert where(report, "error") == []
    assert where(report, "warning") == SAMPLE_WARNINGS


def test_rewritten_copy_validates_like_the_sample(period_copy: Path) -> None:
    # The CSV helpers must not change anything by themselves.
    for path in period_copy.glob("*.csv"):
        write_rows(path, read_rows(path))
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report, "error") == []
    assert where(report, "warning") == SAMPLE_WARNINGS


# --- files and columns -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kpis.csv", "indicators.csv", "meeting.csv"])
def test_missing_file(period_copy: Path, name: str) -> None:
    (period_copy / name).unlink()
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("missing-file", name, None, None)]
    assert report.flatten(("code", "row"))[0] == ("missing-file", None)
    assert report.errors[0].file.endswith(name)


def test_missing_optional_file_is_fine(period_copy: Path) -> None:
    (period_copy / "members.csv").unlink()
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report) == []


def test_missing_column(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    rows = read_rows(path)
    index = rows[0].index("source")
    write_rows(path, [[cell for i, cell in enumerate(row) if i != index] for row in rows])
    data, report = validate_period(period_copy)
    assert data is None
    # The column is named by its Japanese label, since it is not in the file.
    assert where(report) == [("missing-column", "indicators.csv", 1, "データの出所")]


def test_duplicate_column(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    rows = read_rows(path)
    index = rows[0].index("target")
    write_rows(path, [[*row, "目標値" if number == 0 else row[index]] for number, row in enumerate(rows)])
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("duplicate-column", "indicators.csv", 1, "目標値")]


def test_unknown_column_is_a_warning(period_copy: Path) -> None:
    path = period_copy / "kpis.csv"
    rows = read_rows(path)
    write_rows(path, [[*row, "memo" if number == 0 else "x"] for number, row in enumerate(rows)])
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report) == []
    assert ("unknown-column", "kpis.csv", 1, "memo") in where(report, "warning")
    assert len(report.warnings) == len(SAMPLE_WARNINGS) + 1


def test_duplicate_file(period_copy: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in read_rows(period_copy / "kpis.csv"):
        workbook.active.append(row)
    workbook.save(period_copy / "kpis.xlsx")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("duplicate-file", "kpis.csv", None, None)]
    assert "kpis.xlsx" in report.errors[0].message


def test_unreadable_file(period_copy: Path) -> None:
    (period_copy / "kpis.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\xff")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unreadable-file", "kpis.csv", None, None)]


def test_unreadable_markdown(period_copy: Path) -> None:
    (period_copy / "history.md").write_bytes(b"# \x81\x20\xff\xfe\n")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unreadable-file", "history.md", None, None)]


# --- cells of indicators.csv -----------------------------------------------------------------


def test_invalid_number(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 2, "latest", "多数")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-number", "indicators.csv", 2, "latest")]
    assert report.errors[0].value == "多数"


def test_unit_mismatch(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    assert row_cells(path, 5)[2] == "人"
    set_cell(path, 5, "target", "375件")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unit-mismatch", "indicators.csv", 5, "target")]


def test_matching_unit_suffix_is_accepted(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    assert row_cells(path, 8)[2] == "台"
    set_cell(path, 8, "latest", "2,113台")
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report, "warning") == SAMPLE_WARNINGS


def test_invalid_period(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 2, "previous_period", "R4年どこか")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-period", "indicators.csv", 2, "previous_period")]


@pytest.mark.parametrize("text", ["R0年度", "令和0年度"])
def test_era_year_zero_is_invalid_period(period_copy: Path, text: str) -> None:
    set_cell(period_copy / "indicators.csv", 2, "previous_period", text)
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-period", "indicators.csv", 2, "previous_period")]


def test_blank_target_is_missing_value(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 3, "target", "")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("missing-value", "indicators.csv", 3, "target")]


@pytest.mark.parametrize("column", ["kpi", "name"])
def test_blank_required_cell_is_missing_value(period_copy: Path, column: str) -> None:
    set_cell(period_copy / "indicators.csv", 3, column, "")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("missing-value", "indicators.csv", 3, column)]


@pytest.mark.parametrize("text", ["0", "0.0", "-5", "−5", "▲5", "△5"])
def test_invalid_target(period_copy: Path, text: str) -> None:
    set_cell(period_copy / "indicators.csv", 3, "target", text)
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-target", "indicators.csv", 3, "target")]


@pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "NaN", "nan", "1e999", "∞"])
def test_non_finite_target_is_an_error(period_copy: Path, text: str) -> None:
    # Not finite: the parser does not read these as numbers at all.
    set_cell(period_copy / "indicators.csv", 3, "target", text)
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-number", "indicators.csv", 3, "target")]


# --- KPIs and indicators ---------------------------------------------------------------------


def test_unknown_kpi(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 2, "kpi", "K9")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unknown-kpi", "indicators.csv", 2, "kpi")]
    assert report.errors[0].value == "K9"


def test_kpi_without_indicators(period_copy: Path) -> None:
    row = append_row(period_copy / "kpis.csv", ["K9", "行政経営分野", "新しいKPI", "", ""])
    assert row == 10
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("kpi-without-indicators", "kpis.csv", 10, "id")]


def test_duplicate_kpi(period_copy: Path) -> None:
    row = append_row(period_copy / "kpis.csv", ["K1", "産業・しごと分野", "重複したKPI", "", ""])
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("duplicate-kpi", "kpis.csv", row, "id")]
    assert "2行目" in report.errors[0].message


def test_duplicate_indicator(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    row = append_row(path, row_cells(path, 2))
    assert row == 32
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("duplicate-indicator", "indicators.csv", 32, "name")]
    assert "2行目" in report.errors[0].message


@pytest.mark.parametrize(("previous", "latest"), [("R6年度", "R5年度"), ("R5年度", "R5年度")])
def test_period_order(period_copy: Path, previous: str, latest: str) -> None:
    path = period_copy / "indicators.csv"
    set_cell(path, 2, "previous_period", previous)
    set_cell(path, 2, "latest_period", latest)
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("period-order", "indicators.csv", 2, "previous_period")]


def test_indicator_rate_mismatch_is_a_warning(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 3, "latest_rate_published", "50.0%")
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report) == []
    warnings = where(report, "warning")
    assert ("rate-mismatch", "indicators.csv", 3, "latest_rate_published") in warnings
    assert len(warnings) == len(SAMPLE_WARNINGS) + 1


def test_rate_without_value_is_a_warning(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 3, "latest", "")
    data, report = validate_period(period_copy)
    assert data is not None
    warnings = where(report, "warning")
    assert ("rate-mismatch", "indicators.csv", 3, "latest_rate_published") in warnings
    assert ("missing-latest", "indicators.csv", 3, "latest") in warnings


def test_kpi_rate_mismatch_is_a_warning(period_copy: Path) -> None:
    old = set_cell(period_copy / "kpis.csv", 2, "rate_published", "50.0")
    assert old == "33.0"
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report) == []
    warnings = where(report, "warning")
    assert warnings == [*SAMPLE_WARNINGS, ("rate-mismatch", "kpis.csv", 2, "rate_published")]


# --- roadmap: projects and activities --------------------------------------------------------


def test_duplicate_project(period_copy: Path) -> None:
    path = period_copy / "projects.csv"
    row = append_row(path, row_cells(path, 9))
    assert row == 78
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("duplicate-project", "projects.csv", 78, "no")]


def test_invalid_budget(period_copy: Path) -> None:
    path = period_copy / "projects.csv"
    assert row_cells(path, 9)[0] == "8"
    set_cell(path, 9, "budget", "約5億円")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-budget", "projects.csv", 9, "budget")]


def test_invalid_kind(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 2, "kind", "予定")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("invalid-kind", "activities.csv", 2, "kind")]


def test_unknown_project_in_activities(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 2, "project", "999")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unknown-project", "activities.csv", 2, "project")]


@pytest.mark.parametrize("name", ["999.md", "abc.md"])
def test_unknown_project_sheet(period_copy: Path, name: str) -> None:
    (period_copy / "projects" / name).write_text("## 事業概要\n\n- 何か\n", encoding="utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unknown-project", name, None, None)]
    assert report.errors[0].file.endswith(f"projects/{name}")


def test_fiscal_year_outside_roadmap_before_first_year(period_copy: Path) -> None:
    path = period_copy / "activities.csv"
    assert row_cells(path, 4)[:5] == ["24", row_cells(path, 4)[1], "計画", "R6", "R10"]
    set_cell(path, 4, "from", "R5")  # project 24 starts in R5, the roadmap in R6
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("fiscal-year-outside-roadmap", "activities.csv", 4, "from")]


def test_fiscal_year_outside_roadmap_after_last_year_names_to(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 4, "to", "R11")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("fiscal-year-outside-roadmap", "activities.csv", 4, "to")]


def test_fiscal_year_outside_roadmap_after_last_year(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 4, "to", "R11")
    data, report = validate_period(period_copy)
    assert data is None
    assert [item[:3] for item in where(report)] == [("fiscal-year-outside-roadmap", "activities.csv", 4)]


def test_actual_after_project_end(period_copy: Path) -> None:
    projects = period_copy / "projects.csv"
    assert row_cells(projects, 25)[0] == "24"
    set_cell(projects, 25, "end", "R5")  # project 24 has 実績 in R6 on rows 5 and 7
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [
        ("fiscal-year-outside-term", "activities.csv", 5, "to"),
        ("fiscal-year-outside-term", "activities.csv", 7, "to"),
    ]


def test_plan_after_project_end_is_allowed(period_copy: Path) -> None:
    # The sample's No.42 plans R9–R10 beyond its 終期 R8; only 実績 is bounded by the end.
    data, report = validate_period(period_copy)
    assert data is not None
    assert errors_of(report, "fiscal-year-outside-term") == []


def test_entry_before_project_start(period_copy: Path) -> None:
    projects = period_copy / "projects.csv"
    assert row_cells(projects, 64)[0] == "63"
    set_cell(projects, 64, "start", "R7")  # project 63 has entries from R6 on rows 31, 34, 35, 39
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [
        ("fiscal-year-outside-term", "activities.csv", row, "from") for row in (31, 34, 35, 39)
    ]


def test_actual_in_future(period_copy: Path) -> None:
    path = period_copy / "activities.csv"
    assert row_cells(path, 3)[:5] == ["8", row_cells(path, 3)[1], "実績", "R6", "R6"]
    set_cell(path, 3, "from", "R7")
    set_cell(path, 3, "to", "R7")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("actual-in-future", "activities.csv", 3, "from")]


def test_actual_in_future_names_to_when_only_the_end_is_future(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 3, "to", "R7")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("actual-in-future", "activities.csv", 3, "to")]


def test_actual_in_a_year_begun_by_as_of_is_fine(period_copy: Path) -> None:
    path = period_copy / "activities.csv"
    set_cell(path, 3, "from", "R7")
    set_cell(path, 3, "to", "R7")
    set_cell(period_copy / "meeting.csv", 9, "value", "2025-04-01")  # as_of: R7 has begun
    data, report = validate_period(period_copy)
    assert data is not None
    assert where(report) == []


def test_actual_on_last_day_before_fiscal_year_is_future(period_copy: Path) -> None:
    path = period_copy / "activities.csv"
    set_cell(path, 3, "from", "R7")
    set_cell(path, 3, "to", "R7")
    meeting = period_copy / "meeting.csv"
    assert row_cells(meeting, 9)[0] == "as_of"
    set_cell(meeting, 9, "value", "2025-03-31")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("actual-in-future", "activities.csv", 3, "from")]


# --- control characters and Markdown ---------------------------------------------------------


def test_control_character_in_csv_cell(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    name = row_cells(path, 3)[1]
    assert name.startswith("DX・デジタル化")
    set_cell(path, 3, "name", name.replace("DX・デジタル化", "DX・デジタル化\x0b", 1))
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("control-character", "indicators.csv", 3, "name")]
    message = report.errors[0].message
    assert "9文字目" in message  # "DX・デジタル化" is 8 characters
    assert "U+000B" in message


def test_control_character_in_markdown(period_copy: Path) -> None:
    path = period_copy / "cases.md"
    assert path.read_text(encoding="utf-8").split("\n")[4].startswith("森羽紙業(五所川原市)")
    replace_text(path, "森羽紙業(五所川原市)", "森羽\x01紙業(五所川原市)")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("control-character", "cases.md", 5, None)]
    message = report.errors[0].message
    assert "3文字目" in message
    assert "U+0001" in message


def test_unknown_field_heading_in_cases(period_copy: Path) -> None:
    path = period_copy / "cases.md"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    heading_line = text.count("\n") + 3
    path.write_text(text + "\n\n# 不明分野\n\n## 事例\n\n本文。\n", encoding="utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("unknown-field", "cases.md", heading_line, None)]
    assert report.errors[0].value == "不明分野"


def test_markdown_error_for_fenced_code(period_copy: Path) -> None:
    path = period_copy / "history.md"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    fence_line = text.count("\n") + 3
    path.write_text(text + "\n\n```\nprint('x')\n```\n", encoding="utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert where(report) == [("markdown-error", "history.md", fence_line, None)]


# --- rows that used to be skipped silently, and other loose ends -----------------------------


def test_a_dash_as_target_is_missing_value(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 3, "target", "—")
    data, report = validate_period(period_copy)
    assert data is None
    assert errors_of(report, "missing-value") == [("missing-value", "indicators.csv", 3, "target")]


def test_a_value_with_a_dash_as_its_period_is_missing_value(period_copy: Path) -> None:
    set_cell(period_copy / "indicators.csv", 3, "latest_period", "—")
    _, report = validate_period(period_copy)
    assert errors_of(report, "missing-value") == [("missing-value", "indicators.csv", 3, "latest_period")]


def test_a_dash_as_latest_value_warns_like_a_blank(period_copy: Path) -> None:
    path = period_copy / "indicators.csv"
    set_cell(path, 3, "latest", "—")
    set_cell(path, 3, "latest_rate_published", "")
    data, report = validate_period(period_copy)
    assert data is not None
    assert ("missing-latest", "indicators.csv", 3, "latest") in where(report, "warning")


def test_a_bare_number_as_fiscal_year_is_invalid_fiscal_year(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 2, "from", "6")
    _, report = validate_period(period_copy)
    assert errors_of(report, "invalid-fiscal-year") == [("invalid-fiscal-year", "activities.csv", 2, "from")]
    assert "「6」" in report.errors[0].message


def test_agenda_section_must_be_known_and_level_given(period_copy: Path) -> None:
    path = period_copy / "agenda.csv"
    set_cell(path, 5, "section", "dashbord")
    set_cell(path, 2, "level", "")
    _, report = validate_period(period_copy)
    assert errors_of(report, "invalid-section") == [("invalid-section", "agenda.csv", 5, "section")]
    assert errors_of(report, "missing-value") == [("missing-value", "agenda.csv", 2, "level")]


def test_goal_and_activity_rows_without_their_number_are_errors(period_copy: Path) -> None:
    set_cell(period_copy / "goals.csv", 3, "no", "")
    set_cell(period_copy / "activities.csv", 4, "project", "")
    _, report = validate_period(period_copy)
    assert errors_of(report, "missing-value") == [
        ("missing-value", "goals.csv", 3, "no"),
        ("missing-value", "activities.csv", 4, "project"),
    ]


def test_activities_without_a_project_table_are_unknown_projects(period_copy: Path) -> None:
    (period_copy / "projects.csv").unlink()
    for sheet in (period_copy / "projects").glob("*.md"):
        sheet.unlink()
    _, report = validate_period(period_copy)
    codes = {code for code, *_ in where(report)}
    assert codes == {"unknown-project"}
    assert len(errors_of(report, "unknown-project")) == 38  # every row of activities.csv


def test_two_sheets_for_one_project(period_copy: Path) -> None:
    (period_copy / "projects" / "08.md").write_text("## 事業概要\n\n- 重複\n", encoding="utf-8")
    _, report = validate_period(period_copy)
    assert errors_of(report, "duplicate-sheet") == [("duplicate-sheet", "8.md", None, None)]


def test_a_code_block_inside_a_bullet_is_a_markdown_error(period_copy: Path) -> None:
    (period_copy / "history.md").write_text("- 項目\n\n      コード\n", encoding="utf-8")
    _, report = validate_period(period_copy)
    assert errors_of(report, "markdown-error") == [("markdown-error", "history.md", 3, None)]


@pytest.mark.parametrize("written", ["15:00:00", "１５：００"])
def test_meeting_times_as_excel_or_full_width(period_copy: Path, written: str) -> None:
    replace_text(period_copy / "meeting.csv", "start,15:00", f"start,{written}")
    data, report = validate_period(period_copy)
    assert data is not None, report.errors
    assert data.meeting.start == "15:00"


def test_activity_issues_carry_the_value(period_copy: Path) -> None:
    set_cell(period_copy / "activities.csv", 2, "from", "R5")
    set_cell(period_copy / "activities.csv", 2, "to", "R5")
    _, report = validate_period(period_copy)
    issue = next(issue for issue in report.errors if issue.code == "fiscal-year-outside-roadmap")
    assert issue.value == "R5"
