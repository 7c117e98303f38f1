"""The printed progress report (.docx): A4, header and page numbers, a table of contents, and the
same figures as the deck in document form.  Deterministic like the deck.

The package is layered so that a change to one chapter touches one small file:

- ``writer``: the only module that knows python-docx and the XML (runs, paragraphs, tables,
  pictures, the running head, the contents field, styles, saving);
- ``fit``: column widths and line breaks measured for table cells;
- ``document``: the chapters (by ``ChapterKind``), the cover, the contents, ``build_report``;
- ``figures``, ``roadmap``, ``narrative``: the chapters themselves.
"""

from __future__ import annotations

from aomori_dx.render.report.document import Chapter, ChapterKind, build_report, chapters
from aomori_dx.render.report.writer import DEFAULT_REPORT_TEMPLATE, ReportOptions

__all__ = ["DEFAULT_REPORT_TEMPLATE", "Chapter", "ChapterKind", "ReportOptions", "build_report", "chapters"]
