"""KPIs and their indicators: reading kpis.csv and indicators.csv (targets, directions, periods, values), and the
checks across them: references, periods before the as-of date, published rates and magnitudes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from aomori_dx.model import (
    Direction,
    Indicator,
    Kpi,
    Meeting,
    name_key,
)
from aomori_dx.parse import (
    Period,
    invisible_note,
    is_percent_unit,
    round_half_up,
    visible,
)
from aomori_dx.rates import indicator_rate, mean, published_differs
from aomori_dx.validate.codes import Code
from aomori_dx.validate.report import Issue
from aomori_dx.validate.tables import Row, TableReader

__all__ = [
    "check_kpi_references",
    "check_periods_before_as_of",
    "check_published_kpi_rates",
    "magnitude_problem",
    "read_indicators",
    "read_kpis",
]


def read_kpis(reader: TableReader) -> list[tuple[Kpi, int]]:
    """The KPIs with the row each was read from."""
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


def read_indicators(reader: TableReader) -> list[Indicator]:
    """The indicators, each checked on its own row (values, periods, target, direction, rates)."""
    indicators: list[Indicator] = []
    seen: dict[tuple[str, str], tuple[int, str]] = {}
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
            # Names that differ only in width or spaces (ＤＸ and DX) are the same row typed twice:
            # both would count in the KPI's average.
            key = (kpi, name_key(name))
            if key in seen:
                number, first = seen[key]
                how = "" if first == name else f"（「{visible(first)}」と全角・半角や空白だけが違います）"
                row.issue(
                    "name",
                    Code.DUPLICATE_INDICATOR,
                    f"同じ KPI に同じ中間指標名が {number}行目 にもあります{how}。",
                )
                continue
            seen[key] = (row.number, name)
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
