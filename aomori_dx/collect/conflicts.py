"""``collect``, two workbooks answering the same thing differently: each side is reported with
the other's cell, and both workbooks are left out (the secretariat decides which is right)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from aomori_dx.collect.answers import Answer, IndicatorAnswer
from aomori_dx.collect.layout import INDICATOR, INDICATOR_SHEET, ROADMAP_SHEET, year_cell
from aomori_dx.collect.workbook import row_of
from aomori_dx.format import number
from aomori_dx.validate import Issue, Report
from aomori_dx.validate.codes import Code


def _said(answer: IndicatorAnswer) -> tuple[object, ...]:
    new = answer.new
    return (new.value, new.period_text, answer.unchanged) if new else (None, "", answer.unchanged)


def _words(answer: IndicatorAnswer) -> str:
    if answer.new is None:
        return "変更なし（○）"
    return f"{number(answer.new.value)}（{answer.new.period_text}）"


def conflicts(answers: Sequence[Answer], report: Report) -> set[int]:
    """Answers that contradict another workbook's: each side is reported with the other's cell;
    returns the positions of the workbooks to leave out."""
    # By subject: (workbook position, cell, what it says, the same in words).
    said: dict[tuple[str, ...], list[tuple[int, str, str, str]]] = {}
    for position, answer in enumerate(answers):
        for key, entry in answer.indicators.items():
            cell = INDICATOR.cell("value" if entry.new is not None else "unchanged", entry.row)
            said.setdefault(("indicator", *key), []).append(
                (position, cell, repr(_said(entry)), _words(entry))
            )
        for (project, activity, kind), grid in answer.grids.items():
            for offset, (text, was) in enumerate(zip(grid.texts, grid.before, strict=True)):
                if text != was:
                    said.setdefault(("grid", str(project), activity, kind, str(offset)), []).append(
                        (position, year_cell(offset, grid.row), text, text or "（空欄）")
                    )
    dropped: set[int] = set()
    for subject, answered in said.items():
        sheet = INDICATOR_SHEET if subject[0] == "indicator" else ROADMAP_SHEET
        for mine, theirs in itertools.permutations(answered, 2):
            if mine[2] == theirs[2] or answers[mine[0]].path == answers[theirs[0]].path:
                continue
            dropped.add(mine[0])
            other = answers[theirs[0]].path
            report.add(
                Issue.of(
                    Code.CONFLICTING_ANSWER,
                    str(answers[mine[0]].path),
                    f"別の照会ファイル {other} の {sheet}!{theirs[1]} と回答が違います"
                    f"（こちら「{mine[3]}」、あちら「{theirs[3]}」）。どちらのファイルも取り込みません。"
                    "正しいほうを確かめ、そのファイルだけでもう一度 collect してください。",
                    row=row_of(mine[1]),
                    value=mine[3],
                    sheet=sheet,
                    cell=mine[1],
                )
            )
    return dropped
