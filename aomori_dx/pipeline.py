"""Build and publish, as a library: which files a build writes, every document built before any
is written, the PDF copies, and the trend history of the earlier periods that publish charts.

No typer and no console here: ``cli`` validates, calls these, prints what they return and
chooses the exit code, and a script can call them the same way.  Errors are ``AomoriDxError``
values raised to the caller.  The document libraries are imported only by the step that needs
them, so a build of the report alone never pays for python-pptx.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aomori_dx.compute import Result, compute
from aomori_dx.errors import AomoriDxError
from aomori_dx.model import PeriodData
from aomori_dx.parse import visible
from aomori_dx.periods import list_periods
from aomori_dx.validate import validate_period

__all__ = [
    "DECK",
    "REPORT",
    "BuiltDocuments",
    "Documents",
    "Trend",
    "build_documents",
    "check_previous",
    "earlier_periods",
    "export_pdfs",
    "font_problem",
    "publish_site",
    "trend",
]

DECK, REPORT = "deck.pptx", "report.docx"


@dataclass(frozen=True)
class Documents:
    """Which documents a build makes, from what templates (by suffix) and in which font."""

    deck: bool = True
    report: bool = True
    templates: Mapping[str, Path] | None = None
    font: str | None = None

    def targets(self, out: Path, period_id: str) -> list[Path]:
        """The files the build writes: ``<out>/<period>/deck.pptx`` and ``report.docx``."""
        names = [name for name, wanted in ((DECK, self.deck), (REPORT, self.report)) if wanted]
        return [out / period_id / name for name in names]


@dataclass(frozen=True)
class BuiltDocuments:
    """What a build wrote, in order, and the deck's layout warnings (text cut to fit)."""

    files: tuple[tuple[Path, bytes], ...]
    warnings: tuple[str, ...] = ()


def font_problem(font: str) -> str | None:
    """Why ``font`` cannot name the documents' font, in words (or None): it goes into every run's
    XML, where a control character broke the build half-way."""
    if not font.strip() or font != font.strip() or not font.isprintable():
        return f'フォント名「{visible(font)}」は使えません。前後に空白のない1行の名前にしてください（例: --font "Meiryo UI"）。'
    return None


def check_previous(folder: Path, current: PeriodData, chosen: Path, previous: PeriodData) -> str | None:
    """Refuse a previous snapshot that is not measured before ``current`` (``AomoriDxError``): the
    period itself gives a 前期差 of 0 everywhere, a later one the deltas reversed, and neither
    looks wrong on the page.  A warning (returned) for one of the same as-of date, a copy."""
    if chosen.resolve() == folder.resolve():
        raise AomoriDxError(
            f"前期のフォルダ {chosen} は今の期のフォルダと同じです。前の期のフォルダを --previous に指定してください。"
        )
    before, now = previous.meeting.as_of, current.meeting.as_of
    if before is not None and now is not None and before > now:
        raise AomoriDxError(
            f"前期 {chosen} の基準日 {before} が、今の期 {folder} の基準日 {now} より後です。"
            "前期差が逆向きになるので止めました。--previous で前の期のフォルダを指定してください。"
        )
    if before is not None and before == now:
        return (
            f"前期 {chosen} の基準日 {before} が今の期と同じです（期のフォルダの控えではありませんか）。"
            "前期差を確かめてください。"
        )
    return None


def build_documents(
    result: Result, out: Path, documents: Documents, progress: Callable[[str], None] | None = None
) -> BuiltDocuments:
    """Build every document, then write them all: a failure in any leaves the previous files."""
    from aomori_dx.output import write_files_atomic

    problem = font_problem(documents.font) if documents.font is not None else None
    if problem:
        raise AomoriDxError(problem)
    step = progress or (lambda _: None)
    templates = documents.templates or {}
    files: list[tuple[Path, bytes]] = []
    warnings: tuple[str, ...] = ()
    deck_target, report_target = (out / result.period.id / name for name in (DECK, REPORT))
    if documents.deck:
        from aomori_dx.render.deck import DEFAULT_TEMPLATE, DeckOptions, render_deck

        options = DeckOptions(template=templates.get(".pptx", DEFAULT_TEMPLATE), font=documents.font)
        deck = render_deck(result, options, lambda text: step(f"PowerPoint: {text}"))
        files.append((deck_target, deck.data))
        warnings = deck.warnings
    if documents.report:
        from aomori_dx.render.report import DEFAULT_REPORT_TEMPLATE, ReportOptions, build_report

        report_options = ReportOptions(
            template=templates.get(".docx", DEFAULT_REPORT_TEMPLATE), font=documents.font
        )
        files.append(
            (report_target, build_report(result, report_options, lambda text: step(f"Word: {text}")))
        )
    write_files_atomic(dict(files))
    return BuiltDocuments(tuple(files), warnings)


def export_pdfs(paths: Sequence[Path]) -> Iterator[Path]:
    """A PDF beside each written document (LibreOffice), yielded as each one is made."""
    from aomori_dx.pdf import to_pdf

    for path in paths:
        yield to_pdf(path)


def earlier_periods(folder: Path) -> list[Path]:
    """The period folders beside ``folder`` that come before it (oldest first)."""
    earlier = []
    for path in list_periods(folder.parent):
        if path.resolve() == folder.resolve():
            break
        earlier.append(path)
    return earlier


@dataclass(frozen=True)
class Trend:
    """The earlier periods' results for the trend charts (oldest first), and the folders left out."""

    history: tuple[Result, ...]
    left_out: tuple[Path, ...]


def trend(folders: Sequence[Path]) -> Trend:
    """The results of the earlier periods, each compared with the one before it.  A period that
    does not validate is left out (the caller says so); it does not stop the publication."""
    history: list[Result] = []
    left_out: list[Path] = []
    earlier: PeriodData | None = None
    for path in folders:
        older, _ = validate_period(path)
        if older is None:
            left_out.append(path)
            continue
        history.append(compute(older, earlier))
        earlier = older
    return Trend(tuple(history), tuple(left_out))


def publish_site(result: Result, history: Sequence[Result], target: Path) -> int:
    """Build the site and open data, then replace ``target`` with it; the number of files."""
    from aomori_dx.output import write_tree_atomic
    from aomori_dx.render.site import build_site

    files = build_site(result, history)
    write_tree_atomic(target, files)
    return len(files)
