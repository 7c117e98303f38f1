"""The house rules that keep the data flowing one way and the quick commands quick."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aomori_dx"
ROOT = PACKAGE.parent

# Which third-party libraries each module may import (by top-level name).
# In the deck, only its writer knows python-pptx and the XML; the rest asks it.
HEAVY_ONLY_IN = {
    "pptx": {"render/deck/writer.py"},
    "lxml": {"render/deck/writer.py", "render/report/writer.py"},
    "docx": {"render/report/writer.py"},
    "typer": {"cli.py"},
    # BudouX loads its model on first use; only the line-breaking layer may pay for it.
    "budoux": {"render/phrases.py"},
    # pandas reshapes the history across periods for publish; validate must not pay ~0.4 s for it.
    "pandas": {"render/history.py"},
}
# Which of our own layers each layer may import.
LAYERS = {
    "load": {"model", "parse", "errors", "load"},
    "model": {"parse"},
    "parse": set(),
    "rates": set(),
    "validate": {"load", "model", "parse", "rates", "errors", "validate"},
    "compute": {"model", "parse", "rates", "format", "periods"},
    "format": {"parse"},
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_has_a_docstring(path: Path) -> None:
    assert ast.get_docstring(ast.parse(path.read_text("utf-8"))), f"{path} has no module docstring"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_heavy_libraries_stay_in_their_module(path: Path) -> None:
    relative = str(path.relative_to(PACKAGE))
    tops = {name.split(".")[0] for name in _imports(path)}
    for library, allowed in HEAVY_ONLY_IN.items():
        if library in tops:
            assert relative in allowed, f"{relative} imports {library}"


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "render" / "deck").rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_only_the_deck_writer_writes_xml(path: Path) -> None:
    if path.name == "writer.py":
        return
    text = path.read_text("utf-8")
    assert not re.search(r"<(a|p|c):[A-Za-z]", text), f"{path.relative_to(PACKAGE)} writes DrawingML"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_import_only_downwards(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    layer = relative.parts[0].removesuffix(".py")
    if layer not in LAYERS:
        return
    ours = {name.split(".")[1] for name in _imports(path) if name.startswith("aomori_dx.")}
    assert ours <= LAYERS[layer] | {layer}, f"{relative} imports {ours - LAYERS[layer]}"


def test_validate_does_not_import_the_document_libraries() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from aomori_dx.cli import app\n"
        f"result = CliRunner().invoke(app, ['validate', {str(ROOT / 'inputs' / 'fy2024-h1')!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('pptx', 'docx', 'pandas') if m in sys.modules))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
