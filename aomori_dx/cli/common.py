"""The command line's shared parts: the typer app (Japanese help, ``--version``), the period
argument and ``--previous`` option, and the steps every command takes — find the period folder,
validate it (printing the problems and stopping with exit code 1), refuse outputs that would land
on the inputs, and fail with a one-line message.  The commands themselves are in
``cli.documents`` and ``cli.collecting``."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from typer._click.globals import get_current_context

from aomori_dx import __version__
from aomori_dx.cli.help import JapaneseGroup, JapaneseTyper
from aomori_dx.cli.text import OPTIONS_METAVAR, SUBCOMMAND_METAVAR
from aomori_dx.console import make_console
from aomori_dx.errors import AomoriDxError
from aomori_dx.model import PeriodData
from aomori_dx.periods import DEFAULT_INPUTS, latest_period, list_periods, previous_period
from aomori_dx.render.validation import render_report
from aomori_dx.validate import Report, validate_period

app = JapaneseTyper(
    cls=JapaneseGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
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


class ReportFormat(StrEnum):
    """How ``report`` prints the result."""

    table = "table"
    json = "json"
    csv = "csv"


PeriodArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="期のフォルダ",
        help="期のフォルダ（例: inputs/fy2024-h1）。省略すると inputs/ の最新の期。",
        show_default=False,
    ),
]


def fail(message: str) -> NoReturn:
    make_console().print(Text.assemble(("エラー:", "bold red"), " ", message), highlight=False)
    raise typer.Exit(1)


def check_outputs(targets: Iterable[Path], inputs: Iterable[Path | None], replaced: bool = False) -> None:
    """Stop before anything is written when an output would land in or on what is being read."""
    from aomori_dx.output import check_outside

    try:
        check_outside(targets, [path for path in inputs if path is not None], replaced)
    except AomoriDxError as exc:
        fail(exc.message)


def resolve(period: Path | None) -> Path:
    if period is not None:
        check_period_folder(period)
        return period
    found = latest_period(DEFAULT_INPUTS)
    if found is None:
        fail(
            f"期のフォルダが見つかりません: {DEFAULT_INPUTS}/ の下に期のフォルダ（例: fy2024-h1）を置くか、パスを指定してください。"
        )
    return found


def _command_path() -> str:
    ctx = get_current_context(silent=True)
    return ctx.command_path if ctx is not None else "aomori-dx"


def check_period_folder(path: Path) -> None:
    """Stop with advice when a file, or the folder that holds the periods, is given as a period."""
    if path.is_file():
        fail(
            f"{path} はファイルです。ファイルの入っている期のフォルダ（例: {path.parent}）を指定してください。"
        )
    periods = list_periods(path)
    if periods:
        names = "、".join(str(folder) for folder in periods)
        fail(
            f"{path} は期のフォルダを入れるフォルダです。期のフォルダを1つ指定してください: {names}"
            f"（例: {_command_path()} {periods[-1]}）。"
        )


def validated(
    period: Path, console: Console, what: str = "", complete: bool = True
) -> tuple[PeriodData, Report]:
    data, report = validate_period(period, complete)
    if data is None or not report.ok:
        console.print(render_report(report, str(period)))
        if what:
            console.print(f"{what} {period} の入力にエラーがあるため、続けられません。", highlight=False)
        raise typer.Exit(1)
    return data, report


def warning_summary(report: Report, folder: Path, console: Console) -> None:
    if report.warnings:
        console.print(
            f"入力に警告が {len(report.warnings)} 件あります（詳しくは aomori-dx validate {folder}）。",
            style="yellow",
            highlight=False,
        )


def previous_of(
    folder: Path, previous: Path | None, console: Console, current: PeriodData
) -> tuple[PeriodData | None, Path | None]:
    """The previous snapshot and its folder: ``--previous`` if given, else the nearest earlier
    period; it must be measured before ``current`` (``pipeline.check_previous``)."""
    from aomori_dx.pipeline import check_previous

    chosen = previous if previous is not None else previous_period(folder)
    if chosen is None:
        return None, None
    data, _ = validated(chosen, console, "前期")
    try:
        warning = check_previous(folder, current, chosen, data)
    except AomoriDxError as exc:
        fail(exc.message)
    if warning:
        console.print(warning, style="yellow", highlight=False)
    return data, chosen


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="バージョンを表示して終了します。",
            is_eager=True,
            callback=lambda v: _version(v),
        ),
    ] = False,
) -> None:
    """DX推進会議の資料を入力表から作ります。"""


def _version(value: bool) -> None:
    # Eager, so that `aomori-dx --version` works without a command.
    if value:
        typer.echo(f"aomori-dx {__version__}")
        raise typer.Exit(0)


PreviousOpt = Annotated[
    Path | None,
    typer.Option(
        "--previous",
        metavar="期のフォルダ",
        help="前期差を計算する前期のフォルダ。省略すると同じ inputs/ の直前の期。",
    ),
]
