"""Open data (CSV and a Frictionless Data Package) following the Digital Agency's machine-readability rules.

Each table is declared once, as ``Table`` and ``Field`` values: the CSV's columns, the Table Schema
in ``datapackage.json`` (types, units, keys) and the data dictionary (``datadict.csv`` and the
table on data.html) are all written from that declaration, so they cannot disagree.

The rules the cells follow: one value per cell and one record per line (a line break inside a
text becomes a space); numbers as plain numbers (no ▲, no separators, no units: the unit has its
own column or the field's description); Western years as integers beside era-year labels, with
their basis (fiscal or calendar) and an ISO 8601 date where the label names a day (年度末,
月末時点); machine-dependent characters (①, Ⅳ, ㈱, ㍻, ㎡, ～, half-width katakana) replaced by
their NFKC forms, ①〜⑳ by (1)〜(20); a text that starts with
= + - @ gets a leading apostrophe so that a spreadsheet never runs it as a formula.  UTF-8 with
BOM, so that Excel opens the files as they are.
"""

from aomori_dx.render.opendata.cells import (
    csv_bytes,
    flag_cell,
    number_cell,
    period_cells,
    text_cell,
    time_axis,
)
from aomori_dx.render.opendata.package import Publication, datapackage, publication
from aomori_dx.render.opendata.rows import (
    indicator_csv,
    indicator_rows,
    kpi_rows,
    project_rows,
    roadmap_rows,
)
from aomori_dx.render.opendata.schema import (
    DICTIONARY_TABLE,
    INDICATOR_COLUMNS,
    INDICATORS,
    KPIS,
    PROJECTS,
    ROADMAP,
    Field,
    Table,
    dictionary_rows,
)

__all__ = [
    "DICTIONARY_TABLE",
    "INDICATORS",
    "INDICATOR_COLUMNS",
    "KPIS",
    "PROJECTS",
    "ROADMAP",
    "Field",
    "Publication",
    "Table",
    "csv_bytes",
    "datapackage",
    "dictionary_rows",
    "flag_cell",
    "indicator_csv",
    "indicator_rows",
    "kpi_rows",
    "number_cell",
    "period_cells",
    "project_rows",
    "publication",
    "roadmap_rows",
    "text_cell",
    "time_axis",
]
