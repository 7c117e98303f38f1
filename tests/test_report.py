"""``aomori-dx report``: the terminal dashboard at 80 columns, JSON equal to the model, CSV export."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.compute import Result, compute
from aomori_dx.render.opendata import INDICATOR_COLUMNS, indicator_csv
from aomori_dx.render.terminal import render_result
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM"):
        monkeypatch.delenv(name, raising=False)


def _render(renderable: object, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def test_dashboard_fits_80_columns_and_shows_every_kpi(result: Result) -> None:
    output = _render(render_result(result))
    assert max(cell_len(line) for line in output.splitlines()) <= 80
    for kpi, rate in zip(
        result.kpis, ["33.0", "66.5", "22.9", "62.6", "43.5", "63.1", "54.3", "31.0"], strict=True
    ):
        assert kpi.kpi.name in output
        assert f"KPI {rate}%（達成率の単純平均）" in output
    assert output.count("前期差 -") == 8
    assert "【指標の構成要素】県内企業のデジタル化・DX支援件数" in output


def test_indicator_tables_have_the_meeting_columns_and_wrap_instead_of_cutting(result: Result) -> None:
    output = _render(render_result(result))
    for header in (
        "中間指標名",
        "目標値",
        "(A)",
        "前期の",
        "(B)",
        "C=",
        "直近の",
        "(D)",
        "E=",
        "データの出所",
    ):
        assert header in output
    # A long name is folded over several lines, not cut: the first column of the following lines
    # holds the rest of it, in order, then (at 80 columns) the data source in parentheses.
    name = "DX・デジタル化推進人財を確保している又は確保に取り組んでいる中小企業者の割合"
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(name[:6]))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())  # the row's last line
    pieces = [re.split(r"\s{2,}", line.strip())[0] for line in lines[start:end]]
    assert "".join(pieces) == name + "（デジタルトランスフォーメーション推進事業(総合的支援体制)）"
    # ...and between phrases, not inside a word (rich alone folded 「取り|組んでいる」).
    assert pieces[:3] == [
        "DX・デジタル化推進人財を",
        "確保している又は確保に",
        "取り組んでいる中小企業者の割合",
    ]
    assert "▲2,799,388枚" in output and "▲3.2%" in output
    assert "87,974,100枚" in output


def test_roadmap_summary(result: Result) -> None:
    output = _render(render_result(result))
    assert "産業・しごと分野" in output and "28" in output
    assert "20億8,250万1千円" in output
    assert "合計" in output and "76" in output


def test_one_kpi(result: Result) -> None:
    output = _render(render_result(result, "K7"))
    assert "KPI 54.3%（達成率の単純平均）" in output
    assert "KPI 33.0%" not in output


def test_changed_values_are_marked(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE, inputs / "fy2024-h1")
    shutil.copytree(SAMPLE, inputs / "fy2024-h2")
    path = inputs / "fy2024-h2" / "indicators.csv"
    path.write_text(
        path.read_text("utf-8").replace("450,54,R4年度,159,R5年度", "450,159,R5年度,200,R6年度"), "utf-8"
    )
    first, _ = validate_period(inputs / "fy2024-h1")
    second, _ = validate_period(inputs / "fy2024-h2")
    assert first is not None and second is not None
    output = _render(render_result(compute(second, first)))
    assert "200人＊" in output and "159人＊" in output
    assert "＊ 赤字は前期から変わった値です。" in output
    # K1: (29.07 + 40.63 + 20.0 + 44.44 + 40.0) / 5 = 34.83 → 34.8, and 34.8 − 33.0 = 1.8.
    assert "前期差 +1.8pt" in output


def test_cli_report_table() -> None:
    result = runner.invoke(app, ["report", str(SAMPLE)], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert "KPI 33.0%（達成率の単純平均）" in result.output


def test_cli_json_equals_the_library_model(result: Result) -> None:
    cli = runner.invoke(app, ["report", str(SAMPLE), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    payload = json.loads(cli.stdout)
    assert payload == json.loads(json.dumps(result.to_dict()))
    assert payload["period"] == "fy2024-h1"
    assert [kpi["rate"] for kpi in payload["kpis"]] == [33.0, 66.5, 22.9, 62.6, 43.5, 63.1, 54.3, 31.0]
    first = payload["kpis"][0]
    assert set(first) >= {"id", "field", "name", "rate", "previous_rate", "delta", "indicators"}
    assert first["previous_rate"] is None and first["delta"] is None
    indicator = first["indicators"][0]
    assert set(indicator) >= {
        "name",
        "unit",
        "target",
        "previous",
        "latest",
        "previous_rate",
        "latest_rate",
        "source",
        "changed",
    }
    assert (indicator["target"], indicator["previous"], indicator["latest"]) == (375, None, 109)
    assert (indicator["previous_rate"], indicator["latest_rate"]) == (None, 29.1)
    assert set(payload) >= {"period", "kpis", "fields", "roadmap"}
    assert [field["name"] for field in payload["fields"]] == [
        "産業・しごと分野",
        "暮らし・まち分野",
        "行政経営分野",
    ]


def test_cli_json_one_kpi() -> None:
    cli = runner.invoke(app, ["report", str(SAMPLE), "--format", "json", "--kpi", "K8"])
    assert [kpi["id"] for kpi in json.loads(cli.stdout)["kpis"]] == ["K8"]


def test_unknown_kpi_is_a_clear_error() -> None:
    cli = runner.invoke(app, ["report", str(SAMPLE), "--kpi", "K99"])
    assert cli.exit_code == 1
    assert "K99" in cli.output and "K1" in cli.output


def test_csv_is_machine_readable_and_round_trips(result: Result, tmp_path: Path) -> None:
    target = tmp_path / "indicators.csv"
    cli = runner.invoke(app, ["report", str(SAMPLE), "--format", "csv", "--output", str(target)])
    assert cli.exit_code == 0, cli.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw == indicator_csv(result).encode("utf-8")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == INDICATOR_COLUMNS
    assert len(rows) == 30
    copy = next(row for row in rows if row["indicator"].startswith("コピー用紙"))
    # Numbers as numbers: no ▲, no separators, no units; Western year beside the era year.
    assert (copy["target"], copy["previous"], copy["previous_rate"]) == ("87974100", "-2799388", "-3.2")
    assert (copy["previous_period"], copy["previous_period_western"]) == ("R3年度", "2021年度")
    by_name = {row["indicator"]: row for row in rows}
    for kpi in result.kpis:
        for item in kpi.indicators:
            row = by_name[item.indicator.name]
            assert Decimal(row["target"]) == item.indicator.target
            assert (Decimal(row["latest"]) if row["latest"] else None) == item.indicator.latest
    assert all("\n" not in value for row in rows for value in row.values())


def test_csv_neutralises_formulas() -> None:
    from aomori_dx.render.opendata import text_cell

    assert text_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert text_cell("@SUM") == "'@SUM"
    assert text_cell("県環境白書") == "県環境白書"


def test_report_does_not_import_the_document_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from aomori_dx.cli import app\n"
        f"r = CliRunner().invoke(app, ['report', {str(SAMPLE)!r}, '--format', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('pptx', 'docx') if m in sys.modules))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
