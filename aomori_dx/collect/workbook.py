"""A returned workbook as the reader sees it: the sheets it needs, each read once, lazily and
bounded (``load.xlsx``), as the text a person sees per cell; and the issues of one workbook,
each naming its sheet and cell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aomori_dx.collect.layout import column_letter
from aomori_dx.load.cells import ExcelError, cell_text, sheet_rows
from aomori_dx.load.xlsx import merged_ranges, open_workbook
from aomori_dx.parse import control_characters
from aomori_dx.validate import Issue, Report
from aomori_dx.validate.codes import Code


@dataclass(frozen=True)
class Sheet:
    """The non-empty cells of a sheet by coordinate, as (value, number format)."""

    cells: dict[str, tuple[object, str]]
    rows: int
    merged: tuple[str, ...] = ()

    def text(self, coordinate: str) -> str:
        """The cell as the person sees it (see ``load.xlsx.cell_text``), trimmed."""
        return cell_text(*self.cells.get(coordinate, (None, "General"))).strip()


def read_book(path: Path, names: Sequence[str]) -> dict[str, Sheet]:
    """The named sheets of a workbook, each read once and lazily (``load.xlsx`` bounds the cost);
    ``InputFileError`` when it cannot be read."""
    book = open_workbook(path)
    sheets = {}
    try:
        for name in names:
            if name not in book.sheetnames:
                continue
            cells: dict[str, tuple[object, str]] = {}
            last = 0
            for number, row in sheet_rows(book[name], path=path):
                for column, (value, number_format) in enumerate(row, start=1):
                    if value is not None:
                        cells[f"{column_letter(column)}{number}"] = (value, number_format)
                last = number
            sheets[name] = Sheet(cells, last, tuple(merged_ranges(path, book[name])))
    finally:
        book.close()
    return sheets


def row_of(coordinate: str) -> int:
    """``I12`` → 12."""
    return int(re.sub(r"[A-Z]+", "", coordinate))


class WorkbookIssues:
    """Issues of one workbook, each naming its sheet and cell."""

    def __init__(self, path: Path, report: Report) -> None:
        self.path = path
        self.report = report
        self.start = len(report.errors)

    def add(
        self,
        code: Code,
        message: str,
        sheet: str | None = None,
        cell: str | None = None,
        value: str | None = None,
    ) -> None:
        """An issue of the declared ``code`` (its severity is the declaration's)."""
        row = row_of(cell) if cell else None
        self.report.add(Issue.of(code, str(self.path), message, row=row, value=value, sheet=sheet, cell=cell))

    @property
    def found(self) -> bool:
        return len(self.report.errors) > self.start

    def answer(self, sheet: Sheet, name: str, coordinate: str) -> str | None:
        """The text of an answer cell; ``None`` (and an error) when it holds a control character."""
        text = sheet.text(coordinate)
        if isinstance(sheet.cells.get(coordinate, (None, ""))[0], ExcelError):
            # Merged as text, #REF! would become a roadmap entry.
            self.add(Code.FORMULA_ERROR,
                f"数式の結果がエラー（{text}）になっています。数式を直すか、値を入力してください。",
                name, coordinate, text,
            )  # fmt: skip
            return None
        found = control_characters(text)
        if found:
            where = "、".join(f"{offset}文字目 ({code})" for offset, code in found)
            self.add(Code.CONTROL_CHARACTER,
                f"Word や PowerPoint で扱えない制御文字があります: {where}。削除してください。",
                name, coordinate, text,
            )  # fmt: skip
            return None
        return text
