"""The published dashboard: a static, self-contained website and open data for the prefecture.

``build_site`` returns the files of ``out/<period>/site/`` as a mapping of relative path → bytes;
the CLI writes them atomically.  Pages are Jinja2 templates with autoescaping, so every text from
the inputs is escaped.  Charts are inline SVG drawn from the data, each with a text alternative
(the figure in words) and, for trends, the same numbers as a table.  Nothing refers outside the
site folder: no CDN, no web fonts, no scripts.  The open data (``render.opendata``: CSV, a
Frictionless Data Package, a data dictionary) and the series across periods (``render.history``:
history.csv, history.xlsx) are written from the same rows the pages show; the trend charts draw
``kpi_series`` of that history.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from aomori_dx.compute import Result
from aomori_dx.format import (
    NO_VALUE,
    number,
    percent,
    points,
    rate_value,
    value_with_unit,
    yen_from_thousands,
)
from aomori_dx.model import ActivityEntry
from aomori_dx.render import views
from aomori_dx.render.history import (
    HISTORY,
    HistoryRow,
    TrendPoint,
    history_csv_rows,
    history_rows,
    history_xlsx,
    kpi_series,
)
from aomori_dx.render.opendata import (
    DICTIONARY_TABLE,
    INDICATORS,
    KPIS,
    PROJECTS,
    ROADMAP,
    Table,
    csv_bytes,
    datapackage,
    dictionary_rows,
    indicator_rows,
    kpi_rows,
    project_rows,
    publication,
    roadmap_rows,
)

__all__ = ["KPI_COLUMNS", "ROADMAP_COLUMNS", "TrendPoint", "build_site"]

# The words of the glossary the templates print.
GLOSSARY = {"mark": views.CHANGED_MARK, "average": views.AVERAGE_NOTE, "reference": views.REFERENCE_CATEGORY}

KPI_COLUMNS = KPIS.columns
ROADMAP_COLUMNS = ROADMAP.columns


# --- charts --------------------------------------------------------------------------------


def doughnut(rate: Decimal | None, label: str, size: int = 120) -> dict[str, Any]:
    """The geometry of a doughnut chart of ``rate`` (0–100; the ring is empty for ≤ 0)."""
    radius = 46
    circumference = 2 * math.pi * radius
    share = 0.0 if rate is None else float(views.clamped_share(rate)) / 100
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
        percent=percent,
        points=points,
        number=number,
        value_with_unit=value_with_unit,
        yen=yen_from_thousands,
        kpi_line=views.kpi_line,
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

    ``history`` holds the results of earlier periods (oldest first): the trend charts and the
    history files (history.csv, history.xlsx) are made of it and ``result``.
    """
    environment = _environment()
    meeting = result.period.meeting
    series = history_rows([*history, result])
    trends = kpi_series(series)
    kpi_pages = {kpi.kpi.id: f"kpi-{kpi.kpi.id}.html" for kpi in result.kpis}
    common = {
        "title": meeting.plan or meeting.council,
        "council": f"{views.meeting_number(meeting)}{meeting.council}",
        "period_label": meeting.period_label,
        "as_of": meeting.as_of.isoformat() if meeting.as_of else "",
        "previous": result.previous.id if result.previous else None,
        "organizer": meeting.organizer,
        "kpis": result.kpis,
        "kpi_pages": kpi_pages,
        "NO_VALUE": NO_VALUE,
        "glossary": GLOSSARY,
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
            rows=views.indicator_rows(kpi),
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
                for kind in views.ACTIVITY_KINDS:
                    cells = []
                    for year in years:
                        texts = [
                            e.text
                            for e in entries
                            if e.activity == activity and e.kind == kind and e.covers(year)
                        ]
                        cells.append("／".join(dict.fromkeys(texts)))
                    grid.append(
                        {"activity": activity, "kind": kind, "label": views.KIND_LABELS[kind], "cells": cells}
                    )
            featured.append({"project": status.project, "grid": grid})
        render(
            "roadmap.html",
            "roadmap.html",
            roadmap_title=meeting.roadmap_title or views.DEFAULT_ROADMAP_TITLE,
            roadmap_fields=fields,
            featured=featured,
            years=[year.era_label for year in years],
            total=result.roadmap.total_projects,
        )
    tables = _tables(result, series)
    data_files = {f"data/{table.path}": csv_bytes(table.columns, rows) for table, rows in tables}
    data_files["data/history.xlsx"] = history_xlsx(series)
    payload = result.to_dict()
    data_files["data/indicators.json"] = _json(payload)
    data_files["data/kpis.json"] = _json(_kpi_rows_json(result))
    package = datapackage(
        result,
        [table for table, _ in tables],
        [name.removeprefix("data/") for name in data_files if not name.endswith(".csv")],
    )
    data_files["data/datapackage.json"] = _json(package)
    render(
        "data.html",
        "data.html",
        tables=[table for table, _ in tables],
        facts=publication(result),
        periods=list(dict.fromkeys(row.period_label for row in series)),
    )
    files["style.css"] = (
        environment.get_template("style.css").render(changed=views.CHANGED_COLOUR.css).encode("utf-8")
    )
    files.update(data_files)
    return files


def _tables(result: Result, series: Sequence[HistoryRow]) -> list[tuple[Table, list[dict[str, str]]]]:
    """The CSV tables of the open data with their rows (the roadmap's only when there are projects)."""
    tables = [
        (INDICATORS, indicator_rows(result)),
        (KPIS, kpi_rows(result)),
        (HISTORY, history_csv_rows(series)),
    ]
    if result.period.projects:
        tables += [(PROJECTS, project_rows(result)), (ROADMAP, roadmap_rows(result))]
    return [*tables, (DICTIONARY_TABLE, dictionary_rows([*(t for t, _ in tables), DICTIONARY_TABLE]))]


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
