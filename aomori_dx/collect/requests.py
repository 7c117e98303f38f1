"""``requests``: one workbook per responsible division, asking for its indicators' new values
and its projects' plan/actual grids — the cells to fill unlocked and highlighted, everything
else protected, and a very hidden sheet recording the period, the division and every cell as
written (``answers`` compares the returned workbook with it).  Cells are placed through the
column maps of ``layout``."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from aomori_dx.collect.answers import answered
from aomori_dx.collect.divisions import by_division, current_fiscal_year
from aomori_dx.collect.layout import (
    FILL,
    GUIDE_SHEET,
    INDICATOR,
    INDICATOR_SHEET,
    INDICATOR_TITLES,
    KIND_LABELS,
    META_ENTRY,
    META_FIELD,
    META_FIELDS,
    META_FIRST_ENTRY,
    META_SHEET,
    ROADMAP,
    ROADMAP_SHEET,
    ROADMAP_TITLES,
    YEAR_WIDTH,
    IndicatorColumn,
    MetaEntryColumn,
    RoadmapColumn,
    year_cell,
    year_column,
)
from aomori_dx.collect.sheets import BODY_PT, FONT_NAME, fit_rows, print_setup, put, set_widths, units, widest
from aomori_dx.errors import AomoriDxError
from aomori_dx.format import number
from aomori_dx.load.cells import cell_text
from aomori_dx.model import ActivityKind, Indicator, PeriodData, Project
from aomori_dx.output import NAME_BYTES, clip_bytes, normalize_ooxml, restamp_core, write_atomic
from aomori_dx.parse import is_percent_unit, normalize

MIN_NAME_WIDTH = 11
GUIDE_WIDTH = 96


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _stored(value: Decimal | None) -> int | float | None:
    """A figure as a number cell: Excel holds doubles, and the tables' figures fit one exactly
    enough (at most 15 significant digits)."""
    if value is None:
        return None
    return int(value) if _decimals(value) == 0 else float(value)


def _number_format(places: int, percent: bool, optional: int = 0) -> str:
    """``#,##0.0"%"`` and the like, with ▲ for negatives as the tables print them.  The ``%`` is a
    quoted literal: Excel's own percent format would store 45% as 0.45."""
    body = "#,##0" + ("." + "0" * places + "#" * optional if places or optional else "")
    suffix = '"%"' if percent else ""
    return f'{body}{suffix};"▲"{body}{suffix}'


def _figures(indicator: Indicator) -> list[Decimal]:
    return [v for v in (indicator.target, indicator.previous, indicator.latest) if v is not None]


def _whole(indicator: Indicator) -> bool:
    """Counts (人, 件, 社, 台 …) are whole numbers: the answer cell then takes only integers.  The
    unit alone does not say it (時間 or 枚 may or may not be counted), the figures do."""
    return not is_percent_unit(indicator.unit) and all(_decimals(v) == 0 for v in _figures(indicator))


def _answer_format(indicator: Indicator) -> str:
    if _whole(indicator):
        return _number_format(0, False)
    # Up to three more decimals appear as typed, so that the cell never shows a rounded figure.
    return _number_format(1, is_percent_unit(indicator.unit), optional=3)


def _grid_rows(data: PeriodData, project: Project) -> list[tuple[str, ActivityKind, list[str]]]:
    years = data.meeting.roadmap_years
    entries = data.activities_of(project.no)
    rows = []
    for activity in dict.fromkeys(entry.activity for entry in entries):
        for kind in KIND_LABELS:
            cells = []
            for year in years:
                texts = [
                    e.text for e in entries if e.activity == activity and e.kind == kind and e.covers(year)
                ]
                cells.append("／".join(dict.fromkeys(texts)))
            rows.append((activity, kind, cells))
    return rows


# A file name must not start like a formula (a list of files pasted into a sheet) or be hidden,
# and Windows reserves these device names whatever the extension.
_UNSAFE_START = "=+-@. \u3000"
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{device}{n}" for device in ("COM", "LPT") for n in "123456789¹²³")}
)


def _safe(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+', "_", name).strip("_")[:60]
    return cleaned.rstrip(". ") or "division"


def _file_names(period_id: str, divisions: Sequence[str]) -> dict[str, str]:
    """A distinct, safe file name per division.  Names that differ only in the characters that are
    replaced, past the cut, or in case and width (one file on Windows) get ``_2``, ``_3`` …"""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for division in divisions:
        stem = f"{_safe(period_id)}_{_safe(division)}".lstrip(_UNSAFE_START) or "division"
        # Room for a counter, ".xlsx" and our temporary names beside the file.
        stem = clip_bytes(stem, NAME_BYTES - 120)
        if stem.split(".")[0].upper() in RESERVED_NAMES:
            stem = f"_{stem}"
        candidate, counter = stem, 1
        while normalize(candidate).casefold() in taken:
            counter += 1
            candidate = f"{stem}_{counter}"
        taken.add(normalize(candidate).casefold())
        names[division] = f"{candidate}.xlsx"
    return names


def make_requests(data: PeriodData, out: Path) -> list[Path]:
    """One request workbook per responsible division; returns the paths written.

    The period's label and as-of date head every workbook, so they must be filled first."""
    meeting = data.meeting
    blank = [
        f"{key}（{what}）"
        for key, what, value in (
            ("period_label", "期の名前。例: 令和6年度下半期", meeting.period_label),
            ("as_of", "基準日。例: 2025-05-31", meeting.as_of),
        )
        if not value
    ]
    if blank:
        raise AomoriDxError(
            f"{data.path / 'meeting.csv'} の {'、'.join(blank)} が空欄です。"
            "照会ファイルの題名と、実績を入力できる年度に使うので、入力してから作り直してください。"
        )
    groups = by_division(data)
    names = _file_names(data.id, list(groups))
    filled = [out / name for name in names.values() if (out / name).is_file() and answered(out / name)]
    if filled:
        # Returned workbooks keep the request's file name: saved back into this folder, the next
        # requests run would replace a division's answers with an empty form.
        listed = "、".join(path.name for path in filled[:3]) + (
            f" ほか {len(filled) - 3} 件" if len(filled) > 3 else ""
        )
        raise AomoriDxError(
            f"{out} に、担当課が記入した照会ファイルがあります（{listed}）。作り直すと記入が消えるので、"
            "何も作りませんでした。返送されたファイルを別のフォルダ（例: 返送）に移すか、別の --out を指定してください。"
        )
    written = []
    for division, (indicators, projects) in groups.items():
        path = out / names[division]
        write_atomic(path, _workbook(data, division, indicators, projects))
        written.append(path)
    return written


def _guide_lines(data: PeriodData, division: str, projects: list[Project]) -> list[str]:
    meeting = data.meeting
    as_of = meeting.as_of.isoformat() if meeting.as_of else ""
    return [
        f"{meeting.council}　{meeting.period_label} の数値照会（基準日: {as_of}）",
        f"担当課: {division}",
        "",
        "お願い",
        "1. 「中間指標」シートの黄色のセルに、最新の値とその時点（例: R6年度、R6年11月末時点）を入力してください。",
        "   値は数字だけを入力してください（単位・桁区切りは不要です。マイナスは ▲ または - ）。",
        "   % の指標は、45% なら 45 と入力してください（セルには 45.0% と表示されます）。",
        "   値が前回と同じで変更がない場合は、「変更なし（○）」の一覧から ○ を選んでください。",
        *(
            [
                "2. 「ロードマップ」シートの黄色のセルに、年度ごとの計画・実績を入力・修正してください。",
                "   実績は、今年度までの年度だけ入力できます。",
            ]
            if projects
            else ["2. （この担当課のロードマップの照会はありません。）"]
        ),
        "3. 黄色以外のセルは変更しないでください（変更されたファイルは取り込めません）。",
        "4. 保存して（ファイル名はそのまま）、事務局に返送してください。",
        "",
        f"期: {meeting.period_label}　基準日: {as_of}",
    ]


def _workbook(data: PeriodData, division: str, indicators: list[Indicator], projects: list[Project]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils.indexed_list import IndexedList

    book = Workbook()
    # The default font sets the unit of column widths (see FONT_NAME); openpyxl has no public
    # setter for it.
    default = Font(name=FONT_NAME, size=BODY_PT, family=3, charset=128)
    book._fonts = IndexedList([default])
    book._named_styles["Normal"].font = default
    thin = Side(style="thin", color="A6A6A6")
    looks = _Looks(
        font=Font(name=FONT_NAME, size=BODY_PT),
        bold=Font(name=FONT_NAME, size=BODY_PT, bold=True, color="FFFFFF"),
        head=PatternFill("solid", fgColor="1F4E79"),
        fill=PatternFill("solid", fgColor=FILL),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        wrap=Alignment(wrap_text=True, vertical="top"),
    )
    guide = book.active
    guide.title = GUIDE_SHEET
    for index, line in enumerate(_guide_lines(data, division, projects), start=1):
        cell = put(guide, index, 1, line)
        cell.font = Font(name=FONT_NAME, size=14 if index == 1 else BODY_PT, bold=index in (1, 4))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    set_widths(guide, [GUIDE_WIDTH])
    fit_rows(guide, [GUIDE_WIDTH])
    print_setup(guide, [GUIDE_WIDTH], "A:A")
    guide.protection.sheet = True

    _indicator_sheet(book.create_sheet(INDICATOR_SHEET), indicators, looks)
    if projects:
        _grid_sheet(book.create_sheet(ROADMAP_SHEET), data, projects, looks)
    _meta_sheet(book, data.id, division)
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps the time of saving (core properties, zip entries): the as-of date instead,
    # so the same period gives the same files and a re-sent workbook can be compared byte for byte.
    stamp = f"{data.meeting.as_of.isoformat()}T00:00:00Z" if data.meeting.as_of else "2000-01-01T00:00:00Z"
    return normalize_ooxml(restamp_core(buffer.getvalue(), stamp), stamp)


@dataclass(frozen=True)
class _Looks:
    """The styles every sheet shares."""

    font: Any
    bold: Any
    head: Any
    fill: Any
    border: Any
    wrap: Any


def _header(sheet: Any, titles: Sequence[str], looks: _Looks) -> None:
    from openpyxl.styles import Alignment

    for column, title in enumerate(titles, start=1):
        # "直近の値（前回）" breaks before its parenthesis, not inside it.
        cell = put(sheet, 1, column, title.replace("（前回）", "\n（前回）").replace("KPI番号", "KPI\n番号"))
        cell.font, cell.fill, cell.border = looks.bold, looks.head, looks.border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _indicator_sheet(sheet: Any, indicators: list[Indicator], looks: _Looks) -> None:
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    _header(sheet, INDICATOR.headers, looks)
    common = {"allow_blank": True, "showErrorMessage": True, "showInputMessage": True}
    decimal = DataValidation(
        type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
        errorTitle="数値を入力してください", error="新しい値には数値だけを入力してください（単位は不要です）。",
        promptTitle="新しい値", prompt="数値だけを入力してください。% の指標は 45% を 45 と入力します。", **common,
    )  # fmt: skip
    whole = DataValidation(
        type="whole", operator="between", formula1="-999999999999999", formula2="999999999999999",
        errorTitle="整数を入力してください", error="この指標の値は整数です。数字だけを入力してください。",
        promptTitle="新しい値", prompt="整数だけを入力してください（単位・桁区切りは不要です）。", **common,
    )  # fmt: skip
    periods = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1="20", allow_blank=True,
        showInputMessage=True, promptTitle="時点", prompt="例: R6年度、R6年11月末時点、R6年",
    )  # fmt: skip
    unchanged = DataValidation(type="list", formula1='"○"', error="変更がない場合だけ ○ を選んでください。",
                               **common)  # fmt: skip
    for row, indicator in enumerate(indicators, start=2):
        percent = is_percent_unit(indicator.unit)
        reference = _reference(indicator)
        for column in INDICATOR:
            if column.answer:
                cell = sheet.cell(row=row, column=INDICATOR.number(column.key))
                cell.fill, cell.border, cell.font = looks.fill, looks.border, looks.font
                cell.alignment = looks.wrap
                cell.protection = Protection(locked=False)
                continue
            value = reference[column.key]
            cell = put(sheet, row, INDICATOR.number(column.key), value)
            cell.font, cell.border, cell.alignment = looks.font, looks.border, looks.wrap
            if isinstance(value, int | float):
                cell.number_format = _number_format(_decimals(Decimal(str(value))), percent)
        sheet[INDICATOR.cell("value", row)].number_format = _answer_format(indicator)
        (whole if _whole(indicator) else decimal).add(INDICATOR.cell("value", row))
        periods.add(INDICATOR.cell("period", row))
        unchanged.add(INDICATOR.cell("unchanged", row))
    # A rule without cells is left out: openpyxl would write an empty <dataValidations/>, which
    # the schema forbids (CT_DataValidations needs one dataValidation) and Excel repairs.
    for validation in (decimal, whole, periods, unchanged):
        if validation.sqref:
            sheet.add_data_validation(validation)
    widths = _indicator_widths(indicators)
    set_widths(sheet, widths)
    fit_rows(sheet, widths)
    print_setup(sheet, widths, INDICATOR_TITLES)
    sheet.freeze_panes = INDICATOR.cell("unit", 2)
    sheet.protection.sheet = True


def _reference(indicator: Indicator) -> dict[IndicatorColumn, object]:
    """The indicator as the tables hold it, by the locked columns of the sheet."""
    return {
        "kpi": indicator.kpi,
        "name": indicator.name,
        "unit": indicator.unit,
        "target": _stored(indicator.target),
        "previous": _stored(indicator.previous),
        "previous_period": indicator.previous_period.text if indicator.previous_period else None,
        "latest": _stored(indicator.latest),
        "latest_period": indicator.latest_period.text if indicator.latest_period else None,
    }


def _indicator_widths(indicators: list[Indicator]) -> list[float]:
    """The columns of the indicator sheet: the figure columns as wide as their longest figure
    (else Excel shows ###), the name column taking what is left of the width that still prints
    at 10 pt or more."""
    widths = INDICATOR.widths
    figures: tuple[IndicatorColumn, ...] = ("target", "previous", "latest")
    for key in figures:
        index = INDICATOR.index(key)
        for indicator in indicators:
            value = getattr(indicator, key)
            if value is not None:
                text = number(value) + ("%" if is_percent_unit(indicator.unit) else "")
                widths[index] = max(widths[index], units(text) + 1)
    # The new value may be as long as the target.
    value, target = INDICATOR.index("value"), INDICATOR.index("target")
    widths[value] = max(widths[value], widths[target])
    name = INDICATOR.index("name")
    others = sum(widths) - widths[name]
    widths[name] = max(MIN_NAME_WIDTH, int(widest(len(widths)) - others))
    return widths


def _grid_sheet(sheet: Any, data: PeriodData, projects: list[Project], looks: _Looks) -> None:
    from openpyxl.styles import Protection

    years = data.meeting.roadmap_years
    _header(sheet, [*ROADMAP.headers, *(year.era_label for year in years)], looks)
    current = current_fiscal_year(data)
    row = 2
    for project in projects:
        for activity, kind, cells in _grid_rows(data, project):
            key: dict[RoadmapColumn, object] = {
                "project": project.no, "name": project.name, "activity": activity, "kind": KIND_LABELS[kind]
            }  # fmt: skip
            for column in ROADMAP:
                cell = put(sheet, row, ROADMAP.number(column.key), key[column.key])
                cell.font, cell.border, cell.alignment = looks.font, looks.border, looks.wrap
            for offset, (year, value) in enumerate(zip(years, cells, strict=True)):
                cell = put(sheet, row, year_column(offset), value or None)
                cell.font, cell.border, cell.alignment = looks.font, looks.border, looks.wrap
                if kind == "plan" or year <= current:
                    cell.fill = looks.fill
                    cell.protection = Protection(locked=False)
            row += 1
    widths = [*ROADMAP.widths, *([YEAR_WIDTH] * len(years))]
    set_widths(sheet, widths)
    fit_rows(sheet, widths)
    print_setup(sheet, widths, ROADMAP_TITLES)
    sheet.freeze_panes = year_cell(0, 2)
    sheet.protection.sheet = True


def _meta_sheet(book: Any, period_id: str, division: str) -> None:
    meta = book.create_sheet(META_SHEET)
    fields = {"period": period_id, "division": division, "tool": "aomori-dx"}
    for index, name in enumerate(META_FIELDS, start=1):
        put(meta, index, META_FIELD.number("key"), name)
        put(meta, index, META_FIELD.number("value"), fields[name])
    # What every cell said when the workbook was made: protected cells are compared with it
    # (not with today's tables, which an earlier collect may have changed), and so are the
    # roadmap cells, so that only what the division changed is merged.
    row = META_FIRST_ENTRY
    for name in (INDICATOR_SHEET, ROADMAP_SHEET):
        if name not in book.sheetnames:
            continue
        for cells in book[name].iter_rows(min_row=2):
            for cell in cells:
                locked = cell.protection.locked
                if locked or name == ROADMAP_SHEET:
                    entry: dict[MetaEntryColumn, str] = {
                        "kind": "ref" if locked else "orig",
                        "sheet": name,
                        "cell": cell.coordinate,
                        "value": cell_text(cell.value, "General").strip(),
                    }
                    for column in META_ENTRY:
                        put(meta, row, META_ENTRY.number(column.key), entry[column.key])
                    row += 1
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
