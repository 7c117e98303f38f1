"""The domain of one period, as frozen dataclasses: what validation produces and compute reads.

No pandas, no I/O.  Numbers are ``Decimal`` (exact, as typed), periods are parsed ``Period``
values, and narrative text is a small tree of blocks read from Markdown.  Domain words follow
``docs/inputs.md``: KPI, indicator (中間指標), target, previous, latest, field (分野), project (事業),
category (項目), activity (取組), plan / actual (計画 / 実績).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal

from aomori_dx.parse import FiscalYear, Period

# --- Narrative (Markdown) ------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``\\n`` inside is a line break the author wanted."""

    text: str
    line: int = 0


@dataclass(frozen=True)
class Bullet:
    """A bullet with its nested bullets."""

    text: str
    children: tuple[Bullet, ...] = ()


@dataclass(frozen=True)
class BulletList:
    """A bullet list."""

    items: tuple[Bullet, ...]
    line: int = 0


@dataclass(frozen=True)
class Table:
    """A small table inside narrative text (its title is the heading above it)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int = 0


@dataclass(frozen=True)
class Figure:
    """A picture on a line of its own: ``![caption](images/photo.jpg)``.

    ``source`` is as written (relative to the Markdown file); ``path`` is where the file is,
    filled in by validation, which also checks that it exists and is a PNG or JPEG."""

    source: str
    caption: str
    path: str = ""
    line: int = 0


Block = Paragraph | BulletList | Table | Figure


@dataclass(frozen=True)
class Section:
    """A heading with what follows it, and its sub-sections."""

    title: str
    level: int
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Document:
    """A Markdown file: blocks before the first heading, then the sections."""

    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Diagram:
    """A diagram written as a table under a heading ``図`` or ``図：caption``: the header row names
    the columns (分野), the first column the bands that cross them (横断する取組)."""

    columns: tuple[str, ...]
    bands: tuple[str, ...]
    caption: str = ""
    line: int = 0


DIAGRAM_MARKS = ("図：", "図:")


def is_diagram_heading(title: str) -> bool:
    """Whether a heading marks a diagram: ``図`` alone, or ``図：`` / ``図:`` and a caption."""
    return title == "図" or title.startswith(DIAGRAM_MARKS)


def diagram_of(section: Section) -> Diagram | None:
    """The diagram a section holds, or ``None`` when its heading is not a diagram's or it has no
    table (``load.markdown`` reports a malformed diagram with its line)."""
    tables = [block for block in section.blocks if isinstance(block, Table)]
    if not is_diagram_heading(section.title) or not tables:
        return None
    caption = "" if section.title == "図" else section.title[2:].strip()
    table = tables[0]
    return Diagram(table.header[1:], tuple(row[0] for row in table.rows if row), caption, section.line)


# --- Meeting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """Meeting metadata (``meeting.csv``); ``extra`` keeps keys the tool does not know yet."""

    council: str
    number: int | None
    date: dt.date | None
    start: str
    end: str
    venue: str
    period_label: str
    as_of: dt.date | None
    plan: str = ""
    tagline: str = ""
    brand: str = ""
    organizer: str = ""
    fiscal_year: FiscalYear | None = None
    roadmap_title: str = ""
    roadmap_first_year: FiscalYear | None = None
    roadmap_last_year: FiscalYear | None = None
    goals_intro: str = ""
    kpis_intro: str = ""
    # Terms of use and publisher of the open data (``publish``); blank means "not set".
    license: str = ""
    license_url: str = ""
    publisher: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def open_data_license(self) -> License:
        """The licence the open data is published under (``DEFAULT_LICENSE`` when none is set)."""
        if not self.license:
            return DEFAULT_LICENSE
        known = known_license(self.license)
        if known is not None:
            return License(known.name, known.title, self.license_url or known.path)
        return License(self.license, self.license, self.license_url)

    @property
    def roadmap_years(self) -> tuple[FiscalYear, ...]:
        """The fiscal-year columns of the roadmap grid (R6 … R10 in the seed)."""
        if self.roadmap_first_year is None or self.roadmap_last_year is None:
            return ()
        return tuple(
            FiscalYear(year) for year in range(self.roadmap_first_year.year, self.roadmap_last_year.year + 1)
        )


@dataclass(frozen=True)
class License:
    """Terms of use of the open data, as a Data Package names them."""

    name: str  # SPDX identifier ("CC-BY-4.0"), or the name as written in meeting.csv
    title: str  # how people read it
    path: str  # the URL of the terms ("" when meeting.csv gives none)


# Licences a data portal knows by name, so that meeting.csv needs no URL for them.
_KNOWN_LICENSES = {
    "CCBY4.0": License(
        "CC-BY-4.0",
        "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
        "https://creativecommons.org/licenses/by/4.0/deed.ja",
    ),
    "CC01.0": License(
        "CC0-1.0",
        "クリエイティブ・コモンズ CC0 1.0 全世界（パブリック・ドメイン提供）",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
    ),
}
# Without a licence in meeting.csv: CC BY 4.0, with which the government's standard terms of use
# (政府標準利用規約 第2.0版) are compatible, as most Japanese open data is published.
DEFAULT_LICENSE = _KNOWN_LICENSES["CCBY4.0"]


def name_key(name: str) -> str:
    """A name as compared: NFKC and without spaces, so ``ＤＸ　推進`` and ``DX推進`` are one name
    (a width or a space retyped between periods must not make an indicator new)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def known_license(name: str) -> License | None:
    """The licence a name stands for ("CC BY 4.0" = "cc-by-4.0" = "ＣＣ　ＢＹ　４．０"), or None."""
    key = re.sub(r"[\s\-_]", "", unicodedata.normalize("NFKC", name)).upper()
    return _KNOWN_LICENSES.get(key)


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda; ``section`` links it to a part of the deck (dashboard, roadmap, …)."""

    level: int
    number: str
    text: str
    section: str = ""


@dataclass(frozen=True)
class Member:
    """A council member (委員)."""

    name: str
    title: str
    note: str = ""

    @property
    def absent(self) -> bool:
        """備考 says 欠席."""
        return "欠席" in self.note


@dataclass(frozen=True)
class Staff:
    """Prefecture staff attending: the secretariat (事務局) and related divisions (関係課)."""

    group: str
    division: str
    title: str
    name: str


@dataclass(frozen=True)
class Goal:
    """A basic goal (基本目標) with what the plan gives of it; missing values stay ``None``."""

    no: int
    name: str
    description: str
    baseline: Decimal | None
    unit: str
    baseline_year: str
    target: Decimal | None
    target_year: str
    source: str


# --- KPIs and indicators -------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """A KPI (``kpis.csv``); ``rate_published`` is only ever compared, never used."""

    id: str
    field: str
    name: str
    components: str
    rate_published: Decimal | None = None


# Which way an indicator's value should move: up towards its target (the usual case, and every
# indicator of the seed) or down (a reduction target such as sheets of paper used).
Direction = Literal["increase", "decrease"]


@dataclass(frozen=True)
class Indicator:
    """An intermediate indicator (中間指標), one row of ``indicators.csv``.

    A ``decrease`` indicator has a ``baseline`` (基準値) above its target; its rate measures how
    much of the way from the baseline down to the target the value has come."""

    kpi: str
    name: str
    unit: str
    target: Decimal
    previous: Decimal | None
    previous_period: Period | None
    latest: Decimal | None
    latest_period: Period | None
    source: str = ""
    note: str = ""
    previous_rate_published: Decimal | None = None
    latest_rate_published: Decimal | None = None
    row: int = 0
    division: str = ""
    # False only when the table has a ``confirmed`` column and this row is not marked: the value
    # was carried over from the previous period and nobody has confirmed it yet.
    confirmed: bool = True
    direction: Direction = "increase"
    baseline: Decimal | None = None

    @property
    def responsible(self) -> str:
        """Who is asked for the figures: the 担当課 column, or else the data source."""
        return self.division or self.source or "（担当課未設定）"

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the indicator: within a period (two rows with one key are one indicator
        typed twice) and across periods (its previous snapshot)."""
        return (self.kpi, name_key(self.name))


# --- Cases and roadmap ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A representative case (代表的な事例) of a field, from ``cases.md``."""

    field: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Project:
    """A DX project of the roadmap (``projects.csv``); budgets in 千円."""

    no: int
    field: str
    category: str
    name: str
    department: str = ""
    division: str = ""
    budget: Decimal | None = None
    budget_original: Decimal | None = None
    start: FiscalYear | None = None
    end: FiscalYear | None = None
    summary: str = ""
    featured: int | None = None
    reference: bool = False


ActivityKind = Literal["plan", "actual"]


@dataclass(frozen=True)
class ActivityEntry:
    """One cell (or merged span of cells) of a project's plan/actual grid (``activities.csv``)."""

    project: int
    activity: str
    kind: ActivityKind
    first: FiscalYear
    last: FiscalYear
    text: str
    row: int = 0

    def covers(self, year: FiscalYear) -> bool:
        """Whether the span includes ``year``."""
        return self.first <= year <= self.last


# --- The period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodData:
    """Everything in one period folder, validated."""

    id: str
    path: Path
    meeting: Meeting
    kpis: tuple[Kpi, ...]
    indicators: tuple[Indicator, ...]
    agenda: tuple[AgendaItem, ...] = ()
    members: tuple[Member, ...] = ()
    staff: tuple[Staff, ...] = ()
    goals: tuple[Goal, ...] = ()
    cases: tuple[Case, ...] = ()
    projects: tuple[Project, ...] = ()
    activities: tuple[ActivityEntry, ...] = ()
    sheets: tuple[tuple[int, Document], ...] = ()
    history: Document = field(default_factory=Document)
    discussion: Document = field(default_factory=Document)

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields in order of first appearance: KPIs first, then roadmap projects."""
        seen: dict[str, None] = {}
        for kpi in self.kpis:
            seen.setdefault(kpi.field, None)
        for project in self.projects:
            seen.setdefault(project.field, None)
        return tuple(seen)

    def sheet(self, project: int) -> Document | None:
        """The detail sheet of a project, if the inputs have one."""
        return self._sheets_by_project.get(project)

    @cached_property
    def _sheets_by_project(self) -> dict[int, Document]:
        return dict(self.sheets)

    def activities_of(self, project: int) -> tuple[ActivityEntry, ...]:
        """The plan/actual entries of one project, in file order."""
        return self._activities_by_project.get(project, ())

    @cached_property
    def _activities_by_project(self) -> dict[int, tuple[ActivityEntry, ...]]:
        # Grouped once: looking them up per project by scanning was quadratic in the projects.
        grouped: dict[int, list[ActivityEntry]] = {}
        for entry in self.activities:
            grouped.setdefault(entry.project, []).append(entry)
        return {project: tuple(entries) for project, entries in grouped.items()}

    def indicators_of(self, kpi: str) -> tuple[Indicator, ...]:
        """The indicators of one KPI, in file order."""
        return self._indicators_by_kpi.get(kpi, ())

    @cached_property
    def _indicators_by_kpi(self) -> dict[str, tuple[Indicator, ...]]:
        grouped: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.kpi, []).append(indicator)
        return {kpi: tuple(items) for kpi, items in grouped.items()}
