"""How a request sheet looks on screen and on paper: cells whose text never turns into a
formula, the font that sets the unit of column widths, text measured in that unit, row heights
for wrapped text, and the A4 landscape print setup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Text that starts like a formula is kept as text, whatever spacing or width it starts with.
_FORMULA_START = frozenset("=+-@＝＋－＠")


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write one cell; text from the inputs never becomes a formula, also when edited later."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.lstrip(" \t\r\n\u3000")[:1] in _FORMULA_START:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# Print: A4 landscape with narrow margins, fitted to the width only while the letters stay at
# 10 pt or more; a wider sheet prints at full size over several pages, its key columns repeated.
# The workbook's default font is the cells' font, BIZ UDPゴシック 11 pt (on every Japanese Windows
# PC since 2018): Excel and LibreOffice count column widths in its digits, 11 pixels wide
# (0.72 em, rounded up), plus 7 pixels of padding.
FONT_NAME = "BIZ UDPゴシック"
BODY_PT = 11
MIN_PRINTED_PT = 10
A4_LANDSCAPE_PT = 841.89
MARGIN_INCH = 0.3
DIGIT_PX = 11
PADDING_PX = 7
EM_PER_UNIT = DIGIT_PX / (BODY_PT * 96 / 72)


def print_scale(widths: Sequence[float]) -> float:
    """The scale at which columns of these widths fill the printable width of A4 landscape."""
    content = sum(DIGIT_PX * width + PADDING_PX for width in widths) * 72 / 96
    return min(1.0, (A4_LANDSCAPE_PT - 2 * MARGIN_INCH * 72) / content)


def widest(columns: int) -> float:
    """The sum of the widths of ``columns`` columns that still print at ``MIN_PRINTED_PT``."""
    content_px = (A4_LANDSCAPE_PT - 2 * MARGIN_INCH * 72) * BODY_PT / MIN_PRINTED_PT * 96 / 72
    return (content_px - PADDING_PX * columns) / DIGIT_PX


def print_setup(sheet: Any, widths: Sequence[float], title_columns: str) -> None:
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_margins = PageMargins(left=MARGIN_INCH, right=MARGIN_INCH, top=0.6, bottom=0.6)
    if BODY_PT * print_scale(widths) >= MIN_PRINTED_PT:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        sheet.page_setup.scale = 100
        sheet.print_title_cols = title_columns
    sheet.print_title_rows = "1:1"


def units(text: str) -> float:
    """The width of ``text`` in column-width units, from the advance widths of BIZ UDPゴシック
    (proportional: digits 0.72 em, a comma 0.31 em, kanji and kana about 1 em)."""
    import unicodedata

    def em(character: str) -> float:
        if unicodedata.east_asian_width(character) in "WFA" or character == "%":
            return 1.0
        if character.isdigit():
            return 0.72
        return 0.31 if character in ",.:;'!| " else 0.65

    return sum(em(character) for character in text) / EM_PER_UNIT


def _text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs."""
    import math

    if not text:
        return 1
    return sum(max(1, math.ceil(units(line) / max(1.0, width - 0.5))) for line in text.split("\n"))


def fit_rows(sheet: Any, widths: Sequence[float]) -> None:
    # Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: set it.
    for row in sheet.iter_rows():
        lines = max(
            _text_lines(str(cell.value or ""), widths[cell.column - 1])
            for cell in row
            if cell.column <= len(widths)
        )
        sheet.row_dimensions[row[0].row].height = 15 * lines + 4


def set_widths(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
