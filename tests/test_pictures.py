"""Pictures in the narrative: ``![caption](images/photo.png)`` on a line of its own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from aomori_dx.compute import compute
from aomori_dx.load import MarkdownError, parse_markdown
from aomori_dx.model import Figure
from aomori_dx.render.deck import build_deck
from aomori_dx.validate import validate_period


def _png(path: Path, size: tuple[int, int] = (800, 500)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (60, 120, 60)).save(path)


def test_a_lone_image_is_a_figure() -> None:
    document = parse_markdown("## 写真\n\n![自動操舵トラクター](images/a.png)\n")
    assert document.sections[0].blocks == (Figure("images/a.png", "自動操舵トラクター", "", 3),)


def test_an_image_inside_a_sentence_is_an_error() -> None:
    with pytest.raises(MarkdownError) as info:
        parse_markdown("写真は ![x](a.png) です\n")
    assert info.value.line == 1


def test_pictures_are_checked_and_placed(period_copy: Path) -> None:
    _png(period_copy / "projects" / "images" / "tractor.png")
    sheet = period_copy / "projects" / "8.md"
    sheet.write_text(sheet.read_text("utf-8") + "\n## 写真\n\n![トラクター](images/tractor.png)\n", "utf-8")
    data, report = validate_period(period_copy)
    assert data is not None, report.errors
    deck = Presentation(io.BytesIO(build_deck(compute(data))))
    pictures = [
        (index, shape)
        for index, slide in enumerate(deck.slides, start=1)
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) == 1
    _, picture = pictures[0]
    # Proportions kept (800 × 500) and inside the slide.
    assert abs(picture.width / picture.height - 1.6) < 0.01
    assert picture.left + picture.width <= deck.slide_width
    assert picture.top + picture.height <= deck.slide_height


def test_a_missing_or_wrong_picture_is_an_error(period_copy: Path) -> None:
    sheet = period_copy / "projects" / "24.md"
    (period_copy / "projects" / "fake.png").write_text("not a picture", "utf-8")
    sheet.write_text(sheet.read_text("utf-8") + "\n![なし](images/none.png)\n\n![偽物](fake.png)\n", "utf-8")
    data, report = validate_period(period_copy)
    assert data is None
    assert [(issue.code, Path(issue.file).name, issue.value) for issue in report.errors] == [
        ("missing-image", "24.md", "images/none.png"),
        ("invalid-image", "24.md", "fake.png"),
    ]
