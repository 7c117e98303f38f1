"""The only module of the report that knows python-docx and WordprocessingML: runs, paragraphs,
tables, the rate bar, pictures, the running head and page numbers, the contents field, the
template's styles and fonts, and saving.

The body is written as WordprocessingML text and parsed once per block: python-docx's object
API costs milliseconds per table cell, which is minutes for a 1,000-project period (the same
lesson as the deck).  Styles come from the template (``templates/default.docx``), so the
secretariat's own template restyles the report; the Japanese fonts are set in those styles
(``w:eastAsia``), never on single runs.  Tables repeat their header row on every page
(``w:tblHeader``), rows never split across pages (``w:cantSplit``).  The chapters hand this
module text, sizes and colour roles; they never write XML themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

from aomori_dx.errors import TemplateError
from aomori_dx.format import clip
from aomori_dx.model import Figure
from aomori_dx.output import fix_core_properties, normalize_ooxml
from aomori_dx.render.report.fit import TABLE_SIZE, TWIPS_PER_MM, phrased
from aomori_dx.render.views import ACTUAL_COLOUR, CHANGED_COLOUR, PLAN_COLOUR, clamped_share
from aomori_dx.resources import packaged_template

DEFAULT_REPORT_TEMPLATE = packaged_template("default.docx")

NS = nsdecls("w", "r", "wp", "a", "pic")
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
# Bold text is set in this character style: the heading face with its real bold weight.  BIZ UDP明朝
# (the body face) has no bold, so a bold run in the body's style would be synthesised smearing.
BOLD = "Gothic Bold"
BOLD_ID = "GothicBold"

# Theme slots: headings and emphasis, notes, and the roles the views declare (changed values,
# the plan/actual grid).  The hex is the default template's colour, for viewers without themes.
MAIN, MUTED, CHANGED = "accent1", "accent5", CHANGED_COLOUR.theme
HEX = {
    MAIN: "1F4E79",
    MUTED: "7F7F7F",
    "bg1": "FFFFFF",
    "bg2": "EEF2F7",
    **{role.theme: role.hex for role in (PLAN_COLOUR, ACTUAL_COLOUR, CHANGED_COLOUR)},
}


@dataclass(frozen=True)
class ReportOptions:
    """The template, and optionally one font for all Japanese text (else the template's styles)."""

    template: Path = DEFAULT_REPORT_TEMPLATE
    font: str | None = None


# --- XML pieces ----------------------------------------------------------------------------


def run(text: str, bold: bool = False, colour: str | None = None, size: float | None = None) -> str:
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


def para(
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
        text = run(self.text, self.bold or header, colour) if self.text else ""
        body = para(text, style, self.align or ("center" if header else None))
        return f"<w:tc>{props}{body}{self.extra}</w:tc>"


def table(
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
                cell.text = phrased(cell.text, width / TWIPS_PER_MM, TABLE_SIZE * (1.05 if is_header else 1))
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


def bar(rate: Decimal | None, width_mm: float, colour: str) -> str:
    """The rate as a bar drawn with the table itself: two shaded cells in proportion."""
    if rate is None:
        return para("", None)
    share = float(clamped_share(rate)) / 100
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

    def style_size(self, name: str) -> float | None:
        """The font size (pt) of the template's style ``name``, if it sets one."""
        font_size = self.document.styles[name].font.size
        return font_size.pt if font_size is not None else None

    def heading(self, level: int, text: str, new_page: bool | None = None) -> None:
        # keepNext is also in the default template's heading styles; set here so that a template
        # without it still never leaves a heading at the foot of a page.
        # A chapter that follows on mid-page needs the room above it that a page top gives.
        spacing = (18.0, 10.0) if level == 1 and new_page is False else None
        self.add(
            para(
                run(text),
                self.styles[f"Heading {level}"],
                keep_next=True,
                spacing=spacing,
                page_break=new_page,
            )
        )

    def text(self, text: str, colour: str | None = None, bold: bool = False) -> None:
        self.add(para(run(text, bold, colour), self.styles["Normal"]))

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
        return para(drawing, self.styles["Normal"], "center", keep_next=True)

    def pages(self, running_head: str) -> None:
        """The running head on every page but the cover, page numbers (「3 / 12」) in the footer, and
        Word asked to update the fields (contents, page counts) when the file is opened."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        for paragraph in header.paragraphs:
            paragraph._p.getparent().remove(paragraph._p)
        header._element.append(
            parse_xml(
                para(run(running_head), self.styles["Header"], "right").replace("<w:p>", f"<w:p {NS}>", 1)
            )
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
            parse_xml(para(page, self.styles["Footer"], "center").replace("<w:p>", f"<w:p {NS}>", 1))
        )
        settings = self.document.settings.element
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

    def contents(self, outline: Sequence[tuple[int, str]]) -> None:
        """The table of contents field, its result filled with the headings (without page numbers)
        so that the contents read sensibly before the field is updated: Word updates it when the
        file is opened (``pages``) and ``aomori_dx.pdf`` before it exports, both with page numbers."""
        entries = [
            para(
                run(text),
                self.document.styles[f"toc {level}"].style_id
                if _style_exists(self.document, f"toc {level}")
                else self.styles["Normal"],
            )
            for level, text in outline
        ]
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if entries:
            entries[0] = entries[0].replace("</w:pPr>", "</w:pPr>" + begin, 1)
            entries[-1] = entries[-1].replace("</w:p>", end + "</w:p>")
            for entry in entries:
                self.add(entry)

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


def _style_exists(document: Any, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True
