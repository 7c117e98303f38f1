"""The deck's goal cards, dashboard doughnuts and accessibility (issue 11, points 5, 7 and 8).

Goal cards show the value, year and source, and say in words when the plan gives no value; the
doughnut's remainder is visible on a projector and its rate is printed once; every chart and
picture has alternative text and every slide a title (PowerPoint's accessibility checker), and
openxml-audit finds nothing in the built deck.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openxml_audit  # the dev extra: a checker of the built file, not something the tool needs
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from aomori_dx.compute import Result, compute
from aomori_dx.render.deck import DEFAULT_TEMPLATE, DeckOptions, build_deck
from aomori_dx.render.deck.measure import paras_height
from aomori_dx.render.deck.slides.dashboard import full_width_brackets
from aomori_dx.render.deck.slides.goals import GOAL_SCALES, NO_VALUE, goal_card
from aomori_dx.validate import validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _result(folder: Path) -> Result:
    data, report = validate_period(folder)
    assert data is not None, report.errors
    return compute(data)


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return build_deck(_result(SAMPLE))


@pytest.fixture(scope="module")
def sample(sample_bytes: bytes) -> Any:
    return Presentation(io.BytesIO(sample_bytes))


def _slides_titled(prs: Any, title: str) -> list[Any]:
    return [
        slide for slide in prs.slides if slide.shapes.title is not None and slide.shapes.title.text == title
    ]


def _texts(slide: Any) -> list[str]:
    return [shape.text_frame.text.replace("\v", "") for shape in slide.shapes if shape.has_text_frame]


def _descr(element: Any) -> str:
    return str(element.find(f".//{qn('p:cNvPr')}").get("descr", ""))


def _charts_and_pictures(prs: Any) -> list[tuple[int, Any]]:
    found = []
    for index, slide in enumerate(prs.slides, start=1):
        for element in slide.shapes._spTree.iter(qn("p:pic"), qn("p:graphicFrame")):
            if element.tag == qn("p:pic") or element.find(f".//{qn('c:chart')}") is not None:
                found.append((index, element))
    return found


def _untitled(prs: Any) -> list[int]:
    return [
        index
        for index, slide in enumerate(prs.slides, start=1)
        if slide.shapes.title is None or not slide.shapes.title.text_frame.text.replace("\v", "").strip()
    ]


# --- point 5: goal cards ----------------------------------------------------------------------


def test_goal_cards_show_value_year_and_source_or_say_there_is_none(sample: Any) -> None:
    (slide,) = _slides_titled(sample, "基本目標")
    texts = "\n".join(_texts(slide))
    # The seed's two values with their years, and its sources (brackets full-width).
    assert "687万円\n（2020）" in texts
    assert "53.3%\n（2023）" in texts
    assert "〈青森県民経済計算（県）〉" in texts
    assert texts.count("〈県企画政策部調べ〉") == 2
    # The two goals the seed gives no value for say so, in words.
    assert NO_VALUE == "現状値：記載なし"
    assert texts.count(NO_VALUE) == 2
    assert texts.count("目標年 2028") == 4


def test_goal_cards_are_sized_to_their_content(sample: Any) -> None:
    (slide,) = _slides_titled(sample, "基本目標")
    cards = [shape for shape in slide.shapes if shape.name.startswith("Rounded Rectangle")]
    assert len(cards) == 4
    assert len({card.height for card in cards}) == 1
    # The sample's cards take the second type on the scale (the names at 23 pt): broken between
    # phrases, the fullest card at 1.3 is taller than 85% of the room.  They are exactly as tall
    # as the fullest card's text (before: 4.2 inches, 85% empty, at 14 pt).
    scale = GOAL_SCALES[1]
    assert scale == 1.15
    inch = 914400
    width = cards[0].width / inch - 0.2
    goals = _result(SAMPLE).period.goals
    needed = max(paras_height(goal_card(goal, scale), width) for goal in goals) + 0.2
    assert cards[0].height / inch == pytest.approx(needed, abs=0.001)
    names = [shape.text_frame.paragraphs[0].runs[0].font.size.pt for shape in list(slide.shapes)[3:11:2]]
    assert names == [23.0] * 4


# --- point 7: the doughnut --------------------------------------------------------------------


def _theme_colours(template: Path) -> dict[str, str]:
    prs = Presentation(str(template))
    master = prs.slide_master
    theme = next(rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme"))
    scheme = etree.fromstring(theme.blob).find(f".//{A}clrScheme")
    colours = {}
    for child in scheme:
        srgb = child.find(f"{A}srgbClr")
        colours[etree.QName(child).localname] = (
            srgb.get("val") if srgb is not None else child.find(f"{A}sysClr").get("lastClr")
        )
    # The master's colour map names bg1/tx1 by the scheme's lt1/dk1.
    mapping = master._element.find(qn("p:clrMap"))
    for name in ("bg1", "tx1", "bg2", "tx2"):
        colours[name] = colours[mapping.get(name)]
    return colours


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_doughnut_remainder_is_visible_on_a_projector(sample: Any) -> None:
    colours = _theme_colours(DEFAULT_TEMPLATE)
    charts = [shape.chart for slide in sample.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 8
    points = charts[0]._chartSpace.findall(f".//{qn('c:dPt')}")
    remainder = points[1].find(f".//{A}schemeClr").get("val")
    # The card (and the slide) behind the doughnut is bg1.
    assert _contrast(colours[remainder], colours["bg1"]) >= 3.0, remainder
    # What it was: bg2, washed out by a projector.
    assert _contrast(colours["bg2"], colours["bg1"]) < 1.2


def test_the_rate_is_printed_once_per_card(sample: Any) -> None:
    (slide,) = _slides_titled(sample, "目標達成状況ダッシュボード　産業・しごと分野")
    texts = _texts(slide)
    for rate in ("33.0%", "66.5%", "22.9%"):
        assert sum(text.count(rate) for text in texts) == 1, rate


def test_case_titles_look_the_same_beside_the_cards_and_on_their_own_slide(sample: Any) -> None:
    def looks(slide: Any, title: str) -> set[tuple[int, bool, str]]:
        return {
            (run.font.size.pt, bool(run.font.bold), str(run.font.color.theme_color))
            for shape in slide.shapes
            if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs
            if paragraph.text == title
            for run in paragraph.runs
        }

    (beside,) = _slides_titled(sample, "目標達成状況ダッシュボード　暮らし・まち分野")
    (own,) = _slides_titled(sample, "代表的な事例　暮らし・まち分野")
    title = "県では市町村が行う校務のICT化等を支援"
    assert looks(beside, title) == looks(own, title) != set()


def test_half_width_brackets_in_japanese_text_become_full_width() -> None:
    assert full_width_brackets("森羽紙業(五所川原市)では") == "森羽紙業（五所川原市）では"
    assert full_width_brackets("稼働(2024年6月)") == "稼働（2024年6月）"
    assert full_width_brackets("AI (beta) test") == "AI (beta) test"


# --- point 8: alternative text and titles -----------------------------------------------------


def test_every_chart_has_alternative_text_naming_its_kpi(sample: Any) -> None:
    found = _charts_and_pictures(sample)
    assert len(found) == 8
    assert [index for index, element in found if not _descr(element)] == []
    assert _descr(found[0][1]) == "KPI 県内企業のDXの推進状況 の達成率 33.0%"


def test_pictures_are_described_by_their_caption(period_copy: Path) -> None:
    images = period_copy / "projects" / "images"
    images.mkdir(parents=True)
    for name in ("tractor.png", "field.png"):
        Image.new("RGB", (800, 500), (60, 120, 60)).save(images / name)
    sheet = period_copy / "projects" / "8.md"
    sheet.write_text(
        sheet.read_text("utf-8")
        + "\n## 写真\n\n![自動操舵トラクター](images/tractor.png)\n\n![](images/field.png)\n",
        "utf-8",
    )
    prs = Presentation(io.BytesIO(build_deck(_result(period_copy))))
    pictures = [element for _, element in _charts_and_pictures(prs) if element.tag == qn("p:pic")]
    assert [_descr(element) for element in pictures] == [
        "自動操舵トラクター",
        # Without a caption, the slide names it (not the file name python-pptx would write).
        "「No.8 物価高騰対応「スマート農業機械」導入促進事業（農林水産政策課）（続き）」の図",
    ]


def test_every_slide_has_a_title(sample: Any) -> None:
    assert (
        len(sample.slides) == 46
    )  # 43 before No.8 fitted on one slide (−1) and the discussion got its own slides (+4)
    assert _untitled(sample) == []


def test_a_layout_without_a_title_still_gives_every_slide_a_hidden_title(tmp_path: Path) -> None:
    template = Presentation(str(DEFAULT_TEMPLATE))
    (layout,) = [layout for layout in template.slide_layouts if layout.name == "Title Only"]
    for placeholder in list(layout.placeholders):
        if placeholder.placeholder_format.idx == 0:
            placeholder._element.getparent().remove(placeholder._element)
    path = tmp_path / "untitled.pptx"
    template.save(str(path))
    data = build_deck(_result(SAMPLE), DeckOptions(template=path))
    prs = Presentation(io.BytesIO(data))
    assert _untitled(prs) == []
    added = prs.slides[5].shapes.title
    assert added.text_frame.text.replace("\v", "") == "基本目標"
    assert added._element.find(f".//{qn('p:cNvPr')}").get("hidden") == "1"
    # Its text has both fonts, like every run of the deck; it sits where the master puts titles.
    assert added._element.find(f".//{A}ea") is not None
    assert added._element.spPr.find(qn("a:xfrm")) is None
    (tmp_path / "deck.pptx").write_bytes(data)
    assert openxml_audit.validate_pptx(tmp_path / "deck.pptx").errors == []


# --- openxml-audit ------------------------------------------------------------------------------


def test_openxml_audit(sample_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "deck.pptx"
    path.write_bytes(sample_bytes)
    result = openxml_audit.validate_pptx(path)
    assert [str(error) for error in result.errors] == []
    assert result.is_valid
