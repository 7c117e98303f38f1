"""Japanese line breaking: lines break between phrases (BudouX), never inside a word, a katakana
run or a number with its unit unless it alone is wider than the line, and never against 禁則."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aomori_dx.render.layout import (
    line_breaks,
    split_text,
    text_height,
    text_lines,
    text_width,
    word_width,
    wrap_lines,
)
from aomori_dx.render.phrases import INSIDE, break_levels

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "fy2024-h1"
WORKSHOPS = (
    "5月にモデル自治体の3市町(黒石市・平内町・中泊町)及び事業者を決定し6月～11月に各市町5回の"
    "ワークショップ(WS)を実施。"
)
FIGURES = "導入台数は1,683台で、前期から▲3.2%、達成率は29.1%、事業費は20億8,250万1千円です。"
NO_START = "、。，．）」』】ーァィゥェォッャュョぁぃぅぇぉっゃゅょ・：；？！"
NO_END = "（「『【"


# --- the words the issue found broken --------------------------------------------------------
# Each text is the sample's, at a width where the old estimate (Japanese broken between any two
# characters) cut a word: the old lines are in the comment.


@pytest.mark.parametrize(
    ("text", "width", "size", "lines"),
    [
        # デジタルトランスフォーメーション推進|事業(総合的支援体制)
        (
            "デジタルトランスフォーメーション推進事業(総合的支援体制)",
            2.6,
            10,
            ["デジタルトランスフォーメーション", "推進事業(総合的支援体制)"],
        ),
        # 令和6年度からデジタルトランスフォ|ーメーション推進事業を実施
        (
            "令和6年度からデジタルトランスフォーメーション推進事業を実施",
            2.8,
            12,
            ["令和6年度から", "デジタルトランスフォーメーション", "推進事業を実施"],
        ),
        # 青森県警察防犯アプリ「まもリン」ダウン|ロード数 (the indicator table's name column)
        (
            "青森県警察防犯アプリ「まもリン」ダウンロード数",
            3.1,
            12,
            ["青森県警察防犯アプリ「まもリン」", "ダウンロード数"],
        ),
        # 青森県警察防犯|アプリ「まもリ|ン」ダウンロー|ド数
        (
            "青森県警察防犯アプリ「まもリン」ダウンロード数",
            1.0,
            10,
            ["青森県警察防犯", "アプリ", "「まもリン」", "ダウンロード数"],
        ),
        # 農林水産部農林水産政策課調|べ(主要メーカーへの聞き取|り調査結果) (the source column)
        (
            "農林水産部農林水産政策課調べ(主要メーカーへの聞き取り調査結果)",
            1.83,
            10,
            ["農林水産部農林水産政策課", "調べ(主要メーカーへの", "聞き取り調査結果)"],
        ),
        # …及び事業者を決定し6月～1|1月に各市町5回のワークショップ(WS)を実施。 (a case's text)
        (
            WORKSHOPS,
            5.812,
            11.5,
            [
                "5月にモデル自治体の3市町(黒石市・平内町・中泊町)及び事業者を",
                "決定し6月～11月に各市町5回のワークショップ(WS)を実施。",
            ],
        ),
        # 5月にモデル自|治体の3市町(黒|…|を決定し6月～1|1月に各市町5回|のワークショッ|プ(WS)を実施。
        (
            WORKSHOPS,
            1.05,
            10,
            [
                "5月に",
                "モデル自治体の",
                "3市町",
                "(黒石市・",
                "平内町・中泊町)",
                "及び事業者を",
                "決定し",
                "6月～11月に",
                "各市町5回の",
                "ワークショップ",
                "(WS)を実施。",
            ],
        ),
    ],
)
def test_the_broken_words_of_the_issue_break_between_phrases(
    text: str, width: float, size: float, lines: list[str]
) -> None:
    assert wrap_lines(text, width, size) == lines
    assert text_lines(text, width, size) == len(lines)


def test_numbers_stay_with_their_sign_and_unit() -> None:
    assert wrap_lines(FIGURES, 1.3, 12) == [
        "導入台数は",
        "1,683台で、",
        "前期から",
        "▲3.2%、",
        "達成率は",
        "29.1%、",
        "事業費は20億",
        "8,250万",
        "1千円です。",
    ]
    # The amount is wider than the line: it breaks after its myriads, not between its digits.
    assert wrap_lines(FIGURES, 0.9, 12)[-4:] == ["事業費は", "20億", "8,250万", "1千円です。"]
    for tenth in range(9, 60):
        lines = wrap_lines(FIGURES, tenth / 10, 12)
        figures = ["1,683台", "▲3.2%", "29.1%"]
        if tenth / 10 >= text_width("20億8,250万1千円です。", 12):  # the amount's phrase fits
            figures.append("20億8,250万1千円")
        for figure in figures:
            assert any(figure in line for line in lines), (tenth, lines)


def test_a_range_is_one_unit_where_it_fits() -> None:
    assert wrap_lines("6月～11月", 0.5, 12) == ["6月～", "11月"]
    assert wrap_lines("期間は6月～11月", 0.9, 12) == ["期間は", "6月～11月"]


def test_no_line_starts_or_ends_against_kinsoku() -> None:
    text = "「まもリン」は、県警の（防犯）アプリです。【重要】『手引き』を参照。"
    # 「まもリ|ン」は、県警の（|防犯）ア|プリで|す。 was the old estimate at 0.6 inch.
    assert wrap_lines(text, 0.6, 12)[:7] == [
        "「まも",
        "リン」",
        "は、",
        "県警の",
        "（防犯）",
        "アプリ",
        "です。",
    ]
    for tenth in range(5, 50):
        lines = wrap_lines(text, tenth / 10, 12)
        assert not any(line[0] in NO_START for line in lines[1:]), (tenth, lines)
        assert not any(line[-1] in NO_END for line in lines[:-1]), (tenth, lines)


def test_a_phrase_wider_than_the_line_breaks_inside() -> None:
    # One phrase of twelve kanji: between characters.  A katakana run wider than the line: between
    # characters too, but no ョ or ー at a line start.
    assert wrap_lines("観光交流推進部観光政策課", 1.0, 10) == ["観光交流推進部", "観光政策課"]
    assert wrap_lines("デジタルトランスフォーメーション", 1.0, 10) == [
        "デジタルトラン",
        "スフォーメー",
        "ション",
    ]
    # A phrase that will be broken anyway does not leave the line before it half empty.
    assert wrap_lines("第2回 " + "鶴" * 30, 3, 12) == ["第2回 " + "鶴" * 14, "鶴" * 16]
    # A character wider than the line takes a line of its own.
    assert wrap_lines("青森県", 0.05, 12) == ["青", "森", "県"]


def test_half_width_brackets_do_not_confuse_the_phrases() -> None:
    # BudouX alone reads (総合的支援体|制) with half-width brackets.
    levels = break_levels("推進事業(総合的支援体制)")
    assert levels.index(max(levels)) == 4  # the only phrase break: before the bracket


def test_paragraphs_and_the_old_api() -> None:
    text = "ダウンロード数\n\n農林水産部農林水産政策課調べ"
    assert wrap_lines(text, 1.83, 10) == ["ダウンロード数", "", "農林水産部農林水産政策課", "調べ"]
    assert text_lines(text, 1.83, 10) == 4
    assert text_height(text, 1.83, 10) == pytest.approx(4 * 10 * 1.2 / 72)
    assert split_text(text, 1.83, 10, 3) == ("ダウンロード数\n\n農林水産部農林水産政策課", "調べ")
    assert split_text(text, 1.83, 10, 2) == ("ダウンロード数\n", "農林水産部農林水産政策課調べ")
    assert wrap_lines("", 1, 12) == [""]


def test_word_width_is_the_narrowest_box_that_breaks_no_word() -> None:
    text = "デジタルトランスフォーメーション推進事業"
    assert word_width(text, 10) == pytest.approx(text_width("デジタルトランスフォーメーション", 10))
    assert wrap_lines(text, word_width(text, 10), 10) == ["デジタルトランスフォーメーション", "推進事業"]
    assert wrap_lines(text, word_width(text, 10) - 0.01, 10) == [
        "デジタルトランスフォーメーショ",
        "ン推進事業",
    ]
    assert word_width("", 12) == 0


def test_line_breaks_only_where_the_viewer_would_break_a_word() -> None:
    assert line_breaks("ダウンロード数", 3, 12) == ["ダウンロード数"]
    assert line_breaks("ダウンロード数\n調べ", 3, 12) == ["ダウンロード数", "調べ"]
    latin = "Aomori Digital Transformation Strategy"
    assert text_lines(latin, 1, 12) > 1
    assert line_breaks(latin, 1, 12) == [latin]  # the viewer wraps at the spaces itself
    assert line_breaks(WORKSHOPS, 1.05, 10) == wrap_lines(WORKSHOPS, 1.05, 10)


# --- properties ------------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    [
        *"県民活躍推進課調べのをはにデジタルダウンロードーッョ0123456789,.%▲～ 、。（）「」ABCxyz",
        *("1,683台", "29.1%", "▲3.2%", "6月～11月", "トランスフォーメーション"),
    ]
)
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)
WIDTHS = st.floats(min_value=0.05, max_value=6)
SIZES = st.sampled_from([9, 10, 10.5, 12, 14, 18, 24])


@settings(max_examples=300, deadline=None)
@given(TEXTS, WIDTHS, SIZES)
def test_lines_join_back_fit_and_repeat(text: str, width: float, size: float) -> None:
    lines = wrap_lines(text, width, size)
    assert "".join(lines) == text
    assert len(lines) == text_lines(text, width, size)
    # A line is wider than the box only when it is a single character.
    assert all(len(line) == 1 or text_width(line, size) <= width + 1e-6 for line in lines)
    break_levels.cache_clear()
    assert wrap_lines(text, width, size) == lines


@settings(max_examples=200, deadline=None)
@given(TEXTS, WIDTHS, SIZES, st.integers(1, 5))
def test_split_text_cuts_at_a_line_the_head_keeps(text: str, width: float, size: float, lines: int) -> None:
    # The head goes on one slide or column and is measured again there: it must not grow.
    head, tail = split_text(text, width, size, lines)
    assert head + tail == text
    assert text_lines(head, width, size) <= lines


UNITS = st.sampled_from(["ダウンロード", "1,683台", "29.1%", "▲3.2%", "6月～11月", "デジタル", "20億円"])
JOINS = st.sampled_from(["の", "を", "は、", "と", "で。", "推進", "（県）", " "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(UNITS, JOINS), min_size=1, max_size=12), st.floats(1.2, 6), SIZES)
def test_units_that_fit_a_line_are_never_split(
    parts: list[tuple[str, str]], width: float, size: float
) -> None:
    text = "".join(unit + join for unit, join in parts)
    room = width - text_width("（県）", size)
    lines = wrap_lines(text, width, size)
    starts = {sum(map(len, lines[:index])) for index in range(1, len(lines))}
    offset = 0
    for unit, join in parts:
        if text_width(unit, size) <= room:
            assert not starts & set(range(offset + 1, offset + len(unit))), (unit, lines)
        offset += len(unit) + len(join)


def test_levels_mark_the_units() -> None:
    levels = break_levels("前期から▲3.2%")
    assert max(levels[5:]) == INSIDE


# --- cost ------------------------------------------------------------------------------------


def test_data_output_does_not_load_budoux() -> None:
    # The terminal tables (validate's problems, report's dashboard) wrap between phrases and pay
    # ~15 ms for the model when a text does not fit its column; JSON and CSV lay out no text.
    sample = str(SAMPLE)
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from aomori_dx.cli import app\n"
        f"for command in (['validate', {sample!r}, '--format', 'json'],\n"
        f"                ['report', {sample!r}, '--format', 'json'],\n"
        f"                ['report', {sample!r}, '--format', 'csv']):\n"
        "    result = CliRunner().invoke(app, command)\n"
        "    assert result.exit_code == 0, result.output\n"
        "import aomori_dx.render.layout as layout\n"
        "layout.text_lines('ダウンロード数', 3, 12)\n"  # fits on a line: no phrases needed
        "print('budoux' in sys.modules)\n"
        "layout.text_lines('ダウンロード数', 0.5, 12)\n"
        "print('budoux' in sys.modules)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.split() == ["False", "True"]


def test_terminal_cells_wrap_between_phrases() -> None:
    # validate's problems and report's names in a narrow column: rich alone broke 「セ|ル」.
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    from aomori_dx.render.phrased import Phrases

    message = "「37x5」は数値として読めません。一つのセルには一つの数値だけを入力してください。"
    table = Table.grid()
    table.add_column(width=30)
    table.add_row(Phrases((message, ""), ("値「37x5」 invalid-number", "dim")))
    console = Console(width=30, file=io.StringIO(), color_system=None)
    console.print(table)
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert "".join(lines[:-1]) == message
    assert all(cell_len(line) <= 30 for line in lines)
    assert not any(line.endswith("セ") for line in lines)
    assert lines[-1] == "値「37x5」 invalid-number"


def test_the_parts_of_a_cut_paragraph_keep_its_break_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each part of a paragraph cut between slides is laid out on its own; its levels are the
    # paragraph's, not segmented afresh (that made a long paragraph quadratic: 20,000 characters
    # took 20 s).
    from aomori_dx.render import phrases
    from aomori_dx.render.layout import split_text
    from aomori_dx.render.phrases import NEVER

    paragraph = "県内企業のデジタル化を推進するため、専門家による伴走支援を実施した。" * 13
    levels = break_levels(paragraph)

    def no_parser() -> None:
        raise AssertionError("a part of a cut paragraph was segmented again")

    monkeypatch.setattr(phrases, "_parser", no_parser)
    head, rest = split_text(paragraph, 3.0, 14, 4)
    assert head and rest and head + rest == paragraph
    assert break_levels(head) == levels[: len(head)]
    assert break_levels(rest) == (NEVER, *levels[len(head) + 1 :])
