"""The Word report (``build_report`` and ``aomori-dx build``) read back with python-docx.

The sample report is built once per module.  The tests check what a reader of the printed report
sees against the computed model: the page, the header and footer, the table of contents and the
headings, every indicator table cell, the roadmap lists, a project sheet; and what Word and other
viewers need: real heading styles, repeated header rows, rows that never split, East Asian fonts
in the styles (never on runs), deterministic bytes.  Table rows are read with ``rows[r].cells``
(``table.cell(r, c)`` is several times slower).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree
from PIL import Image
from seed import period_result
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.compute import Result
from aomori_dx.errors import TemplateError
from aomori_dx.format import japanese_date, percent, points, value_with_unit
from aomori_dx.parse import Period
from aomori_dx.render.report import DEFAULT_REPORT_TEMPLATE, ReportOptions, build_report

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
SAMPLE_ARG = "inputs/fy2024-h1"
BODY_FONT = "BIZ UDP明朝"
HEADING_FONT = "BIZ UDPゴシック"
NOTO = "Noto Serif CJK JP"
EMU_PER_TWIP = 635
MM_SLACK = 0.5
PUBLISHED_KPIS = ["33.0", "66.5", "22.9", "62.6", "43.5", "63.1", "54.3", "31.0"]
CHAPTERS = [
    "基本目標",
    "目標達成状況（ダッシュボード）",
    "中間指標の状況",
    "代表的な事例",
    "令和6年度DX関連事業ロードマップ",
    "主な取組の詳細",
    "ディスカッションのテーマ",
]
INDICATOR_HEADER = [
    "中間指標名",
    "目標値\n(A)",
    "前期の値\n(B)",
    "前期の\n達成率\n(B/A)",
    "直近の値\n(D)",
    "直近の\n達成率\n(D/A)",
    "データの出所",
]
# A number as the tables print it: ▲ for negatives, separators, decimals, then % or a short unit.
NUMBER = re.compile(r"^▲?\d[\d,]*(\.\d+)?(%|[^\s\d]{1,4})?$")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

runner = CliRunner()


# --- the sample report, built once ----------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """The sample's result, the report's bytes and the report read back."""

    result: Result
    data: bytes
    doc: Any

    def part(self, name: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            return archive.read(name)

    def xml(self, name: str) -> Any:
        return etree.fromstring(self.part(name))

    @property
    def tables(self) -> list[Any]:
        return list(self.doc.tables)


@pytest.fixture(scope="module")
def built(result: Result) -> Built:
    data = build_report(result, ReportOptions(template=DEFAULT_REPORT_TEMPLATE), lambda _: None)
    return Built(result, data, docx.Document(io.BytesIO(data)))


@pytest.fixture(scope="module")
def built_noto(result: Result) -> Built:
    data = build_report(result, ReportOptions(font=NOTO))
    return Built(result, data, docx.Document(io.BytesIO(data)))


def heading_level(paragraph: Any) -> int:
    """1–3 for a paragraph in a Heading style, else 0."""
    name = paragraph.style.name if paragraph.style is not None else ""
    match = re.fullmatch(r"Heading ([1-9])", name)
    return int(match.group(1)) if match else 0


def paragraph_texts(cell: Any) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs]


def cell_texts(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def raw_cells(row: Any) -> list[Any]:
    """The row's ``w:tc`` elements as written (a merged cell once, not once per grid column)."""
    return list(row._tr.findall(qn("w:tc")))


def raw_text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


@dataclass
class Chapter:
    """A Heading 2 part of the body: its Heading 1 and 2 and the blocks that follow them."""

    h1: str
    h2: str
    blocks: list[Any]

    @property
    def tables(self) -> list[Any]:
        return [block for block in self.blocks if isinstance(block, DocxTable)]


def chapters(built: Built) -> list[Chapter]:
    """The body cut at every Heading 1 and 2 (deeper headings stay inside their Heading 2)."""
    parts: list[Chapter] = []
    h1 = h2 = ""
    for block in built.doc.iter_inner_content():
        level = heading_level(block) if isinstance(block, DocxParagraph) else 0
        if level == 1:
            h1, h2 = block.text, ""
            parts.append(Chapter(h1, h2, []))
            continue
        if level == 2:
            h2 = block.text
            parts.append(Chapter(h1, h2, []))
            continue
        if parts:
            parts[-1].blocks.append(block)
    return parts


def chapter(built: Built, h1_title: str, h2: str = "") -> Chapter:
    found = [c for c in chapters(built) if c.h1.split(" ", 1)[-1] == h1_title and c.h2 == h2]
    assert len(found) == 1, (h1_title, h2, [(c.h1, c.h2) for c in chapters(built)])
    return found[0]


def following_paragraph(built: Built, table: Any) -> Any:
    blocks = list(built.doc.iter_inner_content())
    index = next(i for i, block in enumerate(blocks) if block._element is table._tbl)
    return blocks[index + 1]


def grid_width_twips(table: Any) -> int:
    return sum(int(col.get(qn("w:w"))) for col in table._tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))


def text_width_twips(section: Any) -> int:
    return round((section.page_width - section.left_margin - section.right_margin) / EMU_PER_TWIP)


def xml_parts(built: Built) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                yield name, archive.read(name)


def story_roots(built: Built) -> Iterator[tuple[str, Any]]:
    """document.xml, headers and footers: every part that holds runs."""
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name):
                yield name, etree.fromstring(archive.read(name))


# --- 1. the page ----------------------------------------------------------------------------


def test_every_section_is_a4_portrait_with_margins(built: Built) -> None:
    sections = list(built.doc.sections)
    assert sections
    for section in sections:
        assert abs(section.page_width.mm - 210) <= MM_SLACK
        assert abs(section.page_height.mm - 297) <= MM_SLACK
        assert section.page_width < section.page_height
        for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
            assert margin is not None and margin.mm >= 15, margin
        assert text_width_twips(section) == Mm(170).twips


def test_every_table_is_fixed_layout_and_inside_its_column_when_nested(built: Built) -> None:
    # The bar charts of the dashboard are one-row tables nested in a cell: they fit that cell.
    body = built.doc.element.body
    nested = 0
    for tbl in body.iter(qn("w:tbl")):
        layout = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        cell = tbl.getparent()
        if cell.tag == qn("w:tc"):
            nested += 1
            width = int(cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")))
            grid = sum(int(col.get(qn("w:w"))) for col in tbl.iter(qn("w:gridCol")))
            assert grid <= width
    assert nested == 8


def test_table_widths_fit_the_text_width(built: Built) -> None:
    width = text_width_twips(built.doc.sections[0])
    too_wide = [
        (index, table.rows[0].cells[0].text, grid_width_twips(table))
        for index, table in enumerate(built.tables)
        if grid_width_twips(table) > width
    ]
    assert too_wide == []


# --- 2. header and footer -------------------------------------------------------------------


def field_instructions(element: Any) -> list[str]:
    simple = [field.get(qn("w:instr")) or "" for field in element.iter(qn("w:fldSimple"))]
    complex_ = [node.text or "" for node in element.iter(qn("w:instrText"))]
    return [text.split()[0] for text in simple + complex_ if text.strip()]


def test_header_names_the_meeting_and_the_period(built: Built) -> None:
    (section,) = built.doc.sections
    header = section.header
    assert not header.is_linked_to_previous
    text = "\n".join(paragraph.text for paragraph in header.paragraphs)
    assert "第2回 青森県DX推進会議" in text
    assert "令和6年度上半期" in text


def test_footer_has_page_numbers(built: Built) -> None:
    (section,) = built.doc.sections
    footer = section.footer
    assert not footer.is_linked_to_previous
    instructions = field_instructions(footer._element)
    assert "PAGE" in instructions
    assert "NUMPAGES" in instructions


def test_cover_page_has_no_header(built: Built) -> None:
    (section,) = built.doc.sections
    assert section.different_first_page_header_footer
    assert section._sectPr.find(qn("w:titlePg")) is not None
    first = section.first_page_header
    # Either no first-page header at all (the first section then shows none) or an empty one.
    assert first.is_linked_to_previous or all(not p.text.strip() for p in first.paragraphs)


# --- 3. table of contents and headings ------------------------------------------------------


def test_toc_field_is_complete(built: Built) -> None:
    tokens: list[str] = []
    for node in built.doc.element.body.iter(qn("w:fldChar"), qn("w:instrText")):
        if node.tag == qn("w:fldChar"):
            tokens.append(node.get(qn("w:fldCharType")))
        else:
            tokens.append("instr:" + (node.text or "").strip())
    toc = [i for i, token in enumerate(tokens) if token.startswith('instr:TOC \\o "1-3"')]
    assert len(toc) == 1, tokens
    index = toc[0]
    assert tokens[index - 1] == "begin"
    assert tokens[index + 1] == "separate"
    rest = tokens[index + 2 :]
    assert "end" in rest
    assert "begin" not in rest[: rest.index("end")]


def test_fields_update_when_opened_without_an_instruction(built: Built) -> None:
    # Issue 12: Word fills the contents on opening and the PDF export updates them, so the
    # document carries no instruction to right-click the table of contents.
    update = built.doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) in ("true", "1", "on")
    hints = [p.text for p in built.doc.paragraphs if "フィールド更新" in p.text or "F9" in p.text]
    assert hints == []


def test_heading_1_chapters_in_order(built: Built) -> None:
    headings = [p.text for p in built.doc.paragraphs if heading_level(p) == 1]
    assert headings == [f"{number} {title}" for number, title in enumerate(CHAPTERS, start=1)]


def test_indicator_headings_are_the_kpis(built: Built, result: Result) -> None:
    under = [c.h2 for c in chapters(built) if c.h1 == "3 中間指標の状況" and c.h2]
    # By name: the ids K1… are not in the meeting material (inputs/fy2024-h1/NOTES.md).
    assert under == [kpi.kpi.name for kpi in result.kpis]
    assert under[0] == "県内企業のDXの推進状況"
    assert under[-1] == "デジタル人財の育成状況"
    assert len(under) == 8


def test_headings_use_the_built_in_heading_styles(built: Built) -> None:
    levels = {1: 0, 2: 0, 3: 0}
    for paragraph in built.doc.paragraphs:
        level = heading_level(paragraph)
        if not level:
            continue
        levels[level] += 1
        style = paragraph.style
        assert style.style_id == f"Heading{level}", paragraph.text
        # The built-in style (lower-case name in styles.xml) with its outline level: the TOC and
        # Word's navigation pane find it.
        assert style.element.find(qn("w:name")).get(qn("w:val")) == f"heading {level}"
        outline = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        assert outline is not None and outline.get(qn("w:val")) == str(level - 1)
    assert all(levels.values()), levels


# --- 4. tables against the model ------------------------------------------------------------


def test_dashboard_tables_match_the_model(built: Built, result: Result) -> None:
    for field in result.fields:
        (table,) = chapter(built, CHAPTERS[1], field.name).tables
        texts = cell_texts(table)
        assert texts[0] == ["KPI", "達成率", "達成率（棒）", "前期差", "指標の構成要素"]
        shown = [[row[0], row[1], row[3]] for row in texts[1:]]
        expected = [[kpi.kpi.name, percent(kpi.rate), points(kpi.delta)] for kpi in field.kpis]
        assert shown == expected, field.name
        # No earlier snapshot beside the sample: no 前期差.
        assert {row[2] for row in shown} == {"-"}


def _value(value: Decimal | None, unit: str, period: Period | None, note: str = "") -> list[str]:
    lines = [value_with_unit(value, unit)]
    if period is not None:
        lines.append(f"({period.text})")
    if note:
        lines.append(note)
    return lines


def indicator_table(built: Built, kpi: Any) -> Any:
    tables = chapter(built, CHAPTERS[2], kpi.kpi.name).tables
    assert len(tables) == 1, kpi.kpi.id
    return tables[0]


def test_every_indicator_table_matches_the_model(built: Built, result: Result) -> None:
    checked = 0
    for kpi in result.kpis:
        table = indicator_table(built, kpi)
        rows = list(table.rows)
        assert [cell.text for cell in rows[0].cells] == INDICATOR_HEADER
        assert len(rows) - 1 == len(kpi.indicators), kpi.kpi.id
        for row, item in zip(rows[1:], kpi.indicators, strict=True):
            ind = item.indicator
            expected = [
                [ind.name],
                [value_with_unit(ind.target, ind.unit)],
                _value(ind.previous, ind.unit, ind.previous_period),
                [percent(item.previous_rate)],
                _value(ind.latest, ind.unit, ind.latest_period, ind.note),
                [percent(item.latest_rate)],
                [ind.source],
            ]
            assert [paragraph_texts(cell) for cell in row.cells] == expected, (kpi.kpi.id, ind.name)
            checked += 1
    assert checked == len(result.period.indicators) == 30


def test_kpi_line_follows_each_indicator_table(built: Built, result: Result) -> None:
    assert [percent(kpi.rate) for kpi in result.kpis] == [f"{v}%" for v in PUBLISHED_KPIS]
    for kpi, shown in zip(result.kpis, PUBLISHED_KPIS, strict=True):
        line = following_paragraph(built, indicator_table(built, kpi))
        assert line.text == f"KPI {shown}%（達成率の単純平均）", kpi.kpi.id


def test_recomputed_rate_replaces_the_misprint(built: Built, result: Result) -> None:
    name = "スマート農業機械の導入台数"
    kpi = next(k for k in result.kpis if any(i.indicator.name == name for i in k.indicators))
    (row,) = [r for r in indicator_table(built, kpi).rows if r.cells[0].text == name]
    texts = [cell.text for cell in row.cells]
    assert texts[5] == "70.4%"
    assert "70.5%" not in texts


def shown_category(project: Any) -> str:
    return "（参考事業）" if project.reference else project.category


def expected_roadmap(result: Result, field: str) -> list[Any]:
    projects = [p for p in result.period.projects if p.field == field]
    return [p for p in projects if not p.reference] + [p for p in projects if p.reference]


def roadmap_table(built: Built, field: str) -> Any:
    count = sum(1 for p in built.result.period.projects if p.field == field)
    (table,) = chapter(built, CHAPTERS[4], f"{field}（{count}事業）").tables
    return table


def test_roadmap_lists_every_project_in_order(built: Built, result: Result) -> None:
    total = 0
    for field in dict.fromkeys(p.field for p in result.period.projects):
        texts = cell_texts(roadmap_table(built, field))
        # 担当課等 is known for 5 of the 76 projects: no column, the division after the name.
        assert texts[0] == ["項目", "No.", "事業名"]
        shown = [(row[1], row[2]) for row in texts[1:]]
        named = [
            p.name + (f"（{p.division}）" if p.division else "") for p in expected_roadmap(result, field)
        ]
        assert shown == [
            (str(p.no), name) for p, name in zip(expected_roadmap(result, field), named, strict=True)
        ]
        total += len(shown)
    assert total == len(result.roadmap.projects) == 76


def test_roadmap_categories_are_merged_and_shown_once(built: Built, result: Result) -> None:
    merged = 0
    for field in dict.fromkeys(p.field for p in result.period.projects):
        rows = list(roadmap_table(built, field).rows)[1:]
        categories = [shown_category(p) for p in expected_roadmap(result, field)]
        assert len(rows) == len(categories)
        first_cells = [raw_cells(row)[0] for row in rows]
        shown = [raw_text(tc) for tc in first_cells]
        non_empty = [text for text in shown if text]
        assert non_empty == list(dict.fromkeys(categories)), field
        for index, tc in enumerate(first_cells):
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            starts = index == 0 or categories[index] != categories[index - 1]
            runs_on = index + 1 < len(categories) and categories[index + 1] == categories[index]
            if starts:
                assert shown[index] == categories[index]
                if runs_on:
                    assert merge is not None and merge.get(qn("w:val")) == "restart", (field, index)
                    merged += 1
                else:
                    assert merge is None, (field, index)
            else:
                assert shown[index] == ""
                assert merge is not None and merge.get(qn("w:val")) in (None, "continue"), (field, index)
    assert merged > 0


def project_tables(built: Built, no: int) -> list[Any]:
    found = [c for c in chapters(built) if c.h1.endswith(CHAPTERS[5]) and c.h2.startswith(f"No.{no} ")]
    assert len(found) == 1
    return found[0].tables


def test_detail_sheet_header_of_no_8(built: Built) -> None:
    header = project_tables(built, 8)[0]
    assert header.rows[0].cells[0].text == "No."
    text = "\n".join(t for row in cell_texts(header) for t in row)
    # 「（当初 1,000,000）」 may be written on two lines, broken between its phrases (issue 12).
    for expected in ("2,082,501", "（当初", "1,000,000）", "農林水産政策課", "未定", "R6事業費"):
        assert expected in text, expected


def test_detail_sheet_grid_of_no_8(built: Built) -> None:
    grid = project_tables(built, 8)[1]
    texts = cell_texts(grid)
    assert texts[0][:2] == ["取組", "区分"]
    assert texts[0][2:] == ["R6", "R7", "R8", "R9", "R10"]
    assert texts[1][:2] == ["スマート農業機械の導入支援", "計画"]
    plan = [tc for tc in raw_cells(grid.rows[1]) if raw_text(tc) == "①実施者募集 ②補助金事務"]
    assert len(plan) == 1
    shading = plan[0].find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    assert shading is not None
    assert shading.get(qn("w:fill")) not in (None, "auto", "FFFFFF")


# --- 5. table mechanics ---------------------------------------------------------------------


def has_row_property(row: Any, name: str) -> bool:
    return row._tr.find(f"{qn('w:trPr')}/{qn(name)}") is not None


def test_header_rows_repeat_except_on_detail_headers(built: Built, result: Result) -> None:
    without = [i for i, t in enumerate(built.tables) if not has_row_property(t.rows[0], "w:tblHeader")]
    detail_headers = [i for i, t in enumerate(built.tables) if t.rows[0].cells[0].text == "No."]
    assert without == detail_headers
    assert len(detail_headers) == len(result.roadmap.featured) == 5
    # Only the first row is a header row.
    for table in built.tables:
        assert not any(has_row_property(row, "w:tblHeader") for row in list(table.rows)[1:])


def test_rows_never_split_and_tables_are_fixed(built: Built) -> None:
    for index, table in enumerate(built.tables):
        assert all(has_row_property(row, "w:cantSplit") for row in table.rows), index
        layout = table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
        assert layout is not None and layout.get(qn("w:type")) == "fixed", index


def alignment(paragraph: Any) -> str | None:
    jc = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return None if jc is None else jc.get(qn("w:val"))


def test_numbers_in_indicator_tables_are_right_aligned(built: Built, result: Result) -> None:
    numbers = 0
    for kpi in result.kpis:
        for row in list(indicator_table(built, kpi).rows)[1:]:
            for column, cell in enumerate(row.cells):
                first = cell.paragraphs[0]
                if NUMBER.match(first.text):
                    assert alignment(first) == "right", (kpi.kpi.id, column, first.text)
                    numbers += 1
                elif column in (1, 2, 3, 4, 5):
                    assert first.text == "—", (kpi.kpi.id, column, first.text)
    assert numbers >= 100


# --- 6. East Asian fonts --------------------------------------------------------------------

STYLE_FONTS = {
    "Normal": BODY_FONT,
    "Heading 1": HEADING_FONT,
    "Heading 2": HEADING_FONT,
    "Heading 3": HEADING_FONT,
    "Title": HEADING_FONT,
    "Table Text": HEADING_FONT,
}


def east_asia_font(style: Any) -> str | None:
    fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_styles_carry_the_east_asian_fonts(built: Built) -> None:
    shown = {name: east_asia_font(built.doc.styles[name]) for name in STYLE_FONTS}
    assert shown == STYLE_FONTS


def test_font_table_declares_the_windows_name_of_the_mincho(built: Built) -> None:
    root = built.xml("word/fontTable.xml")
    alternatives = {
        font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val"))
        for font in root.findall(qn("w:font"))
        if font.find(qn("w:altName")) is not None
    }
    assert alternatives.get(BODY_FONT) == "BIZ UDP明朝 Medium"
    assert HEADING_FONT in alternatives


def test_chosen_font_is_set_in_every_style(built_noto: Built) -> None:
    shown = {name: east_asia_font(built_noto.doc.styles[name]) for name in STYLE_FONTS}
    assert shown == dict.fromkeys(STYLE_FONTS, NOTO)


def used_styles(built: Built) -> set[str]:
    return {
        node.get(qn("w:val"))
        for _, root in story_roots(built)
        for node in root.iter(qn("w:pStyle"), qn("w:rStyle"))
    }


def resolved_east_asia_font(built: Built, style_id: str) -> str | None:
    """The eastAsia font of a style, following w:basedOn."""
    styles = {s.get(qn("w:styleId")): s for s in built.doc.styles.element.findall(qn("w:style"))}
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current not in seen:
        seen.add(current)
        style = styles[current]
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return str(fonts.get(qn("w:eastAsia")))
        based = style.find(qn("w:basedOn"))
        current = None if based is None else based.get(qn("w:val"))
    return None


def test_chosen_font_reaches_every_style_the_report_uses(built_noto: Built) -> None:
    styles = used_styles(built_noto)
    assert {"toc1", "toc2", "Heading1", "TableText"} <= styles
    assert {s: resolved_east_asia_font(built_noto, s) for s in sorted(styles)} == dict.fromkeys(
        sorted(styles), NOTO
    )


@pytest.mark.parametrize("which", ["default", "noto"])
def test_no_run_sets_its_own_east_asian_font(built: Built, built_noto: Built, which: str) -> None:
    chosen = built if which == "default" else built_noto
    runs = 0
    for name, root in story_roots(chosen):
        for run in root.iter(qn("w:r")):
            runs += 1
            fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts is None or fonts.get(qn("w:eastAsia")) is None, (name, raw_text(run))
    assert runs > 500


# --- 7. determinism -------------------------------------------------------------------------


def test_two_builds_are_byte_identical(built: Built) -> None:
    assert build_report(period_result(), ReportOptions()) == built.data


def test_zip_entries_have_a_fixed_time(built: Built) -> None:
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        infos = archive.infolist()
    assert infos
    assert {info.date_time for info in infos} == {FIXED_ZIP_TIME}


def test_core_properties_are_fixed(built: Built) -> None:
    props = built.doc.core_properties
    meeting_day = dt.datetime(2024, 12, 18, 0, 0)
    for stamp in (props.created, props.modified):
        assert stamp is not None
        assert stamp.replace(tzinfo=None) == meeting_day
        assert stamp.utcoffset() in (None, dt.timedelta(0))
    assert props.revision == 1
    assert props.title == "令和6年度上半期 青森県DX推進プラン進捗状況報告"
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        for name in archive.namelist():
            if name.startswith("docProps/"):
                content = archive.read(name)  # docProps/thumbnail.jpeg is binary
                assert b"python-docx" not in content, name
                assert b"Steve Canny" not in content, name


def load_make_templates() -> Any:
    path = REPO_ROOT / "templates" / "make_templates.py"
    spec = importlib.util.spec_from_file_location("make_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_template_script_reproduces_the_committed_template() -> None:
    assert load_make_templates().make_report_template() == DEFAULT_REPORT_TEMPLATE.read_bytes()


# --- 8. template errors ---------------------------------------------------------------------


@pytest.fixture
def not_a_template(tmp_path: Path) -> Path:
    path = tmp_path / "notes.docx"
    path.write_text("これは Word ではありません\n", encoding="utf-8")
    return path


def test_missing_template_raises_template_error(result: Result, tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        build_report(result, ReportOptions(template=tmp_path / "none.docx"))
    assert "テンプレートがありません" in caught.value.message


def test_text_file_template_raises_template_error(result: Result, not_a_template: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        build_report(result, ReportOptions(template=not_a_template))
    assert str(not_a_template) in caught.value.message


def flat(text: str) -> str:
    # Rich wraps long messages at the console width; compare without the wrapping.
    return re.sub(r"\s+", "", text)


@pytest.fixture
def at_repo_root(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo_root)
    return repo_root


def build_cli(*args: str) -> tuple[int, str, BaseException | None]:
    outcome = runner.invoke(app, ["build", *args])
    return outcome.exit_code, outcome.output, outcome.exception


def assert_clean_failure(code: int, output: str, exception: BaseException | None) -> None:
    assert code == 1, output
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("kind", "message"),
    [("missing", "テンプレートがありません"), ("text", "Wordファイルとして開けません")],
)
@pytest.mark.parametrize("earlier", [False, True], ids=["fresh", "earlier-report"])
def test_cli_bad_template_exits_1_and_keeps_the_previous_report(
    at_repo_root: Path, tmp_path: Path, not_a_template: Path, kind: str, message: str, earlier: bool
) -> None:
    out = tmp_path / "out"
    target = out / "fy2024-h1" / "report.docx"
    sentinel = b"the report of an earlier build"
    if earlier:
        target.parent.mkdir(parents=True)
        target.write_bytes(sentinel)
    template = not_a_template if kind == "text" else tmp_path / "BAD.docx"
    code, output, exception = build_cli(
        SAMPLE_ARG, "--out", str(out), "--docx-only", "--template", str(template)
    )
    assert_clean_failure(code, output, exception)
    assert message in flat(output)
    assert template.name in output
    if earlier:
        assert target.read_bytes() == sentinel
        assert [p.name for p in target.parent.iterdir()] == ["report.docx"]
    else:
        assert not target.exists()


def test_template_body_is_not_copied_into_the_report(result: Result, tmp_path: Path) -> None:
    document = docx.Document(str(DEFAULT_REPORT_TEMPLATE))
    document.add_paragraph("サンプル本文")
    template = tmp_path / "own.docx"
    document.save(str(template))
    data = build_report(result, ReportOptions(template=template))
    report = docx.Document(io.BytesIO(data))
    assert all("サンプル本文" not in p.text for p in report.paragraphs)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "サンプル本文".encode() not in archive.read("word/document.xml")
    # The report itself is still there.
    assert next(p.text for p in report.paragraphs if heading_level(p) == 1) == "1 基本目標"


# --- 9. the build command -------------------------------------------------------------------


def test_cli_docx_only_writes_only_the_report(at_repo_root: Path, tmp_path: Path, built: Built) -> None:
    out = tmp_path / "out"
    code, output, exception = build_cli(SAMPLE_ARG, "--out", str(out), "--docx-only")
    assert code == 0, (output, exception)
    assert sorted(p.name for p in out.rglob("*")) == ["fy2024-h1", "report.docx"]
    assert "report.docx" in flat(output)
    # The CLI adds nothing: the file is the library's report (no earlier period beside the sample).
    assert (out / "fy2024-h1" / "report.docx").read_bytes() == built.data


def test_cli_pptx_only_writes_only_the_deck(at_repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output, exception = build_cli(SAMPLE_ARG, "--out", str(out), "--pptx-only")
    assert code == 0, (output, exception)
    assert sorted(p.name for p in out.rglob("*")) == ["deck.pptx", "fy2024-h1"]


@pytest.mark.parametrize(
    "args",
    [["--pptx-only", "--docx-only"], ["--template", "x.txt"]],
    ids=["both-only-flags", "txt-template"],
)
def test_cli_usage_errors_exit_2(at_repo_root: Path, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "out"
    code, output, _ = build_cli(SAMPLE_ARG, "--out", str(out), *args)
    assert code == 2, output
    assert "Traceback" not in output
    assert not out.exists()


# --- 10. text and XML -----------------------------------------------------------------------


def test_no_escaped_control_character_and_well_formed_xml(built: Built) -> None:
    assert b"_x000" not in built.part("word/document.xml")
    parts = 0
    for name, content in xml_parts(built):
        etree.fromstring(content)  # raises on malformed XML
        assert b"_x000" not in content, name
        parts += 1
    assert parts > 10


def run_text(paragraph: Any) -> str:
    return "".join(run.text for run in paragraph.runs)


def test_paragraph_runs_say_what_the_model_says(built: Built, result: Result) -> None:
    meeting = result.period.meeting
    paragraphs = built.doc.paragraphs
    (title,) = [p for p in paragraphs if p.style.name == "Title"]
    assert run_text(title) == f"{meeting.period_label}\n{meeting.plan}進捗状況報告"
    assert meeting.date is not None
    subtitle = next(p for p in paragraphs if p.style.name == "Subtitle")
    assert run_text(subtitle) == f"第{meeting.number}回 {meeting.council}\n{japanese_date(meeting.date)}"
    kpi_lines = [run_text(p) for p in paragraphs if run_text(p).startswith("KPI ")]
    assert kpi_lines == [f"KPI {percent(kpi.rate)}（達成率の単純平均）" for kpi in result.kpis]
    featured = result.roadmap.featured[0].project
    assert f"{featured.featured}. {featured.name}（{featured.division}）" in [run_text(p) for p in paragraphs]
    header = built.doc.sections[0].header.paragraphs
    assert [run_text(p) for p in header] == [
        f"第{meeting.number}回 {meeting.council}　{meeting.period_label} 進捗状況報告"
    ]


# The schema's child order (ECMA-376 WordprocessingML): Word may report "unreadable content" for
# elements out of order.  Only the children the renderer writes are listed.
CHILD_ORDER = {
    "w:pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "widowControl",
        "numPr",
        "pBdr",
        "shd",
        "tabs",
        "spacing",
        "ind",
        "contextualSpacing",
        "jc",
        "outlineLvl",
        "rPr",
        "sectPr",
    ],
    "w:rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "sz", "szCs", "lang"],
    "w:tcPr": ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"],
    "w:tblPr": [
        "tblStyle",
        "tblW",
        "jc",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ],
    "w:sectPr": ["headerReference", "footerReference", "pgSz", "pgMar", "cols", "titlePg", "docGrid"],
}


def misordered(built: Built, tags: list[str]) -> list[tuple[str, str, list[str]]]:
    wrong = []
    for tag in tags:
        rank = {name: index for index, name in enumerate(CHILD_ORDER[tag])}
        checked = 0
        for part, root in story_roots(built):
            for element in root.iter(qn(tag)):
                names = [etree.QName(child).localname for child in element]
                # headerReference and footerReference may come in any order among themselves.
                ranks = [0 if name == "footerReference" else rank.get(name, -1) for name in names]
                checked += 1
                if -1 in ranks or ranks != sorted(ranks):
                    wrong.append((part, tag, names))
        assert checked, tag
    return wrong


def test_table_and_run_properties_follow_the_schema_order(built: Built) -> None:
    assert misordered(built, ["w:rPr", "w:tcPr", "w:tblPr", "w:sectPr"]) == []


def test_paragraph_properties_follow_the_schema_order(built: Built) -> None:
    assert misordered(built, ["w:pPr"]) == []


# ST_ThemeColor (ECMA-376 Part 1, 17.18.97).
THEME_COLOURS = {
    "dark1",
    "light1",
    "dark2",
    "light2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hyperlink",
    "followedHyperlink",
    "none",
    "background1",
    "text1",
    "background2",
    "text2",
}


def test_theme_colours_are_valid_and_header_text_is_white(built: Built) -> None:
    values = set()
    for _, root in story_roots(built):
        for node in root.iter(qn("w:color"), qn("w:shd")):
            for attribute in ("w:themeColor", "w:themeFill"):
                if node.get(qn(attribute)) is not None:
                    values.add(node.get(qn(attribute)))
    assert values - THEME_COLOURS == set()
    for table in built.tables:
        first = table.rows[0]
        if not has_row_property(first, "w:tblHeader"):
            continue
        for colour in first._tr.iter(qn("w:color")):
            assert colour.get(qn("w:val")) == "FFFFFF", table.rows[0].cells[0].text


# --- 11. pictures ---------------------------------------------------------------------------


def _png(path: Path, size: tuple[int, int] = (800, 500)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (60, 120, 60)).save(path)


def test_picture_is_inline_with_its_proportions_and_caption(period_copy: Path) -> None:
    _png(period_copy / "projects" / "images" / "t.png")
    sheet = period_copy / "projects" / "8.md"
    sheet.write_text(sheet.read_text("utf-8") + "\n![トラクター](images/t.png)\n", "utf-8")
    data = build_report(period_result(period_copy))
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    drawings = list(body.iter(qn("w:drawing")))
    pictures = list(body.iter(qn("pic:pic")))
    assert len(drawings) == len(pictures) == 1
    inline = drawings[0].find(qn("wp:inline"))
    assert inline is not None
    extent = inline.find(qn("wp:extent"))
    width, height = int(extent.get("cx")), int(extent.get("cy"))
    assert abs(width / height - 1.6) < 0.01
    section = document.sections[0]
    assert width <= section.page_width - section.left_margin - section.right_margin
    # The picture's paragraph, then its caption.
    paragraphs = document.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p._p.find(f".//{qn('w:drawing')}") is not None)
    caption = paragraphs[index + 1]
    assert caption.style.name == "Caption"
    assert caption.text == "トラクター"
    assert [p.text for p in paragraphs if p.style.name == "Caption"].count("トラクター") == 1
    # Its alternative text, for screen readers and the tagged PDF (issue 12, point 8).
    doc_pr = inline.find(qn("wp:docPr"))
    assert doc_pr is not None and doc_pr.get("descr") == "トラクター"
