"""Validate a whole period folder and build its model.

``validate_period`` reads every table and Markdown file, records every problem (not the first)
and returns the model only when there are no errors.  Cell-level checks happen while reading
(``tables.Row``); the rules that look across rows and tables are small functions below, each
yielding issues, so each can be read and tested on its own.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image, UnidentifiedImageError

from aomori_dx.errors import InputFileError
from aomori_dx.load import MarkdownError, parse_markdown, read_text
from aomori_dx.model import (
    ActivityEntry,
    AgendaItem,
    Block,
    Case,
    Direction,
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
    known_license,
)
from aomori_dx.parse import (
    ParseError,
    Period,
    control_characters,
    invisible_note,
    is_percent_unit,
    parse_number,
    round_half_up,
    visible,
)
from aomori_dx.rates import indicator_rate, mean, published_differs
from aomori_dx.validate.codes import Code
from aomori_dx.validate.report import Issue, Report
from aomori_dx.validate.tables import SCHEMAS, Row, TableReader

__all__ = ["magnitude_problem", "validate_period"]

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
            Issue.of(Code.MISSING_FOLDER, str(folder), "期のフォルダがありません。パスを確認してください。")
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
    check_periods_before_as_of(indicators, meeting, indicator_reader)
    _extend(report, check_published_kpi_rates(kpis, indicators, kpi_reader))

    project_reader = TableReader(folder, SCHEMAS["projects"], report)
    projects = _projects(project_reader)
    activity_reader = TableReader(folder, SCHEMAS["activities"], report)
    activities = _activities(activity_reader)
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


# --- meeting.csv ---------------------------------------------------------------------------

_MEETING_REQUIRED = ("council", "date", "period_label", "as_of")
# 15:00, and 15:00:00 as Excel writes a time cell.
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
AGENDA_SECTIONS = ("dashboard", "roadmap", "discussion")


def _time(row: Row, text: str) -> tuple[int, int] | None:
    """(hour, minute) of a 15:00-style time; an issue at the cell when it is not one."""
    hour, _, minute = text.partition(":")
    if _TIME.match(text) and int(hour) <= 23 and int(minute) <= 59:
        return int(hour), int(minute)
    row.issue("value", Code.INVALID_TIME, f"「{text}」は時刻として読めません。15:00 のように書いてください。")
    return None


def _meeting(reader: TableReader, complete: bool = True) -> Meeting | None:
    if not reader.present:
        return None
    values: dict[str, str] = {}
    rows: dict[str, Row] = {}
    for row in reader.rows():
        key = row.text("key")
        if not key:
            row.issue("key", Code.MISSING_VALUE, "項目名が空欄です。")
            continue
        if key in values:
            row.issue("key", Code.DUPLICATE_KEY, f"項目「{visible(key)}」が2回あります。1つにしてください。")
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
                None, "key", Code.MISSING_VALUE, f"会議情報に「{key}」がありません（または値が空欄です）。"
            )
    number = rows["number"].integer("value") if "number" in rows else None
    date = rows["date"].date("value") if "date" in rows else None
    as_of = rows["as_of"].date("value") if "as_of" in rows else None
    times = {key: _time(rows[key], values[key]) for key in ("start", "end") if values.get(key)}
    start, end = times.get("start"), times.get("end")
    if start is not None and end is not None and end <= start:
        rows["end"].issue(
            "value",
            Code.TIME_ORDER,
            f"終了時刻 {values['end']} が開始時刻 {values['start']} より後になっていません。",
        )
    fiscal = {
        key: rows[key].fiscal_year("value")
        for key in ("fiscal_year", "roadmap_first_year", "roadmap_last_year")
        if key in rows
    }
    first, last = fiscal.get("roadmap_first_year"), fiscal.get("roadmap_last_year")
    if first and last and first > last:
        rows["roadmap_last_year"].issue(
            "value", Code.INVALID_FISCAL_YEAR, "ロードマップの最終年度が最初の年度より前です。"
        )
    known = {
        "council", "number", "date", "start", "end", "venue", "period_label", "as_of", "plan", "tagline",
        "brand", "organizer", "fiscal_year", "roadmap_title", "roadmap_first_year", "roadmap_last_year",
        "goals_intro", "kpis_intro", "license", "license_url", "publisher",
    }  # fmt: skip
    _check_publication(values, rows, reader)
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
        license=values.get("license", ""),
        license_url=values.get("license_url", ""),
        publisher=values.get("publisher", ""),
        extra=tuple((key, value) for key, value in values.items() if key not in known),
    )


_PUBLICATION_KEYS = {"license": "利用条件（license）", "publisher": "公開者（publisher）"}


def _check_publication(values: dict[str, str], rows: dict[str, Row], reader: TableReader) -> None:
    """Warn when the open data's terms of use or publisher are not set (``publish`` uses defaults)."""
    missing = "・".join(label for key, label in _PUBLICATION_KEYS.items() if not values.get(key))
    if missing:
        reader.issue_at(
            None,
            "key",
            Code.MISSING_LICENSE,
            f"オープンデータの{missing}が会議情報にありません。publish は、利用条件がなければ"
            " CC BY 4.0（政府標準利用規約 第2.0版と互換）、公開者がなければ organizer の値で公開します。"
            "meeting.csv に license・publisher の行を書いてください。",
        )
    name = values.get("license", "")
    if name and known_license(name) is None and not values.get("license_url"):
        rows["license"].issue(
            "value",
            Code.UNKNOWN_LICENSE,
            f"利用条件「{visible(name)}」は aomori-dx が URL を知っている名前（CC BY 4.0、CC0 1.0）ではありません。"
            "データポータルが利用条件を確かめられるよう、license_url の行に利用条件の本文の URL を書いてください。",
        )


# --- people, agenda, goals -----------------------------------------------------------------


def _agenda(reader: TableReader) -> tuple[AgendaItem, ...]:
    items = []
    for row in reader.rows():
        level = row.integer("level") if row.required("level") else None
        text = row.required("text")
        if level is not None and not 1 <= level <= 3:
            row.issue("level", Code.INVALID_NUMBER, "階層は 1〜3 で書いてください。")
        section = row.text("section")
        if section and section not in AGENDA_SECTIONS:
            row.issue(
                "section",
                Code.INVALID_SECTION,
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
                "id",
                Code.DUPLICATE_KPI,
                f"KPI番号「{visible(kpi_id)}」が {seen[kpi_id]}行目 と重複しています。",
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
        direction = _direction(row)
        baseline = row.decimal("baseline", unit)
        target = _target(row, unit, direction, baseline)
        previous = row.decimal("previous", unit)
        latest = row.decimal("latest", unit)
        previous_period = row.period("previous_period")
        latest_period = row.period("latest_period")
        previous_published = row.decimal("previous_rate_published", "%")
        latest_published = row.decimal("latest_rate_published", "%")
        if previous is not None and previous_period is None and not _failed(row, "previous_period"):
            row.issue("previous_period", Code.MISSING_VALUE, "前期の値の時点（例: R4年度）がありません。")
        if latest is not None and latest_period is None and not _failed(row, "latest_period"):
            row.issue("latest_period", Code.MISSING_VALUE, "直近の値の時点（例: R5年度）がありません。")
        if previous_period and latest_period and not previous_period.end < latest_period.end:
            row.issue(
                "previous_period",
                Code.PERIOD_ORDER,
                f"前期の時点「{previous_period.text}」が直近の時点「{latest_period.text}」より前になっていません。",
            )
        if latest is None and not _failed(row, "latest") and kpi and name:
            row.issue(
                "latest",
                Code.MISSING_LATEST,
                "直近の値が空欄です。この中間指標は KPI の平均に含まれません。",
            )
        if kpi and name:
            key = (kpi, name)
            if key in seen:
                row.issue(
                    "name",
                    Code.DUPLICATE_INDICATOR,
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
            direction=direction or "increase",
            baseline=baseline,
        )
        _check_magnitudes(row, indicator)
        if not row.text("direction"):
            _check_unmarked_direction(row, indicator)
        if not indicator.confirmed:
            row.issue(
                "confirmed",
                Code.UNCONFIRMED,
                "この期の値としてまだ確認されていません（前期から引き継いだ値です）。担当課に確認して確認の列（confirmed）を ○ にしてください。",
            )
        for column, value, published in (
            ("previous_rate_published", previous, previous_published),
            ("latest_rate_published", latest, latest_published),
        ):
            _check_published_rate(row, column, indicator, value, published)
        indicators.append(indicator)
    return indicators


INCREASE_WORDS = ("", "increase", "上昇", "増加")
DECREASE_WORDS = ("decrease", "減少", "低下", "削減")


def _direction(row: Row) -> Direction | None:
    """The ``direction`` cell: blank or 増加 is the usual higher-is-better, 減少 lower-is-better."""
    text = unicodedata.normalize("NFKC", row.text("direction")).lower()
    if text in INCREASE_WORDS:
        return "increase"
    if text in DECREASE_WORDS:
        return "decrease"
    row.issue(
        "direction",
        Code.INVALID_DIRECTION,
        f"目標の方向「{row.text('direction')}」は読めません。値が大きいほどよい指標は空欄か「増加」、"
        "小さいほどよい指標は「減少」と書いてください。",
    )
    return None


def _target(row: Row, unit: str, direction: Direction | None, baseline: Decimal | None) -> Decimal | None:
    """The target, if a rate can be computed from it: above 0, or below the baseline for 減少."""
    target = row.decimal("target", unit)
    if target is None:
        if row.has("target") and not _failed(row, "target"):
            row.issue(
                "target",
                Code.MISSING_VALUE,
                "目標値がありません。達成率を計算できないので、目標値を入力してください。",
            )
        return None
    if direction == "decrease":
        if baseline is None:
            if not _failed(row, "baseline"):
                row.issue(
                    "baseline",
                    Code.MISSING_VALUE,
                    "減らす指標（目標の方向が「減少」）には基準値（baseline）が必要です。"
                    "達成率 ＝ (基準値 − 値) ÷ (基準値 − 目標値) × 100 で計算します。",
                )
            return None
        if baseline <= target:
            row.issue(
                "baseline",
                Code.INVALID_BASELINE,
                f"基準値 {baseline} が目標値 {target} より大きくありません。減らす指標では、基準値を目標値より"
                "大きくしてください（そうでないと達成率を計算できません）。",
            )
            return None
        return target
    if target <= 0:
        row.issue(
            "target",
            Code.INVALID_TARGET,
            "目標値は 0 より大きい数にしてください（0 以下では達成率を計算できません）。",
        )
        return None
    return target


def _rate(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    return indicator_rate(value, indicator.target, indicator.baseline, indicator.direction == "decrease")


# An order of magnitude slip: a value 100 times too large or too small (a unit confused, digits
# doubled) is far outside what two periods of one indicator differ by.
SLIP = Decimal(100)


def magnitude_problem(
    indicator: Indicator, column: str, value: Decimal, previous_suspect: bool = False
) -> str | None:
    """Why ``value`` (the cell ``column``) looks like a slip of magnitude for its unit, if it does.

    For a ``%`` indicator: 0 < value ≤ 1 while another figure of the row is above 1 and more than
    10 times the value (45% read as 0.45: ×100 is nearer the others than the value as read); or a
    value above 100 that is more than 10 times another figure of at most 100 (0.45 read as 45 and
    shown as 4500%).  For every unit: the latest value 100 times the previous one or 1/100 of it,
    or a value 100 times the target (of a higher-is-better indicator).  Zero is never doubted: it
    reads the same as a fraction and as a percentage."""
    if value == 0:
        return None
    others = [
        other
        for name, other in (
            ("target", indicator.target),
            ("previous", indicator.previous),
            ("latest", indicator.latest),
            ("baseline", indicator.baseline),
        )
        if name != column and other is not None and other != 0
    ]
    size = abs(value)
    if is_percent_unit(indicator.unit):
        if size <= 1 and any(abs(other) > 1 and abs(other) > 10 * size for other in others):
            meant = f"{(value * 100).normalize():f}"
            return (
                f"単位が % なのに {value} です。{meant}% のつもりで {value} と書いていませんか（Excel のパーセント"
                "表示のセルの値を写すと小数になります）。% の指標は 45% を 45 と書きます。"
            )
        if size > 100 and any(abs(other) <= 100 and size > 10 * abs(other) for other in others):
            return f"単位が % なのに {value} です。100 倍になっていませんか。% の数字（45% なら 45）を書いてください。"
    previous = indicator.previous
    if column == "latest" and previous and not previous_suspect and (previous > 0) == (value > 0):
        ratio = size / abs(previous)
        if ratio >= SLIP or ratio <= 1 / SLIP:
            return (
                f"直近の値 {value} が前期の値 {previous} の {'100倍以上' if ratio >= SLIP else '100分の1以下'}"
                "です。桁や単位の誤りでないか確かめてください。"
            )
    if indicator.direction == "increase" and value > 0 and value >= SLIP * indicator.target:
        return f"値 {value} が目標値 {indicator.target} の100倍以上です。桁や単位の誤りでないか確かめてください。"
    return None


def _check_magnitudes(row: Row, indicator: Indicator) -> None:
    """Warn at each value cell whose size is implausible for its unit and the row's other figures."""
    for column, value in (
        ("target", indicator.target),
        ("baseline", indicator.baseline),
        ("previous", indicator.previous),
        ("latest", indicator.latest),
    ):
        if value is None or value == 0:
            continue
        # A slip in the previous value must not also be blamed on the latest one beside it.
        problem = magnitude_problem(indicator, column, value, row.has_issue("previous"))
        if problem is not None:
            row.issue(column, Code.IMPLAUSIBLE_MAGNITUDE, problem)


# A higher-is-better indicator at twice its target or more is more likely a lower-is-better one
# whose direction nobody marked (its rate is then pinned at 100%).
FAR_BEYOND = Decimal(2)


def _check_unmarked_direction(row: Row, indicator: Indicator) -> None:
    """Suggest the direction column where an unmarked indicator looks lower-is-better."""
    latest, previous, target = indicator.latest, indicator.previous, indicator.target
    if latest is None or any(row.has_issue(column) for column in ("target", "previous", "latest")):
        return
    if indicator.baseline is not None:
        reason = "基準値（baseline）が書かれていますが、目標の方向が空欄なので、値が大きいほどよい指標として計算しています。"
    elif latest >= FAR_BEYOND * target:
        reason = f"直近の値 {latest} が目標値 {target} の2倍以上です。"
    elif previous is not None and previous > target and latest > target:
        reason = f"前期の値 {previous} も直近の値 {latest} も目標値 {target} を上回っています。"
    else:
        return
    row.issue(
        "latest",
        Code.UNMARKED_DIRECTION,
        reason
        + "値が小さいほどよい（減らす）指標なら、目標の方向（direction）に「減少」、基準値（baseline）に"
        "基準の値を書いてください。大きいほどよい指標なら、目標の方向に「増加」と書くとこの警告は出ません。",
    )


def _failed(row: Row, column: str) -> bool:
    """Whether reading this cell already recorded an issue (so a second one would only repeat it)."""
    return row.has_issue(column)


def _check_published_rate(
    row: Row, column: str, indicator: Indicator, value: Decimal | None, published: Decimal | None
) -> None:
    """Warn where a printed rate disagrees with the value and target beside it."""
    if published is None:
        return
    rate = _rate(indicator, value)
    if rate is None:
        row.issue(
            column,
            Code.RATE_MISMATCH,
            f"値が空欄なのに達成率 {published}% が書かれています。",
        )
        return
    if published_differs(rate, published):
        shown = round_half_up(rate)
        row.issue(
            column,
            Code.RATE_MISMATCH,
            f"公表された達成率 {published}% は値と目標値から計算した {shown}% と一致しません。"
            "aomori-dx は計算した値を使います。",
        )


def _first_day(period: Period) -> dt.date:
    """The first day a value of ``period`` can describe: a 末 label is a single day (its end)."""
    if period.at_end:
        return period.end
    if period.kind == "fiscal_year":
        return dt.date(period.year, 4, 1)
    if period.kind == "calendar_year":
        return dt.date(period.year, 1, 1)
    return dt.date(period.year, period.month or 1, 1)


def check_periods_before_as_of(
    indicators: list[Indicator], meeting: Meeting | None, reader: TableReader
) -> None:
    """No value may be dated in a period that had not begun by the as-of date: it cannot have been
    measured yet.  A period still running on that date (R6年度 on 2024-11-30) is allowed, since the
    seed reports such year-to-date figures (K8, ※R6年度開始の取組)."""
    as_of = meeting.as_of if meeting else None
    if as_of is None:
        return
    for indicator in indicators:
        for column, label, period in (
            ("previous_period", "前期の時点", indicator.previous_period),
            ("latest_period", "直近の時点", indicator.latest_period),
        ):
            if period is not None and _first_day(period) > as_of:
                reader.issue_at(
                    indicator.row,
                    column,
                    Code.PERIOD_AFTER_AS_OF,
                    f"{label}「{period.text}」は基準日 {as_of.isoformat()}（meeting の as_of）より後です。"
                    "まだ測れない時点なので、時点か基準日を確かめてください。",
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
            yield Issue.of(
                Code.UNKNOWN_KPI,
                indicator_reader.file,
                f"KPI番号「{visible(indicator.kpi)}」は kpis の表にありません。{invisible_note(indicator.kpi)}",
                row=indicator.row,
                column=indicator_reader.header_of("kpi"),
                value=indicator.kpi,
            )
    used = {indicator.kpi for indicator in indicators}
    for kpi, row in kpis:
        if kpi.id not in used:
            yield Issue.of(
                Code.KPI_WITHOUT_INDICATORS,
                kpi_reader.file,
                f"KPI「{kpi.name}」({visible(kpi.id)}) の中間指標が indicators の表に1つもありません。{invisible_note(kpi.id)}",
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
            if (rate := _rate(indicator, indicator.latest)) is not None
        ]
        average = mean(rates)
        if average is None:
            continue
        if published_differs(average, kpi.rate_published):
            shown = round_half_up(average)
            yield Issue.of(
                Code.RATE_MISMATCH,
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
    featured_rows: dict[int, int] = {}
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
                Code.INVALID_FISCAL_YEAR,
                f"事業終期「{end_text}」が事業始期「{row.text('start')}」より前です。",
            )
        featured = row.integer("featured") if row.text("featured") else None
        reference = row.flag("reference")
        if no is None:
            if not row.text("no"):
                row.issue("no", Code.MISSING_VALUE, "事業番号（No.）が空欄です。")
            continue
        if no in seen:
            row.issue("no", Code.DUPLICATE_PROJECT, f"事業番号 {no} が {seen[no]}行目 と重複しています。")
            continue
        seen[no] = row.number
        featured = _featured(row, featured, featured_rows)
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


def _featured(row: Row, featured: int | None, seen: dict[int, int]) -> int | None:
    """The 主な取組 number: 1, 2, … and each at most once (the deck orders by it)."""
    if featured is None:
        return None
    if featured < 1:
        row.issue("featured", Code.INVALID_NUMBER, "主な取組の番号は 1 以上の整数にしてください。")
        return None
    if featured in seen:
        row.issue(
            "featured",
            Code.DUPLICATE_FEATURED,
            f"主な取組の番号 {featured} が {seen[featured]}行目 と重複しています。番号を付け直してください。",
        )
        return None
    seen[featured] = row.number
    return featured


def _budget(row: Row, column: str) -> Decimal | None:
    text = row.text(column)
    if not text:
        return None
    try:
        budget = parse_number(text, "千円")
    except ParseError:
        row.issue(
            column,
            Code.INVALID_BUDGET,
            f"事業費「{text}」が数値ではありません。千円単位の数値だけを入力してください（例: 48,630）。",
        )
        return None
    if budget is not None and budget < 0:
        # A negative budget would silently lower the field totals that the deck prints.
        row.issue(
            column,
            Code.INVALID_BUDGET,
            f"事業費「{text}」がマイナスです。0 以上の千円単位の数値にしてください。",
        )
        return None
    return budget


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
                Code.INVALID_KIND,
                f"区分「{visible(kind_text)}」は 計画 か 実績 のどちらかにしてください。",
            )
        first = row.fiscal_year("from")
        last = row.fiscal_year("to") if row.text("to") else first
        if first is None and not row.text("from"):
            row.issue("from", Code.MISSING_VALUE, "年度が空欄です。R6 のように書いてください。")
        text = row.required("text")
        if first and last and last < first:
            row.issue("to", Code.INVALID_FISCAL_YEAR, "終了年度が開始年度より前です。")
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

        def issue(column: str, code: Code, message: str, entry: ActivityEntry = entry) -> Issue:
            value = (
                str(entry.project)
                if column == "project"
                else str(entry.first if column == "from" else entry.last)
            )
            return Issue.of(
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
                "project",
                Code.UNKNOWN_PROJECT,
                f"事業番号 {entry.project} は事業一覧（projects）にありません。",
            )
            continue
        if years and (entry.first < years[0] or entry.last > years[-1]):
            yield issue(
                "from" if entry.first < years[0] else "to",
                Code.FISCAL_YEAR_OUTSIDE_ROADMAP,
                f"年度 {entry.first}〜{entry.last} がロードマップの年度 {years[0]}〜{years[-1]} の外にあります。",
            )
        if project.start and entry.first < project.start:
            yield issue(
                "from",
                Code.FISCAL_YEAR_OUTSIDE_TERM,
                f"年度 {entry.first} が事業始期 {project.start} より前です。",
            )
        # A plan may reach past the project's end (the roadmap shows the plan's whole period; the
        # seed's No.42 plans R9–R10 beyond its 終期 R8), but nothing can be achieved after it.
        if entry.kind == "actual" and project.end and entry.last > project.end:
            yield issue(
                "to",
                Code.FISCAL_YEAR_OUTSIDE_TERM,
                f"実績の年度 {entry.last} が事業終期 {project.end} より後です。",
            )
        if entry.kind == "actual" and as_of is not None:
            current = as_of.year if as_of.month >= 4 else as_of.year - 1
            if entry.last.year > current:
                yield issue(
                    "to" if entry.last != entry.first else "from",
                    Code.ACTUAL_IN_FUTURE,
                    f"実績が {entry.last}年度 に入力されていますが、この期の基準日 {as_of.isoformat()} には"
                    "まだ始まっていない年度です。",
                )


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
