"""The meeting deck (``build_deck`` and ``aomori-dx build``) read back with python-pptx.

The sample deck is built once per module.  The tests check what a reader of the slides sees
against the computed model: the order of the sections, every indicator table cell, the roadmap
lists, a project sheet, and the things other viewers need (East Asian fonts, shapes inside the
slide, deterministic bytes).  LibreOffice is never needed: ``--pdf`` is tested with it missing.
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

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from seed import period_result
from typer.testing import CliRunner

from aomori_dx import pdf
from aomori_dx.cli import app
from aomori_dx.compute import KpiResult, Result, compute
from aomori_dx.errors import TemplateError
from aomori_dx.format import percent, rate_value, value_with_unit
from aomori_dx.render.deck import DEFAULT_TEMPLATE, DeckOptions, build_deck
from aomori_dx.render.deck.style import full_width_brackets
from aomori_dx.validate import validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
SAMPLE_ARG = "inputs/fy2024-h1"
DEFAULT_FONT = "BIZ UDPGothic"
CONTINUED = "（続き）"
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
EMU_SLACK = 1  # python-pptx rounds inches to whole EMUs

runner = CliRunner()


# --- the sample deck, built once ------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """The sample's result, the deck's bytes and the deck read back."""

    result: Result
    data: bytes
    prs: Any

    @property
    def slides(self) -> list[Any]:
        return list(self.prs.slides)


@pytest.fixture(scope="module")
def built(result: Result) -> Built:
    data = build_deck(result, DeckOptions(template=DEFAULT_TEMPLATE), lambda _: None)
    return Built(result, data, Presentation(io.BytesIO(data)))


@pytest.fixture(scope="module")
def built_noto(result: Result) -> Built:
    data = build_deck(result, DeckOptions(font="Noto Sans CJK JP"))
    return Built(result, data, Presentation(io.BytesIO(data)))


def title_of(slide: Any) -> str:
    title = slide.shapes.title
    return title.text_frame.text.replace("\v", "") if title is not None else ""


def slides_titled(built: Built, title: str) -> list[Any]:
    """The slides of a section: the title itself and its （続き） continuations."""
    return [s for s in built.slides if title_of(s) in (title, title + CONTINUED)]


def tables_of(slide: Any) -> list[Any]:
    return [shape.table for shape in slide.shapes if shape.has_table]


def cell_texts(table: Any) -> list[list[str]]:
    return [[cell.text_frame.text.replace("\v", "") for cell in row.cells] for row in table.rows]


def slide_text(slide: Any) -> str:
    """Every text on a slide (text frames and table cells), one piece a line."""
    pieces = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            pieces.append(shape.text_frame.text.replace("\v", ""))
        if shape.has_table:
            pieces.extend(text for row in cell_texts(shape.table) for text in row)
    return "\n".join(pieces)


def kpi_title(kpi: KpiResult) -> str:
    return f"{kpi.kpi.name}（{kpi.kpi.field}）"


def roadmap_title(result: Result, field: str) -> str:
    count = sum(1 for p in result.period.projects if p.field == field)
    return f"{result.period.meeting.roadmap_title}　{field}（{count}事業）"


def project_title_prefix(no: int) -> str:
    return f"No.{no} "


# --- 1. slide order -------------------------------------------------------------------------


def section_starts(built: Built) -> list[str]:
    """Titles without continuations: （続き） slides, a detail sheet's further slides, and the
    代表的な事例 slide right after its field's dashboard are dropped."""
    starts: list[str] = []
    previous = ""
    for slide in built.slides:
        title = title_of(slide)
        if title.endswith(CONTINUED):
            previous = title
            continue
        if title.startswith("代表的な事例　"):
            field = title.removeprefix("代表的な事例　")
            assert previous == f"目標達成状況ダッシュボード　{field}", (title, previous)
            previous = title
            continue
        if title != previous:
            starts.append(title)
        previous = title
    return starts


def expected_starts(result: Result) -> list[str]:
    period = result.period
    meeting = period.meeting
    starts = [f"第{meeting.number}回 {meeting.council}", "出席者", "出席者（県側出席者）", "次第"]
    starts += ["検討の経緯", "基本目標", "重要業績評価指標（KPI）", "次第"]
    for field in result.fields:
        starts.append(f"目標達成状況ダッシュボード　{field.name}")
        starts += [kpi_title(kpi) for kpi in field.kpis]
    starts.append("次第")
    starts += [roadmap_title(result, field) for field in dict.fromkeys(p.field for p in period.projects)]
    starts.append("各分野の主な取組")
    starts += [detail_title(status.project) for status in result.roadmap.featured]
    starts.append("次第")
    # The overview of the themes, the reference material (参考…), then each theme's own slides.
    discussion = period.discussion.sections
    starts.append("ディスカッションのテーマ")
    starts += [section.title for section in discussion if section.title.startswith("参考")]
    starts += [section.title for section in discussion if not section.title.startswith("参考")]
    starts += ["次第", meeting.tagline]
    return [full_width_brackets(start) for start in starts]  # as every slide prints brackets


def detail_title(project: Any) -> str:
    division = f"（{project.division}）" if project.division else ""
    return f"No.{project.no} {project.name}{division}"


def test_cover_is_first_with_meeting_details(built: Built) -> None:
    cover = built.slides[0]
    assert cover.slide_layout.name == "Title Slide"
    texts = [shape.text_frame.text.replace("\v", "") for shape in cover.placeholders]
    joined = "\n".join(texts)
    assert "第2回 青森県DX推進会議" in texts[0]
    assert "令和6年12月18日（水） 15:00～17:00" in joined  # brackets full-width (issue 11, 7)
    assert "県庁西棟8階 889会議室" in joined


def test_closing_slide_is_last(built: Built) -> None:
    closing = built.slides[-1]
    assert closing.slide_layout.name == "Title Slide"
    assert title_of(closing) == "青森県はDXでもっと面白くなる"
    assert "第2回 青森県DX推進会議" in slide_text(closing)


def test_section_order_follows_the_model(built: Built, result: Result) -> None:
    assert section_starts(built) == expected_starts(result)


def test_section_order_literal_titles(built: Built) -> None:
    starts = section_starts(built)
    assert starts[:8] == [
        "第2回 青森県DX推進会議",
        "出席者",
        "出席者（県側出席者）",
        "次第",
        "検討の経緯",
        "基本目標",
        "重要業績評価指標（KPI）",
        "次第",
    ]
    assert starts[8:12] == [
        "目標達成状況ダッシュボード　産業・しごと分野",
        "県内企業のDXの推進状況（産業・しごと分野）",
        "あらゆる産業分野のDXの推進状況（産業・しごと分野）",
        "多様な働き方の実現状況（産業・しごと分野）",
    ]
    roadmaps = [t for t in starts if t.startswith("令和6年度DX関連事業ロードマップ")]
    assert roadmaps == [
        "令和6年度DX関連事業ロードマップ　産業・しごと分野（28事業）",
        "令和6年度DX関連事業ロードマップ　暮らし・まち分野（27事業）",
        "令和6年度DX関連事業ロードマップ　行政経営分野（21事業）",
    ]
    details = [t for t in starts if t.startswith("No.")]
    assert [t.split(" ", 1)[0] for t in details] == ["No.8", "No.24", "No.42", "No.59", "No.63"]
    assert details[0] == "No.8 物価高騰対応「スマート農業機械」導入促進事業（農林水産政策課）"
    assert starts[-1] == "青森県はDXでもっと面白くなる"
    assert starts.count("次第") == 5


def test_discussion_titles_are_the_level_1_headings(built: Built) -> None:
    headings = [
        line.removeprefix("# ").strip()
        for line in (SAMPLE / "discussion.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("# ")
    ]
    assert headings[0] == "1. 県民のDX機運を盛り上げるための効果的な情報発信"
    starts = section_starts(built)
    agenda_positions = [i for i, t in enumerate(starts) if t == "次第"]
    # Between the fourth 次第 (discussion) and the last (closing): the overview, the reference
    # headings (参考…), then the themes (test_deck_discussion.py holds each slide).
    references = [h for h in headings if h.startswith("参考")]
    themes = [h for h in headings if not h.startswith("参考")]
    expected = [full_width_brackets(t) for t in ["ディスカッションのテーマ", *references, *themes]]
    assert starts[agenda_positions[3] + 1 : agenda_positions[4]] == expected


def test_dashboard_cases_continue_only_after_their_dashboard(built: Built) -> None:
    titles = [title_of(s) for s in built.slides]
    for index, title in enumerate(titles):
        if title.startswith("代表的な事例　"):
            field = title.removeprefix("代表的な事例　").removesuffix(CONTINUED)
            before = titles[index - 1].removesuffix(CONTINUED)
            assert before in (f"目標達成状況ダッシュボード　{field}", f"代表的な事例　{field}")


# --- 2. indicator tables --------------------------------------------------------------------

INDICATOR_HEADER = "中間指標名"
PUBLISHED_KPIS = ["33.0", "66.5", "22.9", "62.6", "43.5", "63.1", "54.3", "31.0"]

INDICATOR_COLUMNS = [
    "中間指標名",
    "目標値(A)",
    "前期の値(B)",
    "前期の達成率(B/A)×100=C",
    "直近の値(D)",
    "直近の達成率(D/A)×100=E",
    "データの出所",
]


def indicator_rows(built: Built, kpi: KpiResult) -> list[list[str]]:
    rows: list[list[str]] = []
    slides = slides_titled(built, kpi_title(kpi))
    assert slides, kpi_title(kpi)
    for slide in slides:
        tables = [t for t in tables_of(slide) if cell_texts(t)[0][0] == INDICATOR_HEADER]
        assert len(tables) == 1, title_of(slide)
        rows += cell_texts(tables[0])[1:]
    return rows


def _value(value: Decimal | None, unit: str, period: Any, note: str = "") -> str:
    lines = [value_with_unit(value, unit)]
    if period is not None:
        lines.append(f"({period.text})")
    if note:
        lines.append(note)
    return "\n".join(lines)


def test_every_indicator_table_matches_the_model(built: Built, result: Result) -> None:
    checked = 0
    for kpi in result.kpis:
        rows = indicator_rows(built, kpi)
        assert len(rows) == len(kpi.indicators), kpi.kpi.id
        for row, item in zip(rows, kpi.indicators, strict=True):
            ind = item.indicator
            # A rate that differs from the published one carries its footnote mark (※1 …), held
            # by tests/test_deck_typescale.py.
            # An indicator's note is a footnote too: its mark follows the latest value, and the
            # note is under the table with that mark.
            latest = row[4].split("\n")
            note_mark = re.search(r"※\d+$", latest[0])
            if ind.note:
                assert note_mark, (kpi.kpi.id, ind.name)
                note = ind.note.lstrip("※")
                shown = "".join(slide_text(slide) for slide in slides_titled(built, kpi_title(kpi)))
                assert full_width_brackets(f"{note_mark[0]} {note}") in shown, ind.note
            row = [
                re.sub(r"※\d+$", "", text) if column in (3, 5) else text for column, text in enumerate(row)
            ]
            row[4] = re.sub(r"※\d+$", "", latest[0]) + "".join("\n" + line for line in latest[1:])
            expected = [
                ind.name,
                value_with_unit(ind.target, ind.unit),
                _value(ind.previous, ind.unit, ind.previous_period),
                percent(item.previous_rate),
                _value(ind.latest, ind.unit, ind.latest_period),
                percent(item.latest_rate),
                ind.source,
            ]
            assert row == [full_width_brackets(text) for text in expected], (kpi.kpi.id, ind.name)
            checked += 1
    assert checked == len(result.period.indicators) == 30


def test_indicator_table_header_on_every_page(built: Built, result: Result) -> None:
    for kpi in result.kpis:
        for slide in slides_titled(built, kpi_title(kpi)):
            (table,) = tables_of(slide)
            header = [text.replace("\n", "") for text in cell_texts(table)[0]]
            assert header == INDICATOR_COLUMNS, title_of(slide)


def test_kpi_line_on_each_indicator_slide(built: Built, result: Result) -> None:
    assert [percent(kpi.rate) for kpi in result.kpis] == [f"{v}%" for v in PUBLISHED_KPIS]
    for kpi, shown in zip(result.kpis, PUBLISHED_KPIS, strict=True):
        text = "\n".join(slide_text(s) for s in slides_titled(built, kpi_title(kpi)))
        assert f"KPI {shown}%" in text, kpi.kpi.id
        assert "（達成率の単純平均）" in text


def test_recomputed_rate_replaces_the_misprint(built: Built, result: Result) -> None:
    kpi = next(
        k for k in result.kpis if any(i.indicator.name == "スマート農業機械の導入台数" for i in k.indicators)
    )
    row = next(r for r in indicator_rows(built, kpi) if r[0] == "スマート農業機械の導入台数")
    assert row[5] == "70.4%※1"  # the mark of the footnote giving the published 70.5%
    assert "70.5%" not in row


# --- 3. roadmap tables ----------------------------------------------------------------------


def roadmap_slides(built: Built, field: str) -> list[Any]:
    return slides_titled(built, roadmap_title(built.result, field))


def shown_category(project: Any) -> str:
    return "（参考事業）" if project.reference else project.category


def expected_roadmap(result: Result, field: str) -> list[Any]:
    projects = [p for p in result.period.projects if p.field == field]
    return [p for p in projects if not p.reference] + [p for p in projects if p.reference]


def test_roadmap_lists_every_project_in_order(built: Built, result: Result) -> None:
    fields = list(dict.fromkeys(p.field for p in result.period.projects))
    total = 0
    for field in fields:
        slides = roadmap_slides(built, field)
        assert slides, field
        shown = []
        for slide in slides:
            for table in tables_of(slide):
                texts = cell_texts(table)
                assert texts[0] == ["項目", "No.", "事業名"]
                shown += [(row[1], row[2]) for row in texts[1:]]
        expected = [(str(p.no), full_width_brackets(p.name)) for p in expected_roadmap(result, field)]
        assert shown == expected, field
        total += len(shown)
    assert total == len(result.roadmap.projects) == 76


def test_roadmap_categories_are_merged_and_shown_once(built: Built, result: Result) -> None:
    by_no = {p.no: p for p in result.period.projects}
    merged = 0
    for field in dict.fromkeys(p.field for p in result.period.projects):
        for slide in roadmap_slides(built, field):
            for table in tables_of(slide):
                rows = list(table.rows)[1:]
                categories = [
                    shown_category(by_no[int(row.cells[1].text_frame.text.replace("\v", ""))]) for row in rows
                ]
                shown = [row.cells[0].text_frame.text.replace("\v", "") for row in rows]
                non_empty = [text for text in shown if text]
                assert len(non_empty) == len(set(non_empty)), (field, non_empty)
                assert non_empty == list(dict.fromkeys(categories))
                for index, row in enumerate(rows):
                    cell = row.cells[0]
                    if index == 0 or categories[index] != categories[index - 1]:
                        run = 1
                        while index + run < len(rows) and categories[index + run] == categories[index]:
                            run += 1
                        assert shown[index] == categories[index]
                        assert cell.span_height == run
                        assert cell.is_merge_origin == (run > 1)
                        merged += run > 1
                    else:
                        assert cell.is_spanned
                        assert shown[index] == ""
    assert merged > 0


# --- 4. project detail sheet ----------------------------------------------------------------


def test_detail_sheet_of_no_8(built: Built) -> None:
    slides = [s for s in built.slides if title_of(s).startswith(project_title_prefix(8))]
    assert slides
    header, grid = tables_of(slides[0])[:2]
    header_text = "\n".join(t for row in cell_texts(header) for t in row)
    for expected in ("2,082,501", "当初 1,000,000", "農林水産政策課", "未定", "R6事業費"):
        assert expected in header_text, expected
    grid_texts = cell_texts(grid)
    assert grid_texts[0][2:] == ["R6", "R7", "R8", "R9", "R10"]
    assert grid_texts[0][0] == "取組"
    assert grid_texts[1][:3] == ["スマート農業機械の導入支援", "計画", "①実施者募集 ②補助金事務"]
    assert grid_texts[2][1:3] == ["実績", "① ②"]


# --- 5. fonts -------------------------------------------------------------------------------


def slide_xml_roots(built: Built) -> Iterator[tuple[int, Any]]:
    for index, slide in enumerate(built.slides, start=1):
        yield index, slide._element


def check_fonts(built: Built, font: str) -> None:
    checked = 0
    for index, root in slide_xml_roots(built):
        for run in root.iter(qn("a:r")):
            text = "".join(run.findtext(qn("a:t")) or "")
            if not CJK.search(text):
                continue
            rpr = run.find(qn("a:rPr"))
            assert rpr is not None, (index, text)
            ea = rpr.find(qn("a:ea"))
            latin = rpr.find(qn("a:latin"))
            assert ea is not None and ea.get("typeface") == font, (index, text)
            assert latin is not None and latin.get("typeface"), (index, text)
            checked += 1
    assert checked > 500


def test_cjk_runs_have_the_theme_font(built: Built) -> None:
    check_fonts(built, DEFAULT_FONT)


def test_cjk_runs_have_the_chosen_font(built_noto: Built) -> None:
    check_fonts(built_noto, "Noto Sans CJK JP")


def test_default_template_theme_font_is_biz_udpgothic() -> None:
    prs = Presentation(str(DEFAULT_TEMPLATE))
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    root = etree.fromstring(theme.blob)
    minor_ea = root.find(f".//{qn('a:minorFont')}/{qn('a:ea')}")
    assert minor_ea is not None and minor_ea.get("typeface") == DEFAULT_FONT


def test_bullets_carry_their_font(built: Built) -> None:
    bullets = 0
    for index, root in slide_xml_roots(built):
        for ppr in root.iter(qn("a:pPr")):
            if ppr.find(qn("a:buChar")) is None:
                continue
            bullets += 1
            bu_font = ppr.find(qn("a:buFont"))
            assert bu_font is not None and bu_font.get("typeface"), index
    assert bullets > 0


# The schema's child order (ECMA-376 DrawingML): PowerPoint "repairs" a file whose elements are out
# of order.  Alternatives of one choice share a rank.
CHILD_ORDER = {
    "a:rPr": [
        ("ln",),
        ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"),
        ("effectLst", "effectDag"),
        ("highlight",),
        ("uLnTx", "uLn"),
        ("uFillTx", "uFill"),
        ("latin",),
        ("ea",),
        ("cs",),
        ("sym",),
        ("hlinkClick",),
        ("hlinkMouseOver",),
        ("rtl",),
        ("extLst",),
    ],
    "a:pPr": [
        ("lnSpc",),
        ("spcBef",),
        ("spcAft",),
        ("buClrTx", "buClr"),
        ("buSzTx", "buSzPct", "buSzPts"),
        ("buFontTx", "buFont"),
        ("buNone", "buAutoNum", "buChar", "buBlip"),
        ("tabLst",),
        ("defRPr",),
        ("extLst",),
    ],
    "a:p": [("pPr",), ("r", "br", "fld"), ("endParaRPr",)],
    "a:txBody": [("bodyPr",), ("lstStyle",), ("p",)],
    "a:tc": [("txBody",), ("tcPr",), ("extLst",)],
    "a:tcPr": [
        ("lnL",),
        ("lnR",),
        ("lnT",),
        ("lnB",),
        ("lnTlToBr",),
        ("lnBlToTr",),
        ("cell3D",),
        ("noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill"),
        ("headers",),
        ("extLst",),
    ],
}


def test_text_elements_follow_the_schema_order(built: Built) -> None:
    wrong = []
    checked = dict.fromkeys(CHILD_ORDER, 0)
    for tag, groups in CHILD_ORDER.items():
        rank = {name: index for index, group in enumerate(groups) for name in group}
        for index, root in slide_xml_roots(built):
            for element in root.iter(qn(tag)):
                checked[tag] += 1
                names = [etree.QName(child).localname for child in element]
                ranks = [rank.get(name, -1) for name in names]
                if -1 in ranks or ranks != sorted(ranks):
                    wrong.append((index, tag, names))
    assert wrong == []
    assert all(checked.values()), checked


# --- 6. geometry ----------------------------------------------------------------------------


def test_no_shape_outside_the_slide(built: Built) -> None:
    width, height = built.prs.slide_width, built.prs.slide_height
    outside = []
    for index, slide in enumerate(built.slides, start=1):
        for shape in slide.shapes:
            left, top, w, h = shape.left, shape.top, shape.width, shape.height
            assert None not in (left, top, w, h), (index, shape.name)
            if (
                left < -EMU_SLACK
                or top < -EMU_SLACK
                or left + w > width + EMU_SLACK
                or top + h > height + EMU_SLACK
            ):
                outside.append((index, title_of(slide), shape.name, left, top, w, h))
    assert outside == []


def test_table_rows_stay_on_the_slide(built: Built) -> None:
    height = built.prs.slide_height
    too_tall = []
    for index, slide in enumerate(built.slides, start=1):
        for shape in slide.shapes:
            if shape.has_table:
                rows = sum(row.height for row in shape.table.rows)
                if shape.top + rows > height + EMU_SLACK:
                    too_tall.append((index, title_of(slide), shape.name, shape.top + rows - height))
    assert too_tall == []


# --- 7. charts ------------------------------------------------------------------------------


def test_one_doughnut_per_kpi_with_its_rate(built: Built, result: Result) -> None:
    charts = [shape.chart for slide in built.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == len(result.kpis) == 8
    for chart, kpi in zip(charts, result.kpis, strict=True):
        assert chart.chart_type == XL_CHART_TYPE.DOUGHNUT
        values = list(chart.plots[0].series[0].values)
        shown = rate_value(kpi.rate)
        assert shown is not None
        assert values[0] == pytest.approx(float(shown), abs=1e-9), kpi.kpi.id
        assert values[0] + values[1] == pytest.approx(100)


def test_charts_sit_on_their_fields_dashboards(built: Built, result: Result) -> None:
    for field in result.fields:
        (slide,) = [s for s in built.slides if title_of(s) == f"目標達成状況ダッシュボード　{field.name}"]
        assert sum(1 for shape in slide.shapes if shape.has_chart) == len(field.kpis)


# --- 8. determinism -------------------------------------------------------------------------


def test_two_builds_are_byte_identical(built: Built) -> None:
    assert build_deck(period_result(), DeckOptions()) == built.data


def test_zip_entries_have_a_fixed_time(built: Built) -> None:
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        infos = archive.infolist()
        assert infos
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        for info in infos:
            if info.filename.endswith(".xlsx"):
                inner = zipfile.ZipFile(io.BytesIO(archive.read(info.filename)))
                assert {i.date_time for i in inner.infolist()} == {(1980, 1, 1, 0, 0, 0)}, info.filename


def test_core_properties_are_fixed(built: Built) -> None:
    props = built.prs.core_properties
    meeting_day = dt.datetime(2024, 12, 18, 0, 0)
    assert props.created == meeting_day
    assert props.modified == meeting_day
    assert props.revision == 1
    assert props.title == "第2回 青森県DX推進会議 資料（令和6年度上半期）"
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        for name in archive.namelist():
            if name.startswith("docProps/"):
                content = archive.read(name)  # docProps/thumbnail.jpeg is binary
                assert b"python-pptx" not in content, name
                assert b"Steve Canny" not in content, name


def test_embedded_workbooks_are_normalized(built: Built) -> None:
    this_year = str(dt.date.today().year)
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        workbooks = [n for n in archive.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert len(workbooks) == 8
        for name in workbooks:
            with zipfile.ZipFile(io.BytesIO(archive.read(name))) as inner:
                core = inner.read("docProps/core.xml").decode("utf-8")
            assert this_year not in core, name
            assert "2024-12-18T00:00:00Z" in core, name


# --- 9. template ----------------------------------------------------------------------------


def load_make_templates() -> Any:
    path = REPO_ROOT / "templates" / "make_templates.py"
    spec = importlib.util.spec_from_file_location("make_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_template_script_reproduces_the_committed_template() -> None:
    assert load_make_templates().make_deck_template() == DEFAULT_TEMPLATE.read_bytes()


@pytest.fixture
def template_without_title_only(tmp_path: Path) -> Path:
    prs = Presentation(str(DEFAULT_TEMPLATE))
    renamed = [layout for layout in prs.slide_layouts if layout.name == "Title Only"]
    assert len(renamed) == 1
    renamed[0].name = "X"
    path = tmp_path / "bad.pptx"
    prs.save(str(path))
    return path


@pytest.fixture
def not_a_template(tmp_path: Path) -> Path:
    path = tmp_path / "notes.pptx"
    path.write_text("これは PowerPoint ではありません\n", encoding="utf-8")
    return path


def test_missing_layout_raises_template_error(result: Result, template_without_title_only: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        build_deck(result, DeckOptions(template=template_without_title_only))
    assert "「Title Only」" in caught.value.message


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


def test_cli_missing_layout_exits_1_and_writes_nothing(
    at_repo_root: Path, tmp_path: Path, template_without_title_only: Path
) -> None:
    out = tmp_path / "out"
    code, output, exception = build_cli(
        SAMPLE_ARG, "--out", str(out), "--template", str(template_without_title_only)
    )
    assert_clean_failure(code, output, exception)
    assert "「TitleOnly」" in flat(output)
    assert not (out / "fy2024-h1" / "deck.pptx").exists()


def test_cli_template_that_is_not_a_pptx(at_repo_root: Path, tmp_path: Path, not_a_template: Path) -> None:
    out = tmp_path / "out"
    code, output, exception = build_cli(SAMPLE_ARG, "--out", str(out), "--template", str(not_a_template))
    assert_clean_failure(code, output, exception)
    assert "PowerPointファイルとして開けません" in flat(output)
    assert not (out / "fy2024-h1" / "deck.pptx").exists()


def test_cli_template_that_does_not_exist(at_repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output, exception = build_cli(
        SAMPLE_ARG, "--out", str(out), "--template", str(tmp_path / "no.pptx")
    )
    assert_clean_failure(code, output, exception)
    assert "テンプレートがありません" in flat(output)
    assert not (out / "fy2024-h1" / "deck.pptx").exists()


# --- 10. the build command ------------------------------------------------------------------


def test_cli_build_writes_the_deck(at_repo_root: Path, tmp_path: Path, built: Built) -> None:
    out = tmp_path / "out"
    code, output, exception = build_cli(SAMPLE_ARG, "--out", str(out))
    assert code == 0, (output, exception)
    deck = out / "fy2024-h1" / "deck.pptx"
    assert deck.is_file()
    assert "deck.pptx" in flat(output)
    # The CLI adds nothing: the file is the library's deck (no earlier period beside the sample).
    assert deck.read_bytes() == built.data
    # No temporary file is left beside it (the Word report is written beside the deck).
    assert sorted(p.name for p in out.rglob("*")) == ["deck.pptx", "fy2024-h1", "report.docx"]


def test_cli_broken_period_prints_the_report_and_writes_nothing(period_copy: Path, tmp_path: Path) -> None:
    indicators = period_copy / "indicators.csv"
    text = indicators.read_text(encoding="utf-8")
    assert ",450," in text
    indicators.write_text(text.replace(",450,", ",多数,", 1), encoding="utf-8")
    out = tmp_path / "out"
    code, output, exception = build_cli(str(period_copy), "--out", str(out))
    assert_clean_failure(code, output, exception)
    assert "invalid-number" in output
    assert "indicators.csv" in flat(output)
    assert "エラー1件" in flat(output)
    assert not out.exists()


def test_cli_failed_build_keeps_the_previous_deck(
    at_repo_root: Path, tmp_path: Path, template_without_title_only: Path
) -> None:
    out = tmp_path / "out"
    previous = out / "fy2024-h1" / "deck.pptx"
    previous.parent.mkdir(parents=True)
    sentinel = b"the deck of an earlier build"
    previous.write_bytes(sentinel)
    code, output, exception = build_cli(
        SAMPLE_ARG, "--out", str(out), "--template", str(template_without_title_only)
    )
    assert_clean_failure(code, output, exception)
    assert previous.read_bytes() == sentinel
    assert [p.name for p in previous.parent.iterdir()] == ["deck.pptx"]


def test_cli_pdf_without_libreoffice(
    at_repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_office", lambda: None)
    out = tmp_path / "out"
    code, output, exception = build_cli(SAMPLE_ARG, "--out", str(out), "--pdf")
    assert_clean_failure(code, output, exception)
    assert "libreoffice" in output.lower()
    assert (out / "fy2024-h1" / "deck.pptx").is_file()
    assert not (out / "fy2024-h1" / "deck.pdf").exists()


# --- 11. control characters -----------------------------------------------------------------


def test_no_escaped_control_character_in_the_slides(built: Built) -> None:
    with zipfile.ZipFile(io.BytesIO(built.data)) as archive:
        slides = [n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        assert len(slides) == len(built.slides)
        for name in slides:
            assert b"_x000B_" not in archive.read(name), name


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("indicators.csv", "首都圏デジタル人材", "首都圏\x0bデジタル人材"),
        ("discussion.md", "情報発信", "情報\x0b発信"),
    ],
)
def test_control_character_stops_the_build(
    period_copy: Path, tmp_path: Path, name: str, old: str, new: str
) -> None:
    path = period_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    code, output, exception = build_cli(str(period_copy), "--out", str(out))
    assert_clean_failure(code, output, exception)
    assert "control-character" in output
    assert not out.exists()


def test_a_field_with_more_than_three_kpis_continues_on_the_next_dashboard(period_copy: Path) -> None:
    kpis = period_copy / "kpis.csv"
    indicators = period_copy / "indicators.csv"
    kpis.write_text(kpis.read_text("utf-8") + "K9,産業・しごと分野,第4のKPI,構成要素,\n", "utf-8")
    indicators.write_text(
        indicators.read_text("utf-8") + "K9,第4の指標,件,10,—,R4年度,5,R5年度,出所,,,\n", "utf-8"
    )
    data, report = validate_period(period_copy)
    assert data is not None, report.errors
    deck = Presentation(io.BytesIO(build_deck(compute(data))))
    titles = [
        slide.shapes.title.text_frame.text.replace("\v", "")
        for slide in deck.slides
        if slide.shapes.title is not None
    ]
    first = titles.index("目標達成状況ダッシュボード　産業・しごと分野")
    assert titles[first + 1] == "目標達成状況ダッシュボード　産業・しごと分野（続き）"
    charts = [shape for shape in deck.slides[first + 1].shapes if shape.has_chart]
    assert len(charts) == 1  # K9 alone on the continuation
