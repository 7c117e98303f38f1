"""The report as a whole: which chapters it has and in what order (each a ``ChapterKind``, never
recognised by its Japanese title), the cover, the table of contents, and ``build_report``, which
writes them into the template and returns the deterministic bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import assert_never

from aomori_dx.compute import Result
from aomori_dx.format import clip, japanese_date
from aomori_dx.render.layout import text_lines
from aomori_dx.render.report.figures import dashboard, goals, indicators
from aomori_dx.render.report.narrative import cases, discussion
from aomori_dx.render.report.roadmap import projects, roadmap
from aomori_dx.render.report.writer import MAIN, Report, ReportOptions, para, run
from aomori_dx.render.views import meeting_number

Progress = Callable[[str], None]
ChapterWriter = Callable[[Report, Result, Progress], None]


class ChapterKind(Enum):
    """The kinds of chapter the report has, in their order."""

    GOALS = "goals"
    DASHBOARD = "dashboard"
    INDICATORS = "indicators"
    CASES = "cases"
    ROADMAP = "roadmap"
    PROJECTS = "projects"
    DISCUSSION = "discussion"


@dataclass(frozen=True)
class Chapter:
    """A chapter of this report: its kind, number, title and the titles of its sections (level 2)."""

    kind: ChapterKind
    number: int
    title: str
    sections: tuple[str, ...]


def chapter_writer(kind: ChapterKind) -> ChapterWriter:
    """What writes a chapter of ``kind``; mypy holds that every kind has one."""
    match kind:
        case ChapterKind.GOALS:
            return goals
        case ChapterKind.DASHBOARD:
            return dashboard
        case ChapterKind.INDICATORS:
            return indicators
        case ChapterKind.CASES:
            return cases
        case ChapterKind.ROADMAP:
            return roadmap
        case ChapterKind.PROJECTS:
            return projects
        case ChapterKind.DISCUSSION:
            return discussion
        case _:
            assert_never(kind)


def chapters(result: Result) -> list[Chapter]:
    """The chapters this period has: the optional ones only when the inputs give them content."""
    period = result.period
    found: list[tuple[ChapterKind, str, list[str]]] = []
    if period.goals:
        found.append((ChapterKind.GOALS, "基本目標", []))
    found.append(
        (ChapterKind.DASHBOARD, "目標達成状況（ダッシュボード）", [field.name for field in result.fields])
    )
    # KPIs by name only: the ids (K1…) are ours, the meeting material has none (inputs NOTES.md).
    found.append((ChapterKind.INDICATORS, "中間指標の状況", [kpi.kpi.name for kpi in result.kpis]))
    if period.cases:
        found.append(
            (ChapterKind.CASES, "代表的な事例", list(dict.fromkeys(case.field for case in period.cases)))
        )
    if period.projects:
        title = period.meeting.roadmap_title or "DX関連事業ロードマップ"
        featured = ["各分野の主な取組"] if result.roadmap.featured else []
        found.append(
            (ChapterKind.ROADMAP, title, [*featured, *dict.fromkeys(p.field for p in period.projects)])
        )
        if result.roadmap.featured:
            names = [f"No.{s.project.no} {s.project.name}" for s in result.roadmap.featured]
            found.append((ChapterKind.PROJECTS, "主な取組の詳細", names))
    if period.discussion.sections:
        titles = [section.title for section in period.discussion.sections]
        found.append((ChapterKind.DISCUSSION, "ディスカッションのテーマ", titles))
    return [
        Chapter(kind, number_, title, tuple(sections))
        for number_, (kind, title, sections) in enumerate(found, start=1)
    ]


def _outline(result: Result) -> list[tuple[int, str]]:
    """The headings of levels 1–2, for the table of contents before Word fills it in."""
    items: list[tuple[int, str]] = []
    for chapter in chapters(result):
        items.append((1, f"{chapter.number} {chapter.title}"))
        items.extend((2, section) for section in chapter.sections)
    return items


def _cover(report: Report, result: Result) -> None:
    meeting = result.period.meeting
    plan = meeting.plan or meeting.council
    styles = report.styles
    report.add(para("", styles["Normal"], spacing=(120, 0)))
    title = f"{meeting.period_label}\n{plan}進捗状況報告"
    report.add(para(run(title, size=_cover_size(report, title, "Title")), styles["Title"], "center"))
    when = japanese_date(meeting.date) if meeting.date else ""
    subtitle = f"{meeting_number(meeting)}{meeting.council}\n{when}"
    size = _cover_size(report, subtitle, "Subtitle")
    report.add(para(run(subtitle, size=size), styles["Subtitle"], "center"))
    if meeting.tagline:
        report.add(para(run(meeting.tagline, colour=MAIN), styles["Subtitle"], "center", spacing=(60, 0)))
    if meeting.organizer:
        report.add(para(run(meeting.organizer), styles["Subtitle"], "center", spacing=(80, 0)))


def _cover_size(report: Report, text: str, style: str, most_lines: int = 4) -> float | None:
    """A smaller size for a cover text that would take more than ``most_lines`` lines at its
    style's size (a 300-character name would fill the page and push the cover onto a second)."""
    size = report.style_size(style) or 24.0
    original = size
    while size > 10 and text_lines(text, report.text_width_mm / 25.4, size) > most_lines:
        size -= 1
    return None if size == original else size


def _running_head(result: Result) -> str:
    meeting = result.period.meeting
    # A running head is a reminder, not the content: long names are shortened with … here.
    return (
        f"{meeting_number(meeting)}{clip(meeting.council, 40)}　{clip(meeting.period_label, 20)} 進捗状況報告"
    )


def build_report(
    result: Result, options: ReportOptions | None = None, progress: Progress | None = None
) -> bytes:
    """The report as bytes (deterministic for the same inputs, template and font)."""
    report = Report(options or ReportOptions())
    step = progress or (lambda _: None)
    report.pages(_running_head(result))
    step("表紙・目次")
    _cover(report, result)
    report.add(para(run("目次", bold=True, size=16, colour=MAIN), report.styles["Normal"], page_break=True))
    report.contents(_outline(result))
    for index, chapter in enumerate(chapters(result)):
        step(chapter.title)
        # A new page for the first chapter and for the project sheets (one page each, as in the
        # meeting material); the other chapters follow on, so that no page carries only the last
        # few lines of a chapter.  Headings keep with what follows them.
        new_page = index == 0 or chapter.kind is ChapterKind.PROJECTS
        report.heading(1, f"{chapter.number} {chapter.title}", new_page=new_page)
        chapter_writer(chapter.kind)(report, result, step)
    meeting = result.period.meeting
    day = meeting.date or dt.date(2000, 1, 1)
    stamp = dt.datetime(day.year, day.month, day.day)
    plan = meeting.plan or meeting.council
    return report.save(
        stamp, f"{meeting.period_label} {plan}進捗状況報告", meeting.organizer or meeting.council
    )
