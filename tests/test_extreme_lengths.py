"""Extreme lengths (issue 10, point 15): every command ends in a correct document, never a traceback.

One copy of the sample carries every extreme at once, so that each command runs once (the suite
stays fast): a 300-character meeting name, period label, KPI name, indicator name, project name
and activity; a 25-year roadmap with plans across it; 10,000-character paragraphs in cases.md,
discussion.md and a detail sheet; a 2,000-character Markdown table cell; and a period folder
whose name is as long as the file system allows (255 bytes).  The deck is read back and every
text is measured with the layout metrics: it fits its box, or the build printed a warning that
names the slide.  Long text is never lost: each long paragraph appears whole across slides.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordDocument
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.render.layout import split_text, text_height, text_lines

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "fy2024-h1"
LONG = 300
# One character per place, so that a count proves the text arrived whole (split, not cut).
COUNCIL, LABEL, KPI, INDICATOR, PROJECT, ACTIVITY = "鶴", "亀", "鷺", "鴎", "燕", "雀"
CASE, DISCUSSION, SHEET, CELL = "甲", "乙", "丙", "丁"
FOLDER = "fy2024-h1-" + "x" * 245  # 255 bytes: the longest name the file system allows
EMU = 914400
runner = CliRunner()


def _rewrite_csv(path: Path, change: Any) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")


def _set_meeting(folder: Path, key: str, value: str) -> None:
    def change(rows: list[list[str]]) -> None:
        for row in rows:
            if row[0] == key:
                row[1] = value

    _rewrite_csv(folder / "meeting.csv", change)


def _set_cell(folder: Path, name: str, row: int, column: str, value: str) -> None:
    def change(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    _rewrite_csv(folder / name, change)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


def _make_extreme(folder: Path) -> None:
    _set_meeting(folder, "council", COUNCIL * LONG)
    _set_meeting(folder, "period_label", LABEL * LONG)
    _set_meeting(folder, "roadmap_last_year", "R30")  # R6–R30: 25 fiscal years
    _set_cell(folder, "kpis.csv", 1, "name", KPI * LONG)  # K1
    _set_cell(folder, "indicators.csv", 1, "name", INDICATOR * LONG)
    _set_cell(folder, "projects.csv", 8, "name", PROJECT * LONG)  # No.8, a featured project
    _replace(folder / "activities.csv", "スマート農業機械の導入支援", ACTIVITY * LONG)
    activities = folder / "activities.csv"
    lines = ["8,長期の取組,計画,R6,R30,二十五年の計画", "8,長期の取組,実績,R6,R6,初年度の実績"]
    lines += [f"8,毎年の取組,計画,R{year},R{year},R{year}年度の計画" for year in range(6, 31)]
    activities.write_text(activities.read_text("utf-8") + "\n".join(lines) + "\n", "utf-8")
    _replace(folder / "cases.md", "森羽紙業(五所川原市)では", CASE * 10_000)
    discussion = folder / "discussion.md"
    discussion.write_text(discussion.read_text("utf-8") + "\n" + DISCUSSION * 10_000 + "\n", "utf-8")
    sheet = folder / "projects" / "8.md"
    sheet.write_text(sheet.read_text("utf-8") + "\n" + SHEET * 10_000 + "\n", "utf-8")
    _replace(folder / "cases.md", "| 出欠管理 |", "| " + CELL * 2_000 + " |")


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    output: str
    exception: BaseException | None


@dataclass(frozen=True)
class Extreme:
    folder: Path
    out: Path
    runs: dict[str, Outcome]

    @property
    def deck(self) -> Path:
        return self.out / FOLDER / "deck.pptx"


@pytest.fixture(scope="module")
def extreme(tmp_path_factory: pytest.TempPathFactory) -> Extreme:
    """The sample with every extreme, and the outcome of each command run on it once."""
    root = tmp_path_factory.mktemp("extreme")
    folder = root / "inputs" / FOLDER
    shutil.copytree(SAMPLE, folder)
    _make_extreme(folder)
    out = root / "out"
    commands = {
        "validate": ["validate", str(folder)],
        "table": ["report", str(folder)],
        "json": ["report", str(folder), "--format", "json"],
        "csv": ["report", str(folder), "--format", "csv"],
        "build": ["build", str(folder), "--out", str(out)],
        "publish": ["publish", str(folder), "--out", str(out)],
    }
    runs = {}
    for name, args in commands.items():
        result = runner.invoke(app, args)
        runs[name] = Outcome(result.exit_code, result.output, result.exception)
    return Extreme(folder, out, runs)


def flat(text: str) -> str:
    # Rich wraps long lines at the console width; compare without the wrapping.
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("command", ["validate", "table", "json", "csv", "build", "publish"])
def test_every_command_succeeds_without_a_traceback(extreme: Extreme, command: str) -> None:
    outcome = extreme.runs[command]
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), repr(outcome.exception)
    assert "Traceback" not in outcome.output
    assert outcome.exit_code == 0, outcome.output


def test_report_json_and_csv_keep_the_long_names_whole(extreme: Extreme) -> None:
    payload = json.loads(extreme.runs["json"].output)
    assert payload["kpis"][0]["name"] == KPI * LONG
    assert INDICATOR * LONG in extreme.runs["csv"].output


def test_the_files_are_written_under_the_255_byte_folder(extreme: Extreme) -> None:
    assert len(FOLDER.encode()) == 255
    written = sorted(path.name for path in (extreme.out / FOLDER).iterdir())
    assert written == ["deck.pptx", "report.docx", "site"]
    assert (extreme.out / FOLDER / "site" / "index.html").is_file()


def test_report_docx_has_the_long_texts_and_a_clipped_title(extreme: Extreme) -> None:
    document = WordDocument(str(extreme.out / FOLDER / "report.docx"))
    # Word's title property holds at most 255 characters; the report itself has the whole name.
    assert len(document.core_properties.title) == 255
    assert document.core_properties.title.endswith("…")
    # The running head shortens the names; the cover has them whole, at a size that fits.
    head = document.sections[0].header.paragraphs[0].text
    assert head == f"第2回 {COUNCIL * 39}…　{LABEL * 19}… 進捗状況報告"
    assert document.paragraphs[1].text.startswith(LABEL * LONG)
    text = "\n".join(p.text for p in document.paragraphs)
    text += "".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert text.count(CASE) == 10_000
    assert text.count(DISCUSSION) == 10_000
    assert text.count(SHEET) == 10_000
    assert text.count(CELL) == 2_000


# --- the deck -------------------------------------------------------------------------------


def _titles(prs: Any) -> list[str]:
    return [
        s.shapes.title.text_frame.text.replace("\v", "") if s.shapes.title is not None else ""
        for s in prs.slides
    ]


def _warnings(output: str) -> list[tuple[int, str, str]]:
    """(slide number, title as quoted, problem) of every slide that a 警告 line of build names
    (``スライド 34〜43「…」`` names ten slides: one title repeated on its continuations)."""
    found = re.findall(r"警告:スライド(\d+)(?:〜(\d+))?「(.*?)」:(.*?)(?=警告:|$)", flat(output))
    return [
        (number, title, problem)
        for first, last, title, problem in found
        for number in range(int(first), int(last or first) + 1)
    ]


@pytest.fixture(scope="module")
def deck(extreme: Extreme) -> Any:
    return Presentation(str(extreme.deck))


def test_warnings_name_the_slide_by_number_and_title(extreme: Extreme, deck: Any) -> None:
    titles = _titles(deck)
    warnings = _warnings(extreme.runs["build"].output)
    for number, title, _ in warnings:
        assert flat(titles[number - 1]).startswith(title.removesuffix("…")), (number, title)
    kpi_slides = [n for n, t in enumerate(titles, start=1) if t.startswith(KPI * 10)]
    dashboard = titles.index("目標達成状況ダッシュボード　産業・しごと分野") + 1
    project_slides = [n for n, t in enumerate(titles, start=1) if t.startswith("No.8 " + PROJECT * 10)]
    assert len(kpi_slides) == 2  # the indicator table continues (its 300-character row)
    # The project table and the grid (4 slides: R6–R14 continues), the detail sheet (6 slides).
    assert len(project_slides) == 10
    expected = {(dashboard, "KPIのカードの文字"), *((n, "タイトル") for n in kpi_slides + project_slides)}
    assert {(number, problem.split("が長く")[0]) for number, _, problem in warnings} == expected
    # One line for a title and its continuations.
    assert f"警告:スライド{project_slides[0]}〜{project_slides[-1]}「No.8" in flat(
        extreme.runs["build"].output
    )
    assert all("元の文を短くしてください" in problem for _, _, problem in warnings)


def _inches(value: int | None) -> float:
    return (value or 0) / EMU


def _paragraph_height(paragraph: Any, width: float, spacing: float | None = None) -> float:
    """The measured height of one ``a:p`` (the deck's own estimate, read back from the XML)."""
    sizes = [int(r.get("sz")) / 100 for r in paragraph.iter(qn("a:rPr"), qn("a:endParaRPr")) if r.get("sz")]
    size = max(sizes, default=18)
    text = "".join(t.text or "" for t in paragraph.iter(qn("a:t")))
    ppr = paragraph.find(qn("a:pPr"))
    indent = _inches(int(ppr.get("marL", "0"))) if ppr is not None else 0.0
    before = paragraph.find(f"{qn('a:pPr')}/{qn('a:spcBef')}/{qn('a:spcPts')}")
    space = int(before.get("val")) / 100 / 72 if before is not None else 0.0
    if spacing is not None:  # a table cell
        return text_height(text or " ", width - 0.2, size, spacing)
    return text_height(text or " ", width - indent - 0.1, size) + space


def _overflows(prs: Any) -> Iterator[tuple[int, str]]:
    """(slide number, what) for every text whose measure exceeds its box or the slide."""
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.top is not None and _inches(shape.top + shape.height) > _inches(prs.slide_height) + 0.01:
                yield number, f"{shape.name} below the slide"
            if shape.has_text_frame and shape.text_frame.text.replace("\v", ""):
                frame = shape.text_frame
                inset_x, inset_y = _inches(frame.margin_left), _inches(frame.margin_top)
                width = _inches(shape.width) - 2 * inset_x + 0.08
                needed = sum(_paragraph_height(p, width) for p in frame._txBody.iter(qn("a:p")))
                if needed + 2 * inset_y + 0.02 > _inches(shape.height) + 0.01:
                    yield number, f"{shape.name}: {frame.text[:20]}"
            if shape.has_table:
                yield from ((number, what) for what in _table_overflows(shape))


def _table_overflows(shape: Any) -> Iterator[str]:
    table = shape._element.find(f".//{qn('a:tbl')}")
    columns = [_inches(int(col.get("w"))) for col in table.iter(qn("a:gridCol"))]
    rows = table.findall(qn("a:tr"))
    heights = [_inches(int(row.get("h"))) for row in rows]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.findall(qn("a:tc"))):
            if cell.get("hMerge") or cell.get("vMerge"):
                continue
            width = sum(columns[c : c + int(cell.get("gridSpan", "1"))])
            height = sum(heights[r : r + int(cell.get("rowSpan", "1"))])
            needed = sum(_paragraph_height(p, width, 1.3) for p in cell.iter(qn("a:p"))) + 0.12
            if needed > height + 0.01:
                text = "".join(t.text or "" for t in cell.iter(qn("a:t")))
                yield f"{shape.name} row {r} column {c}: {text[:20]}"


def test_every_text_fits_its_box_or_is_reported(extreme: Extreme, deck: Any) -> None:
    warned = {number for number, _, _ in _warnings(extreme.runs["build"].output)}
    unreported = [(number, what) for number, what in _overflows(deck) if number not in warned]
    assert unreported == []


def test_long_paragraphs_and_cells_continue_whole(deck: Any) -> None:
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text.replace("\v", ""))
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    text = "".join(texts)
    assert (text.count(CASE), text.count(DISCUSSION), text.count(SHEET), text.count(CELL)) == (
        10_000,
        10_000,
        10_000,
        2_000,
    )
    assert text.count(INDICATOR) == LONG  # a 300-character table cell is never cut


def test_titles_of_300_characters_are_cut_with_an_ellipsis(deck: Any) -> None:
    titles = _titles(deck)
    cover = titles[0]
    assert cover == f"第2回 {COUNCIL * LONG}"  # the cover's title box holds it at a smaller size
    kpi_title = next(t for t in titles if t.startswith(KPI * 10))
    assert kpi_title.endswith("…") and KPI * 130 in kpi_title
    project = [t for t in titles if t.startswith("No.8 " + PROJECT * 10)]
    # A continuation keeps its （続き） after the cut.
    assert [t.endswith("…（続き）") for t in project] == [False, True, True, True, False, *[True] * 5]
    assert all(t.endswith("…") for t in project if not t.endswith("（続き）"))


def _grid_years(deck: Any) -> list[list[str]]:
    """The fiscal-year headings of each plan/actual table of project No.8."""
    parts = []
    for slide in deck.slides:
        title = slide.shapes.title.text_frame.text.replace("\v", "") if slide.shapes.title is not None else ""
        if not title.startswith("No.8 "):
            continue
        for shape in slide.shapes:
            if shape.has_table and shape.table.cell(0, 0).text == "取組":
                years = [cell.text for cell in shape.table.rows[0].cells][2:]
                if not parts or parts[-1] != years:  # a part's rows may continue on a slide
                    parts.append(years)
    return parts


def test_a_25_year_grid_is_shown_in_three_parts(deck: Any) -> None:
    years = _grid_years(deck)
    assert years == [
        [f"R{y}" for y in range(6, 15)],
        [f"R{y}" for y in range(15, 24)],
        [f"R{y}" for y in range(24, 31)],
    ]


def test_later_parts_of_the_grid_show_only_activities_with_plans_there(deck: Any) -> None:
    activities = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if (
                shape.has_table
                and shape.table.cell(0, 0).text == "取組"
                and shape.table.cell(0, 2).text == "R24"
            ):
                activities += [row.cells[0].text for row in list(shape.table.rows)[1:] if row.cells[0].text]
    assert activities == ["長期の取組", "毎年の取組"]


def test_a_25_year_grid_part_is_readable(deck: Any) -> None:
    # Each year column is wide enough for its heading and a short plan on one line.
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table and shape.table.cell(0, 0).text == "取組":
                widths = [_inches(col.width) for col in shape.table.columns][2:]
                assert min(widths) >= 0.9, widths


def test_layout_split_text_keeps_every_character() -> None:
    text = "あ" * 10 + "\n" + "い" * 20 + "ABC"
    for lines in range(1, 8):
        head, tail = split_text(text, 1.0, 12, lines)
        assert text_lines(head, 1.0, 12) == min(lines, text_lines(text, 1.0, 12))
        assert head + ("\n" if text[len(head) : len(head) + 1] == "\n" else "") + tail == text
    assert split_text(text, 1.0, 12, 99) == (text, "")


def test_the_extreme_deck_is_well_formed_xml(extreme: Extreme) -> None:
    import zipfile

    with zipfile.ZipFile(extreme.deck) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                etree.fromstring(archive.read(name))


def test_the_report_shows_a_25_year_grid_in_three_tables(extreme: Extreme) -> None:
    document = WordDocument(str(extreme.out / FOLDER / "report.docx"))
    headers = [
        [cell.text for cell in table.rows[0].cells][2:]
        for table in document.tables
        if table.rows[0].cells[0].text == "取組"
    ]
    # No.8 has plans in every part; the other projects end by R10, so they keep one table.
    parts = [
        [f"R{y}" for y in range(6, 15)],
        [f"R{y}" for y in range(15, 24)],
        [f"R{y}" for y in range(24, 31)],
    ]
    assert headers[:3] == parts
    assert headers[3:] == [parts[0]] * 4


def test_the_site_shows_all_25_years_and_the_long_names(extreme: Extreme) -> None:
    site = extreme.out / FOLDER / "site"
    roadmap = (site / "roadmap.html").read_text("utf-8")
    grid = roadmap[roadmap.index('<table class="grid">') :]
    grid = grid[: grid.index("</thead>")]
    assert re.findall(r'<th scope="col">(R\d+)</th>', grid) == [f"R{y}" for y in range(6, 31)]
    assert PROJECT * LONG in roadmap
    assert COUNCIL * LONG in (site / "index.html").read_text("utf-8")


def test_a_long_intro_is_cut_and_reported_on_its_slide(period_copy: Path) -> None:
    from aomori_dx.compute import compute
    from aomori_dx.render.deck import render_deck
    from aomori_dx.validate import validate_period

    _set_meeting(period_copy, "goals_intro", CASE * 3_000)
    data, report = validate_period(period_copy)
    assert data is not None, report.errors
    built = render_deck(compute(data))
    assert built.warnings == (
        "スライド 6「基本目標」: meeting.csv の goals_intro の文が長く、枠に入りきらないため後ろを「…」で"
        f"省略しました（「{CASE * 30}…」）。元の文を短くしてください。",
    )
    assert list(_overflows(Presentation(io.BytesIO(built.data)))) == []
