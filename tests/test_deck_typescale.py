"""The deck's type scale and fitting layout (issue 11, points 1 and 4): no text below its role's
minimum, tables at the largest size that fits and continued in balanced parts, a footnote for
every rate that differs from the published one, and a clean third-party integrity check."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.util import Emu

from aomori_dx.compute import compute
from aomori_dx.render.deck import build_deck
from aomori_dx.render.deck.flow import Row, TableFlow, fit_table
from aomori_dx.render.deck.style import BODY_MIN, NOTE_MIN, TABLE_MIN, TABLE_SCALE, TOP, cell
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"
CONTINUED = "（続き）"
PAGE_NUMBER = re.compile(r"^\d+ / \d+$")
PENDING: tuple[str, ...] = ()  # every slide kind is on the type scale now


def _build(folder: Path) -> Any:
    data, report = validate_period(folder)
    assert data is not None and report.ok, report
    return Presentation(io.BytesIO(build_deck(compute(data))))


@pytest.fixture(scope="module")
def deck() -> Any:
    return _build(SAMPLE)


def title_of(slide: Any) -> str:
    title = slide.shapes.title
    return title.text_frame.text.replace("\v", "") if title is not None else ""


def tables_of(slide: Any) -> list[Any]:
    return [shape.table for shape in slide.shapes if shape.has_table]


def _muted(run: Any) -> bool:
    colour = run.font.color
    return colour.type is not None and colour.theme_color == MSO_THEME_COLOR.ACCENT_5


def runs_with_minimum(slide: Any) -> Iterator[tuple[Any, float, str]]:
    """Every run of a slide with the smallest size its role allows: muted text (sources, notes,
    time points) NOTE_MIN, table text TABLE_MIN, other text BODY_MIN.  The page number and a
    running header (a small line above the content, not the title) have no minimum."""
    for shape in slide.shapes:
        if shape.has_table:
            for row in shape.table.rows:
                for table_cell in row.cells:
                    for para in table_cell.text_frame.paragraphs:
                        for run in para.runs:
                            yield run, NOTE_MIN if _muted(run) else TABLE_MIN, "表"
            continue
        if not shape.has_text_frame:
            continue
        text = shape.text_frame.text.replace("\v", "")
        is_title = shape == slide.shapes.title
        if PAGE_NUMBER.match(text) or (not is_title and shape.top + shape.height <= Emu(int(TOP * 914400))):
            continue
        for para in shape.text_frame.paragraphs:
            # A paragraph set partly in the muted colour is a note (a legend: 「計画・実績 の色つき
            # の範囲…」 colours its two key words), so the note minimum holds for all its runs.
            note = any(_muted(run) for run in para.runs)
            for run in para.runs:
                yield run, NOTE_MIN if note else BODY_MIN, "文"


def test_no_run_below_its_role_minimum(deck: Any) -> None:
    checked = 0
    small = []
    for number, slide in enumerate(deck.slides, start=1):
        if title_of(slide).startswith(PENDING):
            continue
        for run, minimum, where in runs_with_minimum(slide):
            if not run.text.strip():
                continue
            checked += 1
            size = run.font.size
            if size is None or size.pt < minimum:
                small.append((number, where, run.text[:20], size.pt if size else None, minimum))
    assert small == []
    assert checked > 700  # the attendees, agendas, indicator tables and roadmap lists


def _table_sizes(slide: Any) -> set[float]:
    """The sizes of the body text of a slide's tables (not the header row)."""
    return {
        run.font.size.pt
        for table in tables_of(slide)
        for row in list(table.rows)[1:]
        for table_cell in row.cells
        for para in table_cell.text_frame.paragraphs
        for run in para.runs
        if run.text.strip() and not _muted(run)
    }


def test_tables_take_the_largest_size_that_fits(deck: Any) -> None:
    titles = {title_of(slide): slide for slide in deck.slides}
    # 12 members fit at 16 pt (at 18 pt they would not): the table uses the slide.
    assert min(_table_sizes(titles["出席者"])) == 16
    assert min(_table_sizes(titles["出席者（県側出席者）"])) >= 12
    roadmap = [slide for slide in deck.slides if "ロードマップ　" in title_of(slide)]
    assert len(roadmap) == 3 and all(min(_table_sizes(s)) >= TABLE_MIN for s in roadmap)
    # The smallest field (21 projects) reads larger than the largest (28).
    assert min(_table_sizes(roadmap[2])) > min(_table_sizes(roadmap[0]))


def test_fit_table_picks_the_largest_size_and_balances() -> None:
    widths = (3.0, 3.0)

    def table(rows: int) -> Any:
        def make(size: float) -> TableFlow:
            header = [cell("見出し", size, True), cell("値", size, True)]
            return TableFlow(
                widths, header, [Row([cell(f"行{i}", size), cell("1", size)]) for i in range(rows)]
            )

        return make

    for rows in (3, 10, 14):
        size, frames = fit_table(table(rows), TABLE_SCALE, 5.0)
        assert len(frames) == 1
        assert all(frame.wrap(5.0) <= 5.0 for frame in frames)
        larger = [s for s in TABLE_SCALE if s > size]
        if larger:  # the next size up does not fit on one slide
            assert table(rows)(min(larger)).wrap(5.0) > 5.0
    size, frames = fit_table(table(41), TABLE_SCALE, 5.0)
    assert size == TABLE_MIN and len(frames) == 3
    assert sorted(len(frame.row_keys()) for frame in frames) == [13, 14, 14]  # not 17, 17, 7


def _grow(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    folder = tmp_path / "fy2024-h1"
    shutil.copytree(SAMPLE, folder)
    with (folder / name).open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def test_members_continue_in_balanced_parts(tmp_path: Path) -> None:
    rows = [[f"委員 {i:02d}", f"株式会社サンプル{i} 代表取締役", ""] for i in range(40)]
    deck = _build(_grow(tmp_path, "members.csv", rows))
    slides = [s for s in deck.slides if title_of(s) in ("出席者", "出席者" + CONTINUED)]
    counts = [len(table.rows) - 1 for slide in slides for table in tables_of(slide)]
    assert sum(counts) == 52 and len(counts) >= 2
    assert max(counts) - min(counts) <= 1, counts
    # As many slides as the smallest size needs, at the largest size that fills them.
    assert len({frozenset(_table_sizes(slide)) for slide in slides}) == 1
    assert min(_table_sizes(slides[0])) >= TABLE_MIN


def test_roadmap_columns_are_balanced(tmp_path: Path) -> None:
    with (SAMPLE / "projects.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        template = next(reader)
        header = list(reader.fieldnames or [])
    rows = []
    for no in range(77, 177):
        row = dict(template, no=str(no), name=f"追加の事業その{no}", featured="")
        rows.append([row[column] for column in header])
    deck = _build(_grow(tmp_path, "projects.csv", rows))
    field = template["field"]
    slides = [s for s in deck.slides if "ロードマップ　" in title_of(s) and field in title_of(s)]
    assert len(slides) >= 2
    heights = [sum(row.height for row in table.rows) for slide in slides for table in tables_of(slide)]
    # Every column as full as the fullest, within a row or two (no 15 rows left against 5 right).
    assert min(heights) >= 0.8 * max(heights), heights


# --- point 4: rates that differ from the published ones -------------------------------------

# indicators.csv rows 8 E, 27 C/E, 28 C, 31 C/E: (indicator, rate column, published value)
PUBLISHED = [
    ("スマート農業機械の導入台数", 5, "70.5%"),
    ("県内市町村におけるテレワークの導入率", 3, "66.5%"),
    ("県内市町村におけるテレワークの導入率", 5, "74.8%"),
    ("県内市町村におけるAIの導入率", 3, "55.0%"),
    ("DX推進のための職員育成に取り組む市町村の割合", 3, "92.9%"),
    ("DX推進のための職員育成に取り組む市町村の割合", 5, "92.9%"),
]


def test_published_rates_that_differ_are_marked_and_explained(deck: Any) -> None:
    found = []
    for slide in deck.slides:
        texts = [shape.text_frame.text.replace("\v", "") for shape in slide.shapes if shape.has_text_frame]
        for table in tables_of(slide):
            for row in list(table.rows)[1:]:
                cells = [c.text_frame.text.replace("\v", "") for c in row.cells]
                if len(cells) != 7:
                    continue  # not an indicator table
                for column in (3, 5):
                    mark = re.search(r"(※\d+)$", cells[column])
                    if mark is None:
                        continue
                    notes = [
                        line
                        for text in texts
                        for line in text.split("\n")
                        if line.startswith(mark.group(1) + " ")
                    ]
                    assert len(notes) == 1, (title_of(slide), cells[0], mark.group(1))
                    published = re.search(r"（公表値 (.+)）$", notes[0])
                    assert notes[0].startswith(f"{mark.group(1)} 達成率は値と目標値から再計算しています")
                    assert published is not None
                    found.append((cells[0], column, published.group(1)))
    assert sorted(found) == sorted(PUBLISHED)


def test_footnotes_are_large_enough(deck: Any) -> None:
    sizes = [
        run.font.size.pt
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for para in shape.text_frame.paragraphs
        if "再計算しています" in "".join(run.text for run in para.runs)
        for run in para.runs
    ]
    assert len(sizes) == 6 and min(sizes) >= NOTE_MIN


# --- third-party checker --------------------------------------------------------------------


def test_ooxml_integrity(tmp_path: Path) -> None:
    integrity = pytest.importorskip(
        "ooxml_integrity", reason="ooxml-integrity is not installed (pip install -e '.[dev]')"
    )
    path = tmp_path / "deck.pptx"
    data, _ = validate_period(SAMPLE)
    assert data is not None
    path.write_bytes(build_deck(compute(data)))
    findings = integrity.check_pptx(path)
    assert [(f.code, f.where, f.message) for f in findings] == []
