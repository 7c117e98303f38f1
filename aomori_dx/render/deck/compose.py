"""The Composer: slides filled through the writer with text that fits, and the layout warnings.

Every title and text box is fitted before it is written: smaller (down to a scale of its size,
never below the body minimum), then cut with … and reported, naming the slide; every table and
text box is checked against the slide's bottom.  The warnings join a problem repeated on
consecutive slides (a long title on its continuations) into one range.  Measurements come from
``measure``; the writer places what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from aomori_dx.render.deck.measure import cut, para_height, scaled
from aomori_dx.render.deck.style import BODY_MIN, BOX_MARGINS, CONTINUED, MAIN, SLIDE_H, Anchor, Para, Run
from aomori_dx.render.deck.writer import Deck, Shape, Slide, TableRef

__all__ = ["Composer"]


def _short(text: str, limit: int = 30) -> str:
    """A long text shortened for a message."""
    return text if len(text) <= limit else text[:limit] + "…"


class Composer:
    """Slides filled through the writer with text that fits; collects the layout warnings."""

    def __init__(self, writer: Deck) -> None:
        self.writer = writer
        self._warned: list[tuple[int, int, str, str]] = []  # first and last slide, title, problem

    def slide(self, title: str) -> Slide:
        """A content slide with its title fitted."""
        slide = self.writer.add_slide("content", title)
        shape = self.writer.title_shape(slide)
        if shape is not None:
            # A cut title keeps its （続き）: the reader must still see that the slide continues.
            end = CONTINUED if title.endswith(CONTINUED) else ""
            paras = [Para([Run(title, 24, True, MAIN)])]
            self.fit_shape(slide, shape, paras, "タイトル", 0.5, keep_end=end)
        return slide

    def warn(self, slide: Slide, problem: str) -> None:
        """Record a layout warning naming ``slide`` by number and title; the same problem on the
        slides that follow (a long title repeated on continuations) joins it as a range."""
        number_, title = self.writer.label(slide)
        title = title.removesuffix(CONTINUED)
        if self._warned and self._warned[-1][1:] == (number_ - 1, title, problem):
            self._warned[-1] = (self._warned[-1][0], number_, title, problem)
        else:
            self._warned.append((number_, number_, title, problem))

    @property
    def warnings(self) -> list[str]:
        """``スライド 12「…」: …`` or ``スライド 34〜43「…」: …`` for each problem."""
        return [
            f"スライド {first}{'' if last == first else f'〜{last}'}「{_short(title)}」: {problem}"
            for first, last, title, problem in self._warned
        ]

    def fit(
        self,
        slide: Slide,
        paras: Sequence[Para],
        box: tuple[float, float, float, float],
        what: str = "文字",
        min_scale: float = 0.75,
        keep_end: str = "",
    ) -> list[Para]:
        """``paras`` made to fit a box (width, height, side and top inset, in inches): smaller
        (down to ``min_scale`` of their size), then cut with …, which is reported as a warning."""
        width, height, inset_x, inset_y = box
        inner = width - 2 * inset_x + 0.08  # para_height keeps 0.1 of slack beside the text

        def needed(candidate: Sequence[Para]) -> float:
            # A box sized from its text (most of them) must not shrink by a rounding error.
            return sum(para_height(para, inner) for para in candidate) + 2 * inset_y + 0.02 - 0.005

        if needed(paras) <= height:
            return list(paras)
        steps = round((1 - min_scale) / 0.05)
        for step in range(1, steps + 1):
            smaller = scaled(paras, 1 - 0.05 * step, BODY_MIN)
            if needed(smaller) <= height:
                return smaller
        shortened = cut(scaled(paras, min_scale, BODY_MIN), inner, height - 2 * inset_y - 0.02, keep_end)
        original = "".join(para.text for para in paras)
        quoted = "" if what == "タイトル" else f"（「{_short(original)}」）"
        self.warn(
            slide,
            f"{what}が長く、枠に入りきらないため後ろを「…」で省略しました{quoted}。元の文を短くしてください。",
        )
        return shortened

    def fit_shape(
        self,
        slide: Slide,
        shape: Shape,
        paras: Sequence[Para],
        what: str = "文字",
        min_scale: float = 0.75,
        anchor: Anchor | None = None,
        keep_end: str = "",
    ) -> None:
        """Fill a placeholder or shape whose size comes from the template or the caller."""
        box = self.writer.text_box(shape)
        self.writer.fill(shape, self.fit(slide, paras, box, what, min_scale, keep_end), anchor)

    def textbox(
        self,
        slide: Slide,
        left: float,
        top: float,
        width: float,
        height: float,
        paras: Sequence[Para],
        anchor: Anchor = Anchor.TOP,
        what: str = "文字",
    ) -> None:
        """A text box at the position given with ``paras`` fitted to it (``fit``); one that
        runs below the slide is reported."""
        fitted = self.fit(slide, paras, (width, height, *BOX_MARGINS), what)
        self.writer.textbox(slide, (left, top, width, height), fitted, anchor)
        if _below_slide(top + height):
            original = _short("".join(para.text for para in paras))
            self.warn(slide, f"文がスライドの下にはみ出しています（「{original}」）。")

    def table(
        self,
        slide: Slide,
        left: float,
        top: float,
        widths: Sequence[float],
        rows: Sequence[Sequence[list[Para]]],
        heights: Sequence[float],
        header_rows: int = 1,
    ) -> TableRef:
        """A table at the position given (its rows measured by the caller); one that runs below
        the slide is reported."""
        table = self.writer.table(slide, left, top, widths, rows, heights, header_rows)
        if _below_slide(top + sum(heights)):
            self.warn(
                slide, "表がスライドの下にはみ出しています。表の中の文を短くするか、行を分けてください。"
            )
        return table


def _below_slide(bottom: float) -> bool:
    # A hundredth of an inch of rounding is not an overflow anyone sees.
    return bottom > SLIDE_H + 0.01
