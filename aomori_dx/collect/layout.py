"""Where everything sits in a request workbook: the sheet names and one column map per sheet.

The writer (``requests``) places every cell through these maps and the reader (``answers``)
finds every cell through the same maps, so moving or adding a column is one edit here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from aomori_dx.model import ActivityKind

META_SHEET = "_meta"
INDICATOR_SHEET = "中間指標"
ROADMAP_SHEET = "ロードマップ"
GUIDE_SHEET = "説明"
FILL = "FFF2CC"  # the cells to fill: light yellow, as Japanese forms usually mark them

Key = TypeVar("Key", bound=str)


@dataclass(frozen=True)
class Column(Generic[Key]):
    """One column of a sheet: its name in the code, its header and its width (in the units of
    Excel's column width), and whether the division fills it (unlocked, yellow)."""

    key: Key
    header: str = ""
    width: float = 0
    answer: bool = False


@dataclass(frozen=True)
class ColumnMap(Generic[Key]):
    """The columns of a sheet from A rightwards."""

    columns: tuple[Column[Key], ...]

    def index(self, key: Key) -> int:
        """0-based position of the column (for lists of widths)."""
        return next(index for index, column in enumerate(self.columns) if column.key == key)

    def number(self, key: Key) -> int:
        """1-based column number, as openpyxl counts."""
        return self.index(key) + 1

    def letter(self, key: Key) -> str:
        return column_letter(self.number(key))

    def cell(self, key: Key, row: int) -> str:
        """The coordinate (``I2``) of the column in ``row``."""
        return f"{self.letter(key)}{row}"

    def __iter__(self) -> Iterator[Column[Key]]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def widths(self) -> list[float]:
        return [column.width for column in self.columns]

    @property
    def letters(self) -> set[str]:
        return {column_letter(number) for number in range(1, len(self.columns) + 1)}


def column_letter(number: int) -> str:
    """``1`` → ``A``; openpyxl is imported only when a workbook is written or read."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))


IndicatorColumn = Literal[
    "kpi", "name", "unit", "target", "previous", "previous_period", "latest", "latest_period",
    "value", "period", "unchanged", "note",
]  # fmt: skip
# 中間指標: the indicator as the tables hold it (for reference, locked), then the answer.
INDICATOR: ColumnMap[IndicatorColumn] = ColumnMap(
    (
        Column("kpi", "KPI番号", 4),
        Column("name", "中間指標名", 19),
        Column("unit", "単位", 5),
        Column("target", "目標値", 7),
        Column("previous", "前期の値", 7),
        Column("previous_period", "前期の時点", 7),
        Column("latest", "直近の値（前回）", 7),
        Column("latest_period", "直近の時点（前回）", 8),
        Column("value", "新しい値", 7, answer=True),
        Column("period", "新しい値の時点", 10, answer=True),
        Column("unchanged", "変更なし（○）", 9, answer=True),
        Column("note", "備考", 8, answer=True),
    )
)
INDICATOR_ANSWERS: tuple[IndicatorColumn, ...] = tuple(column.key for column in INDICATOR if column.answer)
# The key columns stay in view when scrolling and are repeated on every printed page.
INDICATOR_TITLES = f"A:{INDICATOR.letter('name')}"

RoadmapColumn = Literal["project", "name", "activity", "kind"]
# ロードマップ: one row per project × activity × plan/actual, then one column per fiscal year.
ROADMAP: ColumnMap[RoadmapColumn] = ColumnMap(
    (
        Column("project", "No.", 4),
        Column("name", "事業名", 14),
        Column("activity", "取組", 14),
        Column("kind", "区分", 4),
    )
)
YEAR_WIDTH = 12
KIND_LABELS: dict[ActivityKind, str] = {"plan": "計画", "actual": "実績"}  # the 区分 column
ROADMAP_TITLES = f"A:{ROADMAP.letter('kind')}"


def year_column(offset: int) -> int:
    """The column of the ``offset``-th roadmap year (0 for the first)."""
    return len(ROADMAP) + 1 + offset


def year_cell(offset: int, row: int) -> str:
    return f"{column_letter(year_column(offset))}{row}"


MetaFieldColumn = Literal["key", "value"]
MetaEntryColumn = Literal["kind", "sheet", "cell", "value"]
# _meta (very hidden): the workbook's period and division, then every cell as it was written,
# ``ref`` for a locked cell (compared on return) and ``orig`` for a roadmap cell to fill (so
# that only what the division changed is merged).
META_FIELDS = ("period", "division", "tool")  # rows 1–3
META_FIELD: ColumnMap[MetaFieldColumn] = ColumnMap((Column("key"), Column("value")))
META_FIRST_ENTRY = 5
META_ENTRY: ColumnMap[MetaEntryColumn] = ColumnMap(
    (Column("kind"), Column("sheet"), Column("cell"), Column("value"))
)


def meta_field_row(name: str) -> int:
    return META_FIELDS.index(name) + 1
