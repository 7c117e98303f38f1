"""The report's chapters are dispatched by kind (``ChapterKind``), never by their Japanese title:
a roadmap titled like another chapter is still the roadmap, and a kind without a writer is an
error, not a silent fallback."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from aomori_dx.compute import Result, compute
from aomori_dx.render.report import ChapterKind, build_report, chapters
from aomori_dx.render.report.document import chapter_writer
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "fy2024-h1"


def _result(**meeting: Any) -> Result:
    data, report = validate_period(SAMPLE)
    assert data is not None, report.to_dict()
    return compute(replace(data, meeting=replace(data.meeting, **meeting)), None)


def _body(result: Result) -> str:
    with zipfile.ZipFile(io.BytesIO(build_report(result))) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_the_sample_has_every_kind_once_in_order() -> None:
    found = chapters(_result())
    assert [chapter.kind for chapter in found] == list(ChapterKind)
    assert [chapter.number for chapter in found] == list(range(1, len(ChapterKind) + 1))


def test_a_roadmap_titled_like_another_chapter_is_still_the_roadmap() -> None:
    body = _body(_result(roadmap_title="基本目標"))
    # The goals table's note once (the goals chapter), the roadmap's own lines present.
    assert body.count("（基準値・目標値は資料に記載のあるもののみ）") == 1
    assert "太字は各分野の主な取組です。" in body
    assert "各分野の主な取組" in body


def test_every_kind_has_a_writer_and_anything_else_is_an_error() -> None:
    assert all(callable(chapter_writer(kind)) for kind in ChapterKind)
    with pytest.raises(AssertionError):
        chapter_writer("DXロードマップ")  # type: ignore[arg-type]
