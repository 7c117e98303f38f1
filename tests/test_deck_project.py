"""Featured project slides (issue 11, point 2): one slide when the header table, the grid and
the details fit at the minimum sizes, else the grid slide and then the details, each filling its
slide; the grid's plan/actual spans are filled merged cells (bars) with text of 11 pt or more.

The sample deck is built once; the other cases change a copy of the sample period.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from aomori_dx.compute import compute
from aomori_dx.render.deck import build_deck
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "fy2024-h1"
EMU = 914400
BODY_MIN, TABLE_MIN, NOTE_MIN = 12.0, 11.0, 10.0
LEGEND = "の色つきの範囲が取組の期間"
PAGE_NUMBER = re.compile(r"^\d+ / \d+$")
CONTINUED = "（続き）"


def _deck(period: Path) -> Any:
    data, report = validate_period(period)
    assert data is not None, report.errors
    return Presentation(io.BytesIO(build_deck(compute(data))))


@pytest.fixture(scope="module")
def sample() -> Any:
    return _deck(SAMPLE)


def _title(slide: Any) -> str:
    return slide.shapes.title.text_frame.text.replace("\v", "") if slide.shapes.title is not None else ""


def _project(prs: Any, no: int) -> list[Any]:
    return [slide for slide in prs.slides if _title(slide).startswith(f"No.{no} ")]


def _tables(slide: Any) -> list[Any]:
    return [shape.table for shape in slide.shapes if shape.has_table]


def _grid(slide: Any) -> Any:
    return next(table for table in _tables(slide) if table.cell(0, 0).text == "取組")


def _text(slide: Any) -> str:
    return "\n".join(
        shape.text_frame.text.replace("\v", "") for shape in slide.shapes if shape.has_text_frame
    )


def _sizes(element: Any) -> Iterator[tuple[float, str]]:
    for run in element.iter(qn("a:r")):
        yield int(run.find(qn("a:rPr")).get("sz")) / 100, run.findtext(qn("a:t")) or ""


def _too_small(slide: Any) -> list[tuple[str, float, str]]:
    """Runs below the type scale: table text under 11 pt, the grid's legend (a note) under
    10 pt, other text under 12 pt; the running header above the title and the page number are
    allowed to be smaller."""
    small = []
    for shape in slide.shapes:
        if shape == slide.shapes.title:
            continue
        if shape.has_table:
            small += [("table", size, text) for size, text in _sizes(shape._element) if size < TABLE_MIN]
            continue
        if not shape.has_text_frame:
            continue
        text = shape.text_frame.text.replace("\v", "")
        if PAGE_NUMBER.match(text) or shape.top / EMU < 0.5:
            continue
        least = NOTE_MIN if LEGEND in text else BODY_MIN
        small += [("text", size, run) for size, run in _sizes(shape._element) if size < least]
    return small


# --- the sample ---------------------------------------------------------------------------------


def test_slides_per_featured_project_on_the_sample(sample: Any) -> None:
    # No.8 fits on one slide at body 12 pt / tables 11 pt (its two small tables side by side);
    # the others need more than a slide even at the minimum: grid slide, then details slide.
    counts = {no: len(_project(sample, no)) for no in (8, 24, 42, 59, 63)}
    assert counts == {8: 1, 24: 2, 42: 2, 59: 2, 63: 2}
    assert not any(_title(s).endswith(CONTINUED) for no in counts for s in _project(sample, no))


def test_the_one_slide_project_holds_header_grid_and_details(sample: Any) -> None:
    (slide,) = _project(sample, 8)
    tables = _tables(slide)
    assert [table.cell(0, 0).text for table in tables] == ["No.", "取組", "分野", "地域"]
    text = _text(slide)
    for heading in ("● 事業概要", "● 取組状況", "● 事業効果", "品目別申込状況", "地域別申込状況"):
        assert heading in text, heading
    assert "当初 10億円 ⇒ 20億8,250万1千円" in text
    # The two small tables sit side by side, in the right column under 事業効果.
    frames = [shape for shape in slide.shapes if shape.has_table]
    assert frames[2].top == frames[3].top and frames[2].left < frames[3].left
    assert all(shape.top + shape.height <= sample.slide_height for shape in slide.shapes)


def test_no_run_on_the_featured_project_slides_is_below_the_minimum(sample: Any) -> None:
    slides = [slide for no in (8, 24, 42, 59, 63) for slide in _project(sample, no)]
    assert len(slides) == 9
    assert [(_title(slide)[:6], _too_small(slide)) for slide in slides if _too_small(slide)] == []


def test_the_one_slide_project_is_at_the_minimum_sizes(sample: Any) -> None:
    (slide,) = _project(sample, 8)
    grid = next(shape for shape in slide.shapes if shape.has_table and shape.table.cell(0, 0).text == "取組")
    assert {size for size, _ in _sizes(grid._element)} == {TABLE_MIN}
    body = [
        shape
        for shape in slide.shapes
        if shape.has_text_frame and "● 事業概要" in shape.text_frame.text.replace("\v", "")
    ]
    assert min(size for size, _ in _sizes(body[0]._element)) == BODY_MIN


def test_grid_spans_are_filled_bars_with_text_of_11_pt_or_more(sample: Any) -> None:
    checked = 0
    for no in (8, 24, 42, 59, 63):
        grid = _grid(_project(sample, no)[0])
        assert min(size for size, _ in _sizes(grid._tbl)) >= TABLE_MIN
        for row in list(grid.rows)[1:]:
            kind = row.cells[1].text
            for cell in list(row.cells)[2:]:
                if not cell.text or cell.is_spanned:
                    continue
                fill = cell._tc.find(f"{qn('a:tcPr')}/{qn('a:solidFill')}/{qn('a:schemeClr')}")
                assert fill is not None, (no, cell.text)
                assert fill.get("val") == {"計画": "accent1", "実績": "accent4"}[kind], (no, cell.text)
                checked += 1
    # Every span of the five projects (overlapping entries of a row are one span): 2 + 4 + 15 + 8 + 7.
    assert checked == 36
    # A span over two years is one merged cell (R7–R8 of No.42's first activity).
    grid = _grid(_project(sample, 42)[0])
    span = grid.cell(1, 3)
    assert (span.text, span.span_width, grid.cell(1, 4).is_spanned) == ("②全県立中学、高校で展開", 2, True)


def test_a_grid_slide_is_filled_with_a_larger_grid(sample: Any) -> None:
    # No.24's grid is short: alone with the header it is set at 18 pt and its rows share the room.
    slide = _project(sample, 24)[0]
    grid = next(shape for shape in slide.shapes if shape.has_table and shape.table.cell(0, 0).text == "取組")
    assert {size for size, _ in _sizes(grid._element)} == {18.0}
    assert (grid.top + grid.height) / EMU > 6.4
    details = _project(sample, 24)[1]
    assert "● 事業概要" in _text(details)
    assert [table.cell(0, 0).text for table in _tables(details)] == ["登録者数"]


# --- changed periods ------------------------------------------------------------------------------


def _sheet(period: Path, no: int, text: str) -> None:
    (period / "projects" / f"{no}.md").write_text(text, "utf-8")


def test_a_long_sheet_falls_back_to_the_grid_slide_and_details(period_copy: Path) -> None:
    bullets = "".join(
        f"- 追加の取組 {i}：" + "県内の事業者と連携した実証と普及の取組を進めている。" * 3 + "\n"
        for i in range(40)
    )
    sheet = period_copy / "projects" / "8.md"
    sheet.write_text(sheet.read_text("utf-8") + "\n## 追加の取組\n\n" + bullets, "utf-8")
    slides = _project(_deck(period_copy), 8)
    title = "No.8 物価高騰対応「スマート農業機械」導入促進事業（農林水産政策課）"
    assert [_title(slide) for slide in slides] == [title, title, title + CONTINUED, title + CONTINUED]
    grid_slide, *details = slides
    # The grid slide: the header table and the grid, larger than on the one-slide layout.
    assert [table.cell(0, 0).text for table in _tables(grid_slide)] == ["No.", "取組"]
    assert "●" not in _text(grid_slide)
    assert min(size for size, _ in _sizes(_grid(grid_slide)._tbl)) > TABLE_MIN
    # The details from a new slide, every bullet kept, none below the minimum body size.
    assert "● 事業概要" in _text(details[0])
    joined = "".join(_text(slide) for slide in details)
    assert all(f"追加の取組 {i}：" in joined for i in range(40))
    for slide in details:
        texts = [s for s in slide.shapes if s.has_text_frame and s != slide.shapes.title]
        assert all(
            size >= BODY_MIN
            for shape in texts
            if not PAGE_NUMBER.match(shape.text_frame.text.replace("\v", ""))
            for size, _ in _sizes(shape._element)
        )


def test_a_short_sheet_is_one_slide_at_the_largest_size(period_copy: Path) -> None:
    _sheet(period_copy, 24, "## 事業概要\n\n- 青森ファンプラットフォームを運用する。\n")
    (slide,) = _project(_deck(period_copy), 24)
    grid = next(shape for shape in slide.shapes if shape.has_table and shape.table.cell(0, 0).text == "取組")
    header = next(shape for shape in slide.shapes if shape.has_table and shape.table.cell(0, 0).text == "No.")
    body = next(
        shape
        for shape in slide.shapes
        if shape.has_text_frame and "運用する" in shape.text_frame.text.replace("\v", "")
    )
    # The top of the scale: body 16 pt (the heading 20 pt), tables 14 pt.
    assert {size for size, _ in _sizes(grid._element)} == {14.0}
    assert {size for size, _ in _sizes(header._element)} == {14.0}
    assert sorted({size for size, _ in _sizes(body._element)}) == [16.0, 20.0]


def test_a_project_without_a_sheet_is_its_grid_slide(period_copy: Path) -> None:
    (period_copy / "projects" / "8.md").unlink()
    (slide,) = _project(_deck(period_copy), 8)
    assert [table.cell(0, 0).text for table in _tables(slide)] == ["No.", "取組"]
    assert {size for size, _ in _sizes(_grid(slide)._tbl)} == {18.0}
