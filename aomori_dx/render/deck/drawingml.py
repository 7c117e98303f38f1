"""DrawingML as text: the deck's paragraphs, runs, tables and hidden titles written as XML strings.

The writer parses each string once per text body or table and puts it into the package:
building every run and cell through python-pptx's property objects cost about 15 ms a table
(measured with scripts/bench.py), which made a 1,000-project deck take minutes.  This module
knows the markup and nothing of python-pptx; it is the writer's other half, the only other
module of the deck that writes XML.

Every run gets its Latin, East Asian and complex-script faces (python-pptx's ``font.name`` sets
only the Latin one, and macOS, LibreOffice and Google Slides then show Japanese in the wrong
face), and Japanese text gets soft line breaks where the layout counted its lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from aomori_dx.render.deck.measure import soft_breaks
from aomori_dx.render.deck.style import BOX_MARGINS, TEXT, Anchor, Colour, Para

__all__ = [
    "EMU_PER_INCH",
    "emu",
    "hidden_title",
    "paragraph",
    "paragraphs",
    "table_frame",
    "text_body",
    "textbox",
]

EMU_PER_INCH = 914400
A_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
P_NS = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
# PowerPoint's built-in "No Style, Table Grid".
PLAIN_TABLE_STYLE = "{5940675A-B579-460E-94D1-54222C63F5DA}"


def emu(inches: float) -> int:
    """Inches in English Metric Units, truncated as python-pptx's ``Inches`` does."""
    return int(inches * EMU_PER_INCH)


CELL_MARGIN_X = str(emu(0.05))
CELL_MARGIN_Y = str(emu(0.03))


def paragraphs(
    paras: Sequence[Para], font: str, default: Colour | None, width: float | None = None, cell: bool = False
) -> str:
    """The ``a:p`` elements of a text body (an empty paragraph when there are none), each as
    ``paragraph`` writes it."""
    return "".join(paragraph(para, font, default, width, cell) for para in paras or [Para([])])


def paragraph(
    para: Para, font: str, default: Colour | None, width: float | None = None, cell: bool = False
) -> str:
    """One ``a:p``.  With a ``width`` (a text box's as ``measure.para_height`` takes it, a cell's
    column width with ``cell``), Japanese text gets soft line breaks where the layout counted
    its lines, as PowerPoint and LibreOffice would otherwise break it between any two
    characters."""
    font = quoteattr(font)
    faces = f"<a:latin typeface={font}/><a:ea typeface={font}/><a:cs typeface={font}/>"
    attributes = ""
    if para.align is not None:
        attributes += f' algn="{para.align.value}"'
    if para.bullet:
        indent = 0.18 + 0.22 * (para.bullet - 1)
        attributes += f' marL="{emu(indent)}" indent="{-emu(0.16)}"'
    children = ""
    if para.space_before:
        children += f'<a:spcBef><a:spcPts val="{int(para.space_before * 100)}"/></a:spcBef>'
    if para.bullet:
        # The bullet's own font: without it LibreOffice draws the character from a symbol font.
        char = "・" if para.bullet == 1 else "－"
        children += f'<a:buFont typeface={font}/><a:buChar char="{char}"/>'
    breaks = soft_breaks(para, width, cell) if width is not None else []
    runs = _runs(para, default, faces, breaks)
    # The size of an empty paragraph (an empty table cell) comes from here: without it,
    # viewers use the default 18 pt and the row grows taller than the others.
    end = f'<a:endParaRPr lang="ja-JP" sz="{round(para.size * 100)}"><a:latin typeface={font}/><a:ea typeface={font}/></a:endParaRPr>'
    return f"<a:p><a:pPr{attributes}>{children}</a:pPr>{runs}{end}</a:p>"


def _runs(para: Para, default: Colour | None, faces: str, breaks: Sequence[int]) -> str:
    """A paragraph's runs as XML text, with a soft line break (``a:br``) at each offset of
    ``breaks`` into its text."""
    runs = []
    offset = 0
    for piece in para.runs:
        if not piece.text:
            continue
        colour = piece.colour if piece.colour is not None else default
        fill = f'<a:solidFill><a:schemeClr val="{colour.value}"/></a:solidFill>' if colour is not None else ""
        # Latin, East Asian and complex-script faces: without a:ea, Japanese falls back to
        # whatever the viewer picks (python-pptx's font.name sets only a:latin).
        rpr = f'<a:rPr lang="ja-JP" sz="{round(piece.size * 100)}" b="{1 if piece.bold else 0}">{fill}{faces}</a:rPr>'
        start = offset
        offset += len(piece.text)
        cuts = [cut - start for cut in breaks if start < cut <= offset]
        for begin, stop in zip([0, *cuts], [*cuts, None], strict=True):
            if piece.text[begin:stop]:
                runs.append(f"<a:r>{rpr}<a:t>{escape(piece.text[begin:stop])}</a:t></a:r>")
            if stop is not None:
                # The break carries the run's look, so the line keeps its height (python-pptx's
                # run.text would write a vertical tab as the literal _x000B_).
                runs.append(f"<a:br>{rpr}</a:br>")
    return "".join(runs)


def text_body(
    paras: Sequence[Para], font: str, default: Colour | None, width: float | None = None, cell: bool = False
) -> str:
    """An ``a:txBody`` holding ``paras``: the writer moves its paragraphs into a shape or cell."""
    return f"<a:txBody {A_NS}>{paragraphs(paras, font, default, width, cell)}</a:txBody>"


def table_frame(
    shape_id: int,
    left: float,
    top: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[list[Para]]],
    heights: Sequence[float],
    header_rows: int,
    font: str,
) -> str:
    """A ``p:graphicFrame`` holding a table at ``left``, ``top``, its columns ``widths`` and its
    rows ``heights`` inches, the first ``header_rows`` rows coloured as a header."""
    grid = "".join(f'<a:gridCol w="{emu(width)}"/>' for width in widths)
    margins = f'marL="{CELL_MARGIN_X}" marR="{CELL_MARGIN_X}" marT="{CELL_MARGIN_Y}" marB="{CELL_MARGIN_Y}" anchor="ctr"'
    body = []
    for r, (cells, height) in enumerate(zip(rows, heights, strict=True)):
        header = r < header_rows
        default = Colour.BACKGROUND_1 if header else None
        fill = '<a:solidFill><a:schemeClr val="accent1"/></a:solidFill>' if header else ""
        tcs = "".join(
            "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>"
            + paragraphs(paras, font, default, width, True)
            + f"</a:txBody><a:tcPr {margins}>{fill}</a:tcPr></a:tc>"
            for paras, width in zip(cells, widths, strict=True)
        )
        body.append(f'<a:tr h="{emu(height)}">{tcs}</a:tr>')
    first_row = ' firstRow="1"' if header_rows else ""
    return (
        f"<p:graphicFrame {A_NS} {P_NS}><p:nvGraphicFramePr>"
        f'<p:cNvPr id="{shape_id}" name="Table {shape_id - 1}"/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f'<p:xfrm><a:off x="{emu(left)}" y="{emu(top)}"/>'
        f'<a:ext cx="{emu(sum(widths))}" cy="{emu(sum(heights))}"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
        # A plain grid (PowerPoint's "No Style, Table Grid"): the header is coloured above.
        f"<a:tbl><a:tblPr{first_row}><a:tableStyleId>{PLAIN_TABLE_STYLE}</a:tableStyleId></a:tblPr>"
        f"<a:tblGrid>{grid}</a:tblGrid>{''.join(body)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )


def textbox(
    shape_id: int, box: tuple[float, float, float, float], paras: Sequence[Para], font: str, anchor: Anchor
) -> str:
    """A text box (``p:sp``) at ``box`` (left, top, width, height in inches) holding ``paras``
    in the theme's text colour: the XML of python-pptx's ``add_textbox`` with the margins
    ``style.BOX_MARGINS``, word wrap and ``anchor`` set, in one piece.  Its
    lines break at the width ``Composer.fit`` fitted them to, as ``Deck.fill`` does."""
    left, top, width, height = box
    x, y = (emu(margin) for margin in BOX_MARGINS)
    body = paragraphs(paras, font, TEXT, (emu(width) - 2 * x) / EMU_PER_INCH + 0.08)
    return (
        f"<p:sp {A_NS} {P_NS}><p:nvSpPr>"
        f'<p:cNvPr id="{shape_id}" name="TextBox {shape_id - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{emu(left)}" y="{emu(top)}"/><a:ext cx="{emu(width)}" cy="{emu(height)}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square" lIns="{x}" rIns="{x}" tIns="{y}" bIns="{y}" anchor="{anchor.value}">'
        f"<a:spAutoFit/></a:bodyPr><a:lstStyle/>{body}</p:txBody></p:sp>"
    )


def hidden_title(shape_id: int) -> str:
    """An empty, hidden title placeholder (``p:sp``) for a slide whose layout has none."""
    return (
        f"<p:sp {A_NS} {P_NS}><p:nvSpPr>"
        f'<p:cNvPr id="{shape_id}" name="Title {shape_id - 1}" hidden="1"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr>'
        # No position of its own: the master's title placeholder gives it.
        "</p:nvSpPr><p:spPr/>"
        "<p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody></p:sp>"
    )
