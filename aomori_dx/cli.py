"""The ``aomori-dx`` command: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 success, 1 bad input (validation errors, unreadable files; never a traceback),
2 usage errors (typer's own).  Heavy libraries are imported inside the commands that need them,
so ``aomori-dx validate`` starts quickly.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from aomori_dx import __version__
from aomori_dx.errors import AomoriDxError
from aomori_dx.periods import DEFAULT_INPUTS, latest_period
from aomori_dx.render.validation import render_report
from aomori_dx.validate import Report, validate_period

app = typer.Typer(
    name="aomori-dx",
    help="DX推進会議の資料（KPIダッシュボード・中間指標・ロードマップ）を入力表から作ります。",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    """How ``validate`` prints its report."""

    table = "table"
    json = "json"


PeriodArg = Annotated[
    Path | None,
    typer.Argument(
        help="期のフォルダ（例: inputs/fy2024-h1）。省略すると inputs/ の最新の期。",
        show_default=False,
    ),
]


def _console() -> Console:
    return Console(soft_wrap=False)


def _fail(message: str) -> NoReturn:
    _console().print(f"[bold red]エラー:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(1)


def _resolve(period: Path | None) -> Path:
    if period is not None:
        return period
    found = latest_period(DEFAULT_INPUTS)
    if found is None:
        _fail(
            f"期のフォルダが見つかりません: {DEFAULT_INPUTS}/ の下に期のフォルダ（例: fy2024-h1）を置くか、パスを指定してください。"
        )
    return found


def _validated(period: Path, console: Console) -> tuple[object, Report]:
    data, report = validate_period(period)
    if not report.ok:
        console.print(render_report(report, str(period)))
        raise typer.Exit(1)
    return data, report


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="バージョンを表示して終了します。")] = False,
) -> None:
    """DX推進会議の資料を入力表から作ります。"""
    if version:
        typer.echo(f"aomori-dx {__version__}")
        raise typer.Exit(0)


@app.command()
def validate(
    period: PeriodArg = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table（表で表示）または json。")
    ] = OutputFormat.table,
    strict: Annotated[
        bool, typer.Option("--strict", help="警告があっても失敗（終了コード1）にします。")
    ] = False,
) -> None:
    """入力表を検査し、問題をファイル・行・列つきですべて表示します。"""
    folder = _resolve(period)
    _, report = validate_period(folder)
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _console().print(render_report(report, str(folder)))
    failed = not report.ok or (strict and bool(report.warnings))
    raise typer.Exit(int(failed))


@app.command()
def build(
    period: PeriodArg = None,
    out: Annotated[Path, typer.Option("--out", help="出力先フォルダ。")] = Path("out"),
) -> None:
    """期のフォルダを検査し、会議資料（PowerPoint・Word）を out/<期>/ に作ります。"""
    console = _console()
    folder = _resolve(period)
    _, report = _validated(folder, console)
    if report.warnings:
        console.print(render_report(report, str(folder)))
    console.print(
        f"{folder} の入力は検査を通りました。会議資料（PowerPoint・Word）の生成はまだ実装されていないため、"
        f"{out}/ には何も書き出していません。",
        highlight=False,
    )


def main() -> None:
    """Console-script entry point: library errors become a message and exit code 1."""
    try:
        app()
    except AomoriDxError as exc:  # pragma: no cover - exercised through the commands
        Console(stderr=True).print(f"エラー: {exc.message}", highlight=False, markup=False)
        sys.exit(1)
