"""The issue codes are declared once (validate/codes.py), and the docs and the code agree on them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from aomori_dx.parse import ParseError, Problem, parse_number
from aomori_dx.validate import Issue
from aomori_dx.validate.codes import Code

PACKAGE = Path(__file__).resolve().parents[1] / "aomori_dx"
DOCS = PACKAGE.parent / "docs"

# Modules that still spell their codes and severities at the call site: none (collect/ is on the
# registry since it became a package).
NOT_YET_ON_THE_REGISTRY: frozenset[str] = frozenset()

_SEVERITIES = {"エラー": "error", "警告": "warning"}


def _code_tables(path: Path) -> dict[str, str]:
    """``{code: severity}`` from every table whose header starts with ``| コード |``.

    A table without a severity column (collect.md's list of refused files) lists errors.
    """
    found: dict[str, str] = {}
    header: list[str] | None = None
    for line in path.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| コード |"):
            header = cells
        elif header is not None and line.startswith("| `"):
            row = dict(zip(header, cells, strict=False))
            severity = row.get("重要度") or row.get("重大度") or "エラー"
            code = row["コード"].strip("`")
            assert code not in found, f"{path.name} lists {code} twice"
            found[code] = _SEVERITIES[severity]
        elif not line.startswith("|"):
            header = None
    return found


def test_the_docs_list_exactly_the_declared_codes_with_their_severity() -> None:
    inputs = _code_tables(DOCS / "inputs.md")
    collect = _code_tables(DOCS / "collect.md")
    declared = {code.value: code.severity for code in Code}
    assert set(inputs) | set(collect) == set(declared)
    for listed in (inputs, collect, _code_tables(DOCS / "site.md")):
        assert {code: declared[code] for code in listed} == listed


def test_the_table_reader_sees_severities_and_tables_without_them(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "| コード | 重要度 | 意味 |\n|---|---|---|\n| `a-b` | 警告 | x |\n\n"
        "| コード | 意味 |\n|---|---|\n| `c-d` | y |\n\n| `e-f` | 警告 | not a code table |\n",
        "utf-8",
    )
    assert _code_tables(doc) == {"a-b": "warning", "c-d": "error"}


def _spelled_codes(source: str) -> list[tuple[int, str]]:
    """Lines where a string literal is a declared code's slug."""
    slugs = {code.value for code in Code}
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in slugs
    ]


def _chosen_severities(source: str) -> list[int]:
    """Lines that build an ``Issue`` directly, choosing its severity, instead of ``Issue.of(code, …)``."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Issue"
    ]


def _checked_modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(PACKAGE)) not in NOT_YET_ON_THE_REGISTRY | {"validate/codes.py"}
    ]


@pytest.mark.parametrize("path", _checked_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_spells_a_code_or_chooses_a_severity(path: Path) -> None:
    source = path.read_text("utf-8")
    assert _spelled_codes(source) == [], "name the declaration (Code.X) instead of its slug"
    if path.name != "report.py":
        assert _chosen_severities(source) == [], "make issues with Issue.of(Code.X, …)"


def test_the_scans_find_what_they_look_for() -> None:
    source = 'Issue("warning", "rate-mismatch", "f", "m")\nIssue.of(Code.RATE_MISMATCH, "f", "m")\n'
    assert _spelled_codes(source) == [(1, "rate-mismatch")]
    assert _chosen_severities(source) == [1]


def test_the_exemption_names_existing_modules() -> None:
    for name in NOT_YET_ON_THE_REGISTRY:
        assert (PACKAGE / name).is_file(), f"{name} is gone: remove it from NOT_YET_ON_THE_REGISTRY"


def test_an_issue_takes_its_severity_from_the_declaration() -> None:
    issue = Issue.of(Code.RATE_MISMATCH, "indicators.csv", "…", row=3, column="達成率")
    assert (issue.severity, issue.code, issue.row, issue.column) == ("warning", "rate-mismatch", 3, "達成率")
    assert Issue.of(Code.MISSING_VALUE, "kpis.csv", "…").severity == "error"


def test_every_declaration_has_a_slug_summary_and_fix() -> None:
    for code in Code:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.value), code
        assert code.summary and code.fix, code


@pytest.mark.parametrize("problem", list(Problem), ids=lambda p: p.name)
def test_every_parse_problem_has_its_code(problem: Problem) -> None:
    assert Code.of_problem(problem).name == problem.name


def test_a_parse_error_names_its_code() -> None:
    with pytest.raises(ParseError) as caught:
        parse_number("約300")
    assert Code.of_problem(caught.value.problem) == "invalid-number"
