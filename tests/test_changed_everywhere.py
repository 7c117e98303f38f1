"""A two-period build in which every document shows the changed values in the changed colour
and the right 前期差: the deck, the Word report, the site and the terminal.

The second period is the sample with one indicator moved on by a period (K1's 首都圏デジタル人材
との交流会参加者数: previous 54人 (R4年度) → 159人 (R5年度), latest 159人 (R5年度) → 200人 (R6年度),
target 450人 unchanged).  Its rates become 159 ÷ 450 = 35.3% and 200 ÷ 450 = 44.4%; K1 becomes
(29.07 + 40.63 + 20.0 + 44.44 + 40.0) ÷ 5 = 34.8% against 33.0% before: 前期差 +1.8pt.  Every other
KPI is unchanged (±0.0pt).  The colours are written out here (accent6, C00000, #c00000, red) rather
than read from ``views``, so that changing the declaration, the rule or a renderer fails a test.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from rich.console import Console

from aomori_dx.compute import Result, compute
from aomori_dx.render.deck import build_deck
from aomori_dx.render.report import build_report
from aomori_dx.render.site import build_site
from aomori_dx.render.terminal import render_result
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"
BEFORE = "450,54,R4年度,159,R5年度"
AFTER = "450,159,R5年度,200,R6年度"
CHANGED_FIGURES = ("159人", "35.3%", "200人", "44.4%")
Run = tuple[str, str | None]  # text, colour


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Result:
    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copytree(SAMPLE, inputs / "fy2024-h1")
    shutil.copytree(SAMPLE, inputs / "fy2024-h2")
    path = inputs / "fy2024-h2" / "indicators.csv"
    text = path.read_text("utf-8")
    assert text.count(BEFORE) == 1
    path.write_text(text.replace(BEFORE, AFTER), "utf-8")
    first, _ = validate_period(inputs / "fy2024-h1")
    second, _ = validate_period(inputs / "fy2024-h2")
    assert first is not None and second is not None
    return compute(second, first)


def _coloured(runs: list[Run], figure: str) -> set[str | None]:
    """The colours of the runs that start with ``figure`` (a mark such as ※1 may follow it; the
    terminal pads a right-aligned figure inside its run)."""
    found = {colour for text, colour in runs if text.lstrip().startswith(figure)}
    assert found, f"{figure} is not shown"
    return found


# --- the deck -----------------------------------------------------------------------------------


def _deck_paragraphs(data: bytes) -> Iterator[list[Run]]:
    """Each paragraph of every slide (text boxes and table cells) as its runs and theme colours."""
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_table:
                frames = [cell.text_frame for row in shape.table.rows for cell in row.cells]
            elif shape.has_text_frame:
                frames = [shape.text_frame]
            for frame in frames:
                for para in frame.paragraphs:
                    yield [(run.text, _theme(run)) for run in para.runs]


def _theme(run: object) -> str | None:
    fill = run._r.find(f"{qn('a:rPr')}/{qn('a:solidFill')}/{qn('a:schemeClr')}")  # type: ignore[attr-defined]
    return None if fill is None else str(fill.get("val"))


@pytest.fixture(scope="module")
def deck(result: Result) -> list[list[Run]]:
    return list(_deck_paragraphs(build_deck(result)))


def test_deck_shows_changed_values_in_accent6(deck: list[list[Run]]) -> None:
    runs = [run for para in deck for run in para]
    for figure in CHANGED_FIGURES:
        assert _coloured(runs, figure) == {"accent6"}, figure
    assert _coloured(runs, "（R6年度）") >= {"accent6"}  # the period under the changed latest value
    assert _coloured(runs, "450人") == {"tx1"}  # the target did not change
    assert _coloured(runs, "109件") == {"tx1"}  # nor did another indicator of K1
    assert _coloured(runs, "KPI 34.8%") == {"accent6"}
    assert _coloured(runs, "赤字は前期から変わった値") == {"accent6"}


def test_deck_dashboard_shows_delta(deck: list[list[Run]]) -> None:
    cards = {"".join(text for text, _ in para) for para in deck if any("前期差" in text for text, _ in para)}
    assert "34.8%\u3000前期差 +1.8pt" in cards
    assert _coloured([run for para in deck for run in para], "34.8%") == {"accent6"}
    unchanged = {card for card in cards if not card.startswith("34.8%")}
    assert unchanged and all(card.endswith("前期差 ±0.0pt") for card in unchanged)


# --- the report ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(result: Result) -> list[list[Run]]:
    body = Document(io.BytesIO(build_report(result))).element.body
    paragraphs = []
    for para in body.iter(qn("w:p")):
        runs = []
        for run in para.iter(qn("w:r")):
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            colour = run.find(f"{qn('w:rPr')}/{qn('w:color')}")
            shown = None if colour is None else f"{colour.get(qn('w:themeColor'))}/{colour.get(qn('w:val'))}"
            runs.append((text, shown))
        paragraphs.append(runs)
    return paragraphs


def test_report_shows_changed_values_in_accent6(report: list[list[Run]]) -> None:
    runs = [run for para in report for run in para]
    for figure in CHANGED_FIGURES:
        assert _coloured(runs, figure) == {"accent6/C00000"}, figure
    assert _coloured(runs, "(R6年度)") >= {"accent6/C00000"}
    assert _coloured(runs, "450人") == {None}
    assert _coloured(runs, "109件") == {None}
    assert _coloured(runs, "KPI 34.8%（達成率の単純平均）") == {"accent6/C00000"}
    assert any("赤字は前期から変わった値です。" in text for text, _ in runs)


def test_report_dashboard_shows_delta(report: list[list[Run]]) -> None:
    cells = [text for para in report for text, _ in para]
    # The dashboard table: rate (changed colour), bar, 前期差.
    assert "+1.8pt" in cells
    assert _coloured([run for para in report for run in para], "34.8%") == {"accent6/C00000"}
    assert cells.count("±0.0pt") == 7  # the other seven KPIs


# --- the site -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(result: Result) -> dict[str, str]:
    return {
        name: data.decode("utf-8")
        for name, data in build_site(result).items()
        if name.endswith((".html", ".css"))
    }


def test_site_shows_changed_values_in_changed_colour(site: dict[str, str]) -> None:
    page = site["kpi-K1.html"]
    assert (
        '<td class="num changed">159人<span class="mark">＊</span><span class="period">R5年度（2023年度）'
        in page
    )
    assert (
        '<td class="num changed">200人<span class="mark">＊</span><span class="period">R6年度（2024年度）'
        in page
    )
    assert '<td class="num">450人</td>' in page
    assert '<td class="num">109件' in page
    assert '<p class="rate changed">KPI 34.8%' in page
    css = site["style.css"]
    assert "--changed: #c00000;" in css and ".changed { color: var(--changed); }" in css


def test_site_shows_delta(site: dict[str, str]) -> None:
    assert '<p class="delta">前期差 +1.8pt</p>' in site["kpi-K1.html"]
    assert '<p class="delta">前期差 ±0.0pt</p>' in site["kpi-K2.html"]
    assert '<p class="rate changed">KPI' not in site["kpi-K2.html"]
    assert site["index.html"].count('<p class="delta">前期差 +1.8pt</p>') == 1


# --- the terminal -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def terminal(result: Result) -> list[Run]:
    console = Console(width=140, file=io.StringIO(), color_system="truecolor", force_terminal=True)
    segments = console.render(render_result(result), console.options)
    return [(s.text, s.style.color.name if s.style and s.style.color else None) for s in segments]


def test_terminal_shows_changed_values_in_red(terminal: list[Run]) -> None:
    for figure in CHANGED_FIGURES:
        assert _coloured(terminal, figure) == {"red"}, figure
    assert _coloured(terminal, "450人") == {None}
    assert _coloured(terminal, "109件") == {None}
    assert _coloured(terminal, "＊ 赤字は前期から変わった値です。") == {"red"}


def test_terminal_shows_delta(terminal: list[Run]) -> None:
    text = "".join(part for part, _ in terminal)
    assert text.count("前期差 +1.8pt") == 1
    assert text.count("前期差 ±0.0pt") == 7
    assert _coloured(terminal, "34.8%") == {"red"}
