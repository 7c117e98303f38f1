"""Make the default templates in this folder, byte for byte the same on every run.

    python templates/make_templates.py          # writes templates/default.pptx

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

from aomori_dx.output import normalize_ooxml  # noqa: E402

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
FONT = "BIZ UDPGothic"
STAMP = dt.datetime(2024, 1, 1, 0, 0, 0)
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
    props = prs.core_properties
    props.title = "aomori-dx default template"
    props.author = "aomori-dx"
    props.last_modified_by = "aomori-dx"
    props.subject = ""
    props.keywords = ""
    props.comments = "Made by templates/make_templates.py"
    props.revision = 1
    props.created = STAMP
    props.modified = STAMP
    props.last_printed = STAMP
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalize_ooxml(buffer.getvalue())


TEMPLATES = {"default.pptx": make_deck_template}


def main() -> None:
    """Write every default template beside this script."""
    for name, make in TEMPLATES.items():
        (HERE / name).write_bytes(make())
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
