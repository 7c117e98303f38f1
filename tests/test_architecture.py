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

# Which third-party libraries may be imported where (by top-level name).  A place is a module or
# a package by its path without ".py" ("collect" is collect.py or anything under collect/).
# In the deck and the report, only their writer knows python-pptx, python-docx and the XML.
HEAVY_ONLY_IN = {
    "pptx": {"render/deck/writer"},
    "docx": {"render/report/writer"},
    "lxml": {"render/deck/writer", "render/report/writer"},
    # Reading workbooks (the inputs, cell references in messages) and the request workbooks.
    # render/history.py writes its workbook through pandas (engine="openpyxl"), not by import.
    "openpyxl": {"load/xlsx", "load/cells", "load/tables", "collect"},
    "jinja2": {"render/site"},
    # typer carries its own click (typer._click); the CLI's words (cli/text) need neither.  An
    # installed click is another copy, whose exceptions typer's commands would not raise.
    "typer": {"cli/common", "cli/documents", "cli/collecting", "cli/help"},
    "click": set(),
    "rich": {
        "cli/common",
        "cli/documents",
        "cli/collecting",
        "cli/help",
        "console",
        "render/phrased",
        "render/terminal",
        "render/validation",
    },
    # BudouX loads its model on first use; only the line-breaking layer may pay for it.
    "budoux": {"render/phrases"},
    # pandas reshapes the history across periods for publish; validate must not pay ~0.4 s for it.
    "pandas": {"render/history"},
    "PIL": {"validate"},
    "markdown_it": {"load"},
}
# Which of our own layers (top-level modules and packages) each layer may import besides itself.
# Every layer is listed: a new one fails test_every_layer_is_in_the_table until it is placed.
LIBRARY = {"errors", "parse", "rates", "model", "format", "periods", "resources", "output"}
LAYERS: dict[str, set[str]] = {
    "__init__": set(),
    "__main__": {"cli"},
    "parse": set(),
    "rates": set(),
    "errors": set(),
    "periods": set(),
    "resources": set(),
    "console": set(),
    "uno_export": set(),  # runs inside LibreOffice's own Python: nothing of ours
    "model": {"parse"},
    "format": {"parse"},
    "output": {"errors"},
    "pdf": {"errors", "output"},
    "load": {"model", "parse", "errors"},
    "validate": {"load", "model", "parse", "rates", "errors"},
    "compute": {"model", "parse", "rates", "format", "periods"},
    "collect": {"errors", "format", "load", "model", "output", "parse", "periods", "validate"},
    # render reads the result; validation.py renders validate's report for the terminal.
    "render": {"compute", "errors", "format", "model", "output", "parse", "rates", "resources", "validate"},
    # The library's build and publish: everything below the CLI, nothing of it.
    "pipeline": {"compute", "errors", "model", "output", "parse", "pdf", "periods", "render", "validate"},
    "cli": LIBRARY
    | {
        "__init__",
        "collect",
        "compute",
        "console",
        "load",
        "pipeline",
        "render",
        "validate",
    },
}
# In these packages only the writer turns things into XML (its elements, by namespace prefix).
# The deck's writer has a second half that writes its DrawingML as text (drawingml.py, from the
# deck-engine branch); a folder's writers must between them hold the pattern.
XML_WRITERS = {
    "render/deck": ({"writer.py", "drawingml.py"}, r"<(a|p|c):[A-Za-z]"),
    "render/report": ({"writer.py"}, r"<w:[A-Za-z]"),
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _place(path: Path) -> str:
    return str(path.relative_to(PACKAGE).with_suffix("")).replace("\\", "/")


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _in(place: str, allowed: set[str]) -> bool:
    return any(place == entry or place.startswith(entry + "/") for entry in allowed)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (also inside functions), as absolute names;
    ``from aomori_dx import cli_text`` counts as ``aomori_dx.cli_text``."""
    tree = ast.parse(path.read_text("utf-8"))
    package = ".".join(("aomori_dx", *path.relative_to(PACKAGE).parent.parts))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            names.add(base)
            if base == "aomori_dx":
                names.update(f"aomori_dx.{alias.name}" for alias in node.names)
    return names


def _our_layers(path: Path) -> set[str]:
    layers = set()
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "aomori_dx" and len(parts) > 1:
            known = (PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()
            layers.add(parts[1] if known else "__init__")  # __version__ and the like
    return layers


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_has_a_docstring(path: Path) -> None:
    assert ast.get_docstring(ast.parse(path.read_text("utf-8"))), f"{path} has no module docstring"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_heavy_libraries_stay_in_their_module(path: Path) -> None:
    tops = {name.split(".")[0] for name in _imports(path)}
    for library, allowed in HEAVY_ONLY_IN.items():
        if library in tops:
            assert _in(_place(path), allowed), f"{_place(path)} imports {library}"


@pytest.mark.parametrize("library", sorted(HEAVY_ONLY_IN))
def test_every_allowed_place_uses_its_library(library: str) -> None:
    # A place allowed a library it no longer imports would let the next module slip it in unseen.
    for entry in HEAVY_ONLY_IN[library]:
        users = [
            path
            for path in _modules()
            if _in(_place(path), {entry}) and library in {n.split(".")[0] for n in _imports(path)}
        ]
        assert users, f"{entry} is allowed {library} but does not import it"


def test_every_layer_is_in_the_table() -> None:
    layers = {_layer(path) for path in _modules()}
    assert layers == set(LAYERS), f"not placed: {layers - set(LAYERS)}; gone: {set(LAYERS) - layers}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_import_only_downwards(path: Path) -> None:
    layer = _layer(path)
    ours = _our_layers(path) - {layer}
    assert ours <= LAYERS[layer], f"{path.relative_to(PACKAGE)} imports {ours - LAYERS[layer]}"


def test_the_layer_walk_sees_every_form_of_import(tmp_path: Path) -> None:
    # The checks above are only as good as this walk: it must see the forms that slip past a
    # naive one (a function-level import, `from aomori_dx import x`, a relative import).
    module = PACKAGE / "render" / "report" / "writer.py"
    assert {"docx", "lxml", "aomori_dx.render.report.fit"} <= _imports(module)
    assert "aomori_dx.cli.text" in _imports(PACKAGE / "cli" / "help.py")
    assert "__init__" in _our_layers(PACKAGE / "cli" / "common.py")


@pytest.mark.parametrize("folder", sorted(XML_WRITERS))
def test_only_the_writer_writes_xml(folder: str) -> None:
    writers, pattern = XML_WRITERS[folder]
    paths = sorted((PACKAGE / folder).rglob("*.py"))
    written = [path for path in paths if path.name in writers and re.search(pattern, path.read_text("utf-8"))]
    assert written, "the pattern finds nothing in the writers"
    for path in paths:
        if path.name not in writers:
            assert not re.search(pattern, path.read_text("utf-8")), f"{path.relative_to(PACKAGE)} writes XML"


def _loaded_after(code: str) -> list[str]:
    probe = "\nimport sys\nprint(sorted(m for m in ('pptx', 'docx', 'pandas', 'typer', 'rich') if m in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", code + probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return list(ast.literal_eval(result.stdout.strip().splitlines()[-1]))


def test_validate_does_not_import_the_document_libraries() -> None:
    code = (
        "from typer.testing import CliRunner\n"
        "from aomori_dx.cli import app\n"
        f"result = CliRunner().invoke(app, ['validate', {str(ROOT / 'inputs' / 'fy2024-h1')!r}])\n"
        "assert result.exit_code == 0, result.output\n"
    )
    assert _loaded_after(code) == ["rich", "typer"]


def test_publish_imports_pandas_so_the_probe_can_see_it(tmp_path: Path) -> None:
    # The probe above would pass if it never saw a library at all: the same probe after publish
    # (which charts the history with pandas) and after build must see them.
    code = (
        "from typer.testing import CliRunner\n"
        "from aomori_dx.cli import app\n"
        f"result = CliRunner().invoke(app, ['publish', {str(ROOT / 'inputs' / 'fy2024-h1')!r}, "
        f"'--out', {str(tmp_path)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
    )
    assert "pandas" in _loaded_after(code)


def test_the_library_builds_without_typer_or_rich(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\n"
        "from aomori_dx.compute import compute\n"
        "from aomori_dx.pipeline import Documents, build_documents\n"
        "from aomori_dx.validate import validate_period\n"
        f"data, _ = validate_period(Path({str(ROOT / 'inputs' / 'fy2024-h1')!r}))\n"
        f"built = build_documents(compute(data, None), Path({str(tmp_path)!r}), Documents(deck=False))\n"
        "assert [path.name for path, _ in built.files] == ['report.docx']\n"
    )
    assert _loaded_after(code) == ["docx"]
    assert (tmp_path / "fy2024-h1" / "report.docx").is_file()
