"""Validation results as values: an ``Issue`` per problem, gathered in a ``Report``.

Codes are stable slugs declared in ``codes.py`` with their severity; an issue is made from its
declaration (``Issue.of(Code.RATE_MISMATCH, …)``), so no check chooses a severity itself.
Messages are Japanese and say what is wrong and what to write instead.  Positions are the ones
a person looks for: the file, the spreadsheet row (header = 1), the column as written
in the file, and for XLSX the sheet and the A1 cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aomori_dx.validate.codes import Code, Severity

__all__ = ["Issue", "Report", "Severity"]


@dataclass(frozen=True)
class Issue:
    """One problem found in the inputs."""

    severity: Severity
    code: str
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None
    cell: str | None = None

    @classmethod
    def of(
        cls,
        code: Code,
        file: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> Issue:
        """The issue of a declared ``code``, with the severity the declaration gives it."""
        return cls(code.severity, code.value, file, message, row, column, value, sheet, cell)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``code, file, row, column, value, message`` (+ ``sheet, cell`` for XLSX)."""
        data: dict[str, Any] = {
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }
        if self.sheet is not None:
            data["sheet"] = self.sheet
            data["cell"] = self.cell
        return data

    @property
    def places(self) -> tuple[str, ...]:
        """Where to look, as parts: the cell (``Sheet1!D12``) or the row (``12行目``), then the column."""
        parts = []
        if self.sheet is not None and self.cell is not None:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(self.column)
        return tuple(parts)

    @property
    def position(self) -> str:
        """Where to look, in words: ``12行目 目標値`` or ``Sheet1!D12``."""
        return " ".join(self.places)


@dataclass
class Report:
    """Every issue found in a period, in the order found."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        """Record an issue."""
        self.issues.append(issue)

    @property
    def errors(self) -> list[Issue]:
        """Issues that stop a build."""
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """Issues worth a look that do not stop a build."""
        return [issue for issue in self.issues if issue.severity == "warning"]

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not self.errors

    def flatten(self, keys: tuple[str, ...] = ("code", "file", "row")) -> list[tuple[Any, ...]]:
        """One tuple per issue with the named attributes: short assertions in tests."""
        return [tuple(getattr(issue, key) for key in keys) for issue in self.issues]

    def to_dict(self) -> dict[str, Any]:
        """``{"ok": bool, "errors": [...], "warnings": [...]}``."""
        return {
            "ok": self.ok,
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
        }
