"""The command as a Windows clerk meets it: a CP932 console, redirected output, Japanese from help to error.

The console tests run the real entry point (``python -m aomori_dx``) in a subprocess with
``PYTHONIOENCODING=cp932`` and stdout going to a pipe, as ``aomori-dx report > 結果.txt`` would on a
Japanese Windows PC.  The help and usage tests assert that none of typer's and click's English
boilerplate reaches the user.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from seed import period_result
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.errors import InputFileError, describe_os_error, reading
from aomori_dx.render.opendata import indicator_csv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "inputs/fy2024-h1"

# typer's and click's English words, none of which may reach a user.
ENGLISH = [
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "[required]",
    "[default",
    "Show this message",
    "Missing",
    "Invalid value",
    "No such",
    "is not one of",
    "Try '",
    "for help",
    "Error",
    "Got unexpected",
    "requires an argument",
    "Value error",
    "Did you mean",
    "Aborted",
    "<path>",
    "<str>",
    "list[",
    "OPTIONS",
    "COMMAND",
    "ARGS",
]


def run(*args: str, encoding: str = "cp932", cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = {
        key: value for key, value in os.environ.items() if key not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")
    }
    env |= {"PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "aomori_dx", *args], cwd=cwd, env=env, capture_output=True)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["report", SAMPLE], "達成率"),
        (["status", SAMPLE], "照会状況"),
        (["validate", SAMPLE], "エラー 0件"),
    ],
    ids=["report", "status", "validate"],
)
def test_text_output_on_a_cp932_console_redirected(args: list[str], expected: str) -> None:
    done = run(*args)
    assert done.returncode == 0, done.stderr.decode("cp932", "replace")
    assert done.stderr == b""
    text = done.stdout.decode("cp932")  # every byte is CP932: the console can show it all
    assert expected in text
    # The em dash CP932 lacks (no value on the dashboard) is shown as its nearest character, not
    # as "?" or a traceback.
    if args[0] == "report":
        assert "―" in text
    if args[0] == "status":  # in words: an ambiguous-width mark would shift the columns there
        assert "なし" in text


def test_csv_to_a_redirected_cp932_console_is_utf8_with_bom_unchanged() -> None:
    done = run("report", SAMPLE, "--format", "csv")
    assert done.returncode == 0, done.stderr.decode("cp932", "replace")
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    assert done.stdout == indicator_csv(period_result()).encode("utf-8")


def test_json_to_a_redirected_cp932_console_is_utf8() -> None:
    done = run("report", SAMPLE, "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8")) == period_result().to_dict()


def test_report_on_a_utf8_console_keeps_the_em_dash() -> None:
    done = run("report", SAMPLE, encoding="utf-8")
    assert done.returncode == 0
    assert "—" in done.stdout.decode("utf-8")


def test_piped_output_is_not_wrapped_at_80_columns(tmp_path: Path) -> None:
    folder = tmp_path / ("とても長い名前のフォルダ" * 4) / "fy2024-h1"
    shutil.copytree(ROOT / SAMPLE, folder)
    (folder / "kpis.csv").unlink()
    done = run("validate", str(folder), encoding="utf-8")
    assert done.returncode == 1
    lines = done.stdout.decode("utf-8").splitlines()
    assert any(str(folder) in line for line in lines), "the path was cut across lines"


def test_the_folder_of_periods_names_the_periods() -> None:
    done = run("validate", "inputs", encoding="utf-8")
    assert done.returncode == 1
    assert done.stdout.decode("utf-8").strip() == (
        "エラー: inputs は期のフォルダを入れるフォルダです。期のフォルダを1つ指定してください: "
        f"{Path(SAMPLE)}（例: python -m aomori_dx validate {Path(SAMPLE)}）。"
    )


def test_a_file_where_a_folder_is_expected() -> None:
    result = CliRunner().invoke(app, ["build", f"{SAMPLE}/kpis.csv"])
    assert result.exit_code == 1
    assert (
        f"エラー: {Path(SAMPLE) / 'kpis.csv'} はファイルです。"
        f"ファイルの入っている期のフォルダ（例: {Path(SAMPLE)}）を指定してください。"
    ) in result.output


def _commands() -> list[str]:
    return ["validate", "report", "build", "publish", "new-period", "requests", "collect", "status"]


@pytest.mark.parametrize(
    "command", [[], *[[name] for name in _commands()]], ids=lambda c: c[0] if c else "top"
)
def test_help_is_japanese(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    leaked = [word for word in ENGLISH if word in result.output]
    assert not leaked, result.output
    assert "使い方:" in result.output
    assert "オプション:" in result.output
    assert "--help" in result.output and "この説明を表示して終了します。" in result.output


def test_help_names_the_things_not_the_types() -> None:
    output = CliRunner().invoke(app, ["build", "--help"]).output
    assert "[期のフォルダ]" in output
    assert "--template ファイル" in output
    assert "--out フォルダ" in output
    assert "[既定: out]" in output
    collect = CliRunner().invoke(app, ["collect", "--help"]).output
    assert "期のフォルダ 照会ファイル..." in collect
    assert "[必須]" in collect
    report = CliRunner().invoke(app, ["report", "--help"]).output
    assert "--format 形式" in report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["collect"], "エラー: 期のフォルダを指定してください。"),
        (["new-period"], "エラー: 新しい期を指定してください。"),
        (
            ["validate", "--format", "xml"],
            "エラー: --format に「xml」は指定できません。次のどれかにしてください: table、json",
        ),
        (["validate", "--bogus"], "エラー: --bogus というオプションはありません。"),
        (["valdate"], "エラー: 「valdate」というコマンドはありません。「validate」のことですか？"),
        (["report", "--kpi"], "エラー: オプション --kpi のあとに値を書いてください。"),
        (["validate", "a", "b", "c"], "エラー: 余分な引数があります: b c"),
        (["build", "--pptx-only", "--docx-only"], "エラー: --pptx-only と --docx-only は同時に指定できません。"),
    ],
    ids=["missing-argument", "missing-new-id", "bad-choice", "no-such-option", "no-such-command",
         "option-needs-value", "extra-argument", "our-own-check"],
)  # fmt: skip
def test_usage_errors_are_japanese(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    leaked = [word for word in ENGLISH if word in result.output]
    assert not leaked, result.output
    assert message in result.output


def test_usage_error_shows_usage_and_help_hint_through_the_entry_point() -> None:
    done = run("validate", "--format", "xml")
    assert done.returncode == 2
    text = done.stderr.decode("cp932")
    assert "使い方: python -m aomori_dx validate [オプション] [期のフォルダ]" in text
    assert "詳しくは「python -m aomori_dx validate --help」で説明を表示してください。" in text
    assert not [word for word in ENGLISH if word in text], text


def test_no_arguments_shows_the_help_in_japanese() -> None:
    done = run()
    assert done.returncode == 2
    text = done.stderr.decode("cp932")
    assert "コマンド:" in text and "validate" in text
    assert not [word for word in ENGLISH if word in text], text


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.decode("cp932").strip() == "aomori-dx 0.1.0"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "読む権限がないか、ほかのアプリが使っています"),
        (
            OSError(errno.EIO, "Input/output error"),
            "ディスクかネットワークのドライブで読み書きのエラーが起きました",
        ),
        (
            OSError(errno.ENOTCONN, "Transport endpoint is not connected"),
            f"OS のエラー（番号 {errno.ENOTCONN}）",
        ),
    ],
    ids=["permission", "io", "unknown"],
)
def test_os_errors_inside_messages_are_japanese(tmp_path: Path, error: OSError, reason: str) -> None:
    path = tmp_path / "kpis.csv"
    with pytest.raises(InputFileError) as caught, reading(path):
        raise error
    assert caught.value.message.endswith(f"ファイルを読めません（{reason}）。")
    assert error.strerror not in caught.value.message


def test_writing_reasons_stay_those_of_writing() -> None:
    assert describe_os_error(PermissionError(errno.EACCES, "Permission denied")).startswith(
        "書き込む権限がないか"
    )
    assert describe_os_error(OSError(errno.ENOSPC, "No space left on device")) == "ディスクの空きが足りません"
