"""The commands that read a period and make its material: ``validate`` (the problems, file by
file), ``report`` (the result on the terminal, or as JSON or CSV), ``build`` (the deck and the
report, with PDFs) and ``publish`` (the site and the open data).  Each parses its options, calls
the library (``validate``, ``compute``, ``pipeline``), prints what it returns and exits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aomori_dx.cli.common import (
    OutputFormat,
    PeriodArg,
    PreviousOpt,
    ReportFormat,
    check_outputs,
    fail,
    previous_of,
    resolve,
    validated,
    warning_summary,
)
from aomori_dx.console import make_console, write_data
from aomori_dx.errors import AomoriDxError
from aomori_dx.render.validation import render_report
from aomori_dx.validate import validate_period


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
    folder = resolve(period)
    _, report = validate_period(folder)
    if output_format is OutputFormat.json:
        write_data(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        make_console().print(render_report(report, str(folder)))
    failed = not report.ok or (strict and bool(report.warnings))
    raise typer.Exit(int(failed))


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

    if output is not None and output_format is ReportFormat.table:
        raise typer.BadParameter("--output（-o）は --format json か --format csv のときに使います。")
    console = make_console()
    folder = resolve(period)
    data, _ = validated(folder, console)
    previous_data, previous_folder = previous_of(folder, previous, console, data)
    if output is not None:
        check_outputs([output], [folder, previous_folder])
    result = compute(data, previous_data)
    if kpi is not None and result.kpi(kpi) is None:
        known = "、".join(item.kpi.id for item in result.kpis)
        fail(f"KPI番号「{kpi}」はありません。使える番号: {known}")
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
        fail(exc.message)
    console.print(f"{output} に書き出しました。", highlight=False)


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
    from aomori_dx.pipeline import Documents, build_documents, export_pdfs, font_problem

    if pptx_only and docx_only:
        raise typer.BadParameter("--pptx-only と --docx-only は同時に指定できません。")
    templates = {path.suffix.lower(): path for path in template or []}
    unknown = [path for path in template or [] if path.suffix.lower() not in (".pptx", ".docx")]
    if unknown:
        raise typer.BadParameter(f"テンプレートは .pptx か .docx にしてください: {unknown[0]}")
    if font is not None and (problem := font_problem(font)):
        raise typer.BadParameter(problem)
    documents = Documents(deck=not docx_only, report=not pptx_only, templates=templates, font=font)
    console = make_console()
    folder = resolve(period)
    data, report = validated(folder, console)
    warning_summary(report, folder, console)
    previous_data, previous_folder = previous_of(folder, previous, console, data)
    targets = documents.targets(out, data.id)
    pdfs = [target.with_suffix(".pdf") for target in targets] if pdf else []
    check_outputs([*targets, *pdfs], [folder, previous_folder, *templates.values()])
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
        fail(exc.message)
    for target, content in built.files:
        console.print(f"{target} を作りました（{len(content) // 1024:,} KB）。", highlight=False)
    for warning in built.warnings:  # user text: printed as it is, never as markup
        console.print(f"警告: {warning}", style="yellow", markup=False, highlight=False)
    if pdf:
        try:
            for made in export_pdfs([target for target, _ in built.files]):
                console.print(f"{made} を作りました。", highlight=False)
        except AomoriDxError as exc:
            fail(exc.message)


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

    console = make_console()
    folder = resolve(period)
    data, report = validated(folder, console)
    warning_summary(report, folder, console)
    previous_data, previous_folder = previous_of(folder, previous, console, data)
    # Earlier periods beside this one give the trend charts, so they are read too.
    earlier_folders = earlier_periods(folder)
    target = out / data.id / "site"
    check_outputs([target], [folder, previous_folder, *earlier_folders], replaced=True)
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
        fail(exc.message)
    console.print(
        f"{target}/ にサイトを作りました（{count} ファイル）。{target}/index.html をブラウザで開いて確認できます。",
        highlight=False,
    )
