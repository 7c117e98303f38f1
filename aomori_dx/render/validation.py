"""The validation report in the terminal: one rich table per file, then a summary line."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from aomori_dx.parse import visible
from aomori_dx.render.phrased import Phrases
from aomori_dx.validate import Issue, Report

__all__ = ["render_report", "summary"]

SEVERITY_LABEL = {"error": ("エラー", "bold red"), "warning": ("警告", "yellow")}


def _visible(value: str | None) -> str:
    """A cell value made safe to print: invisible characters escaped (\\u200b), long text shortened."""
    if value is None:
        return ""
    shown = visible(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def summary(report: Report, target: str) -> Text:
    """``エラー 0件・警告 6件 (inputs/fy2024-h1)`` coloured by outcome."""
    errors, warnings = len(report.errors), len(report.warnings)
    style = "bold red" if errors else ("yellow" if warnings else "bold green")
    verdict = "問題があります" if errors else ("確認してください" if warnings else "問題ありません")
    return Text(f"{verdict}: エラー {errors}件・警告 {warnings}件 ({target})", style=style)


def _table(file: str, issues: list[Issue]) -> Table:
    table = Table(title=Text(file, style="bold"), title_justify="left", expand=True)
    table.add_column("種別", no_wrap=True)
    table.add_column("位置", overflow="fold", max_width=24)
    table.add_column("内容", overflow="fold", ratio=1)
    for issue in issues:
        label, style = SEVERITY_LABEL[issue.severity]
        shown = f"値「{_visible(issue.value)}」 " if issue.value is not None else ""
        detail = Phrases((issue.message, ""), (shown + issue.code, "dim"))
        table.add_row(Text(label, style=style), Text("\n".join(issue.places)), detail)
    return table


def render_report(report: Report, target: str) -> RenderableType:
    """Tables grouped by file (in the order the files were read), then the summary."""
    parts: list[RenderableType] = []
    for file in dict.fromkeys(issue.file for issue in report.issues):
        parts.append(_table(file, [issue for issue in report.issues if issue.file == file]))
    parts.append(summary(report, target))
    return Group(*parts)
