"""The meeting's own tables: meeting.csv (date, times, open-data terms), the agenda, members, staff and goals."""

from __future__ import annotations

import re
import unicodedata

from aomori_dx.model import (
    AgendaItem,
    Goal,
    Meeting,
    Member,
    Staff,
    known_license,
)
from aomori_dx.parse import (
    visible,
)
from aomori_dx.validate.codes import Code
from aomori_dx.validate.tables import Row, TableReader

__all__ = ["AGENDA_SECTIONS", "read_agenda", "read_goals", "read_meeting", "read_members", "read_staff"]

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


def read_meeting(reader: TableReader, complete: bool = True) -> Meeting | None:
    """The meeting's settings from meeting.csv (key/value rows); ``None`` when the file is absent."""
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
    if number is not None and number < 1:
        # The cover would print 第0回 / 第-1回.
        rows["number"].issue(
            "value", Code.INVALID_NUMBER, "会議の回（number）は 1 以上の整数にしてください。"
        )
        number = None
    date = rows["date"].date("value") if "date" in rows else None
    as_of = rows["as_of"].date("value") if "as_of" in rows else None
    if complete and date is not None and as_of is not None and as_of > date:
        # A typo in the year (2025-11-30 for 2024-11-30) would let values and actuals of a year
        # not yet begun pass as measured, and print the future date on the cover.  Not while the
        # period is being prepared (collect, status): the meeting date may still be the old one.
        rows["as_of"].issue(
            "value",
            Code.AS_OF_AFTER_DATE,
            f"基準日 {as_of} が会議の開催日 {date} より後です。基準日は、資料の値を集めた日（開催日かそれより前）にしてください。",
        )
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


def read_agenda(reader: TableReader) -> tuple[AgendaItem, ...]:
    """The agenda items, in order."""
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


def read_members(reader: TableReader) -> tuple[Member, ...]:
    """The council members."""
    members = []
    for row in reader.rows():
        name = row.required("name")
        if name:
            members.append(Member(name, row.text("title"), row.text("note")))
    return tuple(members)


def read_staff(reader: TableReader) -> tuple[Staff, ...]:
    """The secretariat and division staff."""
    staff = []
    for row in reader.rows():
        name = row.required("name")
        if name:
            staff.append(Staff(row.text("group"), row.text("division"), row.text("title"), name))
    return tuple(staff)


def read_goals(reader: TableReader) -> tuple[Goal, ...]:
    """The plan's goals."""
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
