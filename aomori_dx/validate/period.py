"""Validate a whole period folder and build its model.

``validate_period`` reads every table and Markdown file, records every problem (not the first)
and returns the model only when there are no errors.  Cell-level checks happen while reading
(``tables.Row``); the rules that look across rows and tables are small functions below, each
yielding issues, so each can be read and tested on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from aomori_dx.errors import InputFileError
from aomori_dx.load import MarkdownError, parse_markdown, read_text
from aomori_dx.model import (
    ActivityEntry,
    AgendaItem,
    Block,
    Case,
    Document,
    Figure,
    Goal,
    Indicator,
    Kpi,
    Meeting,
    Member,
    PeriodData,
    Project,
    Section,
    Staff,
)
from aomori_dx.parse import (
    ParseError,
    control_characters,
    invisible_note,
    parse_number,
    round_half_up,
    visible,
)
from aomori_dx.rates import achievement_rate, mean
from aomori_dx.validate.report import Issue, Report
from aomori_dx.validate.tables import SCHEMAS, Row, TableReader

__all__ = ["validate_period"]

# A published rate differs when the recomputed one, rounded like the print, is this far off.
MISMATCH = Decimal("0.1")

PLAN_WORDS = {"計画": "plan", "plan": "plan"}
ACTUAL_WORDS = {"実績": "actual", "actual": "actual"}


def validate_period(folder: Path, complete: bool = True) -> tuple[PeriodData | None, Report]:
    """Read and check ``folder``; the model is ``None`` when there is any error.

    ``complete=False`` is for a period still being prepared (``requests``, ``collect``,
    ``status``): the meeting's date, as-of date and label may still be blank.
    """
    report = Report()
    if not folder.is_dir():
        report.add(
            Issue(
                "error", "missing-folder", str(folder), "期のフォルダがありません。パスを確認してください。"
            )
        )
        return None, report

    meeting_reader = TableReader(folder, SCHEMAS["meeting"], report)
    meeting = _meeting(meeting_reader, complete)
    agenda = _agenda(TableReader(folder, SCHEMAS["agenda"], report))
    members = _members(TableReader(folder, SCHEMAS["members"], report))
    staff = _staff(TableReader(folder, SCHEMAS["staff"], report))
    goals = _goals(TableReader(folder, SCHEMAS["goals"], report))

    kpi_reader = TableReader(folder, SCHEMAS["kpis"], report)
    kpis = _kpis(kpi_reader)
    indicator_reader = TableReader(folder, SCHEMAS["indicators"], report)
    indicators = _indicators(indicator_reader)
    _extend(report, check_kpi_references(kpis, indicators, kpi_reader, indicator_reader))
    _extend(report, check_published_kpi_rates(kpis, indicators, kpi_reader))

    project_reader = TableReader(folder, SCHEMAS["projects"], report)
    projects = _projects(project_reader)
    activity_reader = TableReader(folder, SCHEMAS["activities"], report)
    activities = _activities(activity_reader)
    _extend(report, check_activities(activities, projects, meeting, activity_reader))

    fields = {kpi.field for kpi, _ in kpis} | {project.field for project, _ in projects}
    history = _document(folder / "history.md", report)
    discussion = _document(folder / "discussion.md", report)
    cases = _cases(folder / "cases.md", fields, report)
    sheets = _sheets(folder / "projects", {project.no for project, _ in projects}, report)

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


# --- meeting.csv ---------------------------------------------------------------------------

_MEETING_REQUIRED = ("council", "date", "period_label", "as_of")
# 15:00, and 15:00:00 as Excel writes a time cell.
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
AGENDA_SECTIONS = ("dashboard", "roadmap", "discussion")


def _meeting(reader: TableReader, complete: bool = True) -> Meeting | None:
    if not reader.present:
        return None
    values: dict[str, str] = {}
    rows: dict[str, Row] = {}
    for row in reader.rows():
        key = row.text("key")
        if not key:
            row.issue("key", "missing-value", "項目名が空欄です。")
            continue
        if key in values:
            row.issue("key", "duplicate-key", f"項目「{visible(key)}」が2回あります。1つにしてください。")
            continue
        value = row.text("value")
        if key in ("start", "end"):
            # Full-width digits, and an Excel time cell read as 15:00:00, become 15:00.
            value = unicodedata.normalize("NFKC", value)
            value = value[:-3] if re.fullmatch(r"\d{1,2}:\d{2}:00", value) else value
        values[key] = value
        rows[key] = row
    for key in _MEETING_REQUIRED if complete else ("council",):
        if not values.get(key):
            reader.issue_at(
                None, "key", "missing-value", f"会議情報に「{key}」がありません（または値が空欄です）。"
            )
    number = rows["number"].integer("value") if "number" in rows else None
    date = rows["date"].date("value") if "date" in rows else None
    as_of = rows["as_of"].date("value") if "as_of" in rows else None
    for key in ("start", "end"):
        if values.get(key) and not _TIME.match(values[key]):
            rows[key].issue(
                "value",
                "invalid-time",
                f"「{values[key]}」は時刻として読めません。15:00 のように書いてください。",
            )
    fiscal = {
        key: rows[key].fiscal_year("value")
        for key in ("fiscal_year", "roadmap_first_year", "roadmap_last_year")
        if key in rows
    }
    first, last = fiscal.get("roadmap_first_year"), fiscal.get("roadmap_last_year")
    if first and last and first > last:
        rows["roadmap_last_year"].issue(
            "value", "invalid-fiscal-year", "ロードマップの最終年度が最初の年度より前です。"
        )
    known = {
        "council", "number", "date", "start", "end", "venue", "period_label", "as_of", "plan", "tagline",
        "brand", "organizer", "fiscal_year", "roadmap_title", "roadmap_first_year", "roadmap_last_year",
        "goals_intro", "kpis_intro",
    }  # fmt: skip
    return Meeting(
        council=values.get("council", ""),
        number=number,
        date=date,
        start=values.get("start", ""),
        end=values.get("end", ""),
        venue=values.get("venue", ""),
        period_label=values.get("period_label", ""),
        as_of=as_of,
        plan=values.get("plan", ""),
        tagline=values.get("tagline", ""),
        brand=values.get("brand", ""),
        organizer=values.get("organizer", ""),
        fiscal_year=fiscal.get("fiscal_year"),
        roadmap_title=values.get("roadmap_title", ""),
        roadmap_first_year=first,
        roadmap_last_year=last,
        goals_intro=values.get("goals_intro", ""),
        kpis_intro=values.get("kpis_intro", ""),
        extra=tuple((key, value) for key, value in values.items() if key not in known),
    )


# --- people, agenda, goals -----------------------------------------------------------------


def _agenda(reader: TableReader) -> tuple[AgendaItem, ...]:
    items = []
    for row in reader.rows():
        level = row.integer("level") if row.required("level") else None
        text = row.required("text")
        if level is not None and not 1 <= level <= 3:
            row.issue("level", "invalid-number", "階層は 1〜3 で書いてください。")
        section = row.text("section")
        if section and section not in AGENDA_SECTIONS:
            row.issue(
                "section",
                "invalid-section",
                f"資料区分「{visible(section)}」は使えません。{'・'.join(AGENDA_SECTIONS)} のどれか、または空欄にしてください。",
            )
        if text:
            items.append(
                AgendaItem(
                    level or 1, row.text("number"), text, section if section in AGENDA_SECTIONS else ""
                )
            )
    return tuple(items)


def _members(reader: TableReader) -> tuple[Member, ...]:
    members = []
    for row in reader.rows():
        name = row.required("name")
        if name:
            members.append(Member(name, row.text("title"), row.text("note")))
    return tuple(members)


def _staff(reader: TableReader) -> tuple[Staff, ...]:
    staff = []
    for row in reader.rows():
        name = row.required("name")
        if name:
            staff.append(Staff(row.text("group"), row.text("division"), row.text("title"), name))
    return tuple(staff)


def _goals(reader: TableReader) -> tuple[Goal, ...]:
    goals = []
    for row in reader.rows():
        no = row.integer("no") if row.required("no") else None
        name = row.required("name")
        unit = row.text("unit")
        baseline = row.decimal("baseline", unit)
        target = row.decimal("target", unit)
        if no is not None and name:
            goals.append(
                Goal(
                    no,
                    name,
                    row.text("description"),
                    baseline,
                    unit,
                    row.text("baseline_year"),
                    target,
                    row.text("target_year"),
                    row.text("source"),
                )
            )
    return tuple(goals)


# --- KPIs and indicators -------------------------------------------------------------------


def _kpis(reader: TableReader) -> list[tuple[Kpi, int]]:
    kpis: list[tuple[Kpi, int]] = []
    seen: dict[str, int] = {}
    for row in reader.rows():
        kpi_id = row.required("id")
        field = row.required("field")
        name = row.required("name")
        rate = row.decimal("rate_published", "%")
        if not kpi_id:
            continue
        if kpi_id in seen:
            row.issue(
                "id", "duplicate-kpi", f"KPI番号「{visible(kpi_id)}」が {seen[kpi_id]}行目 と重複しています。"
            )
            continue
        seen[kpi_id] = row.number
        if field and name:
            kpis.append((Kpi(kpi_id, field, name, row.text("components"), rate), row.number))
    return kpis


def _indicators(reader: TableReader) -> list[Indicator]:
    indicators: list[Indicator] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader.rows():
        kpi = row.required("kpi")
        name = row.required("name")
        unit = row.text("unit")
        target = row.decimal("target", unit)
        if target is None and row.has("target") and not _failed(row, "target"):
            row.issue(
                "target",
                "missing-value",
                "目標値がありません。達成率を計算できないので、目標値を入力してください。",
            )
        elif target is not None and target <= 0:
            row.issue(
                "target",
                "invalid-target",
                "目標値は 0 より大きい数にしてください（0 以下では達成率を計算できません）。",
            )
            target = None
        previous = row.decimal("previous", unit)
        latest = row.decimal("latest", unit)
        previous_period = row.period("previous_period")
        latest_period = row.period("latest_period")
        previous_published = row.decimal("previous_rate_published", "%")
        latest_published = row.decimal("latest_rate_published", "%")
        if previous is not None and previous_period is None and not _failed(row, "previous_period"):
            row.issue("previous_period", "missing-value", "前期の値の時点（例: R4年度）がありません。")
        if latest is not None and latest_period is None and not _failed(row, "latest_period"):
            row.issue("latest_period", "missing-value", "直近の値の時点（例: R5年度）がありません。")
        if previous_period and latest_period and not previous_period.end < latest_period.end:
            row.issue(
                "previous_period",
                "period-order",
                f"前期の時点「{previous_period.text}」が直近の時点「{latest_period.text}」より前になっていません。",
            )
        if latest is None and not _failed(row, "latest") and kpi and name:
            row.issue(
                "latest",
                "missing-latest",
                "直近の値が空欄です。この中間指標は KPI の平均に含まれません。",
                severity="warning",
            )
        if kpi and name:
            key = (kpi, name)
            if key in seen:
                row.issue(
                    "name",
                    "duplicate-indicator",
                    f"同じ KPI に同じ中間指標名が {seen[key]}行目 にもあります。",
                )
                continue
            seen[key] = row.number
        if not (kpi and name and target is not None):
            continue
        indicator = Indicator(
            kpi=kpi,
            name=name,
            unit=unit,
            target=target,
            previous=previous,
            previous_period=previous_period,
            latest=latest,
            latest_period=latest_period,
            source=row.text("source"),
            note=row.text("note"),
            previous_rate_published=previous_published,
            latest_rate_published=latest_published,
            row=row.number,
            division=row.text("division"),
            confirmed=row.flag("confirmed") if row.has("confirmed") else True,
        )
        if not indicator.confirmed:
            row.issue(
                "confirmed",
                "unconfirmed",
                "この期の値としてまだ確認されていません（前期から引き継いだ値です）。担当課に確認して確認の列（confirmed）を ○ にしてください。",
                severity="warning",
            )
        for column, value, published in (
            ("previous_rate_published", previous, previous_published),
            ("latest_rate_published", latest, latest_published),
        ):
            _check_published_rate(row, column, value, target, published)
        indicators.append(indicator)
    return indicators


def _failed(row: Row, column: str) -> bool:
    """Whether reading this cell already recorded an issue (so a second one would only repeat it)."""
    return row.has_issue(column)


def _check_published_rate(
    row: Row, column: str, value: Decimal | None, target: Decimal, published: Decimal | None
) -> None:
    """Warn where a printed rate disagrees with the value and target beside it."""
    if published is None:
        return
    rate = achievement_rate(value, target)
    if rate is None:
        row.issue(
            column,
            "rate-mismatch",
            f"値が空欄なのに達成率 {published}% が書かれています。",
            severity="warning",
        )
        return
    shown = round_half_up(rate)
    if abs(shown - published) >= MISMATCH:
        row.issue(
            column,
            "rate-mismatch",
            f"公表された達成率 {published}% は値と目標値から計算した {shown}% と一致しません。"
            "aomori-dx は計算した値を使います。",
            severity="warning",
        )


def check_kpi_references(
    kpis: list[tuple[Kpi, int]],
    indicators: list[Indicator],
    kpi_reader: TableReader,
    indicator_reader: TableReader,
) -> Iterator[Issue]:
    """Every indicator names a known KPI; every KPI has at least one indicator."""
    ids = {kpi.id for kpi, _ in kpis}
    if not kpi_reader.present or not indicator_reader.present:
        return
    for indicator in indicators:
        if indicator.kpi not in ids:
            yield Issue(
                "error",
                "unknown-kpi",
                indicator_reader.file,
                f"KPI番号「{visible(indicator.kpi)}」は kpis の表にありません。{invisible_note(indicator.kpi)}",
                row=indicator.row,
                column=indicator_reader.header_of("kpi"),
                value=indicator.kpi,
            )
    used = {indicator.kpi for indicator in indicators}
    for kpi, row in kpis:
        if kpi.id not in used:
            yield Issue(
                "error",
                "kpi-without-indicators",
                kpi_reader.file,
                f"KPI「{kpi.name}」({kpi.id}) の中間指標が indicators の表に1つもありません。",
                row=row,
                column=kpi_reader.header_of("id"),
                value=kpi.id,
            )


def check_published_kpi_rates(
    kpis: list[tuple[Kpi, int]], indicators: list[Indicator], reader: TableReader
) -> Iterator[Issue]:
    """Warn where a published KPI rate disagrees with the average of its indicators' rates."""
    by_kpi: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_kpi.setdefault(indicator.kpi, []).append(indicator)
    for kpi, row in kpis:
        if kpi.rate_published is None:
            continue
        rates = [
            rate
            for indicator in by_kpi.get(kpi.id, [])
            if (rate := achievement_rate(indicator.latest, indicator.target)) is not None
        ]
        average = mean(rates)
        if average is None:
            continue
        shown = round_half_up(average)
        if abs(shown - kpi.rate_published) >= MISMATCH:
            yield Issue(
                "warning",
                "rate-mismatch",
                reader.file,
                f"公表された KPI {kpi.rate_published}% は中間指標の達成率の単純平均 {shown}% と一致しません。",
                row=row,
                column=reader.header_of("rate_published"),
                value=str(kpi.rate_published),
            )


# --- roadmap -------------------------------------------------------------------------------


def _projects(reader: TableReader) -> list[tuple[Project, int]]:
    projects: list[tuple[Project, int]] = []
    seen: dict[int, int] = {}
    for row in reader.rows():
        no = row.integer("no")
        field = row.required("field")
        name = row.required("name")
        budget = _budget(row, "budget")
        budget_original = _budget(row, "budget_original")
        start = row.fiscal_year("start")
        end_text = row.text("end")
        end = None if end_text in ("未定", "") else row.fiscal_year("end")
        if start and end and start > end:
            row.issue(
                "end",
                "invalid-fiscal-year",
                f"事業終期「{end_text}」が事業始期「{row.text('start')}」より前です。",
            )
        featured = row.integer("featured") if row.text("featured") else None
        reference = row.flag("reference")
        if no is None:
            if not row.text("no"):
                row.issue("no", "missing-value", "事業番号（No.）が空欄です。")
            continue
        if no in seen:
            row.issue("no", "duplicate-project", f"事業番号 {no} が {seen[no]}行目 と重複しています。")
            continue
        seen[no] = row.number
        if field and name:
            projects.append(
                (
                    Project(
                        no,
                        field,
                        row.text("category"),
                        name,
                        row.text("department"),
                        row.text("division"),
                        budget,
                        budget_original,
                        start,
                        end,
                        row.text("summary"),
                        featured,
                        reference,
                    ),
                    row.number,
                )
            )
    return projects


def _budget(row: Row, column: str) -> Decimal | None:
    text = row.text(column)
    if not text:
        return None
    try:
        return parse_number(text, "千円")
    except ParseError:
        row.issue(
            column,
            "invalid-budget",
            f"事業費「{text}」が数値ではありません。千円単位の数値だけを入力してください（例: 48,630）。",
        )
        return None


def _activities(reader: TableReader) -> list[ActivityEntry]:
    entries: list[ActivityEntry] = []
    for row in reader.rows():
        project = row.integer("project") if row.required("project") else None
        activity = row.required("activity")
        kind_text = row.text("kind")
        kind = PLAN_WORDS.get(kind_text) or ACTUAL_WORDS.get(kind_text)
        if kind is None:
            row.issue(
                "kind",
                "invalid-kind",
                f"区分「{visible(kind_text)}」は 計画 か 実績 のどちらかにしてください。",
            )
        first = row.fiscal_year("from")
        last = row.fiscal_year("to") if row.text("to") else first
        if first is None and not row.text("from"):
            row.issue("from", "missing-value", "年度が空欄です。R6 のように書いてください。")
        text = row.required("text")
        if first and last and last < first:
            row.issue("to", "invalid-fiscal-year", "終了年度が開始年度より前です。")
            continue
        if project is None or not activity or kind is None or first is None or last is None or text is None:
            continue
        entries.append(
            ActivityEntry(
                project, activity, "plan" if kind == "plan" else "actual", first, last, text, row.number
            )
        )
    return entries


def check_activities(
    entries: list[ActivityEntry],
    projects: list[tuple[Project, int]],
    meeting: Meeting | None,
    reader: TableReader,
) -> Iterator[Issue]:
    """Entries refer to known projects, lie within the grid and the project's term, and no 実績 is
    entered for a fiscal year that had not begun by the period's as-of date."""
    by_no = {project.no: project for project, _ in projects}
    years = meeting.roadmap_years if meeting else ()
    as_of = meeting.as_of if meeting else None
    for entry in entries:

        def issue(column: str, code: str, message: str, entry: ActivityEntry = entry) -> Issue:
            value = (
                str(entry.project)
                if column == "project"
                else str(entry.first if column == "from" else entry.last)
            )
            return Issue(
                "error",
                code,
                reader.file,
                message,
                row=entry.row,
                column=reader.header_of(column),
                value=value,
            )

        project = by_no.get(entry.project)
        if project is None:
            yield issue(
                "project", "unknown-project", f"事業番号 {entry.project} は事業一覧（projects）にありません。"
            )
            continue
        if years and (entry.first < years[0] or entry.last > years[-1]):
            yield issue(
                "from" if entry.first < years[0] else "to",
                "fiscal-year-outside-roadmap",
                f"年度 {entry.first}〜{entry.last} がロードマップの年度 {years[0]}〜{years[-1]} の外にあります。",
            )
        if project.start and entry.first < project.start:
            yield issue(
                "from",
                "fiscal-year-outside-term",
                f"年度 {entry.first} が事業始期 {project.start} より前です。",
            )
        # A plan may reach past the project's end (the roadmap shows the plan's whole period; the
        # seed's No.42 plans R9–R10 beyond its 終期 R8), but nothing can be achieved after it.
        if entry.kind == "actual" and project.end and entry.last > project.end:
            yield issue(
                "to",
                "fiscal-year-outside-term",
                f"実績の年度 {entry.last} が事業終期 {project.end} より後です。",
            )
        if entry.kind == "actual" and as_of is not None:
            current = as_of.year if as_of.month >= 4 else as_of.year - 1
            if entry.last.year > current:
                yield issue(
                    "to" if entry.last != entry.first else "from",
                    "actual-in-future",
                    f"実績が {entry.last}年度 に入力されていますが、この期の基準日 {as_of.isoformat()} には"
                    "まだ始まっていない年度です。",
                )


# --- Markdown ------------------------------------------------------------------------------


def _document(path: Path, report: Report, required: bool = False) -> Document:
    if not path.is_file():
        if required:
            report.add(Issue("error", "missing-file", str(path), "ファイルがありません。"))
        return Document()
    try:
        text = read_text(path)
    except InputFileError as exc:
        report.add(Issue("error", "unreadable-file", str(path), exc.reason))
        return Document()
    for number, line in enumerate(text.split("\n"), start=1):
        found = control_characters(line)
        if found:
            where = "、".join(f"{offset}文字目 ({code})" for offset, code in found)
            report.add(
                Issue(
                    "error",
                    "control-character",
                    str(path),
                    f"Word や PowerPoint で扱えない制御文字があります: {where}。削除してください。",
                    row=number,
                    value=line,
                )
            )
    try:
        document = parse_markdown(text)
    except MarkdownError as exc:
        report.add(Issue("error", "markdown-error", str(path), exc.message, row=exc.line))
        return Document()
    return _with_figures(document, path, report)


_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def _figure(figure: Figure, markdown: Path, report: Report) -> Figure:
    """Resolve a picture relative to its Markdown file and check that it is a PNG or JPEG."""
    path = (markdown.parent / figure.source).resolve()

    def problem(code: str, message: str) -> Figure:
        report.add(Issue("error", code, str(markdown), message, row=figure.line, value=figure.source))
        return figure

    if not figure.source or not path.is_file():
        return problem(
            "missing-image",
            f"画像「{figure.source}」がありません。このファイルからの相対パスで書いてください。",
        )
    try:
        head = path.read_bytes()[:8]
    except OSError:
        return problem("missing-image", f"画像「{figure.source}」を読めません。")
    if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
        return problem(
            "invalid-image",
            f"画像「{figure.source}」は PNG でも JPEG でもありません。PNG か JPEG で保存してください。",
        )
    return replace(figure, path=str(path))


def _with_figures(document: Document, markdown: Path, report: Report) -> Document:
    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(_figure(item, markdown, report) if isinstance(item, Figure) else item for item in items)

    def section(item: Section) -> Section:
        return replace(
            item, blocks=blocks(item.blocks), children=tuple(section(child) for child in item.children)
        )

    return Document(blocks(document.blocks), tuple(section(item) for item in document.sections))


def _cases(path: Path, fields: set[str], report: Report) -> tuple[Case, ...]:
    document = _document(path, report)
    cases: list[Case] = []
    for section in document.sections:
        if fields and section.title not in fields:
            report.add(
                Issue(
                    "error",
                    "unknown-field",
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


def _sheets(folder: Path, projects: set[int], report: Report) -> tuple[tuple[int, Document], ...]:
    if not folder.is_dir():
        return ()
    sheets: list[tuple[int, Document]] = []
    seen: set[int] = set()
    for path in sorted(folder.glob("*.md")):
        try:
            no = int(path.stem)
        except ValueError:
            report.add(
                Issue(
                    "error", "unknown-project", str(path), "ファイル名は事業番号にしてください（例: 8.md）。"
                )
            )
            continue
        if projects and no not in projects:
            report.add(
                Issue("error", "unknown-project", str(path), f"事業番号 {no} は事業一覧にありません。")
            )
            continue
        if no in seen:
            report.add(
                Issue(
                    "error",
                    "duplicate-sheet",
                    str(path),
                    f"事業番号 {no} の詳細シートが2つあります（例: 8.md と 08.md）。1つにしてください。",
                )
            )
            continue
        seen.add(no)
        sheets.append((no, _document(path, report)))
    return tuple(sorted(sheets, key=lambda sheet: sheet[0]))
