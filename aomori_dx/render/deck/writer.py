"""The only part of the deck that knows python-pptx and the XML of PowerPoint files.

``Deck`` opens the template, adds slides, writes text boxes, tables, shapes, pictures and
doughnut charts at the positions it is given, and saves deterministic bytes (fixed core
properties and zip times, ``output.NormalizedZip``).  It measures nothing and decides no
layout: the flow engine and the slide kinds do that with the plain values of ``style``.

Runs, paragraphs and tables come as XML text from ``drawingml`` and are parsed here once per
text body or table; ``TableRef`` edits a written table's XML (merged cells, shading).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeAlias

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.image import Image as PptxImage
from pptx.parts.slide import SlidePart
from pptx.util import Inches

from aomori_dx.errors import TemplateError
from aomori_dx.format import clip
from aomori_dx.output import NormalizedZip, fix_core_properties
from aomori_dx.render.deck.drawingml import EMU_PER_INCH, hidden_title, table_frame, text_body, textbox
from aomori_dx.render.deck.style import BOX_MARGINS, MAIN, SLIDE_H, SLIDE_W, TEXT, Anchor, Colour, Para, Run
from aomori_dx.resources import packaged_template

__all__ = [
    "DEFAULT_FONT",
    "DEFAULT_TEMPLATE",
    "Deck",
    "DeckOptions",
    "Shape",
    "Slide",
    "TableRef",
    "layout_names",
]

DEFAULT_TEMPLATE = packaged_template("default.pptx")
DEFAULT_FONT = "BIZ UDPGothic"

# Layouts by role, with the names PowerPoint gives them in English and in Japanese.
LAYOUTS = {
    "cover": ("Title Slide", "タイトル スライド"),
    "content": ("Title Only", "タイトルのみ"),
}

# python-pptx's slide and shape objects, opaque to the rest of the deck.
Slide: TypeAlias = Any
Shape: TypeAlias = Any

A_P, A_TR, A_TC, A_TXBODY, A_TCPR, A_TBL = (
    qn(t) for t in ("a:p", "a:tr", "a:tc", "a:txBody", "a:tcPr", "a:tbl")
)
A_SOLIDFILL, A_SCHEMECLR = qn("a:solidFill"), qn("a:schemeClr")
ANCHORS = {Anchor.TOP: MSO_ANCHOR.TOP, Anchor.MIDDLE: MSO_ANCHOR.MIDDLE, Anchor.BOTTOM: MSO_ANCHOR.BOTTOM}
# Every theme colour of the deck by python-pptx's name for it (the same member names).
THEME_COLOURS = {colour: getattr(MSO_THEME_COLOR, colour.name) for colour in Colour}


@dataclass(frozen=True)
class DeckOptions:
    """What the user can choose: the template and the font."""

    template: Path = DEFAULT_TEMPLATE
    font: str | None = None


def layout_names(template: Path) -> list[str]:
    """The layout names of a template (for messages)."""
    return [layout.name for layout in Presentation(str(template)).slide_layouts]


@dataclass(frozen=True)
class TableRef:
    """A table written by ``Deck.table``: ``_tbl`` is its ``a:tbl`` element, ``_widths`` its
    columns' widths and ``_rewrap`` writes a cell's text again for a new width."""

    _tbl: Any
    _widths: Sequence[float]
    _rewrap: Callable[[Any, int, int, float], None]

    def _tc(self, row: int, column: int) -> Any:
        return self._tbl.findall(A_TR)[row].findall(A_TC)[column]

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a block of cells, keeping the origin's text and emptying the others.

        Written as the OOXML attributes directly (gridSpan/rowSpan on the origin, hMerge/vMerge on
        the rest): python-pptx's ``merge`` moves the hidden cells' paragraphs into the origin and
        costs a few milliseconds a cell.
        """
        rows = self._tbl.findall(A_TR)
        for r in range(first_row, last_row + 1):
            cells = rows[r].findall(A_TC)
            for c in range(first_column, last_column + 1):
                tc = cells[c]
                if (r, c) == (first_row, first_column):
                    if last_column > first_column:
                        tc.set("gridSpan", str(last_column - first_column + 1))
                        # Its lines were broken for one column: the text now has the block's width.
                        self._rewrap(tc, r, c, sum(self._widths[first_column : last_column + 1]))
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

    def shade(self, row: int, column: int, colour: Colour, tint: int | None = None) -> None:
        """Fill a cell with a theme colour (``tint``: percent of white mixed in, like PowerPoint's)."""
        tcpr = self._tc(row, column).find(A_TCPR)
        for old in tcpr.findall(A_SOLIDFILL):
            tcpr.remove(old)
        fill = etree.SubElement(tcpr, A_SOLIDFILL)
        scheme = etree.SubElement(fill, A_SCHEMECLR, val=colour.value)
        if tint:
            etree.SubElement(scheme, qn("a:lumMod"), val=str((100 - tint) * 1000))
            etree.SubElement(scheme, qn("a:lumOff"), val=str(tint * 1000))


def picture_pixels(path: str) -> tuple[int, int]:
    """A picture's width and height in pixels."""
    width, height = PptxImage.from_file(path).size
    return width, height


class Deck:
    """A presentation being written slide by slide, at positions given in inches."""

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
        # Alternative text of pictures by file path: their Markdown captions (``describe_pictures``).
        self._captions: dict[str, str] = {}
        self._placeholders: dict[str, list[Any]] = {}  # each role's as first cloned
        self._inherited: dict[tuple[str, int], tuple[Any, Any]] = {}  # sizes (``_size``)
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
        return (found.get("typeface") or None) if found is not None else None

    # --- slides ---

    def add_slide(self, role: str, title: str) -> Slide:
        """A new slide of the layout for ``role`` (``cover`` or ``content``), its placeholders
        empty; ``title`` names it in ``label``.

        ``Slides.add_slide`` without its quadratic parts: python-pptx looks for an existing
        relationship to the new slide (building a dict of all the presentation's relationships
        each time) and for the largest slide id (an XPath over all of them), a third of the time
        of a 1,000-project deck.  A new slide has no relationship yet and the ids are ours to
        count, so this does the same steps directly (python-pptx 1.0: ``PresentationPart.add_slide``);
        a layout's empty placeholders are copied from its first slide (python-pptx uses XPaths).
        """
        layout = self.layouts[role]
        part = self.prs.part
        self._slide_count += 1
        # python-pptx names the part from len(sldIdLst), found by an XPath each time.
        partname = PackURI(f"/ppt/slides/slide{self._slide_count}.xml")
        slide_part = SlidePart.new(partname, part.package, layout.part)  # type: ignore[no-untyped-call]
        rel_id = part.rels._add_relationship(RT.SLIDE, slide_part)
        slide = slide_part.slide
        self._names[str(partname)] = (self._slide_count, title)
        tree = slide.shapes._spTree
        if role not in self._placeholders:
            slide.shapes.clone_layout_placeholders(layout)
            self._placeholders[role] = [copy.deepcopy(element) for element in tree[2:]]
        tree[2:] = [copy.deepcopy(element) for element in self._placeholders[role]]
        # A new shape's id, the largest so far plus one, is counted (not found by an XPath).
        slide.shapes.turbo_add_enabled = True
        self._slide_id += 1
        self.prs.slides._sldIdLst._add_sldId(id=self._slide_id, rId=rel_id)
        return slide

    def label(self, slide: Slide) -> tuple[int, str]:
        """The slide's number and the title it was added with."""
        return self._names.get(str(slide.part.partname), (0, ""))

    @property
    def slides(self) -> list[Slide]:
        return list(self.prs.slides)

    @staticmethod
    def title_shape(slide: Slide) -> Shape | None:
        return slide.shapes.title

    @staticmethod
    def placeholders(slide: Slide) -> list[tuple[int, Shape]]:
        """The slide's placeholders with their index (0 the title, 1 the subtitle or body)."""
        return [(shape.placeholder_format.idx, shape) for shape in slide.placeholders]

    # --- text ---

    def _write(
        self,
        body: Any,
        paras: Sequence[Para],
        default: Colour | None = None,
        width: float | None = None,
        cell: bool = False,
    ) -> None:
        # Built as text and parsed once per text body: creating each element through lxml with
        # python-pptx's element classes cost most of a large deck's time.
        for old in body.findall(A_P):
            body.remove(old)
        body.extend(list(parse_xml(text_body(paras, self.font, default, width, cell))))

    def _size(self, shape: Shape) -> tuple[Any, Any]:
        """A shape's width and height in EMU; a placeholder without its own inherits them, found
        once per layout (python-pptx searches the layout and master by XPaths each time)."""
        element = shape._element
        if element.cx is not None and element.cy is not None:
            return element.cx, element.cy
        key = (str(shape.part.slide_layout.part.partname), element.ph_idx)
        if key not in self._inherited:
            self._inherited[key] = (shape.width, shape.height)
        return self._inherited[key]

    def text_box(self, shape: Shape) -> tuple[float, float, float, float]:
        """A shape's width, height and side and top text margins, in inches."""
        width, height = self._size(shape)
        inset_x, inset_y = shape.text_frame.margin_left, shape.text_frame.margin_top
        return width / EMU_PER_INCH, height / EMU_PER_INCH, inset_x / EMU_PER_INCH, inset_y / EMU_PER_INCH

    def fill(self, shape: Shape, paras: Sequence[Para], anchor: Anchor | None = None) -> None:
        """Replace the text of a shape (a placeholder, a text box, a coloured box)."""
        frame = shape.text_frame
        frame.word_wrap = True
        if anchor is not None:
            frame.vertical_anchor = ANCHORS[anchor]
        # Text without its own colour is the theme's text colour: a shape's default is white.
        # The lines are broken at the width the flow engine fitted the text to (``Composer.fit``).
        width, _ = self._size(shape)
        if width is not None:
            width = (width - frame.margin_left - frame.margin_right) / EMU_PER_INCH + 0.08
        self._write(frame._txBody, paras, TEXT, width)

    @staticmethod
    def add_textbox(slide: Slide, left: float, top: float, width: float, height: float) -> Shape:
        """An empty text box with small margins (``BOX_MARGINS``)."""
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.margin_left = frame.margin_right = Inches(BOX_MARGINS[0])
        frame.margin_top = frame.margin_bottom = Inches(BOX_MARGINS[1])
        return box

    def textbox(
        self, slide: Slide, box: tuple[float, float, float, float], paras: Sequence[Para], anchor: Anchor
    ) -> None:
        """A text box at ``box`` (left, top, width, height) holding ``paras``: ``add_textbox``
        and ``fill`` as one piece of XML, parsed once (a large deck has thousands)."""
        xml = textbox(slide.shapes._next_shape_id, box, paras, self.font, anchor)
        slide.shapes._spTree.append(parse_xml(xml))

    # --- tables, shapes, pictures, charts ---

    def table(
        self,
        slide: Slide,
        left: float,
        top: float,
        widths: Sequence[float],
        rows: Sequence[Sequence[list[Para]]],
        heights: Sequence[float],
        header_rows: int = 1,
    ) -> TableRef:
        """A table, written as one piece of XML (python-pptx's ``add_table`` and its cell objects
        were most of the time of a large deck)."""
        xml = table_frame(
            slide.shapes._next_shape_id, left, top, widths, rows, heights, header_rows, self.font
        )
        frame = parse_xml(xml)
        slide.shapes._spTree.append(frame)

        def rewrap(tc: Any, row: int, column: int, width: float) -> None:
            default = Colour.BACKGROUND_1 if row < header_rows else None
            self._write(tc.find(A_TXBODY), rows[row][column], default, width, cell=True)

        return TableRef(frame.find(f".//{A_TBL}"), widths, rewrap)

    @staticmethod
    def box(
        slide: Slide,
        left: float,
        top: float,
        width: float,
        height: float,
        fill: Colour,
        line: Colour | None = None,
        rounded: bool = False,
        corner: float | None = None,
    ) -> Shape:
        """A filled rectangle (``rounded``: with rounded corners, ``corner`` their radius as a
        share of the shorter side) outlined in ``line``, or without an outline."""
        kind = MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE
        shape = slide.shapes.add_shape(kind, Inches(left), Inches(top), Inches(width), Inches(height))
        shape.fill.solid()
        shape.fill.fore_color.theme_color = THEME_COLOURS[fill]
        if line is None:
            shape.line.fill.background()
        else:
            shape.line.color.theme_color = THEME_COLOURS[line]
        if corner is not None:
            shape.adjustments[0] = corner
        return shape

    def picture(self, slide: Slide, path: str, left: float, top: float, width: float, height: float) -> None:
        shape = slide.shapes.add_picture(path, Inches(left), Inches(top), Inches(width), Inches(height))
        # python-pptx describes a picture by a file name (the first of identical pictures): the
        # reader of a PDF needs the caption.
        self.describe(shape, self._captions.get(path, ""))

    @staticmethod
    def doughnut(slide: Slide, left: float, top: float, size: float, shown: float, colour: Colour) -> Shape:
        """A doughnut of ``shown`` percent (0–100) in ``colour``, the rest in ``DOUGHNUT_REST``."""
        data = CategoryChartData()  # type: ignore[no-untyped-call]
        data.categories = ["達成", "未達成"]
        data.add_series("達成率", (round(shown, 1), round(100 - shown, 1)))  # type: ignore[no-untyped-call]
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.DOUGHNUT, Inches(left), Inches(top), Inches(size), Inches(size), data
        )
        chart = frame.chart
        chart.has_legend = chart.has_title = False
        plot = chart.plots[0]
        plot.has_data_labels, plot.vary_by_categories = False, True
        hole = plot._element.find(qn("c:holeSize"))
        if hole is None:
            hole = etree.SubElement(plot._element, qn("c:holeSize"))
        # A thin ring: the grey remainder must be dark enough to see, not dominate the card.
        hole.set("val", "70")
        for index, point_colour in enumerate((colour, DOUGHNUT_REST)):
            point = plot.series[0].points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.theme_color = THEME_COLOURS[point_colour]
            point.format.line.fill.background()
        return frame

    def save(self, stamp: dt.datetime, title: str, author: str) -> bytes:
        """``Presentation.save``'s entries zipped once, by ``NormalizedZip`` (saving and then
        normalizing compressed a large deck twice): python-pptx 1.0's ``PackageWriter._write``."""
        fix_core_properties(self.prs.core_properties, stamp, clip(title), clip(author))
        app = {"Application": "aomori-dx", "PresentationFormat": "ユーザー設定 (16:9)", "Company": ""}
        out = NormalizedZip(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), app)
        package = self.prs.part.package
        writer = PackageWriter(io.BytesIO(), package._rels, tuple(package.iter_parts()))
        sink: Any = SimpleNamespace(write=lambda uri, blob: out.add(uri.membername, blob))
        for step in (writer._write_content_types_stream, writer._write_pkg_rels, writer._write_parts):
            step(sink)
        return out.close()

    @staticmethod
    def tint(shape: Shape, colour: Colour, tint: int) -> None:
        """Fill a shape with a theme colour lightened by ``tint`` percent of white (PowerPoint's
        "Lighter 80%" is 80), so a large area in a field's colour stays quiet behind text."""
        shape.fill.solid()
        shape.fill.fore_color.theme_color = THEME_COLOURS[colour]
        shape.fill.fore_color.brightness = tint / 100

    # --- accessibility: alternative text and slide titles ---

    @staticmethod
    def describe(shape: Shape, text: str) -> None:
        """Set a shape's alternative text (``descr``), read aloud and kept in a tagged PDF; an
        empty one is named after its slide by ``complete_accessibility``."""
        shape._element.find(f".//{P_CNVPR}").set("descr", text)

    def describe_pictures(self, captions: dict[str, str]) -> None:
        """The alternative text of the pictures to come, by file path (their captions)."""
        self._captions = dict(captions)

    def complete_accessibility(self) -> None:
        """Give every slide a title and every chart and picture alternative text.

        PowerPoint's accessibility checker asks for both, and the prefecture publishes the deck
        as PDF.  A slide whose layout has no title placeholder gets a hidden one (a branded
        template may drop it); a chart or picture still without a description is named after
        its slide.
        """
        for slide in self.slides:
            number_, title = self.label(slide)
            title = title or f"スライド {number_}"
            self._ensure_title(slide, title)
            # Only the shape tree's children, and a frame's kind by its graphicData: walking
            # into every table cell cost a large deck half a second.
            for element in slide.shapes._spTree.iterchildren(P_PIC, P_GRAPHICFRAME):
                data = element.find(f"{A_GRAPHIC}/{A_GRAPHICDATA}")
                if element.tag == P_GRAPHICFRAME and not data.get("uri", "").endswith("/chart"):
                    continue  # a table: its cells are text
                c_nv_pr = element.find(f".//{P_CNVPR}")
                if not c_nv_pr.get("descr"):
                    kind = "図" if element.tag == P_PIC else "グラフ"
                    c_nv_pr.set("descr", f"「{title}」の{kind}")

    def _ensure_title(self, slide: Slide, title: str) -> None:
        for sp in slide.shapes._spTree.iterchildren(P_SP):
            ph = sp.find(f"{P_NVSPPR}/{P_NVPR}/{P_PH}")
            if ph is not None and ph.get("type") in ("title", "ctrTitle") and "".join(sp.itertext()).strip():
                return
        shape = slide.shapes.title
        if shape is None:
            # First in the shape tree: the reading order starts with the title.
            slide.shapes._spTree.insert(2, parse_xml(hidden_title(slide.shapes._next_shape_id)))
            shape = slide.shapes.title
        else:
            # An empty title stays out of sight, as the design left it empty.
            shape._element.find(f".//{P_CNVPR}").set("hidden", "1")
        self._write(shape.text_frame._txBody, [Para([Run(title, 24, True, MAIN)])], TEXT)


P_CNVPR, P_PIC, P_GRAPHICFRAME, P_SP, P_NVSPPR, P_NVPR, P_PH = (
    qn(t) for t in ("p:cNvPr", "p:pic", "p:graphicFrame", "p:sp", "p:nvSpPr", "p:nvPr", "p:ph")
)
A_GRAPHIC, A_GRAPHICDATA = qn("a:graphic"), qn("a:graphicData")
# The remainder of a doughnut: a mid grey (accent5, 7F7F7F by default: 4.0:1 against the white
# background), not the near-white bg2 that a projector washes out.
DOUGHNUT_REST = Colour.ACCENT_5
