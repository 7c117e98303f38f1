"""Rates, KPIs and 前期差 against the figures printed in the 2nd meeting's material."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seed import SEED_KPIS

from aomori_dx.compute import compute
from aomori_dx.format import percent, points
from aomori_dx.model import PeriodData
from aomori_dx.parse import round_half_up
from aomori_dx.rates import achievement_rate, mean
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"

# The seed's tables, as printed: indicator → (C, E).  None is the printed "—".
PRINTED: dict[str, tuple[str | None, str]] = {
    "県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数)": (None, "29.1"),
    "DX・デジタル化推進人財を確保している又は確保に取り組んでいる中小企業者の割合": ("36.4", "40.6"),
    "DXコーディネーターの伴走支援によりDX戦略の策定に取り組んでいる企業数": ("8.3", "20.0"),
    "首都圏デジタル人材との交流会参加者数": ("12.0", "35.3"),
    "DX研修等人財育成イベントへの参加企業数": (None, "40.0"),
    "稲作の10a当たりの労働時間削減率(R3年の値との比較)": ("0.0", "100.0"),
    "スマート農業機械の導入台数": ("56.1", "70.5"),
    "県観光SNSフォロワー数": ("58.0", "65.5"),
    "「青森ファンプラットフォーム」を活用したデジタルマーケティング参画団体数": (None, "30.0"),
    "デジタルスキル講座の受講によりデジタルスキルを習得した女性の人数": (None, "31.1"),
    "1ヶ月あたり総労働時間(事業所5人以上)の減少幅": ("9.2", "0.0"),
    "有業者テレワーク実施率": (None, "37.7"),
    "教員が授業にICTを活用して指導する能力": ("76.6", "78.1"),
    "統合型校務支援システムの整備率": ("49.2", "54.8"),
    "マイナポータルにおける子育て・介護関係の26手続きのオンライン化取組状況": (None, "55.0"),
    "遠隔医療に係る施設基準の届出を行っている医療機関数": ("59.3", "72.1"),
    "地域公共交通のオープンデータ化の割合": (None, "28.6"),
    "ICT活用工事件数(年間)": ("33.3", "55.0"),
    "橋梁定期点検AI活用率": (None, "19.3"),
    "青森県警察防犯アプリ「まもリン」ダウンロード数": (None, "53.4"),
    "デジタルデバイド対策を実施している市町村数": ("25.0", "32.5"),
    "オンライン手続き利用率(県)": (None, "79.9"),
    "オンライン手続き利用率(市町村)": (None, "64.5"),
    "書かない窓口の導入及び導入に向けて検討している市町村数": (None, "45.0"),
    "コピー用紙削減枚数(対R4年度比)": ("-3.2", "0.0"),
    "県内市町村におけるテレワークの導入率": ("66.5", "74.8"),
    "県内市町村におけるAIの導入率": ("55.0", "88.1"),
    "DX推進員の育成数": (None, "0.0"),
    "基礎研修時等におけるe-ラーニング受講者数": (None, "0.0"),
    "DX推進のための職員育成に取り組む市町村の割合": ("92.9", "92.9"),
}

# Where the hand-typed figure is wrong: (indicator, column) → what the values give.
# 2,113 ÷ 3,000 = 70.43…; 40.0 ÷ 60.1 = 66.56…; 45.0 ÷ 60.1 = 74.87…; 25.0 ÷ 45.4 = 55.06…;
# 70.0 ÷ 75.3 = 92.96… (printed 92.9 in both columns, i.e. cut off instead of rounded).
PRINTED_WRONG: dict[tuple[str, str], str] = {
    ("スマート農業機械の導入台数", "E"): "70.4",
    ("県内市町村におけるテレワークの導入率", "C"): "66.6",
    ("県内市町村におけるテレワークの導入率", "E"): "74.9",
    ("県内市町村におけるAIの導入率", "C"): "55.1",
    ("DX推進のための職員育成に取り組む市町村の割合", "C"): "93.0",
    ("DX推進のための職員育成に取り組む市町村の割合", "E"): "93.0",
}


@pytest.fixture(scope="module")
def sample() -> PeriodData:
    data, report = validate_period(SAMPLE)
    assert data is not None, report.errors
    return data


def _shown(rate: Decimal | None) -> str | None:
    return None if rate is None else str(round_half_up(rate))


def test_every_indicator_rate_matches_the_print_or_a_known_misprint(sample: PeriodData) -> None:
    result = compute(sample)
    seen = set()
    for kpi in result.kpis:
        for item in kpi.indicators:
            name = item.indicator.name
            seen.add(name)
            printed_c, printed_e = PRINTED[name]
            for column, printed, rate in (
                ("C", printed_c, item.previous_rate),
                ("E", printed_e, item.latest_rate),
            ):
                expected = PRINTED_WRONG.get((name, column), printed)
                assert _shown(rate) == expected, f"{name} {column}"
    assert seen == set(PRINTED), "every one of the 30 indicators is checked"
    assert len(seen) == 30


def test_the_misprints_are_really_wrong(sample: PeriodData) -> None:
    # Guard against a table above that says "wrong" where the print was in fact right.
    for (name, column), recomputed in PRINTED_WRONG.items():
        printed = PRINTED[name][0 if column == "C" else 1]
        assert printed is not None and abs(Decimal(printed) - Decimal(recomputed)) >= Decimal("0.1")


def test_kpis_are_the_printed_figures(sample: PeriodData) -> None:
    result = compute(sample)
    assert {kpi.kpi.id: _shown(kpi.rate) for kpi in result.kpis} == SEED_KPIS
    assert [percent(kpi.rate) for kpi in result.kpis] == [
        "33.0%",
        "66.5%",
        "22.9%",
        "62.6%",
        "43.5%",
        "63.1%",
        "54.3%",
        "31.0%",
    ]


def test_kpi_averages_unrounded_rates(sample: PeriodData) -> None:
    # K1 = (109/375 + 32.5/80 + 12/60 + 159/450 + 60/150) / 5 × 100 = 33.005…, kept exact; only
    # the display rounds it (to 33.0).
    result = compute(sample)
    k1 = result.kpi("K1")
    assert k1 is not None and k1.rate is not None
    expected = (
        (
            Decimal(109) / 375
            + Decimal("32.5") / 80
            + Decimal(12) / 60
            + Decimal(159) / 450
            + Decimal(60) / 150
        )
        * 100
        / 5
    )
    assert abs(k1.rate - expected) < Decimal("1e-20")


def test_rate_rules_from_the_seed() -> None:
    # Capped at 100: 6% against 5%.
    assert achievement_rate(Decimal(6), Decimal(5)) == 100
    # No floor: ▲2,799,388 against 87,974,100 prints ▲3.2%.
    assert percent(achievement_rate(Decimal(-2799388), Decimal(87974100))) == "▲3.2%"
    # No previous value → no rate, shown as —.
    assert achievement_rate(None, Decimal(375)) is None
    assert percent(None) == "—"


@pytest.mark.parametrize(
    ("value", "target", "shown"),
    [
        ("1", "8", "12.5%"),  # exactly 12.5
        ("1", "16", "6.3%"),  # 6.25 → 6.3 (half-up), round() would give 6.2
        ("-1", "16", "▲6.3%"),  # negative half away from zero
        ("1", "40", "2.5%"),
        ("0.0005", "1", "0.1%"),  # 0.05 → 0.1
        ("0.0004999", "1", "0.0%"),
        ("9995", "10000", "100.0%"),  # 99.95 rounds up to 100.0
        ("3", "2", "100.0%"),
    ],
)
def test_rounding_edges(value: str, target: str, shown: str) -> None:
    assert percent(achievement_rate(Decimal(value), Decimal(target))) == shown


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
)
def test_rate_is_at_most_100_and_monotonic(value: Decimal, target: Decimal) -> None:
    rate = achievement_rate(value, target)
    assert rate is not None and rate <= 100
    bigger = achievement_rate(value + 1, target)
    assert bigger is not None and bigger >= rate


@given(st.lists(st.decimals(min_value=-100, max_value=100, places=4), min_size=1, max_size=12))
def test_mean_lies_between_min_and_max(values: list[Decimal]) -> None:
    average = mean(values)
    assert average is not None and min(values) <= average <= max(values)


# --- two periods: 前期差 and changed flags -------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def two_periods(tmp_path: Path) -> tuple[Path, Path]:
    """fy2024-h1 (the sample) and fy2024-h2 where two K1 indicators moved and K2 lost ground."""
    inputs = tmp_path / "inputs"
    first = inputs / "fy2024-h1"
    second = inputs / "fy2024-h2"
    shutil.copytree(SAMPLE, first)
    shutil.copytree(SAMPLE, second)
    indicators = second / "indicators.csv"
    # K1: 支援件数 109 → 150 件 (R6年度): 29.07 → 40.0; 交流会 159 → 200 人: 35.33 → 44.44.
    _edit(indicators, "375,—,R4年度,109,R5年度", "375,109,R5年度,150,R6年度")
    _edit(indicators, "450,54,R4年度,159,R5年度", "450,159,R5年度,200,R6年度")
    # K2: SNS followers drop 98,295 → 90,000: 65.53 → 60.0.
    _edit(indicators, '"98,295",R6年11月末時点', "90000,R7年5月末時点")
    _edit(second / "meeting.csv", "as_of,2024-11-30", "as_of,2025-05-31")
    return first, second


def _load(path: Path) -> PeriodData:
    data, report = validate_period(path)
    assert data is not None, [issue.message for issue in report.errors]
    return data


def test_delta_and_changed_flags(two_periods: tuple[Path, Path]) -> None:
    first, second = two_periods
    result = compute(_load(second), _load(first))
    k1, k2, k3 = result.kpi("K1"), result.kpi("K2"), result.kpi("K3")
    assert k1 is not None and k2 is not None and k3 is not None
    # K1 now: (40.0 + 40.625 + 20.0 + 44.444… + 40.0) / 5 = 37.01… → 37.0; then 33.0.
    assert _shown(k1.rate) == "37.0" and _shown(k1.previous_rate) == "33.0"
    assert k1.delta == Decimal("4.0") and points(k1.delta) == "+4.0pt"
    # K2 now: (100 + 70.43 + 60.0 + 30.0) / 4 = 65.108 → 65.1; then 66.5.
    assert _shown(k2.rate) == "65.1" and points(k2.delta) == "▲1.4pt"
    assert k3.delta == 0 and points(k3.delta) == "±0.0pt"
    changed = {
        item.indicator.name: item.changed_fields
        for kpi in result.kpis
        for item in kpi.indicators
        if item.changed
    }
    assert changed == {
        "県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数)": (
            "previous",
            "previous_period",
            "latest",
            "latest_period",
        ),
        "首都圏デジタル人材との交流会参加者数": ("previous", "previous_period", "latest", "latest_period"),
        "県観光SNSフォロワー数": ("latest", "latest_period"),
    }
    payload = result.to_dict()
    assert payload["previous_period"] == "fy2024-h1"
    k1_json = payload["kpis"][0]
    assert (k1_json["rate"], k1_json["previous_rate"], k1_json["delta"]) == (37.0, 33.0, 4.0)


def test_without_a_previous_snapshot_nothing_is_changed_and_delta_is_dash(sample: PeriodData) -> None:
    result = compute(sample)
    assert all(kpi.delta is None and kpi.previous_rate is None for kpi in result.kpis)
    assert not any(item.changed for kpi in result.kpis for item in kpi.indicators)
    assert points(None) == "-"


def test_a_new_indicator_counts_as_changed(two_periods: tuple[Path, Path]) -> None:
    first, second = two_periods
    with (second / "indicators.csv").open("a", encoding="utf-8") as stream:
        stream.write("K8,新しい指標,人,10,—,R5年度,5,R6年度,総合政策部DX推進課調べ,,,\n")
    result = compute(_load(second), _load(first))
    k8 = result.kpi("K8")
    assert k8 is not None
    new = [item for item in k8.indicators if item.new]
    assert [item.indicator.name for item in new] == ["新しい指標"] and new[0].changed


def test_roadmap_figures(sample: PeriodData) -> None:
    roadmap = compute(sample).roadmap
    assert [(f.name, f.projects) for f in roadmap.fields] == [
        ("産業・しごと分野", 28),
        ("暮らし・まち分野", 27),
        ("行政経営分野", 21),
    ]
    assert roadmap.total_projects == 76
    assert [status.project.no for status in roadmap.featured] == [8, 24, 42, 59, 63]
    industry = roadmap.fields[0]
    assert [(c.name, c.projects) for c in industry.categories] == [
        ("サービス業・商工業", 5),
        ("農林水産業", 17),
        ("観光業", 3),
        ("働き方", 3),
    ]
    assert roadmap.fields[2].reference_projects == 1
    # Budgets are known for the five featured projects only (千円).
    assert roadmap.budget_total == Decimal(2082501 + 48630 + 181660 + 29025 + 4793)
    assert roadmap.budget_projects == 5
    # As of 2024-11-30 no roadmap year (R6…) has ended yet.
    assert roadmap.missing_actuals == ()


def test_a_past_year_with_plan_and_no_actual_is_flagged(tmp_path: Path) -> None:
    period = tmp_path / "fy2025-h1"
    shutil.copytree(SAMPLE, period)
    _edit(period / "meeting.csv", "as_of,2024-11-30", "as_of,2025-05-31")
    roadmap = compute(_load(period)).roadmap
    # R6 has ended, and every activity planned in R6 has an R6 actual: nothing to flag.
    # Remove No.8's actual and it is flagged.
    assert roadmap.missing_actuals == ()
    _edit(period / "activities.csv", "8,スマート農業機械の導入支援,実績,R6,R6,① ②\n", "")
    flagged = compute(_load(period)).roadmap.missing_actuals
    assert [(status.project.no, [str(y) for y in status.missing_actuals]) for status in flagged] == [
        (8, ["R6"])
    ]
