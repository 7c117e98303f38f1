"""The cover (meeting, date, venue, tagline), the closing slide, and the page numbers."""

from __future__ import annotations

from aomori_dx.format import japanese_date
from aomori_dx.render.deck.flow import Composer
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.style import MAIN, MARGIN, MUTED, SLIDE_H, SLIDE_W, Align, Anchor, p
from aomori_dx.render.views import meeting_number

__all__ = ["closing", "cover", "page_numbers"]


def cover(ctx: Context) -> None:
    meeting = ctx.result.period.meeting
    title = f"{meeting_number(meeting)}{meeting.council}"
    deck = ctx.deck
    slide = deck.writer.add_slide("cover", title)
    when = japanese_date(meeting.date) if meeting.date else ""
    if meeting.start:
        when += f" {meeting.start}～{meeting.end}" if meeting.end else f" {meeting.start}～"
    for kind, shape in deck.writer.placeholders(slide):
        if kind == 0:
            paras = [p(title, 36, True, MAIN, align=Align.CENTER)]
            deck.fit_shape(slide, shape, paras, "会議名（meeting.csv の council）", 0.4)
        elif kind == 1:
            paras = [p(when, 20, align=Align.CENTER)]
            if meeting.venue:
                paras.append(p(meeting.venue, 20, align=Align.CENTER))
            deck.fit_shape(slide, shape, paras, "開催日時・会場", 0.6)
    if meeting.tagline or meeting.brand:
        paras = []
        if meeting.tagline:
            paras.append(p(meeting.tagline, 16, True, MAIN, align=Align.RIGHT))
        if meeting.brand:
            paras.append(p(meeting.brand, 14, False, MUTED, align=Align.RIGHT))
        deck.textbox(
            slide,
            SLIDE_W - MARGIN - 6,
            SLIDE_H - 1.3,
            6,
            0.9,
            paras,
            Anchor.BOTTOM,
            "キャッチフレーズ・ブランド名",
        )


def closing(ctx: Context) -> None:
    meeting = ctx.result.period.meeting
    headline = meeting.tagline or meeting.council
    deck = ctx.deck
    slide = deck.writer.add_slide("cover", headline)
    for kind, shape in deck.writer.placeholders(slide):
        if kind == 0:
            paras = [p(headline, 32, True, MAIN, align=Align.CENTER)]
            deck.fit_shape(slide, shape, paras, "キャッチフレーズ（なければ会議名）", 0.4)
        elif kind == 1:
            paras = [p(f"{meeting_number(meeting)}{meeting.council}", 18, align=Align.CENTER)]
            if meeting.brand:
                paras.append(p(meeting.brand, 16, colour=MUTED, align=Align.CENTER))
            deck.fit_shape(slide, shape, paras, "会議名・ブランド名", 0.6)


def page_numbers(deck: Composer) -> None:
    """``n / total`` at the bottom right of every slide but the cover."""
    slides = deck.writer.slides
    for index, slide in enumerate(slides, start=1):
        if index == 1:
            continue
        deck.textbox(
            slide,
            SLIDE_W - MARGIN - 1.2,
            SLIDE_H - 0.33,
            1.2,
            0.28,
            [p(f"{index} / {len(slides)}", 9, colour=MUTED, align=Align.RIGHT)],
        )
