"""The Word report as printed (issue 12, points 2–6), checked on the .docx without rendering.

Page flow: headings and captions keep with what follows, chapters break pages only where they
should, and a picture that is not there leaves no caption.  Tables: numbers with their unit and
every header phrase fit their column (so no cell breaks 「100.0 / %」 or 「×100= / E」), and no
column is empty on every row.  Type: bold text in the Gothic face (BIZ UDP明朝 has no bold weight),
headings Gothic and bold.  Words: dates in running text as the material prints them, the KPIs by
name (their ids are ours, not the material's).
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image
from seed import period_result

from aomori_dx.compute import Result
from aomori_dx.format import japanese_date
from aomori_dx.model import Figure, Paragraph
from aomori_dx.render.layout import text_width, word_width
from aomori_dx.render.report import build_report
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "fy2024-h1"
MINCHO = "BIZ UDP明朝"
GOTHIC = "BIZ UDPゴシック"
TWIPS_PER_MM = 56.6929
CELL_MARGINS_MM = 2 * 70 / TWIPS_PER_MM
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def doc(result: Result) -> Any:
    return docx.Document(io.BytesIO(build_report(result)))


def _flag(props: Any, tag: str) -> bool | None:
    """An on/off property (``w:b``, ``w:keepNext``…) of ``props``: ``None`` when not set."""
    if props is None:
        return None
    element = props.find(qn(tag))
    if element is None:
        return None
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _style_chain(doc: Any, style_id: str | None) -> Iterator[Any]:
    """The style and the styles it is based on, nearest first."""
    styles = doc.styles.element
    while style_id:
        found = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if found is None:
            return
        yield found
        based = found.find(qn("w:basedOn"))
        style_id = None if based is None else based.get(qn("w:val"))


def _from_styles(doc: Any, style_id: str | None, pick: Any) -> Any:
    for style in _style_chain(doc, style_id):
        value = pick(style)
        if value is not None:
            return value
    return None


def _east_asia(rpr: Any) -> str | None:
    fonts = None if rpr is None else rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _run_look(doc: Any, paragraph: Any, run: Any) -> tuple[str | None, bool]:
    """The East Asian font and the boldness a run is shown with: run, character style, paragraph
    style, in Word's order."""
    rpr = run.find(qn("w:rPr"))
    char_style = (
        None if rpr is None or rpr.find(qn("w:rStyle")) is None else rpr.find(qn("w:rStyle")).get(qn("w:val"))
    )
    ppr = paragraph.find(qn("w:pPr"))
    para_style = "Normal"
    if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
        para_style = ppr.find(qn("w:pStyle")).get(qn("w:val"))
    font = _east_asia(rpr)
    bold = _flag(rpr, "w:b")
    for style_id in (char_style, para_style):
        if font is None:
            font = _from_styles(doc, style_id, lambda s: _east_asia(s.find(qn("w:rPr"))))
        if bold is None:
            bold = _from_styles(doc, style_id, lambda s: _flag(s.find(qn("w:rPr")), "w:b"))
    return font, bool(bold)


def _paragraph_style(paragraph: Any) -> str:
    ppr = paragraph.find(qn("w:pPr"))
    found = None if ppr is None else ppr.find(qn("w:pStyle"))
    return "Normal" if found is None else str(found.get(qn("w:val")))


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


# --- point 2: page flow ---------------------------------------------------------------------


def test_headings_keep_with_next_whatever_the_template(doc: Any) -> None:
    headings = [
        p for p in doc.element.body.iter(qn("w:p")) if re.fullmatch(r"Heading[123]", _paragraph_style(p))
    ]
    assert len(headings) > 40
    loose = [_text(p) for p in headings if not _flag(p.find(qn("w:pPr")), "w:keepNext")]
    assert loose == []


def test_captions_keep_with_their_table(doc: Any) -> None:
    body = list(doc.element.body)
    captions = [
        i for i, block in enumerate(body) if block.tag == qn("w:p") and _paragraph_style(block) == "Caption"
    ]
    assert captions, "the sample has titled tables"
    for index in captions:
        assert _flag(body[index].find(qn("w:pPr")), "w:keepNext"), _text(body[index])
        assert body[index + 1].tag == qn("w:tbl"), _text(body[index])


def test_a_picture_keeps_with_its_caption(period_copy: Path) -> None:
    image = period_copy / "projects" / "images" / "t.png"
    image.parent.mkdir(parents=True)
    Image.new("RGB", (400, 300), (60, 120, 60)).save(image)
    sheet = period_copy / "projects" / "8.md"
    sheet.write_text(sheet.read_text("utf-8") + "\n![トラクター](images/t.png)\n", "utf-8")
    document = docx.Document(io.BytesIO(build_report(period_result(period_copy))))
    paragraphs = list(document.element.body.iter(qn("w:p")))
    (index,) = [i for i, p in enumerate(paragraphs) if p.find(f".//{qn('w:drawing')}") is not None]
    assert _flag(paragraphs[index].find(qn("w:pPr")), "w:keepNext")
    assert _paragraph_style(paragraphs[index + 1]) == "Caption"
    assert _text(paragraphs[index + 1]) == "トラクター"


def test_a_missing_picture_leaves_no_caption(result: Result) -> None:
    # validate stops a build on a missing picture (missing-image); a result holding one anyway
    # (a library caller) must not print a caption for a picture that is not there.
    case = result.period.cases[0]
    lost = Figure("images/none.png", "幻のグラフ", path="")
    cases = (
        dataclasses.replace(case, blocks=(*case.blocks, lost, Paragraph("図の後の文。"))),
        *result.period.cases[1:],
    )
    broken = dataclasses.replace(result, period=dataclasses.replace(result.period, cases=cases))
    document = docx.Document(io.BytesIO(build_report(broken)))
    texts = [p.text for p in document.paragraphs]
    assert "図の後の文。" in texts
    assert not any("幻のグラフ" in text for text in texts)
    assert list(document.element.body.iter(qn("w:drawing"))) == []


def test_a_missing_picture_is_reported_once_by_validate(period_copy: Path) -> None:
    sheet = period_copy / "projects" / "8.md"
    sheet.write_text(sheet.read_text("utf-8") + "\n![幻のグラフ](images/none.png)\n", "utf-8")
    _, report = validate_period(period_copy)
    found = [issue for issue in report.errors if issue.code == "missing-image"]
    assert [(Path(issue.file).name, issue.value) for issue in found] == [("8.md", "images/none.png")]


def _page_break(paragraph: Any) -> bool:
    """Whether a heading starts a new page: its own pageBreakBefore, else its style's."""
    own = _flag(paragraph.find(qn("w:pPr")), "w:pageBreakBefore")
    return bool(own) if own is not None else False


def test_chapters_break_pages_where_they_should(doc: Any) -> None:
    body = doc.element.body
    chapters = [(p, _text(p)) for p in body.iter(qn("w:p")) if _paragraph_style(p) == "Heading1"]
    breaking = [text for p, text in chapters if _page_break(p)]
    # The first chapter after the contents and the project sheets; the others follow on, so that
    # no page carries only the last lines of a chapter (every heading overrides the style's break).
    assert breaking == ["1 基本目標", "6 主な取組の詳細"]
    # A chapter that follows on mid-page has room above it (the style has none: it was a page top).
    before = {text: p.find(f"{qn('w:pPr')}/{qn('w:spacing')}") for p, text in chapters if not _page_break(p)}
    assert {text: int(s.get(qn("w:before"))) for text, s in before.items() if s is not None} == {
        text: 360 for text in before
    }
    assert all(_flag(p.find(qn("w:pPr")), "w:pageBreakBefore") is not None for p, _ in chapters)
    sheets = [
        p for p in body.iter(qn("w:p")) if _paragraph_style(p) == "Heading2" and _text(p).startswith("No.")
    ]
    assert [_page_break(p) for p in sheets] == [False, True, True, True, True]


# --- point 3: numbers and headers that never break -----------------------------------------


def _grid_mm(table: Any) -> list[float]:
    # The table's own grid (a dashboard cell holds a nested table with a grid of its own).
    grid = table._tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    return [int(col.get(qn("w:w"))) / TWIPS_PER_MM for col in grid]


def _indicator_tables(doc: Any) -> list[Any]:
    return [t for t in doc.tables if t.rows[0].cells[0].text == "中間指標名"]


def test_indicator_headers_are_phrases_that_fit_and_the_formula_is_a_note(doc: Any) -> None:
    tables = _indicator_tables(doc)
    assert len(tables) == 8
    for table in tables:
        widths = _grid_mm(table)
        header = [cell.text for cell in table.rows[0].cells]
        assert header[3] == "前期の\n達成率\n(B/A)" and header[5] == "直近の\n達成率\n(D/A)"
        assert not any("=" in text or "×" in text for text in header)
        for text, width in zip(header, widths, strict=True):
            for line in text.split("\n"):
                assert word_width(line, 9 * 1.05) * 25.4 <= width - CELL_MARGINS_MM, (line, width)
    notes = [p.text for p in doc.paragraphs if p.text.startswith("※ 達成率 ＝")]
    assert (
        notes
        == ["※ 達成率 ＝ 値 ÷ 目標値 × 100（前期の達成率 ＝ B ÷ A × 100、直近の達成率 ＝ D ÷ A × 100）"] * 8
    )


def test_numbers_with_their_unit_fit_their_column(doc: Any) -> None:
    checked = 0
    for table in _indicator_tables(doc):
        widths = _grid_mm(table)
        for row in list(table.rows)[1:]:
            for column in (1, 2, 3, 4, 5):
                first = row.cells[column].paragraphs[0].text
                # The number and its unit are one word (no space to break at) …
                assert re.fullmatch(r"—|▲?[\d,]+(\.\d+)?[^\s\d]{0,4}", first), first
                # … and the column is wide enough for it whole.
                assert word_width(first, 9) * 25.4 <= widths[column] - CELL_MARGINS_MM, (
                    first,
                    widths[column],
                )
                checked += 1
    assert checked == 30 * 5
    # The widest figures of the sample, which broke before: 87,974,100枚 and ▲2,799,388枚.
    cells = {
        cell.paragraphs[0].text
        for table in _indicator_tables(doc)
        for row in table.rows
        for cell in row.cells
    }
    assert {"87,974,100枚", "▲2,799,388枚", "100.0%"} <= cells


def test_indicator_columns_are_the_same_in_every_table(doc: Any) -> None:
    widths = {tuple(round(w, 1) for w in _grid_mm(table)) for table in _indicator_tables(doc)}
    assert len(widths) == 1


# --- point 4: columns that carry data -------------------------------------------------------


def _has_content(tc: Any) -> bool:
    return (
        bool(_text(tc).strip())
        or tc.find(f".//{qn('w:tbl')}") is not None
        or tc.find(f".//{qn('w:drawing')}") is not None
    )


def _empty_columns(table: Any) -> list[int]:
    columns = len(_grid_mm(table))
    filled = [False] * columns
    for tr in table._tbl.findall(qn("w:tr"))[1:]:
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = 1 if span_el is None else int(span_el.get(qn("w:val")))
            if _has_content(tc):
                for i in range(column, column + span):
                    filled[i] = True
            column += span
    return [i for i, full in enumerate(filled) if not full]


def _is_plan_grid(table: Any) -> bool:
    return [cell.text for cell in table.rows[0].cells[:2]] == ["取組", "区分"]


def test_no_table_has_a_column_empty_on_every_row(doc: Any) -> None:
    # The plan/actual grid is left out: its columns are the roadmap's years, where an empty year
    # is a fact (nothing planned yet), as in the meeting material.
    tables = [t for t in doc.tables if not _is_plan_grid(t)]
    assert len(tables) > 20
    assert {i: _empty_columns(t) for i, t in enumerate(tables) if _empty_columns(t)} == {}


def test_roadmap_prints_the_known_divisions_after_the_name(doc: Any, result: Result) -> None:
    roadmap = [
        t for t in doc.tables if t.rows[0].cells[0].text == "項目" and t.rows[0].cells[1].text == "No."
    ]
    assert len(roadmap) == 3
    assert all(len(t.columns) == 3 for t in roadmap)
    names = {row.cells[2].text for t in roadmap for row in t.rows}
    assert "物価高騰対応「スマート農業機械」導入促進事業（農林水産政策課）" in names
    assert "食品事業者等デジタルマーケティング活用販路拡大支援事業" in names


def test_a_markdown_table_loses_its_empty_column(period_copy: Path) -> None:
    sheet = period_copy / "projects" / "8.md"
    table = "\n## 空の列\n\n| 区域 | 備考 | 件数 |\n|---|---|---|\n| 東青 |  | 3件 |\n| 津軽 |  | 5件 |\n"
    sheet.write_text(sheet.read_text("utf-8") + table, "utf-8")
    document = docx.Document(io.BytesIO(build_report(period_result(period_copy))))
    (found,) = [t for t in document.tables if t.rows[0].cells[0].text == "区域"]
    assert [[cell.text for cell in row.cells] for row in found.rows] == [
        ["区域", "件数"],
        ["東青", "3件"],
        ["津軽", "5件"],
    ]


def test_a_diagram_is_drawn_with_bands_across_the_fields(doc: Any, result: Result) -> None:
    (diagram,) = [t for t in doc.tables if t.rows[0].cells[0].text == "産業・しごと分野"]
    assert [cell.text for cell in diagram.rows[0].cells] == [
        "産業・しごと分野",
        "暮らし・まち分野",
        "行政経営分野",
    ]
    bands = [row.cells[0].text for row in list(diagram.rows)[1:]]
    assert bands == [
        "デジタル人財",
        "誰でも安全・安心に使えるデジタル",
        "データの利活用",
        "デジタル基盤の整備",
    ]
    spans = [
        tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        for tr in diagram._tbl.findall(qn("w:tr"))[1:]
        for tc in tr.findall(qn("w:tc"))
    ]
    assert [span.get(qn("w:val")) for span in spans] == ["3"] * 4


# --- point 5: real typefaces ----------------------------------------------------------------


def _runs(doc: Any) -> Iterator[tuple[Any, Any]]:
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            for run in paragraph.findall(qn("w:r")):
                if _text(run):
                    yield paragraph, run


def test_no_run_in_the_mincho_is_bold(doc: Any) -> None:
    looks = [(*_run_look(doc, p, r), _text(r)) for p, r in _runs(doc)]
    assert [text for font, bold, text in looks if font == MINCHO and bold] == []
    bold = [(font, text) for font, bold, text in looks if bold]
    # The bold that was synthesised before: the KPI lines, the roadmap's 【分野】, the table titles.
    assert {"KPI 33.0%（達成率の単純平均）", "【産業・しごと分野】"} <= {text for _, text in bold}
    assert {font for font, _ in bold} == {GOTHIC}
    assert sum(1 for font, _, _ in looks if font == MINCHO) > 100


def test_headings_and_bold_text_use_the_gothic_with_its_bold(doc: Any) -> None:
    for style_id in ("Heading1", "Heading2", "Heading3", "GothicBold"):
        assert _from_styles(doc, style_id, lambda s: _east_asia(s.find(qn("w:rPr")))) == GOTHIC, style_id
        assert _from_styles(doc, style_id, lambda s: _flag(s.find(qn("w:rPr")), "w:b")) is True, style_id
    # The body face itself is never bold.
    assert not _from_styles(doc, "Normal", lambda s: _flag(s.find(qn("w:rPr")), "w:b"))


# --- point 6: dates and labels as the material prints them ----------------------------------


def test_no_iso_date_in_running_text_and_the_as_of_date_in_japanese(doc: Any, result: Result) -> None:
    texts = [p.text for p in doc.paragraphs] + [
        cell.text for t in doc.tables for row in t.rows for cell in row.cells
    ]
    assert [text for text in texts if ISO_DATE.search(text)] == []
    as_of = result.period.meeting.as_of
    assert as_of is not None
    assert japanese_date(as_of, weekday=False) == "令和6年11月30日"
    assert any("基準日 令和6年11月30日" in text for text in texts)


def test_kpis_are_named_without_our_ids(doc: Any) -> None:
    texts = [p.text for p in doc.paragraphs]
    assert [t for t in texts if re.match(r"K\d ", t)] == []
    assert "県内企業のDXの推進状況" in texts


def test_no_header_line_is_wider_than_its_column(doc: Any) -> None:
    # Every table's header row: each line (the breaks are written between phrases) fits its
    # column by the generous estimate, so no viewer breaks a header word (「育 / 成年数」).
    checked = 0
    for table in doc.tables:
        header = table._tbl.findall(qn("w:tr"))[0]
        if header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            continue
        widths, column = _grid_mm(table), 0
        for tc in header.findall(qn("w:tc")):
            span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = 1 if span_el is None else int(span_el.get(qn("w:val")))
            width = sum(widths[column : column + span]) - CELL_MARGINS_MM
            for paragraph in tc.findall(qn("w:p")):
                lines = "".join(
                    "\n" if child.tag == qn("w:br") else child.text or ""
                    for child in paragraph.iter(qn("w:t"), qn("w:br"))
                )
                for line in lines.split("\n"):
                    assert text_width(line, 9 * 1.05) * 25.4 <= width, (line, width)
                    checked += 1
            column += span
    assert checked > 100


def test_a_long_header_breaks_between_phrases(period_copy: Path) -> None:
    sheet = period_copy / "projects" / "8.md"
    table = "\n## 育成\n\n| 区分 | デジタル人材育成ステージ | 育成年数 | R6 | R7 | R8 | R9 | R10 | R11 | R12 | 累計 |\n|---|---|---|---|---|---|---|---|---|---|---|\n| 意欲ある職員 | ① 業務効率化 | 1年 | 200 | 200 | 200 | 200 | 200 | 200 | 200 | 1,400 |\n"
    sheet.write_text(sheet.read_text("utf-8") + table, "utf-8")
    document = docx.Document(io.BytesIO(build_report(period_result(period_copy))))
    (found,) = [t for t in document.tables if t.rows[0].cells[0].text == "区分" and len(t.columns) == 11]
    header = [cell.text for cell in found.rows[0].cells]
    assert header[1] in (
        "デジタル人材育成\nステージ",
        "デジタル\n人材育成\nステージ",
        "デジタル人材育成ステージ",
    )
    assert header[2] == "育成年数"
    assert found.rows[1].cells[0].text == "意欲ある職員"


def _kept(paragraph: Any) -> bool:
    return bool(_flag(paragraph.find(qn("w:pPr")), "w:keepNext"))


def test_each_roadmap_field_and_the_main_projects_stay_on_one_page(doc: Any) -> None:
    body = list(doc.element.body)
    roadmap = [
        i
        for i, block in enumerate(body)
        if block.tag == qn("w:tbl")
        and [_text(tc) for tc in block.find(qn("w:tr")).findall(qn("w:tc"))][:2] == ["項目", "No."]
    ]
    assert len(roadmap) == 3
    for index in roadmap:
        paragraphs = [p for tr in body[index].findall(qn("w:tr")) for p in tr.iter(qn("w:p"))]
        # Every row keeps with the next, the last one with the note under the table.
        assert all(_kept(p) for p in paragraphs)
        assert _text(body[index + 1]) == "太字は各分野の主な取組です。"
        assert not _kept(body[index + 1])
    # The main projects open the chapter, before the tables, kept together with their heading.
    start = next(
        i for i, b in enumerate(body) if _text(b) == "各分野の主な取組" and _paragraph_style(b) == "Heading2"
    )
    assert start < roadmap[0]
    listed = body[start : roadmap[0] - 1]
    assert [_text(p) for p in listed][1:3] == [
        "【産業・しごと分野】",
        "1. 物価高騰対応「スマート農業機械」導入促進事業（農林水産政策課）",
    ]
    assert all(_kept(p) for p in listed[:-1]) and not _kept(listed[-1])
