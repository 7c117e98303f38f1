"""Reading the files of a period folder: tables (CSV/XLSX) and Markdown, with positions kept."""

from aomori_dx.load.markdown import MarkdownError, parse_markdown
from aomori_dx.load.tables import RawRow, RawTable, column_letter, decode, read_table, read_text

__all__ = [
    "MarkdownError",
    "RawRow",
    "RawTable",
    "column_letter",
    "decode",
    "parse_markdown",
    "read_table",
    "read_text",
]
