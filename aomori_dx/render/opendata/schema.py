"""The tables of the open data, each declared once as ``Table`` and ``Field`` values: the CSV's
columns, the Table Schema in ``datapackage.json`` (types, units, keys) and the data dictionary
(``datadict.csv`` and the table on data.html) are all written from these declarations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aomori_dx.render.views import KIND_LABELS

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
