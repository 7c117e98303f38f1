"""Narrative slides use the slide (issue 11, point 1): the history, the cases, the reference and
question slides take the largest size of the body scale at which their flow fits, reach down the
slide, and continue with （続き） in even parts only when even the smallest size does not fit."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Emu
from test_deck_typescale import runs_with_minimum, title_of

from aomori_dx.compute import compute
from aomori_dx.render.deck import build_deck
from aomori_dx.render.deck.flow import BODY_SCALE, Composer, Item, Story, fit_flow, heading_size
from aomori_dx.render.deck.measure import para_height, paras_height
from aomori_dx.render.deck.style import BODY_MIN, BOTTOM, CONTINUED, TOP, p
from aomori_dx.render.deck.writer import Deck, DeckOptions
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"
INCH = 914400


def _deck(folder: Path) -> Any:
    data, report = validate_period(folder)
    assert data is not None and report.ok, report
    return Presentation(io.BytesIO(build_deck(compute(data))))


@pytest.fixture(scope="module")
def deck() -> Any:
    return _deck(SAMPLE)


def _titled(prs: Any, title: str) -> Any:
    (slide,) = [slide for slide in prs.slides if title_of(slide) == title]
    return slide


def _content(slide: Any) -> list[Any]:
    """The shapes below the title, without the page number."""
    return [
        shape
        for shape in slide.shapes
        if shape != slide.shapes.title
        and not (shape.has_text_frame and " / " in shape.text_frame.text)
        and shape.top >= Emu(int(TOP * INCH)) - 10
    ]


def _sizes(slide: Any, tables: bool = False, right_of: float = 0.0) -> set[float]:
    """The sizes of the text in a slide's text boxes (or with ``tables``, in its tables' bodies),
    of the boxes right of ``right_of`` inches."""
    found = set()
    for shape in _content(slide):
        if shape.left < right_of * INCH:
            continue
        if shape.has_table and tables:
            frames = [cell.text_frame for row in list(shape.table.rows)[1:] for cell in row.cells]
        elif shape.has_text_frame and not tables:
            frames = [shape.text_frame]
        else:
            continue
        found |= {run.font.size.pt for f in frames for para in f.paragraphs for run in para.runs if run.text}
    return found


def _fill(slide: Any) -> float:
    """How far down the room under the title the content reaches (1.0: to the page number)."""
    bottom = max((shape.top + shape.height) / INCH for shape in _content(slide))
    return (bottom - TOP) / (BOTTOM - TOP)


def test_the_history_takes_the_largest_size_and_reaches_down_the_slide(deck: Any) -> None:
    slide = _titled(deck, "検討の経緯")
    # Five bullets: at 12–16 pt they took the top quarter of the slide.
    assert _sizes(slide) == {24.0}
    assert _fill(slide) > 0.7


def test_the_cases_slides_are_in_large_type_and_fill_the_slide(deck: Any) -> None:
    living = _titled(deck, "代表的な事例　暮らし・まち分野")
    # The case's title and the table's caption (18 pt) over the table at the text's 16 pt.
    assert _sizes(living) == {18.0} and _sizes(living, tables=True) == {16.0}
    assert _fill(living) > 0.65
    admin = _titled(deck, "代表的な事例　行政経営分野")
    assert _sizes(admin) == {16.0, 18.0} and _sizes(admin, tables=True) == {16.0}
    assert _fill(admin) > 0.9


def test_fewer_cards_grow_and_the_cases_beside_them_take_the_room(deck: Any) -> None:
    def charts(slide: Any) -> list[float]:
        return [shape.height / INCH for shape in slide.shapes if shape.has_chart]

    three = _titled(deck, "目標達成状況ダッシュボード　産業・しごと分野")
    two = _titled(deck, "目標達成状況ダッシュボード　暮らし・まち分野")
    assert len(charts(three)) == 3 and max(charts(three)) < 1.8
    assert len(charts(two)) == 2 and min(charts(two)) > 2.3
    # The cases beside the cards at the largest size at which they fit: three long ones at
    # 14 pt, two at 16 pt (12 pt before), each under its 18 pt title; the heading at 16 pt.
    assert _sizes(three, right_of=7.0) == {14.0, 16.0, 18.0}
    assert _sizes(two, right_of=7.0) == {16.0, 18.0}
    for slide in (three, two):
        assert _fill(slide) > 0.95


def test_reference_and_question_slides_are_fitted(deck: Any) -> None:
    # Each 参考 slide at the largest size at which it fills one slide (one column or two).
    sizes = {
        "参考：テーマ1関連 今年度の取組": 16.0,
        "参考：産業DX推進フォーラム(R6年9月)": 24.0,
        "参考：DXでもっとおもしろく！市町村リアルミーティング": 20.0,
        "参考：市町村リアルミーティング（R6年10月）": 24.0,
    }
    for title, size in sizes.items():
        slide = _titled(deck, title)
        assert _sizes(slide) == {size, heading_size(size)}, title
        assert _fill(slide) > 0.75, title


def test_the_fitted_slides_keep_every_minimum(deck: Any) -> None:
    titles = ("検討の経緯", "代表的な事例", "目標達成状況ダッシュボード", "参考", "ディスカッション")
    small = [
        (title_of(slide), run.text[:10], run.font.size.pt)
        for slide in deck.slides
        if title_of(slide).startswith(titles)
        for run, minimum, _ in runs_with_minimum(slide)
        if run.text.strip() and run.font.size.pt < minimum
    ]
    assert small == []


# --- what does not fit at the minimum --------------------------------------------------------

LONG = "県では、地域の事業者と連携してデジタル技術を活用した取組を進めている。" * 4


def _flowed(count: int) -> tuple[float, list[Any]]:
    composer = Composer(Deck(DeckOptions()))

    def make(size: float) -> list[Item]:
        items = []
        for index in range(count):
            items.append(Item([p(f"事例{index + 1}", heading_size(size), True)], heading=True))
            items.append(Item([p(LONG, size)]))
        return items

    size = fit_flow(composer, "事例", make)
    return size, composer.writer.slides


def _columns(slide: Any) -> list[list[Any]]:
    """The text boxes of a slide by column (left half, right half)."""
    boxes = [shape for shape in _content(slide) if shape.has_text_frame]
    middle = Emu(int(13.333 / 2 * INCH))
    return [[b for b in boxes if b.left < middle], [b for b in boxes if b.left >= middle]]


def test_a_short_flow_takes_the_largest_size_on_one_slide() -> None:
    size, slides = _flowed(2)
    assert size == BODY_SCALE[0] and len(slides) == 1


def test_a_flow_too_long_for_the_minimum_continues_in_even_parts() -> None:
    size, slides = _flowed(24)
    assert size == BODY_MIN
    titles = [title_of(slide) for slide in slides]
    assert len(titles) >= 3 and titles == ["事例"] + ["事例" + CONTINUED] * (len(titles) - 1)
    heights = []
    for slide in slides:
        for column in _columns(slide):
            assert column, title_of(slide)  # no empty column beside a full one
            heights.append(sum(box.height for box in column) / INCH)
            # A case's title never ends a column alone.
            last = column[-1].text_frame.paragraphs[-1].text
            assert not last.startswith("事例"), last
    # Even parts: the emptiest column holds at least three quarters of the fullest.
    assert min(heights) > 0.75 * max(heights), heights
    # Every case once, in order.
    texts = [para.text for s in slides for c in _columns(s) for b in c for para in b.text_frame.paragraphs]
    assert [t for t in texts if t.startswith("事例")] == [f"事例{i + 1}" for i in range(24)]


def test_many_cases_continue_after_the_dashboard_in_even_parts(period_copy: Path) -> None:
    folder = period_copy
    cases = "# 産業・しごと分野\n\n" + "".join(f"## 事例{i + 1}の取組\n\n{LONG}\n\n" for i in range(14))
    (folder / "cases.md").write_text(cases, "utf-8")
    prs = _deck(folder)
    dashboard = _titled(prs, "目標達成状況ダッシュボード　産業・しごと分野")
    own = [slide for slide in prs.slides if title_of(slide).startswith("代表的な事例　産業・しごと分野")]
    assert [title_of(slide) for slide in own] == ["代表的な事例　産業・しごと分野"] + [
        "代表的な事例　産業・しごと分野" + CONTINUED
    ] * (len(own) - 1)
    assert len(own) >= 2
    # Beside the cards the cases that fit at 12 pt (at the 13 pt they fit at), the rest at 12 pt
    # over slides of even columns.
    assert _sizes(dashboard, right_of=7.0) == {13.0, 16.0, 18.0}
    heights = [sum(b.height for b in column) / INCH for slide in own for column in _columns(slide)]
    # Even within a case (1.1 inch, cut at best in its middle): not a full column against a
    # short one, as filling each column in turn gives.
    assert max(heights) < sum(heights) / len(heights) + 0.6 and min(heights) > 0.6 * max(heights), heights
    shown = [
        para.text
        for slide in [dashboard, *own]
        for shape in _content(slide)
        if shape.has_text_frame
        for para in shape.text_frame.paragraphs
        if para.text.startswith("事例")
    ]
    assert shown == [f"事例{i + 1}の取組" for i in range(14)]
    for slide in own:
        assert _sizes(slide) == {12.0, 18.0}


def test_a_heading_moves_on_with_what_it_heads() -> None:
    width = 6.0
    heading = p("見出し", 14, True)
    items = [Item([p(LONG, 12)]), Item([heading], heading=True), Item([p(LONG, 12)])]
    story = Story.of(items, width)
    # Room for the first paragraph, the heading and one line of the next (never left alone).
    room = paras_height([p(LONG, 12)], width) + para_height(heading, width) + 0.25
    head, rest = story.split(room)
    assert [para.text for piece in head.pieces for para in piece.paras] == [LONG]
    assert [para.text for piece in rest.pieces for para in piece.paras] == ["見出し", LONG]
