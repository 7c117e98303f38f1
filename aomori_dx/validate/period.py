"""Validate a whole period folder and build its model; the folder's documents and pictures.

``validate_period`` reads every table and Markdown file, records every problem (not the first)
and returns the model only when there are no errors.  Cell-level checks happen while reading
(``tables.Row``); the tables' own rules live in ``meeting``, ``indicators`` and ``roadmap``, as
small functions each yielding issues, so each can be read and tested on its own.  The Markdown
documents, their pictures (inside the folder, decodable, within the limits) and the project
sheets are checked here.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image, UnidentifiedImageError

from aomori_dx.errors import InputFileError
from aomori_dx.load import MarkdownError, parse_markdown, read_text
from aomori_dx.model import (
    Block,
    Case,
    Document,
    Figure,
    PeriodData,
    Section,
)
from aomori_dx.parse import (
    control_characters,
    invisible_note,
    visible,
)
from aomori_dx.validate.codes import Code
from aomori_dx.validate.indicators import (
    check_kpi_references,
    check_periods_before_as_of,
    check_published_kpi_rates,
    read_indicators,
    read_kpis,
)
from aomori_dx.validate.meeting import read_agenda, read_goals, read_meeting, read_members, read_staff
from aomori_dx.validate.report import Issue, Report
from aomori_dx.validate.roadmap import check_activities, read_activities, read_projects
from aomori_dx.validate.schemas import SCHEMAS
from aomori_dx.validate.tables import TableReader

__all__ = ["validate_period"]


def validate_period(folder: Path, complete: bool = True) -> tuple[PeriodData | None, Report]:
    """Read and check ``folder``; the model is ``None`` when there is any error.

    ``complete=False`` is for a period still being prepared (``requests``, ``collect``,
    ``status``): the meeting's date, as-of date and label may still be blank.
    """
    report = Report()
    if not folder.is_dir():
        report.add(
            Issue.of(Code.MISSING_FOLDER, str(folder), "期のフォルダがありません。パスを確認してください。")
        )
        return None, report

    meeting_reader = TableReader(folder, SCHEMAS["meeting"], report)
    meeting = read_meeting(meeting_reader, complete)
    agenda = read_agenda(TableReader(folder, SCHEMAS["agenda"], report))
    members = read_members(TableReader(folder, SCHEMAS["members"], report))
    staff = read_staff(TableReader(folder, SCHEMAS["staff"], report))
    goals = read_goals(TableReader(folder, SCHEMAS["goals"], report))

    kpi_reader = TableReader(folder, SCHEMAS["kpis"], report)
    kpis = read_kpis(kpi_reader)
    indicator_reader = TableReader(folder, SCHEMAS["indicators"], report)
    indicators = read_indicators(indicator_reader)
    _extend(report, check_kpi_references(kpis, indicators, kpi_reader, indicator_reader))
    check_periods_before_as_of(indicators, meeting, indicator_reader)
    _extend(report, check_published_kpi_rates(kpis, indicators, kpi_reader))

    project_reader = TableReader(folder, SCHEMAS["projects"], report)
    projects = read_projects(project_reader)
    activity_reader = TableReader(folder, SCHEMAS["activities"], report)
    activities = read_activities(activity_reader)
    _extend(report, check_activities(activities, projects, meeting, activity_reader))

    fields = {kpi.field for kpi, _ in kpis} | {project.field for project, _ in projects}
    root = folder.resolve()
    history = _document(folder / "history.md", root, report)
    discussion = _document(folder / "discussion.md", root, report)
    cases = _cases(folder / "cases.md", fields, root, report)
    sheets = _sheets(folder / "projects", {project.no for project, _ in projects}, root, report)

    if not report.ok or meeting is None:
        return None, report
    data = PeriodData(
        id=folder.resolve().name,
        path=folder,
        meeting=meeting,
        kpis=tuple(kpi for kpi, _ in kpis),
        indicators=tuple(indicators),
        agenda=agenda,
        members=members,
        staff=staff,
        goals=goals,
        cases=cases,
        projects=tuple(project for project, _ in projects),
        activities=tuple(activities),
        sheets=sheets,
        history=history,
        discussion=discussion,
    )
    return data, report


def _extend(report: Report, issues: Iterable[Issue]) -> None:
    for issue in issues:
        report.add(issue)


# --- Markdown ------------------------------------------------------------------------------


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink followed, is in the period folder ``root``."""
    return path.resolve().is_relative_to(root)


def _document(path: Path, root: Path, report: Report) -> Document:
    if not path.is_file():
        return Document()
    if not _inside(path, root):
        report.add(
            Issue.of(
                Code.OUTSIDE_FOLDER,
                str(path),
                "このファイルは期のフォルダの外を指すリンク（ショートカット）です。"
                "期のフォルダの中に実際のファイルを置いてください。",
            )
        )
        return Document()
    try:
        text = read_text(path)
    except InputFileError as exc:
        report.add(Issue.of(Code.UNREADABLE_FILE, str(path), exc.reason))
        return Document()
    for number, line in enumerate(text.split("\n"), start=1):
        found = control_characters(line)
        if found:
            where = "、".join(f"{offset}文字目 ({code})" for offset, code in found)
            report.add(
                Issue.of(
                    Code.CONTROL_CHARACTER,
                    str(path),
                    f"Word や PowerPoint で扱えない制御文字があります: {where}。削除してください。",
                    row=number,
                    value=line,
                )
            )
    try:
        document = parse_markdown(text)
    except MarkdownError as exc:
        report.add(Issue.of(Code.MARKDOWN_ERROR, str(path), exc.message, row=exc.line))
        return Document()
    return _with_figures(document, path, root, report)


# Limits for a picture, checked before it is decoded: a slide needs nothing near them, and a
# decompression bomb (a small file claiming a huge size) must not cost the build its memory.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = ("PNG", "JPEG")


def _image_problem(path: Path) -> str | None:
    """Why the picture at ``path`` cannot be used, or ``None`` when it decodes as a PNG or JPEG."""
    size = path.stat().st_size
    if size == 0:
        return "空のファイルです"
    if size > MAX_IMAGE_BYTES:
        return f"ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB。{MAX_IMAGE_BYTES // 1024 // 1024} MB まで）。縮小してください"
    too_many = f"画素数が多すぎます（{MAX_IMAGE_PIXELS // 10000:,}万画素まで）。縮小してください"
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; a warning is a bomb too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=IMAGE_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return too_many + f"（{width}×{height}）"
                image.verify()
            # verify() checks the structure but decodes nothing (a truncated JPEG passes it).
            with Image.open(path, formats=IMAGE_FORMATS) as image:
                image.load()
    except UnidentifiedImageError:
        return "PNG でも JPEG でもありません。PNG か JPEG で保存してください"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return too_many
    except Exception:
        # Pillow's decoders raise many kinds of exception on a damaged file (OSError,
        # SyntaxError, struct.error, IndexError, …); every one means the same to the user.
        return "壊れているか、途中で切れています。PNG か JPEG で保存し直してください"
    return None


def _is_absolute(source: str) -> bool:
    # C:\… and \\server\… are absolute on the Windows PCs the inputs come from.
    return PurePosixPath(source).is_absolute() or PureWindowsPath(source).anchor != ""


def _figure(figure: Figure, markdown: Path, root: Path, report: Report) -> Figure:
    """Resolve a picture relative to its Markdown file; it must be in the period folder and decode."""

    def problem(code: Code, message: str) -> Figure:
        report.add(Issue.of(code, str(markdown), message, row=figure.line, value=figure.source))
        return figure

    outside = (
        f"画像「{figure.source}」は期のフォルダの外にあります。画像は期のフォルダの中に置き、"
        "この Markdown ファイルからの相対パス（例: images/photo.png）で書いてください。"
    )
    if figure.source and _is_absolute(figure.source):
        return problem(Code.OUTSIDE_FOLDER, outside)
    path = markdown.parent / figure.source
    if figure.source and not _inside(path, root):
        return problem(Code.OUTSIDE_FOLDER, outside)
    try:
        found = bool(figure.source) and path.is_file()
    except OSError:  # a name too long for the file system, for one
        found = False
    if not found:
        return problem(
            Code.MISSING_IMAGE,
            f"画像「{figure.source}」がありません。このファイルからの相対パスで書いてください。",
        )
    try:
        reason = _image_problem(path)
    except OSError:
        reason = "読めません"
    if reason is not None:
        return problem(Code.INVALID_IMAGE, f"画像「{figure.source}」は使えません: {reason}。")
    return replace(figure, path=str(path.resolve()))


def _with_figures(document: Document, markdown: Path, root: Path, report: Report) -> Document:
    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(
            _figure(item, markdown, root, report) if isinstance(item, Figure) else item for item in items
        )

    def section(item: Section) -> Section:
        return replace(
            item, blocks=blocks(item.blocks), children=tuple(section(child) for child in item.children)
        )

    return Document(blocks(document.blocks), tuple(section(item) for item in document.sections))


def _cases(path: Path, fields: set[str], root: Path, report: Report) -> tuple[Case, ...]:
    document = _document(path, root, report)
    cases: list[Case] = []
    for section in document.sections:
        if fields and section.title not in fields:
            report.add(
                Issue.of(
                    Code.UNKNOWN_FIELD,
                    str(path),
                    f"見出し「{visible(section.title)}」は分野名ではありません。kpis の表の分野名と同じにしてください。{invisible_note(section.title)}",
                    row=section.line,
                    value=section.title,
                )
            )
            continue
        for case in section.children:
            cases.append(Case(section.title, case.title, case.blocks, case.children))
    return tuple(cases)


def _sheets(folder: Path, projects: set[int], root: Path, report: Report) -> tuple[tuple[int, Document], ...]:
    if not folder.is_dir():
        return ()
    sheets: list[tuple[int, Document]] = []
    seen: set[int] = set()
    for path in sorted(folder.glob("*.md")):
        try:
            no = int(path.stem)
        except ValueError:
            report.add(
                Issue.of(Code.UNKNOWN_PROJECT, str(path), "ファイル名は事業番号にしてください（例: 8.md）。")
            )
            continue
        if projects and no not in projects:
            report.add(Issue.of(Code.UNKNOWN_PROJECT, str(path), f"事業番号 {no} は事業一覧にありません。"))
            continue
        if no in seen:
            report.add(
                Issue.of(
                    Code.DUPLICATE_SHEET,
                    str(path),
                    f"事業番号 {no} の詳細シートが2つあります（例: 8.md と 08.md）。1つにしてください。",
                )
            )
            continue
        seen.add(no)
        sheets.append((no, _document(path, root, report)))
    return tuple(sorted(sheets, key=lambda sheet: sheet[0]))
