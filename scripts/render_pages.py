"""Render a deck or report to PNG pages, to look at what the tool makes.

    python scripts/render_pages.py out/fy2024-h1/deck.pptx            # → out/fy2024-h1/deck-pages/
    python scripts/render_pages.py out/fy2024-h1/deck.pptx --dpi 100 --sheet

Needs LibreOffice and poppler-utils (Debian: ``apt-get install libreoffice-impress
libreoffice-writer fonts-noto-cjk fonts-morisawa-bizud-gothic poppler-utils``).  ``--sheet`` also
writes contact sheets (3 × 3 pages each) to look through a long deck quickly.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aomori_dx.pdf import INSTALL_HINT, to_pdf


def contact_sheets(pages: list[Path], target: Path, columns: int = 3, rows: int = 3) -> list[Path]:
    """Tile the pages into sheets of ``columns`` × ``rows``."""
    from PIL import Image

    sheets = []
    per = columns * rows
    for start in range(0, len(pages), per):
        images = [Image.open(page) for page in pages[start : start + per]]
        width, height = images[0].size
        sheet = Image.new(
            "RGB", (columns * width + (columns - 1) * 6, rows * height + (rows - 1) * 6), "gray"
        )
        for index, image in enumerate(images):
            sheet.paste(image, ((index % columns) * (width + 6), (index // columns) * (height + 6)))
        path = target / f"sheet-{start // per + 1:02d}.png"
        sheet.save(path)
        sheets.append(path)
    return sheets


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("document", type=Path)
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--sheet", action="store_true", help="contact sheets too")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm がありません: apt-get install poppler-utils", file=sys.stderr)
        return 1
    try:
        pdf = to_pdf(args.document)
    except Exception as exc:
        print(f"{exc}\n{INSTALL_HINT}", file=sys.stderr)
        return 1
    target = args.document.with_name(args.document.stem + "-pages")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(target / "page")], check=True)
    pages = sorted(target.glob("page-*.png"))
    print(f"{len(pages)} pages in {target}")
    if args.sheet:
        for sheet in contact_sheets(pages, target):
            print(sheet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
