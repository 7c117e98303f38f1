"""``render.views``: the changed-cell rule, the indicator row, the shares pictures fill (half-up),
the glossary, and that the deck never branches on Japanese label text."""

from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from aomori_dx.compute import IndicatorResult, Result
from aomori_dx.render import views

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "fy2024-h1"


@pytest.fixture(scope="module")
def item(result: Result) -> IndicatorResult:
    kpi = result.kpi("K1")
    assert kpi is not None
    return kpi.indicators[3]  # 首都圏デジタル人材との交流会参加者数: 450人, 54人 (R4年度), 159人 (R5年度)


@pytest.mark.parametrize(
    ("fields", "new", "expected"),
    [
        ((), False, (False, False, False, False, False)),
        (("latest",), False, (False, False, True, False, True)),
        (("latest_period",), False, (False, False, True, False, True)),
        (("previous",), False, (False, True, False, True, False)),
        (("previous_period",), False, (False, True, False, True, False)),
        (("target",), False, (True, False, False, True, True)),
        (("unit",), False, (True, False, False, True, True)),
        (("baseline", "direction"), False, (False, False, False, False, False)),
        ((), True, (True, True, True, True, True)),
    ],
)
def test_changed_cells(
    item: IndicatorResult, fields: tuple[str, ...], new: bool, expected: tuple[bool, ...]
) -> None:
    cells = views.changed_cells(dataclasses.replace(item, changed_fields=fields, new=new))
    assert (cells.target, cells.previous, cells.latest, cells.previous_rate, cells.latest_rate) == expected


def test_indicator_row(item: IndicatorResult) -> None:
    row = views.indicator_row(dataclasses.replace(item, changed_fields=("latest",)))
    assert row.name == "首都圏デジタル人材との交流会参加者数"
    assert row.target == views.ValueCell("450人", "", "", False)
    assert row.previous == views.ValueCell("54人", "R4年度", "2022年度", False)
    assert row.previous_rate == views.RateCell("12.0%", item.previous_rate, False)
    assert row.latest == views.ValueCell("159人", "R5年度", "2023年度", True)
    assert row.latest_rate == views.RateCell("35.3%", item.latest_rate, True)
    assert row.source == "デジタルトランスフォーメーション推進事業(人財育成)"


def test_indicator_rows_follow_the_kpi(result: Result) -> None:
    for kpi in result.kpis:
        assert [row.result for row in views.indicator_rows(kpi)] == list(kpi.indicators)


@pytest.mark.parametrize(
    ("rate", "share"),
    [
        (Decimal("12.25"), Decimal("12.3")),  # Python's round(12.25, 1) gives 12.2 (half to even)
        (Decimal("0.05"), Decimal("0.1")),
        (Decimal("-3.2"), Decimal("0.0")),
        (Decimal("100"), Decimal("100.0")),
        (None, Decimal("0.0")),
    ],
)
def test_shown_share_rounds_half_up(rate: Decimal | None, share: Decimal) -> None:
    assert views.shown_share(rate) == share


@pytest.mark.parametrize(
    ("rate", "cells"),
    [
        (Decimal("12.5"), 3),  # 2.5 cells: half up
        (Decimal("37.5"), 8),  # 7.5 cells
        (Decimal("12.49"), 2),
        (Decimal("-5"), 0),
        (Decimal("100"), 20),
        (None, 0),
    ],
)
def test_filled_cells_rounds_half_up(rate: Decimal | None, cells: int) -> None:
    assert views.filled_cells(rate, 20) == cells


def test_glossary(result: Result) -> None:
    meeting = result.period.meeting
    assert views.meeting_number(meeting) == f"第{meeting.number}回 "
    assert views.meeting_number(dataclasses.replace(meeting, number=None)) == ""
    assert views.kpi_line(Decimal("32.95")) == "KPI 33.0%（達成率の単純平均）"
    assert [views.KIND_LABELS[kind] for kind in views.ACTIVITY_KINDS] == ["計画", "実績"]
    assert views.REFERENCE_CATEGORY == "（参考事業）"
    assert views.CHANGED_COLOUR.css == "#c00000" and views.CHANGED_COLOUR.theme == "accent6"


def _japanese_comparisons(path: Path) -> list[str]:
    """``==``/``!=``/``in`` comparisons of ``path`` with a string holding non-ASCII text."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                text = operand.value if isinstance(operand, ast.Constant) else None
                if isinstance(text, str) and not text.isascii():
                    found.append(f"{path.name}:{node.lineno} {text!r}")
    return found


def test_the_deck_does_not_branch_on_japanese_labels() -> None:
    deck = ROOT / "aomori_dx" / "render" / "deck"
    paths = [*sorted((deck / "slides").glob("*.py")), deck / "build.py"]
    assert [found for path in paths for found in _japanese_comparisons(path)] == []
