"""The command line's own words in Japanese: help headings, usage errors, and their hints.

typer (0.29) carries its own copy of click whose texts ("Usage:", "Show this message and exit.",
"Missing argument", "No such option", "Error:") are English literals, not gettext messages, so
there is no catalogue to install.  ``cli.help`` therefore formats help and usage errors itself,
from the parameters and the exception's fields, with the words here; typer and click stay out of
this module (the architecture test keeps typer out of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "ABORTED",
    "ARGUMENTS",
    "COMMANDS",
    "ERROR",
    "HELP",
    "OPTIONS",
    "OPTIONS_METAVAR",
    "SUBCOMMAND_METAVAR",
    "USAGE",
    "bad_choice",
    "default",
    "missing",
    "no_such_command",
    "no_such_option",
    "required",
    "translate",
    "try_help",
]

USAGE = "使い方: "
ARGUMENTS = "引数"
OPTIONS = "オプション"
COMMANDS = "コマンド"
OPTIONS_METAVAR = "[オプション]"
SUBCOMMAND_METAVAR = "コマンド [引数]..."
HELP = "この説明を表示して終了します。"
ERROR = "エラー:"
ABORTED = "中止しました。"


def default(value: str) -> str:
    return f"[既定: {value}]"


def required() -> str:
    return "[必須]"


def try_help(command: str) -> str:
    return f"詳しくは「{command} --help」で説明を表示してください。"


def missing(name: str, is_option: bool) -> str:
    if is_option:
        return f"オプション {name} を指定してください。"
    return f"{name}を指定してください。"


def bad_choice(option: str, value: object, choices: Iterable[str]) -> str:
    return f"{option} に「{value}」は指定できません。次のどれかにしてください: {'、'.join(choices)}"


def no_such_option(option: str, close: Iterable[str]) -> str:
    near = sorted(close)
    hint = f"（近いもの: {'、'.join(near)}）" if near else ""
    return f"{option} というオプションはありません。{hint}"


def no_such_command(name: str, close: Iterable[str], known: Iterable[str]) -> str:
    near = list(close)
    hint = f"「{'」か「'.join(near)}」のことですか？" if near else f"使えるコマンド: {'、'.join(known)}"
    return f"「{name}」というコマンドはありません。{hint}"


# The messages click's parser composes itself, recognised by their shape.
_PARSER = [
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)"), "余分な引数があります: {0}"),
    (re.compile(r"Option '(.*)' requires an argument\."), "オプション {0} のあとに値を書いてください。"),
    (
        re.compile(r"Option '(.*)' requires (\d+) arguments\."),
        "オプション {0} のあとに値を {1} 個書いてください。",
    ),
    (re.compile(r"Option '(.*)' does not take a value\."), "オプション {0} には値を書けません。"),
    (re.compile(r"Argument '(.*)' takes (\d+) values\."), "{0} には値を {1} 個書いてください。"),
    (re.compile(r"Missing command\."), "コマンドを指定してください。"),
]


def translate(message: str) -> str:
    """A usage message from click's parser in Japanese; other messages (ours) as they are."""
    for pattern, japanese in _PARSER:
        match = pattern.fullmatch(message)
        if match:
            return japanese.format(*match.groups())
    return message
