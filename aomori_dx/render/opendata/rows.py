"""The rows of the open data tables, made from a computed ``Result``: indicators, KPIs, projects
and the roadmap in long format (one value per row), as text cells ready for CSV."""

from __future__ import annotations

from aomori_dx.compute import Result
from aomori_dx.format import indicator_note, rate_value
from aomori_dx.parse import FiscalYear
from aomori_dx.render.opendata.cells import csv_bytes, flag_cell, number_cell, period_cells, text_cell
from aomori_dx.render.opendata.schema import INDICATOR_COLUMNS
from aomori_dx.render.views import KIND_LABELS


def indicator_rows(result: Result) -> list[dict[str, str]]:
    """One row per indicator, as text cells ready for CSV."""
    rows = []
    for kpi in result.kpis:
        for number, item in enumerate(kpi.indicators, start=1):
            indicator = item.indicator
            row = {
                "period": text_cell(result.period.id),
                "field": text_cell(kpi.kpi.field),
                "kpi_id": text_cell(kpi.kpi.id),
                "kpi_name": text_cell(kpi.kpi.name),
                "kpi_rate": number_cell(rate_value(kpi.rate)),
                "indicator_no": str(number),
                "indicator": text_cell(indicator.name),
                "unit": text_cell(indicator.unit),
                "target": number_cell(indicator.target),
                "previous": number_cell(indicator.previous),
                "previous_rate": number_cell(rate_value(item.previous_rate)),
                "latest": number_cell(indicator.latest),
                "latest_rate": number_cell(rate_value(item.latest_rate)),
                "source": text_cell(indicator.source),
                "note": text_cell(indicator_note(indicator)),
                "changed": flag_cell(item.changed),
            }
            row.update(period_cells("previous", indicator.previous_period))
            row.update(period_cells("latest", indicator.latest_period))
            rows.append(row)
    return rows


def kpi_rows(result: Result) -> list[dict[str, str]]:
    """One row per KPI."""
    meeting = result.period.meeting
    return [
        {
            "period": text_cell(result.period.id),
            "period_label": text_cell(meeting.period_label),
            "as_of": meeting.as_of.isoformat() if meeting.as_of else "",
            "field": text_cell(kpi.kpi.field),
            "kpi_id": text_cell(kpi.kpi.id),
            "kpi_name": text_cell(kpi.kpi.name),
            "rate": number_cell(rate_value(kpi.rate)),
            "previous_rate": number_cell(rate_value(kpi.previous_rate)),
            "delta": number_cell(rate_value(kpi.delta)),
            "indicator_count": str(len(kpi.indicators)),
            "components": text_cell(kpi.kpi.components),
        }
        for kpi in result.kpis
    ]


def _year(year: FiscalYear | None) -> str:
    return "" if year is None else str(year.year)


def project_rows(result: Result) -> list[dict[str, str]]:
    """One row per project of the roadmap, reference projects included."""
    return [
        {
            "period": text_cell(result.period.id),
            "project_no": str(project.no),
            "field": text_cell(project.field),
            "category": text_cell(project.category),
            "project_name": text_cell(project.name),
            "department": text_cell(project.department),
            "division": text_cell(project.division),
            "budget": number_cell(project.budget),
            "budget_original": number_cell(project.budget_original),
            "start_year": _year(project.start),
            "end_year": _year(project.end),
            "featured": flag_cell(project.featured is not None),
            "featured_order": number_cell(project.featured),
            "reference": flag_cell(project.reference),
            "summary": text_cell(project.summary),
        }
        for project in result.period.projects
    ]


def roadmap_rows(result: Result) -> list[dict[str, str]]:
    """Long format: one row per project × activity × fiscal year × plan/actual × entry (L3-09).

    Two entries on the same cell (the page shows them as "A／B") stay two rows, one value each
    (L1-07), told apart by ``entry_no``."""
    rows = []
    count: dict[tuple[int, str, int, str], int] = {}
    for project in result.period.projects:
        for entry in result.period.activities_of(project.no):
            kind = KIND_LABELS[entry.kind]
            activity = text_cell(entry.activity)
            for year in range(entry.first.year, entry.last.year + 1):
                key = (project.no, activity, year, kind)
                count[key] = count.get(key, 0) + 1
                rows.append(
                    {
                        "period": text_cell(result.period.id),
                        "field": text_cell(project.field),
                        "category": text_cell(project.category),
                        "project_no": str(project.no),
                        "project_name": text_cell(project.name),
                        "division": text_cell(project.division),
                        "activity": activity,
                        "fiscal_year": FiscalYear(year).era_label,
                        "fiscal_year_western": str(year),
                        "kind": kind,
                        "entry_no": str(count[key]),
                        "text": text_cell(entry.text),
                    }
                )
    return rows


def indicator_csv(result: Result) -> str:
    """The indicator table as CSV text, starting with a BOM (UTF-8 with BOM when encoded)."""
    return csv_bytes(INDICATOR_COLUMNS, indicator_rows(result)).decode("utf-8")
