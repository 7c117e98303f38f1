"""Preparing the next meeting: ``new-period``, ``requests``, ``collect`` and ``status``.

The sample period is rolled forward to ``fy2024-h2`` in a temporary folder, the request
workbooks are filled with openpyxl the way a division fills them in Excel, and the answers are
collected back.  The checks are the secretariat's: the new period validates, the figures moved
where the tables keep them, the report shows the recomputed rate, and a workbook with a problem
is named with its sheet and cell and changes nothing.  The request workbooks are written once per
module and copied for each test (writing all 28 takes about a second).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.collect import DivisionStatus, collect, division_status, make_requests, new_period
from aomori_dx.errors import AomoriDxError
from aomori_dx.model import Indicator, PeriodData
from aomori_dx.validate import Report, validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
NEW_ID = "fy2024-h2"
AS_OF = "2025-05-31"  # in R7: the R6 and R7 actuals may be entered
MEETING = {"date": "2025-06-20", "as_of": AS_OF, "period_label": "令和6年度下半期"}
INDICATOR_COUNT = 30
# Reference columns of the request sheet, and the columns of indicators.csv they must not change.
VALUE_COLUMNS = slice(0, 10)  # kpi … note
PUBLISHED = ("previous_rate_published", "latest_rate_published")
SUPPORT = "デジタルトランスフォーメーション推進事業(総合的支援体制)"  # 3 indicators, no projects
SCHOOL = "学校教育課"  # project No.42, no indicators
INDICATOR_SHEET = "中間指標"
ROADMAP_SHEET = "ロードマップ"
YELLOW = "FFF2CC"
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

runner = CliRunner()


# --- helpers ---------------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str]:
    # A wide terminal keeps long temporary paths on one line; _flat() covers what still wraps.
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _flat(text: str) -> str:
    """Output without whitespace, so a path or message folded by rich can be found whole."""
    return "".join(text.split())


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def read_dicts(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def meeting_values(folder: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in read_rows(folder / "meeting.csv")[1:]}


def fill_meeting(folder: Path, values: dict[str, str]) -> None:
    """Edit meeting.csv as the secretariat does after new-period."""
    rows = read_rows(folder / "meeting.csv")
    for row in rows[1:]:
        if row[0] in values:
            row[1] = values[row[0]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "meeting.csv").write_text(buffer.getvalue(), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, by relative path, to prove that nothing was written."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def tables(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv"))}


def edit(path: Path, cells: dict[tuple[str, str], Any]) -> Path:
    """Fill a returned workbook as a division would (openpyxl ignores sheet protection, as a
    person who removed it would)."""
    book = load_workbook(path)
    for (sheet, cell), value in cells.items():
        book[sheet][cell] = value
    book.save(path)
    return path


def meta_of(path: Path) -> dict[str, str]:
    book = load_workbook(path)
    return {str(row[0].value): str(row[1].value) for row in book["_meta"].iter_rows(max_col=2)}


def expected_divisions(data: PeriodData) -> set[str]:
    """担当課 (or the data source) of every indicator, and the division of every project with a grid."""
    return {indicator.responsible for indicator in data.indicators} | {
        project.division or "（担当課未設定）" for project in data.projects if data.activities_of(project.no)
    }


def indicators_of(data: PeriodData, division: str) -> list[Indicator]:
    return [indicator for indicator in data.indicators if indicator.responsible == division]


def errors_of(report: Report) -> list[tuple[str, str, str | None, str | None]]:
    return [(issue.code, issue.file, issue.sheet, issue.cell) for issue in report.errors]


def grid_row(path: Path, project: int, activity_prefix: str, label: str) -> int:
    """The row of a project's activity (計画 or 実績) on the ロードマップ sheet."""
    sheet = load_workbook(path)[ROADMAP_SHEET]
    for row in range(2, sheet.max_row + 1):
        values = [sheet.cell(row=row, column=column).value for column in range(1, 5)]
        if (
            str(values[0]) == str(project)
            and str(values[2]).startswith(activity_prefix)
            and values[3] == label
        ):
            return row
    raise AssertionError(f"No.{project} {activity_prefix} {label} not on the sheet")


# --- the prepared period, written once -------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """The sample copy, the rolled period with meeting.csv filled, and its request workbooks."""

    source: Path
    folder: Path
    requests: Path
    data: PeriodData
    books: dict[str, Path]  # by division, as _meta names it

    def copy_to(self, root: Path) -> Prepared:
        for path in (self.source, self.folder, self.requests):
            shutil.copytree(path, root / path.name)
        data, report = validate_period(root / self.folder.name, complete=False)
        assert data is not None, report.errors
        return Prepared(
            root / self.source.name,
            root / self.folder.name,
            root / self.requests.name,
            data,
            {division: root / self.requests.name / path.name for division, path in self.books.items()},
        )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("template")
    source = root / SAMPLE.name
    shutil.copytree(SAMPLE, source)
    folder = root / NEW_ID
    new_period(source, folder)
    fill_meeting(folder, MEETING)
    data, report = validate_period(folder, complete=False)
    assert data is not None, report.errors
    paths = make_requests(data, root / "requests")
    books = {meta_of(path)["division"]: path for path in paths}
    assert len(books) == len(paths)
    return Prepared(source, folder, root / "requests", data, books)


@pytest.fixture
def prepared(template: Prepared, tmp_path: Path) -> Prepared:
    """A private copy of the prepared period and workbooks, for a test to fill and collect."""
    return template.copy_to(tmp_path)


# --- new-period ------------------------------------------------------------------------------


def check_rolled(source: Path, folder: Path) -> None:
    """What new-period promises about the folder it made from ``source``."""
    assert folder.is_dir()
    assert not (folder / "NOTES.md").exists()  # the previous period's own notes stay behind
    meeting = meeting_values(folder)
    assert meeting["number"] == "3"
    for key in ("date", "as_of", "period_label", "start", "end"):
        assert meeting[key] == "", key
    assert meeting["council"] == meeting_values(source)["council"]
    assert meeting["roadmap_title"] == meeting_values(source)["roadmap_title"]

    old, new = read_rows(source / "indicators.csv"), read_rows(folder / "indicators.csv")
    assert new[0][: len(old[0])] == old[0]
    assert new[0][len(old[0]) :] == ["担当課", "confirmed"]
    assert len(new) == len(old) == INDICATOR_COUNT + 1
    columns = {name: new[0].index(name) for name in ("confirmed", *PUBLISHED)}
    for old_row, new_row in zip(old[1:], new[1:], strict=True):
        assert new_row[VALUE_COLUMNS] == old_row[VALUE_COLUMNS]
        for name, index in columns.items():
            assert new_row[index] == "", (name, new_row)
    assert all(row["rate_published"] == "" for row in read_dicts(folder / "kpis.csv"))
    for name in ("activities.csv", "projects.csv", "cases.md", "history.md"):
        assert (folder / name).read_bytes() == (source / name).read_bytes(), name
    # The staging folder beside the new period is gone.
    assert sorted(path.name for path in folder.parent.iterdir() if path.name.startswith(".")) == []


def test_new_period_library(period_copy: Path) -> None:
    target = period_copy.parent / NEW_ID
    notes = new_period(period_copy, target)
    check_rolled(period_copy, target)
    assert any("meeting.csv" in note for note in notes)
    assert any(f"{INDICATOR_COUNT} 件" in note for note in notes)


def test_new_period_cli(period_copy: Path) -> None:
    code, output = invoke("new-period", NEW_ID, "--from", str(period_copy))
    target = period_copy.parent / NEW_ID
    assert code == 0, output
    check_rolled(period_copy, target)
    assert str(target) in _flat(output)
    assert "requests" in output  # says what to do next


def test_new_period_validates_only_as_incomplete(period_copy: Path) -> None:
    target = period_copy.parent / NEW_ID
    new_period(period_copy, target)

    data, report = validate_period(target, complete=False)
    assert data is not None
    assert report.errors == []
    assert [issue.code for issue in report.warnings] == ["unconfirmed"] * INDICATOR_COUNT
    assert {issue.column for issue in report.warnings} == {"confirmed"}
    assert [issue.row for issue in report.warnings] == list(range(2, INDICATOR_COUNT + 2))
    assert not any(indicator.confirmed for indicator in data.indicators)

    data, report = validate_period(target)
    assert data is None
    assert {issue.code for issue in report.errors} == {"missing-value"}
    assert {Path(issue.file).name for issue in report.errors} == {"meeting.csv"}
    for key in ("date", "period_label", "as_of"):
        assert any(f"「{key}」" in issue.message for issue in report.errors), key
    assert len(report.errors) == 3


def test_new_period_refuses_an_existing_folder(period_copy: Path) -> None:
    target = period_copy.parent / NEW_ID
    new_period(period_copy, target)
    fill_meeting(target, MEETING)  # work already done in the new period must survive
    before = snapshot(target)

    code, output = invoke("new-period", NEW_ID, "--from", str(period_copy))
    assert code == 1
    assert str(target) in _flat(output)
    assert "既にあります" in output
    with pytest.raises(AomoriDxError, match="既にあります"):
        new_period(period_copy, target)
    assert snapshot(target) == before
    assert meeting_values(target)["as_of"] == AS_OF


# --- requests --------------------------------------------------------------------------------


def test_requests_one_workbook_per_division(template: Prepared) -> None:
    divisions = expected_divisions(template.data)
    assert len(template.books) == len(divisions) == 28
    assert set(template.books) == divisions
    for division, path in template.books.items():
        book = load_workbook(path)
        grids = [p for p in template.data.projects if (p.division or "（担当課未設定）") == division]
        sheets = ["説明", INDICATOR_SHEET, *([ROADMAP_SHEET] if grids else []), "_meta"]
        assert book.sheetnames == sheets, path
        sheet = book[INDICATOR_SHEET]
        names = [sheet.cell(row=row, column=2).value for row in range(2, sheet.max_row + 1)]
        assert names == [i.name for i in indicators_of(template.data, division)], division


def test_requests_cli_writes_the_same_workbooks(template: Prepared, tmp_path: Path) -> None:
    code, output = invoke("requests", str(template.folder), "--out", str(tmp_path / "out"))
    assert code == 0, output
    assert f"{len(template.books)} 件" in output
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(
        path.name for path in template.books.values()
    )
    # The same period gives the same bytes (no time of saving inside), dated by its as-of day.
    for path in template.books.values():
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes(), path.name
    book = load_workbook(next(iter(template.books.values())))
    assert book.properties.created is not None
    assert book.properties.created.date().isoformat() == AS_OF


def test_request_indicator_sheet(template: Prepared) -> None:
    path = template.books[SUPPORT]
    sheet = load_workbook(path)[INDICATOR_SHEET]
    indicators = indicators_of(template.data, SUPPORT)
    assert len(indicators) == 3
    assert sheet.protection.sheet
    assert [sheet.cell(row=1, column=c).value for c in (4, 9, 10, 11)] == [
        "目標値",
        "新しい値",
        "新しい値の時点",
        "変更なし（○）",
    ]
    rows = range(2, len(indicators) + 2)
    for row in rows:
        for letter in "ABCDEFGH":
            assert sheet[f"{letter}{row}"].protection.locked, f"{letter}{row}"
        for letter in "IJKL":
            cell = sheet[f"{letter}{row}"]
            assert not cell.protection.locked, cell.coordinate
            assert cell.fill.fgColor.rgb.endswith(YELLOW), cell.coordinate
            assert cell.value is None
    # The reference columns show the carried-over figures, the values as numbers (issue 10, point 17).
    assert [sheet[f"{c}2"].value for c in "ACDEFGH"] == ["K1", "件", 375, None, "R4年度", 109, "R5年度"]
    assert sheet["A5"].value is None
    validations = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    # Counts (件, 社) take whole numbers, the % indicator decimals (issue 10, point 17).
    assert all(f"I{row}" in validations["whole"].sqref for row in (2, 4))
    assert "I3" in validations["decimal"].sqref
    assert validations["whole"].showErrorMessage
    assert all(f"K{row}" in validations["list"].sqref for row in rows)
    assert validations["decimal"].showErrorMessage


def test_request_roadmap_sheet_unlocks_plans_and_actuals_up_to_this_year(template: Prepared) -> None:
    path = template.books[SCHOOL]
    sheet = load_workbook(path)[ROADMAP_SHEET]
    assert sheet.protection.sheet
    assert [sheet.cell(row=1, column=c).value for c in range(1, 10)] == [
        "No.", "事業名", "取組", "区分", "R6", "R7", "R8", "R9", "R10",
    ]  # fmt: skip
    assert load_workbook(path)[INDICATOR_SHEET].max_row == 1  # 学校教育課 has no indicator
    plan, actual = grid_row(path, 42, "学びのDX", "計画"), grid_row(path, 42, "学びのDX", "実績")
    assert actual == plan + 1
    assert sheet[f"F{plan}"].value == sheet[f"G{plan}"].value == "②全県立中学、高校で展開"
    for letter in "EFGHI":
        assert not sheet[f"{letter}{plan}"].protection.locked
    for letter, unlocked in zip("EFGHI", (True, True, False, False, False), strict=True):
        assert sheet[f"{letter}{actual}"].protection.locked is not unlocked, letter
    for letter in "ABCD":
        assert sheet[f"{letter}{plan}"].protection.locked


def test_request_meta_and_guide(template: Prepared) -> None:
    book = load_workbook(template.books[SUPPORT])
    meta = book["_meta"]
    assert meta.sheet_state == "veryHidden"
    assert (meta["A1"].value, meta["B1"].value) == ("period", NEW_ID)
    assert (meta["A2"].value, meta["B2"].value) == ("division", SUPPORT)
    guide = "\n".join(str(cell.value) for cell in book["説明"]["A"] if cell.value)
    assert CJK.search(guide)
    assert "黄色のセル" in guide
    assert f"担当課: {SUPPORT}" in guide
    assert "変更なし（○）" in guide
    assert AS_OF in guide
    assert book.active.title == INDICATOR_SHEET


# --- the round trip (new-period → meeting.csv → requests → fill → collect → report) -------------


def fill_support(path: Path) -> Path:
    """A new R6 figure for the first indicator, ○ (変更なし) for the second."""
    return edit(
        path, {(INDICATOR_SHEET, "I2"): 250, (INDICATOR_SHEET, "J2"): "R6年度", (INDICATOR_SHEET, "K3"): "○"}
    )


NEW_ACTUAL = "①「情報I」教材導入・活用 ②英語教材モデル校導入 ③教員研修"


def fill_school(path: Path) -> Path:
    """A corrected R6 actual for project 42's 学びのDX."""
    row = grid_row(path, 42, "学びのDX", "実績")
    return edit(path, {(ROADMAP_SHEET, f"E{row}"): NEW_ACTUAL})


def test_round_trip(prepared: Prepared) -> None:
    support, school = fill_support(prepared.books[SUPPORT]), fill_school(prepared.books[SCHOOL])
    activities_before = read_rows(prepared.folder / "activities.csv")

    code, output = invoke("collect", str(prepared.folder), str(support), str(school))
    assert code == 0, output
    assert "取り込んだ変更" in output

    data, report = validate_period(prepared.folder)
    assert data is not None and report.ok, report.errors
    assert [issue.code for issue in report.warnings] == ["unconfirmed"] * (INDICATOR_COUNT - 2)

    rows = read_dicts(prepared.folder / "indicators.csv")
    first, second, third = rows[0], rows[1], rows[2]
    assert (first["previous"], first["previous_period"]) == ("109", "R5年度")
    assert (first["latest"], first["latest_period"]) == ("250", "R6年度")
    assert first["confirmed"] == second["confirmed"] == "○"
    assert third["confirmed"] == ""
    assert (second["previous"], second["latest"], second["latest_period"]) == ("29.1", "32.5", "R5年度")
    assert all(row["confirmed"] == "" for row in rows[3:])

    activities = read_rows(prepared.folder / "activities.csv")
    actuals = [
        row for row in activities if row[0] == "42" and row[1].startswith("学びのDX") and row[2] == "実績"
    ]
    assert actuals == [["42", activities_before[11][1], "実績", "R6", "R6", NEW_ACTUAL]]
    # Only that activity's 実績 row was rewritten, in its place.
    assert activities == [*activities_before[:11], actuals[0], *activities_before[12:]]

    code, output = invoke("report", str(prepared.folder), "--format", "json")
    assert code == 0, output
    payload = json.loads(output)
    assert payload["previous_period"] == SAMPLE.name
    figure = payload["kpis"][0]["indicators"][0]
    assert figure["latest"] == 250
    assert figure["latest_period"] == "R6年度"
    assert figure["latest_rate"] == 66.7  # 250 / 375 × 100
    assert figure["previous"] == 109
    assert figure["previous_rate"] == 29.1

    code, output = invoke("status", str(prepared.folder), "--format", "json")
    assert code == 0
    by_division = {row["division"]: row for row in json.loads(output)}
    names = [indicator.name for indicator in indicators_of(prepared.data, SUPPORT)]
    assert by_division[SUPPORT]["unconfirmed"] == names[2:]
    assert sum(len(row["unconfirmed"]) for row in by_division.values()) == INDICATOR_COUNT - 2


def test_same_period_corrects_the_latest_value(prepared: Prepared) -> None:
    path = edit(prepared.books[SUPPORT], {(INDICATOR_SHEET, "I2"): 120, (INDICATOR_SHEET, "J2"): "R5年度"})
    changes, report = collect(prepared.folder, [path])
    assert report.errors == []
    first = read_dicts(prepared.folder / "indicators.csv")[0]
    assert (first["previous"], first["previous_period"]) == ("—", "R4年度")
    assert (first["latest"], first["latest_period"], first["confirmed"]) == ("120", "R5年度", "○")
    assert {(change.column, change.new) for change in changes} == {("latest", "120"), ("confirmed", "○")}


# --- rejections --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "code", "sheet", "cell"),
    [
        pytest.param(
            {(INDICATOR_SHEET, "D2"): "300"}, "protected-cell-edited", INDICATOR_SHEET, "D2", id="target"
        ),
        pytest.param({(INDICATOR_SHEET, "I2"): "多数"}, "invalid-number", INDICATOR_SHEET, "I2", id="text"),
        pytest.param({("_meta", "B1"): "fy2024-h1"}, "wrong-period", "_meta", "B1", id="period"),
        pytest.param({("_meta", "B2"): "存在しない課"}, "wrong-division", "_meta", "B2", id="division"),
    ],
)
def test_rejected_workbook_is_named_and_not_merged(
    prepared: Prepared, cells: dict[tuple[str, str], Any], code: str, sheet: str, cell: str
) -> None:
    # The same workbook also holds a good answer (○ in row 3); nothing of it may be merged.
    path = edit(prepared.books[SUPPORT], {(INDICATOR_SHEET, "K3"): "○", **cells})
    before = tables(prepared.folder)

    changes, report = collect(prepared.folder, [path])
    assert changes == []
    assert errors_of(report) == [(code, str(path), sheet, cell)]
    assert tables(prepared.folder) == before

    exit_code, output = invoke("collect", str(prepared.folder), str(path))
    assert exit_code == 1
    assert f"{sheet}!{cell}" in output
    assert path.name in _flat(output)
    assert tables(prepared.folder) == before


def test_good_workbook_is_merged_beside_a_rejected_one(prepared: Prepared) -> None:
    bad = edit(prepared.books[SUPPORT], {(INDICATOR_SHEET, "D2"): "300", (INDICATOR_SHEET, "K3"): "○"})
    good = fill_school(prepared.books[SCHOOL])
    before = tables(prepared.folder)

    code, output = invoke("collect", str(prepared.folder), str(bad), str(good))
    assert code == 1
    assert f"{INDICATOR_SHEET}!D2" in output
    assert "取り込んだ変更" in output
    after = tables(prepared.folder)
    assert after["indicators.csv"] == before["indicators.csv"]
    assert after["activities.csv"] != before["activities.csv"]
    assert NEW_ACTUAL in after["activities.csv"].decode()
    assert {name for name in after if after[name] != before[name]} == {"activities.csv"}


def test_dry_run_shows_the_changes_and_writes_nothing(prepared: Prepared) -> None:
    support, school = fill_support(prepared.books[SUPPORT]), fill_school(prepared.books[SCHOOL])
    before = snapshot(prepared.folder)

    code, output = invoke("collect", str(prepared.folder), str(support), str(school), "--dry-run")
    assert code == 0, output
    assert "取り込む変更" in output
    assert "--dry-run のため、書き込んでいません" in output
    assert "250" in output and "R6年度" in output
    assert snapshot(prepared.folder) == before

    planned, _ = collect(prepared.folder, [support, school], dry_run=True)
    assert snapshot(prepared.folder) == before
    done, report = collect(prepared.folder, [support, school])
    assert report.ok
    assert done == planned
    assert snapshot(prepared.folder) != before


def test_nothing_to_collect_exits_0(prepared: Prepared) -> None:
    before = snapshot(prepared.folder)
    code, output = invoke("collect", str(prepared.folder), str(prepared.books[SUPPORT]))
    assert code == 0
    assert "取り込む変更はありません" in output
    assert snapshot(prepared.folder) == before


# --- atomicity ---------------------------------------------------------------------------------


def test_value_older_than_the_latest_is_rejected(prepared: Prepared) -> None:
    # R4年度 is before the current latest (R5年度): the old figure would become the newest.
    path = edit(
        prepared.books[SUPPORT],
        {(INDICATOR_SHEET, "I2"): 90, (INDICATOR_SHEET, "J2"): "R4年度", (INDICATOR_SHEET, "K3"): "○"},
    )
    before = snapshot(prepared.folder)
    changes, report = collect(prepared.folder, [path])
    assert changes == []
    assert errors_of(report) == [("period-order", str(path), INDICATOR_SHEET, "J2")]
    assert snapshot(prepared.folder) == before


def test_merged_period_that_would_not_validate_writes_nothing(prepared: Prepared, tmp_path: Path) -> None:
    # Two years later (R9), a 実績 for R9 is open in the workbook, but project 42 ends in R8: only
    # the validation of the merged tables finds it, and then the good workbook is not merged either.
    fill_meeting(prepared.folder, {"as_of": "2027-05-31"})
    data, _ = validate_period(prepared.folder, complete=False)
    assert data is not None
    books = {meta_of(path)["division"]: path for path in make_requests(data, tmp_path / "later")}
    row = grid_row(books[SCHOOL], 42, "学びのDX", "実績")
    school = edit(books[SCHOOL], {(ROADMAP_SHEET, f"H{row}"): "全校で展開"})
    support = fill_support(books[SUPPORT])
    before = snapshot(prepared.folder)

    changes, report = collect(prepared.folder, [support, school])
    assert changes == []
    assert [(issue.code, Path(issue.file).name) for issue in report.errors] == [
        ("fiscal-year-outside-term", "activities.csv")
    ]
    assert report.errors[0].file == str(prepared.folder / "activities.csv")
    assert report.errors[0].message.startswith("取り込むと入力にエラーが出るため")
    assert snapshot(prepared.folder) == before

    code, _ = invoke("collect", str(prepared.folder), str(support), str(school))
    assert code == 1
    assert snapshot(prepared.folder) == before


# --- status ----------------------------------------------------------------------------------


def status_json(folder: Path) -> list[dict[str, Any]]:
    code, output = invoke("status", str(folder), "--format", "json")
    assert code == 0, output
    rows: list[dict[str, Any]] = json.loads(output)
    return rows


def library_status(folder: Path) -> list[dict[str, Any]]:
    data, _ = validate_period(folder, complete=False)
    assert data is not None
    rows: list[DivisionStatus] = division_status(data)
    expected: list[dict[str, Any]] = json.loads(
        json.dumps([asdict(row) | {"done": row.done} for row in rows])
    )
    return expected


def test_status_of_a_fresh_period(prepared: Prepared) -> None:
    rows = status_json(prepared.folder)
    assert rows == library_status(prepared.folder)
    assert {row["division"] for row in rows} == expected_divisions(prepared.data)
    for row in rows:
        names = [i.name for i in indicators_of(prepared.data, row["division"])]
        assert row["indicators"] == len(names)
        assert row["unconfirmed"] == names
        assert not row["done"]
    assert sum(len(row["unconfirmed"]) for row in rows) == INDICATOR_COUNT
    # as_of 2025-05-31 is in R7: no project has an R7 actual yet.
    school = next(row for row in rows if row["division"] == SCHOOL)
    assert school["missing_actuals"] == ["No.42 学校DXスタートアップ事業"]


def test_status_after_collect(prepared: Prepared) -> None:
    before = {row["division"]: row for row in status_json(prepared.folder)}
    _, report = collect(prepared.folder, [fill_support(prepared.books[SUPPORT])])
    assert report.ok
    after = {row["division"]: row for row in status_json(prepared.folder)}
    assert len(after[SUPPORT]["unconfirmed"]) == len(before[SUPPORT]["unconfirmed"]) - 2 == 1
    assert {name for name in after if after[name] != before[name]} == {SUPPORT}

    code, output = invoke("status", str(prepared.folder))
    assert code == 0
    assert "1/3 件" in output
    assert f"未回答の担当課: {len(after)} / {len(after)}" in output


# --- the 担当課 column -----------------------------------------------------------------------------


def test_division_column_groups_the_workbooks(prepared: Prepared, tmp_path: Path) -> None:
    # Without 担当課 the workbooks follow the data source; with it, one workbook per 担当課, shared
    # with the division's projects.
    path = prepared.folder / "indicators.csv"
    rows = read_rows(path)
    division = rows[0].index("担当課")
    sources = {
        "デジタルトランスフォーメーション推進事業(総合的支援体制)",
        "デジタルトランスフォーメーション推進事業(人財育成)",
    }
    for row in rows[1:]:
        if row[8] in sources:
            row[division] = SCHOOL
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    data, report = validate_period(prepared.folder, complete=False)
    assert data is not None, report.errors

    books = {meta_of(p)["division"]: p for p in make_requests(data, tmp_path / "grouped")}
    assert len(books) == len(prepared.books) - 2
    assert not set(books) & sources
    book = load_workbook(books[SCHOOL])
    assert book.sheetnames == ["説明", INDICATOR_SHEET, ROADMAP_SHEET, "_meta"]
    assert book[INDICATOR_SHEET].max_row == 1 + 5
    rows_after = status_json(prepared.folder)
    school = next(row for row in rows_after if row["division"] == SCHOOL)
    assert (school["indicators"], school["projects"]) == (5, 1)


# --- problems found and fixed ------------------------------------------------------------------------------


def test_period_without_value_is_reported(prepared: Prepared) -> None:
    path = edit(prepared.books[SUPPORT], {(INDICATOR_SHEET, "J2"): "R6年度"})
    _, report = collect(prepared.folder, [path])
    assert errors_of(report) == [("missing-value", str(path), INDICATOR_SHEET, "I2")]


def test_collecting_the_same_workbook_twice_blames_nobody(prepared: Prepared) -> None:
    path = fill_support(prepared.books[SUPPORT])
    _, first = collect(prepared.folder, [path])
    assert first.ok
    _, second = collect(prepared.folder, [path])
    assert "protected-cell-edited" not in {issue.code for issue in second.errors}


def test_new_period_from_xlsx_tables_says_what_it_could_not_do(period_copy: Path) -> None:
    from openpyxl import Workbook

    for name in ("meeting", "indicators"):
        book = Workbook()
        for row in read_rows(period_copy / f"{name}.csv"):
            book.active.append(row)
        book.save(period_copy / f"{name}.xlsx")
        (period_copy / f"{name}.csv").unlink()
    target = period_copy.parent / NEW_ID
    try:
        notes = new_period(period_copy, target)
    except AomoriDxError:
        return
    data, _ = validate_period(target, complete=False)
    assert data is not None
    assert any(".xlsx" in note for note in notes) or not any(i.confirmed for i in data.indicators)
