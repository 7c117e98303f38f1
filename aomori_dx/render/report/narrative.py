"""The report's narrative: paragraphs, bullets, small tables, pictures and diagrams from the
period's documents, their sections as headings, and the two chapters made of them alone
(代表的な事例, ディスカッションのテーマ).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from aomori_dx.compute import Result
from aomori_dx.model import Block, Bullet, BulletList, Diagram, Figure, Paragraph, Section, Table, diagram_of
from aomori_dx.render.report.fit import CELL_MARGINS_MM, TABLE_SIZE, fitted, least_mm
from aomori_dx.render.report.writer import MAIN, MUTED, TABLE_TEXT, Cell, Report, para, run, table


def blocks(report: Report, items: Iterable[Block]) -> None:
    style = report.styles["Normal"]
    for block in items:
        if isinstance(block, Paragraph):
            report.add(para(run(block.text), style))
        elif isinstance(block, BulletList):
            for bullet in block.items:
                _bullet(report, bullet, 1)
        elif isinstance(block, Table):
            _small_table(report, block)
        elif isinstance(block, Figure) and block.path:
            # A picture that is not there (validate reports it once as missing-image) leaves
            # nothing behind: a caption alone would stand for a picture the reader cannot see.
            report.add(report.picture(block, report.text_width_mm * 0.8))
            if block.caption:
                report.add(para(run(block.caption), report.styles["Caption"], "center"))


def _bullet(report: Report, bullet: Bullet, depth: int) -> None:
    mark = "・" if depth == 1 else "－"
    report.add(para(run(mark + bullet.text), report.styles["Normal"], indent=(4.5 * depth, 3.5)))
    for child in bullet.children:
        _bullet(report, child, depth + 1)


def _small_table(report: Report, block: Table, title: str = "") -> None:
    style = report.styles[TABLE_TEXT]
    if title:
        report.add(para(run(title, True), report.styles["Caption"], keep_next=True))
    block = _without_empty_columns(block)
    columns = max(1, len(block.header))
    lengths = [
        max([len(block.header[i]), *(len(row[i]) for row in block.rows if i < len(row))]) + 2
        for i in range(columns)
    ]
    total = report.text_width_mm
    least = [
        max(
            [least_mm(block.header[i], TABLE_SIZE * 1.05)]
            + [least_mm(row[i], TABLE_SIZE) for row in block.rows if i < len(row)]
        )
        + CELL_MARGINS_MM
        for i in range(columns)
    ]
    widths = fitted([total * n / sum(lengths) for n in lengths], least, total)

    def align(text: str) -> str | None:
        return (
            "right"
            if text and (text[0].isdigit() or text[0] in "約▲-") and any(c.isdigit() for c in text)
            else None
        )

    rows = [
        [Cell(cell, align(cell)) for cell in row] + [Cell() for _ in range(columns - len(row))]
        for row in block.rows
    ]
    report.add(table(widths, [Cell(h) for h in block.header], rows, style, phrase_rows=True))
    report.add(para("", report.styles["Normal"]))


def _diagram(report: Report, diagram: Diagram) -> None:
    """The fields as columns and the bands that cross them as rows spanning every column, as the
    material draws it (written as a table, its cells would all be empty)."""
    if diagram.caption:
        report.add(para(run(diagram.caption), report.styles["Caption"], keep_next=True))
    columns = max(1, len(diagram.columns))
    widths = [report.text_width_mm / columns] * columns
    rows = [[Cell(band, "center", fill=MAIN, tint=75, span=columns)] for band in diagram.bands]
    report.add(table(widths, [Cell(name) for name in diagram.columns], rows, report.styles[TABLE_TEXT]))
    report.add(para("", report.styles["Normal"]))


def _without_empty_columns(block: Table) -> Table:
    """``block`` without the columns that are empty on every row (a header alone says nothing)."""
    if not block.rows:
        return block
    kept = [
        index
        for index in range(len(block.header))
        if any(index < len(row) and row[index].strip() for row in block.rows)
    ]
    if not kept:
        return replace(block, rows=())
    if len(kept) == len(block.header):
        return block
    return replace(
        block,
        header=tuple(block.header[i] for i in kept),
        rows=tuple(tuple(row[i] for i in kept if i < len(row)) for row in block.rows),
    )


def sections(report: Report, items: Iterable[Section], level: int) -> None:
    for section in items:
        diagram = diagram_of(section)
        if diagram is not None:
            _diagram(report, diagram)
            sections(report, section.children, level + 1)
            continue
        tables = [block for block in section.blocks if isinstance(block, Table)]
        if len(tables) == len(section.blocks) == 1 and not section.children and level > 3:
            _small_table(report, tables[0], section.title)
            continue
        if level <= 3:
            report.heading(level, section.title)
        else:
            report.add(para(run(section.title, True), report.styles["Normal"], keep_next=True))
        blocks(report, section.blocks)
        sections(report, section.children, level + 1)


def cases(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    meeting = result.period.meeting
    if meeting.as_of:
        report.text(f"{meeting.as_of.year}年{meeting.as_of.month}月末までの代表的な事例です。", colour=MUTED)
    for field_name in dict.fromkeys(case.field for case in result.period.cases):
        report.heading(2, field_name)
        for case in result.period.cases:
            if case.field != field_name:
                continue
            report.heading(3, case.title)
            blocks(report, case.blocks)
            sections(report, case.sections, 4)


def discussion(report: Report, result: Result, progress: Callable[[str], None]) -> None:
    for section in result.period.discussion.sections:
        report.heading(2, section.title)
        blocks(report, section.blocks)
        sections(report, section.children, 3)
