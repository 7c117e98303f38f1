"""Export one document to a tagged PDF through LibreOffice's UNO API, after updating its indexes.

Run by LibreOffice's own Python (the one that can ``import uno``), never imported by aomori-dx:

    python uno_export.py <pipe> <document> <pdf> <language>

``aomori_dx.pdf`` starts LibreOffice headless listening on ``<pipe>`` and copies this file into
a temporary folder before running it, so it needs nothing but the standard library and ``uno``
and runs on the Python that LibreOffice ships (3.8 on older Windows installs).  ``--convert-to``
cannot do this: it exports the table of contents as the file caches it, without page numbers,
and cannot set the document language.  A failure ends with one line on stderr, ``step=<step>`` and
the exception (``aomori_dx.pdf`` says the step in Japanese), and exit code 1.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import time
from typing import Any

CONNECT_SECONDS = 120  # LibreOffice's first start with a new profile takes seconds, more on Windows
FILTERS = {
    "com.sun.star.text.TextDocument": "writer_pdf_Export",
    "com.sun.star.presentation.PresentationDocument": "impress_pdf_Export",
}
# What the script was doing when it failed: connect, load, update, export (read by aomori_dx.pdf).
STEP = ["connect"]


def _uno() -> Any:
    return importlib.import_module("uno")


def _props(**values: Any) -> tuple[Any, ...]:
    props = []
    for name, value in values.items():
        prop = _uno().createUnoStruct("com.sun.star.beans.PropertyValue")
        prop.Name, prop.Value = name, value
        props.append(prop)
    return tuple(props)


def _connect(pipe: str) -> Any:
    local = _uno().getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException until LibreOffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def _set_locale(context: Any, language: str) -> None:
    # Impress takes the PDF's /Lang from LibreOffice's locale setting, which lives in the
    # throw-away profile, so changing it touches nothing of the user's.
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", _props(nodepath="/org.openoffice.Setup/L10N")
    )
    access.setPropertyValue("ooSetupSystemLocale", language)
    access.commitChanges()


def _update_writer(document: Any, language: str) -> None:
    # Writer takes /Lang from the document's default language (Word's w:lang w:val, en-US in
    # most templates even in Japan); the document itself is not saved.
    code, _, country = language.partition("-")
    defaults = document.createInstance("com.sun.star.text.Defaults")
    defaults.setPropertyValue(
        "CharLocale", _uno().createUnoStruct("com.sun.star.lang.Locale", code, country, "")
    )
    indexes = document.getDocumentIndexes()
    for position in range(indexes.getCount()):
        indexes.getByIndex(position).update()
    document.getTextFields().refresh()


def export(pipe: str, source: str, target: str, language: str) -> None:
    """Load ``source`` hidden, update it, and store it as a tagged PDF at ``target``."""
    uno = _uno()
    context = _connect(pipe)
    _set_locale(context, language)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    try:
        STEP[0] = "load"
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, _props(Hidden=True)
        )
        if document is None:
            raise RuntimeError("the document could not be loaded")
        try:
            kind = next((name for name in FILTERS if document.supportsService(name)), None)
            if kind is None:
                raise RuntimeError("not a text document or presentation")
            if kind == "com.sun.star.text.TextDocument":
                STEP[0] = "update"
                _update_writer(document, language)
            STEP[0] = "export"
            options = _props(UseTaggedPDF=True, ExportBookmarks=True, DisplayPDFDocumentTitle=True)
            filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", options)
            document.storeToURL(
                uno.systemPathToFileUrl(target), _props(FilterName=FILTERS[kind], FilterData=filter_data)
            )
        finally:
            document.close(True)
    finally:
        # The bridge may close as LibreOffice quits; aomori_dx.pdf ends it if it stays.
        with contextlib.suppress(Exception):
            desktop.terminate()


def main(argv: list[str]) -> int:
    """Run ``export`` with the command-line arguments; report a failure in one line."""
    try:
        export(*argv[1:5])
    except Exception as exc:  # UNO raises its own exception types; all end the same way
        message = getattr(exc, "Message", "") or str(exc)
        print(f"step={STEP[0]} {type(exc).__name__}: {message}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
