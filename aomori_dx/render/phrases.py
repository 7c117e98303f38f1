"""Where a line of Japanese text may break, and how good each break is.

BudouX (Google's phrase segmenter, its model shipped in the wheel) finds the phrase boundaries;
on top of it come the rules it does not give: a number stays with its sign and unit (▲3.2%,
1,683台, 20億8,250万1千円), katakana runs and Latin words stay whole, and the line-start and
line-end prohibitions of Japanese typesetting (禁則: no 、。）」 at a line start, no （「 at a line
end).  The result is a level for every position between two characters; the wrapper in
``layout`` breaks at the best level that fits (on slides and pages, and in terminal cells for the
help and the tables of validate and report).  BudouX is imported on first use only, when a text
does not fit its line, so the data formats (JSON, CSV) never load it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from budoux import Parser

__all__ = ["CHAR", "INSIDE", "NEVER", "PHRASE", "RANGE", "SCRIPT", "break_levels", "note_cut"]

# How good a break between two characters is, worst first.  NEVER: prohibited (禁則, or before a
# space); the wrapper still breaks there when a line would otherwise hold nothing.  INSIDE: inside
# a unit kept whole (a katakana run, a Latin word, a number with its sign and unit), only when
# the unit alone is wider than the line.  CHAR: between other characters of a phrase (inside a
# kanji compound, before a particle), only when the phrase is wider than the line and has no
# better break.  RANGE: after the dash of a range (6月～|11月) or a myriad of an amount (20億|
# 8,250万), only when the range or amount is wider than the line.  SCRIPT: where the script
# changes inside a phrase (デジタルトランスフォーメーション|推進事業), only when the phrase is wider
# than the line.  PHRASE: between phrases.
NEVER, INSIDE, CHAR, RANGE, SCRIPT, PHRASE = range(6)

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆〇\U00020000-\U0003ffff"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HIRAGANA = "\u3041-\u309f"
_ALNUM = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters, not × ÷
# Runs of one script; each other character is a run of its own.  Hiragana joins the run before
# it when the wrapper looks for a break inside a phrase (調べ, 推進する), so it is not a start.
_RUNS = re.compile(
    rf"(?P<kanji>[{_KANJI}]+)|(?P<katakana>[{_KATAKANA}]+)|(?P<hiragana>[{_HIRAGANA}]+)"
    rf"|(?P<latin>[{_ALNUM}]+)|(?P<space>\s+)|."
)
# Kept whole (broken only when wider than the line): katakana runs and Latin words with their
# inner punctuation (e-Tax, R5.3, https://…).
_WORDS = re.compile(rf"[{_KATAKANA}]{{2,}}|[{_ALNUM}]+(?:[.,'’\-_/:&@]+[{_ALNUM}]+)*")
_NUMBER = (
    r"[▲△▼+＋\-－−±]?[第¥￥$＄]?"
    r"[0-9０-９]+(?:[,，.．][0-9０-９]+)*(?:[兆億万千百十](?:[0-9０-９]+(?:[,，.．][0-9０-９]+)*)?)*"
    rf"(?:[%％‰℃]|[ヶヵケか]所|[ヶヵケカ]?[{_KANJI}]{{1,2}}|[A-Za-zＡ-Ｚａ-ｚ]+)?"
)
_NUMBERS = re.compile(_NUMBER)
# A long amount may break after 兆, 億 or 万 (20億|8,250万|1千円) when it is wider than the line.
_MYRIADS = frozenset("兆億万")
# A range (6月～11月, 10〜20%) is one unit where it fits; it may break after the dash only when the
# phrase around it is wider than the line.
_RANGES = re.compile(rf"(?:{_NUMBER})\s*([～〜~\-－–—]\s*)(?:{_NUMBER})")

# 禁則 (JIS X 4051): closing brackets, punctuation, small kana, the prolonged sound mark,
# iteration marks, dashes and the wave dash do not start a line; opening brackets and a sign
# or currency mark before its number do not end one.
_NO_START = frozenset(
    "、。，．,.）)］]｝}〕〉》」』】〙〗〟’”｠»ヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～？！?!‼⁇⁈⁉・：；:;%％‰℃°′″ｰｧｨｩｪｫｬｭｮｯ｡､｣"
)
_NO_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“｟«▲△▼¥￥$＄#＃｢")
_NO_SPLIT_PAIRS = frozenset("…‥—―")
# BudouX's model reads half-width brackets poorly (it breaks （総合的支援体|制） when they are
# half-width); the full-width ones have the same length, so boundaries map back one to one.
_FULL_BRACKETS = str.maketrans("()[]{}", "（）［］｛｝")


@cache
def _parser() -> Parser:
    import budoux  # here, not at the top: most texts fit their line and never need it

    return budoux.load_default_japanese_parser()


def _phrase_starts(paragraph: str) -> list[int]:
    starts = []
    offset = 0
    for phrase in _parser().parse(paragraph.translate(_FULL_BRACKETS)):
        offset += len(phrase)
        starts.append(offset)
    return starts[:-1]


# The two parts of a paragraph cut between slides or pages → (the paragraph, where the part starts
# and ends).  Each part is laid out on its own, and segmenting the parts afresh at every trial
# cut re-read a long paragraph again and again (20,000 characters took 20 s); their levels are
# the whole paragraph's, which also keeps the phrases the paragraph was broken by.
_PARTS: dict[str, tuple[str, int, int]] = {}
_MOST_PARTS = 4096


def note_cut(paragraph: str, cut: int) -> None:
    """``paragraph`` is cut at ``cut`` into two texts of their own: their levels come from its."""
    if 0 < cut < len(paragraph) and len(_PARTS) < _MOST_PARTS:
        _PARTS.setdefault(paragraph[:cut], (paragraph, 0, cut))
        _PARTS.setdefault(paragraph[cut:], (paragraph, cut, len(paragraph)))


@lru_cache(maxsize=16384)
def break_levels(paragraph: str) -> tuple[int, ...]:
    """The break level before each character of ``paragraph`` (one line, no ``\\n``):
    ``levels[i]`` rates a line break between ``paragraph[i - 1]`` and ``paragraph[i]``;
    ``levels[0]`` is NEVER.  Deterministic; cached, as layouts ask for the same texts at many
    sizes."""
    part = _PARTS.get(paragraph)
    if part is not None:
        whole, start, end = part
        return (NEVER, *break_levels(whole)[start + 1 : end])
    return _levels(paragraph)


def _levels(paragraph: str) -> tuple[int, ...]:
    size = len(paragraph)
    levels = [CHAR] * size
    for run in _RUNS.finditer(paragraph):
        if run.lastgroup != "hiragana":
            levels[run.start()] = SCRIPT
    for start in _phrase_starts(paragraph):
        levels[start] = PHRASE
    for index in range(1, size):
        if paragraph[index - 1].isspace():
            levels[index] = PHRASE
    for match in _WORDS.finditer(paragraph):
        for index in range(match.start() + 1, match.end()):
            levels[index] = min(levels[index], INSIDE)
    for match in _NUMBERS.finditer(paragraph):
        for index in range(match.start() + 1, match.end()):
            inner = RANGE if paragraph[index - 1] in _MYRIADS else INSIDE
            levels[index] = min(levels[index], inner)
    for match in _RANGES.finditer(paragraph):
        after_dash = match.end(1)
        for index in range(match.start() + 1, match.end()):
            levels[index] = min(levels[index], RANGE if index == after_dash else INSIDE)
    for index in range(1, size):
        before, char = paragraph[index - 1], paragraph[index]
        if (
            char in _NO_START
            or before in _NO_END
            or char.isspace()
            or (char == before and char in _NO_SPLIT_PAIRS)
        ):
            levels[index] = NEVER
    if levels:
        levels[0] = NEVER
    return tuple(levels)
