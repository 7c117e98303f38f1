"""What aomori-dx writes never harms what the user has: inputs, their folders, their console.

Issue 10, points 8, 9 and 14, through the CLI on copies of the sample:
- no output option (``report -o``, ``build --out``/``--pdf``, ``publish --out``, ``requests --out``)
  writes inside a period folder being read or onto an input file, however the path is spelt
  (``..``, a symlinked folder, a symlink to an input);
- ``publish`` replaces only a ``site/`` folder it made, never a symlink or a user's folder, never
  touches the folders beside it (whatever their names) and never follows a symlink when removing;
- a write that fails half-way (disk full, permission denied) is a Japanese message, exit 1, with
  the previous output as it was and no leftover that gets in the next run's way;
- text from the inputs and from paths is printed as typed, never read as rich markup.
Every test compares the user's files, folders and symlinks byte for byte before and after.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.output import SITE_MARKER

runner = CliRunner()

ID = "fy2024-h1"
HOSTILE = ("[red]x[/red]", "[/]", "[bold", "\\[", "[link=https://example.com]L[/link]", ":warning:")
INSIDE = "読み込んでいる期のフォルダ"
NOT_OURS = "aomori-dxが作ったフォルダではないため、置き換えません"
KEPT = "以前のファイルはそのままです。"


def invoke(*args: str | Path) -> tuple[int, str]:
    # A wide terminal keeps long temporary paths on one line; flat() covers what still wraps.
    result = runner.invoke(app, [str(arg) for arg in args], env={"COLUMNS": "300"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def flat(text: str) -> str:
    return "".join(text.split())


def shows(output: str, fragment: str) -> bool:
    """Whether the output holds ``fragment``, however rich wrapped the line."""
    return flat(fragment) in flat(output)


Entry = tuple[str, bytes | str]


def snapshot(root: Path) -> dict[str, Entry]:
    """Every file (bytes), symlink (its target) and folder under ``root``, without following links."""
    entries: dict[str, Entry] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                entries[key] = ("link", os.readlink(path))
            elif path.is_dir():
                entries[key] = ("dir", "")
            else:
                entries[key] = ("file", path.read_bytes())
    return entries


def user_folder(path: Path) -> Path:
    """A folder of the user's own, with a file and a sub-folder."""
    (path / "sub").mkdir(parents=True)
    (path / "index.html").write_text("<p>my own page</p>", encoding="utf-8")
    (path / "sub" / "notes.txt").write_bytes(b"keep me\r\n")
    return path


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative defaults (out/, inputs/) must never reach the repository.
    monkeypatch.chdir(tmp_path)


# --- point 8: never inside the period being read, never onto an input --------------------------


def _inside(period: Path, tmp: Path) -> Path:
    return period / "report.json"


def _dotdot(period: Path, tmp: Path) -> Path:
    (tmp / "elsewhere").mkdir()
    return tmp / "elsewhere" / ".." / ID / "new" / "report.json"


def _symlinked_folder(period: Path, tmp: Path) -> Path:
    (tmp / "shortcut").symlink_to(period, target_is_directory=True)
    return tmp / "shortcut" / "report.json"


def _input_file(period: Path, tmp: Path) -> Path:
    return period / "indicators.csv"


def _symlink_to_input(period: Path, tmp: Path) -> Path:
    (tmp / "report.json").symlink_to(period / "indicators.csv")
    return tmp / "report.json"


def _the_folder_itself(period: Path, tmp: Path) -> Path:
    return period


SPELLINGS: dict[str, Callable[[Path, Path], Path]] = {
    "inside": _inside,
    "dotdot": _dotdot,
    "symlinked-folder": _symlinked_folder,
    "input-file": _input_file,
    "symlink-to-input": _symlink_to_input,
    "the-folder-itself": _the_folder_itself,
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_report_output_never_lands_in_the_period(period_copy: Path, tmp_path: Path, spelling: str) -> None:
    target = SPELLINGS[spelling](period_copy, tmp_path)
    before = snapshot(period_copy)
    code, output = invoke("report", period_copy, "--format", "json", "-o", target)
    assert code == 1, output
    assert shows(output, f"{INSIDE}{period_copy}の中には書き出せません")
    assert snapshot(period_copy) == before


def test_report_output_hard_linked_to_an_input_leaves_the_input(period_copy: Path, tmp_path: Path) -> None:
    # A hard link cannot be told from a file; the output replaces the name, it never writes into
    # the existing file, so the input keeps its bytes.
    os.link(period_copy / "indicators.csv", tmp_path / "report.csv")
    before = snapshot(period_copy)
    code, output = invoke("report", period_copy, "--format", "csv", "-o", tmp_path / "report.csv")
    assert code == 0, output
    assert snapshot(period_copy) == before
    assert (tmp_path / "report.csv").read_bytes() != before["indicators.csv"][1]


@pytest.fixture
def earlier(period_copy: Path) -> Path:
    """A second period beside the copy, earlier by name: the automatic previous period."""
    folder = period_copy.parent / "fy2023-h2"
    shutil.copytree(period_copy, folder)
    return folder


@pytest.mark.parametrize("explicit", [True, False], ids=["--previous", "automatic"])
def test_report_output_never_lands_in_the_previous_period(
    period_copy: Path, earlier: Path, explicit: bool
) -> None:
    before = snapshot(earlier)
    previous = ["--previous", str(earlier)] if explicit else []
    code, output = invoke("report", period_copy, *previous, "--format", "json", "-o", earlier / "x.json")
    assert code == 1, output
    assert shows(output, f"{INSIDE}{earlier}の中には書き出せません")
    assert snapshot(earlier) == before


def test_build_never_writes_into_the_previous_period(period_copy: Path, earlier: Path) -> None:
    before = snapshot(earlier)
    code, output = invoke("build", period_copy, "--previous", earlier, "--out", earlier / "資料")
    assert code == 1, output
    assert shows(output, f"{earlier / '資料' / ID / 'deck.pptx'}:{INSIDE}{earlier}の中には書き出せません")
    assert snapshot(earlier) == before


@pytest.mark.parametrize("where", ["parent", "period", "symlinked-out"])
def test_build_never_writes_into_the_period(period_copy: Path, tmp_path: Path, where: str) -> None:
    # --out inputs (the period's parent) is the natural slip: out/<期>/ is then the period itself.
    out = {"parent": period_copy.parent, "period": period_copy, "symlinked-out": tmp_path / "out"}[where]
    if where == "symlinked-out":
        out.mkdir()
        (out / ID).symlink_to(period_copy, target_is_directory=True)
    before = snapshot(period_copy)
    code, output = invoke("build", period_copy, "--out", out)
    assert code == 1, output
    assert INSIDE in flat(output)
    assert snapshot(period_copy) == before


def test_build_never_overwrites_its_template(period_copy: Path, tmp_path: Path, repo_root: Path) -> None:
    template = tmp_path / "out" / ID / "deck.pptx"
    template.parent.mkdir(parents=True)
    shutil.copy(repo_root / "templates" / "default.pptx", template)
    before = snapshot(tmp_path / "out")
    code, output = invoke("build", period_copy, "--out", tmp_path / "out", "--template", template)
    assert code == 1, output
    assert shows(output, f"読み込んでいる入力ファイル{template}と同じファイルには書き出せません")
    assert snapshot(tmp_path / "out") == before


def test_build_pdf_target_is_checked_before_anything_is_built(period_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ID).mkdir(parents=True)
    (out / ID / "deck.pdf").symlink_to(period_copy / "NOTES.md")
    before = snapshot(period_copy), snapshot(out)
    code, output = invoke("build", period_copy, "--out", out, "--pdf", "--pptx-only")
    assert code == 1, output
    assert INSIDE in flat(output)
    assert (snapshot(period_copy), snapshot(out)) == before


@pytest.mark.parametrize("where", ["parent", "symlinked-out"])
def test_publish_never_writes_into_the_period(period_copy: Path, tmp_path: Path, where: str) -> None:
    out = period_copy.parent if where == "parent" else tmp_path / "out"
    if where == "symlinked-out":
        out.mkdir()
        (out / ID).symlink_to(period_copy, target_is_directory=True)
    before = snapshot(period_copy)
    code, output = invoke("publish", period_copy, "--out", out)
    assert code == 1, output
    assert shows(output, f"{INSIDE}{period_copy}の中には書き出せません")
    assert snapshot(period_copy) == before


def test_publish_never_writes_into_an_earlier_period_of_the_trend(period_copy: Path, earlier: Path) -> None:
    before = snapshot(earlier)
    code, output = invoke("publish", period_copy, "--out", earlier)
    assert code == 1, output
    assert shows(output, f"{INSIDE}{earlier}の中には書き出せません")
    assert snapshot(earlier) == before


def test_publish_never_replaces_a_folder_holding_the_period(tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / "pub"
    period = out / ID / "site" / ID
    shutil.copytree(sample_dir, period)
    (out / ID / "site" / SITE_MARKER).write_text("as if publish had made it", encoding="utf-8")
    before = snapshot(out)
    code, output = invoke("publish", period, "--out", out)
    assert code == 1, output
    assert shows(output, f"読み込んでいる{period}を含むフォルダなので、置き換えられません")
    assert snapshot(out) == before


@pytest.mark.parametrize("sub", ["", "照会"])
def test_requests_never_write_into_the_period(period_copy: Path, sub: str) -> None:
    before = snapshot(period_copy)
    code, output = invoke("requests", period_copy, "--out", period_copy / sub)
    assert code == 1, output
    assert shows(output, f"{INSIDE}{period_copy}の中には書き出せません")
    assert snapshot(period_copy) == before


# --- point 9: publish replaces only what it made -----------------------------------------------


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


def publish(period: Path, out: Path) -> tuple[int, str]:
    return invoke("publish", period, "--out", out)


@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-folder", "dangling"])
def test_publish_refuses_a_symlinked_site(
    period_copy: Path, tmp_path: Path, out: Path, dangling: bool
) -> None:
    mine = tmp_path / "mine"
    if not dangling:
        user_folder(mine)
    site = out / ID / "site"
    site.parent.mkdir(parents=True)
    site.symlink_to(mine, target_is_directory=True)
    before = snapshot(tmp_path)
    code, output = publish(period_copy, out)
    assert code == 1, output
    assert shows(output, f"{site}:シンボリックリンクなので置き換えません")
    assert shows(output, "リンクを消すか、--outで別の出力先を指定してください")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["user-folder", "file", "marker-is-a-symlink", "marker-is-a-folder"])
def test_publish_refuses_a_site_it_did_not_make(
    period_copy: Path, tmp_path: Path, out: Path, kind: str
) -> None:
    site = out / ID / "site"
    if kind == "file":
        site.parent.mkdir(parents=True)
        site.write_text("not a folder", encoding="utf-8")
    else:
        user_folder(site)
    if kind == "marker-is-a-symlink":
        (site / SITE_MARKER).symlink_to(site / "index.html")
    if kind == "marker-is-a-folder":
        (site / SITE_MARKER).mkdir()
    before = snapshot(tmp_path)
    code, output = publish(period_copy, out)
    assert code == 1, output
    assert shows(output, f"{site}:{NOT_OURS}")
    assert snapshot(tmp_path) == before


# Names our staging or backup folder once had or could have, and a few a user might choose.
NEIGHBOURS = (".site.old", ".site.tmp", ".site.abc123.tmp", ".site.abc123.old", "site.old", "site~", "Site")


def test_publish_leaves_the_folders_beside_site_alone(period_copy: Path, out: Path) -> None:
    for name in NEIGHBOURS:
        user_folder(out / ID / name)
    (out / ID / ".site.old.txt").write_bytes(b"a file, not a folder")
    before = snapshot(out)
    for _ in range(2):  # the first publish creates site/, the second replaces it
        code, output = publish(period_copy, out)
        assert code == 0, output
        after = snapshot(out)
        assert {key: after[key] for key in before} == before
        assert sorted(os.listdir(out / ID)) == sorted([*NEIGHBOURS, ".site.old.txt", "site"])


def test_publish_never_follows_a_symlink_inside_its_site(
    period_copy: Path, tmp_path: Path, out: Path
) -> None:
    assert publish(period_copy, out)[0] == 0
    mine = user_folder(tmp_path / "mine")
    site = out / ID / "site"
    (site / "linked-folder").symlink_to(mine, target_is_directory=True)
    (site / "linked-file").symlink_to(mine / "index.html")
    before = snapshot(mine)
    code, output = publish(period_copy, out)
    assert code == 0, output
    assert snapshot(mine) == before
    assert not os.path.lexists(site / "linked-folder") and (site / "index.html").is_file()


def _failing_after(calls: int, error: OSError) -> Callable[..., Any]:
    """A stand-in for Path.write_bytes that fails once ``calls`` files have been written."""
    original = Path.write_bytes
    count = 0

    def write_bytes(self: Path, data: Any) -> int:
        nonlocal count
        count += 1
        if count > calls:
            raise error
        return original(self, data)

    return write_bytes


DISK_FULL = OSError(errno.ENOSPC, "No space left on device")


def test_a_publish_failing_half_way_keeps_the_site_and_leaves_nothing(
    period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert publish(period_copy, out)[0] == 0
    before = snapshot(out)
    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_bytes", _failing_after(3, DISK_FULL))
        code, output = publish(period_copy, out)
    assert code == 1, output
    assert shows(output, f"{out / ID / 'site'}:書き出せませんでした（ディスクの空きが足りません）。{KEPT}")
    assert snapshot(out) == before
    code, output = publish(period_copy, out)
    assert code == 0, output
    assert sorted(os.listdir(out / ID)) == ["site"]


def test_a_first_publish_failing_leaves_no_folder(
    period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Path, "write_bytes", _failing_after(0, PermissionError(errno.EACCES, "denied")))
    code, output = publish(period_copy, out)
    assert code == 1, output
    assert shows(output, "書き込む権限がないか、ほかのアプリ")
    assert not out.exists()


def test_publish_below_a_file(period_copy: Path, out: Path) -> None:
    out.mkdir()
    (out / ID).write_bytes(b"a file where the period's folder goes")
    code, output = publish(period_copy, out)
    assert code == 1, output
    assert shows(
        output,
        f"{out / ID / 'site'}:書き出し先のフォルダを作れません（パスの途中に同じ名前のファイルがあります）",
    )
    assert sorted(os.listdir(out)) == [ID] and (out / ID).read_bytes().startswith(b"a file")


def test_a_publish_failing_at_the_swap_puts_the_old_site_back(
    period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert publish(period_copy, out)[0] == 0
    before = snapshot(out)
    original = os.rename

    def rename(source: Any, target: Any) -> None:
        if str(source).endswith(".tmp"):  # the new site moving in
            raise OSError(errno.EBUSY, "Device or resource busy")
        original(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", rename)
        code, output = publish(period_copy, out)
    assert code == 1, output
    assert KEPT in flat(output)
    assert snapshot(out) == before
    assert publish(period_copy, out)[0] == 0


# --- writing files: OS errors are messages, the previous output stays --------------------------


def test_report_output_onto_a_folder(period_copy: Path, tmp_path: Path) -> None:
    target = user_folder(tmp_path / "[/]出力[bold" / "report.json")
    before = snapshot(tmp_path / "[/]出力[bold")
    code, output = invoke("report", period_copy, "--format", "json", "-o", target)
    assert code == 1, output
    assert shows(output, f"{target}:同じ名前のフォルダがあるため書き出せません")
    assert snapshot(tmp_path / "[/]出力[bold") == before


def test_report_output_onto_a_symlink_keeps_the_link_and_its_target(
    period_copy: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.json"
    mine.write_bytes(b"{}")
    (tmp_path / "report.json").symlink_to(mine)
    code, output = invoke("report", period_copy, "--format", "json", "-o", tmp_path / "report.json")
    assert code == 1, output
    assert shows(output, "シンボリックリンクなので書き出しません")
    assert os.readlink(tmp_path / "report.json") == str(mine) and mine.read_bytes() == b"{}"


def test_report_output_below_a_file(period_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "memo.txt").write_bytes(b"memo")
    code, output = invoke("report", period_copy, "--format", "json", "-o", tmp_path / "memo.txt" / "r.json")
    assert code == 1, output
    assert shows(output, "パスの途中に同じ名前のファイルがあります")
    assert (tmp_path / "memo.txt").read_bytes() == b"memo"


def test_report_output_permission_denied_keeps_the_previous_file(
    period_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"previous")
    (tmp_path / ".report.json.mine.tmp").write_bytes(b"a file of the user's, named like ours")

    def replace(source: Any, destination: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    code, output = invoke("report", period_copy, "--format", "json", "-o", target)
    assert code == 1, output
    assert shows(output, f"{target}:書き出せませんでした（書き込む権限がないか、ほかのアプリ")
    assert KEPT in flat(output)
    assert sorted(os.listdir(tmp_path)) == [".report.json.mine.tmp", ID, "report.json"]
    assert target.read_bytes() == b"previous"


def _fsync_failing_on(call: int) -> Callable[[int], None]:
    original = os.fsync
    count = 0

    def fsync(descriptor: int) -> None:
        nonlocal count
        count += 1
        if count == call:
            raise DISK_FULL
        original(descriptor)

    return fsync


def test_build_with_a_full_disk_keeps_both_previous_files(
    period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (out / ID).mkdir(parents=True)
    for name in ("deck.pptx", "report.docx"):
        (out / ID / name).write_bytes(b"previous " + name.encode())
    before = snapshot(out)
    # The deck is staged, then the report fails: neither replaces its previous file.
    monkeypatch.setattr(os, "fsync", _fsync_failing_on(2))
    code, output = invoke("build", period_copy, "--out", out)
    assert code == 1, output
    assert shows(
        output, f"{out / ID / 'report.docx'}:書き出せませんでした（ディスクの空きが足りません）。{KEPT}"
    )
    assert snapshot(out) == before


def test_build_failing_at_the_second_rename_says_which_file_is_new(
    period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = os.replace

    def replace(source: Any, destination: Any) -> None:
        if str(destination).endswith("report.docx"):
            raise PermissionError(errno.EACCES, "Permission denied")
        original(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    code, output = invoke("build", period_copy, "--out", out)
    assert code == 1, output
    deck, report = out / ID / "deck.pptx", out / ID / "report.docx"
    assert shows(output, f"{report}:書き出せませんでした（書き込む権限がないか、ほかのアプリ")
    assert shows(output, f"{deck}は新しくなりました。")
    assert sorted(os.listdir(out / ID)) == ["deck.pptx"]


def test_build_failing_into_a_new_folder_leaves_no_folder(
    period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "fsync", _fsync_failing_on(1))
    code, output = invoke("build", period_copy, "--out", out, "--pptx-only")
    assert code == 1, output
    assert shows(output, "ディスクの空きが足りません")
    assert not out.exists()


def test_requests_with_a_full_disk(period_copy: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", _fsync_failing_on(1))
    code, output = invoke("requests", period_copy, "--out", out)
    assert code == 1, output
    assert shows(output, "書き出せませんでした（ディスクの空きが足りません）")
    assert not out.exists()


# --- point 14: text is printed as typed, never read as markup ----------------------------------


def edit_csv(path: Path, row: int, values: dict[str, str]) -> None:
    """Set cells of data row ``row`` (1 = the first row under the header) of a UTF-8 CSV."""
    import csv

    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    for column, value in values.items():
        rows[row][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)


@pytest.fixture
def hostile(tmp_path: Path, sample_dir: Path) -> Path:
    """A copy of the sample in a folder named with markup, with markup in names, sources and notes."""
    period = tmp_path / "[red]作業[/red] [/]" / ID
    shutil.copytree(sample_dir, period)
    name, source, note, field = HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3]
    edit_csv(period / "indicators.csv", 1, {"name": f"名前{name}", "source": f"出所{source}", "note": note})
    edit_csv(period / "indicators.csv", 2, {"name": f"指標{HOSTILE[4]}", "source": f"出所{HOSTILE[5]}"})
    edit_csv(period / "kpis.csv", 1, {"name": f"KPI{name}", "field": f"分野{field}"})
    edit_csv(period / "indicators.csv", 3, {"unit": "[/]件"})
    # Project 8 is featured: its name and division reach the roadmap's tables.
    edit_csv(period / "projects.csv", 8, {"name": f"事業{name}", "division": f"課{source}"})
    edit_csv(period / "projects.csv", 1, {"category": f"項目{note}"})
    return period


def test_report_prints_names_sources_and_notes_as_typed(hostile: Path) -> None:
    code, output = invoke("report", hostile)
    assert code == 0, output
    for text in ("名前[red]x[/red]", "出所[/]", "[bold", "KPI[red]x[/red]", "分野\\[", "出所:warning:"):
        assert text in output, text
    assert "指標[link=https://example.com]L[/link]" in output
    assert "[/]件" in output and "項目[bold(1)" in output
    assert f"事業{HOSTILE[0]}（課[/]）" in output


def test_validate_prints_values_and_paths_as_typed(hostile: Path) -> None:
    edit_csv(hostile / "indicators.csv", 1, {"target": "[/]多数[red]"})
    code, output = invoke("validate", hostile)
    assert code == 1, output
    assert "値「[/]多数[red]」" in output
    assert shows(output, f"({hostile})")


def test_new_period_and_status_print_paths_divisions_and_names_as_typed(hostile: Path) -> None:
    code, output = invoke("new-period", "fy2024-h2", "--from", hostile)
    assert code == 0, output
    assert shows(output, f"{hostile.parent / 'fy2024-h2'}を{hostile}から作りました")
    code, output = invoke("status", hostile.parent / "fy2024-h2")
    assert code == 0, output
    assert "出所[/]" in output and "名前[red]x[/red]" in output and "出所:warning:" in output


def test_error_messages_print_user_text_as_typed(hostile: Path) -> None:
    code, output = invoke("report", hostile, "--kpi", "[/]K9[bold")
    assert code == 1, output
    assert "KPI番号「[/]K9[bold」はありません" in output


def test_build_with_markup_in_field_names(hostile: Path, tmp_path: Path) -> None:
    # The progress line shows the field being drawn: it must not read the name as markup.
    code, output = invoke("build", hostile, "--out", tmp_path / "[/]out", "--pptx-only")
    assert code == 0, output
    assert shows(output, f"{tmp_path / '[/]out' / ID / 'deck.pptx'}を作りました")


def test_collect_prints_files_changes_and_remarks_as_typed(hostile: Path, tmp_path: Path) -> None:
    returned = tmp_path / "[/]返送[red]"
    code, output = invoke("requests", hostile, "--out", returned)
    assert code == 0, output
    book_path = next(
        path
        for path in returned.iterdir()
        if load_workbook(path)["中間指標"]["B2"].value == f"名前{HOSTILE[0]}"
    )
    book = load_workbook(book_path)
    sheet = book["中間指標"]
    sheet["I2"], sheet["J2"], sheet["L2"] = 250, "R6年度", "備考[/]です[red]"
    book.save(book_path)
    code, output = invoke("collect", hostile, book_path, tmp_path / "[bold]なし[/].xlsx")
    assert code == 1, output  # the missing file is an error; the good workbook is still merged
    assert shows(output, f"{tmp_path / '[bold]なし[/].xlsx'}")
    assert shows(output, f"備考（名前{HOSTILE[0]}）:備考[/]です[red]")
    assert shows(output, str(book_path))


def test_renderers_are_safe_on_a_console_that_reads_markup(hostile: Path) -> None:
    # The renderables themselves carry the text as Text, so any console prints it as typed.
    from aomori_dx.compute import compute
    from aomori_dx.render.terminal import render_result
    from aomori_dx.render.validation import render_report
    from aomori_dx.validate import validate_period

    data, report = validate_period(hostile)
    assert data is not None
    buffer = io.StringIO()
    console = Console(width=300, file=buffer, markup=True, emoji=True)
    console.print(render_result(compute(data, None)))
    console.print(render_report(report, str(hostile)))
    printed = buffer.getvalue()
    for text in HOSTILE:
        assert text in printed, text
    assert f"事業{HOSTILE[0]}（課[/]）" in printed and str(hostile) in printed
