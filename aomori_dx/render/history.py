"""The time series across periods: ``history.csv`` (long), ``history.xlsx`` (wide) and the trend charts.

``history_rows`` turns the results of every period (oldest first) into one row per period × KPI ×
indicator; the site's trend charts (``kpi_series``), the CSV and the Excel workbook are all made
from those rows, so the chart a visitor sees and the file a portal takes show the same figures.
pandas (the project's table library) reshapes the rows into the wide workbook for staff; it is
imported inside ``history_xlsx`` only, so that ``aomori-dx validate`` never pays for it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from aomori_dx.compute import Result
from aomori_dx.format import rate_value
from aomori_dx.model import name_key
from aomori_dx.output import normalize_ooxml, restamp_core
from aomori_dx.parse import Period
from aomori_dx.render.opendata import (
    INDICATORS,
    KPIS,
    Field,
    Table,
    number_cell,
    period_cells,
    text_cell,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HISTORY",
    "HistoryRow",
    "TrendPoint",
    "history_csv_rows",
    "history_rows",
    "history_xlsx",
    "kpi_series",
]


@dataclass(frozen=True)
class TrendPoint:
    """A KPI's rate in one period, for the trend chart."""

    period: str
    label: str
    rate: Decimal | None


@dataclass(frozen=True)
class HistoryRow:
    """One indicator in one period, with its KPI's rate then."""

    period: str
    period_label: str
    as_of: dt.date | None
    field: str
    kpi_id: str
    kpi_name: str
    kpi_rate: Decimal | None
    indicator_no: int
    indicator: str
    unit: str
    target: Decimal
    value: Decimal | None
    value_period: Period | None
    rate: Decimal | None


def _copy(table: Table, column: str, **changes: str) -> Field:
    original = next(field for field in table.fields if field.name == column)
    return Field(
        changes.get("name", original.name),
        original.type,
        changes.get("title", original.title),
        changes.get("description", original.description),
        changes.get("example", original.example),
        original.unit,
        original.guarded,
        original.enum,
    )


def _value_fields() -> tuple[Field, ...]:
    fields = []
    for field in INDICATORS.fields:
        if field.name.startswith("latest_") and field.name != "latest_rate":
            fields.append(
                _copy(
                    INDICATORS,
                    field.name,
                    name=field.name.replace("latest_", "value_", 1),
                    title=field.title.replace("直近の値", "値"),
                    description=field.description.replace("直近の値", "値"),
                )
            )
    return tuple(fields)


HISTORY = Table(
    "history",
    "達成状況の推移",
    "期ごとの KPI と中間指標の値・達成率（1行 = 期 × 中間指標 の縦長形式）。inputs/ にある期のうち、"
    "この期までの検査を通った期を古い順に並べています",
    (
        _copy(INDICATORS, "period"),
        _copy(KPIS, "period_label"),
        _copy(KPIS, "as_of"),
        _copy(INDICATORS, "field"),
        _copy(INDICATORS, "kpi_id"),
        _copy(INDICATORS, "kpi_name"),
        _copy(
            INDICATORS,
            "kpi_rate",
            description="その期の KPI（中間指標の直近の達成率の単純平均、小数第1位で四捨五入）",
        ),
        _copy(INDICATORS, "indicator_no", description="その期の KPI の中での中間指標の順番（1から）"),
        _copy(INDICATORS, "indicator"),
        _copy(INDICATORS, "unit", description="value・target の単位"),
        _copy(INDICATORS, "target", description="その期の目標値。単位は unit 列"),
        Field("value", "number", "値", "その期の直近の値。単位は unit 列。空欄は値なし（0 ではない）", "109"),
        *_value_fields(),
        _copy(
            INDICATORS,
            "latest_rate",
            name="rate",
            title="達成率",
            description="その期の直近の達成率（上限100、小数第1位で四捨五入）",
        ),
    ),
    ("period", "kpi_id", "indicator_no"),
)


def history_rows(results: Sequence[Result]) -> list[HistoryRow]:
    """One row per period × indicator, periods in the order given (oldest first)."""
    rows = []
    for result in results:
        meeting = result.period.meeting
        for kpi in result.kpis:
            for number, item in enumerate(kpi.indicators, start=1):
                indicator = item.indicator
                rows.append(
                    HistoryRow(
                        result.period.id,
                        meeting.period_label or result.period.id,
                        meeting.as_of,
                        kpi.kpi.field,
                        kpi.kpi.id,
                        kpi.kpi.name,
                        kpi.rate,
                        number,
                        indicator.name,
                        indicator.unit,
                        indicator.target,
                        indicator.latest,
                        indicator.latest_period,
                        item.latest_rate,
                    )
                )
    return rows


def kpi_series(rows: Sequence[HistoryRow]) -> dict[str, list[TrendPoint]]:
    """Each KPI's rate per period, in the rows' order: what the trend charts draw."""
    series: dict[str, dict[str, TrendPoint]] = {}
    for row in rows:
        series.setdefault(row.kpi_id, {}).setdefault(
            row.period, TrendPoint(row.period, row.period_label, row.kpi_rate)
        )
    return {kpi: list(points.values()) for kpi, points in series.items()}


def history_csv_rows(rows: Sequence[HistoryRow]) -> list[dict[str, str]]:
    """The rows as CSV cells (``HISTORY``'s columns)."""
    out = []
    for row in rows:
        cells = {
            "period": text_cell(row.period),
            "period_label": text_cell(row.period_label),
            "as_of": row.as_of.isoformat() if row.as_of else "",
            "field": text_cell(row.field),
            "kpi_id": text_cell(row.kpi_id),
            "kpi_name": text_cell(row.kpi_name),
            "kpi_rate": number_cell(rate_value(row.kpi_rate)),
            "indicator_no": str(row.indicator_no),
            "indicator": text_cell(row.indicator),
            "unit": text_cell(row.unit),
            "target": number_cell(row.target),
            "value": number_cell(row.value),
            "rate": number_cell(rate_value(row.rate)),
        }
        cells.update(period_cells("value", row.value_period))
        out.append(cells)
    return out


def history_xlsx(rows: Sequence[HistoryRow]) -> bytes:
    """The series as a wide workbook for staff: one sheet each for KPIs, values and rates,
    a row per KPI or indicator and a column per period (deterministic bytes)."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "period": row.period,
            "kpi": row.kpi_id,
            "key": name_key(row.indicator),  # what identifies an indicator across periods
            "KPI番号": text_cell(row.kpi_id),
            "KPI名": text_cell(row.kpi_name),
            "中間指標名": text_cell(row.indicator),
            "単位": text_cell(row.unit),
            "kpi_rate": rate_value(row.kpi_rate),
            "value": row.value,
            "rate": rate_value(row.rate),
        }
        for row in rows
    )
    periods = list(dict.fromkeys(row.period for row in rows))
    headers = {row.period: text_cell(row.period_label) for row in rows}
    if len(set(headers.values())) < len(periods):  # two periods with one label: the ids tell them apart
        headers = {period: period for period in periods}
    sheets = {
        "KPI": _wide(
            frame.drop_duplicates(["period", "kpi"]), ["kpi"], ["KPI番号", "KPI名"], "kpi_rate", periods
        ),
        "中間指標の値": _wide(frame, ["kpi", "key"], ["KPI番号", "中間指標名", "単位"], "value", periods),
        "達成率": _wide(frame, ["kpi", "key"], ["KPI番号", "中間指標名"], "rate", periods),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, sheet in sheets.items():
            sheet.rename(columns=headers).to_excel(writer, sheet_name=name, index=False)
            worksheet = writer.sheets[name]
            worksheet.freeze_panes = "A2"
            if name != "中間指標の値":  # rates: one decimal, as the documents print them
                for column in worksheet.iter_cols(min_col=sheet.shape[1] - len(periods) + 1, min_row=2):
                    for cell in column:
                        cell.number_format = "0.0"
    stamp = max((row.as_of for row in rows if row.as_of), default=dt.date(2000, 1, 1))
    return normalize_ooxml(restamp_core(buffer.getvalue(), f"{stamp.isoformat()}T00:00:00Z"))


def _wide(
    frame: pd.DataFrame, key: list[str], labels: list[str], value: str, periods: list[str]
) -> pd.DataFrame:
    """Rows by ``key`` in first-seen order, labelled with the latest period's texts; periods across."""
    import pandas as pd

    wide = frame.pivot(index=key, columns="period", values=value).reindex(columns=periods)
    names = frame.drop_duplicates(key, keep="last").set_index(key)[labels]
    order = frame.drop_duplicates(key).set_index(key).index
    return pd.concat([names.reindex(order), wide.reindex(order)], axis=1).reset_index(drop=True)
