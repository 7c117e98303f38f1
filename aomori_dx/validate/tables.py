"""The reader of a period folder's tables, which turns cells into values.

One schema per table (``schemas``) and one reader for all of them, so that every table follows the same rules:
``.csv`` or ``.xlsx``, canonical or Japanese headers, blank means "no value", every problem an
issue with file, row and column.  Reading a cell records an issue and returns ``None`` when the
cell cannot be used; rules that need the value then simply skip the row.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from aomori_dx.errors import InputFileError
from aomori_dx.load import RawRow, RawTable, read_table
from aomori_dx.parse import (
    NO_VALUE_MARKS,
    FiscalYear,
    ParseError,
    Period,
    control_characters,
    invisible_note,
    parse_bool,
    parse_date,
    parse_fiscal_year,
    parse_number,
    parse_period,
    visible,
)
from aomori_dx.validate.codes import Code
from aomori_dx.validate.report import Issue, Report
from aomori_dx.validate.schemas import Schema, normalize_header

__all__ = ["Row", "TableReader"]


class Row:
    """One data row with typed accessors; every failed read becomes an issue at this cell."""

    def __init__(self, reader: TableReader, raw: RawRow) -> None:
        self._reader = reader
        self.number = raw.number
        self._raw = raw
        self._issues: set[str | None] = set()

    def has(self, column: str) -> bool:
        """Whether the table has the column at all."""
        return column in self._reader.index

    def text(self, column: str) -> str:
        """The cell's text, trimmed; "" when blank or when the column is absent."""
        index = self._reader.index.get(column)
        if index is None:
            return ""
        return self._raw.cells[index].strip()

    def issue(self, column: str | None, code: Code, message: str) -> None:
        """Record an issue at this row (and column)."""
        self._issues.add(column)
        self._reader.issue_at(self.number, column, code, message)

    def has_issue(self, column: str) -> bool:
        """Whether an issue was already recorded for this cell."""
        return column in self._issues

    def required(self, column: str) -> str | None:
        """The text of a cell that must not be blank."""
        value = self.text(column)
        if self.has(column) and (not value or value in NO_VALUE_MARKS):
            label = self._reader.header_of(column)
            self.issue(column, Code.MISSING_VALUE, f"「{label}」が空欄です。値を入力してください。")
            return None
        return value

    def decimal(self, column: str, unit: str = "") -> Decimal | None:
        """A number (``None`` when blank, a dash, or unreadable: the latter is an issue)."""
        try:
            return parse_number(self.text(column), unit)
        except ParseError as exc:
            self.issue(column, Code.of_problem(exc.problem), exc.message)
            return None

    def integer(self, column: str) -> int | None:
        """A whole number such as a project No."""
        value = self.decimal(column)
        if value is None:
            return None
        if value != value.to_integral_value():
            self.issue(
                column,
                Code.INVALID_NUMBER,
                f"「{visible(self.text(column))}」は整数ではありません。整数を入力してください。",
            )
            return None
        return int(value)

    def period(self, column: str) -> Period | None:
        """A period label such as R4年度 or R6年11月末時点."""
        try:
            return parse_period(self.text(column))
        except ParseError as exc:
            self.issue(column, Code.of_problem(exc.problem), exc.message)
            return None

    def fiscal_year(self, column: str) -> FiscalYear | None:
        """A fiscal year such as R6."""
        try:
            return parse_fiscal_year(self.text(column))
        except ParseError as exc:
            self.issue(column, Code.of_problem(exc.problem), exc.message)
            return None

    def flag(self, column: str) -> bool:
        """A yes/no cell."""
        try:
            return parse_bool(self.text(column))
        except ParseError as exc:
            self.issue(column, Code.of_problem(exc.problem), exc.message)
            return False

    def date(self, column: str) -> dt.date | None:
        """A date written as 2024-12-18 (or 2024/12/18), or as Japanese Excel shows a date cell."""
        text = unicodedata.normalize("NFKC", self.text(column))
        if not text:
            return None
        try:
            return parse_date(text)
        except ParseError as exc:
            self.issue(column, Code.of_problem(exc.problem), exc.message)
            return None


class TableReader:
    """Finds, reads and checks one table of a period folder, recording issues in ``report``."""

    def __init__(self, folder: Path, schema: Schema, report: Report) -> None:
        self.schema = schema
        self.report = report
        self.index: dict[str, int] = {}
        self.table: RawTable | None = None
        self.path: Path | None = None
        self.file = str(folder / f"{schema.stem}.csv")
        candidates = [folder / f"{schema.stem}{suffix}" for suffix in (".csv", ".xlsx")]
        present = [path for path in candidates if path.is_file()]
        if len(present) > 1:
            self.file = str(present[0])
            self.issue_at(
                None,
                None,
                Code.DUPLICATE_FILE,
                f"{present[0].name} と {present[1].name} の両方があります。どちらか一方にしてください。",
            )
            return
        if not present:
            if schema.required:
                self.issue_at(
                    None,
                    None,
                    Code.MISSING_FILE,
                    f"{schema.title}の表 {schema.stem}.csv（または {schema.stem}.xlsx）がありません。",
                )
            return
        self.path = present[0]
        self.file = str(self.path)
        if not self.path.resolve().is_relative_to(folder.resolve()):
            # A link out of the period folder would put any file of the machine into the material.
            self.issue_at(
                None,
                None,
                Code.OUTSIDE_FOLDER,
                f"{self.path.name} は期のフォルダの外を指すリンク（ショートカット）です。"
                "期のフォルダの中に実際のファイルを置いてください。",
            )
            return
        try:
            self.table = read_table(self.path, (schema.stem, schema.title))
        except InputFileError as exc:
            self.issue_at(exc.row, None, Code.UNREADABLE_FILE, exc.reason)
            return
        self._map_headers()
        if self.table.sheet_note:
            self._several_sheets()
        for row, position in self.table.uncomputed:
            self._uncomputed(row, position)
        for row in self.table.hidden_rows:
            self._hidden(row, None)
        for position in self.table.hidden_columns:
            self._hidden(1, position)
        for row, position in self.table.failed:
            self._failed_formula(row, position)
        for merged, row, position in self.table.merged:
            if position < len(self.table.headers):
                self._merged(merged, row, position)

    @property
    def present(self) -> bool:
        """Whether the table was found and read."""
        return self.table is not None

    def header_of(self, column: str) -> str:
        """The header as written in the file (what the user sees), or the canonical name."""
        if self.table is not None and column in self.index:
            return self.table.headers[self.index[column]] or column
        return column

    def issue_at(self, row: int | None, column: str | None, code: Code, message: str) -> None:
        """Record an issue at a position of this table."""
        sheet = cell = None
        value = None
        if self.table is not None and self.table.sheet is not None:
            sheet = self.table.sheet
            if row is not None and column is not None and column in self.index:
                cell = self.table.cell_ref(row, self.index[column])
        if self.table is not None and row is not None and column is not None and column in self.index:
            for raw in self.table.rows:
                if raw.number == row:
                    value = raw.cells[self.index[column]]
                    break
        self.report.add(
            Issue.of(
                code,
                self.file,
                message,
                row=row,
                column=self.header_of(column) if column else None,
                value=value,
                sheet=sheet,
                cell=cell,
            )
        )

    def _map_headers(self) -> None:
        assert self.table is not None
        lookup: dict[str, str] = {}
        for column in self.schema.columns:
            for name in (column.name, *column.aliases):
                lookup[normalize_header(name)] = column.name
        for position, header in enumerate(self.table.headers):
            if not header:
                continue
            canonical = lookup.get(normalize_header(header))
            if canonical is None:
                self.report.add(
                    Issue.of(
                        Code.UNKNOWN_COLUMN,
                        self.file,
                        f"見出し「{visible(header)}」は使われません。列名の誤りでないか確認してください。{invisible_note(header)}",
                        row=1,
                        column=header,
                    )
                )
                continue
            if canonical in self.index:
                self.report.add(
                    Issue.of(
                        Code.DUPLICATE_COLUMN,
                        self.file,
                        f"「{visible(header)}」と同じ意味の列が2つあります。1つにしてください。",
                        row=1,
                        column=header,
                    )
                )
                continue
            self.index[canonical] = position
        for column in self.schema.columns:
            if column.required and column.name not in self.index:
                self.report.add(
                    Issue.of(
                        Code.MISSING_COLUMN,
                        self.file,
                        f"列「{column.label}」（{column.name}）がありません。見出し行に追加してください。",
                        row=1,
                        column=column.label,
                    )
                )

    def rows(self) -> Iterator[Row]:
        """The data rows, after checking every cell for control characters."""
        if self.table is None:
            return
        reverse = {position: name for name, position in self.index.items()}
        width = len(self.table.headers)
        for raw in self.table.rows:
            extra = [cell for cell in raw.cells[width:] if cell.strip()]
            if extra:
                self.report.add(
                    Issue.of(
                        Code.EXTRA_CELLS,
                        self.file,
                        f"見出しより {len(raw.cells) - width} 個多いセルがあります。値の中のカンマ（,）を"
                        '引用符 " で囲むか、全角の「，」にしてください。',
                        row=raw.number,
                        value=",".join(extra),
                        sheet=self.table.sheet,
                        cell=self.table.cell_ref(raw.number, width),
                    )
                )
            for position, cell in enumerate(raw.cells):
                found = control_characters(cell)
                if found:
                    where = "、".join(f"{offset}文字目 ({code})" for offset, code in found)
                    column = reverse.get(position)
                    header = self.table.headers[position] if position < len(self.table.headers) else ""
                    self.report.add(
                        Issue.of(
                            Code.CONTROL_CHARACTER,
                            self.file,
                            f"Word や PowerPoint で扱えない制御文字があります: {where}。削除してください。",
                            row=raw.number,
                            column=self.header_of(column) if column else header,
                            value=cell,
                            sheet=self.table.sheet,
                            cell=self.table.cell_ref(raw.number, position),
                        )
                    )
            yield Row(self, raw)

    def _uncomputed(self, row: int, position: int) -> None:
        # Reported even where the row looks empty: a row of uncomputed formulas would otherwise
        # vanish without a word.
        assert self.table is not None
        column = {index: name for name, index in self.index.items()}.get(position)
        header = self.table.headers[position] if position < len(self.table.headers) else ""
        self.report.add(
            Issue.of(
                Code.FORMULA_WITHOUT_VALUE,
                self.file,
                "数式の結果が保存されていません（数式を計算しないソフトで作られたブックです）。"
                "Excel で開いて保存し直すか、値を入力してください。",
                row=row,
                column=self.header_of(column) if column else header or None,
                sheet=self.table.sheet,
                cell=self.table.cell_ref(row, position),
            )
        )

    def _hidden(self, row: int, position: int | None) -> None:
        # Old rows hidden instead of deleted are read like the others: they would count in the
        # KPI averages although nobody sees them in Excel.
        assert self.table is not None
        if position is None:
            what, column, cell = f"{row}行目", None, f"A{row}"
        else:
            letter = (self.table.cell_ref(1, position) or "")[:-1]
            what, column, cell = f"{letter} 列", self.table.headers[position] or None, f"{letter}1"
        self.report.add(
            Issue.of(
                Code.HIDDEN_CELLS,
                self.file,
                f"{what}は非表示になっていますが、値があります（Excel の画面では見えませんが、読まれて資料に出ます）。"
                "再表示して（フィルターで隠れた行はフィルターを解除して）、使わない行・列は削除してください。",
                row=row,
                column=column,
                sheet=self.table.sheet,
                cell=cell,
            )
        )

    def _failed_formula(self, row: int, position: int) -> None:
        # #REF! in a text column would be printed as the indicator's name or source.
        assert self.table is not None
        cells = next((raw.cells for raw in self.table.rows if raw.number == row), self.table.headers)
        shown = cells[position] if position < len(cells) else ""
        header = self.table.headers[position] if position < len(self.table.headers) else ""
        self.report.add(
            Issue.of(
                Code.FORMULA_ERROR,
                self.file,
                f"数式の結果がエラー（{shown}）になっています。数式を直すか、値を入力してください。",
                row=row,
                column=header or None,
                value=shown,
                sheet=self.table.sheet,
                cell=self.table.cell_ref(row, position),
            )
        )

    def _merged(self, merged: str, row: int, position: int) -> None:
        # The cells under a merged KPI number, unit or 項目 read as blank: a blank unit or category
        # would go into the documents without a word.
        assert self.table is not None
        top_left = merged.split(":")[0]
        self.report.add(
            Issue.of(
                Code.MERGED_CELLS,
                self.file,
                f"セル {merged} が結合されています。結合したセルは左上のセル（{top_left}）にしか値がなく、"
                "ほかのセルは空欄として読まれます。結合を解除し、各行に値を入れてください。",
                row=row,
                column=self.table.headers[position] or None,
                sheet=self.table.sheet,
                cell=top_left,
            )
        )

    def _several_sheets(self) -> None:
        assert self.table is not None
        self.report.add(
            Issue.of(Code.SEVERAL_SHEETS, self.file, self.table.sheet_note, sheet=self.table.sheet)
        )
