"""The tables of a period folder, declared once: each table's columns, their Japanese labels and
the header aliases people type (``目標値 (A)``, ``KPI``), and which columns must be filled.  The
reader (``tables``) and collect's table writer both read these."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["SCHEMAS", "Column", "Schema", "normalize_header"]


@dataclass(frozen=True)
class Column:
    """A canonical column: its name, the Japanese headers accepted for it, whether it must exist."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Schema:
    """A table: its file stem (``indicators`` → indicators.csv / .xlsx) and columns."""

    stem: str
    title: str
    columns: tuple[Column, ...]
    required: bool = True


def _c(name: str, label: str, *aliases: str, required: bool = True) -> Column:
    return Column(name, label, (label, *aliases), required)


SCHEMAS: dict[str, Schema] = {
    schema.stem: schema
    for schema in (
        Schema(
            "meeting",
            "会議情報",
            (_c("key", "項目", "キー"), _c("value", "値", "内容")),
        ),
        Schema(
            "agenda",
            "議事次第",
            (
                _c("level", "階層"),
                _c("number", "番号"),
                _c("text", "内容", "議題"),
                _c("section", "資料区分", "区分", required=False),
            ),
            required=False,
        ),
        Schema(
            "members",
            "委員名簿",
            (_c("name", "氏名"), _c("title", "役職"), _c("note", "備考", required=False)),
            required=False,
        ),
        Schema(
            "staff",
            "県側出席者",
            (_c("group", "区分"), _c("division", "所属"), _c("title", "役職"), _c("name", "氏名")),
            required=False,
        ),
        Schema(
            "goals",
            "基本目標",
            (
                _c("no", "番号", "No."),
                _c("name", "目標"),
                _c("description", "説明", required=False),
                _c("baseline", "基準値", required=False),
                _c("unit", "単位", required=False),
                _c("baseline_year", "基準年", required=False),
                _c("target", "目標値", required=False),
                _c("target_year", "目標年", required=False),
                _c("source", "出典", "データの出所", required=False),
            ),
            required=False,
        ),
        Schema(
            "kpis",
            "KPI",
            (
                _c("id", "KPI番号", "ID"),
                _c("field", "分野"),
                _c("name", "KPI名", "KPI"),
                _c("components", "指標の構成要素", required=False),
                _c("rate_published", "公表KPI", "KPI達成率", required=False),
            ),
        ),
        Schema(
            "indicators",
            "中間指標",
            (
                _c("kpi", "KPI番号", "KPI"),
                _c("name", "中間指標名", "指標名"),
                _c("unit", "単位"),
                _c("target", "目標値"),
                _c("previous", "前期の値"),
                _c("previous_period", "前期の時点", "前期の年度"),
                _c("latest", "直近の値"),
                _c("latest_period", "直近の時点", "直近の年度"),
                _c("source", "データの出所", "出典"),
                _c("note", "備考", "注記", required=False),
                _c("previous_rate_published", "前期の達成率", required=False),
                _c("latest_rate_published", "直近の達成率", required=False),
                _c("division", "担当課", "担当課等", required=False),
                _c("confirmed", "確認", "確認済み", required=False),
                _c("direction", "目標の方向", "方向", required=False),
                _c("baseline", "基準値", required=False),
            ),
        ),
        Schema(
            "projects",
            "事業一覧",
            (
                _c("no", "No.", "番号", "事業番号"),
                _c("field", "分野"),
                _c("category", "項目"),
                _c("name", "事業名"),
                _c("department", "担当部局", required=False),
                _c("division", "担当課等", "担当課", required=False),
                _c("budget", "事業費", "事業費(千円)", required=False),
                _c("budget_original", "当初事業費", "当初事業費(千円)", required=False),
                _c("start", "事業始期", "始期", required=False),
                _c("end", "事業終期", "終期", required=False),
                _c("summary", "概要", required=False),
                _c("featured", "主な取組", required=False),
                _c("reference", "参考事業", required=False),
            ),
            required=False,
        ),
        Schema(
            "activities",
            "取組の計画・実績",
            (
                _c("project", "No.", "事業番号"),
                _c("activity", "取組"),
                _c("kind", "区分", "計画・実績"),
                _c("from", "開始年度", "年度"),
                _c("to", "終了年度", required=False),
                _c("text", "内容"),
            ),
            required=False,
        ),
    )
}


def normalize_header(text: str) -> str:
    """Header comparison key: NFKC, no spaces, lower case, without a trailing ``(A)``-style part.

    So ``目標値 (A)`` matches 目標値 and ``前期の 達成率 (B/A)× 100=C`` matches 前期の達成率.
    """
    key = unicodedata.normalize("NFKC", text)
    key = re.sub(r"\s+", "", key).lower()
    if "(" in key and not key.startswith("("):
        key = key[: key.index("(")]
    return key
