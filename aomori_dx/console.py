"""The terminal the commands print to: a Japanese Windows console (CP932), UTF-8, or a pipe or file.

A CP932 console cannot show every character we print (an em dash, rich's rounded box corners, its
bar blocks) and Python raises ``UnicodeEncodeError`` there.  ``prepare_streams`` lets the text
streams put the nearest CP932 character in their place, and ``?`` only when there is none.  Data
(``--format json``/``csv``) sent to a pipe or file is written as UTF-8 bytes, never through a
text layer that would have to drop characters; on a terminal it is text like everything else.
"""

from __future__ import annotations

import codecs
import io
import os
import sys

from rich.console import Console

__all__ = ["PIPE_WIDTH", "make_console", "prepare_streams", "write_data"]

ERRORS = "aomori_dx.nearest"
# Wide enough for a path and a message on one line; a pipe or file has no width of its own, and
# rich's default of 80 columns cut paths in the middle.
PIPE_WIDTH = 160

# Characters CP932 lacks, and the one it has that looks the same.
NEAREST = str.maketrans(
    {
        "\u2014": "\u2015",  # — em dash → ― horizontal bar (what Japanese text means by it)
        "\u2212": "\uff0d",  # − minus sign → －
        "\u301c": "\uff5e",  # 〜 wave dash → ～ (the Windows code page's own mapping)
        "\u2225": "\u2016",  # ∥ → ‖
        "\u256d": "\u250c",  # ╭ ╮ ╯ ╰ rounded corners → ┌ ┐ ┘ └
        "\u256e": "\u2510",
        "\u256f": "\u2518",
        "\u2570": "\u2514",
        "\u2521": "\u2523",  # ┡ ┩ ╇ → ┣ ┫ ╋ (rich's table head rule)
        "\u2529": "\u252b",
        "\u2547": "\u254b",
        "\u2588": "\u25a0",  # █ ░ bar blocks → ■ □
        "\u2591": "\u25a1",
        "\u2022": "\u30fb",  # • → ・
    }
)


def _nearest(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    replacement = []
    for char in error.object[error.start : error.end]:
        near = char.translate(NEAREST)
        try:
            near.encode(error.encoding)
        except UnicodeEncodeError:
            near = "?"
        replacement.append(near)
    return "".join(replacement), error.end


codecs.register_error(ERRORS, _nearest)


def prepare_streams() -> None:
    """Let stdout and stderr show what their encoding lacks as the nearest character or ``?``."""
    for stream in (sys.stdout, sys.stderr):
        encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
        if isinstance(stream, io.TextIOWrapper) and not encoding.startswith("utf"):
            stream.reconfigure(errors=ERRORS)


def make_console(stderr: bool = False) -> Console:
    """A console that prints names and messages as they are, and does not wrap a pipe at 80 columns."""
    # Names, paths and messages come from the inputs: "[red]" or ":warning:" in them is text to
    # show, never markup or an emoji code (a stray "[/]" would even crash rich).
    console = Console(soft_wrap=False, markup=False, emoji=False, stderr=stderr)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
        console.soft_wrap = True
    return console


def write_data(text: str) -> None:
    """Print JSON or CSV: UTF-8 bytes (a CSV with its BOM) to a pipe or file, text to a terminal."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if stream.isatty() or buffer is None:
        stream.write(text.removeprefix("\ufeff"))
        stream.flush()
        return
    stream.flush()  # whatever went through the text layer comes first
    buffer.write(text.encode("utf-8"))
    buffer.flush()
