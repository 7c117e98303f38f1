"""The renderers' shared view of the result: what every document shows the same way.

This module owns, once for the deck, the report, the site and the terminal:

- **which cells count as changed** (``ChangedCells``, ``changed_cells``): a value is changed when it
  or its period differs from the previous snapshot; a rate when its value or the target (or its
  unit) does; a new indicator is changed throughout;
- **the indicator row** (``IndicatorRow``, ``indicator_rows``): each figure formatted with its
  unit, the period label under it, its changed flag, the source and the note;
- **the colour roles** (``ColourRole``, ``CHANGED_COLOUR``): the theme slot, the hex and the
  terminal style of a role, so each renderer maps the one declaration to its medium;
- **the glossary of Japanese labels** (``KIND_LABELS``, ``REFERENCE``, ``meeting_number``,
  ``CHANGED_LEGEND``, ``kpi_line``, default titles).

Rounding happens only in ``aomori_dx.format`` (half-up, as the rules say); a view holds text
that is already formatted plus the exact values a renderer may need for geometry.  No I/O and
no rendering library here: renderers import this, never the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from aomori_dx.compute import IndicatorResult, KpiResult, grid_spans
from aomori_dx.format import indicator_note, percent, value_with_unit
from aomori_dx.model import ActivityEntry, ActivityKind, Meeting, PeriodData, Project
from aomori_dx.parse import FiscalYear, Period, round_half_up
from aomori_dx.render.layout import GRID_YEARS, even_parts

__all__ = [
    "ACTIVITY_KINDS",
    "ACTUAL_COLOUR",
    "AVERAGE_NOTE",
    "CHANGED_COLOUR",
    "CHANGED_LEGEND",
    "CHANGED_MARK",
    "DEFAULT_ROADMAP_TITLE",
    "INDICATOR_HEADER",
    "KIND_COLOURS",
    "KIND_LABELS",
    "PLAN_COLOUR",
    "REFERENCE",
    "REFERENCE_CATEGORY",
    "ChangedCells",
    "ColourRole",
    "GridPart",
    "GridRow",
    "IndicatorRow",
    "RateCell",
    "ValueCell",
    "changed_cells",
    "clamped_share",
    "filled_cells",
    "grid_parts",
    "indicator_row",
    "indicator_rows",
    "kpi_line",
    "meeting_number",
    "shown_share",
]


# --- Colour roles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColourRole:
    """A colour with a meaning, declared once: ``theme`` is the slot of the document theme that
    the deck and the report use (a branded template re-colours it), ``hex`` its colour in our
    default template (for the site's style sheet and a report run's fallback), ``terminal`` the
    rich style of the console."""

    name: str
    theme: str
    hex: str
    terminal: str = ""

    @property
    def css(self) -> str:
        """``#c00000``: the hex as the site's style sheet writes it."""
        return f"#{self.hex.lower()}"


# Values that changed since the previous snapshot.
CHANGED_COLOUR: Final = ColourRole("changed", theme="accent6", hex="C00000", terminal="red")
# The bars of the plan/actual grid and the words of its legend.
PLAN_COLOUR: Final = ColourRole("plan", theme="accent1", hex="1F4E79")
ACTUAL_COLOUR: Final = ColourRole("actual", theme="accent4", hex="548235")


# --- The glossary of Japanese labels ------------------------------------------------------------

# The plan/actual grid's row kinds, in the order the grid shows them, and their labels.
ACTIVITY_KINDS: Final[tuple[ActivityKind, ...]] = ("plan", "actual")
KIND_LABELS: Final[dict[ActivityKind, str]] = {"plan": "計画", "actual": "実績"}
KIND_COLOURS: Final[dict[ActivityKind, ColourRole]] = {"plan": PLAN_COLOUR, "actual": ACTUAL_COLOUR}
REFERENCE: Final = "参考事業"
# In the category column, a reference project stands where its category would.
REFERENCE_CATEGORY: Final = f"（{REFERENCE}）"
# After a changed value where colour alone must not carry the signal (terminal, site).
CHANGED_MARK: Final = "＊"
# The legend of the changed colour; each medium words the sentence around it.
CHANGED_LEGEND: Final = "赤字は前期から変わった値"
AVERAGE_NOTE: Final = "（達成率の単純平均）"
DEFAULT_ROADMAP_TITLE: Final = "ロードマップ"
# The indicator table's columns as the deck prints them (the report and the terminal abbreviate
# the rate columns to fit narrower pages).
INDICATOR_HEADER: Final = (
    "中間指標名",
    "目標値\n(A)",
    "前期の値\n(B)",
    "前期の達成率\n(B/A)\n×100=C",
    "直近の値\n(D)",
    "直近の達成率\n(D/A)\n×100=E",
    "データの出所",
)


def meeting_number(meeting: Meeting) -> str:
    """``第3回 `` (with the space that separates it from what follows), or ``""`` when the
    meeting has no number."""
    return f"第{meeting.number}回 " if meeting.number else ""


def kpi_line(rate: Decimal | None) -> str:
    """``KPI 33.0%（達成率の単純平均）``: a KPI's rate as the line under its indicator table."""
    return f"KPI {percent(rate)}{AVERAGE_NOTE}"


# --- Changed cells and the indicator row --------------------------------------------------------


@dataclass(frozen=True)
class ChangedCells:
    """Which cells of an indicator's row show a changed figure."""

    target: bool
    previous: bool
    latest: bool

    @property
    def previous_rate(self) -> bool:
        """The previous rate follows its value and the target."""
        return self.previous or self.target

    @property
    def latest_rate(self) -> bool:
        """The latest rate follows its value and the target."""
        return self.latest or self.target


def changed_cells(item: IndicatorResult) -> ChangedCells:
    """The changed cells of ``item``'s row: all figures of a new indicator; otherwise a value
    whose figure or period changed, and the target when it or the unit did."""
    if item.new:
        return ChangedCells(True, True, True)
    fields = set(item.changed_fields)
    return ChangedCells(
        target=bool(fields & {"target", "unit"}),
        previous=bool(fields & {"previous", "previous_period"}),
        latest=bool(fields & {"latest", "latest_period"}),
    )


@dataclass(frozen=True)
class ValueCell:
    """A value as printed (``375件``, ``—``), the period it is of (``R5年度``, ``""`` for none)
    with its Western year (``2023年度``), and whether it changed."""

    text: str
    period: str
    western: str
    changed: bool


@dataclass(frozen=True)
class RateCell:
    """A rate as printed (``29.1%``), its exact value, and whether it changed."""

    text: str
    value: Decimal | None
    changed: bool


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as every indicator table shows it, in the columns of ``INDICATOR_HEADER``;
    ``note`` is the indicator's note with the rule of a lower-is-better indicator."""

    result: IndicatorResult
    name: str
    target: ValueCell
    previous: ValueCell
    previous_rate: RateCell
    latest: ValueCell
    latest_rate: RateCell
    source: str
    note: str


def _value(value: Decimal | None, unit: str, period: Period | None, changed: bool) -> ValueCell:
    text, western = (period.text, period.western) if period else ("", "")
    return ValueCell(value_with_unit(value, unit), text, western, changed)


def indicator_row(item: IndicatorResult) -> IndicatorRow:
    """The row of one indicator."""
    indicator = item.indicator
    changed = changed_cells(item)
    return IndicatorRow(
        result=item,
        name=indicator.name,
        target=_value(indicator.target, indicator.unit, None, changed.target),
        previous=_value(indicator.previous, indicator.unit, indicator.previous_period, changed.previous),
        previous_rate=RateCell(percent(item.previous_rate), item.previous_rate, changed.previous_rate),
        latest=_value(indicator.latest, indicator.unit, indicator.latest_period, changed.latest),
        latest_rate=RateCell(percent(item.latest_rate), item.latest_rate, changed.latest_rate),
        source=indicator.source,
        note=indicator_note(indicator),
    )


def indicator_rows(result: KpiResult | Sequence[IndicatorResult]) -> tuple[IndicatorRow, ...]:
    """The rows of a KPI's indicator table, in its order."""
    items = result.indicators if isinstance(result, KpiResult) else result
    return tuple(indicator_row(item) for item in items)


# --- Shares of a rate, for pictures of it -------------------------------------------------------


def clamped_share(rate: Decimal | None) -> Decimal:
    """The part of a whole (0–100, exact) that a picture of ``rate`` fills: a doughnut, a bar.
    No rate and a negative rate fill nothing; 100 fills it all."""
    return max(Decimal(0), min(Decimal(100), rate or Decimal(0)))


def shown_share(rate: Decimal | None) -> Decimal:
    """``clamped_share`` rounded half-up to 0.1, as the rate is printed beside the picture."""
    return round_half_up(clamped_share(rate), 1)


def filled_cells(rate: Decimal | None, cells: int) -> int:
    """How many of ``cells`` a bar of ``rate`` fills, rounded half-up."""
    return int(round_half_up(clamped_share(rate) * cells / 100, 0))


# --- The plan/actual grid -----------------------------------------------------------------------

GridRow = tuple[str, ActivityKind, list[tuple[FiscalYear, FiscalYear, str]]]  # activity, kind, spans
GridPart = tuple[list[GridRow], list[FiscalYear]]  # a grid's rows and its years


def grid_parts(period: PeriodData, project: Project) -> list[GridPart]:
    """A project's plan/actual grid in parts of at most ``GRID_YEARS`` years (the meeting's
    roadmap years, else the years its activities cover); a later part shows only the activities
    with something in its years.  Empty when the project has no activities."""
    years = list(period.meeting.roadmap_years)
    entries = list(period.activities_of(project.no))
    if not years:
        years = sorted({FiscalYear(y) for e in entries for y in range(e.first.year, e.last.year + 1)})
    if not entries or not years:
        return []
    parts = []
    for index, part in enumerate(even_parts(years, GRID_YEARS)):
        shown = entries if index == 0 else [e for e in entries if e.first <= part[-1] and e.last >= part[0]]
        if shown:
            parts.append((_grid_rows(shown, list(part)), list(part)))
    return parts


def _grid_rows(entries: Sequence[ActivityEntry], years: list[FiscalYear]) -> list[GridRow]:
    rows: list[GridRow] = []
    for activity in dict.fromkeys(e.activity for e in entries):
        for kind in ACTIVITY_KINDS:
            spans = grid_spans([e for e in entries if e.activity == activity and e.kind == kind])
            # A span that reaches beyond these years is shown on the years it has here.
            shown = [
                (max(first, years[0]), min(last, years[-1]), text)
                for first, last, text in spans
                if first <= years[-1] and last >= years[0]
            ]
            rows.append((activity, kind, shown))
    return rows
