"""PDFs ready to print and to publish (issue 12, points 1 and 8).

Where LibreOffice (with its Python's UNO bridge) and poppler are installed, the sample report
and deck are converted as ``--pdf`` does: the report's table of contents lists every heading
with the page it is printed on (no instruction to right-click, no entry left without a number),
and both PDFs are tagged, carry the document's title and say they are Japanese.  Elsewhere
those tests are skipped with the reason; the messages of ``to_pdf`` are checked everywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from pptx import Presentation

from aomori_dx import pdf
from aomori_dx.compute import compute
from aomori_dx.errors import OutputError
from aomori_dx.render.deck import build_deck
from aomori_dx.render.report import build_report
from aomori_dx.validate import validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
HEADINGS = ("Heading 1", "Heading 2", "Heading 3")  # the TOC field's \o "1-3"
LEADER = re.compile(r"^(?P<title>.*?)\s*\.{4,}\s*(?P<page>\d+)$")
FOOTER = re.compile(r"^\d+ / \d+$")


def _missing_tools() -> str | None:
    office = pdf.find_office()
    if office is None:
        return "LibreOffice is not installed (apt-get install libreoffice-writer libreoffice-impress)"
    if pdf.find_uno_python(office) is None:
        return "LibreOffice's Python cannot import uno (apt-get install python3-uno)"
    missing = [tool for tool in ("pdfinfo", "pdftotext") if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed (apt-get install poppler-utils)"
    return None


MISSING = _missing_tools()
needs_office = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@dataclass(frozen=True)
class Converted:
    report: Path
    deck: Path
    headings: list[str]
    titles: dict[str, str]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    folder = tmp_path_factory.mktemp("pdf")
    data, report = validate_period(SAMPLE)
    assert data is not None, report.errors
    result = compute(data)
    docx_path, pptx_path = folder / "report.docx", folder / "deck.pptx"
    docx_path.write_bytes(build_report(result))
    pptx_path.write_bytes(build_deck(result))
    document = docx.Document(str(docx_path))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name in HEADINGS]
    titles = {
        "report": document.core_properties.title,
        "deck": Presentation(str(pptx_path)).core_properties.title,
    }
    return Converted(pdf.to_pdf(docx_path), pdf.to_pdf(pptx_path), headings, titles)


def pdfinfo(path: Path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in output.splitlines())
    }


def page_texts(path: Path) -> list[str]:
    output = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return output.split("\f")[: int(pdfinfo(path)["Pages"])]


def squeeze(text: str) -> str:
    # pdftotext puts spaces between Japanese and Latin letters ("青森県 DX"): compare without them.
    return re.sub(r"\s+", "", text)


def toc_entries(pages: list[str]) -> tuple[list[tuple[str, int]], list[int]]:
    """The entries (title, page) of the table of contents and the PDF pages it fills.

    Every line of those pages must be an entry with its page number, the heading 目次, or the
    running head and foot: a line left over (an instruction, a heading without a number) fails.
    """
    start = next(index for index, text in enumerate(pages) if "目次" in text.splitlines())
    head = pages[start].strip().splitlines()[0]
    entries: list[tuple[str, int]] = []
    used: list[int] = []
    for index in range(start, len(pages)):
        lines = [line.strip() for line in pages[index].splitlines() if line.strip()]
        lines = [line for line in lines if line not in {head, "目次"} and not FOOTER.match(line)]
        if index > start and not any(LEADER.match(line) for line in lines):
            break
        used.append(index + 1)
        pending = ""
        for line in lines:
            match = LEADER.match(line)
            if match is None:
                pending += line  # a long title wraps onto the next line
                continue
            entries.append((pending + match["title"], int(match["page"])))
            pending = ""
        assert pending == "", f"page {index + 1}: a line that is no entry: {pending!r}"
    return entries, used


# --- 1. the table of contents ---------------------------------------------------------------


@needs_office
def test_report_toc_lists_every_heading_with_the_page_it_is_on(converted: Converted) -> None:
    pages = page_texts(converted.report)
    entries, toc_pages = toc_entries(pages)
    assert [squeeze(title) for title, _ in entries] == [squeeze(text) for text in converted.headings]
    numbers = [number for _, number in entries]
    assert numbers == sorted(numbers)
    assert numbers[0] == toc_pages[-1] + 1  # chapter 1 starts on the page after the contents
    for title, number in entries:
        assert squeeze(title) in squeeze(pages[number - 1]), f"{title} is not on page {number}"
    first_chapter = entries[0][0]
    assert squeeze(first_chapter).startswith("1基本目標")


@needs_office
def test_report_pdf_has_no_instruction_text(converted: Converted) -> None:
    text = "".join(page_texts(converted.report))
    for instruction in ("右クリック", "フィールド更新", "F9"):
        assert instruction not in text


# --- 8. tagged, titled, Japanese -----------------------------------------------------------------


@needs_office
@pytest.mark.parametrize("kind", ["report", "deck"])
def test_pdf_is_tagged_titled_and_japanese(converted: Converted, kind: str) -> None:
    path = getattr(converted, kind)
    info = pdfinfo(path)
    assert info["Tagged"] == "yes"
    assert converted.titles[kind]
    assert info["Title"] == converted.titles[kind]
    catalog = re.search(rb"/Type\s*/Catalog(.*?)>>\s*endobj", path.read_bytes(), re.S)
    assert catalog is not None
    assert re.search(rb"/Lang\s*\(ja-JP\)", catalog.group(1))
    assert re.search(rb"/DisplayDocTitle\s+true", catalog.group(1))


# --- messages ------------------------------------------------------------------------------------


def test_without_libreoffice_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_office", lambda: None)
    with pytest.raises(OutputError) as caught:
        pdf.to_pdf(tmp_path / "report.docx")
    assert caught.value.message == pdf.INSTALL_HINT
    assert "python3-uno" in caught.value.message


def test_without_the_uno_bridge_the_message_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_office", lambda: "/opt/libreoffice/program/soffice")
    monkeypatch.setattr(pdf, "find_uno_python", lambda office: None)
    with pytest.raises(OutputError) as caught:
        pdf.to_pdf(tmp_path / "report.docx")
    assert caught.value.message == pdf.UNO_HINT
    assert "LibreOffice の Python（UNO）" in caught.value.message
    assert not (tmp_path / "report.pdf").exists()


@needs_office
def test_a_file_libreoffice_cannot_open_fails_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "ない.docx"
    with pytest.raises(OutputError) as caught:
        pdf.to_pdf(missing)
    assert caught.value.message.startswith(f"{missing}: LibreOffice で PDF に変換できませんでした（")
    assert list(tmp_path.iterdir()) == []
