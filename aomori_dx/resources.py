"""Files that ship inside the package (the default templates), found through ``importlib.resources``.

The top-level ``templates/`` folder is where staff find the defaults to brand them, and where
``templates/make_templates.py`` makes them; the script writes the same bytes into
``aomori_dx/templates/`` too, because only files inside the package reach a wheel, and an
installed ``aomori-dx`` cannot see a source tree.  ``tests/test_wheel.py`` holds the two copies
byte-identical.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib.resources import as_file, files
from pathlib import Path

__all__ = ["packaged_template"]

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def packaged_template(name: str) -> Path:
    """The path of a default template shipped in the package (``default.pptx``, ``default.docx``)."""
    resource = files("aomori_dx") / "templates" / name
    if isinstance(resource, Path):
        return resource
    # Imported from a zip (a zipapp, a frozen build): the file needs a real path for python-pptx
    # and python-docx, so it is extracted once and removed at exit.
    return _extracted.enter_context(as_file(resource))
