"""The printed progress report (.docx): A4, header and page numbers, a table of contents, and the
same figures as the deck in document form.

The body is written as WordprocessingML text and parsed once per block: python-docx's object
API costs milliseconds per table cell, which is minutes for a 1,000-project period (the same
lesson as the deck).  Styles come from the template (``templates/default.docx``), so the
secretariat's own template restyles the report; the Japanese fonts are set in those styles
(``w:eastAsia``), never on single runs.  Tables repeat their header row on every page
(``w:tblHeader``), rows never split across pages (``w:cantSplit``), numbers are right-aligned,
and every width is computed for the page's text width.  Deterministic like the deck.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENTATION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Mm, Pt
from lxml import etree

from aomori_dx.compute import IndicatorResult, KpiResult, Result, grid_spans
from aomori_dx.errors import TemplateError
from aomori_dx.format import clip, indicator_note, japanese_date, number, percent, points, value_with_unit
from aomori_dx.model import (
    ActivityEntry,
    Block,
    BulletList,
    Diagram,
    Figure,
    Paragraph,
    Project,
    Section,
    Table,
    diagram_of,
)
from aomori_dx.output import fix_core_properties, normalize_ooxml
from aomori_dx.parse import FiscalYear
from aomori_dx.render.layout import (
    GRID_YEARS,
    even_parts,
    line_breaks,
    text_lines,
    text_width,
    word_width,
)
from aomori_dx.resources import packaged_template

__all__ = ["DEFAULT_REPORT_TEMPLATE", "ReportOptions", "build_report"]

DEFAULT_REPORT_TEMPLATE = packaged_template("default.docx")

NS = nsdecls("w", "r", "wp", "a", "pic")
TWIPS_PER_MM = 56.6929
# Styles the report uses; built-in ones every Word document knows, and one of ours that is
# added to a template that lacks it.
BUILT_IN = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Header",
    "Footer",
    "Caption",
)
TABLE_TEXT = "Table Text"
TABLE_SIZE = 9.0  # pt: the Table Text style of the default template
CELL_PADDING_MM = 2 * 70 / TWIPS_PER_MM  # the tables' left and right cell margins
CELL_MARGINS_MM = CELL_PADDING_MM + 0.5  # and some slack, for the least width of a column
# Bold text is set in this character style: the heading face with its real bold weight.  BIZ UDP明朝
# (the body face) has no bold, so a bold run in the body's style would be synthesised smearing.
BOLD = "Gothic Bold"
BOLD_ID = "GothicBold"

MAIN, CHANGED, MUTED = "accent1", "accent6", "accent5"
HEX = {
    "accent1": "1F4E79",
    "accent4": "548235",
    "accent5": "7F7F7F",
    "accent6": "C00000",
    "bg1": "FFFFFF",
    "bg2": "EEF2F7",
}


@dataclass(frozen=True)
class ReportOptions:
    """The template, and optionally one font for all Japanese text (else the template's styles)."""

    template: Path = DEFAULT_REPORT_TEMPLATE
    font: str | None = None


# --- XML pieces ----------------------------------------------------------------------------


def _run(text: str, bold: bool = False, colour: str | None = None, size: float | None = None) -> str:
    props = ""
    if bold:
        props += f'<w:rStyle w:val="{BOLD_ID}"/>'
    if colour:
        props += f'<w:color w:val="{HEX.get(colour, "000000")}" w:themeColor="{_theme_name(colour)}"/>'
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    parts = []
    for index, line in enumerate(text.split("\n")):
        if index:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{escape(line)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _tinted(hex_colour: str, percent_white: int) -> str:
    """``hex_colour`` mixed with ``percent_white`` % white, as Word's theme tints do."""
    channels = [int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * percent_white / 100):02X}" for c in channels)


def _theme_name(colour: str) -> str:
    # ST_ThemeColor spells the background slots out.
    return {"bg1": "background1", "bg2": "background2"}.get(colour, colour)


def _para(
    runs: str,
    style: str | None = None,
    align: str | None = None,
    indent: tuple[float, float] | None = None,
    keep_next: bool = False,
    spacing: tuple[float, float] | None = None,
    page_break: bool | None = None,
) -> str:
    # Children of w:pPr in the order the schema requires (Word refuses other orders).
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if keep_next:
        props += "<w:keepNext/>"
    if page_break is not None:
        # False overrides a style's page break (the template's Heading 1 starts a new page).
        props += "<w:pageBreakBefore/>" if page_break else '<w:pageBreakBefore w:val="0"/>'

    if spacing is not None:
        props += f'<w:spacing w:before="{round(spacing[0] * 20)}" w:after="{round(spacing[1] * 20)}"/>'
    if indent is not None:
        left, hanging = indent
        props += f'<w:ind w:left="{round(left * TWIPS_PER_MM)}" w:hanging="{round(hanging * TWIPS_PER_MM)}"/>'
    if align:
        props += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


@dataclass
class Cell:
    """A table cell: paragraphs as XML, and how it spans and looks."""

    text: str = ""
    align: str | None = None
    bold: bool = False
    colour: str | None = None
    fill: str | None = None
    tint: int | None = None
    span: int = 1
    merge: str | None = None  # "restart" / "continue": vertical merge
    extra: str = ""  # more paragraphs (XML) after the text
    raw: str | None = None  # the whole content (XML), instead of text

    def xml(self, width: int, style: str, header: bool) -> str:
        shading = ""
        if self.fill:
            # w:fill carries the mixed colour for viewers that ignore theme tints (LibreOffice);
            # Word uses the theme colour and tint, so a branded template re-colours it.
            base = HEX.get(self.fill, "FFFFFF")
            tint = ""
            if self.tint:
                base = _tinted(base, self.tint)
                tint = f' w:themeFillTint="{round(255 * (100 - self.tint) / 100):02X}"'
            shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{base}" w:themeFill="{_theme_name(self.fill)}"{tint}/>'
        merge = (
            f'<w:vMerge w:val="{self.merge}"/>'
            if self.merge == "restart"
            else ("<w:vMerge/>" if self.merge else "")
        )
        span = f'<w:gridSpan w:val="{self.span}"/>' if self.span > 1 else ""
        props = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}{shading}<w:vAlign w:val="center"/></w:tcPr>'
        if self.raw is not None:
            return f"<w:tc>{props}{self.raw}</w:tc>"
        colour = self.colour or ("bg1" if header else None)
        run = _run(self.text, self.bold or header, colour) if self.text else ""
        body = _para(run, style, self.align or ("center" if header else None))
        return f"<w:tc>{props}{body}{self.extra}</w:tc>"


def _table(
    widths_mm: Sequence[float],
    header: Sequence[Cell] | None,
    rows: Iterable[Sequence[Cell]],
    style: str,
    header_fill: str = MAIN,
    borders: bool = True,
    phrase_rows: bool = False,
    keep_together: bool = False,
    keep_last: bool = False,
) -> str:
    """A fixed-layout table; the header row repeats on every page and no row splits.  Header
    cells (and with ``phrase_rows`` every cell) break their lines between phrases: Word and
    LibreOffice break Japanese between any two characters (「ステ / ージ」).  ``keep_together``
    keeps every row with the next (the table moves to the next page whole rather than leave a
    few rows behind); ``keep_last`` keeps the last row with the paragraph after the table too."""
    # Rounded at the column edges, not one by one, so the columns add up to the table's width.
    edges = [0, *(round(total * TWIPS_PER_MM) for total in itertools.accumulate(widths_mm))]
    widths = [b - a for a, b in itertools.pairwise(edges)]
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    lines = "".join(edge.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    border_xml = f"<w:tblBorders>{lines}</w:tblBorders>" if borders else ""
    parts = [
        f'<w:tbl {NS}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>{border_xml}'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="70" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="04A0" w:firstRow="{1 if header else 0}" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]

    def row(cells: Sequence[Cell], is_header: bool) -> str:
        props = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if is_header else "") + "</w:trPr>"
        out, column = [], 0
        for cell in cells:
            width = sum(widths[column : column + cell.span])
            if is_header and cell.fill is None:
                cell.fill = header_fill
            if (is_header or phrase_rows) and cell.text:
                cell.text = _phrased(cell.text, width / TWIPS_PER_MM, TABLE_SIZE * (1.05 if is_header else 1))
            out.append(cell.xml(width, style, is_header))
            column += cell.span
        return f"<w:tr>{props}{''.join(out)}</w:tr>"

    written = ([row(header, True)] if header else []) + [row(cells, False) for cells in rows]
    if keep_together:
        kept = f'<w:pPr><w:pStyle w:val="{style}"/><w:keepNext/>'
        last = len(written) if keep_last else len(written) - 1
        written[:last] = [xml.replace(f'<w:pPr><w:pStyle w:val="{style}"/>', kept) for xml in written[:last]]
    parts.extend(written)
    parts.append("</w:tbl>")
    return "".join(parts)


# --- the document --------------------------------------------------------------------------


class Report:
    """A document being written: blocks of XML appended before the final section properties."""

    def __init__(self, options: ReportOptions) -> None:
        if not options.template.is_file():
            raise TemplateError(f"テンプレートがありません: {options.template}")
        try:
            self.document = docx.Document(str(options.template))
        except Exception as exc:  # python-docx raises many kinds for a file that is not a document
            raise TemplateError(f"テンプレートを Word ファイルとして開けません: {options.template}") from exc
        self.body = self.document.element.body
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.styles = {name: self._style(name) for name in (*BUILT_IN, TABLE_TEXT, BOLD)}
        if options.font:
            self._set_font(options.font)
        self.pending: list[str] = []
        self.shape_id = 0
        self.text_width_mm = self._text_width()

    def _style(self, name: str) -> str:
        styles = self.document.styles
        try:
            return str(styles[name].style_id)
        except KeyError:
            if name == TABLE_TEXT:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Normal"]
                style.font.size = Pt(9)
                style.paragraph_format.space_after = Pt(0)
                return str(style.style_id)
            if name == BOLD:
                return self._add_bold_style()
            raise TemplateError(
                f"テンプレートにスタイル「{name}」がありません。Word でそのスタイルを一度使ってから保存してください。"
            ) from None

    def _add_bold_style(self) -> str:
        """The bold character style in the face of Heading 1, so that a template's own heading
        face (a Gothic with a real bold weight) is the one bold text uses."""
        style = self.document.styles.add_style(BOLD, WD_STYLE_TYPE.CHARACTER)
        style.style_id = BOLD_ID
        rpr = style.element.get_or_add_rPr()
        heading_fonts = self.document.styles["Heading 1"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if heading_fonts is not None:
            rpr.append(copy.deepcopy(heading_fonts))
        rpr.append(etree.Element(qn("w:b")))
        rpr.append(etree.Element(qn("w:bCs")))
        return BOLD_ID

    def _set_font(self, font: str) -> None:
        tocs = [f"toc {level}" for level in (1, 2, 3) if _style_exists(self.document, f"toc {level}")]
        for name in [*self.styles, *tocs]:
            rpr = self.document.styles[name].element.get_or_add_rPr()
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = etree.SubElement(rpr, qn("w:rFonts"))
                rpr.insert(0, fonts)
            for attribute in list(fonts.attrib):
                del fonts.attrib[attribute]
            for kind in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(kind), font)

    def _text_width(self) -> float:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.orientation = WD_ORIENTATION.PORTRAIT
        width = section.page_width - (section.left_margin or 0) - (section.right_margin or 0)
        return float(Emu(width).mm)

    def add(self, xml: str) -> None:
        self.pending.append(xml)
        if len(self.pending) >= 200:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        # One parse for many blocks: wrap them in a dummy body.
        wrapper = parse_xml(f"<w:body {NS}>{''.join(self.pending)}</w:body>")
        sect = self.body.find(qn("w:sectPr"))
        for child in list(wrapper):
            if sect is not None:
                sect.addprevious(child)
            else:
                self.body.append(child)
        self.pending = []

    def picture(self, figure: Figure, max_width_mm: float, max_height_mm: float = 90) -> str:
        rel_id, image = self.document.part.get_or_add_image(figure.path)
        width, height = image.width, image.height
        scale = min(1.0, Mm(max_width_mm) / width, Mm(max_height_mm) / height)
        self.shape_id += 1
        inline = CT_Inline.new_pic_inline(
            self.shape_id, rel_id, Path(figure.path).name, Emu(int(width * scale)), Emu(int(height * scale))
        )
        # The alternative text a screen reader and the tagged PDF give for the picture (JIS X 8341-3).
        inline.docPr.set("descr", figure.caption or Path(figure.path).stem)
        drawing = f"<w:r><w:drawing>{etree.tostring(inline).decode()}</w:drawing></w:r>"
        return _para(drawing, self.styles["Normal"], "center", keep_next=True)

    def save(self, stamp: dt.datetime, title: str, author: str) -> bytes:
        self.flush()
        # A template saved by Word 2010 (or made from python-docx's) carries a second copy of the
        # styles that no longer matches what the report added: Word would repair the file.
        # Word 2013 and later neither write nor need it (templates/make_templates.py drops it too).
        part = self.document.part
        legacy = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
        for rel_id, rel in list(part.rels.items()):
            if rel.reltype == legacy:
                part.drop_rel(rel_id)
        fix_core_properties(self.document.core_properties, stamp, clip(title), clip(author))
        buffer = io.BytesIO()
        self.document.save(buffer)
        app = {"Application": "aomori-dx", "Template": "", "Company": ""}
        return normalize_ooxml(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), app)


# --- sections of the report ----------------------------------------------------------------


def _h(report: Report, level: int, text: str, new_page: bool | None = None) -> None:
    # keepNext is also in the default template's heading styles; set here so that a template
    # without it still never leaves a heading at the foot of a page.
    # A chapter that follows on mid-page needs the room above it that a page top gives.
    spacing = (18.0, 10.0) if level == 1 and new_page is False else None
    report.add(
        _para(
            _run(text),
            report.styles[f"Heading {level}"],
            keep_next=True,
            spacing=spacing,
            page_break=new_page,
        )
    )


def _text(report: Report, text: str, colour: str | None = None, bold: bool = False) -> None:
    report.add(_para(_run(text, bold, colour), report.styles["Normal"]))


def _setup(report: Report, result: Result) -> None:
    meeting = result.period.meeting
    section = report.document.sections[0]
    section.different_first_page_header_footer = True
    number_text = f"第{meeting.number}回 " if meeting.number else ""
    # A running head is a reminder, not the content: long names are shortened with … here.
    title = f"{number_text}{clip(meeting.council, 40)}　{clip(meeting.period_label, 20)} 進捗状況報告"
    header = section.header
    header.is_linked_to_previous = False
    for paragraph in header.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    header._element.append(
        parse_xml(_para(_run(title), report.styles["Header"], "right").replace("<w:p>", f"<w:p {NS}>", 1))
    )
    footer = section.footer
    footer.is_linked_to_previous = False
    for paragraph in footer.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    page = (
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        '<w:r><w:t xml:space="preserve"> / </w:t></w:r>'
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    footer._element.append(
        parse_xml(_para(page, report.styles["Footer"], "center").replace("<w:p>", f"<w:p {NS}>", 1))
    )
    # Ask Word to update the fields (the table of contents, page counts) when the file is opened.
    settings = report.document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = etree.Element(qn("w:updateFields"))
        update.set(qn("w:val"), "true")
        # Schema order: updateFields comes before these, wherever the template has them.
        later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids")
        anchor = next((child for child in settings if child.tag in {qn(tag) for tag in later}), None)
        if anchor is not None:
            anchor.addprevious(update)
        else:
            settings.append(update)


def _cover(report: Report, result: Result) -> None:
    meeting = result.period.meeting
    plan = meeting.plan or meeting.council
    number_text = f"第{meeting.number}回 " if meeting.number else ""
    styles = report.styles
    report.add(_para("", styles["Normal"], spacing=(120, 0)))
    title = f"{meeting.period_label}\n{plan}進捗状況報告"
    report.add(_para(_run(title, size=_cover_size(report, title, "Title")), styles["Title"], "center"))
    when = japanese_date(meeting.date) if meeting.date else ""
    subtitle = f"{number_text}{meeting.council}\n{when}"
    size = _cover_size(report, subtitle, "Subtitle")
    report.add(_para(_run(subtitle, size=size), styles["Subtitle"], "center"))
    if meeting.tagline:
        report.add(_para(_run(meeting.tagline, colour=MAIN), styles["Subtitle"], "center", spacing=(60, 0)))
    if meeting.organizer:
        report.add(_para(_run(meeting.organizer), styles["Subtitle"], "center", spacing=(80, 0)))


def _cover_size(report: Report, text: str, style: str, most_lines: int = 4) -> float | None:
    """A smaller size for a cover text that would take more than ``most_lines`` lines at its
    style's size (a 300-character name would fill the page and push the cover onto a second)."""
    font_size = report.document.styles[style].font.size
    size = font_size.pt if font_size is not None else 24.0
    original = size
    while size > 10 and text_lines(text, report.text_width_mm / 25.4, size) > most_lines:
        size -= 1
    return None if size == original else size


def _toc(report: Report, result: Result) -> None:
    styles = report.styles
    report.add(_para(_run("目次", bold=True, size=16, colour=MAIN), styles["Normal"], page_break=True))
    # The field result is filled with the headings (without page numbers) so that the contents
    # read sensibly before the field is updated: Word updates it when the file is opened
    # (updateFields in _setup) and ``aomori_dx.pdf`` before it exports, both with page numbers.
    entries = [
        _para(
            _run(text),
            report.document.styles[f"toc {level}"].style_id
            if _has_style(report, f"toc {level}")
            else styles["Normal"],
        )
        for level, text in _outline(result)
    ]
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if entries:
        first = entries[0].replace("</w:pPr>", "</w:pPr>" + begin, 1)
        last_index = len(entries) - 1
        entries[0] = first
        entries[last_index] = entries[last_index].replace("</w:p>", end + "</w:p>")
        for entry in entries:
            report.add(entry)


def _has_style(report: Report, name: str) -> bool:
    return _style_exists(report.document, name)


def _style_exists(document: Any, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def _outline(result: Result) -> list[tuple[int, str]]:
    """The headings of levels 1–2, for the table of contents before Word fills it in."""
    items: list[tuple[int, str]] = []
    for number_, title, children in _chapters(result):
        items.append((1, f"{number_} {title}"))
        items.extend((2, child) for child in children)
    return items


def _chapters(result: Result) -> list[tuple[int, str, list[str]]]:
    period = result.period
    chapters: list[tuple[int, str, list[str]]] = []
    n = 0
    if period.goals:
        n += 1
        chapters.append((n, "基本目標", []))
    n += 1
    chapters.append((n, "目標達成状況（ダッシュボード）", [field.name for field in result.fields]))
    n += 1
    # KPIs by name only: the ids (K1…) are ours, the meeting material has none (inputs NOTES.md).
    chapters.append((n, "中間指標の状況", [kpi.kpi.name for kpi in result.kpis]))
    if period.cases:
        n += 1
        chapters.append((n, "代表的な事例", list(dict.fromkeys(case.field for case in period.cases))))
    if period.projects:
        n += 1
        roadmap = period.meeting.roadmap_title or "DX関連事業ロードマップ"
        featured = ["各分野の主な取組"] if result.roadmap.featured else []
        chapters.append((n, roadmap, [*featured, *dict.fromkeys(p.field for p in period.projects)]))
        if result.roadmap.featured:
            n += 1
            chapters.append(
                (
                    n,
                    "主な取組の詳細",
                    [f"No.{s.project.no} {s.project.name}" for s in result.roadmap.featured],
                )
            )
    if period.discussion.sections:
        n += 1
        chapters.append(
            (n, "ディスカッションのテーマ", [section.title for section in period.discussion.sections])
        )
    return chapters


def _goals(report: Report, result: Result, number_: int) -> None:
    period = result.period
    if period.meeting.goals_intro:
        _text(report, period.meeting.goals_intro)
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    widths = (width * 0.40, width * 0.17, width * 0.11, width * 0.10, width * 0.22)
    header = [Cell(text) for text in ("目標", "基準値", "基準年", "目標年", "出典")]
    rows = []
    for goal in period.goals:
        name = goal.name + (f"\n（{goal.description}）" if goal.description else "")
        baseline = value_with_unit(goal.baseline, goal.unit) if goal.baseline is not None else "—"
        rows.append(
            [
                Cell(name),
                Cell(baseline, "right"),
                Cell(goal.baseline_year or "—", "center"),
                Cell(goal.target_year or "—", "center"),
                Cell(goal.source),
            ]
        )
    report.add(_table(widths, header, rows, style))
    _text(report, "（基準値・目標値は資料に記載のあるもののみ）", colour=MUTED)


def _bar(rate: Decimal | None, width_mm: float, colour: str) -> str:
    """The rate as a bar drawn with the table itself: two shaded cells in proportion."""
    if rate is None:
        return _para("", None)
    share = max(0.0, min(1.0, float(rate) / 100))
    filled = max(1, round(width_mm * share * TWIPS_PER_MM))
    empty = max(1, round(width_mm * TWIPS_PER_MM) - filled)
    cells = (
        f'<w:tc><w:tcPr><w:tcW w:w="{filled}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" '
        f'w:fill="{HEX.get(colour, "1F4E79")}" w:themeFill="{colour}"/></w:tcPr><w:p/></w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{empty}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" '
        'w:fill="D9D9D9" w:themeFill="background1" w:themeFillShade="D9"/></w:tcPr><w:p/></w:tc>'
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{filled + empty}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{filled}"/><w:gridCol w:w="{empty}"/></w:tblGrid>'
        f'<w:tr><w:trPr><w:trHeight w:val="120" w:hRule="exact"/></w:trPr>{cells}</w:tr></w:tbl>'
        + '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
    )


def _dashboard(report: Report, result: Result, number_: int) -> None:
    meeting = result.period.meeting
    # The previous period by its label (令和5年度下半期), not by its folder name.
    basis = (
        f"{result.previous.meeting.period_label or result.previous.id}との比較"
        if result.previous
        else "前期のデータがないため前期差は「-」"
    )
    _text(
        report,
        f"{meeting.period_label}の達成状況です（基準日 {japanese_date(meeting.as_of, weekday=False) if meeting.as_of else '—'}、{basis}）。KPI は中間指標の達成率の単純平均、赤字は前期から変わった値です。",
    )
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    widths = (width * 0.30, width * 0.13, width * 0.20, width * 0.11, width * 0.26)
    for field in result.fields:
        _h(report, 2, field.name)
        header = [Cell("KPI"), Cell("達成率"), Cell("達成率（棒）"), Cell("前期差"), Cell("指標の構成要素")]
        rows = []
        for kpi in field.kpis:
            colour = CHANGED if kpi.changed else None
            bar = _bar(kpi.rate, widths[2] - 3, MAIN)
            rows.append(
                [
                    Cell(kpi.kpi.name, bold=True),
                    Cell(percent(kpi.rate), "right", True, colour),
                    Cell(raw=f"{bar}"),
                    Cell(points(kpi.delta), "right"),
                    Cell(kpi.kpi.components or "—"),
                ]
            )
        report.add(_table(widths, header, rows, style))


# The indicator table's header, each line a phrase that fits its column (the formulas go in the
# note under the table: 「(D/A)×100=E」 in a 15 mm column broke as 「×100= / E」).
INDICATOR_HEADER = (
    "中間指標名",
    "目標値\n(A)",
    "前期の値\n(B)",
    "前期の\n達成率\n(B/A)",
    "直近の値\n(D)",
    "直近の\n達成率\n(D/A)",
    "データの出所",
)
INDICATOR_SHARES = (39, 22, 21, 15, 22, 15, 36)
INDICATOR_NOTE = "※ 達成率 ＝ 値 ÷ 目標値 × 100（前期の達成率 ＝ B ÷ A × 100、直近の達成率 ＝ D ÷ A × 100）"
LEAST_TEXT_COLUMNS_MM = 50.0  # name and source together, however long the numbers


ROWS_KEPT_TOGETHER = 40  # one-line roadmap rows: what a page holds with a heading, and room
SHORT_LABEL = 6  # characters: a label this short is kept on one line whole


def _least_mm(text: str, size: float) -> float:
    """The narrowest a column may be for ``text``: its widest phrase, or the whole of a short
    line (BudouX would part 「育成年数」 as 「育 / 成年数」)."""
    return max(
        (text_width(line, size) if len(line) <= SHORT_LABEL else word_width(line, size)) * 25.4
        for line in text.split("\n")
    )


def _phrased(text: str, width_mm: float, size: float) -> str:
    """``text`` with line breaks between phrases where a cell ``width_mm`` wide would wrap it."""
    inner = (width_mm - CELL_PADDING_MM) / 25.4
    return "\n".join(line for part in text.split("\n") for line in line_breaks(part, inner, size))


def _fitted(preferred: Sequence[float], least: Sequence[float], total: float) -> list[float]:
    """``preferred`` widths changed so that each column is at least ``least`` wide (its widest
    word: a header or a figure never breaks inside), taking the room from the columns that
    have some to spare; all scaled down when even the least widths do not fit ``total``."""
    if sum(least) >= total:
        return [width * total / sum(least) for width in least]
    short = sum(max(0.0, need - width) for width, need in zip(preferred, least, strict=True))
    spare = [max(0.0, width - need) for width, need in zip(preferred, least, strict=True)]
    return [
        max(width, need) - short * room / sum(spare)
        for width, need, room in zip(preferred, least, spare, strict=True)
    ]


def _indicator_texts(item: IndicatorResult) -> list[list[tuple[str, float]]]:
    """What each column of an indicator row prints, with its size in pt, to measure."""
    indicator = item.indicator
    period = {
        "previous": indicator.previous_period.text if indicator.previous_period else "",
        "latest": indicator.latest_period.text if indicator.latest_period else "",
    }
    return [
        [],
        [(value_with_unit(indicator.target, indicator.unit), TABLE_SIZE)],
        [(value_with_unit(indicator.previous, indicator.unit), TABLE_SIZE), (f"({period['previous']})", 8)],
        [(percent(item.previous_rate), TABLE_SIZE)],
        [
            (value_with_unit(indicator.latest, indicator.unit), TABLE_SIZE),
            (f"({period['latest']})", 8),
            (indicator_note(indicator), 7.5),
        ],
        [(percent(item.latest_rate), TABLE_SIZE)],
        [],
    ]


def _indicator_widths(width: float, kpis: Sequence[KpiResult]) -> list[float]:
    """Column widths shared by every indicator table: a number with its unit and each header
    phrase fit their column whole (measured generously, see layout), and the name and source
    columns share what is left."""
    least = [_least_mm(text, TABLE_SIZE * 1.05) for text in INDICATOR_HEADER]
    for kpi in kpis:
        for item in kpi.indicators:
            for column, texts in enumerate(_indicator_texts(item)):
                for text, size in texts:
                    least[column] = max(least[column], word_width(text, size) * 25.4)
    preferred = [share * width / sum(INDICATOR_SHARES) for share in INDICATOR_SHARES]
    flexible = (0, 6)
    fixed = {i: max(preferred[i], least[i] + CELL_MARGINS_MM) for i in range(7) if i not in flexible}
    room = width - sum(fixed.values())
    if room < LEAST_TEXT_COLUMNS_MM:
        # Hostile numbers: the figures give way (they wrap) before the names become unreadable.
        scale = (width - LEAST_TEXT_COLUMNS_MM) / sum(fixed.values())
        fixed = {i: w * scale for i, w in fixed.items()}
        room = LEAST_TEXT_COLUMNS_MM
    shares = sum(preferred[i] for i in flexible)
    return [fixed[i] if i in fixed else room * preferred[i] / shares for i in range(7)]


def _indicator_table(report: Report, kpi: KpiResult, widths: Sequence[float]) -> None:
    style = report.styles[TABLE_TEXT]
    header = [Cell(text) for text in INDICATOR_HEADER]
    rows = [_indicator_row(item, style) for item in kpi.indicators]
    report.add(_table(widths, header, rows, style))
    colour = CHANGED if kpi.changed else MAIN
    report.add(
        _para(
            _run(f"KPI {percent(kpi.rate)}（達成率の単純平均）", True, colour, 12),
            report.styles["Normal"],
            "right",
            spacing=(4, 2),
        )
    )
    report.add(_para(_run(INDICATOR_NOTE, colour=MUTED, size=8), report.styles["Normal"], spacing=(0, 10)))


def _indicator_row(item: IndicatorResult, style: str) -> list[Cell]:
    indicator = item.indicator
    changed = set(item.changed_fields) | ({"target", "previous", "latest"} if item.new else set())
    previous_changed = bool(changed & {"previous", "previous_period"})
    latest_changed = bool(changed & {"latest", "latest_period"})
    target_changed = bool(changed & {"target", "unit"})

    def value(amount: Decimal | None, period: str, note: str, is_changed: bool) -> Cell:
        extra = ""
        if period:
            extra += _para(
                _run(f"({period})", colour=CHANGED if is_changed else MUTED, size=8), style, "right"
            )
        if note:
            extra += _para(_run(note, colour=MUTED, size=7.5), style)
        return Cell(
            value_with_unit(amount, indicator.unit),
            "right",
            colour=CHANGED if is_changed else None,
            extra=extra,
        )

    return [
        Cell(indicator.name),
        Cell(
            value_with_unit(indicator.target, indicator.unit),
            "right",
            colour=CHANGED if target_changed else None,
        ),
        value(
            indicator.previous,
            indicator.previous_period.text if indicator.previous_period else "",
            "",
            previous_changed,
        ),
        Cell(
            percent(item.previous_rate),
            "right",
            colour=CHANGED if previous_changed or target_changed else None,
        ),
        value(
            indicator.latest,
            indicator.latest_period.text if indicator.latest_period else "",
            indicator_note(indicator),
            latest_changed,
        ),
        Cell(
            percent(item.latest_rate), "right", colour=CHANGED if latest_changed or target_changed else None
        ),
        Cell(indicator.source),
    ]


def _indicators(report: Report, result: Result, number_: int, progress: Callable[[str], None]) -> None:
    widths = _indicator_widths(report.text_width_mm, result.kpis)
    for kpi in result.kpis:
        progress(f"中間指標 {kpi.kpi.name}")
        _h(report, 2, kpi.kpi.name)
        line = f"分野: {kpi.kpi.field}" + (
            f"　【指標の構成要素】{kpi.kpi.components}" if kpi.kpi.components else ""
        )
        report.add(_para(_run(line, colour=MUTED), report.styles["Normal"], keep_next=True))
        _indicator_table(report, kpi, widths)


# --- narrative -----------------------------------------------------------------------------


def _blocks(report: Report, blocks: Iterable[Block]) -> None:
    style = report.styles["Normal"]
    for block in blocks:
        if isinstance(block, Paragraph):
            report.add(_para(_run(block.text), style))
        elif isinstance(block, BulletList):
            for bullet in block.items:
                _bullet(report, bullet, 1)
        elif isinstance(block, Table):
            _small_table(report, block)
        elif isinstance(block, Figure) and block.path:
            # A picture that is not there (validate reports it once as missing-image) leaves
            # nothing behind: a caption alone would stand for a picture the reader cannot see.
            report.add(report.picture(block, report.text_width_mm * 0.8))
            if block.caption:
                report.add(_para(_run(block.caption), report.styles["Caption"], "center"))


def _bullet(report: Report, bullet: Any, depth: int) -> None:
    mark = "・" if depth == 1 else "－"
    report.add(_para(_run(mark + bullet.text), report.styles["Normal"], indent=(4.5 * depth, 3.5)))
    for child in bullet.children:
        _bullet(report, child, depth + 1)


def _small_table(report: Report, table: Table, title: str = "") -> None:
    style = report.styles[TABLE_TEXT]
    if title:
        report.add(_para(_run(title, True), report.styles["Caption"], keep_next=True))
    table = _without_empty_columns(table)
    columns = max(1, len(table.header))
    lengths = [
        max([len(table.header[i]), *(len(row[i]) for row in table.rows if i < len(row))]) + 2
        for i in range(columns)
    ]
    total = report.text_width_mm
    least = [
        max(
            [_least_mm(table.header[i], TABLE_SIZE * 1.05)]
            + [_least_mm(row[i], TABLE_SIZE) for row in table.rows if i < len(row)]
        )
        + CELL_MARGINS_MM
        for i in range(columns)
    ]
    widths = _fitted([total * n / sum(lengths) for n in lengths], least, total)

    def align(text: str) -> str | None:
        return (
            "right"
            if text and (text[0].isdigit() or text[0] in "約▲-") and any(c.isdigit() for c in text)
            else None
        )

    rows = [
        [Cell(cell, align(cell)) for cell in row] + [Cell() for _ in range(columns - len(row))]
        for row in table.rows
    ]
    report.add(_table(widths, [Cell(h) for h in table.header], rows, style, phrase_rows=True))
    report.add(_para("", report.styles["Normal"]))


def _diagram(report: Report, diagram: Diagram) -> None:
    """The fields as columns and the bands that cross them as rows spanning every column, as the
    material draws it (written as a table, its cells would all be empty)."""
    if diagram.caption:
        report.add(_para(_run(diagram.caption), report.styles["Caption"], keep_next=True))
    columns = max(1, len(diagram.columns))
    widths = [report.text_width_mm / columns] * columns
    rows = [[Cell(band, "center", fill=MAIN, tint=75, span=columns)] for band in diagram.bands]
    report.add(_table(widths, [Cell(name) for name in diagram.columns], rows, report.styles[TABLE_TEXT]))
    report.add(_para("", report.styles["Normal"]))


def _without_empty_columns(table: Table) -> Table:
    """``table`` without the columns that are empty on every row (a header alone says nothing)."""
    if not table.rows:
        return table
    kept = [
        index
        for index in range(len(table.header))
        if any(index < len(row) and row[index].strip() for row in table.rows)
    ]
    if not kept:
        return replace(table, rows=())
    if len(kept) == len(table.header):
        return table
    return replace(
        table,
        header=tuple(table.header[i] for i in kept),
        rows=tuple(tuple(row[i] for i in kept if i < len(row)) for row in table.rows),
    )


def _sections(report: Report, sections: Iterable[Section], level: int) -> None:
    for section in sections:
        diagram = diagram_of(section)
        if diagram is not None:
            _diagram(report, diagram)
            _sections(report, section.children, level + 1)
            continue
        tables = [block for block in section.blocks if isinstance(block, Table)]
        if len(tables) == len(section.blocks) == 1 and not section.children and level > 3:
            _small_table(report, tables[0], section.title)
            continue
        if level <= 3:
            _h(report, level, section.title)
        else:
            report.add(_para(_run(section.title, True), report.styles["Normal"], keep_next=True))
        _blocks(report, section.blocks)
        _sections(report, section.children, level + 1)


def _cases(report: Report, result: Result, number_: int) -> None:
    meeting = result.period.meeting
    if meeting.as_of:
        _text(
            report, f"{meeting.as_of.year}年{meeting.as_of.month}月末までの代表的な事例です。", colour=MUTED
        )
    for field_name in dict.fromkeys(case.field for case in result.period.cases):
        _h(report, 2, field_name)
        for case in result.period.cases:
            if case.field != field_name:
                continue
            _h(report, 3, case.title)
            _blocks(report, case.blocks)
            _sections(report, case.sections, 4)


def _roadmap(report: Report, result: Result, number_: int) -> None:
    period = result.period
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    # A 担当課等 column only when every project has one; else the few known go after the name,
    # as the material's list of main projects prints them (a column empty on most rows is noise).
    by_column = all(p.division for p in period.projects)
    widths = (
        (width * 0.22, width * 0.07, width * 0.53, width * 0.18)
        if by_column
        else (width * 0.22, width * 0.07, width * 0.71)
    )
    headers = ["項目", "No.", "事業名", *(["担当課等"] if by_column else [])]
    _featured_list(report, result)
    for field_name in dict.fromkeys(p.field for p in period.projects):
        statuses = [s for s in result.roadmap.projects if s.project.field == field_name]
        _h(report, 2, f"{field_name}（{len(statuses)}事業）")
        rows: list[list[Cell]] = []
        previous = None
        ordered = [s for s in statuses if not s.project.reference] + [
            s for s in statuses if s.project.reference
        ]
        for index, status in enumerate(ordered):
            project = status.project
            category = "（参考事業）" if project.reference else project.category
            following = ordered[index + 1] if index + 1 < len(ordered) else None
            next_category = None
            if following is not None:
                next_category = "（参考事業）" if following.project.reference else following.project.category
            if category == previous:
                merge = "continue"
            elif category == next_category:
                merge = "restart"
            else:
                merge = None
            is_featured = project.featured is not None
            name = project.name
            if not by_column and project.division:
                name += f"（{project.division}）"
            cells = [
                Cell(category if merge != "continue" else "", merge=merge),
                Cell(str(project.no), "right"),
                Cell(name, bold=is_featured, colour=MAIN if is_featured else None),
            ]
            if by_column:
                cells.append(Cell(project.division))
            rows.append(cells)
            previous = category
        # A field's list on one page, as on the material's slides (and never a few rows left
        # alone before the project sheets' new page); a list longer than a page splits.
        fits = len(rows) <= ROWS_KEPT_TOGETHER
        noted = any(s.project.featured is not None for s in statuses)
        header_cells = [Cell(text) for text in headers]
        report.add(_table(widths, header_cells, rows, style, keep_together=fits, keep_last=fits and noted))
        if noted:
            _text(report, "太字は各分野の主な取組です。", colour=MUTED)


def _featured_list(report: Report, result: Result) -> None:
    """各分野の主な取組, kept on one page.  It opens the chapter, before the long tables: the
    chapter then ends with a table (which splits by rows), not with a list whose last lines
    alone would make a page before the project sheets' new page."""
    featured = result.roadmap.featured
    period = result.period
    if featured:
        _h(report, 2, "各分野の主な取組")
        lines: list[tuple[str, bool]] = []
        for field_name in period.fields:
            chosen = [s for s in featured if s.project.field == field_name]
            if chosen:
                lines.append((f"【{field_name}】", True))
            for status in chosen:
                project = status.project
                division = f"（{project.division}）" if project.division else ""
                lines.append((f"{project.featured}. {project.name}{division}", False))
        for index, (text, is_field) in enumerate(lines):
            run = _run(text, True, MAIN) if is_field else _run(text)
            report.add(_para(run, report.styles["Normal"], keep_next=index < len(lines) - 1))


def _fiscal(year: FiscalYear | None, open_label: str = "未定") -> str:
    return year.era_label if year is not None else open_label


def _project_header(report: Report, result: Result, project: Project) -> None:
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    widths = [w * width / 170 for w in (16, 26, 18, 26, 18, 24, 16, 26)]
    year = result.period.meeting.fiscal_year.era_label if result.period.meeting.fiscal_year else ""
    budget = number(project.budget) if project.budget is not None else "—"
    if project.budget_original is not None:
        # Broken between phrases here: Word and LibreOffice would part the figure (「1,000,0 / 00」).
        budget += "\n" + _phrased(f"（当初 {number(project.budget_original)}）", widths[3], TABLE_SIZE)

    def label(text: str) -> Cell:
        return Cell(text, fill="bg2", bold=True)

    rows = [
        [label("No."), Cell(str(project.no)), label("分野"), Cell(project.field), label("項目"),
         Cell(project.category or "—"), label("担当部局"), Cell(project.department or "—")],
        [label("担当課等"), Cell(project.division or "—"), label(f"{year}事業費\n(千円)"), Cell(budget, "right"),
         label("事業始期"), Cell(_fiscal(project.start, "—")), label("事業終期"), Cell(_fiscal(project.end))],
        [label("事業名"), Cell(project.name, span=7)],
        [label("概要"), Cell(project.summary or "—", span=7)],
    ]  # fmt: skip
    report.add(_table(widths, None, rows, style))


def _grid(report: Report, result: Result, project: Project) -> None:
    entries = list(result.period.activities_of(project.no))
    years = list(result.period.meeting.roadmap_years)
    if not years:
        years = sorted({FiscalYear(y) for e in entries for y in range(e.first.year, e.last.year + 1)})
    if not entries or not years:
        return
    # A long roadmap in parts of at most GRID_YEARS years (25 columns would be 5 mm each on A4);
    # a later part shows only the activities with something in its years, as in the deck.
    for index, part in enumerate(even_parts(years, GRID_YEARS)):
        shown = entries if index == 0 else [e for e in entries if e.first <= part[-1] and e.last >= part[0]]
        if shown:
            _grid_part(report, shown, list(part))
    report.add(
        _para(
            _run("色つきのセルが取組の期間（計画・実績）です。", colour=MUTED, size=8),
            report.styles["Normal"],
        )
    )


def _grid_part(report: Report, entries: Sequence[ActivityEntry], years: list[FiscalYear]) -> None:
    style = report.styles[TABLE_TEXT]
    width = report.text_width_mm
    name_w, kind_w = width * 0.22, width * 0.07
    year_w = (width - name_w - kind_w) / len(years)
    widths = [name_w, kind_w, *([year_w] * len(years))]
    header = [Cell("取組"), Cell("区分"), *(Cell(year.era_label) for year in years)]
    rows: list[list[Cell]] = []
    for activity in dict.fromkeys(e.activity for e in entries):
        for kind, label, colour in (("plan", "計画", "accent1"), ("actual", "実績", "accent4")):
            spans = grid_spans([e for e in entries if e.activity == activity and e.kind == kind])
            spans = [
                (max(first, years[0]), min(last, years[-1]), text)
                for first, last, text in spans
                if first <= years[-1] and last >= years[0]
            ]
            cells = [Cell(activity if kind == "plan" else "", merge="restart" if kind == "plan" else "continue"),
                     Cell(label, "center", True)]  # fmt: skip
            position = 0
            for first, last, text in spans:
                if first not in years:
                    continue
                start = years.index(first)
                end = years.index(last) if last in years else len(years) - 1
                cells.extend(Cell() for _ in range(start - position))
                cells.append(Cell(text, span=end - start + 1, fill=colour, tint=75))
                position = end + 1
            cells.extend(Cell() for _ in range(len(years) - position))
            rows.append(cells)
    report.add(_table(widths, header, rows, style))


def _projects(report: Report, result: Result, number_: int, progress: Callable[[str], None]) -> None:
    for index, status in enumerate(result.roadmap.featured):
        project = status.project
        progress(f"事業 No.{project.no}")
        division = f"（{project.division}）" if project.division else ""
        # Each project's sheet starts on a page of its own, as the meeting material does.
        _h(report, 2, f"No.{project.no} {project.name}{division}", new_page=index > 0)
        _project_header(report, result, project)
        report.add(_para("", report.styles["Normal"]))
        _grid(report, result, project)
        sheet = result.period.sheet(project.no)
        if sheet is not None:
            _blocks(report, sheet.blocks)
            _sections(report, sheet.sections, 3)


def _discussion(report: Report, result: Result, number_: int) -> None:
    document = result.period.discussion
    for section in document.sections:
        _h(report, 2, section.title)
        _blocks(report, section.blocks)
        _sections(report, section.children, 3)


def build_report(
    result: Result, options: ReportOptions | None = None, progress: Callable[[str], None] | None = None
) -> bytes:
    """The report as bytes (deterministic for the same inputs, template and font)."""
    report = Report(options or ReportOptions())
    step = progress or (lambda _: None)
    _setup(report, result)
    step("表紙・目次")
    _cover(report, result)
    _toc(report, result)
    for index, (number_, title, _) in enumerate(_chapters(result)):
        step(title)
        # A new page for the first chapter and for the project sheets (one page each, as in the
        # meeting material); the other chapters follow on, so that no page carries only the last
        # few lines of a chapter.  Headings keep with what follows them.
        _h(report, 1, f"{number_} {title}", new_page=index == 0 or title == "主な取組の詳細")
        if title == "基本目標":
            _goals(report, result, number_)
        elif title.startswith("目標達成状況"):
            _dashboard(report, result, number_)
        elif title == "中間指標の状況":
            _indicators(report, result, number_, step)
        elif title == "代表的な事例":
            _cases(report, result, number_)
        elif title == "主な取組の詳細":
            _projects(report, result, number_, step)
        elif title == "ディスカッションのテーマ":
            _discussion(report, result, number_)
        else:
            _roadmap(report, result, number_)
    meeting = result.period.meeting
    day = meeting.date or dt.date(2000, 1, 1)
    stamp = dt.datetime(day.year, day.month, day.day)
    plan = meeting.plan or meeting.council
    return report.save(
        stamp, f"{meeting.period_label} {plan}進捗状況報告", meeting.organizer or meeting.council
    )
