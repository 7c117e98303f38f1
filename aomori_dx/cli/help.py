"""The command line's help and usage errors in Japanese: typer's command and group classes
subclassed so that help headings, option rows and usage errors are formatted from the parameters
themselves, with the words of ``cli.text`` (typer's vendored click writes English literals).

They rely on typer's command classes and exception fields, which is why typer is pinned to a
minor version in pyproject.toml; tests/test_cli_windows.py fails if a new one leaks English.
``cli.common`` makes its app from ``JapaneseTyper`` and ``JapaneseGroup``.
"""

from __future__ import annotations

import difflib
import inspect
import io
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

# typer's own classes: the help and errors below are formatted from them.
from typer._click.core import Command, Context
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
)
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from aomori_dx.cli import text
from aomori_dx.cli.text import OPTIONS_METAVAR, SUBCOMMAND_METAVAR
from aomori_dx.console import make_console
from aomori_dx.render.layout import wrap_cells

__all__ = ["JapaneseCommand", "JapaneseGroup", "JapaneseTyper"]


def _usage(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    pieces = [OPTIONS_METAVAR]
    for param in command.params:
        if isinstance(param, TyperArgument) and not param.hidden:
            name = param.metavar or param.name or ""
            name = name if param.required else f"[{name}]"
            pieces.append(name + ("..." if param.nargs != 1 else ""))
    if isinstance(command, TyperGroup):
        pieces.append(SUBCOMMAND_METAVAR)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=text.USAGE)


def _default_text(param: TyperOption) -> str | None:
    value = param.default
    if param.is_flag or value is None or param.show_default is False or callable(value):
        return None
    return str(value.value if isinstance(value, Enum) else value)


def _help_row(param: TyperArgument | TyperOption) -> tuple[str, str]:
    extras = []
    if isinstance(param, TyperOption):
        name = ", ".join([*param.opts, *param.secondary_opts])
        if not param.is_flag:
            name += f" {param.metavar or '値'}"
        shown = _default_text(param)
        if shown is not None:
            extras.append(text.default(shown))
    else:
        name = param.metavar or param.name or ""
    if param.required:
        extras.append(text.required())
    return name, "  ".join([param.help or "", *extras]).strip()


def _params(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    for title, kind in ((text.ARGUMENTS, TyperArgument), (text.OPTIONS, TyperOption)):
        rows = [
            _help_row(param)
            for param in command.get_params(ctx)
            if isinstance(param, kind) and not param.hidden
        ]
        if rows:
            _section(formatter, title, rows)


def _section(formatter: HelpFormatter, title: str, rows: list[tuple[str, str]]) -> None:
    """A heading and its rows, aligned and wrapped by display width (click counts a kanji as one)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    with formatter.section(title):
        indent = formatter.current_indent
        # Descriptions break between phrases (rich alone would fold 「テンプ|レート」 or 「（j|son」).
        room = formatter.width - indent - max(cell_len(name) for name, _ in rows) - 2
        for name, description in rows:
            grid.add_row(name, "\n".join(wrap_cells(description, room)) if room > 10 else description)
        buffer = io.StringIO()
        sink = Console(file=buffer, width=formatter.width - indent, color_system=None, markup=False)
        sink.print(grid, highlight=False)
        lines = buffer.getvalue().splitlines()
        formatter.write("".join(f"{' ' * indent}{line.rstrip()}\n" for line in lines))


def _japanese_help(option: TyperOption | None) -> TyperOption | None:
    if option is not None:
        option.help = text.HELP
    return option


def _help_text(command: Command, formatter: HelpFormatter) -> None:
    """The command's description, wrapped by display width between phrases (click's wrapper
    counts a kanji as one column and would run past the edge of the terminal)."""
    description = inspect.cleandoc(command.help or "").partition("\f")[0]
    if description:
        formatter.write_paragraph()
        with formatter.indentation():
            indent = formatter.current_indent
            room = max(formatter.width - indent, 20)
            formatter.write("".join(f"{' ' * indent}{line}\n" for line in wrap_cells(description, room)))


class _JapaneseHelp(Command):
    """Help in Japanese, for a command and the group alike (placed before typer's class)."""

    def format_help_text(self, ctx: Context, formatter: HelpFormatter) -> None:
        _help_text(self, formatter)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        _usage(self, ctx, formatter)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _params(self, ctx, formatter)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        return _japanese_help(super().get_help_option(ctx))


class JapaneseCommand(_JapaneseHelp, TyperCommand):
    """A command whose help is in Japanese."""


class JapaneseGroup(_JapaneseHelp, TyperGroup):
    """The ``aomori-dx`` group: Japanese help, and usage errors shown in Japanese (exit code 2)."""

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, command.get_short_help_str(80)) for name, command in self.commands.items()]
        _section(formatter, text.COMMANDS, rows)

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        name = args[0]
        if name in self.commands or name.startswith("-") or ctx.resilient_parsing:
            return super().resolve_command(ctx, args)
        close = difflib.get_close_matches(name, list(self.commands))
        ctx.fail(text.no_such_command(name, close, self.commands))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as exc:
            _show_usage_error(exc)
            code = exc.exit_code
        except typer.Abort:
            make_console(stderr=True).print(text.ABORTED, highlight=False)
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _hint(param: Any) -> str:
    if isinstance(param, TyperOption):
        return " / ".join(param.opts)
    return str(getattr(param, "metavar", None) or getattr(param, "name", ""))


def _usage_message(exc: ClickException) -> str:
    param = getattr(exc, "param", None)
    if isinstance(exc, MissingParameter) and param is not None:
        return text.missing(_hint(param), isinstance(param, TyperOption))
    if isinstance(exc, NoSuchOption):
        return text.no_such_option(exc.option_name, exc.possibilities or ())
    # typer converts values with pydantic, whose error keeps the value the user typed.
    errors = getattr(exc.__cause__, "errors", None)
    if isinstance(exc, BadParameter) and param is not None and callable(errors):
        choices = param.type_descriptor.choices
        if choices:
            value = errors()[0].get("input", "")
            return text.bad_choice(_hint(param), value, [str(getattr(c, "value", c)) for c in choices])
    if isinstance(exc, BadParameter) and param is not None:
        return f"{_hint(param)}: {text.translate(exc.message)}"
    return text.translate(exc.message)


def _show_usage_error(exc: ClickException) -> None:
    console = make_console(stderr=True)
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, NoArgsIsHelpError) and ctx is not None:
        console.print(ctx.get_help(), highlight=False)
        return
    if ctx is not None:
        console.print(ctx.get_usage(), highlight=False)
        console.print(text.try_help(ctx.command_path), highlight=False)
        console.print()
    console.print(Text.assemble((text.ERROR, "bold red"), " ", _usage_message(exc)), highlight=False)


class JapaneseTyper(typer.Typer):
    """``typer.Typer`` whose commands are ``JapaneseCommand``."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", JapaneseCommand)
        return super().command(*args, **kwargs)
