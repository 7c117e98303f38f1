"""The deck in the order of the meeting material: which slide kinds, for what, in what order.

Reads only the computed ``Result`` (and the period's narrative) and a template; the result is
deterministic bytes and the layout warnings (text cut to fit, naming the slide).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from aomori_dx.compute import Result
from aomori_dx.model import Block, Case, Document, Figure, PeriodData, Section
from aomori_dx.render.deck.flow import Composer
from aomori_dx.render.deck.slides.agenda import agenda
from aomori_dx.render.deck.slides.context import Context
from aomori_dx.render.deck.slides.cover import closing, cover, page_numbers
from aomori_dx.render.deck.slides.dashboard import dashboard
from aomori_dx.render.deck.slides.discussion import discussion
from aomori_dx.render.deck.slides.goals import goals, history, kpi_list
from aomori_dx.render.deck.slides.indicators import indicator_slides
from aomori_dx.render.deck.slides.people import people
from aomori_dx.render.deck.slides.project import project_slides
from aomori_dx.render.deck.slides.roadmap import featured_list, roadmap_list
from aomori_dx.render.deck.style import FIELD_COLOURS
from aomori_dx.render.deck.writer import Deck, DeckOptions
from aomori_dx.render.views import meeting_number

__all__ = ["BuiltDeck", "build_deck", "render_deck"]


@dataclass(frozen=True)
class BuiltDeck:
    """The deck's bytes and the layout warnings: text that had to be cut to fit its slide, each
    naming the slide by number and title (``スライド 12「…」: …``)."""

    data: bytes
    warnings: tuple[str, ...]


def build_deck(
    result: Result, options: DeckOptions | None = None, progress: Callable[[str], None] | None = None
) -> bytes:
    """The deck as bytes (deterministic for the same inputs, template and font)."""
    return render_deck(result, options, progress).data


def render_deck(
    result: Result, options: DeckOptions | None = None, progress: Callable[[str], None] | None = None
) -> BuiltDeck:
    """The deck's bytes and its layout warnings (text cut to fit, naming the slide)."""
    # The deck is millions of small objects that live until it is saved: the cyclic garbage
    # collector would traverse all of them again and again (a third of the time at 2,000
    # projects) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(result, options, progress)
    finally:
        if collecting:
            gc.enable()


def _steps(ctx: Context) -> list[tuple[str, Callable[[], None]]]:
    """Each step of the deck with the label shown as progress."""
    result = ctx.result
    steps: list[tuple[str, Callable[[], None]]] = [
        ("表紙", lambda: cover(ctx)),
        ("出席者", lambda: people(ctx)),
        ("次第", lambda: agenda(ctx, None)),
        ("検討の経緯", lambda: history(ctx)),
        ("基本目標", lambda: goals(ctx)),
        ("KPI一覧", lambda: kpi_list(ctx)),
        ("次第（ダッシュボード）", lambda: agenda(ctx, "dashboard")),
    ]
    for field_result in result.fields:
        steps.append(
            (
                f"ダッシュボード {field_result.name}",
                partial(dashboard, ctx, field_result.name, field_result.kpis),
            )
        )
        for kpi in field_result.kpis:
            steps.append((f"中間指標 {kpi.kpi.id}", partial(indicator_slides, ctx, kpi)))
    if result.period.projects:
        steps.append(("次第（ロードマップ）", lambda: agenda(ctx, "roadmap")))
        for field_name in dict.fromkeys(p.field for p in result.period.projects):
            statuses = [s for s in result.roadmap.projects if s.project.field == field_name]
            steps.append((f"ロードマップ {field_name}", partial(roadmap_list, ctx, field_name, statuses)))
        steps.append(("各分野の主な取組", lambda: featured_list(ctx)))
        for status in result.roadmap.featured:
            steps.append((f"事業 No.{status.project.no}", partial(project_slides, ctx, status)))
    if result.period.discussion.sections:
        steps.append(("次第（ディスカッション）", lambda: agenda(ctx, "discussion")))
        steps.append(("ディスカッション", lambda: discussion(ctx)))
    steps.append(("次第（閉会）", lambda: agenda(ctx, "closing")))
    steps.append(("閉会", lambda: closing(ctx)))
    return steps


def _build(result: Result, options: DeckOptions | None, progress: Callable[[str], None] | None) -> BuiltDeck:
    writer = Deck(options or DeckOptions())
    deck = Composer(writer)
    ctx = Context(deck, result, progress or (lambda _: None))
    writer.describe_pictures({figure.path: figure.caption for figure in _figures(result.period)})
    for index, name in enumerate(result.period.fields):
        ctx.field_colour[name] = FIELD_COLOURS[index % len(FIELD_COLOURS)]
    for label, step in _steps(ctx):
        ctx.progress(label)
        step()
    page_numbers(deck)
    writer.complete_accessibility()
    meeting = result.period.meeting
    day = meeting.date or dt.date(2000, 1, 1)
    stamp = dt.datetime(day.year, day.month, day.day)
    data = writer.save(
        stamp,
        f"{meeting_number(meeting)}{meeting.council} 資料（{meeting.period_label}）",
        meeting.organizer or meeting.council,
    )
    return BuiltDeck(data, tuple(deck.warnings))


def _figures(period: PeriodData) -> Iterator[Figure]:
    """Every picture of the narrative (history, cases, detail sheets, discussion)."""
    documents: list[Document | Case] = [period.history, period.discussion, *period.cases]
    documents += [sheet for _, sheet in period.sheets]
    pending: list[Block | Section] = []
    for document in documents:
        pending += [*document.blocks, *document.sections]
    while pending:
        item = pending.pop()
        if isinstance(item, Figure):
            yield item
        elif isinstance(item, Section):
            pending += [*item.blocks, *item.children]
