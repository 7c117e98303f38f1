"""``new-period``: roll a period forward.  Every indicator value is kept but marked as not yet
confirmed (the ``confirmed`` column), the published rates of the old document are cleared, and
the meeting's date, as-of date and label are left blank for editing (or filled when given)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from aomori_dx.collect.requests import RESERVED_NAMES
from aomori_dx.collect.tables import column_index, read_csv, write_csv
from aomori_dx.errors import AomoriDxError
from aomori_dx.output import temp_prefix
from aomori_dx.parse import visible
from aomori_dx.periods import sorts_after

BLANK_ON_ROLL = ("date", "start", "end", "as_of", "period_label")


def period_name_problem(name: str, source: Path) -> str | None:
    """Why ``name`` cannot be the folder of a period rolled from ``source``, in words (or None):
    a path, a name Windows refuses or silently changes, or one that sorts before ``source``."""
    if "/" in name or "\\" in name or name.startswith("."):
        return "期の名前にはフォルダの区切りを入れないでください（例: fy2025-h1）。"
    if _unfit_folder_name(name):
        return (
            f"「{visible(name)}」は Windows のフォルダ名に使えないか、別の名前に変わってしまいます"
            '（記号 < > : " | ? *、タブなどの制御文字、先頭・末尾の空白、末尾の「.」、CON・NUL などの名前）。'
            "半角の英数字と - _ で付けてください（例: fy2025-h1）。"
        )
    if not sorts_after(source.parent / name, source):
        # Periods are ordered by name: this one would never be the latest, nor have the source as
        # its previous period (FY2025-h1 sorts before fy2024-h1).
        return (
            f"「{visible(name)}」は元の期「{source.name}」より前に並ぶ名前です。期は名前の順に並べて前後を決めるので、"
            "元の期と同じ書き方で、後に並ぶ名前にしてください（例: fy2024-h1 の次は fy2024-h2）。"
        )
    return None


def _unfit_folder_name(name: str) -> bool:
    """Whether Windows refuses ``name`` as a folder or silently makes it another (trailing dots and
    spaces are dropped, ``a:b`` writes a hidden stream of ``a``, ``CON`` is the console)."""
    return (
        not name.strip()
        or name != name.strip()
        or name.endswith(".")
        or any(char in '<>:"|?*' or not char.isprintable() for char in name)
        or name.split(".")[0].upper() in RESERVED_NAMES
    )


def new_period(
    source: Path, target: Path, label: str | None = None, as_of: dt.date | None = None
) -> list[str]:
    """Create ``target`` from ``source``; return what was changed, in words.  Never overwrites.

    ``label`` and ``as_of`` fill the period's label and as-of date, which the request workbooks
    need; without them the notes say what to fill first."""
    problem = period_name_problem(target.name, source)
    if problem:
        raise AomoriDxError(problem)
    if target.exists():
        raise AomoriDxError(
            f"{target} は既にあります。上書きしないので、別の名前にするか、今のフォルダを移動してください。"
        )
    if not source.is_dir():
        raise AomoriDxError(f"元の期のフォルダがありません: {source}")
    spreadsheets = [name for name in ("meeting", "indicators", "kpis") if (source / f"{name}.xlsx").is_file()]
    if spreadsheets:
        # Rolling forward rewrites these tables; we only rewrite CSV, and copying an .xlsx
        # unchanged would carry the old dates and unconfirmed values over without a word.
        listed = "、".join(f"{name}.xlsx" for name in spreadsheets)
        raise AomoriDxError(
            f"{listed} は Excel の表なので、new-period では書き換えられません。"
            "Excel で「CSV UTF-8 (コンマ区切り)」として保存し直してから実行してください。"
        )
    link = _bad_link(source)
    if link is not None:
        raise AomoriDxError(link)
    notes: list[str] = []
    staging = Path(
        tempfile.mkdtemp(
            prefix=temp_prefix(target.name), dir=target.parent if target.parent.exists() else None
        )
    )
    try:
        work = staging / target.name
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("NOTES.md", ".*"))
        meeting = work / "meeting.csv"
        if meeting.is_file():
            rows = read_csv(source / meeting.name)
            given = {"period_label": label or "", "as_of": as_of.isoformat() if as_of else ""}
            for row in rows[1:]:
                if len(row) >= 2 and row[0] in BLANK_ON_ROLL:
                    row[1] = given.get(row[0], "")
                elif len(row) >= 2 and row[0] == "number" and row[1].strip().isdigit():
                    row[1] = str(int(row[1]) + 1)
            present = {row[0] for row in rows[1:] if row}
            rows.extend([key, value] for key, value in given.items() if value and key not in present)
            meeting.write_bytes(write_csv(meeting, rows))
            notes.append(_meeting_note(target / "meeting.csv", given))
        indicators = work / "indicators.csv"
        if indicators.is_file():
            rows = read_csv(source / indicators.name)
            header = rows[0]
            for name, label in (("division", "担当課"), ("confirmed", "confirmed")):
                if column_index(header, "indicators", name) is None:
                    header.append(label if name == "division" else "confirmed")
                    for row in rows[1:]:
                        row.append("")
            confirmed = column_index(header, "indicators", "confirmed")
            published = [
                column_index(header, "indicators", n)
                for n in ("previous_rate_published", "latest_rate_published")
            ]
            for row in rows[1:]:
                row.extend([""] * (len(header) - len(row)))
                if confirmed is not None:
                    row[confirmed] = ""
                for index in published:
                    if index is not None:
                        row[index] = ""
            indicators.write_bytes(write_csv(indicators, rows))
            notes.append(
                f"indicators.csv: {len(rows) - 1} 件の値を引き継ぎ、すべて「未確認」にしました。"
                "公表済みの達成率（照合用）は空欄にしました。"
            )
        kpis = work / "kpis.csv"
        if kpis.is_file():
            rows = read_csv(source / kpis.name)
            index = column_index(rows[0], "kpis", "rate_published")
            if index is not None:
                for row in rows[1:]:
                    if index < len(row):
                        row[index] = ""
                kpis.write_bytes(write_csv(kpis, rows))
        target.parent.mkdir(parents=True, exist_ok=True)
        work.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return notes


def _bad_link(source: Path) -> str | None:
    """What is wrong with the first link in ``source`` that the copy cannot take, if any.

    The copy follows links: one leading outside would turn the outside file into an ordinary file
    of the new period, which then passes validation and goes into the documents."""
    root = source.resolve()
    for folder, dirs, files in os.walk(source):
        for name in sorted([*dirs, *files]):
            entry = Path(folder) / name
            if not entry.exists():
                return f"{entry} はリンクですが、リンク先がありません。リンクを消してから実行してください。"
            if not entry.resolve().is_relative_to(root):
                return (
                    f"{entry} は期のフォルダの外を指すリンク（シンボリックリンク・ジャンクション）なので、"
                    "新しい期を作りませんでした。リンクを消し、実際のファイルを期のフォルダに置いてから実行してください。"
                )
    return None


def _meeting_note(meeting: Path, given: dict[str, str]) -> str:
    filled = "、".join(f"{key} を「{value}」" for key, value in given.items() if value)
    todo = [
        f"{key}（{what}）"
        for key, what in (
            ("period_label", "期の名前。例: 令和6年度下半期"),
            ("as_of", "基準日。例: 2025-05-31"),
        )
        if not given[key]
    ]
    text = (
        "meeting.csv: 回数を1つ増やし、開催日・時刻"
        + ("" if filled else "・基準日・期の名前")
        + "を空欄にしました。"
    )
    if filled:
        text += f"{filled}にしました。"
    if todo:
        text += (
            f"まず {meeting} の {'、'.join(todo)} を入力してください"
            "（照会ファイルの題名と、実績を入力できる年度に使います。入力するまで requests は作れません）。"
        )
    return text + "開催日（date）も入力してください。"
