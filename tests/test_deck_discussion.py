"""The discussion as the meeting material lays it out: an overview of the themes, the reference
slides, one slide per question in large type, and a theme's diagram drawn with native shapes.

Names of fields and bands are read from the Markdown here, never written into the test: the
slides must come from whatever discussion.md says."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.compute import compute
from aomori_dx.load import MarkdownError, parse_markdown
from aomori_dx.model import Diagram, Section, diagram_of
from aomori_dx.render.deck import build_deck
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "fy2024-h1"
THEME_1 = "1. 県民のDX機運を盛り上げるための効果的な情報発信"
THEME_2 = "2. あらゆる分野におけるDXの推進"


def _deck(folder: Path) -> Any:
    data, report = validate_period(folder)
    assert data is not None, report.flatten(("code", "file", "row", "message"))
    return Presentation(io.BytesIO(build_deck(compute(data))))


@pytest.fixture(scope="module")
def deck() -> Any:
    return _deck(SAMPLE)


def _title(slide: Any) -> str:
    return str(slide.shapes.title.text_frame.text.replace("\v", "")) if slide.shapes.title is not None else ""


def _discussion_slides(deck: Any) -> list[Any]:
    """The slides between the 次第 before the discussion and the closing 次第."""
    slides = list(deck.slides)
    agendas = [index for index, slide in enumerate(slides) if _title(slide) == "次第"]
    return slides[agendas[3] + 1 : agendas[4]]


def _sample_diagram() -> Diagram:
    document = parse_markdown((SAMPLE / "discussion.md").read_text("utf-8"))
    found = [diagram_of(child) for section in document.sections for child in section.children]
    diagrams = [d for d in found if d is not None]
    assert len(diagrams) == 1
    return diagrams[0]


def _shape_texts(slide: Any) -> list[str]:
    return [
        shape.text_frame.text.replace("\v", "")
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and shape.text_frame.text.replace("\v", "")
    ]


def _runs(shape: Any) -> list[Any]:
    return [run for para in shape.text_frame.paragraphs for run in para.runs if run.text.strip()]


def test_discussion_slides_in_the_seed_order(deck: Any) -> None:
    titles = [_title(slide) for slide in _discussion_slides(deck)]
    assert titles == [
        "ディスカッションのテーマ",
        "参考：テーマ1関連 今年度の取組",
        "参考：産業DX推進フォーラム（R6年9月）",  # brackets full-width (issue 11, 7)
        "参考：DXでもっとおもしろく！市町村リアルミーティング",
        "参考：市町村リアルミーティング（R6年10月）",
        THEME_1,
        THEME_1,
        THEME_2,
    ]


def _body_text(slide: Any) -> str:
    return "\n".join(
        shape.text_frame.text.replace("\v", "")
        for shape in slide.shapes
        if shape.has_text_frame
        and shape != slide.shapes.title
        and "/" not in shape.text_frame.text.replace("\v", "")
    )


def test_each_question_on_its_own_slide(deck: Any) -> None:
    first, second = _discussion_slides(deck)[5:7]
    assert "① 動画制作、WEBリーフレットの作成" in _body_text(first)
    assert "② DX推進会議" not in _body_text(first)
    assert "② DX推進会議による県民へのDX普及活動" in _body_text(second)
    assert "動画の露出を増やすためには" in _body_text(first)
    assert "委員の皆様の専門性や得意分野" in _body_text(second)


def test_questions_are_in_large_type(deck: Any) -> None:
    for slide in _discussion_slides(deck)[5:7]:
        sizes = [
            run.font.size.pt
            for shape in slide.shapes
            if shape.has_text_frame and shape != slide.shapes.title
            for run in _runs(shape)
            if " / " not in shape.text_frame.text.replace("\v", "")  # the page number
        ]
        assert sizes and min(sizes) >= 20


def test_the_overview_shows_both_themes_and_the_keywords(deck: Any) -> None:
    overview = _discussion_slides(deck)[0]
    text = _body_text(overview)
    assert THEME_1 in text and THEME_2 in text
    assert "前回会議でいただいたキーワード（一部）" in text and "アーリーサクセス" in text
    # The questions have slides of their own.
    assert "動画の露出を増やすためには" not in text


@pytest.mark.parametrize("which", ["overview", "theme"])
def test_the_diagram_is_drawn_with_shapes_from_the_markdown(deck: Any, which: str) -> None:
    diagram = _sample_diagram()
    assert len(diagram.columns) == 3 and len(diagram.bands) == 4
    slides = _discussion_slides(deck)
    slide = slides[0] if which == "overview" else slides[-1]
    texts = _shape_texts(slide)
    for name in (*diagram.columns, *diagram.bands):
        assert texts.count(name) == 1, name
    labels = [
        s
        for s in slide.shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and s.text_frame.text.replace("\v", "")
    ]
    assert len(labels) == len(diagram.columns) + len(diagram.bands)
    assert min(run.font.size.pt for shape in labels for run in _runs(shape)) >= 14
    # No picture and no table: the diagram stays editable.
    if which == "theme":
        assert not [s for s in slide.shapes if s.shape_type in (MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.TABLE)]


def _band_and_column_boxes(slide: Any, diagram: Diagram) -> tuple[list[Any], list[Any]]:
    shapes = {
        s.text_frame.text.replace("\v", ""): s
        for s in slide.shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
    }
    return [shapes[name] for name in diagram.bands], [shapes[name] for name in diagram.columns]


def test_bands_cross_every_column(deck: Any) -> None:
    diagram = _sample_diagram()
    slide = _discussion_slides(deck)[-1]
    bands, heads = _band_and_column_boxes(slide, diagram)
    for band in bands:
        assert band.left <= min(h.left for h in heads)
        assert band.left + band.width >= max(h.left + h.width for h in heads)
        assert band.top > max(h.top + h.height for h in heads)
    tops = [band.top for band in bands]
    assert tops == sorted(tops)  # in the order written
    lefts = [head.left for head in heads]
    assert lefts == sorted(lefts)


OTHER = """# テーマA

- 概要の文

## 図：分野と基盤

| | 農業 | 医療 |
|---|---|---|
| 人材 | | |
| 通信網 | | |
| 標準化 | | |
"""


def test_another_diagram_gives_other_shapes(period_copy: Path) -> None:
    (period_copy / "discussion.md").write_text(OTHER, "utf-8")
    slides = _discussion_slides(_deck(period_copy))
    assert [_title(slide) for slide in slides] == ["ディスカッションのテーマ", "テーマA"]
    texts = _shape_texts(slides[-1])
    assert sorted(texts) == sorted(["農業", "医療", "人材", "通信網", "標準化"])
    assert "分野と基盤" in _body_text(slides[-1])  # the caption under the diagram


def test_a_diagram_is_read_from_its_table() -> None:
    document = parse_markdown(OTHER)
    section: Section = document.sections[0].children[0]
    assert diagram_of(section) == Diagram(("農業", "医療"), ("人材", "通信網", "標準化"), "分野と基盤", 5)


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ("| | 農業 |\n|---|---|\n| 人材 | ○ |\n", 7, "ほかのセルを空欄"),
        ("| 区分 | 農業 |\n|---|---|\n| 人材 | |\n", 5, "1つ目のセルを空欄"),
        ("| | 農業 | |\n|---|---|---|\n| 人材 | | |\n", 5, "列（分野）の名前"),
        ("| | 農業 |\n|---|---|\n| 人材 | |\n|  | |\n", 8, "横断する取組の名前"),
        ("- 人材\n- 通信網\n", 3, "表を1つだけ"),
    ],
)
def test_a_malformed_diagram_names_its_line(table: str, line: int, words: str) -> None:
    with pytest.raises(MarkdownError) as info:
        parse_markdown("# テーマA\n\n## 図\n\n" + table)
    assert info.value.line == line
    assert words in info.value.message


def test_validate_reports_a_malformed_diagram_with_file_and_line(period_copy: Path) -> None:
    path = period_copy / "discussion.md"
    lines = path.read_text("utf-8").split("\n")
    row = lines.index("| デジタル人財 | | | |") + 1
    lines[row - 1] = "| デジタル人財 | 研修 | | |"
    path.write_text("\n".join(lines), "utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert [(i.code, i.file, i.row) for i in report.errors] == [("markdown-error", str(path), row)]
    result = CliRunner().invoke(app, ["validate", str(period_copy), "--format", "json"])
    assert result.exit_code == 1
    assert (
        "図の表は、見出し行（列の名前）と1列目（横断する取組の名前）のほかのセルを空欄にしてください。"
        in result.output
    )


def test_what_the_slides_cannot_hold_is_reported(period_copy: Path) -> None:
    from aomori_dx.render.deck import render_deck

    bands = "".join(f"| 帯{i} | |\n" for i in range(20))
    text = "# テーマ表\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## 図\n\n| | 列 |\n|---|---|\n" + bands
    (period_copy / "discussion.md").write_text(text, "utf-8")
    data, _ = validate_period(period_copy)
    assert data is not None
    warnings = render_deck(compute(data)).warnings
    overview = [w for w in warnings if "「ディスカッションのテーマ」" in w]
    assert any("図を省きました（図はテーマのスライドに出ます）" in w for w in overview)
    assert any("表・画像は、この一覧のスライドに載せられません" in w for w in overview)
    assert any(
        w.endswith(
            "「テーマ表」: 図の行（横断する取組）が多く、スライドの下にはみ出しています。行を減らしてください。"
        )
        for w in warnings
    )
