"""``aomori-dx validate`` through typer's CliRunner: exit codes, output, and JSON equal to the library's."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from aomori_dx import __version__
from aomori_dx.cli import app
from aomori_dx.validate import validate_period

runner = CliRunner()

SAMPLE = "inputs/fy2024-h1"


@pytest.fixture
def at_repo_root(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so ``inputs/fy2024-h1`` is the sample."""
    monkeypatch.chdir(repo_root)
    return repo_root


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_validate_sample_exits_0_with_summary(at_repo_root: Path) -> None:
    code, output = invoke("validate", SAMPLE)
    assert code == 0
    assert "エラー 0件・警告 6件" in output
    assert "確認してください" in output
    assert "indicators.csv" in output
    assert "rate-mismatch" in output


def test_validate_without_argument_uses_latest_period(at_repo_root: Path) -> None:
    code, output = invoke("validate")
    assert code == 0
    assert "エラー 0件" in output
    assert "inputs" in output


def test_validate_without_argument_and_no_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = invoke("validate")
    assert code == 1
    assert "inputs" in output


def test_validate_json_equals_library_report(at_repo_root: Path) -> None:
    result = runner.invoke(app, ["validate", SAMPLE, "--format", "json"])
    assert result.exit_code == 0
    _, report = validate_period(Path(SAMPLE))
    assert json.loads(result.stdout) == report.to_dict()
    assert json.loads(result.stdout)["ok"] is True
    assert len(json.loads(result.stdout)["warnings"]) == 6


def test_validate_json_on_broken_copy_equals_library_report(
    period_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = period_copy / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",450,", ",多数,", 1), encoding="utf-8")
    monkeypatch.chdir(period_copy.parent)
    result = runner.invoke(app, ["validate", period_copy.name, "--format", "json"])
    assert result.exit_code == 1
    _, report = validate_period(Path(period_copy.name))
    payload = json.loads(result.stdout)
    assert payload == report.to_dict()
    assert payload["ok"] is False
    assert [(e["code"], e["row"], e["column"]) for e in payload["errors"]] == [
        ("invalid-number", 5, "target")
    ]


def test_strict_fails_on_warnings(at_repo_root: Path) -> None:
    code, _ = invoke("validate", SAMPLE, "--strict")
    assert code == 1


def test_strict_passes_without_warnings(period_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the published rates there is nothing to cross-check, so no warnings at all.
    for name, dropped in (
        ("indicators.csv", {"previous_rate_published", "latest_rate_published"}),
        ("kpis.csv", {"rate_published"}),
    ):
        path = period_copy / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        keep = [index for index, header in enumerate(rows[0]) if header not in dropped]
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerows([[row[i] for i in keep] for row in rows])
        path.write_text(buffer.getvalue(), encoding="utf-8")
    monkeypatch.chdir(period_copy.parent)
    code, output = invoke("validate", period_copy.name, "--strict")
    assert code == 0, output
    assert "エラー 0件・警告 0件" in output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", SAMPLE, "--bogus"],
        ["validate", SAMPLE, "--format", "xml"],
        ["validate", SAMPLE, "extra-argument"],
        ["no-such-command"],
    ],
    ids=["unknown-option", "bad-format", "extra-argument", "unknown-command"],
)
def test_usage_errors_exit_2(at_repo_root: Path, args: list[str]) -> None:
    code, _ = invoke(*args)
    assert code == 2


def test_validate_broken_copy_exits_1(period_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (period_copy / "kpis.csv").unlink()
    monkeypatch.chdir(period_copy.parent)
    code, output = invoke("validate", period_copy.name)
    assert code == 1
    assert "kpis.csv" in output
    assert "missing-file" in output
    assert "エラー 1件" in output


def _commands() -> dict[str, Any]:
    # Typer (0.29) vendors its own click, so go by attributes rather than click's classes.
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_there_are_commands() -> None:
    assert "validate" in _commands()


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help(name: str) -> None:
    command = _commands()[name]
    assert (command.help or "").strip(), f"{name} has no help text"
    for parameter in command.params:
        if parameter.name != "help":
            assert (getattr(parameter, "help", "") or "").strip(), f"{name} {parameter.name} has no help"
    code, output = invoke(name, "--help")
    assert code == 0
    # The description is wrapped to the terminal between phrases: joined back, it is all there.
    joined = re.sub(r"\s+", "", output)
    assert re.sub(r"\s+", "", command.help.strip().splitlines()[0]) in joined


@pytest.mark.parametrize("columns", [60, 80])
def test_help_fits_the_terminal_and_breaks_between_phrases(columns: int) -> None:
    # click counts a kanji as one column, rich folds inside words: neither may show through.
    from rich.cells import cell_len

    for name in ["", *_commands()]:
        args = [name, "--help"] if name else ["--help"]
        result = CliRunner().invoke(app, args, terminal_width=columns)
        assert result.exit_code == 0
        lines = result.output.splitlines()
        too_wide = [line for line in lines if cell_len(line) > columns and not line.startswith("使い方")]
        assert not too_wide, too_wide
        text = "\n".join(lines)
        for word in ("テンプレート", "json", "ダッシュボード", "ファイル", "オープンデータ"):
            cuts = [re.escape(word[:i]) + r"\n *" + re.escape(word[i:]) for i in range(1, len(word))]
            assert not any(re.search(cut, text) for cut in cuts), f"{name or 'aomori-dx'}: {word} broken"


def test_top_level_help() -> None:
    code, output = invoke("--help")
    assert code == 0
    for name in _commands():
        assert name in output


def test_version() -> None:
    code, output = invoke("--version")
    assert code == 0
    assert output.strip() == f"aomori-dx {__version__}"
