"""The published dashboard: a static, self-contained website and open data for the prefecture.

``build_site`` returns the files of ``out/<period>/site/`` as a mapping of relative path → bytes;
the CLI writes them atomically.  Pages are Jinja2 templates with autoescaping, so every text from
the inputs is escaped.  Charts are inline SVG drawn from the data, each with a text alternative
(the figure in words) and, for trends, the same numbers as a table.  Nothing refers outside the
site folder: no CDN, no web fonts, no scripts.  The open data follows the Digital Agency's rules
for machine-readable data (one value per cell, numbers as numbers, Western years beside era
years, UTF-8 with BOM, a data dictionary) and is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from aomori_dx.compute import KpiResult, Result
from aomori_dx.format import (
    NO_VALUE,
    indicator_note,
    number,
    percent,
    points,
    rate_value,
    value_with_unit,
    yen_from_thousands,
)
from aomori_dx.model import ActivityEntry
from aomori_dx.parse import FiscalYear
from aomori_dx.render.opendata import INDICATOR_COLUMNS, indicator_rows

__all__ = ["KPI_COLUMNS", "ROADMAP_COLUMNS", "TrendPoint", "build_site"]


@dataclass(frozen=True)
class TrendPoint:
    """A KPI's rate in one period, for the trend chart."""

    period: str
    label: str
    rate: Decimal | None


KPI_COLUMNS = (
    "period",
    "period_label",
    "as_of",
    "field",
    "kpi_id",
    "kpi_name",
    "rate",
    "previous_rate",
    "delta",
    "indicator_count",
    "components",
)
ROADMAP_COLUMNS = (
    "period",
    "field",
    "category",
    "project_no",
    "project_name",
    "division",
    "activity",
    "fiscal_year",
    "fiscal_year_western",
    "kind",
    "text",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _n(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


# --- charts --------------------------------------------------------------------------------


def doughnut(rate: Decimal | None, label: str, size: int = 120) -> dict[str, Any]:
    """The geometry of a doughnut chart of ``rate`` (0–100; the ring is empty for ≤ 0)."""
    radius = 46
    circumference = 2 * math.pi * radius
    share = 0.0 if rate is None else max(0.0, min(100.0, float(rate))) / 100
    return {
        "size": size,
        "radius": radius,
        "circumference": f"{circumference:.3f}",
        "dash": f"{circumference * share:.3f}",
        "gap": f"{circumference * (1 - share):.3f}",
        "text": percent(rate),
        "alt": f"{label}の達成率は{percent(rate)}" if rate is not None else f"{label}の達成率はありません",
    }


def trend(points_: Sequence[TrendPoint], name: str) -> dict[str, Any] | None:
    """A line chart of a KPI over periods (None for fewer than two periods)."""
    if len(points_) < 2:
        return None
    width, height, left, right, top, bottom = 640, 240, 48, 16, 16, 40
    step = (width - left - right) / max(1, len(points_) - 1)
    coords = []
    for index, item in enumerate(points_):
        if item.rate is None:
            continue
        value = max(-10.0, min(100.0, float(item.rate)))
        y = top + (height - top - bottom) * (1 - (value / 100))
        coords.append({"x": f"{left + index * step:.1f}", "y": f"{y:.1f}", "label": percent(item.rate)})
    words = "、".join(f"{item.label} {percent(item.rate)}" for item in points_)
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "grid": [
            {"y": f"{top + (height - top - bottom) * (1 - v / 100):.1f}", "label": f"{v}%"}
            for v in (0, 25, 50, 75, 100)
        ],
        "ticks": [{"x": f"{left + i * step:.1f}", "label": item.label} for i, item in enumerate(points_)],
        "points": coords,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "alt": f"{name}の達成率の推移: {words}",
        "rows": [
            {"label": item.label, "period": item.period, "rate": percent(item.rate)} for item in points_
        ],
    }


# --- data ----------------------------------------------------------------------------------


def _kpi_rows(result: Result) -> list[dict[str, str]]:
    meeting = result.period.meeting
    return [
        {
            "period": _cell(result.period.id),
            "period_label": _cell(meeting.period_label),
            "as_of": meeting.as_of.isoformat() if meeting.as_of else "",
            "field": _cell(kpi.kpi.field),
            "kpi_id": _cell(kpi.kpi.id),
            "kpi_name": _cell(kpi.kpi.name),
            "rate": _n(rate_value(kpi.rate)),
            "previous_rate": _n(rate_value(kpi.previous_rate)),
            "delta": _n(rate_value(kpi.delta)),
            "indicator_count": str(len(kpi.indicators)),
            "components": _cell(kpi.kpi.components),
        }
        for kpi in result.kpis
    ]


def _roadmap_rows(result: Result) -> list[dict[str, str]]:
    """Long format: one row per project × activity × fiscal year × plan/actual (L3-09)."""
    rows = []
    for project in result.period.projects:
        for entry in result.period.activities_of(project.no):
            for year in range(entry.first.year, entry.last.year + 1):
                fiscal = FiscalYear(year)
                rows.append(
                    {
                        "period": _cell(result.period.id),
                        "field": _cell(project.field),
                        "category": _cell(project.category),
                        "project_no": str(project.no),
                        "project_name": _cell(project.name),
                        "division": _cell(project.division),
                        "activity": _cell(entry.activity),
                        "fiscal_year": fiscal.era_label,
                        "fiscal_year_western": str(fiscal.year),
                        "kind": "計画" if entry.kind == "plan" else "実績",
                        "text": _cell(entry.text.replace("\n", " ")),
                    }
                )
    return rows


DICTIONARY = (
    ("indicators.csv", "period", "期の識別子（フォルダ名）", "文字列", "fy2024-h1"),
    ("indicators.csv", "field", "分野", "文字列", "産業・しごと分野"),
    ("indicators.csv", "kpi_id", "KPI番号", "文字列", "K1"),
    ("indicators.csv", "kpi_name", "KPI名", "文字列", ""),
    (
        "indicators.csv",
        "kpi_rate",
        "KPI（中間指標の直近の達成率の単純平均、小数第1位で四捨五入）",
        "数値（%）",
        "33.0",
    ),
    ("indicators.csv", "indicator", "中間指標名", "文字列", ""),
    ("indicators.csv", "unit", "単位", "文字列", "件"),
    ("indicators.csv", "target", "目標値 (A)", "数値（単位は unit）", "375"),
    ("indicators.csv", "previous", "前期の値 (B)。空欄は値なし（0 ではない）", "数値（単位は unit）", ""),
    ("indicators.csv", "previous_period", "前期の値の時点（和暦）", "文字列", "R4年度"),
    ("indicators.csv", "previous_period_western", "前期の値の時点（西暦）", "文字列", "2022年度"),
    (
        "indicators.csv",
        "previous_rate",
        "前期の達成率 C = B/A×100（上限100、小数第1位で四捨五入）",
        "数値（%）",
        "",
    ),
    ("indicators.csv", "latest", "直近の値 (D)", "数値（単位は unit）", "109"),
    ("indicators.csv", "latest_period", "直近の値の時点（和暦）", "文字列", "R5年度"),
    ("indicators.csv", "latest_period_western", "直近の値の時点（西暦）", "文字列", "2023年度"),
    (
        "indicators.csv",
        "latest_rate",
        "直近の達成率 E = D/A×100（上限100、小数第1位で四捨五入）",
        "数値（%）",
        "29.1",
    ),
    ("indicators.csv", "source", "データの出所", "文字列", ""),
    ("indicators.csv", "note", "注記", "文字列", ""),
    (
        "indicators.csv",
        "changed",
        "前期の公表から値が変わったか（1 = 変わった、0 = 変わらない）",
        "数値（0/1）",
        "0",
    ),
    ("kpis.csv", "period", "期の識別子", "文字列", "fy2024-h1"),
    ("kpis.csv", "period_label", "期の名前", "文字列", "令和6年度上半期"),
    ("kpis.csv", "as_of", "基準日（西暦）", "日付（YYYY-MM-DD）", "2024-11-30"),
    ("kpis.csv", "field", "分野", "文字列", ""),
    ("kpis.csv", "kpi_id", "KPI番号", "文字列", "K1"),
    ("kpis.csv", "kpi_name", "KPI名", "文字列", ""),
    ("kpis.csv", "rate", "KPI（%）", "数値（%）", "33.0"),
    ("kpis.csv", "previous_rate", "前期の KPI（%）。空欄は前期なし", "数値（%）", ""),
    ("kpis.csv", "delta", "前期差（ポイント）。空欄は前期なし", "数値（ポイント）", ""),
    ("kpis.csv", "indicator_count", "中間指標の数", "数値（個）", "5"),
    ("kpis.csv", "components", "指標の構成要素", "文字列", ""),
    ("roadmap.csv", "period", "期の識別子", "文字列", "fy2024-h1"),
    ("roadmap.csv", "field", "分野", "文字列", ""),
    ("roadmap.csv", "category", "項目", "文字列", ""),
    ("roadmap.csv", "project_no", "事業番号", "数値", "8"),
    ("roadmap.csv", "project_name", "事業名", "文字列", ""),
    ("roadmap.csv", "division", "担当課等", "文字列", ""),
    ("roadmap.csv", "activity", "取組", "文字列", ""),
    ("roadmap.csv", "fiscal_year", "年度（和暦）", "文字列", "R6"),
    ("roadmap.csv", "fiscal_year_western", "年度（西暦、4月始まり）", "数値", "2024"),
    ("roadmap.csv", "kind", "計画 または 実績", "文字列", "計画"),
    ("roadmap.csv", "text", "内容", "文字列", ""),
)


# --- pages ---------------------------------------------------------------------------------


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("aomori_dx", "render/site_templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        percent=percent, points=points, number=number, value_with_unit=value_with_unit, yen=yen_from_thousands
    )
    return environment


def _status(entries: Sequence[ActivityEntry], missing: Sequence[Any]) -> str:
    if not entries:
        return "記入なし"
    if missing:
        return "実績未入力の年度あり（" + "、".join(str(year) for year in missing) + "）"
    return "計画・実績を記入済み"


def build_site(result: Result, history: Sequence[Result] = ()) -> dict[str, bytes]:
    """Every file of the site, as relative path → bytes (deterministic).

    ``history`` holds the results of earlier periods (oldest first) for the trend charts.
    """
    environment = _environment()
    meeting = result.period.meeting
    number_text = f"第{meeting.number}回 " if meeting.number else ""
    trends: dict[str, list[TrendPoint]] = {}
    for item in [*history, result]:
        for kpi in item.kpis:
            trends.setdefault(kpi.kpi.id, []).append(
                TrendPoint(item.period.id, item.period.meeting.period_label or item.period.id, kpi.rate)
            )
    kpi_pages = {kpi.kpi.id: f"kpi-{kpi.kpi.id}.html" for kpi in result.kpis}
    common = {
        "title": meeting.plan or meeting.council,
        "council": f"{number_text}{meeting.council}",
        "period_label": meeting.period_label,
        "as_of": meeting.as_of.isoformat() if meeting.as_of else "",
        "previous": result.previous.id if result.previous else None,
        "organizer": meeting.organizer,
        "kpis": result.kpis,
        "kpi_pages": kpi_pages,
        "NO_VALUE": NO_VALUE,
    }
    files: dict[str, bytes] = {}

    def render(name: str, page: str, **context: Any) -> None:
        files[page] = environment.get_template(name).render(**common, **context, page=page).encode("utf-8")

    render(
        "index.html",
        "index.html",
        fields=result.fields,
        charts={kpi.kpi.id: doughnut(kpi.rate, kpi.kpi.name) for kpi in result.kpis},
        any_changed=any(kpi.changed for kpi in result.kpis),
    )
    for kpi in result.kpis:
        render(
            "kpi.html",
            kpi_pages[kpi.kpi.id],
            kpi=kpi,
            chart=doughnut(kpi.rate, kpi.kpi.name, 160),
            trend=trend(trends.get(kpi.kpi.id, []), kpi.kpi.name),
            rows=_indicator_view(kpi),
        )
    if result.period.projects:
        fields = []
        for name in dict.fromkeys(project.field for project in result.period.projects):
            statuses = [s for s in result.roadmap.projects if s.project.field == name]
            fields.append(
                {
                    "name": name,
                    "rows": [
                        {
                            "project": s.project,
                            "status": _status(result.period.activities_of(s.project.no), s.missing_actuals),
                            "late": bool(s.missing_actuals),
                        }
                        for s in statuses
                    ],
                }
            )
        years = list(meeting.roadmap_years)
        featured = []
        for status in result.roadmap.featured:
            entries = result.period.activities_of(status.project.no)
            grid = []
            for activity in dict.fromkeys(e.activity for e in entries):
                for kind, label in (("plan", "計画"), ("actual", "実績")):
                    cells = []
                    for year in years:
                        texts = [
                            e.text
                            for e in entries
                            if e.activity == activity and e.kind == kind and e.covers(year)
                        ]
                        cells.append("／".join(dict.fromkeys(texts)))
                    grid.append({"activity": activity, "kind": label, "cells": cells})
            featured.append({"project": status.project, "grid": grid})
        render(
            "roadmap.html",
            "roadmap.html",
            roadmap_title=meeting.roadmap_title or "ロードマップ",
            roadmap_fields=fields,
            featured=featured,
            years=[year.era_label for year in years],
            total=result.roadmap.total_projects,
        )
    render("data.html", "data.html", dictionary=DICTIONARY, has_roadmap=bool(result.period.projects))
    files["style.css"] = environment.get_template("style.css").render().encode("utf-8")
    files["data/indicators.csv"] = _csv(INDICATOR_COLUMNS, indicator_rows(result))
    files["data/kpis.csv"] = _csv(KPI_COLUMNS, _kpi_rows(result))
    files["data/datadict.csv"] = _csv(
        ("file", "column", "description", "type", "example"),
        [
            dict(zip(("file", "column", "description", "type", "example"), row, strict=True))
            for row in DICTIONARY
        ],
    )
    payload = result.to_dict()
    files["data/indicators.json"] = (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["data/kpis.json"] = (
        json.dumps(_kpi_rows_json(result), ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
    if result.period.projects:
        files["data/roadmap.csv"] = _csv(ROADMAP_COLUMNS, _roadmap_rows(result))
    return files


def _kpi_rows_json(result: Result) -> list[dict[str, Any]]:
    out = []
    for kpi in result.kpis:
        rate, previous, delta = (rate_value(v) for v in (kpi.rate, kpi.previous_rate, kpi.delta))
        out.append(
            {
                "period": result.period.id,
                "field": kpi.kpi.field,
                "kpi_id": kpi.kpi.id,
                "kpi_name": kpi.kpi.name,
                "rate": None if rate is None else float(rate),
                "previous_rate": None if previous is None else float(previous),
                "delta": None if delta is None else float(delta),
                "indicator_count": len(kpi.indicators),
                "components": kpi.kpi.components,
            }
        )
    return out


def _indicator_view(kpi: KpiResult) -> list[dict[str, Any]]:
    rows = []
    for item in kpi.indicators:
        indicator = item.indicator
        changed = set(item.changed_fields) | ({"target", "previous", "latest"} if item.new else set())
        rows.append(
            {
                "name": indicator.name,
                "target": value_with_unit(indicator.target, indicator.unit),
                "previous": value_with_unit(indicator.previous, indicator.unit),
                "previous_period": indicator.previous_period.text if indicator.previous_period else "",
                "previous_western": indicator.previous_period.western if indicator.previous_period else "",
                "previous_rate": percent(item.previous_rate),
                "latest": value_with_unit(indicator.latest, indicator.unit),
                "latest_period": indicator.latest_period.text if indicator.latest_period else "",
                "latest_western": indicator.latest_period.western if indicator.latest_period else "",
                "latest_rate": percent(item.latest_rate),
                "source": indicator.source,
                "note": indicator_note(indicator),
                "previous_changed": bool(changed & {"previous", "previous_period"}),
                "latest_changed": bool(changed & {"latest", "latest_period"}),
                "target_changed": bool(changed & {"target", "unit"}),
            }
        )
    return rows
