"""The cells of the open data: one line of text (NFKC for machine-dependent characters, formula
guard), plain numbers, 1/0 flags, the time axis of a period label, and the CSV bytes (UTF-8 with
BOM, CRLF).  Every table of ``render.opendata`` writes its cells through these."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from aomori_dx.parse import Period

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Machine-dependent characters (機種依存文字): number forms and roman numerals (Ⅳ), enclosed
# numbers (①), enclosed CJK (㈱), CJK compatibility (㍻ ㌔ ㎡), the full-width tilde (～) and runs
# of half-width katakana (ｶﾞ, composed to ガ).  NFKC is applied to these only: applied to the
# whole text it would also rewrite the ordinary full-width （）＝ that Japanese text uses.
_MACHINE_DEPENDENT = re.compile("[\u2150-\u218f\u2460-\u24ff\u3200-\u33ff\uff5e]|[\uff61-\uff9f]+")
# NFKC turns ① into a bare "1", which would read as part of the next word: (1) keeps the numbering.
_CIRCLED = {chr(0x2460 + index): f"({index + 1})" for index in range(20)}
_LINE_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")


def text_cell(value: str) -> str:
    """A text as the CSV files hold it: one line, NFKC, formula-guarded (see the module's docstring)."""
    text = _MACHINE_DEPENDENT.sub(
        lambda match: _CIRCLED.get(match.group()) or unicodedata.normalize("NFKC", match.group()), value
    )
    text = _LINE_BREAK.sub(" ", text).strip()
    return "'" + text if text.startswith(_FORMULA_START) else text


def number_cell(value: Decimal | int | None) -> str:
    """A number without separators or units ("" for no value, which is not 0)."""
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:f}"


def flag_cell(value: bool) -> str:
    """1 or 0."""
    return "1" if value else "0"


def time_axis(period: Period | None) -> tuple[str, str, str]:
    """The integer Western year, its basis (fiscal/calendar) and the ISO date a label names.

    Only a label that ends a period (``R5年度末`` → 2024-03-31, ``R6年11月末時点`` → 2024-11-30)
    names a day; ``R4年度`` or ``R6年11月`` is a span, and its date cell stays blank."""
    if period is None:
        return "", "", ""
    basis = "fiscal" if period.kind == "fiscal_year" else "calendar"
    return str(period.year), basis, period.end.isoformat() if period.at_end else ""


def period_cells(prefix: str, period: Period | None) -> dict[str, str]:
    """The five time columns of a period label (declared by ``schema._period_fields``)."""
    year, basis, date = time_axis(period)
    return {
        f"{prefix}_period": text_cell(period.text) if period else "",
        f"{prefix}_period_western": period.western if period else "",
        f"{prefix}_year": year,
        f"{prefix}_basis": basis,
        f"{prefix}_date": date,
    }


def csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> bytes:
    """CSV in UTF-8 with BOM, CRLF line ends, one header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
