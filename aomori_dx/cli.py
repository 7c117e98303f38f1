"""The ``aomori-dx`` command: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 success, 1 bad input (validation errors, unreadable files; never a traceback),
2 usage errors (typer's own).  Heavy libraries are imported inside the commands that need them,
so ``aomori-dx validate`` starts quickly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text
from typer._click.globals import get_current_context

from aomori_dx import __version__
from aomori_dx.cli_help import JapaneseGroup, JapaneseTyper
from aomori_dx.cli_text import OPTIONS_METAVAR, SUBCOMMAND_METAVAR
from aomori_dx.console import make_console, prepare_streams, write_data
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


def _console() -> Console:
    return make_console()


def _fail(message: str) -> NoReturn:
    _console().print(Text.assemble(("エラー:", "bold red"), " ", message), highlight=False)
    raise typer.Exit(1)


def _check_outputs(targets: Iterable[Path], inputs: Iterable[Path | None], replaced: bool = False) -> None:
    """Stop before anything is written when an output would land in or on what is being read."""
    from aomori_dx.output import check_outside

    try:
        check_outside(targets, [path for path in inputs if path is not None], replaced)
    except AomoriDxError as exc:
        _fail(exc.message)


def _resolve(period: Path | None) -> Path:
    if period is not None:
        _check_period_folder(period)
        return period
    found = latest_period(DEFAULT_INPUTS)
    if found is None:
        _fail(
            f"期のフォルダが見つかりません: {DEFAULT_INPUTS}/ の下に期のフォルダ（例: fy2024-h1）を置くか、パスを指定してください。"
        )
    return found


def _command_path() -> str:
    ctx = get_current_context(silent=True)
    return ctx.command_path if ctx is not None else "aomori-dx"


def _check_period_folder(path: Path) -> None:
    """Stop with advice when a file, or the folder that holds the periods, is given as a period."""
    if path.is_file():
        _fail(
            f"{path} はファイルです。ファイルの入っている期のフォルダ（例: {path.parent}）を指定してください。"
        )
    periods = list_periods(path)
    if periods:
        names = "、".join(str(folder) for folder in periods)
        _fail(
            f"{path} は期のフォルダを入れるフォルダです。期のフォルダを1つ指定してください: {names}"
            f"（例: {_command_path()} {periods[-1]}）。"
        )


def _validated(
    period: Path, console: Console, what: str = "", complete: bool = True
) -> tuple[PeriodData, Report]:
    data, report = validate_period(period, complete)
    if data is None or not report.ok:
        console.print(render_report(report, str(period)))
        if what:
            console.print(f"{what} {period} の入力にエラーがあるため、続けられません。", highlight=False)
        raise typer.Exit(1)
    return data, report


def _warning_summary(report: Report, folder: Path, console: Console) -> None:
    if report.warnings:
        console.print(
            f"入力に警告が {len(report.warnings)} 件あります（詳しくは aomori-dx validate {folder}）。",
            style="yellow",
            highlight=False,
        )


def _previous(folder: Path, previous: Path | None, console: Console) -> tuple[PeriodData | None, Path | None]:
    """The previous snapshot and its folder: ``--previous`` if given, else the nearest earlier period."""
    chosen = previous if previous is not None else previous_period(folder)
    if chosen is None:
        return None, None
    data, _ = _validated(chosen, console, "前期")
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


@app.command()
def validate(
    period: PeriodArg = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", metavar="形式", help="table（表で表示）または json。")
    ] = OutputFormat.table,
    strict: Annotated[
        bool, typer.Option("--strict", help="警告があっても失敗（終了コード1）にします。")
    ] = False,
) -> None:
    """入力表を検査し、問題をファイル・行・列つきですべて表示します。"""
    folder = _resolve(period)
    _, report = validate_period(folder)
    if output_format is OutputFormat.json:
        write_data(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _console().print(render_report(report, str(folder)))
    failed = not report.ok or (strict and bool(report.warnings))
    raise typer.Exit(int(failed))


PreviousOpt = Annotated[
    Path | None,
    typer.Option(
        "--previous",
        metavar="期のフォルダ",
        help="前期差を計算する前期のフォルダ。省略すると同じ inputs/ の直前の期。",
    ),
]


@app.command()
def report(
    period: PeriodArg = None,
    kpi: Annotated[
        str | None, typer.Option("--kpi", metavar="KPI番号", help="このKPI番号（例: K1）だけを表示します。")
    ] = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option("--format", metavar="形式", help="table（端末に表示）、json、csv（中間指標の表）。"),
    ] = ReportFormat.table,
    previous: PreviousOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="ファイル",
            help="json・csv をこのファイルに書き出します（省略すると標準出力）。",
        ),
    ] = None,
) -> None:
    """達成率・KPI・前期差を計算し、端末にダッシュボードを表示します（json・csv でも出力できます）。"""
    from aomori_dx.compute import compute

    console = _console()
    folder = _resolve(period)
    data, _ = _validated(folder, console)
    previous_data, previous_folder = _previous(folder, previous, console)
    if output is not None:
        _check_outputs([output], [folder, previous_folder])
    result = compute(data, previous_data)
    if kpi is not None and result.kpi(kpi) is None:
        known = "、".join(item.kpi.id for item in result.kpis)
        _fail(f"KPI番号「{kpi}」はありません。使える番号: {known}")
    if output_format is ReportFormat.table:
        from aomori_dx.render.terminal import render_result

        console.print(render_result(result, kpi))
        return
    if output_format is ReportFormat.json:
        payload = result.to_dict()
        if kpi is not None:
            payload["kpis"] = [item for item in payload["kpis"] if item["id"] == kpi]
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    else:
        from aomori_dx.render.opendata import indicator_csv

        text = indicator_csv(result)
    if output is None:
        write_data(text)
        return
    from aomori_dx.output import write_atomic

    try:
        write_atomic(output, text.encode("utf-8"))
    except AomoriDxError as exc:
        _fail(exc.message)
    console.print(f"{output} に書き出しました。", highlight=False)


@app.command()
def build(
    period: PeriodArg = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="フォルダ", help="出力先フォルダ。資料は <出力先>/<期>/ に書き出します。"
        ),
    ] = Path("out"),
    previous: PreviousOpt = None,
    template: Annotated[
        list[Path] | None,
        typer.Option(
            "--template",
            metavar="ファイル",
            help="自分のテンプレート（.pptx は資料、.docx は報告書）。2回指定できます。"
            "省略すると標準のテンプレート（templates/default.pptx・default.docx と同じもの）。",
        ),
    ] = None,
    font: Annotated[
        str | None,
        typer.Option(
            "--font",
            metavar="フォント名",
            help="日本語のフォント名（資料・報告書のすべての文字）。省略するとテンプレートのフォント"
            "（既定は資料 BIZ UDPGothic、報告書 BIZ UDP明朝・BIZ UDPゴシック）。",
        ),
    ] = None,
    pptx_only: Annotated[bool, typer.Option("--pptx-only", help="PowerPoint の資料だけを作ります。")] = False,
    docx_only: Annotated[bool, typer.Option("--docx-only", help="Word の報告書だけを作ります。")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="LibreOffice で PDF も作ります。")] = False,
) -> None:
    """期のフォルダを検査し、会議資料 deck.pptx と報告書 report.docx を out/<期>/ に作ります。"""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from aomori_dx.compute import compute
    from aomori_dx.pipeline import Documents, build_documents, export_pdfs

    if pptx_only and docx_only:
        raise typer.BadParameter("--pptx-only と --docx-only は同時に指定できません。")
    templates = {path.suffix.lower(): path for path in template or []}
    unknown = [path for path in template or [] if path.suffix.lower() not in (".pptx", ".docx")]
    if unknown:
        raise typer.BadParameter(f"テンプレートは .pptx か .docx にしてください: {unknown[0]}")
    documents = Documents(deck=not docx_only, report=not pptx_only, templates=templates, font=font)
    console = _console()
    folder = _resolve(period)
    data, report = _validated(folder, console)
    _warning_summary(report, folder, console)
    previous_data, previous_folder = _previous(folder, previous, console)
    targets = documents.targets(out, data.id)
    pdfs = [target.with_suffix(".pdf") for target in targets] if pdf else []
    _check_outputs([*targets, *pdfs], [folder, previous_folder, *templates.values()])
    result = compute(data, previous_data)
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("作成中", total=None)
            built = build_documents(
                result, out, documents, lambda step: progress.update(task, description=step)
            )
    except AomoriDxError as exc:
        _fail(exc.message)
    for target, content in built.files:
        console.print(f"{target} を作りました（{len(content) // 1024:,} KB）。", highlight=False)
    for warning in built.warnings:  # user text: printed as it is, never as markup
        console.print(f"警告: {warning}", style="yellow", markup=False, highlight=False)
    if pdf:
        try:
            for made in export_pdfs([target for target, _ in built.files]):
                console.print(f"{made} を作りました。", highlight=False)
        except AomoriDxError as exc:
            _fail(exc.message)


@app.command()
def publish(
    period: PeriodArg = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="フォルダ", help="出力先フォルダ。サイトは <出力先>/<期>/site/ に書き出します。"
        ),
    ] = Path("out"),
    previous: PreviousOpt = None,
) -> None:
    """ホームページ用のダッシュボード（静的サイト）とオープンデータを out/<期>/site/ に作ります。"""
    from aomori_dx.compute import compute
    from aomori_dx.pipeline import earlier_periods, publish_site, trend

    console = _console()
    folder = _resolve(period)
    data, report = _validated(folder, console)
    _warning_summary(report, folder, console)
    previous_data, previous_folder = _previous(folder, previous, console)
    # Earlier periods beside this one give the trend charts, so they are read too.
    earlier_folders = earlier_periods(folder)
    target = out / data.id / "site"
    _check_outputs([target], [folder, previous_folder, *earlier_folders], replaced=True)
    result = compute(data, previous_data)
    history = trend(earlier_folders)
    for path in history.left_out:
        console.print(
            f"{path} の入力にエラーがあるため、推移のグラフに含めません。",
            style="yellow",
            highlight=False,
        )
    if not data.meeting.license:
        console.print(
            f"利用条件が meeting.csv にないため、オープンデータを {data.meeting.open_data_license.title} として公開します。",
            style="yellow",
            highlight=False,
        )
    try:
        count = publish_site(result, history.history, target)
    except AomoriDxError as exc:
        _fail(exc.message)
    console.print(
        f"{target}/ にサイトを作りました（{count} ファイル）。{target}/index.html をブラウザで開いて確認できます。",
        highlight=False,
    )


@app.command("new-period")
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
    import datetime as dt
    import unicodedata

    from aomori_dx.collect import new_period

    console = _console()
    origin = _resolve(source)
    target = (origin.parent if source is not None else DEFAULT_INPUTS) / new_id
    if "/" in new_id or "\\" in new_id or new_id.startswith("."):
        raise typer.BadParameter("期の名前にはフォルダの区切りを入れないでください（例: fy2025-h1）。")
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(unicodedata.normalize("NFKC", as_of).strip().replace("/", "-"))
        except ValueError:
            raise typer.BadParameter(
                f"「{as_of}」は日付として読めません。2025-05-31 のように書いてください。"
            ) from None
    if label is not None and (not label.strip() or "\n" in label or "\r" in label):
        raise typer.BadParameter("期の名前（--label）は1行の文字で書いてください（例: 令和6年度下半期）。")
    try:
        notes = new_period(origin, target, label.strip() if label else None, day)
    except AomoriDxError as exc:
        _fail(exc.message)
    console.print(f"{target} を {origin} から作りました。", highlight=False)
    for note in notes:
        console.print(f"・{note}", highlight=False)
    console.print(
        f"次に: meeting.csv を編集し、aomori-dx requests {target} --out 照会 で照会ファイルを作ります。",
        highlight=False,
    )


@app.command()
def requests(
    period: PeriodArg = None,
    out: Annotated[
        Path, typer.Option("--out", metavar="フォルダ", help="照会ファイル（Excel）を書き出すフォルダ。")
    ] = Path("out/requests"),
) -> None:
    """担当課ごとに、最新の値と計画・実績を記入してもらう Excel ファイルを作ります。"""
    from aomori_dx.collect import make_requests

    console = _console()
    folder = _resolve(period)
    data, _ = _validated(folder, console, complete=False)
    _check_outputs([out], [folder])
    try:
        written = make_requests(data, out)
    except AomoriDxError as exc:
        _fail(exc.message)
    console.print(f"{len(written)} 件の照会ファイルを {out}/ に作りました。", highlight=False)
    for path in written:
        console.print(f"・{path.name}", highlight=False)


@app.command("collect")
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

    console = _console()
    _check_period_folder(period)
    try:
        changes, report = collect(period, files, dry_run)
    except AomoriDxError as exc:
        _fail(exc.message)
    if report.issues:
        console.print(render_report(report, str(period)))
    if changes:
        table = Table(
            title=Text("取り込む変更" if dry_run else "取り込んだ変更", style="bold"), title_justify="left"
        )
        for title in ("ファイル", "行", "列", "変更前", "変更後", "照会ファイル"):
            table.add_column(title, overflow="fold")
        for change in changes:
            table.add_row(change.file, str(change.row), change.column, change.old, change.new, change.source)
        console.print(table)
    elif not report.errors:
        console.print("取り込む変更はありません。", highlight=False)
    if dry_run and changes:
        console.print("--dry-run のため、書き込んでいません。", highlight=False)
    raise typer.Exit(int(not report.ok))


@app.command()
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

    console = _console()
    folder = _resolve(period)
    data, _ = _validated(folder, console, complete=False)
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
        unconfirmed = "\n".join(row.unconfirmed) if row.unconfirmed else "—"
        missing = "\n".join(row.missing_actuals) if row.missing_actuals else "—"
        style = "green" if row.done else ""
        table.add_row(
            Text(row.division, style=style),
            Text(f"{len(row.unconfirmed)}/{row.indicators} 件\n{unconfirmed}"),
            Text(missing),
        )
    console.print(table)
    waiting = [row.division for row in rows if not row.done]
    console.print(f"未回答の担当課: {len(waiting)} / {len(rows)}", highlight=False)


def main() -> None:
    """Console-script entry point: library errors become a message and exit code 1."""
    prepare_streams()
    try:
        app()
    except AomoriDxError as exc:  # pragma: no cover - exercised through the commands
        _stderr(f"エラー: {exc.message}")
    except OSError as exc:  # pragma: no cover - a last resort: every write already says more
        from aomori_dx.errors import describe_os_error

        _stderr(f"エラー: {exc.filename or ''}: {describe_os_error(exc)}")


def _stderr(message: str) -> NoReturn:
    make_console(stderr=True).print(message, highlight=False)
    sys.exit(1)
