"""Rates, KPIs, 前期差, changed flags and the roadmap figures: the result every renderer reads.

Pure functions over the validated model, no I/O.  The rules (see docs/rules.md for the seed's rows
that show each): rate = value ÷ target × 100 capped at 100 with no floor, exact (for a
lower-is-better indicator (baseline − value) ÷ (baseline − target) × 100, same cap); KPI = simple
average of its indicators' unrounded latest rates; 前期差 = the KPI as shown now minus the KPI as
shown in the previous snapshot; an indicator is "changed" when a figure differs from that snapshot.
Rounding (half-up to 0.1) happens only in ``format`` and in ``to_dict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aomori_dx.format import rate_value
from aomori_dx.model import ActivityEntry, Indicator, Kpi, PeriodData, Project
from aomori_dx.parse import FiscalYear, Period, round_half_up
from aomori_dx.rates import indicator_rate, mean

__all__ = [
    "CategoryCount",
    "FieldResult",
    "IndicatorResult",
    "KpiResult",
    "ProjectStatus",
    "Result",
    "RoadmapField",
    "RoadmapSummary",
    "compute",
    "grid_spans",
    "rate_of",
]

# What is compared to decide that an indicator "changed" since the previous snapshot.
COMPARED = (
    "unit",
    "target",
    "previous",
    "previous_period",
    "latest",
    "latest_period",
    "direction",
    "baseline",
)


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator with both rates and what changed since the previous snapshot."""

    indicator: Indicator
    previous_rate: Decimal | None
    latest_rate: Decimal | None
    changed_fields: tuple[str, ...] = ()
    new: bool = False

    @property
    def changed(self) -> bool:
        """Some figure differs from the previous snapshot (or the indicator is new there)."""
        return self.new or bool(self.changed_fields)


@dataclass(frozen=True)
class KpiResult:
    """A KPI: its rate now, in the previous snapshot, and the difference (前期差)."""

    kpi: Kpi
    indicators: tuple[IndicatorResult, ...]
    rate: Decimal | None
    previous_rate: Decimal | None
    delta: Decimal | None

    @property
    def changed(self) -> bool:
        """Any of its indicators changed."""
        return any(result.changed for result in self.indicators)


@dataclass(frozen=True)
class FieldResult:
    """A field (分野) and its KPIs."""

    name: str
    kpis: tuple[KpiResult, ...]


@dataclass(frozen=True)
class CategoryCount:
    """Projects per category (項目) of a field."""

    name: str
    projects: int


@dataclass(frozen=True)
class ProjectStatus:
    """A project with its plan/actual status."""

    project: Project
    missing_actuals: tuple[FiscalYear, ...]
    has_grid: bool


@dataclass(frozen=True)
class RoadmapField:
    """The roadmap figures of one field."""

    name: str
    projects: int
    reference_projects: int
    categories: tuple[CategoryCount, ...]
    budget_total: Decimal | None
    budget_projects: int


@dataclass(frozen=True)
class RoadmapSummary:
    """Counts, budgets (千円), the featured projects, and plans without actuals."""

    fields: tuple[RoadmapField, ...]
    projects: tuple[ProjectStatus, ...]
    total_projects: int
    budget_total: Decimal | None
    budget_projects: int

    @property
    def featured(self) -> tuple[ProjectStatus, ...]:
        """Featured projects (各分野の主な取組) in their order."""
        chosen = [status for status in self.projects if status.project.featured is not None]
        return tuple(sorted(chosen, key=lambda status: status.project.featured or 0))

    @property
    def missing_actuals(self) -> tuple[ProjectStatus, ...]:
        """Projects with a past fiscal year that has a plan entry but no actual entry."""
        return tuple(status for status in self.projects if status.missing_actuals)


@dataclass(frozen=True)
class Result:
    """Everything the renderers need, computed."""

    period: PeriodData
    previous: PeriodData | None
    fields: tuple[FieldResult, ...]
    roadmap: RoadmapSummary

    @property
    def kpis(self) -> tuple[KpiResult, ...]:
        """All KPIs in field order."""
        return tuple(kpi for field in self.fields for kpi in field.kpis)

    def kpi(self, kpi_id: str) -> KpiResult | None:
        """One KPI by id."""
        return next((kpi for kpi in self.kpis if kpi.kpi.id == kpi_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``period, kpis, fields, roadmap`` (+ a few descriptive keys)."""
        meeting = self.period.meeting
        return {
            "period": self.period.id,
            "period_label": meeting.period_label,
            "as_of": meeting.as_of.isoformat() if meeting.as_of else None,
            "previous_period": self.previous.id if self.previous else None,
            "kpis": [_kpi_dict(kpi) for kpi in self.kpis],
            "fields": [
                {
                    "name": field.name,
                    "kpis": [kpi.kpi.id for kpi in field.kpis],
                    "projects": next((f.projects for f in self.roadmap.fields if f.name == field.name), 0),
                }
                for field in self.fields
            ],
            "roadmap": _roadmap_dict(self.roadmap),
        }


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _json_rate(rate: Decimal | None) -> float | None:
    # Rates are always numbers with one decimal (0.0, 100.0), rounded half-up.
    shown = rate_value(rate)
    return None if shown is None else float(shown)


def _period_fields(prefix: str, period: Period | None) -> dict[str, Any]:
    return {
        prefix: period.text if period else None,
        f"{prefix}_western": period.western if period else None,
        f"{prefix}_end": period.end.isoformat() if period else None,
    }


def _kpi_dict(result: KpiResult) -> dict[str, Any]:
    kpi = result.kpi
    return {
        "id": kpi.id,
        "field": kpi.field,
        "name": kpi.name,
        "components": kpi.components,
        "rate": _json_rate(result.rate),
        "previous_rate": _json_rate(result.previous_rate),
        "delta": _json_rate(result.delta),
        "rate_published": _json_rate(kpi.rate_published),
        "indicators": [_indicator_dict(item) for item in result.indicators],
    }


def _indicator_dict(result: IndicatorResult) -> dict[str, Any]:
    indicator = result.indicator
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline": _json_number(indicator.baseline),
        "target": _json_number(indicator.target),
        "previous": _json_number(indicator.previous),
        **_period_fields("previous_period", indicator.previous_period),
        "latest": _json_number(indicator.latest),
        **_period_fields("latest_period", indicator.latest_period),
        "previous_rate": _json_rate(result.previous_rate),
        "latest_rate": _json_rate(result.latest_rate),
        "source": indicator.source,
        "note": indicator.note,
        "changed": result.changed,
        "changed_fields": list(result.changed_fields),
        "previous_rate_published": _json_rate(indicator.previous_rate_published),
        "latest_rate_published": _json_rate(indicator.latest_rate_published),
    }


def _roadmap_dict(summary: RoadmapSummary) -> dict[str, Any]:
    return {
        "total_projects": summary.total_projects,
        "budget_total": _json_number(summary.budget_total),
        "budget_projects": summary.budget_projects,
        "budget_unit": "千円",
        "fields": [
            {
                "name": field.name,
                "projects": field.projects,
                "reference_projects": field.reference_projects,
                "categories": [{"name": c.name, "projects": c.projects} for c in field.categories],
                "budget_total": _json_number(field.budget_total),
                "budget_projects": field.budget_projects,
            }
            for field in summary.fields
        ],
        "featured": [status.project.no for status in summary.featured],
        "projects": [
            {
                "no": status.project.no,
                "field": status.project.field,
                "category": status.project.category,
                "name": status.project.name,
                "division": status.project.division,
                "budget": _json_number(status.project.budget),
                "featured": status.project.featured,
                "reference": status.project.reference,
                "has_grid": status.has_grid,
                "missing_actuals": [str(year) for year in status.missing_actuals],
            }
            for status in summary.projects
        ],
    }


# --- computing -----------------------------------------------------------------------------


def rate_of(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """The rate of one of the indicator's values, by its direction (docs/rules.md 1 and 1a)."""
    return indicator_rate(value, indicator.target, indicator.baseline, indicator.direction == "decrease")


def _kpi_rate(indicators: tuple[IndicatorResult, ...]) -> Decimal | None:
    return mean([item.latest_rate for item in indicators if item.latest_rate is not None])


def _changes(indicator: Indicator, before: Indicator) -> tuple[str, ...]:
    return tuple(name for name in COMPARED if getattr(indicator, name) != getattr(before, name))


def _indicator_results(
    data: PeriodData, kpi: Kpi, previous: dict[tuple[str, str], Indicator] | None
) -> tuple[IndicatorResult, ...]:
    results = []
    for indicator in data.indicators_of(kpi.id):
        changed: tuple[str, ...] = ()
        new = False
        if previous is not None:
            before = previous.get(indicator.key)
            if before is None:
                new = True
            else:
                changed = _changes(indicator, before)
        results.append(
            IndicatorResult(
                indicator,
                rate_of(indicator, indicator.previous),
                rate_of(indicator, indicator.latest),
                changed,
                new,
            )
        )
    return tuple(results)


def _previous_kpi_rates(previous: PeriodData | None) -> dict[str, Decimal | None]:
    if previous is None:
        return {}
    rates: dict[str, Decimal | None] = {}
    for kpi in previous.kpis:
        rates[kpi.id] = _kpi_rate(_indicator_results(previous, kpi, None))
    return rates


def _delta(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    # The difference of the figures as shown, so that the card's numbers add up for the reader.
    if now is None or then is None:
        return None
    return round_half_up(now) - round_half_up(then)


def _past_years(data: PeriodData) -> list[FiscalYear]:
    as_of = data.meeting.as_of
    if as_of is None:
        return []
    return [year for year in data.meeting.roadmap_years if dt.date(year.year + 1, 3, 31) < as_of]


def _missing_actuals(
    project: Project, entries: list[ActivityEntry], past: list[FiscalYear]
) -> tuple[FiscalYear, ...]:
    missing = []
    activities = dict.fromkeys(entry.activity for entry in entries)
    for year in past:
        for activity in activities:
            planned = any(e.kind == "plan" and e.activity == activity and e.covers(year) for e in entries)
            done = any(e.kind == "actual" and e.activity == activity and e.covers(year) for e in entries)
            if planned and not done:
                missing.append(year)
                break
    return tuple(missing)


def _sum(values: list[Decimal | None]) -> tuple[Decimal | None, int]:
    known = [value for value in values if value is not None]
    return (sum(known, Decimal(0)) if known else None), len(known)


def _roadmap(data: PeriodData) -> RoadmapSummary:
    past = _past_years(data)
    statuses = []
    for project in data.projects:
        entries = list(data.activities_of(project.no))
        statuses.append(ProjectStatus(project, _missing_actuals(project, entries, past), bool(entries)))
    fields = []
    for name in dict.fromkeys(project.field for project in data.projects):
        projects = [project for project in data.projects if project.field == name]
        categories: dict[str, int] = {}
        for project in projects:
            if project.category:
                categories[project.category] = categories.get(project.category, 0) + 1
        total, counted = _sum([project.budget for project in projects])
        fields.append(
            RoadmapField(
                name,
                len(projects),
                sum(1 for project in projects if project.reference),
                tuple(CategoryCount(category, count) for category, count in categories.items()),
                total,
                counted,
            )
        )
    total, counted = _sum([project.budget for project in data.projects])
    return RoadmapSummary(tuple(fields), tuple(statuses), len(data.projects), total, counted)


def grid_spans(entries: Sequence[ActivityEntry]) -> list[tuple[FiscalYear, FiscalYear, str]]:
    """The entries of one grid row (an activity's 計画 or 実績) as spans that do not overlap:
    overlapping entries are joined into one span with their texts on separate lines."""
    spans: list[tuple[FiscalYear, FiscalYear, str]] = []
    for entry in sorted(entries, key=lambda e: (e.first, e.last)):
        if spans and entry.first <= spans[-1][1]:
            first, last, text = spans[-1]
            spans[-1] = (first, max(last, entry.last), text + "\n" + entry.text)
        else:
            spans.append((entry.first, entry.last, entry.text))
    return spans


def compute(data: PeriodData, previous: PeriodData | None = None) -> Result:
    """The result of a period, compared with ``previous`` (the nearest earlier snapshot) if given."""
    before = {indicator.key: indicator for indicator in previous.indicators} if previous else None
    previous_rates = _previous_kpi_rates(previous)
    fields = []
    for field in dict.fromkeys(kpi.field for kpi in data.kpis):
        kpis = []
        for kpi in data.kpis:
            if kpi.field != field:
                continue
            indicators = _indicator_results(data, kpi, before)
            rate = _kpi_rate(indicators)
            then = previous_rates.get(kpi.id)
            kpis.append(KpiResult(kpi, indicators, rate, then, _delta(rate, then)))
        fields.append(FieldResult(field, tuple(kpis)))
    return Result(data, previous, tuple(fields), _roadmap(data))
