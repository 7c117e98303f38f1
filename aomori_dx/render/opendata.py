"""Machine-readable tables (CSV) following the Digital Agency's rules for administrative data.

One value per cell, numbers as plain numbers (no ▲, no separators, no units: the unit has its own
column), era-year labels with the Western year beside them, a single header row of ASCII names,
UTF-8 with BOM so that Excel opens it.  Text cells that start with = + - @ are prefixed with an
apostrophe so that a spreadsheet never runs them as a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from aomori_dx.compute import Result
from aomori_dx.format import indicator_note, rate_value

__all__ = ["INDICATOR_COLUMNS", "indicator_csv", "indicator_rows"]

INDICATOR_COLUMNS = (
    "period",
    "field",
    "kpi_id",
    "kpi_name",
    "kpi_rate",
    "indicator",
    "unit",
    "target",
    "previous",
    "previous_period",
    "previous_period_western",
    "previous_rate",
    "latest",
    "latest_period",
    "latest_period_western",
    "latest_rate",
    "source",
    "note",
    "changed",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def indicator_rows(result: Result) -> list[dict[str, str]]:
    """One row per indicator, as text cells ready for CSV."""
    rows = []
    for kpi in result.kpis:
        for item in kpi.indicators:
            indicator = item.indicator
            previous, latest = indicator.previous_period, indicator.latest_period
            rows.append(
                {
                    "period": _text(result.period.id),
                    "field": _text(kpi.kpi.field),
                    "kpi_id": _text(kpi.kpi.id),
                    "kpi_name": _text(kpi.kpi.name),
                    "kpi_rate": _number(rate_value(kpi.rate)),
                    "indicator": _text(indicator.name),
                    "unit": _text(indicator.unit),
                    "target": _number(indicator.target),
                    "previous": _number(indicator.previous),
                    "previous_period": _text(previous.text) if previous else "",
                    "previous_period_western": previous.western if previous else "",
                    "previous_rate": _number(rate_value(item.previous_rate)),
                    "latest": _number(indicator.latest),
                    "latest_period": _text(latest.text) if latest else "",
                    "latest_period_western": latest.western if latest else "",
                    "latest_rate": _number(rate_value(item.latest_rate)),
                    "source": _text(indicator.source.replace("\n", " ")),
                    "note": _text(indicator_note(indicator).replace("\n", " ")),
                    "changed": "1" if item.changed else "0",
                }
            )
    return rows


def indicator_csv(result: Result) -> str:
    """The indicator table as CSV text, starting with a BOM (UTF-8 with BOM when encoded)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDICATOR_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(indicator_rows(result))
    return "\ufeff" + buffer.getvalue()
