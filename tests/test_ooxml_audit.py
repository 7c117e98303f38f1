"""Files Word and Excel open without repair (issue 12, point 7).

openxml-audit (and ooxml-integrity for .docx) check the built report, the default templates, a
report built from a template that still carries Word 2010's ``stylesWithEffects.xml``, and every
request workbook of the sample period.  The validator is young: two of its workbook findings
contradict ECMA-376 and are named below with the reason; every other finding fails the test.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import openxml_audit  # the dev extra: a checker of the built file, not something the tool needs
import pytest
from lxml import etree

from aomori_dx.collect import make_requests
from aomori_dx.compute import Result
from aomori_dx.render.report import DEFAULT_REPORT_TEMPLATE, ReportOptions, build_report

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
DEFAULT_DECK_TEMPLATE = REPO_ROOT / "templates" / "default.pptx"
SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
LEGACY_STYLES = "word/stylesWithEffects.xml"

# ECMA-376 Part 1, sml.xsd: CT_Font is <xsd:choice maxOccurs="unbounded"> of these elements, so
# any order is valid (openpyxl writes <name> first).  The validator follows the Open XML SDK's
# fixed order and reports "Unexpected element" for the valid order; Excel opens these files
# without repair.
CT_FONT_CHILDREN = {
    "b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
    "sz", "color", "name", "family", "charset", "scheme",
}  # fmt: skip
FONT_ORDER = re.compile(r"Unexpected element '(\w+)' found")
FONT_PATH = re.compile(r"/styleSheet\[1\]/fonts\[1\]/font\[(\d+)\]")
# ECMA-376 Part 1, 18.3.1.4 (c) allows t="inlineStr" with its text in <is>; openpyxl writes
# strings that way.  The validator warns that Excel moves them to a shared-strings part when
# it next saves the file: a rewrite on save, not a repair on opening.
INLINE_STRINGS = re.compile(r"Worksheet sheet\d+\.xml has \d+ inline-string cell\(s\)")


def findings(path: Path) -> list[str]:
    return [
        f"{error.severity.name} {error.part_uri} {error.path}: {error.description}"
        for error in openxml_audit.OpenXmlValidator().validate(path).errors
    ]


def integrity_findings(path: Path) -> list[tuple[str, str, str]]:
    integrity = pytest.importorskip(
        "ooxml_integrity", reason="ooxml-integrity is not installed (pip install -e '.[dev]')"
    )
    return [(f.code, f.where, f.message) for f in integrity.check(path)]


# --- the report and the templates ---------------------------------------------------------------


def test_built_report_opens_without_repair(result: Result, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(build_report(result))
    assert findings(path) == []
    assert integrity_findings(path) == []


@pytest.mark.parametrize("template", [DEFAULT_REPORT_TEMPLATE, DEFAULT_DECK_TEMPLATE], ids=lambda p: p.name)
def test_default_templates_open_without_repair(template: Path) -> None:
    assert findings(template) == []
    if template.suffix == ".docx":
        assert integrity_findings(template) == []


def test_default_report_template_has_no_second_copy_of_the_styles() -> None:
    with zipfile.ZipFile(DEFAULT_REPORT_TEMPLATE) as archive:
        assert LEGACY_STYLES not in archive.namelist()
        assert b"stylesWithEffects" not in archive.read("[Content_Types].xml")
        assert b"stylesWithEffects" not in archive.read("word/_rels/document.xml.rels")


def test_report_from_a_word_2010_template_drops_its_stale_styles(result: Result, tmp_path: Path) -> None:
    # python-docx's own default template carries the part, as templates saved by Word 2010 do.
    template = tmp_path / "様式.docx"
    docx.Document().save(str(template))
    with zipfile.ZipFile(template) as archive:
        assert LEGACY_STYLES in archive.namelist()
    path = tmp_path / "report.docx"
    path.write_bytes(build_report(result, ReportOptions(template=template)))
    with zipfile.ZipFile(path) as archive:
        assert LEGACY_STYLES not in archive.namelist()
        assert b"stylesWithEffects" not in archive.read("[Content_Types].xml")
        assert b"stylesWithEffects" not in archive.read("word/_rels/document.xml.rels")
    assert findings(path) == []
    assert integrity_findings(path) == []


# --- the request workbooks ----------------------------------------------------------------------


def _fonts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    fonts = styles.find(f"{SML}fonts")
    assert fonts is not None
    return list(fonts)


def _valid_ct_font(font: etree._Element) -> bool:
    names = [etree.QName(child).localname for child in font]
    return set(names) <= CT_FONT_CHILDREN and len(names) == len(set(names))


def _unexplained(path: Path) -> list[str]:
    left = []
    fonts = _fonts(path)
    for error in openxml_audit.OpenXmlValidator().validate(path).errors:
        order = FONT_ORDER.fullmatch(error.description)
        where = FONT_PATH.fullmatch(error.path or "")
        # Named only when the font really is a valid CT_Font: known children, each once.
        if (
            error.part_uri == "/xl/styles.xml"
            and order
            and where
            and _valid_ct_font(fonts[int(where.group(1)) - 1])
        ):
            continue
        if error.severity.name == "WARNING" and INLINE_STRINGS.match(error.description):
            continue
        left.append(f"{error.severity.name} {error.part_uri} {error.path}: {error.description}")
    return left


def test_request_workbooks_open_without_repair(result: Result, tmp_path: Path) -> None:
    workbooks = make_requests(result.period, tmp_path)
    assert len(workbooks) > 1
    assert {path.name: _unexplained(path) for path in workbooks} == {path.name: [] for path in workbooks}


def test_a_division_without_indicators_gets_no_empty_data_validations(result: Result, tmp_path: Path) -> None:
    # CT_DataValidations needs at least one dataValidation; openpyxl writes an empty
    # <dataValidations count="0"/> for rules that were never given a cell.
    workbooks = make_requests(result.period, tmp_path)
    empty = []
    for path in workbooks:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and b'<dataValidations count="0"' in archive.read(name):
                    empty.append(f"{path.name}:{name}")
    assert empty == []
    assert any("学校教育課" in path.name for path in workbooks)  # one of the divisions with projects only
