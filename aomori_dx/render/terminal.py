"""The terminal dashboard (``aomori-dx report``): KPI panels, indicator tables, roadmap summary.

Built from rich renderables only, so tests render it through a fixed-width ``Console`` and
compare text.  Every text from the inputs is a ``Text`` (never a plain string, which rich would
read as markup), so a name such as "[red]" or "[/]" is printed as typed on any console.
Everything wraps rather than cuts, and fits an 80-column terminal: long names wrap inside their
column between phrases (``Phrases``), as the deck breaks them.  Values that changed since the previous snapshot are red and marked
with ＊, so the signal does not rest on colour alone.
"""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from aomori_dx.compute import KpiResult, Result, RoadmapSummary
from aomori_dx.format import number, percent, points, yen_from_thousands
from aomori_dx.render.phrased import Phrases
from aomori_dx.render.views import (
    CHANGED_COLOUR,
    CHANGED_LEGEND,
    CHANGED_MARK,
    DEFAULT_ROADMAP_TITLE,
    REFERENCE,
    IndicatorRow,
    RateCell,
    ValueCell,
    filled_cells,
    indicator_rows,
    kpi_line,
    meeting_number,
)

__all__ = ["render_result"]

BAR_WIDTH = 20
CHANGED = CHANGED_COLOUR.terminal


def _bar(rate: Decimal | None) -> Text:
    """A 20-cell bar of the rate (negative rates show an empty bar)."""
    if rate is None:
        return Text("")
    filled = filled_cells(rate, BAR_WIDTH)
    return Text("█" * filled, style="green") + Text("░" * (BAR_WIDTH - filled), style="dim")


def _delta_text(result: KpiResult) -> Text:
    shown = points(result.delta)
    if result.delta is None or result.delta == 0:
        return Text(f"前期差 {shown}", style="dim")
    return Text(f"前期差 {shown}", style="green" if result.delta > 0 else "red")


def _kpi_card(result: KpiResult) -> RenderableType:
    title = Phrases((result.kpi.name, "bold"))
    rate = Text(percent(result.rate), style=f"bold {CHANGED}" if result.changed else "bold")
    line = Text.assemble(rate, "  ", _bar(result.rate), "  ", _delta_text(result))
    parts: list[RenderableType] = [title, line]
    if result.kpi.components:
        parts.append(Phrases((f"【指標の構成要素】{result.kpi.components}", "dim")))
    return Group(*parts)


def _field_panel(name: str, kpis: tuple[KpiResult, ...]) -> Panel:
    cards: list[RenderableType] = []
    for index, result in enumerate(kpis):
        if index:
            cards.append(Text(""))
        cards.append(_kpi_card(result))
    return Panel(Group(*cards), title=Text(name, style="bold"), title_align="left", box=box.ROUNDED)


def _value_cell(value: ValueCell) -> Text:
    text = Text(value.text, style=CHANGED if value.changed else "")
    if value.changed:
        text.append(CHANGED_MARK, style=CHANGED)
    if value.period:
        text.append(f"\n{value.period}", style="dim")
    return text


def _rate_cell(rate: RateCell) -> Text:
    return Text(rate.text, style=CHANGED if rate.changed else "")


def _indicator_row(row: IndicatorRow, wide: bool) -> list[RenderableType]:
    # Narrow: the source goes under the name, in its own colour, instead of a column of its own.
    source = ("", "") if wide or not row.source else (f"（{row.source}）", "cyan")
    cells: list[RenderableType] = [
        Phrases((row.name, ""), (row.note, "dim"), source),
        Text(row.target.text, style=CHANGED if row.target.changed else ""),
        _value_cell(row.previous),
        _rate_cell(row.previous_rate),
        _value_cell(row.latest),
        _rate_cell(row.latest_rate),
    ]
    return [*cells, Phrases((row.source, ""))] if wide else cells


# Below this width the data source moves under the indicator name instead of its own column, so
# that an 80-column terminal still shows whole figures and readable names.
WIDE = 110


class IndicatorTable:
    """The indicator table of one KPI with the meeting's columns, laid out for the console width."""

    def __init__(self, result: KpiResult) -> None:
        self.result = result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        result = self.result
        table = Table(
            title=Text(f"{result.kpi.id} {result.kpi.name}", style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAVY,
            expand=True,
            show_lines=True,
            pad_edge=False,
        )
        # Figures never break inside a number; the name (and the source) take what is left and fold.
        table.add_column(
            "中間指標名" if wide else "中間指標名\n（データの出所）", ratio=3, overflow="fold", min_width=10
        )
        table.add_column("目標値\n(A)", justify="right", no_wrap=True)
        table.add_column("前期の値\n(B)", justify="right", no_wrap=True)
        table.add_column("C=\nB/A", justify="right", no_wrap=True)
        table.add_column("直近の値\n(D)", justify="right", no_wrap=True)
        table.add_column("E=\nD/A", justify="right", no_wrap=True)
        if wide:
            table.add_column("データの出所", ratio=2, overflow="fold")
        for row in indicator_rows(result):
            table.add_row(*_indicator_row(row, wide))
        yield table


def _kpi_section(result: KpiResult) -> RenderableType:
    return Group(IndicatorTable(result), Text(kpi_line(result.rate), style="bold"), Text(""))


def _roadmap(summary: RoadmapSummary, title: str) -> RenderableType:
    table = Table(
        title=Text(title or DEFAULT_ROADMAP_TITLE, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAVY,
        expand=True,
    )
    table.add_column("分野", ratio=2, overflow="fold")
    table.add_column("事業数", justify="right", no_wrap=True)
    table.add_column("項目（事業数）", ratio=5, overflow="fold")
    for field in summary.fields:
        categories = "、".join(f"{c.name}({c.projects})" for c in field.categories)
        count = f"{field.projects}"
        if field.reference_projects:
            categories += f"、{REFERENCE}({field.reference_projects})"
        table.add_row(Phrases((field.name, "")), Text(count), Phrases((categories, "")))
    table.add_row(Text("合計", style="bold"), Text(str(summary.total_projects), style="bold"), Text(""))
    parts: list[RenderableType] = [table]
    if summary.featured:
        featured = Table(
            title=Text("各分野の主な取組", style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAVY,
            expand=True,
        )
        featured.add_column("", no_wrap=True)
        featured.add_column("No.", justify="right", no_wrap=True)
        featured.add_column("事業名（担当課）", ratio=3, overflow="fold")
        featured.add_column("事業費", justify="right", ratio=2, overflow="fold")
        for status in summary.featured:
            project = status.project
            budget = Text(f"{number(project.budget)}千円" if project.budget is not None else "—")
            if project.budget is not None:
                budget.append(f"\n{yen_from_thousands(project.budget)}", style="dim")
            division = f"（{project.division}）" if project.division else ""
            featured.add_row(
                Text(f"{project.featured}."),
                Text(str(project.no)),
                Phrases((f"{project.name}{division}", "")),
                budget,
            )
        parts.append(featured)
    if summary.budget_total is not None:
        parts.append(
            Text(
                f"事業費の合計（入力のある {summary.budget_projects} 事業）: "
                f"{number(summary.budget_total)}千円（{yen_from_thousands(summary.budget_total)}）"
            )
        )
    if summary.missing_actuals:
        parts.append(Text("終わった年度に計画があって実績がない事業:", style="yellow"))
        for status in summary.missing_actuals:
            years = "、".join(str(year) for year in status.missing_actuals)
            parts.append(Text(f"  No.{status.project.no} {status.project.name}: {years}"))
    else:
        parts.append(Text("終わった年度に計画があって実績がない事業はありません。", style="dim"))
    return Group(*parts)


def render_result(result: Result, kpi_id: str | None = None) -> RenderableType:
    """The whole dashboard, or one KPI's card and table when ``kpi_id`` is given."""
    meeting = result.period.meeting
    heading = Text(
        f"{meeting.council} {meeting_number(meeting)}{meeting.period_label} 目標達成状況",
        style="bold",
    )
    previous = f"前期: {result.previous.id}" if result.previous else "前期のデータなし（前期差は -）"
    as_of = meeting.as_of.isoformat() if meeting.as_of else ""
    subtitle = Text(f"{result.period.id}  基準日 {as_of}  {previous}", style="dim")
    parts: list[RenderableType] = [heading, subtitle, Text("")]
    if kpi_id is not None:
        chosen = result.kpi(kpi_id)
        assert chosen is not None
        parts.append(_field_panel(chosen.kpi.field, (chosen,)))
        parts.append(_kpi_section(chosen))
        return Group(*parts)
    for field in result.fields:
        parts.append(_field_panel(field.name, field.kpis))
    parts.append(Text(""))
    for kpi in result.kpis:
        parts.append(_kpi_section(kpi))
    parts.append(_roadmap(result.roadmap, meeting.roadmap_title))
    if any(kpi.changed for kpi in result.kpis):
        parts.append(Text(f"{CHANGED_MARK} {CHANGED_LEGEND}です。", style=CHANGED))
    return Group(*parts)
