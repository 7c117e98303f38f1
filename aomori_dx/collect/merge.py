"""``collect``, writing: merge the accepted answers into the period's CSV tables — all or
nothing, and only after the merged period has been validated in a copy.

A new value becomes the latest one (the old latest moving to 前期の値 when the new is later),
a confirmed indicator gets ○ in ``confirmed``, and a changed roadmap row replaces the
division's entries for that activity with spans of consecutive years.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aomori_dx.collect.answers import Answer, GridKey, read_answer
from aomori_dx.collect.conflicts import conflicts
from aomori_dx.collect.layout import INDICATOR_SHEET, KIND_LABELS
from aomori_dx.collect.lock import LOCK_NAME, acquire, locked_out
from aomori_dx.collect.tables import column_index, read_csv, write_csv
from aomori_dx.errors import AomoriDxError, describe_os_error
from aomori_dx.format import number
from aomori_dx.model import ActivityKind, PeriodData, name_key
from aomori_dx.output import write_atomic
from aomori_dx.parse import FiscalYear
from aomori_dx.validate import Issue, Report, validate_period
from aomori_dx.validate.codes import Code
from aomori_dx.validate.roadmap import ACTUAL_WORDS, PLAN_WORDS

# The words the kind column of activities.csv accepts, as validate reads them.
_KINDS: dict[str, ActivityKind] = {
    word: "plan" if word in PLAN_WORDS else "actual" for word in (*PLAN_WORDS, *ACTUAL_WORDS)
}


@dataclass(frozen=True)
class Change:
    """One cell of the period's tables that ``collect`` changes."""

    file: str
    row: int
    column: str
    old: str
    new: str
    source: str


def _spans(years: Sequence[FiscalYear], texts: Sequence[str]) -> list[tuple[FiscalYear, FiscalYear, str]]:
    """Consecutive years with the same text become one span."""
    spans: list[tuple[FiscalYear, FiscalYear, str]] = []
    for year, text in zip(years, texts, strict=True):
        if not text:
            continue
        if spans and spans[-1][2] == text and spans[-1][1].year == year.year - 1:
            spans[-1] = (spans[-1][0], year, text)
        else:
            spans.append((year, year, text))
    return spans


def collect(folder: Path, workbooks: Sequence[Path], dry_run: bool = False) -> tuple[list[Change], Report]:
    """Merge the answers of ``workbooks`` into ``folder``; all or nothing.

    Workbooks with problems, and workbooks whose answers contradict another's, are reported and
    left out; the others are merged.  The merged tables are validated before anything is
    written; if they do not validate, nothing is.  A lock file in the period folder keeps a
    second ``collect`` from reading the tables while this one rewrites them (a dry run only
    reads, and the tables are replaced atomically, so it takes no lock).
    """
    if dry_run or not folder.is_dir():
        return _collect(folder, workbooks, dry_run)
    lock = folder / LOCK_NAME
    try:
        holder = acquire(lock)
    except OSError as exc:
        raise AomoriDxError(f"{lock}: ロックファイルを作れません（{describe_os_error(exc)}）。") from exc
    if holder is not None:
        return [], locked_out(lock, holder)
    try:
        return _collect(folder, workbooks, dry_run)
    finally:
        lock.unlink(missing_ok=True)


def _collect(folder: Path, workbooks: Sequence[Path], dry_run: bool) -> tuple[list[Change], Report]:
    data, period_report = validate_period(folder, complete=False)
    if data is None:
        return [], period_report
    # The period's own warnings (values not yet confirmed, which is why we collect) are not
    # repeated here: the report is about the workbooks.
    report = Report()
    answers = []
    for path in workbooks:
        if not path.is_file():
            report.add(Issue.of(Code.MISSING_FILE, str(path), "ファイルがありません。"))
            continue
        answer = read_answer(path, data, report)
        if answer is not None:
            answers.append(answer)
            for remark in answer.remarks:
                # The 備考 column is for the secretariat: shown, not written into the tables.
                message = f"備考（{remark.indicator}）: {remark.note}"
                report.add(Issue.of(Code.REMARK, str(path), message, sheet=INDICATOR_SHEET))
    dropped = conflicts(answers, report)
    answers = [answer for position, answer in enumerate(answers) if position not in dropped]
    changes: list[Change] = []
    outputs: dict[Path, bytes] = {}
    merges = (
        ("indicators", any(answer.indicators for answer in answers), _merge_indicators),
        ("activities", any(answer.grids for answer in answers), _merge_activities),
    )
    for stem, needed, merge in merges:
        if not needed:
            continue
        path = folder / f"{stem}.csv"
        if not path.is_file():
            message = f"collect は CSV の表（{stem}.csv）にだけ書き込めます。"
            report.add(Issue.of(Code.CSV_ONLY, str(folder / f"{stem}.xlsx"), message))
            return [], report
        outputs[path] = merge(path, data, answers, changes)
    if not outputs:
        return changes, report
    # Validate the merged period in a copy before touching the real one.
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / folder.name
        shutil.copytree(folder, copy)
        for path, content in outputs.items():
            (copy / path.name).write_bytes(content)
        merged, merged_report = validate_period(copy, complete=False)
        if merged is None:
            for item in merged_report.errors:
                # The issue as validate declared it, named in the real folder (file, row, column
                # and value: the tables rewritten here are CSV).
                message = "取り込むと入力にエラーが出るため、取り込みませんでした: " + item.message
                file = str(folder / Path(item.file).name)
                report.add(replace(item, file=file, message=message, sheet=None, cell=None))
            return [], report
    if not dry_run:
        for path, content in outputs.items():
            write_atomic(path, content)
    return changes, report


def _merge_indicators(
    path: Path, data: PeriodData, answers: Sequence[Answer], changes: list[Change]
) -> bytes:
    rows = read_csv(path)
    header = rows[0]
    if column_index(header, "indicators", "confirmed") is None:
        header.append("confirmed")
        for row in rows[1:]:
            row.append("")
    index = {name: column_index(header, "indicators", name) for name in (
        "kpi", "name", "previous", "previous_period", "latest", "latest_period", "confirmed",
        "previous_rate_published", "latest_rate_published",
    )}  # fmt: skip
    by_key = {indicator.key: indicator for indicator in data.indicators}

    def set_cell(row: list[str], number_: int, name: str, value: str, source: Path) -> None:
        column = index[name]
        if column is None:
            return
        row.extend([""] * (len(header) - len(row)))
        if row[column] != value:
            changes.append(Change(path.name, number_, header[column], row[column], value, source.name))
            row[column] = value

    for number_, row in enumerate(rows[1:], start=2):
        kpi_i, name_i = index["kpi"], index["name"]
        if kpi_i is None or name_i is None or len(row) <= max(kpi_i, name_i):
            continue
        key = (row[kpi_i].strip(), name_key(row[name_i]))
        for answer in answers:
            entry = answer.indicators.get(key)
            if entry is None:
                continue
            indicator = by_key[key]
            new = entry.new
            if new is not None:
                later = indicator.latest_period is None or new.period.end > indicator.latest_period.end
                if later and indicator.latest is not None:
                    # The old latest figure becomes the previous one (前期の値), as the tables do.
                    set_cell(row, number_, "previous", number(indicator.latest), answer.path)
                    set_cell(
                        row,
                        number_,
                        "previous_period",
                        indicator.latest_period.text if indicator.latest_period else "",
                        answer.path,
                    )
                    set_cell(row, number_, "previous_rate_published", "", answer.path)
                set_cell(row, number_, "latest", number(new.value), answer.path)
                set_cell(row, number_, "latest_period", new.period_text, answer.path)
                set_cell(row, number_, "latest_rate_published", "", answer.path)
            set_cell(row, number_, "confirmed", "○", answer.path)
    return write_csv(path, rows)


def _merge_activities(
    path: Path, data: PeriodData, answers: Sequence[Answer], changes: list[Change]
) -> bytes:
    rows = read_csv(path)
    header = rows[0]
    index = {
        name: column_index(header, "activities", name)
        for name in ("project", "activity", "kind", "from", "to", "text")
    }
    years = data.meeting.roadmap_years
    # Workbooks that change different cells of one row each keep their change (their answers
    # do not conflict, or conflicts() would have left them out).
    replaced: dict[GridKey, tuple[list[str], Path]] = {}
    for answer in answers:
        for key, grid in answer.grids.items():
            merged, _source = replaced.get(key, (list(grid.before), answer.path))
            for offset, (text, was) in enumerate(zip(grid.texts, grid.before, strict=True)):
                if text != was:
                    merged[offset] = text
            replaced[key] = (merged, answer.path)
    out = [header]
    done: set[GridKey] = set()

    def key_of(row: list[str]) -> GridKey | None:
        try:
            project = int(row[index["project"] or 0])
        except (ValueError, IndexError):
            return None
        kind = _KINDS.get(row[index["kind"] or 0].strip())
        return None if kind is None else (project, row[index["activity"] or 0].strip(), kind)

    def append_spans(key: GridKey, texts: list[str], source: Path) -> None:
        """The division's row as entries: consecutive years with the same text in one span."""
        for first, last, text in _spans(years, texts):
            new = [""] * len(header)
            values = {"project": str(key[0]), "activity": key[1], "kind": KIND_LABELS[key[2]], "from": first.era_label,
                      "to": last.era_label, "text": text}  # fmt: skip
            for name, value in values.items():
                column = index[name]
                if column is not None:
                    new[column] = value
            out.append(new)
            changes.append(Change(path.name, len(out), "text", "", f"{first}〜{last} {text}", source.name))

    for number_, row in enumerate(rows[1:], start=2):
        found = key_of(row)
        if found is None or found not in replaced:
            out.append(row)
            continue
        key = found
        texts, source = replaced[key]
        changes.append(
            Change(path.name, number_, "text", row[index["text"] or 0], "（置き換え）", source.name)
        )
        if key not in done:
            done.add(key)
            append_spans(key, texts, source)
    for key, (texts, source) in replaced.items():
        if key not in done:
            append_spans(key, texts, source)
    return write_csv(path, out)
