"""Read the narrative Markdown files (cases, detail sheets, discussion themes) into plain blocks.

The dialect is CommonMark with GFM pipe tables, parsed by markdown-it-py (already installed as a
dependency of rich, so it costs nothing extra).  What we keep: headings as nested sections,
paragraphs, bullet lists (nested), and tables with one header row.  A line break inside a
paragraph is kept as a line break: Japanese text has no spaces to join lines with, and the
meeting material breaks lines on purpose.

A heading ``図`` (or ``図：caption``) marks a diagram: the one table under it names the columns in
its header row and the bands crossing them in its first column; anything else there is an error
with its line, so a diagram is never drawn from a half-understood table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from aomori_dx.model import (
    Block,
    Bullet,
    BulletList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    is_diagram_heading,
)

__all__ = [
    "Block",
    "Bullet",
    "BulletList",
    "Document",
    "MarkdownError",
    "Paragraph",
    "Section",
    "Table",
    "parse_markdown",
]


class MarkdownError(ValueError):
    """A construct we do not support, with the 1-based line where it starts."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass
class _Open:
    title: str
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[_Open] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            self.title,
            self.level,
            tuple(self.blocks),
            tuple(child.freeze() for child in self.children),
            self.line,
        )


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _inline(token: Token) -> str:
    # softbreak → "\n": see the module docstring.
    return token.content.strip()


def _close_index(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one at ``start`` (same nesting level)."""
    opener = tokens[start]
    close_type = opener.type.replace("_open", "_close")
    depth = 0
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.type == opener.type:
            depth += 1
        elif token.type == close_type:
            depth -= 1
            if depth == 0:
                return index
    raise MarkdownError(_line(opener), "Markdown の構造が閉じていません。")  # pragma: no cover


def _list(tokens: list[Token], start: int, end: int) -> tuple[Bullet, ...]:
    """Items of the list whose open token is at ``start`` and close at ``end``."""
    bullets: list[Bullet] = []
    index = start + 1
    while index < end:
        token = tokens[index]
        if token.type != "list_item_open":
            index += 1
            continue
        item_end = _close_index(tokens, index)
        texts: list[str] = []
        children: list[Bullet] = []
        inner = index + 1
        while inner < item_end:
            sub = tokens[inner]
            if sub.type == "inline":
                if any(child.type == "image" for child in sub.children or []):
                    raise MarkdownError(
                        _line(sub),
                        "箇条書きの中には画像を置けません。画像は箇条書きの外に、1行で書いてください。",
                    )
                texts.append(_inline(sub))
                inner += 1
            elif sub.type in ("bullet_list_open", "ordered_list_open"):
                sub_end = _close_index(tokens, inner)
                children.extend(_list(tokens, inner, sub_end))
                inner = sub_end + 1
            elif sub.type in ("fence", "code_block") or (
                sub.type.endswith("_open") and sub.type != "paragraph_open"
            ):
                raise MarkdownError(_line(sub), "箇条書きの中には文と入れ子の箇条書きだけを書けます。")
            else:
                inner += 1
        bullets.append(Bullet("\n".join(texts), tuple(children)))
        index = item_end + 1
    return tuple(bullets)


def _table(tokens: list[Token], start: int, end: int) -> Table:
    header: list[str] = []
    rows: list[tuple[str, ...]] = []
    current: list[str] = []
    in_head = False
    for token in tokens[start:end]:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current = []
        elif token.type == "inline":
            current.append(_inline(token))
        elif token.type == "tr_close":
            if in_head:
                header = current
            else:
                rows.append(tuple(current))
    return Table(tuple(header), tuple(rows), _line(tokens[start]))


def _paragraph(inline: Token, line: int) -> Paragraph | Figure:
    """A paragraph, or a picture when the paragraph is a single image."""
    children = [
        child for child in inline.children or [] if not (child.type == "text" and not child.content.strip())
    ]
    images = [child for child in children if child.type == "image"]
    if not images:
        return Paragraph(_inline(inline), line)
    if len(children) != 1:
        raise MarkdownError(
            line, "画像は1行に1つだけ、文とは別の段落に書いてください（例: ![説明](images/photo.jpg)）。"
        )
    image = images[0]
    # markdown-it percent-encodes the address (写真.jpg → %E5%86%99…); the file has the real name.
    return Figure(unquote(str(image.attrs.get("src", ""))), image.content.strip(), "", line)


def parse_markdown(text: str) -> Document:
    """Parse ``text`` into a document; raise ``MarkdownError`` for what we do not support."""
    tokens = _PARSER.parse(text)
    root = _Open("", 0, 0)
    stack = [root]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            title = _inline(tokens[index + 1])
            while stack[-1].level >= level:
                stack.pop()
            section = _Open(title, level, _line(token))
            stack[-1].children.append(section)
            stack.append(section)
            index += 3
        elif kind == "paragraph_open":
            stack[-1].blocks.append(_paragraph(tokens[index + 1], _line(token)))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            end = _close_index(tokens, index)
            stack[-1].blocks.append(BulletList(_list(tokens, index, end), _line(token)))
            index = end + 1
        elif kind == "table_open":
            end = _close_index(tokens, index)
            stack[-1].blocks.append(_table(tokens, index, end))
            index = end + 1
        elif kind in ("hr", "html_block"):
            index += 1
        elif kind in ("fence", "code_block"):
            raise MarkdownError(
                _line(token), "コードブロック（字下げ4文字以上や ``` ）は使えません。字下げを外してください。"
            )
        elif kind == "blockquote_open":
            raise MarkdownError(_line(token), "引用（> で始まる行）は使えません。")
        else:
            index += 1
    document = Document(tuple(root.blocks), tuple(child.freeze() for child in root.children))
    _check_diagrams(document.sections)
    return document


DIAGRAM_EXAMPLE = "（例: | | 分野A | 分野B | の見出し行の下に | 横断する取組 | | | の行）"


def _check_diagrams(sections: tuple[Section, ...]) -> None:
    """Raise ``MarkdownError`` for a diagram heading whose content is not one well-formed table."""
    for section in sections:
        if is_diagram_heading(section.title):
            _check_diagram(section)
        _check_diagrams(section.children)


def _check_diagram(section: Section) -> None:
    tables = [block for block in section.blocks if isinstance(block, Table)]
    if len(tables) != 1 or len(section.blocks) != 1 or section.children:
        raise MarkdownError(
            section.line,
            f"見出し「{section.title}」は図です。図の見出しの下には表を1つだけ書いてください{DIAGRAM_EXAMPLE}。",
        )
    table = tables[0]
    if table.header[0] or len(table.header) < 2 or not all(table.header[1:]):
        raise MarkdownError(
            table.line,
            "図の表の見出し行は、1つ目のセルを空欄にし、2つ目から列（分野）の名前を書いてください"
            f"{DIAGRAM_EXAMPLE}。",
        )
    if not table.rows:
        raise MarkdownError(table.line, f"図の表に横断する取組の行がありません{DIAGRAM_EXAMPLE}。")
    for index, row in enumerate(table.rows):
        # One row a line: the header, the |---| line, then the rows.
        line = table.line + 2 + index
        if not row or not row[0]:
            raise MarkdownError(line, "図の表の各行の1つ目のセルに、横断する取組の名前を書いてください。")
        if any(row[1:]):
            raise MarkdownError(
                line,
                "図の表は、見出し行（列の名前）と1列目（横断する取組の名前）のほかのセルを空欄にしてください。",
            )
