"""The commands of a collecting round: ``new-period`` (a new folder from the last one),
``requests`` (a workbook per division), ``collect`` (answers taken in, with what changed) and
``status`` (who has still to answer).  The work is done by ``aomori_dx.collect``; these parse,
call, print and exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from aomori_dx.cli.common import (
    OutputFormat,
    PeriodArg,
    check_outputs,
    check_period_folder,
    fail,
    resolve,
    validated,
)
from aomori_dx.console import make_console, write_data
from aomori_dx.errors import AomoriDxError
from aomori_dx.parse import ParseError, parse_date
from aomori_dx.periods import DEFAULT_INPUTS
from aomori_dx.render.phrased import Phrases
from aomori_dx.render.validation import render_report


def new_period_command(
    new_id: Annotated[
        str,
        typer.Argument(
            metavar="新しい期", help="新しい期のフォルダ名（例: fy2025-h1）。inputs/ の下に作ります。"
        ),
    ],
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", metavar="期のフォルダ", help="元にする期のフォルダ。省略すると inputs/ の最新の期。"
        ),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            metavar="期の名前",
            help="期の名前（meeting.csv の period_label。例: 令和6年度下半期）。",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="日付", help="基準日（meeting.csv の as_of。例: 2025-05-31）。"),
    ] = None,
) -> None:
    """前の期から新しい期のフォルダを作ります（値は引き継ぎ、すべて「未確認」にします）。"""
    from aomori_dx.collect import new_period
    from aomori_dx.collect.roll import period_name_problem

    console = make_console()
    origin = resolve(source)
    target = (origin.parent if source is not None else DEFAULT_INPUTS) / new_id
    problem = period_name_problem(new_id, origin)
    if problem:
        raise typer.BadParameter(problem)
    day = None
    if as_of is not None:
        try:
            day = parse_date(as_of)
        except ParseError as exc:
            raise typer.BadParameter(exc.message) from None
    if label is not None and (not label.strip() or "\n" in label or "\r" in label):
        raise typer.BadParameter("期の名前（--label）は1行の文字で書いてください（例: 令和6年度下半期）。")
    try:
        notes = new_period(origin, target, label.strip() if label else None, day)
    except AomoriDxError as exc:
        fail(exc.message)
    console.print(f"{target} を {origin} から作りました。", highlight=False)
    for note in notes:
        console.print(f"・{note}", highlight=False)
    console.print(
        f"次に: meeting.csv を編集し、aomori-dx requests {target} --out 照会 で照会ファイルを作ります。",
        highlight=False,
    )


def requests(
    period: PeriodArg = None,
    out: Annotated[
        Path, typer.Option("--out", metavar="フォルダ", help="照会ファイル（Excel）を書き出すフォルダ。")
    ] = Path("out/requests"),
) -> None:
    """担当課ごとに、最新の値と計画・実績を記入してもらう Excel ファイルを作ります。"""
    from aomori_dx.collect import make_requests

    console = make_console()
    folder = resolve(period)
    data, _ = validated(folder, console, complete=False)
    check_outputs([out], [folder])
    try:
        written = make_requests(data, out)
    except AomoriDxError as exc:
        fail(exc.message)
    console.print(f"{len(written)} 件の照会ファイルを {out}/ に作りました。", highlight=False)
    for path in written:
        console.print(f"・{path.name}", highlight=False)


def collect_command(
    period: Annotated[
        Path,
        typer.Argument(metavar="期のフォルダ", help="取り込み先の期のフォルダ（例: inputs/fy2025-h1）。"),
    ],
    files: Annotated[
        list[Path],
        typer.Argument(metavar="照会ファイル", help="返送された照会ファイル（.xlsx）。複数指定できます。"),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="変更を表示するだけで、書き込みません。")
    ] = False,
) -> None:
    """返送された照会ファイルを検査し、問題のないものを期の表に取り込みます。"""
    from rich.table import Table
    from rich.text import Text

    from aomori_dx.collect import collect

    console = make_console()
    check_period_folder(period)
    try:
        changes, report = collect(period, files, dry_run)
    except AomoriDxError as exc:
        fail(exc.message)
    if report.issues:
        console.print(render_report(report, str(period)))
    if changes:
        table = Table(
            title=Text("取り込む変更" if dry_run else "取り込んだ変更", style="bold"), title_justify="left"
        )
        for title in ("ファイル", "行", "列", "変更前", "変更後", "照会ファイル"):
            table.add_column(title, overflow="fold")
        for change in changes:
            cells = (change.file, str(change.row), change.column, change.old, change.new, change.source)
            table.add_row(*(Phrases((cell, "")) for cell in cells))
        console.print(table)
    elif not report.errors:
        console.print("取り込む変更はありません。", highlight=False)
    if dry_run and changes:
        console.print("--dry-run のため、書き込んでいません。", highlight=False)
    raise typer.Exit(int(not report.ok))


def status(
    period: PeriodArg = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", metavar="形式", help="table または json。")
    ] = OutputFormat.table,
) -> None:
    """担当課ごとに、まだ確認されていない値と実績の未入力を表示します（催促の相手がわかります）。"""
    from dataclasses import asdict

    from rich.table import Table

    from aomori_dx.collect import division_status

    console = make_console()
    folder = resolve(period)
    data, _ = validated(folder, console, complete=False)
    rows = division_status(data)
    if output_format is OutputFormat.json:
        rows_json = [asdict(row) | {"done": row.done} for row in rows]
        write_data(json.dumps(rows_json, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=Text(f"{data.id} の照会状況", style="bold"), title_justify="left", expand=True)
    table.add_column("担当課", ratio=2, overflow="fold")
    table.add_column("未確認の値", ratio=3, overflow="fold")
    table.add_column("今年度の実績が未入力の事業", ratio=3, overflow="fold")
    for row in rows:
        unconfirmed = [(name, "") for name in row.unconfirmed] or [("なし", "")]
        missing = [(name, "") for name in row.missing_actuals] or [("なし", "")]
        table.add_row(
            Phrases((row.division, "green" if row.done else "")),
            Phrases((f"{len(row.unconfirmed)}/{row.indicators} 件", ""), *unconfirmed),
            Phrases(*missing),
        )
    console.print(table)
    waiting = [row.division for row in rows if not row.done]
    console.print(f"未回答の担当課: {len(waiting)} / {len(rows)}", highlight=False)
