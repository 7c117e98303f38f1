"""Make the default templates in this folder, byte for byte the same on every run.

    python templates/make_templates.py  # writes templates/default.pptx and default.docx (and the package copies)

The deck template starts from python-pptx's own default and changes what a meeting deck needs:
16:9 slides, a theme whose Latin *and* East Asian fonts are BIZ UDPGothic (so Japanese never falls
back to a Chinese or Mincho face), a colour scheme the renderer uses through theme colours
(accent1 = main, accent2–4 = fields, accent5 = muted, accent6 = "changed since the last
snapshot"), neutral metadata, and fixed zip times.  Open the result in PowerPoint to brand it
(logo, colours, fonts), save it under another name and pass it with ``--template``; the renderer
finds the layouts "Title Slide" and "Title Only" by name (or their Japanese names).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from aomori_dx.output import fix_core_properties, normalize_ooxml  # noqa: E402

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
FONT = "BIZ UDPGothic"
STAMP = dt.datetime(2024, 1, 1, 0, 0, 0)
COMMENT = "Made by templates/make_templates.py"
COLOURS = {
    "dk1": "222222",
    "lt1": "FFFFFF",
    "dk2": "1F3864",
    "lt2": "EEF2F7",
    "accent1": "1F4E79",
    "accent2": "2E75B6",
    "accent3": "C55A11",
    "accent4": "548235",
    "accent5": "7F7F7F",
    "accent6": "C00000",
    "hlink": "0563C1",
    "folHlink": "954F72",
}
WIDE = Emu(12192000)  # 13.333 in: 16:9
HIGH = Emu(6858000)  # 7.5 in


def _theme(blob: bytes) -> bytes:
    root = etree.fromstring(blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    assert scheme is not None
    scheme.set("name", "aomori-dx")
    for name, value in COLOURS.items():
        slot = scheme.find(f"{{{A}}}{name}")
        assert slot is not None
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A}}}srgbClr", val=value)
    fonts = root.find(f".//{{{A}}}fontScheme")
    assert fonts is not None
    fonts.set("name", "aomori-dx")
    for kind in ("majorFont", "minorFont"):
        group = fonts.find(f"{{{A}}}{kind}")
        assert group is not None
        for tag in ("latin", "ea"):
            element = group.find(f"{{{A}}}{tag}")
            assert element is not None
            element.set("typeface", FONT)
        for script in group.findall(f"{{{A}}}font"):
            if script.get("script") == "Jpan":
                script.set("typeface", FONT)
    root.set("name", "aomori-dx")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _own_position(shape: object) -> bool:
    # A layout placeholder without its own position inherits the master's (already widened).
    return shape._element.spPr.xfrm is not None  # type: ignore[attr-defined]


def _widen(shapes: object) -> None:
    # The default layouts are drawn for 4:3; stretch them horizontally to 16:9.
    for shape in shapes:  # type: ignore[attr-defined]
        if _own_position(shape):
            shape.left = Emu(int(shape.left * WIDE / 9144000))
            shape.width = Emu(int(shape.width * WIDE / 9144000))


def make_deck_template() -> bytes:
    """The default .pptx template, as bytes."""
    prs = Presentation()
    prs.slide_width = WIDE
    prs.slide_height = HIGH
    master = prs.slide_master
    _widen(master.placeholders)
    for layout in prs.slide_layouts:
        _widen(layout.placeholders)
    # Titles sit at the top in one line, left-aligned, as in the meeting material.
    for layout in [master, *list(prs.slide_layouts)[1:]]:
        for shape in layout.placeholders:
            if shape.placeholder_format.idx == 0 and _own_position(shape) and shape.top < Emu(1000000):
                shape.left, shape.top = Emu(457200), Emu(228600)
                shape.width, shape.height = Emu(int(WIDE) - 2 * 457200), Emu(640080)
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = _theme(theme.blob)
    fix_core_properties(prs.core_properties, STAMP, "aomori-dx default template", "aomori-dx", COMMENT)
    buffer = io.BytesIO()
    prs.save(buffer)
    app = {"Application": "aomori-dx", "PresentationFormat": "ユーザー設定 (16:9)", "Company": ""}
    return normalize_ooxml(buffer.getvalue(), app=app)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_FONT = "BIZ UDP明朝"
HEADING_FONT = "BIZ UDPゴシック"
# Windows names the Mincho "BIZ UDP明朝 Medium"; fontTable's altName lets Word find it there.
ALT_NAMES = {BODY_FONT: "BIZ UDP明朝 Medium", HEADING_FONT: "BIZ UDPGothic"}


def _fonts(style: object, name: str) -> None:
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(f"{{{W}}}rFonts")
    if fonts is None:
        fonts = etree.SubElement(rpr, f"{{{W}}}rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for kind in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(f"{{{W}}}{kind}", name)


def _font_table(blob: bytes) -> bytes:
    root = etree.fromstring(blob)
    for name, alternative in ALT_NAMES.items():
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", name)
        etree.SubElement(font, f"{{{W}}}altName").set(f"{{{W}}}val", alternative)
        etree.SubElement(font, f"{{{W}}}charset").set(f"{{{W}}}val", "80")
        etree.SubElement(font, f"{{{W}}}family").set(
            f"{{{W}}}val", "roman" if name == BODY_FONT else "modern"
        )
        etree.SubElement(font, f"{{{W}}}pitch").set(f"{{{W}}}val", "variable")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# Word 2010's second copy of the styles, inherited from python-docx's default template.  Word
# repairs a file whose copy lacks styles of styles.xml or has other defaults; Word 2013 and later
# neither write nor need it, so the part goes (python-docx then leaves out its content type too).
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_styles_with_effects(document: object) -> None:
    part = document.part  # type: ignore[attr-defined]
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rel_id)


def make_report_template() -> bytes:
    """The default .docx template, as bytes: A4, Japanese fonts in every style we use."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    looks = {
        # name: (font, size, bold, colour, space before, space after)
        "Normal": (BODY_FONT, 10.5, False, None, 0, 4),
        "Title": (HEADING_FONT, 24, True, "1F4E79", 0, 12),
        "Subtitle": (HEADING_FONT, 14, False, "404040", 0, 6),
        "Heading 1": (HEADING_FONT, 16, True, "1F4E79", 0, 10),
        "Heading 2": (HEADING_FONT, 13, True, "1F4E79", 12, 6),
        "Heading 3": (HEADING_FONT, 11.5, True, "222222", 8, 4),
        "Header": (HEADING_FONT, 8.5, False, "595959", 0, 0),
        "Footer": (HEADING_FONT, 9, False, "595959", 0, 0),
        "Caption": (HEADING_FONT, 9, False, "595959", 2, 6),
        "TOC Heading": (HEADING_FONT, 16, True, "1F4E79", 0, 10),
    }
    for name, (font, size, bold, colour, before, after) in looks.items():
        style = styles[name]
        _fonts(style, font)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        if colour:
            style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    styles["Heading 1"].paragraph_format.page_break_before = True
    # Japanese as the East Asian language (python-docx's template says en-US).
    lang = document.styles.element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    if lang is not None:
        lang.set(f"{{{W}}}eastAsia", "ja-JP")
    for level in (1, 2, 3):
        styles[f"Heading {level}"].paragraph_format.keep_with_next = True
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    _fonts(table_text, HEADING_FONT)
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_before = Pt(0)
    table_text.paragraph_format.space_after = Pt(0)
    for level in (1, 2, 3):
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = styles["Normal"]
        _fonts(toc, HEADING_FONT)
        toc.paragraph_format.left_indent = Mm(5 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
    theme = document.part.part_related_by(DOCX_RT.THEME)
    theme._blob = _theme(theme.blob)
    font_table = document.part.part_related_by(DOCX_RT.FONT_TABLE)
    font_table._blob = _font_table(font_table.blob)
    _drop_styles_with_effects(document)
    fix_core_properties(
        document.core_properties, STAMP, "aomori-dx default report template", "aomori-dx", COMMENT
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_ooxml(buffer.getvalue(), app={"Application": "aomori-dx", "Template": "", "Company": ""})


TEMPLATES = {"default.pptx": make_deck_template, "default.docx": make_report_template}


# The package's copies: only files inside aomori_dx/ reach the wheel (aomori_dx/resources.py).
PACKAGED = HERE.parent / "aomori_dx" / "templates"


def main() -> None:
    """Write every default template beside this script and into the package."""
    for name, make in TEMPLATES.items():
        data = make()
        for folder in (HERE, PACKAGED):
            (folder / name).write_bytes(data)
            print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
