"""The meeting deck (.pptx) in the order and format of the meeting material.

Reads only the computed ``Result`` (and the period's narrative) and a template.  Every text run
gets both its Latin and its East Asian font (python-pptx sets only the Latin one, and macOS,
LibreOffice and Google Slides then show Japanese in the wrong face).  Colours are the template's
theme colours (accent1 main, accent2–4 fields, accent5 muted, accent6 changed values), so a
branded template re-colours the deck.  Nothing overflows: text is measured (``layout``) and
long tables and text continue on the next slide with the header repeated and （続き）.
The file is deterministic: fixed core properties and zip times (``output.normalize_ooxml``).
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import math
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.image import Image as PptxImage
from pptx.parts.slide import SlidePart
from pptx.util import Inches

from aomori_dx.compute import IndicatorResult, KpiResult, ProjectStatus, Result, grid_spans
from aomori_dx.errors import TemplateError
from aomori_dx.format import clip, indicator_note, japanese_date, number, percent, points, value_with_unit
from aomori_dx.model import (
    ActivityEntry,
    Block,
    BulletList,
    Document,
    Figure,
    Paragraph,
    Project,
    Section,
    Table,
)
from aomori_dx.output import fix_core_properties, normalize_ooxml
from aomori_dx.parse import FiscalYear
from aomori_dx.render.layout import (
    GRID_YEARS,
    LINE_SPACING,
    even_parts,
    paginate,
    split_text,
    text_height,
    text_lines,
    text_width,
)

__all__ = [
    "DEFAULT_FONT",
    "DEFAULT_TEMPLATE",
    "BuiltDeck",
    "DeckOptions",
    "build_deck",
    "layout_names",
    "render_deck",
]

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "default.pptx"
DEFAULT_FONT = "BIZ UDPGothic"

# Layouts by role, with the names PowerPoint gives them in English and in Japanese.
LAYOUTS = {
    "cover": ("Title Slide", "タイトル スライド"),
    "content": ("Title Only", "タイトルのみ"),
}

EMU_PER_INCH = 914400
CONTINUED = "（続き）"
SLIDE_W = 13.333
SLIDE_H = 7.5
MARGIN = 0.4
TOP = 1.05  # below the title
BOTTOM = SLIDE_H - 0.35
CONTENT_W = SLIDE_W - 2 * MARGIN

A_P, A_PPR, A_R, A_RPR, A_T = (qn(t) for t in ("a:p", "a:pPr", "a:r", "a:rPr", "a:t"))
A_SPCBEF, A_SPCPTS, A_BUFONT, A_BUCHAR = (qn(t) for t in ("a:spcBef", "a:spcPts", "a:buFont", "a:buChar"))
A_SOLIDFILL, A_SCHEMECLR, A_ENDPARARPR = (qn(t) for t in ("a:solidFill", "a:schemeClr", "a:endParaRPr"))
A_LATIN, A_EA, A_CS = (qn(t) for t in ("a:latin", "a:ea", "a:cs"))
A_TABLESTYLEID, A_GRIDCOL, A_TR, A_TC = (qn(t) for t in ("a:tableStyleId", "a:gridCol", "a:tr", "a:tc"))
A_TXBODY, A_TCPR, A_TBL = qn("a:txBody"), qn("a:tcPr"), qn("a:tbl")
# PowerPoint's built-in "No Style, Table Grid".
PLAIN_TABLE_STYLE = "{5940675A-B579-460E-94D1-54222C63F5DA}"
CELL_MARGIN_X = str(int(Inches(0.05)))
CELL_MARGIN_Y = str(int(Inches(0.03)))
ALIGN = {PP_ALIGN.LEFT: "l", PP_ALIGN.CENTER: "ctr", PP_ALIGN.RIGHT: "r", PP_ALIGN.JUSTIFY: "just"}
THEME_NAMES = {
    MSO_THEME_COLOR.ACCENT_1: "accent1",
    MSO_THEME_COLOR.ACCENT_2: "accent2",
    MSO_THEME_COLOR.ACCENT_3: "accent3",
    MSO_THEME_COLOR.ACCENT_4: "accent4",
    MSO_THEME_COLOR.ACCENT_5: "accent5",
    MSO_THEME_COLOR.ACCENT_6: "accent6",
    MSO_THEME_COLOR.TEXT_1: "tx1",
    MSO_THEME_COLOR.TEXT_2: "tx2",
    MSO_THEME_COLOR.BACKGROUND_1: "bg1",
    MSO_THEME_COLOR.BACKGROUND_2: "bg2",
}

MAIN = MSO_THEME_COLOR.ACCENT_1
MUTED = MSO_THEME_COLOR.ACCENT_5
CHANGED = MSO_THEME_COLOR.ACCENT_6
FIELD_COLOURS = (MSO_THEME_COLOR.ACCENT_2, MSO_THEME_COLOR.ACCENT_3, MSO_THEME_COLOR.ACCENT_4)
TEXT = MSO_THEME_COLOR.TEXT_1


@dataclass(frozen=True)
class DeckOptions:
    """What the user can choose: the template and the font."""

    template: Path = DEFAULT_TEMPLATE
    font: str | None = None


@dataclass(frozen=True)
class BuiltDeck:
    """The deck's bytes and the layout warnings: text that had to be cut to fit its slide, each
    naming the slide by number and title (``スライド 12「…」: …``)."""

    data: bytes
    warnings: tuple[str, ...]


@dataclass
class Run:
    """A piece of text with its look."""

    text: str
    size: float = 12
    bold: bool = False
    colour: MSO_THEME_COLOR | None = None


@dataclass
class Para:
    """A paragraph: runs, alignment, bullet depth (0 = no bullet)."""

    runs: list[Run]
    align: PP_ALIGN | None = None
    bullet: int = 0
    space_before: float = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def size(self) -> float:
        return max((run.size for run in self.runs), default=12)


def layout_names(template: Path) -> list[str]:
    """The layout names of a template (for messages)."""
    return [layout.name for layout in Presentation(str(template)).slide_layouts]


# --- the builder ---------------------------------------------------------------------------


class Deck:
    """A presentation being filled slide by slide."""

    def __init__(self, options: DeckOptions) -> None:
        if not options.template.is_file():
            raise TemplateError(f"テンプレートがありません: {options.template}")
        try:
            self.prs = Presentation(str(options.template))
        except Exception as exc:  # python-pptx raises many kinds for a file that is not a deck
            raise TemplateError(
                f"テンプレートを PowerPoint ファイルとして開けません: {options.template}"
            ) from exc
        self._drop_existing_slides()
        self._count_part_names()
        # Slide ids start at 256 (ECMA-376); the existing ones were dropped.
        self._slide_id = 255
        self._slide_count = 0
        # Slide number and title by slide part name, for warnings that name the slide.
        self._names: dict[str, tuple[int, str]] = {}
        self._warned: list[tuple[int, int, str, str]] = []  # first and last slide, title, problem
        self.layouts = {role: self._layout(role, options.template) for role in LAYOUTS}
        self.font = options.font or self._theme_font() or DEFAULT_FONT
        self.prs.slide_width = Inches(SLIDE_W)
        self.prs.slide_height = Inches(SLIDE_H)

    def _count_part_names(self) -> None:
        """Give new parts (charts and their workbooks) names from a counter.

        python-pptx's ``next_partname`` collects the names of every part in the package for each
        new chart (twice: the chart and its workbook), which grows with the deck; the names are
        taken once here and then counted (the known quadratic cost of charts in python-pptx).
        """
        package = self.prs.part.package
        taken = {str(part.partname) for part in package.iter_parts()}
        counters: dict[str, int] = {}

        def next_partname(template: str) -> PackURI:
            number_ = counters.get(template, 0)
            while True:
                number_ += 1
                candidate = template % number_
                if candidate not in taken:
                    counters[template] = number_
                    taken.add(candidate)
                    return PackURI(candidate)

        package.next_partname = next_partname  # type: ignore[assignment,method-assign]

    def _drop_existing_slides(self) -> None:
        # A branded template may carry example slides: the deck starts empty.
        id_list = self.prs.slides._sldIdLst
        for slide_id in list(id_list):
            self.prs.part.drop_rel(slide_id.rId)
            id_list.remove(slide_id)

    def _layout(self, role: str, template: Path) -> Any:
        names = LAYOUTS[role]
        for layout in self.prs.slide_layouts:
            if layout.name in names:
                return layout
        available = "、".join(layout.name for layout in self.prs.slide_layouts)
        raise TemplateError(
            f"テンプレート {template} にレイアウト「{names[0]}」（{names[1]}）がありません。"
            f"あるレイアウト: {available}"
        )

    def _theme_font(self) -> str | None:
        theme = self.prs.slide_master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        found = root.find(f".//{qn('a:minorFont')}/{qn('a:ea')}")
        typeface = found.get("typeface") if found is not None else None
        return typeface or None

    # --- slides ---

    def add_slide(self, layout: Any, title: str = "") -> Any:
        """``Slides.add_slide`` without its quadratic parts.

        python-pptx looks for an existing relationship to the new slide (building a dict of all
        the presentation's relationships each time) and for the largest slide id (an XPath over
        all of them): quadratic in the number of slides, a third of the time of a 1,000-project
        deck.  A new slide has no relationship yet and the ids are ours to count, so this does
        the same steps directly (python-pptx 1.0: ``PresentationPart.add_slide``).
        """
        part = self.prs.part
        self._slide_count += 1
        # python-pptx names the part from len(sldIdLst), found by an XPath each time.
        partname = PackURI(f"/ppt/slides/slide{self._slide_count}.xml")
        slide_part = SlidePart.new(partname, part.package, layout.part)  # type: ignore[no-untyped-call]
        rel_id = part.rels._add_relationship(RT.SLIDE, slide_part)
        slide = slide_part.slide
        self._names[str(partname)] = (self._slide_count, title)
        slide.shapes.clone_layout_placeholders(layout)
        self._slide_id += 1
        self.prs.slides._sldIdLst._add_sldId(id=self._slide_id, rId=rel_id)
        return slide

    def slide(self, title: str, role: str = "content") -> Any:
        slide = self.add_slide(self.layouts[role], title)
        if slide.shapes.title is not None:
            # A cut title keeps its （続き）: the reader must still see that the slide continues.
            end = CONTINUED if title.endswith(CONTINUED) else ""
            paras = [Para([Run(title, 24, True, MAIN)])]
            self.fit_shape(slide, slide.shapes.title, paras, "タイトル", 0.5, keep_end=end)
        return slide

    # --- fitting text in its box ---

    def warn(self, slide: Any, problem: str) -> None:
        """Record a layout warning naming ``slide`` by number and title; the same problem on the
        slides that follow (a long title repeated on continuations) joins it as a range."""
        number_, title = self._names.get(str(slide.part.partname), (0, ""))
        title = title.removesuffix(CONTINUED)
        if self._warned and self._warned[-1][1:] == (number_ - 1, title, problem):
            self._warned[-1] = (self._warned[-1][0], number_, title, problem)
        else:
            self._warned.append((number_, number_, title, problem))

    @property
    def warnings(self) -> list[str]:
        """``スライド 12「…」: …`` or ``スライド 34〜43「…」: …`` for each problem."""
        return [
            f"スライド {first}{'' if last == first else f'〜{last}'}「{_short(title)}」: {problem}"
            for first, last, title, problem in self._warned
        ]

    def fit(
        self,
        slide: Any,
        paras: Sequence[Para],
        box: tuple[float, float, float, float],
        what: str = "文字",
        min_scale: float = 0.75,
        keep_end: str = "",
    ) -> list[Para]:
        """``paras`` made to fit a box (width, height, side and top inset, in inches): smaller
        (down to ``min_scale`` of their size), then cut with …, which is reported as a warning."""
        width, height, inset_x, inset_y = box
        inner = width - 2 * inset_x + 0.08  # _para_height keeps 0.1 of slack beside the text

        def needed(candidate: Sequence[Para]) -> float:
            # A box sized from its text (most of them) must not shrink by a rounding error.
            return sum(_para_height(para, inner) for para in candidate) + 2 * inset_y + 0.02 - 0.005

        if needed(paras) <= height:
            return list(paras)
        steps = round((1 - min_scale) / 0.05)
        for step in range(1, steps + 1):
            smaller = _scaled(paras, 1 - 0.05 * step)
            if needed(smaller) <= height:
                return smaller
        cut = _cut(_scaled(paras, min_scale), inner, height - 2 * inset_y - 0.02, keep_end)
        original = "".join(para.text for para in paras)
        quoted = "" if what == "タイトル" else f"（「{_short(original)}」）"
        self.warn(
            slide,
            f"{what}が長く、枠に入りきらないため後ろを「…」で省略しました{quoted}。元の文を短くしてください。",
        )
        return cut

    def fit_shape(
        self,
        slide: Any,
        shape: Any,
        paras: Sequence[Para],
        what: str = "文字",
        min_scale: float = 0.75,
        anchor: MSO_ANCHOR | None = None,
        keep_end: str = "",
    ) -> None:
        """Fill a placeholder or shape whose size comes from the template or the caller."""
        frame = shape.text_frame
        box = (
            shape.width / EMU_PER_INCH,
            shape.height / EMU_PER_INCH,
            frame.margin_left / EMU_PER_INCH,
            frame.margin_top / EMU_PER_INCH,
        )
        self.fill(frame, self.fit(slide, paras, box, what, min_scale, keep_end), anchor)

    # --- text ---
    # Runs, paragraphs and table cells are written as XML directly: going through python-pptx's
    # property objects for every run and cell cost about 15 ms a table (measured with
    # scripts/bench.py), which made a 1,000-project deck take minutes.

    def _paragraph(self, para: Para, default: MSO_THEME_COLOR | None) -> str:
        """One ``a:p`` as XML text (parsed together with its siblings: see ``_write``)."""
        font = quoteattr(self.font)
        faces = f"<a:latin typeface={font}/><a:ea typeface={font}/><a:cs typeface={font}/>"
        attributes = ""
        if para.align is not None:
            attributes += f' algn="{ALIGN[para.align]}"'
        if para.bullet:
            indent = 0.18 + 0.22 * (para.bullet - 1)
            attributes += f' marL="{int(Inches(indent))}" indent="{int(-Inches(0.16))}"'
        children = ""
        if para.space_before:
            children += f'<a:spcBef><a:spcPts val="{int(para.space_before * 100)}"/></a:spcBef>'
        if para.bullet:
            # The bullet's own font: without it LibreOffice draws the character from a symbol font.
            char = "・" if para.bullet == 1 else "－"
            children += f'<a:buFont typeface={font}/><a:buChar char="{char}"/>'
        runs = []
        for piece in para.runs:
            if not piece.text:
                continue
            colour = piece.colour if piece.colour is not None else default
            fill = (
                f'<a:solidFill><a:schemeClr val="{THEME_NAMES[colour]}"/></a:solidFill>'
                if colour is not None
                else ""
            )
            # Latin, East Asian and complex-script faces: without a:ea, Japanese falls back to
            # whatever the viewer picks (python-pptx's font.name sets only a:latin).
            runs.append(
                f'<a:r><a:rPr lang="ja-JP" sz="{round(piece.size * 100)}" b="{1 if piece.bold else 0}">'
                f"{fill}{faces}</a:rPr><a:t>{escape(piece.text)}</a:t></a:r>"
            )
        # The size of an empty paragraph (an empty table cell) comes from here: without it,
        # viewers use the default 18 pt and the row grows taller than the others.
        end = f'<a:endParaRPr lang="ja-JP" sz="{round(para.size * 100)}"><a:latin typeface={font}/><a:ea typeface={font}/></a:endParaRPr>'
        return f"<a:p><a:pPr{attributes}>{children}</a:pPr>{''.join(runs)}{end}</a:p>"

    def _write(self, body: Any, paras: Sequence[Para], default: MSO_THEME_COLOR | None = None) -> None:
        # Built as text and parsed once per text body: creating each element through lxml with
        # python-pptx's element classes cost most of a large deck's time.
        for old in body.findall(A_P):
            body.remove(old)
        xml = "".join(self._paragraph(para, default) for para in paras or [Para([])])
        parsed = parse_xml(f"<a:txBody {nsdecls('a')}>{xml}</a:txBody>")
        for paragraph in list(parsed):
            body.append(paragraph)

    def fill(self, frame: Any, paras: Sequence[Para], anchor: MSO_ANCHOR | None = None) -> None:
        frame.word_wrap = True
        if anchor is not None:
            frame.vertical_anchor = anchor
        # Text without its own colour is the theme's text colour: a shape's default is white.
        self._write(frame._txBody, paras, TEXT)

    def textbox(
        self,
        slide: Any,
        left: float,
        top: float,
        width: float,
        height: float,
        paras: Sequence[Para],
        anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
        what: str = "文字",
    ) -> Any:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.margin_left = frame.margin_right = Inches(0.04)
        frame.margin_top = frame.margin_bottom = Inches(0.02)
        self.fill(frame, self.fit(slide, paras, (width, height, 0.04, 0.02), what), anchor)
        if top + height > SLIDE_H + 0.01:
            self.warn(
                slide, f"文がスライドの下にはみ出しています（「{_short(''.join(p.text for p in paras))}」）。"
            )
        return box

    def table(
        self,
        slide: Any,
        left: float,
        top: float,
        widths: Sequence[float],
        rows: Sequence[Sequence[list[Para]]],
        heights: Sequence[float],
        header_rows: int = 1,
    ) -> Any:
        """A table, written as one piece of XML (python-pptx's ``add_table`` and its cell objects
        were most of the time of a large deck).  Returns the table's frame; ``_tbl`` is the table."""
        shape_id = slide.shapes._next_shape_id
        grid = "".join(f'<a:gridCol w="{int(Inches(width))}"/>' for width in widths)
        margins = f'marL="{CELL_MARGIN_X}" marR="{CELL_MARGIN_X}" marT="{CELL_MARGIN_Y}" marB="{CELL_MARGIN_Y}" anchor="ctr"'
        body = []
        for r, (cells, height) in enumerate(zip(rows, heights, strict=True)):
            header = r < header_rows
            default = MSO_THEME_COLOR.BACKGROUND_1 if header else None
            fill = '<a:solidFill><a:schemeClr val="accent1"/></a:solidFill>' if header else ""
            tcs = "".join(
                "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>"
                + "".join(self._paragraph(para, default) for para in paras or [Para([])])
                + f"</a:txBody><a:tcPr {margins}>{fill}</a:tcPr></a:tc>"
                for paras in cells
            )
            body.append(f'<a:tr h="{int(Inches(height))}">{tcs}</a:tr>')
        first_row = ' firstRow="1"' if header_rows else ""
        xml = (
            f"<p:graphicFrame {nsdecls('a', 'p')}><p:nvGraphicFramePr>"
            f'<p:cNvPr id="{shape_id}" name="Table {shape_id - 1}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'<p:xfrm><a:off x="{int(Inches(left))}" y="{int(Inches(top))}"/>'
            f'<a:ext cx="{int(Inches(sum(widths)))}" cy="{int(Inches(sum(heights)))}"/></p:xfrm>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            # A plain grid (PowerPoint's "No Style, Table Grid"): the header is coloured above.
            f"<a:tbl><a:tblPr{first_row}><a:tableStyleId>{PLAIN_TABLE_STYLE}</a:tableStyleId></a:tblPr>"
            f"<a:tblGrid>{grid}</a:tblGrid>{''.join(body)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
        )
        frame = parse_xml(xml)
        slide.shapes._spTree.append(frame)
        if top + sum(heights) > SLIDE_H + 0.01:
            self.warn(
                slide, "表がスライドの下にはみ出しています。表の中の文を短くするか、行を分けてください。"
            )
        return _TableRef(frame.find(f".//{A_TBL}"))

    def save(self, stamp: dt.datetime, title: str, author: str) -> bytes:
        fix_core_properties(self.prs.core_properties, stamp, clip(title), clip(author))
        buffer = io.BytesIO()
        self.prs.save(buffer)
        app = {"Application": "aomori-dx", "PresentationFormat": "ユーザー設定 (16:9)", "Company": ""}
        return normalize_ooxml(buffer.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), app)


# --- helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TableRef:
    """A table written by ``Deck.table``: ``_tbl`` is its ``a:tbl`` element."""

    _tbl: Any


def _p(
    text: str, size: float = 12, bold: bool = False, colour: MSO_THEME_COLOR | None = None, **kw: Any
) -> Para:
    return Para([Run(text, size, bold, colour)], **kw)


def _cell(
    text: str,
    size: float = 10.5,
    bold: bool = False,
    colour: MSO_THEME_COLOR | None = None,
    align: PP_ALIGN | None = None,
) -> list[Para]:
    return [Para([Run(line, size, bold, colour)], align) for line in (text.split("\n") if text else [""])]


BOX_PAD = 0.06  # a text box's top and bottom margins


def _short(text: str, limit: int = 30) -> str:
    """A long text shortened for a message."""
    return text if len(text) <= limit else text[:limit] + "…"


def _scaled(paras: Sequence[Para], scale: float) -> list[Para]:
    """``paras`` with every run ``scale`` times its size (in half points, as PowerPoint sets it)."""
    return [
        Para(
            [Run(run.text, math.floor(run.size * scale * 2) / 2, run.bold, run.colour) for run in para.runs],
            para.align,
            para.bullet,
            para.space_before * scale,
        )
        for para in paras
    ]


def _cut(paras: Sequence[Para], width: float, room: float, keep_end: str = "") -> list[Para]:
    """``paras`` shortened to ``room`` inches: the paragraph of most lines gives up the lines
    that are too many and ends with … (and ``keep_end``); short paragraphs (a figure) are kept."""
    kept = list(paras)
    for _ in range(4 * len(kept) + 4):
        over = sum(_para_height(para, width) for para in kept) - room
        if over <= 0 or not kept:
            break
        index = max(range(len(kept)), key=lambda i: _para_height(kept[i], width))
        para = kept[index]
        inner = _inner_width(para, width)
        lines = text_lines(para.text, inner, para.size) - math.ceil(over / (para.size * LINE_SPACING / 72))
        if lines < 1 or len(para.runs) != 1:
            if len(kept) == 1:
                break  # not even one line fits: left as it is (and reported)
            kept.pop(index)
            continue
        head, _ = split_text(para.text, inner, para.size, lines)
        run = para.runs[0]
        shortened = head[: -1 - len(keep_end)] + "…" + keep_end
        kept[index] = Para(
            [Run(shortened, run.size, run.bold, run.colour)], para.align, para.bullet, para.space_before
        )
    return kept


def _inner_width(para: Para, width: float) -> float:
    indent = 0.18 + 0.22 * (para.bullet - 1) if para.bullet else 0
    return width - indent - 0.1


def _para_height(para: Para, width: float) -> float:
    return text_height(para.text or " ", _inner_width(para, width), para.size) + para.space_before / 72


def _paras_height(paras: Sequence[Para], width: float) -> float:
    return sum(_para_height(para, width) for para in paras) + BOX_PAD


# Table rows are estimated with a taller line than text boxes: a viewer grows a row to fit its
# tallest line, and a glyph from a fallback font (Noto Sans CJK lines are 1.45 em, BIZ
# UDPGothic's 1.0 em) must not push a table over what follows it.
CELL_LINE = 1.3


def _cell_height(paras: Sequence[Para], width: float) -> float:
    inner = width - 0.2
    return sum(text_height(para.text or " ", inner, para.size, CELL_LINE) for para in paras) + 0.12


def _row_height(cells: Sequence[Sequence[Para]], widths: Sequence[float], minimum: float = 0.3) -> float:
    return max([minimum, *(_cell_height(paras, width) for paras, width in zip(cells, widths, strict=True))])


def _split_paras(
    paras: Sequence[Para], width: float, room: float, cell: bool = False
) -> tuple[list[Para], list[Para]]:
    """``paras`` cut where ``room`` inches are full (in a text box, or a table cell with
    ``cell``): what fits and the rest.  A one-run paragraph is cut between its lines."""
    spacing = CELL_LINE if cell else LINE_SPACING
    head: list[Para] = []
    used = 0.0
    for index, para in enumerate(paras):
        inner = width - 0.2 if cell else _inner_width(para, width)
        height = text_height(para.text or " ", inner, para.size, spacing) + para.space_before / 72
        if used + height <= room:
            head.append(para)
            used += height
            continue
        lines = int((room - used - para.space_before / 72) / (para.size * spacing / 72))
        if lines < 1 or len(para.runs) != 1:
            return head, list(paras[index:])
        first, rest = split_text(para.text, inner, para.size, lines)
        run = para.runs[0]
        head.append(
            Para([Run(first, run.size, run.bold, run.colour)], para.align, para.bullet, para.space_before)
        )
        tail = Para([Run(rest, run.size, run.bold, run.colour)], para.align, para.bullet)
        return head, [tail, *paras[index + 1 :]]
    return head, []


def _split_row(
    cells: Sequence[list[Para]], widths: Sequence[float], room: float
) -> tuple[list[list[Para]], list[list[Para]]] | None:
    """A table row taller than ``room`` as two rows: what fits, and the rest of every cell
    (continued in the same column on the next slide).  ``None`` when not even a line fits."""
    head: list[list[Para]] = []
    tail: list[list[Para]] = []
    for paras, width in zip(cells, widths, strict=True):
        first, rest = _split_paras(paras, width, room - 0.12, cell=True)
        empty = [Para([Run("", paras[0].size if paras else 10.5)], paras[0].align if paras else None)]
        head.append(first or empty)
        tail.append(rest or empty)
    if not any(para.text for paras in head for para in paras):
        return None
    return head, tail


def _fitting_rows(
    rows: Sequence[list[list[Para]]], widths: Sequence[float], room: float, minimum: float
) -> list[list[list[Para]]]:
    """``rows`` with every row taller than ``room`` split into rows that fit it."""
    fitted: list[list[list[Para]]] = []
    for row in rows:
        while _row_height(row, widths, minimum) > room:
            split = _split_row(row, widths, room)
            if split is None:
                break
            fitted.append(split[0])
            row = split[1]
        fitted.append(row)
    return fitted


def _doughnut(
    slide: Any, left: float, top: float, size: float, rate: Decimal | None, colour: MSO_THEME_COLOR
) -> None:
    shown = float(max(Decimal(0), min(Decimal(100), rate or Decimal(0))))
    data = CategoryChartData()  # type: ignore[no-untyped-call]
    data.categories = ["達成", "未達成"]
    data.add_series("達成率", (round(shown, 1), round(100 - shown, 1)))  # type: ignore[no-untyped-call]
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.DOUGHNUT, Inches(left), Inches(top), Inches(size), Inches(size), data
    )
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.has_data_labels = False
    plot.vary_by_categories = True
    hole = plot._element.find(qn("c:holeSize"))
    if hole is None:
        hole = etree.SubElement(plot._element, qn("c:holeSize"))
    hole.set("val", "62")
    for index, point_colour in enumerate((colour, MSO_THEME_COLOR.BACKGROUND_2)):
        point = plot.series[0].points[index]
        point.format.fill.solid()
        point.format.fill.fore_color.theme_color = point_colour
        point.format.line.fill.background()


def _fiscal_label(year: FiscalYear | None, open_label: str = "未定") -> str:
    return year.era_label if year is not None else open_label


# --- the slides ----------------------------------------------------------------------------


@dataclass
class _Context:
    deck: Deck
    result: Result
    progress: Callable[[str], None]
    field_colour: dict[str, MSO_THEME_COLOR] = field(default_factory=dict)


def _cover(ctx: _Context) -> None:
    meeting = ctx.result.period.meeting
    number_text = f"第{meeting.number}回 " if meeting.number else ""
    title = f"{number_text}{meeting.council}"
    slide = ctx.deck.add_slide(ctx.deck.layouts["cover"], title)
    when = japanese_date(meeting.date) if meeting.date else ""
    if meeting.start:
        when += f" {meeting.start}～{meeting.end}" if meeting.end else f" {meeting.start}～"
    for shape in slide.placeholders:
        kind = shape.placeholder_format.idx
        if kind == 0:
            paras = [_p(title, 36, True, MAIN, align=PP_ALIGN.CENTER)]
            ctx.deck.fit_shape(slide, shape, paras, "会議名（meeting.csv の council）", 0.4)
        elif kind == 1:
            paras = [_p(when, 20, align=PP_ALIGN.CENTER)]
            if meeting.venue:
                paras.append(_p(meeting.venue, 20, align=PP_ALIGN.CENTER))
            ctx.deck.fit_shape(slide, shape, paras, "開催日時・会場", 0.6)
    if meeting.tagline or meeting.brand:
        paras = []
        if meeting.tagline:
            paras.append(_p(meeting.tagline, 16, True, MAIN, align=PP_ALIGN.RIGHT))
        if meeting.brand:
            paras.append(_p(meeting.brand, 14, False, MUTED, align=PP_ALIGN.RIGHT))
        ctx.deck.textbox(
            slide,
            SLIDE_W - MARGIN - 6,
            SLIDE_H - 1.3,
            6,
            0.9,
            paras,
            MSO_ANCHOR.BOTTOM,
            "キャッチフレーズ・ブランド名",
        )


def _people(ctx: _Context) -> None:
    period = ctx.result.period
    if period.members:
        widths = (2.2, 8.2, 2.1)
        header = [_cell(h, 12, True, align=PP_ALIGN.CENTER) for h in ("氏名", "役職", "備考")]
        rows = [
            [_cell(m.name, 12), _cell(m.title, 12), _cell(m.note, 12, colour=CHANGED if m.absent else None)]
            for m in period.members
        ]
        _paged_table(ctx, "出席者", widths, header, rows, note="（敬称略、五十音順）")
    if period.staff:
        groups = list(dict.fromkeys(s.group for s in period.staff))
        widths = (3.35, 1.3, 1.5)
        items: list[tuple[str, list[list[Para]]]] = []
        for group in groups:
            for person in period.staff:
                if person.group == group:
                    items.append(
                        (group, [_cell(person.division, 10), _cell(person.title, 10), _cell(person.name, 10)])
                    )
        _two_column_tables(ctx, "出席者（県側出席者）", widths, ("所属", "役職", "氏名"), items, size=10)


def _two_column_tables(
    ctx: _Context,
    title: str,
    widths: Sequence[float],
    headings: Sequence[str],
    items: Sequence[tuple[str, list[list[Para]]]],
    size: float = 10,
) -> None:
    """Rows grouped under 【group】 captions, in two table columns per slide."""
    column_w = sum(widths)
    gap = CONTENT_W - 2 * column_w
    header = [_cell(h, size, True, align=PP_ALIGN.CENTER) for h in headings]
    header_h = _row_height(header, widths, 0.28)
    caption_h = 0.32
    available = BOTTOM - TOP
    room = available - caption_h - header_h
    items = [(group, piece) for group, cells in items for piece in _fitting_rows([cells], widths, room, 0.26)]
    # Lay out rows column by column: a new group starts with its caption and a header.
    columns: list[list[tuple[str, list[list[Para]]]]] = [[]]
    used = 0.0
    current_group = None
    for group, cells in items:
        height = _row_height(cells, widths, 0.26)
        extra = caption_h + header_h if group != current_group or not columns[-1] else 0.0
        if columns[-1] and used + extra + height > available:
            columns.append([])
            used = 0.0
            extra = caption_h + header_h
        columns[-1].append((group, cells))
        used += extra + height
        current_group = group
    pages = [columns[i : i + 2] for i in range(0, len(columns), 2)]
    for page_index, page in enumerate(pages):
        slide = ctx.deck.slide(title + ("（続き）" if page_index else ""))
        for column_index, column in enumerate(page):
            left = MARGIN + column_index * (column_w + gap)
            top = TOP
            groups = list(dict.fromkeys(group for group, _ in column))
            for group in groups:
                rows = [cells for g, cells in column if g == group]
                ctx.deck.textbox(slide, left, top, column_w, caption_h, [_p(f"【{group}】", 12, True, MAIN)])
                top += caption_h
                heights = [header_h, *(_row_height(r, widths, 0.26) for r in rows)]
                ctx.deck.table(slide, left, top, widths, [header, *rows], heights)
                top += sum(heights) + 0.05


def _paged_table(
    ctx: _Context,
    title: str,
    widths: Sequence[float],
    header: list[list[Para]],
    rows: Sequence[list[list[Para]]],
    note: str = "",
    left: float = MARGIN,
    top: float = TOP,
    reserve: float = 0.0,
    after: Callable[[Any, float], None] | None = None,
    min_row: float = 0.3,
) -> None:
    """A table that continues on further slides with its header repeated and （続き）."""
    header_h = _row_height(header, widths, 0.3)
    note_h = 0.35 if note else 0.0
    available = BOTTOM - top - header_h - note_h - reserve
    rows = _fitting_rows(rows, widths, BOTTOM - top - header_h - note_h, min_row)
    heights = {id(row): _row_height(row, widths, min_row) for row in rows}
    pages = paginate(list(rows), lambda row: heights[id(row)], available)
    for index, page in enumerate(pages):
        slide = ctx.deck.slide(title + ("（続き）" if page.continued else ""))
        row_heights = [header_h, *(heights[id(row)] for row in page.items)]
        ctx.deck.table(slide, left, top, widths, [header, *page.items], row_heights)
        bottom = top + sum(row_heights)
        if note:
            ctx.deck.textbox(
                slide,
                left,
                bottom + 0.05,
                sum(widths),
                0.3,
                [_p(note, 11, colour=MUTED, align=PP_ALIGN.RIGHT)],
            )
            bottom += note_h
        if after is not None and index == len(pages) - 1:
            after(slide, bottom)


def _agenda(ctx: _Context, current: str | None) -> None:
    """The agenda; with ``current`` (a section name) as a divider with that item emphasised."""
    items = ctx.result.period.agenda
    if not items:
        return
    deck = ctx.deck
    slide = deck.slide("次第")
    paras = []
    for item in items:
        chosen = current is not None and (
            item.section == current or (current == "closing" and item is items[-1])
        )
        colour = MAIN if chosen else (MUTED if current is not None else TEXT)
        size = {1: 22, 2: 19, 3: 17}.get(item.level, 17)
        text = f"{item.number} {item.text}".strip()
        paras.append(
            Para(
                [Run(("▶ " if chosen else "") + text, size, chosen or item.level == 1, colour)],
                space_before=10 if item.level == 1 else 4,
            )
        )
        _indent(paras[-1], item.level)
    deck.textbox(
        slide, MARGIN + 0.8, TOP + 0.2, CONTENT_W - 1.6, BOTTOM - TOP - 0.4, paras, what="次第の文字"
    )


def _indent(para: Para, level: int) -> None:
    # Agenda levels are shown by leading full-width spaces, which survive every viewer.
    if level > 1:
        para.runs[0].text = "　" * (level - 1) * 2 + para.runs[0].text


# --- narrative flow ------------------------------------------------------------------------


@dataclass
class _Item:
    """One piece of narrative: a paragraph (with its look) or a table."""

    paras: list[Para] | None = None
    table: Table | None = None
    title: str = ""
    heading: bool = False
    figure: Figure | None = None


def _blocks(blocks: Iterable[Block], size: float = 12) -> list[_Item]:
    items: list[_Item] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            items.append(_Item([_p(block.text, size, space_before=3)]))
        elif isinstance(block, BulletList):
            for bullet in block.items:
                items.extend(_bullets(bullet, 1, size))
        elif isinstance(block, Table):
            items.append(_Item(table=block))
        elif isinstance(block, Figure):
            items.append(_Item(figure=block))
    return items


def _bullets(bullet: Any, depth: int, size: float) -> list[_Item]:
    items = [_Item([_p(bullet.text, size if depth == 1 else size - 1, bullet=depth, space_before=3)])]
    for child in bullet.children:
        items.extend(_bullets(child, depth + 1, size))
    return items


def _sections(sections: Iterable[Section], size: float = 12, level_offset: int = 0) -> list[_Item]:
    items: list[_Item] = []
    for section in sections:
        heading = section.title
        level = section.level - level_offset
        look = {1: (16, MAIN), 2: (14, MAIN), 3: (13, TEXT)}.get(level, (12, TEXT))
        table_blocks = [block for block in section.blocks if isinstance(block, Table)]
        if len(table_blocks) == len(section.blocks) == 1 and not section.children:
            # A heading that only titles its table travels with it.
            items.append(_Item(table=table_blocks[0], title=heading))
            continue
        items.append(
            _Item(
                [_p(("● " if level <= 2 else "") + heading, look[0], True, look[1], space_before=8)],
                heading=True,
            )
        )
        items.extend(_blocks(section.blocks, size))
        items.extend(_sections(section.children, size, level_offset))
    return items


def _picture_size(figure: Figure, max_width: float, max_height: float) -> tuple[float, float]:
    """The picture's size in inches, scaled to fit, keeping its proportions."""
    image = PptxImage.from_file(figure.path)
    pixels_w, pixels_h = image.size
    aspect = pixels_h / pixels_w if pixels_w else 1.0
    width = max_width
    height = width * aspect
    if height > max_height:
        height = max_height
        width = height / aspect
    return width, height


def _table_rows(table: Table, size: float) -> tuple[list[list[Para]], list[list[list[Para]]]]:
    header = [_cell(h, size, True, align=PP_ALIGN.CENTER) for h in table.header]
    rows = [[_cell(c, size) for c in row] for row in table.rows]
    return header, rows


def _table_widths(table: Table, width: float, size: float = 10) -> list[float]:
    """Share ``width`` by what each column needs on one line; short columns keep their need."""
    needs = []
    for index, heading in enumerate(table.header):
        cells = [heading, *(row[index] for row in table.rows if index < len(row))]
        needs.append(max(0.45, max(text_width(cell, size) for cell in cells) + 0.14))
    if sum(needs) <= width:
        spare = width - sum(needs)
        return [need + spare * need / sum(needs) for need in needs]
    # Columns that need little keep it; the long ones share the rest (and wrap).
    short = [need for need in needs if need <= width / len(needs)]
    rest = width - sum(short)
    long_total = sum(need for need in needs if need > width / len(needs))
    return [need if need <= width / len(needs) else rest * need / long_total for need in needs]


def _flow(ctx: _Context, title: str, items: list[_Item], columns: int = 2, first_top: float = TOP) -> None:
    """Place narrative items in columns, continuing on new slides; tables split with headers.

    A table of more than five columns needs the slide's width, so such a flow uses one column."""
    if any(item.table is not None and len(item.table.header) > 5 for item in items):
        columns = 1
    deck = ctx.deck
    gap = 0.35
    col_w = (CONTENT_W - gap * (columns - 1)) / columns
    slide: Any = None
    column = columns  # forces a new slide on the first item
    y = 0.0
    buffer: list[Para] = []
    buffer_top = 0.0
    page = 0
    queue = deque(items)

    def flush() -> None:
        nonlocal buffer
        if buffer:
            height = _paras_height(buffer, col_w)
            deck.textbox(slide, MARGIN + column * (col_w + gap), buffer_top, col_w, height, buffer)
            buffer = []

    def next_column() -> None:
        nonlocal slide, column, y, buffer_top, page
        flush()
        column += 1
        if column >= columns:
            slide = deck.slide(title + ("（続き）" if page else ""))
            page += 1
            column = 0
        y = first_top if page == 1 else TOP
        buffer_top = y

    while queue:
        item = queue.popleft()
        if item.figure is not None:
            width, height = _picture_size(item.figure, col_w, min(3.2, BOTTOM - TOP - 0.4))
            caption = (
                [_p(item.figure.caption, 10, colour=MUTED, align=PP_ALIGN.CENTER)]
                if item.figure.caption
                else []
            )
            caption_h = _paras_height(caption, col_w) if caption else 0.0
            if slide is None or y + height + caption_h + 0.1 > BOTTOM:
                next_column()
            flush()
            left = MARGIN + column * (col_w + gap) + (col_w - width) / 2
            slide.shapes.add_picture(
                item.figure.path, Inches(left), Inches(y + 0.05), Inches(width), Inches(height)
            )
            y += height + 0.05
            if caption:
                deck.textbox(slide, MARGIN + column * (col_w + gap), y, col_w, caption_h, caption)
                y += caption_h
            y += 0.1
            buffer_top = y
            continue
        if item.paras is not None:
            paras = item.paras
            height = sum(_para_height(para, col_w) for para in paras)
            # A heading needs room for a little of what follows, or it would end a column alone.
            needed = height + (0.6 if item.heading else 0.0)
            too_low = slide is None or y + needed + (0 if buffer else BOX_PAD) > BOTTOM
            # Text longer than a whole column starts in what is left of this one.
            starts_here = (
                slide is not None and height > BOTTOM - TOP - BOX_PAD and BOTTOM - y - BOX_PAD >= 0.6
            )
            if too_low and not starts_here:
                next_column()
            if height > BOTTOM - y - (0 if buffer else BOX_PAD):
                head, tail = _split_paras(paras, col_w, BOTTOM - y - (0 if buffer else BOX_PAD))
                if not head:
                    next_column()
                    head, tail = _split_paras(paras, col_w, BOTTOM - y - BOX_PAD)
                if head and tail:
                    queue.appendleft(_Item(tail))
                    paras = head
                    height = sum(_para_height(para, col_w) for para in head)
            if not buffer:
                y += BOX_PAD
            buffer.extend(paras)
            y += height
            continue
        assert item.table is not None
        size = 10
        header, rows = _table_rows(item.table, size)
        widths = _table_widths(item.table, col_w)
        caption = [_p(item.title, 13, True, MAIN, space_before=6)] if item.title else []
        caption_h = _paras_height(caption, col_w) if caption else 0.0
        header_h = _row_height(header, widths, 0.28)
        remaining = list(rows)
        whole = caption_h + header_h + sum(_row_height(row, widths, 0.26) for row in rows)
        if slide is not None and whole <= BOTTOM - TOP and y + whole > BOTTOM:
            next_column()  # keep a table that fits a column together
        while remaining:
            first_row_h = _row_height(remaining[0], widths, 0.26)
            if slide is None or y + caption_h + header_h + first_row_h > BOTTOM:
                next_column()
            flush()
            if caption:
                deck.textbox(slide, MARGIN + column * (col_w + gap), y, col_w, caption_h, caption)
                y += caption_h
            chunk: list[list[list[Para]]] = []
            heights = [header_h]
            while remaining and y + sum(heights) + _row_height(remaining[0], widths, 0.26) <= BOTTOM:
                row = remaining.pop(0)
                chunk.append(row)
                heights.append(_row_height(row, widths, 0.26))
            if not chunk:  # a row taller than a column: what fits here, the rest in the next
                split = _split_row(remaining[0], widths, BOTTOM - y - header_h)
                row = remaining.pop(0) if split is None else split[0]
                if split is not None:
                    remaining[0] = split[1]
                chunk.append(row)
                heights.append(_row_height(row, widths, 0.26))
            deck.table(slide, MARGIN + column * (col_w + gap), y, widths, [header, *chunk], heights)
            y += sum(heights) + 0.12
            buffer_top = y
            caption = [_p(item.title + "（続き）", 13, True, MAIN)] if item.title and remaining else []
            caption_h = _paras_height(caption, col_w) if caption else 0.0
    flush()


# --- goals and KPI list --------------------------------------------------------------------


def _history(ctx: _Context) -> None:
    document = ctx.result.period.history
    items = _blocks(document.blocks, 16) + _sections(document.sections, 16)
    if items:
        _flow(ctx, "検討の経緯", items, columns=1)


INTRO_H = (BOTTOM - TOP) / 3  # goals_intro, kpis_intro: the goals and KPIs below are the content


def _goals(ctx: _Context) -> None:
    period = ctx.result.period
    deck = ctx.deck
    if not period.goals:
        return
    slide = deck.slide("基本目標")
    top = TOP
    if period.meeting.goals_intro:
        height = min(INTRO_H, _paras_height([_p(period.meeting.goals_intro, 14)], CONTENT_W))
        paras = [_p(period.meeting.goals_intro, 14)]
        deck.textbox(slide, MARGIN, top, CONTENT_W, height, paras, what="meeting.csv の goals_intro の文")
        top += height + 0.15
    count = len(period.goals)
    gap = 0.2
    width = (CONTENT_W - gap * (count - 1)) / count
    height = min(4.2, BOTTOM - top)
    for index, goal in enumerate(period.goals):
        left = MARGIN + index * (width + gap)
        box = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height)
        )
        box.fill.solid()
        box.fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_2
        box.line.color.theme_color = MAIN
        box.adjustments[0] = 0.05
        paras = [_p(goal.name, 14, True, MAIN)]
        if goal.description:
            paras.append(_p(f"（{goal.description}）", 12))
        if goal.baseline is not None:
            paras.append(_p(value_with_unit(goal.baseline, goal.unit), 24, True, TEXT, space_before=10))
            if goal.baseline_year:
                paras.append(_p(f"（{goal.baseline_year}）", 12))
        if goal.target is not None:
            paras.append(
                _p(f"目標 {value_with_unit(goal.target, goal.unit)}（{goal.target_year}）", 14, True, MAIN)
            )
        if goal.source:
            paras.append(_p(f"〈{goal.source}〉", 11, colour=MUTED, space_before=10))
        deck.textbox(
            slide, left + 0.1, top + 0.1, width - 0.2, height - 0.2, paras, what="基本目標の枠の文字"
        )


def _kpi_list(ctx: _Context) -> None:
    period = ctx.result.period
    deck = ctx.deck
    slide = deck.slide("重要業績評価指標（KPI）")
    top = TOP
    if period.meeting.kpis_intro:
        paras = [_p(period.meeting.kpis_intro, 13)]
        height = min(INTRO_H, _paras_height(paras, CONTENT_W))
        deck.textbox(slide, MARGIN, top, CONTENT_W, height, paras, what="meeting.csv の kpis_intro の文")
        top += height + 0.15
    fields = [f for f in ctx.result.fields]
    gap = 0.25
    width = (CONTENT_W - gap * (len(fields) - 1)) / max(1, len(fields))
    for index, field_result in enumerate(fields):
        left = MARGIN + index * (width + gap)
        colour = ctx.field_colour[field_result.name]
        head = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(0.5)
        )
        head.fill.solid()
        head.fill.fore_color.theme_color = colour
        head.line.fill.background()
        deck.fit_shape(
            slide,
            head,
            [_p(field_result.name, 16, True, MSO_THEME_COLOR.BACKGROUND_1, align=PP_ALIGN.CENTER)],
            "分野名",
            anchor=MSO_ANCHOR.MIDDLE,
        )
        paras = [_p(kpi.kpi.name, 14, bullet=1, space_before=6) for kpi in field_result.kpis]
        height = min(BOTTOM - top - 0.6, max(1.0, _paras_height(paras, width)))
        deck.textbox(slide, left, top + 0.6, width, height, paras, what="KPI の名前")


# --- dashboard -----------------------------------------------------------------------------


CARDS_PER_SLIDE = 3  # as the meeting material shows them; more KPIs continue on the next slide


def _dashboard(ctx: _Context, field_name: str, kpis: Sequence[KpiResult]) -> None:
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    colour = ctx.field_colour[field_name]
    cases = [case for case in ctx.result.period.cases if case.field == field_name]
    left_w = 7.2 if cases else CONTENT_W
    title = f"目標達成状況ダッシュボード　{field_name}"
    pages = [kpis[i : i + CARDS_PER_SLIDE] for i in range(0, len(kpis), CARDS_PER_SLIDE)] or [[]]
    slide = None
    for number_, page in enumerate(pages):
        current = deck.slide(title + ("（続き）" if number_ else ""))
        if slide is None:
            slide = current
        _cards(ctx, current, page, left_w, colour)
    assert slide is not None
    if not cases:
        return
    until = f"（{meeting.as_of.year}年{meeting.as_of.month}月末まで）" if meeting.as_of else ""
    right_left = MARGIN + left_w + 0.3
    right_w = CONTENT_W - left_w - 0.3
    heading = [_p(f"代表的な事例{until}", 14, True, colour)]
    deck.textbox(slide, right_left, TOP, right_w, 0.4, heading)
    _cases_beside(ctx, slide, cases, field_name, right_left, right_w, colour)


def _cards(
    ctx: _Context, slide: Any, kpis: Sequence[KpiResult], left_w: float, colour: MSO_THEME_COLOR
) -> None:
    """KPI cards: doughnut, name, rate, 前期差 and the components."""
    deck = ctx.deck
    count = max(1, CARDS_PER_SLIDE)
    gap = 0.12
    card_h = min(2.0, (BOTTOM - TOP - gap * (count - 1)) / count)
    for index, result in enumerate(kpis):
        top = TOP + index * (card_h + gap)
        card = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, Inches(MARGIN), Inches(top), Inches(left_w), Inches(card_h)
        )
        card.fill.solid()
        card.fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
        card.line.color.theme_color = colour
        card.adjustments[0] = 0.06
        size = card_h - 0.2
        _doughnut(slide, MARGIN + 0.1, top + 0.1, size, result.rate, colour)
        rate_colour = CHANGED if result.changed else TEXT
        deck.textbox(
            slide,
            MARGIN + 0.1 + size * 0.18,
            top + 0.1 + size * 0.36,
            size * 0.64,
            size * 0.28,
            [_p(percent(result.rate), max(9, min(14, size * 9)), True, rate_colour, align=PP_ALIGN.CENTER)],
            MSO_ANCHOR.MIDDLE,
        )
        text_left = MARGIN + size + 0.3
        text_w = left_w - size - 0.4
        paras = [
            _p(result.kpi.name, 14, True, colour),
            Para(
                [
                    Run(percent(result.rate), 26, True, rate_colour),
                    Run(f"　前期差 {points(result.delta)}", 13, False, TEXT),
                ]
            ),
        ]
        if result.kpi.components:
            paras.append(_p("【指標の構成要素】", 10, True, MUTED))
            paras.append(_p(result.kpi.components, 10, colour=MUTED))
        deck.textbox(
            slide, text_left, top + 0.05, text_w, card_h - 0.1, paras, MSO_ANCHOR.MIDDLE, "KPI のカードの文字"
        )
    if any(result.changed for result in kpis):
        deck.textbox(slide, MARGIN, BOTTOM, 6, 0.3, [_p("赤字は前期から変わった値", 9, colour=CHANGED)])


def _cases_beside(
    ctx: _Context,
    slide: Any,
    cases: Sequence[Any],
    field_name: str,
    right_left: float,
    right_w: float,
    colour: MSO_THEME_COLOR,
) -> None:
    """The field's representative cases beside the cards; what does not fit continues after."""
    deck = ctx.deck
    y = TOP + 0.45
    overflow: list[_Item] = []
    for case in cases:
        paras = [_p(case.title, 12, True, TEXT, space_before=4)]
        paras += [_p(block.text, 10.5) for block in case.blocks if isinstance(block, Paragraph)]
        others = [block for block in case.blocks if not isinstance(block, Paragraph)]
        height = _paras_height(paras, right_w)
        if overflow or y + height > BOTTOM:
            overflow.append(_Item(paras))
        else:
            deck.textbox(slide, right_left, y, right_w, height, paras)
            y += height + 0.08
        if others or case.sections:
            overflow.append(_Item([_p(case.title, 13, True, colour, space_before=6)]))
            overflow.extend(_blocks(others, 12))
            overflow.extend(_sections(case.sections, 12))
    if overflow:
        _flow(ctx, f"代表的な事例　{field_name}", overflow, columns=2)


def _fit(text: str, width: float, largest: float = 14, smallest: float = 9) -> float:
    """The largest size (in half points) at which ``text`` stays on one line in ``width`` inches:
    a figure must never break in the middle."""
    size = largest
    while size > smallest and text_width(text, size) > width - 0.14:
        size -= 0.5
    return size


VALUE_W = {"target": 1.35, "previous": 1.6, "latest": 1.75}


def _value_paras(
    value: Decimal | None, unit: str, period: str, note: str, changed: bool, width: float
) -> list[Para]:
    colour = CHANGED if changed else TEXT
    text = value_with_unit(value, unit)
    paras = [_p(text, _fit(text, width), False, colour, align=PP_ALIGN.RIGHT)]
    if period:
        paras.append(_p(f"({period})", 10, False, colour if changed else MUTED, align=PP_ALIGN.RIGHT))
    if note:
        paras.append(_p(note, 9, False, MUTED, align=PP_ALIGN.LEFT))
    return paras


def _indicator_slides(ctx: _Context, result: KpiResult) -> None:
    widths = (3.3, VALUE_W["target"], VALUE_W["previous"], 1.25, VALUE_W["latest"], 1.25, 2.03)
    header = [
        _cell(text, 10, True, align=PP_ALIGN.CENTER)
        for text in (
            "中間指標名",
            "目標値\n(A)",
            "前期の値\n(B)",
            "前期の\n達成率\n(B/A)×100=C",
            "直近の値\n(D)",
            "直近の\n達成率\n(D/A)×100=E",
            "データの出所",
        )
    ]
    rows = [_indicator_row(item) for item in result.indicators]

    def kpi_box(slide: Any, bottom: float) -> None:
        paras = [
            _p(
                f"KPI {percent(result.rate)}",
                22,
                True,
                CHANGED if result.changed else MAIN,
                align=PP_ALIGN.CENTER,
            ),
            _p("（達成率の単純平均）", 11, align=PP_ALIGN.CENTER),
        ]
        box = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE,
            Inches(SLIDE_W - MARGIN - 3.2),
            Inches(bottom + 0.15),
            Inches(3.2),
            Inches(0.95),
        )
        box.fill.solid()
        box.fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_2
        box.line.color.theme_color = MAIN
        ctx.deck.fit_shape(slide, box, paras, anchor=MSO_ANCHOR.MIDDLE)

    _paged_table(
        ctx,
        f"{result.kpi.name}（{result.kpi.field}）",
        widths,
        header,
        rows,
        reserve=1.15,
        after=kpi_box,
        min_row=0.55,
    )


def _indicator_row(item: IndicatorResult) -> list[list[Para]]:
    indicator = item.indicator
    changed = set(item.changed_fields) | ({"target", "previous", "latest"} if item.new else set())
    previous_changed = bool(changed & {"previous", "previous_period"})
    latest_changed = bool(changed & {"latest", "latest_period"})
    target_changed = bool(changed & {"target", "unit"})
    previous_period = indicator.previous_period.text if indicator.previous_period else ""
    latest_period = indicator.latest_period.text if indicator.latest_period else ""

    def rate(value: Decimal | None, is_changed: bool) -> list[Para]:
        return _cell(percent(value), 14, False, CHANGED if is_changed else TEXT, PP_ALIGN.RIGHT)

    target_text = value_with_unit(indicator.target, indicator.unit)
    return [
        _cell(indicator.name, 12),
        _cell(
            target_text,
            _fit(target_text, VALUE_W["target"]),
            False,
            CHANGED if target_changed else TEXT,
            PP_ALIGN.RIGHT,
        ),
        _value_paras(
            indicator.previous, indicator.unit, previous_period, "", previous_changed, VALUE_W["previous"]
        ),
        rate(item.previous_rate, previous_changed or target_changed),
        _value_paras(
            indicator.latest,
            indicator.unit,
            latest_period,
            indicator_note(indicator),
            latest_changed,
            VALUE_W["latest"],
        ),
        rate(item.latest_rate, latest_changed or target_changed),
        _cell(indicator.source, 10),
    ]


# --- roadmap -------------------------------------------------------------------------------


def _roadmap_list(ctx: _Context, field_name: str, statuses: Sequence[ProjectStatus]) -> None:
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    regular = [s for s in statuses if not s.project.reference]
    reference = [s for s in statuses if s.project.reference]
    widths = (1.9, 0.5, 3.75)
    size = 10.5
    header = [_cell(h, 11, True, align=PP_ALIGN.CENTER) for h in ("項目", "No.", "事業名")]
    title = f"{meeting.roadmap_title or 'ロードマップ'}　{field_name}（{len(statuses)}事業）"

    def line(status: ProjectStatus, category: str) -> list[list[Para]]:
        project = status.project
        colour = MAIN if project.featured is not None else TEXT
        return [
            _cell(category, size),
            _cell(str(project.no), size, align=PP_ALIGN.RIGHT),
            _cell(project.name, size, project.featured is not None, colour),
        ]

    entries = [(s.project.category, line(s, s.project.category)) for s in regular]
    entries += [("（参考事業）", line(s, "（参考事業）")) for s in reference]
    header_h = _row_height(header, widths, 0.3)
    available = BOTTOM - TOP - header_h - 0.3
    entries = [
        (category, piece)
        for category, cells in entries
        for piece in _fitting_rows([cells], widths, available, 0.27)
    ]
    heights = [_row_height(cells, widths, 0.27) for _, cells in entries]
    columns: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if columns[-1] and used + height > available:
            columns.append([])
            used = 0.0
        columns[-1].append(index)
        used += height
    col_w = sum(widths)
    gap = CONTENT_W - 2 * col_w
    for page_index in range(0, len(columns), 2):
        slide = deck.slide(title + ("（続き）" if page_index else ""))
        for offset, column in enumerate(columns[page_index : page_index + 2]):
            left = MARGIN + offset * (col_w + gap)
            rows = [entries[i][1] for i in column]
            table = deck.table(
                slide, left, TOP, widths, [header, *rows], [header_h, *(heights[i] for i in column)]
            )
            _merge_categories(table, [entries[i][0] for i in column])
        if any(s.project.featured is not None for s in statuses):
            deck.textbox(
                slide, MARGIN, BOTTOM - 0.05, CONTENT_W, 0.3, [_p("太字は各分野の主な取組", 9, colour=MUTED)]
            )


def _merge_categories(table: Any, categories: Sequence[str]) -> None:
    """Merge the 項目 cells of consecutive rows with the same category, as the material does."""
    start = 0
    for index in range(1, len(categories) + 1):
        if index == len(categories) or categories[index] != categories[start]:
            if index - start > 1:
                _merge(table, start + 1, 0, index, 0)
            start = index


def _tc(table: Any, row: int, column: int) -> Any:
    return table._tbl.findall(A_TR)[row].findall(A_TC)[column]


def _merge(table: Any, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
    """Merge a block of cells, keeping the origin's text and emptying the others.

    Written as the OOXML attributes directly (gridSpan/rowSpan on the origin, hMerge/vMerge on
    the rest): python-pptx's ``merge`` moves the hidden cells' paragraphs into the origin and
    costs a few milliseconds a cell.
    """
    rows = table._tbl.findall(A_TR)
    for r in range(first_row, last_row + 1):
        cells = rows[r].findall(A_TC)
        for c in range(first_column, last_column + 1):
            tc = cells[c]
            if (r, c) == (first_row, first_column):
                if last_column > first_column:
                    tc.set("gridSpan", str(last_column - first_column + 1))
                if last_row > first_row:
                    tc.set("rowSpan", str(last_row - first_row + 1))
                continue
            if r > first_row:
                tc.set("vMerge", "1")
            if c > first_column:
                tc.set("hMerge", "1")
            body = tc.find(A_TXBODY)
            for paragraph in body.findall(A_P):
                body.remove(paragraph)
            etree.SubElement(body, A_P)


def _shade(table: Any, row: int, column: int, colour: str, tint: int | None = None) -> None:
    """Fill a cell with a theme colour (``tint``: percent of white mixed in, like PowerPoint's)."""
    tcpr = _tc(table, row, column).find(A_TCPR)
    for old in tcpr.findall(A_SOLIDFILL):
        tcpr.remove(old)
    fill = etree.SubElement(tcpr, A_SOLIDFILL)
    scheme = etree.SubElement(fill, A_SCHEMECLR, val=colour)
    if tint:
        etree.SubElement(scheme, qn("a:lumMod"), val=str((100 - tint) * 1000))
        etree.SubElement(scheme, qn("a:lumOff"), val=str(tint * 1000))


def _featured_list(ctx: _Context) -> None:
    featured = ctx.result.roadmap.featured
    if not featured:
        return
    items: list[_Item] = []
    for field_name in ctx.result.period.fields:
        chosen = [s for s in featured if s.project.field == field_name]
        if not chosen:
            continue
        items.append(
            _Item(
                [_p(f"【{field_name}】", 18, True, ctx.field_colour.get(field_name, MAIN), space_before=10)]
            )
        )
        for status in chosen:
            project = status.project
            division = f"（{project.division}）" if project.division else ""
            items.append(_Item([_p(f"{project.featured}. {project.name}{division}", 16, space_before=4)]))
    _flow(ctx, "各分野の主な取組", items, columns=1)


def _project_header(ctx: _Context, slide: Any, project: Project, top: float) -> float:
    """The header table of a detail sheet: No., 分野, 項目, 担当部局, 担当課等 / 事業名, 事業費, 始期, 終期 / 概要."""
    meeting = ctx.result.period.meeting
    deck = ctx.deck
    widths = (0.85, 0.75, 0.7, 1.85, 0.95, 1.45, 0.95, 1.45, 0.95, 2.63)
    year = meeting.fiscal_year.era_label if meeting.fiscal_year else ""
    budget = number(project.budget) if project.budget is not None else "—"
    if project.budget_original is not None:
        budget += f"\n（当初 {number(project.budget_original)}）"
    rows = (
        ("No.", str(project.no), "分野", project.field, "項目", project.category or "—", "担当部局",
         project.department or "—", "担当課等", project.division or "—"),
        ("事業名", project.name, "", "", f"{year}事業費\n(千円)", budget, "事業始期",
         _fiscal_label(project.start, "—"), "事業終期", _fiscal_label(project.end)),
        ("概要", project.summary or "—", "", "", "", "", "", "", "", ""),
    )  # fmt: skip
    labels = {(0, 0), (0, 2), (0, 4), (0, 6), (0, 8), (1, 0), (1, 4), (1, 6), (1, 8), (2, 0)}
    size = 10
    cells = [
        [_cell(text, 9 if (r, c) in labels else size, (r, c) in labels) for c, text in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    heights = [
        _row_height(cells[0], widths, 0.3),
        max(
            _row_height([cells[1][0], _cell(project.name, size)], (widths[0], sum(widths[1:4])), 0.3),
            _row_height(cells[1][4:], widths[4:], 0.3),
        ),
        max(0.35, _cell_height(_cell(project.summary, size), sum(widths[1:]))),
    ]
    table = deck.table(slide, MARGIN, top, widths, cells, heights, header_rows=0)
    _merge(table, 1, 1, 1, 3)
    _merge(table, 2, 1, 2, 9)
    for r, c in labels:
        _shade(table, r, c, "bg2")
    return top + sum(heights)


def _grid(ctx: _Context, project: Project, title: str, top: float, slide: Any) -> None:
    """The plan/actual grid; a roadmap of more than ``GRID_YEARS`` years is shown in parts of
    about equal length, each on its own slide."""
    years = list(ctx.result.period.meeting.roadmap_years)
    entries = list(ctx.result.period.activities_of(project.no))
    if not years:
        years = sorted({FiscalYear(y) for e in entries for y in range(e.first.year, e.last.year + 1)})
    if not entries or not years:
        return
    for index, part in enumerate(even_parts(years, GRID_YEARS)):
        # A later part shows only the activities with something in its years (and none without).
        shown = entries if index == 0 else [e for e in entries if e.first <= part[-1] and e.last >= part[0]]
        if not shown:
            continue
        if index:
            slide = ctx.deck.slide(title + "（続き）")
            top = TOP
        _grid_part(ctx, shown, list(part), title, top, slide)


def _grid_part(
    ctx: _Context,
    entries: Sequence[ActivityEntry],
    years: list[FiscalYear],
    title: str,
    top: float,
    slide: Any,
) -> None:
    deck = ctx.deck
    activities = list(dict.fromkeys(e.activity for e in entries))
    year_w = (CONTENT_W - 2.6 - 0.55) / len(years)
    widths = [2.6, 0.55, *([year_w] * len(years))]
    size = 10.5
    header = [
        _cell("取組", 10, True, align=PP_ALIGN.CENTER),
        _cell("", 10),
        *(_cell(y.era_label, 10, True, align=PP_ALIGN.CENTER) for y in years),
    ]
    rows: list[tuple[str, str, list[tuple[FiscalYear, FiscalYear, str]]]] = []
    for activity in activities:
        for kind, label in (("plan", "計画"), ("actual", "実績")):
            spans = grid_spans([e for e in entries if e.activity == activity and e.kind == kind])
            # A span that reaches beyond these years is shown on the years it has here.
            shown = [
                (max(first, years[0]), min(last, years[-1]), text)
                for first, last, text in spans
                if first <= years[-1] and last >= years[0]
            ]
            rows.append((activity, label, shown))

    def cells_of(
        activity: str, label: str, spans: list[tuple[FiscalYear, FiscalYear, str]]
    ) -> list[list[Para]]:
        texts = [""] * len(years)
        for first, _, text in spans:
            if first in years:
                texts[years.index(first)] = text
        return [
            _cell(activity if label == "計画" else "", 10),
            _cell(label, 9, True, align=PP_ALIGN.CENTER),
            *(_cell(t, size) for t in texts),
        ]

    def height_of(row: tuple[str, str, list[tuple[FiscalYear, FiscalYear, str]]]) -> float:
        activity, label, spans = row
        span_h = [
            _cell_height(
                _cell(text, size),
                year_w * (min(years.index(b), len(years) - 1) - years.index(a) + 1)
                if a in years and b in years
                else year_w,
            )
            for a, b, text in spans
        ]
        name_h = _cell_height(_cell(activity, 10), widths[0]) / 2 if label == "計画" else 0
        return max([0.42, name_h, *span_h])

    header_h = 0.32
    pairs = [rows[i : i + 2] for i in range(0, len(rows), 2)]
    available = BOTTOM - top - header_h
    if sum(height_of(r) for r in pairs[0]) > available:
        # Below a tall project table there is no room for the first activity: a new slide.
        slide = deck.slide(title + "（続き）")
        top = TOP
        available = BOTTOM - top - header_h
    pages = paginate(pairs, lambda pair: sum(height_of(r) for r in pair), BOTTOM - TOP - header_h, available)
    for page in pages:
        if page.continued:
            slide = deck.slide(title + "（続き）")
            top = TOP
        flat = [row for pair in page.items for row in pair]
        heights = [header_h, *(height_of(r) for r in flat)]
        table = deck.table(slide, MARGIN, top, widths, [header, *(cells_of(*r) for r in flat)], heights)
        for index, (_activity, label, spans) in enumerate(flat, start=1):
            if label == "計画":
                _merge(table, index, 0, index + 1, 0)
            theme = "accent1" if label == "計画" else "accent4"
            for first, last, _ in spans:
                if first not in years:
                    continue
                a = years.index(first) + 2
                b = (years.index(last) if last in years else len(years) - 1) + 2
                if b > a:
                    _merge(table, index, a, index, b)
                _shade(table, index, a, theme, tint=75)
        legend = [
            Para(
                [
                    Run("計画", 9, True, MSO_THEME_COLOR.ACCENT_1),
                    Run("・", 9),
                    Run("実績", 9, True, MSO_THEME_COLOR.ACCENT_4),
                    Run(" の色つきの範囲が取組の期間", 9, False, MUTED),
                ]
            )
        ]
        deck.textbox(slide, MARGIN, top + sum(heights) + 0.03, 6, 0.25, legend)


def _project_slides(ctx: _Context, status: ProjectStatus) -> None:
    project = status.project
    deck = ctx.deck
    meeting = ctx.result.period.meeting
    division = f"（{project.division}）" if project.division else ""
    title = f"No.{project.no} {project.name}{division}"
    slide = deck.slide(title)
    if meeting.roadmap_title:
        deck.textbox(
            slide,
            SLIDE_W - MARGIN - 4.5,
            0.02,
            4.5,
            0.25,
            [_p(meeting.roadmap_title, 9, colour=MUTED, align=PP_ALIGN.RIGHT)],
        )
    bottom = _project_header(ctx, slide, project, TOP - 0.1)
    _grid(ctx, project, title, bottom + 0.15, slide)
    sheet = ctx.result.period.sheet(project.no)
    if sheet is not None:
        items = _blocks(sheet.blocks) + _sections(sheet.sections, 11.5, level_offset=1)
        if items:
            _flow(ctx, title, items, columns=2)


# --- discussion and closing -----------------------------------------------------------------


def _discussion(ctx: _Context) -> None:
    document: Document = ctx.result.period.discussion
    for section in document.sections:
        items = _blocks(section.blocks, 13) + _sections(section.children, 12, level_offset=1)
        _flow(ctx, section.title, items or [_Item([_p("", 12)])], columns=2)


def _closing(ctx: _Context) -> None:
    meeting = ctx.result.period.meeting
    headline = meeting.tagline or meeting.council
    slide = ctx.deck.add_slide(ctx.deck.layouts["cover"], headline)
    for shape in slide.placeholders:
        kind = shape.placeholder_format.idx
        if kind == 0:
            paras = [_p(headline, 32, True, MAIN, align=PP_ALIGN.CENTER)]
            ctx.deck.fit_shape(slide, shape, paras, "キャッチフレーズ（なければ会議名）", 0.4)
        elif kind == 1:
            number_text = f"第{meeting.number}回 " if meeting.number else ""
            paras = [_p(f"{number_text}{meeting.council}", 18, align=PP_ALIGN.CENTER)]
            if meeting.brand:
                paras.append(_p(meeting.brand, 16, colour=MUTED, align=PP_ALIGN.CENTER))
            ctx.deck.fit_shape(slide, shape, paras, "会議名・ブランド名", 0.6)


def _page_numbers(deck: Deck) -> None:
    total = len(deck.prs.slides)
    for index, slide in enumerate(deck.prs.slides, start=1):
        if index == 1:
            continue
        deck.textbox(
            slide,
            SLIDE_W - MARGIN - 1.2,
            SLIDE_H - 0.33,
            1.2,
            0.28,
            [_p(f"{index} / {total}", 9, colour=MUTED, align=PP_ALIGN.RIGHT)],
        )


def build_deck(
    result: Result, options: DeckOptions | None = None, progress: Callable[[str], None] | None = None
) -> bytes:
    """The deck as bytes (deterministic for the same inputs, template and font)."""
    return render_deck(result, options, progress).data


def render_deck(
    result: Result, options: DeckOptions | None = None, progress: Callable[[str], None] | None = None
) -> BuiltDeck:
    """The deck's bytes and its layout warnings (text cut to fit, naming the slide)."""
    # The deck is millions of small objects that live until it is saved: the cyclic garbage
    # collector would traverse all of them again and again (a third of the time at 2,000
    # projects) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(result, options, progress)
    finally:
        if collecting:
            gc.enable()


def _build(result: Result, options: DeckOptions | None, progress: Callable[[str], None] | None) -> BuiltDeck:
    deck = Deck(options or DeckOptions())
    ctx = _Context(deck, result, progress or (lambda _: None))
    for index, name in enumerate(result.period.fields):
        ctx.field_colour[name] = FIELD_COLOURS[index % len(FIELD_COLOURS)]
    steps: list[tuple[str, Callable[[], None]]] = [
        ("表紙", lambda: _cover(ctx)),
        ("出席者", lambda: _people(ctx)),
        ("次第", lambda: _agenda(ctx, None)),
        ("検討の経緯", lambda: _history(ctx)),
        ("基本目標", lambda: _goals(ctx)),
        ("KPI一覧", lambda: _kpi_list(ctx)),
        ("次第（ダッシュボード）", lambda: _agenda(ctx, "dashboard")),
    ]
    for field_result in result.fields:
        steps.append(
            (
                f"ダッシュボード {field_result.name}",
                partial(_dashboard, ctx, field_result.name, field_result.kpis),
            )
        )
        for kpi in field_result.kpis:
            steps.append((f"中間指標 {kpi.kpi.id}", partial(_indicator_slides, ctx, kpi)))
    if result.period.projects:
        steps.append(("次第（ロードマップ）", lambda: _agenda(ctx, "roadmap")))
        for field_name in dict.fromkeys(p.field for p in result.period.projects):
            statuses = [s for s in result.roadmap.projects if s.project.field == field_name]
            steps.append((f"ロードマップ {field_name}", partial(_roadmap_list, ctx, field_name, statuses)))
        steps.append(("各分野の主な取組", lambda: _featured_list(ctx)))
        for status in result.roadmap.featured:
            steps.append((f"事業 No.{status.project.no}", partial(_project_slides, ctx, status)))
    if result.period.discussion.sections:
        steps.append(("次第（ディスカッション）", lambda: _agenda(ctx, "discussion")))
        steps.append(("ディスカッション", lambda: _discussion(ctx)))
    steps.append(("次第（閉会）", lambda: _agenda(ctx, "closing")))
    steps.append(("閉会", lambda: _closing(ctx)))
    for label, step in steps:
        ctx.progress(label)
        step()
    _page_numbers(deck)
    meeting = result.period.meeting
    day = meeting.date or dt.date(2000, 1, 1)
    stamp = dt.datetime(day.year, day.month, day.day)
    number_text = f"第{meeting.number}回 " if meeting.number else ""
    data = deck.save(
        stamp,
        f"{number_text}{meeting.council} 資料（{meeting.period_label}）",
        meeting.organizer or meeting.council,
    )
    return BuiltDeck(data, tuple(deck.warnings))
