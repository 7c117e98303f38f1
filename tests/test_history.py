"""The time series across periods: history.csv (long), history.xlsx (wide) and the trend charts.

A two-period ``inputs/`` is built in tmp_path from the sample: ``fy2023-h2`` is the sample with
an earlier as-of date and two lower figures, ``fy2024-h1`` the sample itself.  ``aomori-dx publish``
of the later period writes both shapes; the real figures of both periods are asserted, and the
trend chart on the KPI page is shown to carry the same numbers as the file.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.compute import compute
from aomori_dx.format import percent
from aomori_dx.render.history import history_rows, history_xlsx, kpi_series
from aomori_dx.validate import validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
FOLLOWERS = "県観光SNSフォロワー数"
PLATFORM = "「青森ファンプラットフォーム」を活用したデジタルマーケティング参画団体数"
EARLIER_LABEL = "令和5年度下半期"

runner = CliRunner()


def _rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def make_earlier(folder: Path) -> None:
    """The sample as it stood half a year before: as of 2024-05-31, two K2 figures lower."""
    shutil.copytree(SAMPLE, folder)
    meeting = _rows(folder / "meeting.csv")
    values = {"period_label": EARLIER_LABEL, "as_of": "2024-05-31", "date": "2024-06-20", "number": "1"}
    for row in meeting:
        row["value"] = values.get(row["key"], row["value"])
    _rewrite(folder / "meeting.csv", meeting)
    indicators = _rows(folder / "indicators.csv")
    for row in indicators:
        if row["name"] == FOLLOWERS:
            row.update(latest="90,000", latest_period="R6年4月末時点", latest_rate_published="")
        elif row["name"] == PLATFORM:
            row.update(latest="2", latest_period="R6年4月末時点", latest_rate_published="")
    _rewrite(folder / "indicators.csv", indicators)


@dataclass(frozen=True)
class Published:
    site: Path
    history: list[dict[str, str]]
    output: str


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    root = tmp_path_factory.mktemp("history")
    make_earlier(root / "inputs" / "fy2023-h2")
    shutil.copytree(SAMPLE, root / "inputs" / "fy2024-h1")
    result = runner.invoke(app, ["publish", str(root / "inputs" / "fy2024-h1"), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    site = root / "out" / "fy2024-h1" / "site"
    return Published(site, _rows(site / "data" / "history.csv"), result.output)


def test_history_csv_is_long_with_both_periods(published: Published) -> None:
    rows = published.history
    assert len(rows) == 60
    assert [row["period"] for row in rows] == ["fy2023-h2"] * 30 + ["fy2024-h1"] * 30
    assert {(row["period"], row["period_label"], row["as_of"]) for row in rows} == {
        ("fy2023-h2", EARLIER_LABEL, "2024-05-31"),
        ("fy2024-h1", "令和6年度上半期", "2024-11-30"),
    }
    followers = [row for row in rows if row["indicator"] == FOLLOWERS]
    assert [
        (r["value"], r["value_period"], r["value_year"], r["value_basis"], r["value_date"], r["rate"])
        for r in followers
    ] == [
        ("90000", "R6年4月末時点", "2024", "calendar", "2024-04-30", "60.0"),
        ("98295", "R6年11月末時点", "2024", "calendar", "2024-11-30", "65.5"),
    ]
    assert [r["rate"] for r in rows if r["indicator"] == PLATFORM] == ["20.0", "30.0"]
    # K2 = (100.0 + 70.43… + 60.0 + 20.0) / 4 = 62.6 then; 66.5 now (the seed's figure).
    assert [r["kpi_rate"] for r in rows if r["indicator"] == FOLLOWERS] == ["62.6", "66.5"]
    k1 = {r["period"]: r["kpi_rate"] for r in rows if r["kpi_id"] == "K1"}
    assert k1 == {"fy2023-h2": "33.0", "fy2024-h1": "33.0"}


def test_history_xlsx_is_wide_with_the_same_figures(published: Published) -> None:
    book = load_workbook(published.site / "data" / "history.xlsx")
    assert book.sheetnames == ["KPI", "中間指標の値", "達成率"]
    kpis = [[cell.value for cell in row] for row in book["KPI"].iter_rows()]
    assert kpis[0] == ["KPI番号", "KPI名", EARLIER_LABEL, "令和6年度上半期"]
    assert len(kpis) == 1 + 8
    assert kpis[2][0] == "K2" and kpis[2][2:] == [62.6, 66.5]
    values = [[cell.value for cell in row] for row in book["中間指標の値"].iter_rows()]
    assert values[0] == ["KPI番号", "中間指標名", "単位", EARLIER_LABEL, "令和6年度上半期"]
    assert len(values) == 1 + 30
    assert ["K2", FOLLOWERS, "人", 90000, 98295] in values
    # K1's first indicator was not changed: 109 in both periods.
    assert values[1] == ["K1", "県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数)", "件", 109, 109]
    rates = [[cell.value for cell in row] for row in book["達成率"].iter_rows()]
    assert ["K2", PLATFORM, 20, 30] in rates
    assert book["達成率"]["C2"].number_format == "0.0"
    # The long and the wide shapes hold the same numbers.
    for row in published.history:
        wide = next(r for r in values[1:] if r[0] == row["kpi_id"] and r[1] == row["indicator"])
        column = 3 if row["period"] == "fy2023-h2" else 4
        assert (str(wide[column]) if wide[column] is not None else "") == row["value"].removesuffix(".0")


def test_trend_chart_draws_the_history_series(published: Published) -> None:
    page = (published.site / "kpi-K2.html").read_text(encoding="utf-8")
    title = re.search(r'<title id="trend-title">(.*?)</title>', page)
    assert title is not None
    assert (
        title.group(1)
        == f"あらゆる産業分野のDXの推進状況の達成率の推移: {EARLIER_LABEL} 62.6%、令和6年度上半期 66.5%"
    )
    series = {(r["period_label"], r["kpi_rate"]) for r in published.history if r["kpi_id"] == "K2"}
    assert series == {(EARLIER_LABEL, "62.6"), ("令和6年度上半期", "66.5")}
    for label, rate in series:
        assert f"{label} {rate}%" in title.group(1)


def test_kpi_series_is_what_the_chart_reads() -> None:
    earlier_data, _ = validate_period(SAMPLE)
    assert earlier_data is not None
    result = compute(earlier_data)
    rows = history_rows([result])
    series = kpi_series(rows)
    assert list(series) == [kpi.kpi.id for kpi in result.kpis]
    assert [percent(point.rate) for point in series["K1"]] == ["33.0%"]
    assert series["K1"][0].label == "令和6年度上半期"


def test_history_xlsx_bytes_are_deterministic() -> None:
    data, _ = validate_period(SAMPLE)
    assert data is not None
    rows = history_rows([compute(data)])
    first, second = history_xlsx(rows), history_xlsx(rows)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2024-11-30T00:00:00Z" in core and core.count("2024-11-30T00:00:00Z") == 2


def test_an_earlier_period_with_errors_is_left_out(tmp_path: Path) -> None:
    # The previous period must be valid (it gives 前期差); an older broken one is only left out.
    make_earlier(tmp_path / "inputs" / "fy2023-h1")
    make_earlier(tmp_path / "inputs" / "fy2023-h2")
    shutil.copytree(SAMPLE, tmp_path / "inputs" / "fy2024-h1")
    broken = tmp_path / "inputs" / "fy2023-h1" / "indicators.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace(",375,", ",多数,", 1), encoding="utf-8")
    result = runner.invoke(
        app, ["publish", str(tmp_path / "inputs" / "fy2024-h1"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "fy2023-h1の入力にエラーがあるため、推移のグラフに含めません。" in "".join(result.output.split())
    rows = _rows(tmp_path / "out" / "fy2024-h1" / "site" / "data" / "history.csv")
    assert [row["period"] for row in rows] == ["fy2023-h2"] * 30 + ["fy2024-h1"] * 30


def test_history_xlsx_never_holds_a_formula() -> None:
    data, _ = validate_period(SAMPLE)
    assert data is not None
    rows = history_rows([compute(data)])
    rows[0] = replace(rows[0], indicator='=HYPERLINK("http://example.com/","x")', kpi_name="@SUM(1)")
    book = load_workbook(io.BytesIO(history_xlsx(rows)))
    cell = book["中間指標の値"]["B2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://example.com/","x")', "s")
    assert book["KPI"]["B2"].value == "'@SUM(1)"
