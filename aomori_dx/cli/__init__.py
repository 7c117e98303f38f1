"""The ``aomori-dx`` command: parse arguments, call the library, print, and choose the exit code.

Exit codes: 0 success, 1 bad input (validation errors, unreadable files; never a traceback),
2 usage errors (typer's own).  Heavy libraries are imported inside the commands that need them,
so ``aomori-dx validate`` starts quickly.  The app and the shared steps are in ``common``, the
commands in ``documents`` (validate, report, build, publish) and ``collecting`` (new-period,
requests, collect, status), registered below in the order the help lists them; the Japanese
help in ``help`` and ``text``.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from aomori_dx.cli import collecting, documents
from aomori_dx.cli.common import app
from aomori_dx.console import make_console, prepare_streams
from aomori_dx.errors import AomoriDxError

__all__ = ["app", "main"]

for _name, _command in (
    ("validate", documents.validate),
    ("report", documents.report),
    ("build", documents.build),
    ("publish", documents.publish),
    ("new-period", collecting.new_period_command),
    ("requests", collecting.requests),
    ("collect", collecting.collect_command),
    ("status", collecting.status),
):
    app.command(_name)(_command)


def main() -> None:
    """Console-script entry point: library errors become a message and exit code 1."""
    prepare_streams()
    try:
        app()
    except AomoriDxError as exc:  # pragma: no cover - exercised through the commands
        _stderr(f"エラー: {exc.message}")
    except OSError as exc:  # pragma: no cover - a last resort: every write already says more
        from aomori_dx.errors import describe_os_error

        _stderr(f"エラー: {exc.filename or ''}: {describe_os_error(exc)}")


def _stderr(message: str) -> NoReturn:
    make_console(stderr=True).print(message, highlight=False)
    sys.exit(1)
