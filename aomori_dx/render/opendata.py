"""Open data (CSV and a Frictionless Data Package) following the Digital Agency's machine-readability rules.

Each table is declared once, as ``Table`` and ``Field`` values: the CSV's columns, the Table Schema
in ``datapackage.json`` (types, units, keys) and the data dictionary (``datadict.csv`` and the
table on data.html) are all written from that declaration, so they cannot disagree.

The rules the cells follow: one value per cell and one record per line (a line break inside a
text becomes a space); numbers as plain numbers (no ▲, no separators, no units: the unit has its
own column or the field's description); Western years as integers beside era-year labels, with
their basis (fiscal or calendar) and an ISO 8601 date where the label names a day (年度末,
月末時点); machine-dependent characters (①, Ⅳ, ㈱, ㍻, ㎡, ～, half-width katakana) replaced by
their NFKC forms, ①〜⑳ by (1)〜(20); a text that starts with
= + - @ gets a leading apostrophe so that a spreadsheet never runs it as a formula.  UTF-8 with
BOM, so that Excel opens the files as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aomori_dx.compute import Result
from aomori_dx.format import indicator_note, rate_value
from aomori_dx.model import License
from aomori_dx.parse import FiscalYear, Period
from aomori_dx.render.views import KIND_LABELS

__all__ = [
    "DICTIONARY_TABLE",
    "INDICATORS",
    "INDICATOR_COLUMNS",
    "KPIS",
    "PROJECTS",
    "ROADMAP",
    "Field",
    "Publication",
    "Table",
    "csv_bytes",
    "datapackage",
    "dictionary_rows",
    "flag_cell",
    "indicator_csv",
    "indicator_rows",
    "kpi_rows",
    "number_cell",
    "period_cells",
    "project_rows",
    "publication",
    "roadmap_rows",
    "text_cell",
    "time_axis",
]

# --- cells ---------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Machine-dependent characters (機種依存文字): number forms and roman numerals (Ⅳ), enclosed
# numbers (①), enclosed CJK (㈱), CJK compatibility (㍻ ㌔ ㎡), the full-width tilde (～) and runs
# of half-width katakana (ｶﾞ, composed to ガ).  NFKC is applied to these only: applied to the
# whole text it would also rewrite the ordinary full-width （）＝ that Japanese text uses.
_MACHINE_DEPENDENT = re.compile("[\u2150-\u218f\u2460-\u24ff\u3200-\u33ff\uff5e]|[\uff61-\uff9f]+")
# NFKC turns ① into a bare "1", which would read as part of the next word: (1) keeps the numbering.
_CIRCLED = {chr(0x2460 + index): f"({index + 1})" for index in range(20)}
_LINE_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")


def text_cell(value: str) -> str:
    """A text as the CSV files hold it: one line, NFKC, formula-guarded (see the module's docstring)."""
    text = _MACHINE_DEPENDENT.sub(
        lambda match: _CIRCLED.get(match.group()) or unicodedata.normalize("NFKC", match.group()), value
    )
    text = _LINE_BREAK.sub(" ", text).strip()
    return "'" + text if text.startswith(_FORMULA_START) else text


def number_cell(value: Decimal | int | None) -> str:
    """A number without separators or units ("" for no value, which is not 0)."""
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:f}"


def flag_cell(value: bool) -> str:
    """1 or 0."""
    return "1" if value else "0"


def time_axis(period: Period | None) -> tuple[str, str, str]:
    """The integer Western year, its basis (fiscal/calendar) and the ISO date a label names.

    Only a label that ends a period (``R5年度末`` → 2024-03-31, ``R6年11月末時点`` → 2024-11-30)
    names a day; ``R4年度`` or ``R6年11月`` is a span, and its date cell stays blank."""
    if period is None:
        return "", "", ""
    basis = "fiscal" if period.kind == "fiscal_year" else "calendar"
    return str(period.year), basis, period.end.isoformat() if period.at_end else ""


# --- declarations --------------------------------------------------------------------------

_GUARD = "先頭が = + - @ の値には、表計算ソフトで数式として実行されないよう ' を付けています。"


@dataclass(frozen=True)
class Field:
    """A column: its Table Schema type, Japanese title, description, unit and a real example."""

    name: str
    type: str  # Table Schema: string, integer, number, boolean, date
    title: str
    description: str
    example: str
    unit: str = ""
    guarded: bool = False  # text from the inputs, written through ``text_cell``
    enum: tuple[str, ...] = ()

    def descriptor(self, required: bool) -> dict[str, Any]:
        """The field in a Table Schema."""
        description = self.description + (f"（単位: {self.unit}）" if self.unit else "")
        if self.guarded:
            description = description.rstrip("。") + "。" + _GUARD
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": description,
            "example": self.example,
        }
        if self.type == "boolean":
            out.update(trueValues=["1"], falseValues=["0"])
        constraints: dict[str, Any] = {}
        if required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    """A CSV file of the open data and its schema."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    # (fields here, the table referred to, its fields)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def path(self) -> str:
        """The file name under ``data/``."""
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """The header row."""
        return tuple(field.name for field in self.fields)

    def schema(self) -> dict[str, Any]:
        """The Table Schema."""
        schema: dict[str, Any] = {
            "fields": [field.descriptor(field.name in self.primary_key) for field in self.fields],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(ours), "reference": {"resource": table, "fields": list(theirs)}}
                for ours, table, theirs in self.foreign_keys
            ]
        return schema


def _s(name: str, title: str, description: str, example: str, guarded: bool = True) -> Field:
    return Field(name, "string", title, description, example, guarded=guarded)


def _period_fields(
    prefix: str, label: str, era: str, western: str, year: str, date: str
) -> tuple[Field, ...]:
    return (
        _s(f"{prefix}_period", f"{label}の時点", f"{label}の時点（入力のまま。多くは和暦）", era),
        Field(
            f"{prefix}_period_western",
            "string",
            f"{label}の時点（西暦）",
            f"{label}の時点を西暦で書いたもの（年度・年・月と、末の区別を含む表示用の文字）",
            western,
        ),
        Field(
            f"{prefix}_year",
            "integer",
            f"{label}の年（西暦）",
            f"{label}の時点の西暦の年。{prefix}_basis が fiscal なら年度（4月始まり、始まる年）、calendar なら暦年",
            year,
        ),
        Field(
            f"{prefix}_basis",
            "string",
            f"{label}の年の数え方",
            "fiscal = 年度（4月〜翌年3月）、calendar = 暦年（1月〜12月。月の時点も含む）",
            "fiscal",
            enum=("fiscal", "calendar"),
        ),
        Field(
            f"{prefix}_date",
            "date",
            f"{label}の時点の日付",
            f"{label}の時点が日を指すとき（年度末・年末・月末）のその日（YYYY-MM-DD）。年度・年・月の全体を指すときは空欄",
            date,
        ),
    )


_PERIOD = _s("period", "期", "期の識別子（入力のフォルダ名）", "fy2024-h1")
_FIELD = _s("field", "分野", "分野", "産業・しごと分野")
_KPI_ID = _s("kpi_id", "KPI番号", "KPI番号", "K1")
_KPI_NAME = _s("kpi_name", "KPI名", "KPIの名前", "県内企業のDXの推進状況")
_RATE_RULE = "上限100、小数第1位で四捨五入"

INDICATORS = Table(
    "indicators",
    "中間指標",
    "中間指標の目標値・前期の値・直近の値と達成率（1行 = 1つの中間指標）",
    (
        _PERIOD,
        _FIELD,
        _KPI_ID,
        _KPI_NAME,
        Field(
            "kpi_rate",
            "number",
            "KPI",
            "KPI（中間指標の直近の達成率の単純平均、小数第1位で四捨五入）",
            "33.0",
            "%",
        ),
        Field("indicator_no", "integer", "中間指標の番号", "KPI の中での中間指標の順番（1から）", "1"),
        _s(
            "indicator",
            "中間指標名",
            "中間指標の名前",
            "県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数)",
        ),
        _s("unit", "単位", "target・previous・latest の単位", "件"),
        Field("target", "number", "目標値 (A)", "目標値 (A)。単位は unit 列", "375"),
        Field(
            "previous",
            "number",
            "前期の値 (B)",
            "前期の値 (B)。単位は unit 列。空欄は値なし（0 ではない）",
            "29.1",
        ),
        *_period_fields("previous", "前期の値", "R5年度末", "2023年度末", "2023", "2024-03-31"),
        Field(
            "previous_rate",
            "number",
            "前期の達成率 (C)",
            f"前期の達成率 C = B/A×100（{_RATE_RULE}）",
            "36.4",
            "%",
        ),
        Field(
            "latest",
            "number",
            "直近の値 (D)",
            "直近の値 (D)。単位は unit 列。空欄は値なし（0 ではない）",
            "109",
        ),
        *_period_fields("latest", "直近の値", "R6年11月末時点", "2024年11月末", "2024", "2024-11-30"),
        Field(
            "latest_rate",
            "number",
            "直近の達成率 (E)",
            f"直近の達成率 E = D/A×100（{_RATE_RULE}）",
            "29.1",
            "%",
        ),
        _s("source", "データの出所", "データの出所", "県土整備部整備企画課調べ"),
        _s("note", "注記", "注記（資料の※の注記）", "※直近(R5年)の値を基準としている"),
        Field(
            "changed",
            "boolean",
            "前期からの変更",
            "前期の公表から値が変わったか（1 = 変わった、0 = 変わらない）",
            "0",
        ),
    ),
    ("period", "kpi_id", "indicator_no"),
    ((("period", "kpi_id"), "kpis", ("period", "kpi_id")),),
)
INDICATOR_COLUMNS = INDICATORS.columns

KPIS = Table(
    "kpis",
    "KPI",
    "KPI とその達成率（1行 = 1つの KPI）",
    (
        _PERIOD,
        _s("period_label", "期の名前", "期の名前（入力のまま。多くは和暦）", "令和6年度上半期"),
        Field("as_of", "date", "基準日", "この期のデータの基準日（YYYY-MM-DD）", "2024-11-30"),
        _FIELD,
        _KPI_ID,
        _KPI_NAME,
        Field(
            "rate",
            "number",
            "KPI",
            "KPI（中間指標の直近の達成率の単純平均、小数第1位で四捨五入）",
            "33.0",
            "%",
        ),
        Field("previous_rate", "number", "前期の KPI", "前期の KPI。空欄は前期なし", "33.0", "%"),
        Field(
            "delta", "number", "前期差", "前期差（rate − previous_rate）。空欄は前期なし", "1.5", "ポイント"
        ),
        Field("indicator_count", "integer", "中間指標の数", "この KPI の中間指標の数", "5", "個"),
        _s(
            "components",
            "指標の構成要素",
            "指標の構成要素",
            "DX総合窓口への相談件数、DX人財を確保している中小企業者の割合…",
        ),
    ),
    ("period", "kpi_id"),
)

_PROJECT_NO = Field("project_no", "integer", "事業番号", "事業番号", "8")
_PROJECT_NAME = _s("project_name", "事業名", "事業名", "物価高騰対応「スマート農業機械」導入促進事業")

PROJECTS = Table(
    "projects",
    "DX関連事業",
    "ロードマップの全事業（参考事業を含む。1行 = 1つの事業）",
    (
        _PERIOD,
        _PROJECT_NO,
        _FIELD,
        _s("category", "項目", "分野の中の項目", "農林水産業"),
        _PROJECT_NAME,
        _s("department", "担当部局", "担当部局（入力にあるときだけ）", "農林水産部"),
        _s("division", "担当課等", "担当課（入力にあるときだけ）", "農林水産政策課"),
        Field("budget", "number", "事業費", "事業費（補正後）。空欄は入力になし", "2082501", "千円"),
        Field(
            "budget_original", "number", "当初事業費", "当初予算の事業費。空欄は入力になし", "1000000", "千円"
        ),
        Field("start_year", "integer", "事業始期", "事業の始まりの年度（西暦、4月始まり）", "2024"),
        Field(
            "end_year",
            "integer",
            "事業終期",
            "事業の終わりの年度（西暦、4月始まり）。空欄は未定または入力になし",
            "2028",
        ),
        Field(
            "featured",
            "boolean",
            "主な取組",
            "各分野の主な取組として取り上げる事業か（1 = はい、0 = いいえ）",
            "1",
        ),
        Field(
            "featured_order", "integer", "主な取組の順番", "主な取組の並び順（主な取組でなければ空欄）", "1"
        ),
        Field("reference", "boolean", "参考事業", "参考事業か（1 = はい、0 = いいえ）", "0"),
        _s(
            "summary", "概要", "事業の概要", "長引く物価高騰に対応し、本県に適した農業DXを実現していくため、…"
        ),
    ),
    ("period", "project_no"),
)

ROADMAP = Table(
    "roadmap",
    "ロードマップの計画・実績",
    "事業の取組の計画・実績（1行 = 事業 × 取組 × 年度 × 計画/実績 の縦長形式）",
    (
        _PERIOD,
        _FIELD,
        _s("category", "項目", "分野の中の項目", "農林水産業"),
        _PROJECT_NO,
        _PROJECT_NAME,
        _s("division", "担当課等", "担当課", "農林水産政策課"),
        _s("activity", "取組", "取組", "スマート農業機械の導入支援"),
        _s("fiscal_year", "年度（和暦）", "年度（和暦）", "R6", guarded=False),
        Field(
            "fiscal_year_western",
            "integer",
            "年度（西暦）",
            "年度（西暦、4月始まりの年度の始まる年）",
            "2024",
        ),
        Field(
            "kind",
            "string",
            "・".join(KIND_LABELS.values()),
            " または ".join(KIND_LABELS.values()),
            KIND_LABELS["plan"],
            enum=tuple(KIND_LABELS.values()),
        ),
        Field(
            "entry_no",
            "integer",
            "記入の番号",
            "同じ事業・取組・年度・計画/実績に記入が2つ以上あるときの順番（1から。ほとんどは 1）",
            "1",
        ),
        _s("text", "内容", "計画・実績の内容", "(1)補助事業の実施"),
    ),
    ("period", "project_no", "activity", "fiscal_year_western", "kind", "entry_no"),
    ((("period", "project_no"), "projects", ("period", "project_no")),),
)

DICTIONARY_TABLE = Table(
    "datadict",
    "データ項目定義",
    "各ファイルの列の説明（1行 = 1つの列）。日本語の項目名は datapackage.json の title にあります",
    (
        Field("file", "string", "ファイル", "ファイル名", "indicators.csv"),
        Field("column", "string", "列名", "列の名前（1行目の見出し）", "target"),
        Field(
            "description",
            "string",
            "説明",
            "列の説明。数値の単位（単位: …）と、数式の防止の ' を付ける列かどうかも書いてあります",
            "目標値 (A)。単位は unit 列",
        ),
        Field(
            "type",
            "string",
            "型",
            "Table Schema の型（string = 文字、integer = 整数、number = 数値、boolean = 1/0、date = YYYY-MM-DD）",
            "number",
            enum=("string", "integer", "number", "boolean", "date"),
        ),
        Field("example", "string", "例", "値の例（サンプルの期から）", "375"),
    ),
    ("file", "column"),
)


# --- rows ----------------------------------------------------------------------------------


def indicator_rows(result: Result) -> list[dict[str, str]]:
    """One row per indicator, as text cells ready for CSV."""
    rows = []
    for kpi in result.kpis:
        for number, item in enumerate(kpi.indicators, start=1):
            indicator = item.indicator
            row = {
                "period": text_cell(result.period.id),
                "field": text_cell(kpi.kpi.field),
                "kpi_id": text_cell(kpi.kpi.id),
                "kpi_name": text_cell(kpi.kpi.name),
                "kpi_rate": number_cell(rate_value(kpi.rate)),
                "indicator_no": str(number),
                "indicator": text_cell(indicator.name),
                "unit": text_cell(indicator.unit),
                "target": number_cell(indicator.target),
                "previous": number_cell(indicator.previous),
                "previous_rate": number_cell(rate_value(item.previous_rate)),
                "latest": number_cell(indicator.latest),
                "latest_rate": number_cell(rate_value(item.latest_rate)),
                "source": text_cell(indicator.source),
                "note": text_cell(indicator_note(indicator)),
                "changed": flag_cell(item.changed),
            }
            row.update(period_cells("previous", indicator.previous_period))
            row.update(period_cells("latest", indicator.latest_period))
            rows.append(row)
    return rows


def period_cells(prefix: str, period: Period | None) -> dict[str, str]:
    """The five time columns of a period label (see ``_period_fields``)."""
    year, basis, date = time_axis(period)
    return {
        f"{prefix}_period": text_cell(period.text) if period else "",
        f"{prefix}_period_western": period.western if period else "",
        f"{prefix}_year": year,
        f"{prefix}_basis": basis,
        f"{prefix}_date": date,
    }


def kpi_rows(result: Result) -> list[dict[str, str]]:
    """One row per KPI."""
    meeting = result.period.meeting
    return [
        {
            "period": text_cell(result.period.id),
            "period_label": text_cell(meeting.period_label),
            "as_of": meeting.as_of.isoformat() if meeting.as_of else "",
            "field": text_cell(kpi.kpi.field),
            "kpi_id": text_cell(kpi.kpi.id),
            "kpi_name": text_cell(kpi.kpi.name),
            "rate": number_cell(rate_value(kpi.rate)),
            "previous_rate": number_cell(rate_value(kpi.previous_rate)),
            "delta": number_cell(rate_value(kpi.delta)),
            "indicator_count": str(len(kpi.indicators)),
            "components": text_cell(kpi.kpi.components),
        }
        for kpi in result.kpis
    ]


def _year(year: FiscalYear | None) -> str:
    return "" if year is None else str(year.year)


def project_rows(result: Result) -> list[dict[str, str]]:
    """One row per project of the roadmap, reference projects included."""
    return [
        {
            "period": text_cell(result.period.id),
            "project_no": str(project.no),
            "field": text_cell(project.field),
            "category": text_cell(project.category),
            "project_name": text_cell(project.name),
            "department": text_cell(project.department),
            "division": text_cell(project.division),
            "budget": number_cell(project.budget),
            "budget_original": number_cell(project.budget_original),
            "start_year": _year(project.start),
            "end_year": _year(project.end),
            "featured": flag_cell(project.featured is not None),
            "featured_order": number_cell(project.featured),
            "reference": flag_cell(project.reference),
            "summary": text_cell(project.summary),
        }
        for project in result.period.projects
    ]


def roadmap_rows(result: Result) -> list[dict[str, str]]:
    """Long format: one row per project × activity × fiscal year × plan/actual × entry (L3-09).

    Two entries on the same cell (the page shows them as "A／B") stay two rows, one value each
    (L1-07), told apart by ``entry_no``."""
    rows = []
    count: dict[tuple[int, str, int, str], int] = {}
    for project in result.period.projects:
        for entry in result.period.activities_of(project.no):
            kind = KIND_LABELS[entry.kind]
            activity = text_cell(entry.activity)
            for year in range(entry.first.year, entry.last.year + 1):
                key = (project.no, activity, year, kind)
                count[key] = count.get(key, 0) + 1
                rows.append(
                    {
                        "period": text_cell(result.period.id),
                        "field": text_cell(project.field),
                        "category": text_cell(project.category),
                        "project_no": str(project.no),
                        "project_name": text_cell(project.name),
                        "division": text_cell(project.division),
                        "activity": activity,
                        "fiscal_year": FiscalYear(year).era_label,
                        "fiscal_year_western": str(year),
                        "kind": kind,
                        "entry_no": str(count[key]),
                        "text": text_cell(entry.text),
                    }
                )
    return rows


def dictionary_rows(tables: Iterable[Table]) -> list[dict[str, str]]:
    """The data dictionary: one row per column of every table (the descriptions of the schema)."""
    return [
        {
            "file": table.path,
            "column": field.name,
            "description": field.descriptor(False)["description"],
            "type": field.type,
            "example": field.example,
        }
        for table in tables
        for field in table.fields
    ]


# --- files ---------------------------------------------------------------------------------


def csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> bytes:
    """CSV in UTF-8 with BOM, CRLF line ends, one header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def indicator_csv(result: Result) -> str:
    """The indicator table as CSV text, starting with a BOM (UTF-8 with BOM when encoded)."""
    return csv_bytes(INDICATOR_COLUMNS, indicator_rows(result)).decode("utf-8")


@dataclass(frozen=True)
class Publication:
    """Who publishes the data, under which terms, and when."""

    title: str
    license: License
    publisher: str
    maintainer: str
    updated: dt.date | None
    as_of: dt.date | None


def publication(result: Result) -> Publication:
    """The publication facts of a period (defaults from ``Meeting.open_data_license``)."""
    meeting = result.period.meeting
    title = meeting.plan or meeting.council
    return Publication(
        f"{title} 目標達成状況（{meeting.period_label}）" if meeting.period_label else title,
        meeting.open_data_license,
        meeting.publisher or meeting.organizer,
        meeting.organizer if meeting.publisher else "",
        meeting.date,
        meeting.as_of,
    )


def datapackage(result: Result, tables: Sequence[Table], files: Sequence[str]) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the tables (``datapackage.json``).

    ``files`` are the other files of ``data/`` (JSON, Excel), listed as plain resources."""
    facts = publication(result)
    licence: dict[str, str] = {"name": facts.license.name, "title": facts.license.title}
    if facts.license.path:
        licence["path"] = facts.license.path
    contributors = [{"title": facts.publisher, "role": "publisher"}] if facts.publisher else []
    if facts.maintainer:
        contributors.append({"title": facts.maintainer, "role": "maintainer"})
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", f"aomori-dx-{result.period.id}".lower()),
        "title": facts.title,
        "description": (
            "目標達成状況（KPI・中間指標）と DX関連事業のロードマップ。"
            "CSV は UTF-8（BOM 付き）、1行が1つの記録。列の説明は datadict.csv にもあります。"
        ),
        "licenses": [licence],
        "contributors": contributors,
    }
    if facts.updated is not None:
        # The meeting's date: the day this period's figures were made public (no clock: the same
        # inputs give the same bytes).
        package["created"] = f"{facts.updated.isoformat()}T00:00:00+09:00"
    if facts.as_of is not None:
        package["as_of"] = facts.as_of.isoformat()
    resources: list[dict[str, Any]] = [
        {
            "name": table.name,
            "path": table.path,
            "title": table.title,
            "description": table.description,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            # The IANA name a portal knows; the files start with a BOM (for Excel), which readers
            # of UTF-8 (frictionless among them) skip.
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
            "schema": table.schema(),
        }
        for table in tables
    ]
    for name in files:
        stem, _, suffix = name.rpartition(".")
        resources.append(
            {
                "name": re.sub(r"[^a-z0-9._-]+", "-", f"{stem}-{suffix}".lower()),
                "path": name,
                "profile": "data-resource",
                "format": suffix,
                "mediatype": _MEDIA_TYPES[suffix],
            }
        )
    package["resources"] = resources
    return package


_MEDIA_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
