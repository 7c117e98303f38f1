"""The published site (``build_site`` and ``aomori-dx publish``) read back as a visitor and a machine would.

The HTML is parsed with the standard library's ``html.parser`` into a small tree, and every figure
a reader sees is compared with the computed model through ``format`` (never with literals copied
from the output).  The tests also hold what makes the site publishable by a prefecture: text
alternatives for the charts, colour never the only signal, nothing loaded from outside the
folder, escaped input text, open data a spreadsheet cannot misread, and an atomic ``publish``.
The last tests take screenshots with headless Chromium (skipped when it is missing, except in CI)
and leave them in ``out/test-screenshots/`` for a person to look at.
"""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import re
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from seed import SEED_KPIS
from typer.testing import CliRunner

from aomori_dx.cli import app
from aomori_dx.compute import Result, compute
from aomori_dx.format import percent, period_label, points, rate_value, value_with_unit
from aomori_dx.model import PeriodData
from aomori_dx.output import SITE_MARKER, SITE_MARKER_TEXT, write_tree_atomic
from aomori_dx.render.opendata import INDICATOR_COLUMNS
from aomori_dx.render.site import KPI_COLUMNS, ROADMAP_COLUMNS, build_site
from aomori_dx.validate import validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
SAMPLE_ARG = "inputs/fy2024-h1"
SCREENSHOTS = REPO_ROOT / "out" / "test-screenshots"

INDICATOR_HEADERS = [
    "中間指標名",
    "目標値 (A)",
    "前期の値 (B)",
    "前期の達成率 (B/A)×100=C",
    "直近の値 (D)",
    "直近の達成率 (D/A)×100=E",
    "データの出所",
]
H2_LABEL = "令和6年度下半期"
INJECTION = '<script>alert(1)</script> & "x"'
IMG_INJECTION = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://example.com/","x")'
NUMBER = re.compile(r"-?\d+(\.\d+)?")
# A cell that *is* an era-year label (R4年度, R6年11月末時点, 令和6年度上半期, R6), not text mentioning one.
ERA_CELL = re.compile(r"(R|H|S|令和|平成|昭和)(\d+|元)(年度|年)?.*")
ERA_BASE = {"R": 2018, "令和": 2018, "H": 1988, "平成": 1988, "S": 1925, "昭和": 1925}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "background",
    "cite",
    "longdesc",
    "manifest",
    "ping",
}
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\s+(['\"])(.*?)\1", re.IGNORECASE)

runner = CliRunner()


# --- a small HTML tree ----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Node:
    """An element: tag, attributes (names lower-cased by html.parser), children (nodes and text)."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self, tag: str | None = None, cls: str | None = None) -> Iterator[Node]:
        """Descendants in document order, optionally of a tag and/or having a class."""
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    yield child
                yield from child.iter(tag, cls)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return list(self.iter(tag, cls))

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, f"expected one <{tag} class={cls}> in <{self.tag}>, found {len(found)}"
        return found[0]

    def elements(self) -> list[Node]:
        """Child elements (no text)."""
        return [child for child in self.children if isinstance(child, Node)]

    def _pieces(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif child.tag == "br":
                yield " "
            else:
                yield from child._pieces()

    @property
    def text(self) -> str:
        """All text inside, whitespace collapsed (a <br> counts as a space)."""
        return " ".join("".join(self._pieces()).split())

    @property
    def own_text(self) -> str:
        """Only the text directly inside this element (not in child elements)."""
        return " ".join("".join(c for c in self.children if isinstance(c, str)).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.stray_end_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <line .../> inside SVG: an element without content.
        self.current.children.append(Node(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node is not self.root and node.tag != tag:
            node = node.parent
        if node is None or node is self.root:
            self.stray_end_tags.append(tag)
            return
        assert node.parent is not None
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


@dataclass(frozen=True)
class Page:
    """A parsed HTML page: its tree, raw text, and whether every element was closed in order."""

    name: str
    raw: str
    root: Node
    unclosed: tuple[str, ...]
    stray_end_tags: tuple[str, ...]

    def by_id(self, id_: str) -> Node | None:
        return next((node for node in self.root.iter() if node.attrs.get("id") == id_), None)

    @property
    def main(self) -> Node:
        return self.root.one("main")


def parse(name: str, data: bytes) -> Page:
    builder = _TreeBuilder()
    raw = data.decode("utf-8")
    builder.feed(raw)
    builder.close()
    unclosed = []
    node: Node | None = builder.current
    while node is not None and node is not builder.root:
        unclosed.append(node.tag)
        node = node.parent
    return Page(name, raw, builder.root, tuple(unclosed), tuple(builder.stray_end_tags))


def html_pages(files: dict[str, bytes]) -> dict[str, Page]:
    return {name: parse(name, data) for name, data in files.items() if name.endswith(".html")}


# --- building sites -------------------------------------------------------------------------


def load(folder: Path) -> PeriodData:
    data, report = validate_period(folder)
    assert data is not None and report.ok, [str(issue) for issue in report.errors]
    return data


def edit_csv(path: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    """Rewrite an input CSV through ``change`` (rows as dicts), keeping its encoding and columns."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    columns = list(rows[0])
    change(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8"))


def set_latest(name: str, latest: str) -> Callable[[list[dict[str, str]]], None]:
    def change(rows: list[dict[str, str]]) -> None:
        row = next(row for row in rows if row["name"] == name)
        row["latest"] = latest

    return change


@dataclass(frozen=True)
class Site:
    """A result, the files ``build_site`` made of it, and the HTML pages parsed."""

    result: Result
    files: dict[str, bytes]
    pages: dict[str, Page]


def make_site(result: Result, history: list[Result] | None = None) -> Site:
    files = build_site(result, history or [])
    return Site(result, files, html_pages(files))


@pytest.fixture(scope="module")
def site() -> Site:
    return make_site(compute(load(SAMPLE)))


@pytest.fixture(scope="module")
def site_dir(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site written to disk the way ``publish`` writes it."""
    target = tmp_path_factory.mktemp("published") / "fy2024-h1" / "site"
    write_tree_atomic(target, site.files)
    return target


# Two periods: fy2024-h2 is the sample with one figure up (K2) and one down (K1).
RAISED = ("スマート農業機械の導入台数", "2,400")
LOWERED = ("県内企業のデジタル化・DX支援件数(DX総合窓口への相談件数)", "50")


@dataclass(frozen=True)
class TwoPeriods:
    h1: Result
    site: Site


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> TwoPeriods:
    inputs = tmp_path_factory.mktemp("two") / "inputs"
    h1, h2 = inputs / "fy2024-h1", inputs / "fy2024-h2"
    shutil.copytree(SAMPLE, h1)
    shutil.copytree(SAMPLE, h2)
    edit_csv(h2 / "indicators.csv", set_latest(*RAISED))
    edit_csv(h2 / "indicators.csv", set_latest(*LOWERED))

    def relabel(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["key"] == "period_label")["value"] = H2_LABEL

    edit_csv(h2 / "meeting.csv", relabel)
    first, second = load(h1), load(h2)
    earlier = compute(first)
    return TwoPeriods(earlier, make_site(compute(second, first), [earlier]))


def kpi_page(site: Site, kpi_id: str) -> Page:
    return site.pages[f"kpi-{kpi_id}.html"]


def indicator_table(page: Page) -> Node:
    return page.main.one("table", "indicators")


def body_rows(table: Node) -> list[Node]:
    return table.one("tbody").all("tr")


def mark_text(cell: Node) -> str:
    return " ".join(mark.text for mark in cell.all("span", "mark"))


# --- 1. every KPI and indicator figure against the model ------------------------------------


def test_index_has_a_card_per_kpi_with_rate_and_no_delta(site: Site) -> None:
    page = site.pages["index.html"]
    cards = page.main.all("li", "card")
    kpis = site.result.kpis
    assert len(cards) == len(kpis) == 8
    for card, kpi in zip(cards, kpis, strict=True):
        link = card.one("h3").one("a")
        assert link.attrs["href"] == f"kpi-{kpi.kpi.id}.html"
        assert link.text == kpi.kpi.name
        rate = card.one("p", "rate")
        assert rate.own_text == percent(kpi.rate) == SEED_KPIS[kpi.kpi.id] + "%"
        assert not rate.all("span", "mark") and "changed" not in rate.classes
        assert card.one("p", "delta").text == f"前期差 {points(kpi.delta)}" == "前期差 -"
    # Cards are grouped under their field's heading, in the model's order.
    sections = page.main.all("section", "field")
    assert [s.one("h2").text for s in sections] == [f.name for f in site.result.fields]
    for section, field_ in zip(sections, site.result.fields, strict=True):
        assert [c.one("h3").text for c in section.all("li", "card")] == [k.kpi.name for k in field_.kpis]


@pytest.mark.parametrize("kpi_id", list(SEED_KPIS))
def test_kpi_page_table_matches_the_model(site: Site, kpi_id: str) -> None:
    kpi = site.result.kpi(kpi_id)
    assert kpi is not None
    page = kpi_page(site, kpi_id)
    assert page.main.one("h1").text == kpi.kpi.name
    table = indicator_table(page)
    header = table.one("thead").all("th")
    assert [th.text for th in header] == INDICATOR_HEADERS
    assert all(th.attrs.get("scope") == "col" for th in header)
    rows = body_rows(table)
    assert len(rows) == len(kpi.indicators)
    for row, item in zip(rows, kpi.indicators, strict=True):
        indicator = item.indicator
        first, *cells = row.elements()
        assert (first.tag, first.attrs.get("scope")) == ("th", "row")
        assert first.own_text == indicator.name
        assert [n.text for n in first.all("span", "note")] == ([indicator.note] if indicator.note else [])
        assert [c.tag for c in cells] == ["td"] * 6
        target, previous, previous_rate, latest, latest_rate, source = cells
        assert target.text == value_with_unit(indicator.target, indicator.unit)
        assert previous.own_text == value_with_unit(indicator.previous, indicator.unit)
        assert [s.text for s in previous.all("span", "period")] == (
            [period_label(indicator.previous_period, western=True)] if indicator.previous_period else []
        )
        assert previous_rate.text == percent(item.previous_rate)
        assert latest.own_text == value_with_unit(indicator.latest, indicator.unit)
        assert [s.text for s in latest.all("span", "period")] == (
            [period_label(indicator.latest_period, western=True)] if indicator.latest_period else []
        )
        assert latest_rate.text == percent(item.latest_rate)
        assert source.text == " ".join(indicator.source.split())
        # No earlier period: nothing is marked as changed.
        assert not row.all(cls="changed") and not row.all("span", "mark")
    line = page.main.one("p", "kpi-line")
    assert line.text == f"KPI {percent(kpi.rate)}（達成率の単純平均）"
    assert line.text == f"KPI {SEED_KPIS[kpi_id]}%（達成率の単純平均）"
    assert kpi.kpi.rate_published == Decimal(SEED_KPIS[kpi_id])
    summary = page.main.one("div", "kpi-summary").one("p", "rate")
    assert summary.own_text == f"KPI {percent(kpi.rate)}"
    assert page.main.one("div", "kpi-summary").one("p", "delta").text == "前期差 -"


def test_smart_farm_machines_show_the_computed_rate(site: Site) -> None:
    # 2,113 ÷ 3,000 = 70.43…%: the material printed 70.5%, the site shows the computed 70.4%.
    row = next(
        r for r in body_rows(indicator_table(kpi_page(site, "K2"))) if r.elements()[0].own_text == RAISED[0]
    )
    assert row.elements()[5].text == "70.4%"
    assert row.elements()[4].own_text == "2,113台"


# --- 2. text alternatives and structure -----------------------------------------------------


def test_every_page_is_japanese_and_well_formed(site: Site) -> None:
    assert set(site.pages) >= {"index.html", "roadmap.html", "data.html"} | {
        f"kpi-{k}.html" for k in SEED_KPIS
    }
    for page in site.pages.values():
        assert page.raw.startswith("<!DOCTYPE html>"), page.name
        assert [n.attrs.get("lang") for n in page.root.all("html")] == ["ja"], page.name
        assert not page.unclosed and not page.stray_end_tags, (page.name, page.unclosed, page.stray_end_tags)
        assert page.root.one("head").one("title").text, page.name
        ids = [n.attrs["id"] for n in page.root.iter() if "id" in n.attrs]
        assert len(ids) == len(set(ids)), (page.name, sorted(i for i in ids if ids.count(i) > 1))


def test_every_svg_has_a_title_stating_the_figure(site: Site, two_periods: TwoPeriods) -> None:
    checked = 0
    for built in (site, two_periods.site):
        for page in built.pages.values():
            for svg in page.root.iter("svg"):
                assert svg.attrs.get("role") == "img", page.name
                target = page.by_id(svg.attrs.get("aria-labelledby", ""))
                assert target is not None and target.tag == "title", page.name
                assert target.parent is svg, page.name
                assert re.search(r"\d+\.\d%", target.text), (page.name, target.text)
                checked += 1
    assert checked >= 2 * (8 + 8) + 8  # doughnuts on the index and KPI pages, trends on h2's pages
    index = site.pages["index.html"]
    for kpi in site.result.kpis:
        title = index.by_id(f"chart-{kpi.kpi.id}-title")
        assert title is not None and percent(kpi.rate) in title.text and kpi.kpi.name in title.text
        page_title = kpi_page(site, kpi.kpi.id).by_id("chart-main-title")
        assert page_title is not None and percent(kpi.rate) in page_title.text
    k1 = index.by_id("chart-K1-title")
    assert k1 is not None and "33.0%" in k1.text


def test_every_table_has_scoped_headers_and_images_have_alt(site: Site, two_periods: TwoPeriods) -> None:
    tables = 0
    for built in (site, two_periods.site):
        for page in built.pages.values():
            for table in page.root.iter("table"):
                headers = table.all("th")
                assert headers, (page.name, table.attrs)
                assert all(
                    th.attrs.get("scope") in {"col", "row", "colgroup", "rowgroup"} for th in headers
                ), (
                    page.name,
                    [th.text for th in headers if "scope" not in th.attrs],
                )
                tables += 1
            for img in page.root.iter("img"):
                assert "alt" in img.attrs, (page.name, img.attrs)
    assert tables >= 2 * 8 + 8  # at least the indicator tables and h2's trend tables


# --- 3. colour is never the only signal -----------------------------------------------------


def test_changed_values_carry_a_mark_as_well_as_a_colour(two_periods: TwoPeriods) -> None:
    built = two_periods.site
    marked = []
    for kpi in built.result.kpis:
        for row, item in zip(
            body_rows(indicator_table(kpi_page(built, kpi.kpi.id))), kpi.indicators, strict=True
        ):
            cells = row.elements()
            for cell, name in ((cells[1], "target"), (cells[2], "previous"), (cells[4], "latest")):
                if "changed" in cell.classes:
                    marked.append((item.indicator.name, name))
                    assert mark_text(cell) == "＊", (item.indicator.name, name)
                else:
                    assert not cell.all("span", "mark"), (item.indicator.name, name)
    assert sorted(marked) == sorted([(RAISED[0], "latest"), (LOWERED[0], "latest")])
    raised = next(r for r in body_rows(indicator_table(kpi_page(built, "K2"))) if RAISED[0] in r.text)
    assert raised.elements()[4].own_text == "2,400台"
    # Anywhere on any page: the red "changed" (and "late") styles always come with a text mark.
    for page in built.pages.values():
        for node in page.root.iter(cls="changed"):
            assert "＊" in node.text, (page.name, node.text)
        for node in page.root.iter(cls="late"):
            assert "！" in node.text, (page.name, node.text)
    index = built.pages["index.html"]
    assert "＊印" in index.main.one("p", "lead").text
    for card, kpi in zip(index.main.all("li", "card"), built.result.kpis, strict=True):
        rate = card.one("p", "rate")
        assert ("changed" in rate.classes) == kpi.changed == (kpi.kpi.id in {"K1", "K2"})
        assert ("＊" in rate.text) == kpi.changed


def test_kpi_pages_show_the_trend_as_a_chart_and_as_a_table(two_periods: TwoPeriods) -> None:
    built = two_periods.site
    labels = ["令和6年度上半期", H2_LABEL]
    for kpi in built.result.kpis:
        before = two_periods.h1.kpi(kpi.kpi.id)
        assert before is not None
        rates = [percent(before.rate), percent(kpi.rate)]
        page = kpi_page(built, kpi.kpi.id)
        svg = page.main.one("figure", "trend").one("svg")
        title = page.by_id(svg.attrs["aria-labelledby"])
        assert title is not None
        for label, rate in zip(labels, rates, strict=True):
            assert f"{label} {rate}" in title.text
        assert [t.text for t in svg.all("text", "value")] == rates
        table = page.main.one("table", "trend-table")
        assert [[c.text for c in r.elements()] for r in body_rows(table)] == [
            [label, rate] for label, rate in zip(labels, rates, strict=True)
        ]
        assert all(r.elements()[0].attrs.get("scope") == "row" for r in body_rows(table))


def test_single_period_pages_have_no_trend(site: Site) -> None:
    for kpi in site.result.kpis:
        page = kpi_page(site, kpi.kpi.id)
        assert not page.main.all("figure", "trend") and not page.main.all("table", "trend-table")


def test_delta_is_written_with_a_sign(two_periods: TwoPeriods) -> None:
    built = two_periods.site
    index = built.pages["index.html"]
    shapes = {"K1": r"▲\d+\.\dpt", "K2": r"\+\d+\.\dpt"}
    for card, kpi in zip(index.main.all("li", "card"), built.result.kpis, strict=True):
        shown = points(kpi.delta)
        assert re.fullmatch(shapes.get(kpi.kpi.id, r"±0\.0pt"), shown), (kpi.kpi.id, shown)
        assert card.one("p", "delta").text == f"前期差 {shown}"
        page = kpi_page(built, kpi.kpi.id)
        assert page.main.one("div", "kpi-summary").one("p", "delta").text == f"前期差 {shown}"


# --- 4. self-contained ----------------------------------------------------------------------


def _check_reference(site_dir: Path, page: str, url: str, pages: dict[str, Page]) -> None:
    assert url.strip() == url and url, (page, url)
    assert not url.lower().startswith(("javascript:", "data:", "//")), (page, url)
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc and not parts.query, (page, url)
    assert not parts.path.startswith("/"), (page, url)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)) if parts.path else page
    assert target != ".." and not target.startswith("../"), (page, url)
    resolved = (site_dir / target).resolve()
    assert resolved.is_relative_to(site_dir.resolve()), (page, url)
    assert resolved.is_file(), (page, url)
    if parts.fragment:
        assert target in pages and pages[target].by_id(parts.fragment) is not None, (page, url)


def test_nothing_refers_outside_the_site_folder(site: Site, site_dir: Path) -> None:
    written = {str(p.relative_to(site_dir)) for p in site_dir.rglob("*") if p.is_file()}
    assert written == {*site.files, SITE_MARKER}  # the marker says publish made the folder
    references = 0
    for name, page in site.pages.items():
        assert not page.root.all("script"), name
        assert "<script" not in page.raw.lower(), name
        assert not page.root.all("iframe") and not page.root.all("object") and not page.root.all("embed")
        for node in page.root.iter():
            for attribute, value in node.attrs.items():
                assert not attribute.startswith("on"), (name, node.tag, attribute)
                assert "http://" not in value and "https://" not in value, (name, node.tag, attribute)
                assert not value.startswith("//"), (name, node.tag, attribute)
                if attribute in URL_ATTRIBUTES:
                    for url in value.split(",") if attribute == "srcset" else [value]:
                        _check_reference(site_dir, name, url.split()[0] if url.split() else url, site.pages)
                        references += 1
                if attribute == "style":
                    for match in CSS_URL.finditer(value):
                        _check_reference(site_dir, name, match.group(2), site.pages)
        for style in page.root.iter("style"):
            for match in CSS_URL.finditer(style.text):
                _check_reference(site_dir, name, match.group(2), site.pages)
        links = [n for n in page.root.iter("link")]
        assert [n.attrs.get("href") for n in links if n.attrs.get("rel") == "stylesheet"] == ["style.css"]
    assert references > 50
    for name in (n for n in site.files if n.endswith(".css")):
        css = site.files[name].decode("utf-8")
        assert "http://" not in css and "https://" not in css, name
        assert "@font-face" not in css, name  # no web fonts: the reader's own Japanese fonts
        for pattern in (CSS_URL, CSS_IMPORT):
            for match in pattern.finditer(css):
                _check_reference(site_dir, name, match.group(2), site.pages)


# --- 5. escaping ----------------------------------------------------------------------------


def test_input_text_is_escaped(period_copy: Path) -> None:
    def kpi_name(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["id"] == "K1")["name"] = INJECTION

    def source(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["kpi"] == "K1")["source"] = IMG_INJECTION

    edit_csv(period_copy / "kpis.csv", kpi_name)
    edit_csv(period_copy / "indicators.csv", source)
    built = make_site(compute(load(period_copy)))
    for name, page in built.pages.items():
        assert not page.root.all("script"), name
        assert not page.root.all("img"), name
        assert "<script" not in page.raw and "<img" not in page.raw, name
    index = built.pages["index.html"]
    assert index.main.all("li", "card")[0].one("h3").text == INJECTION
    title = index.by_id("chart-K1-title")
    assert title is not None and INJECTION in title.text
    k1 = kpi_page(built, "K1")
    assert k1.main.one("h1").text == INJECTION
    assert k1.root.one("head").one("title").text.startswith(INJECTION)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in k1.raw
    assert body_rows(indicator_table(k1))[0].elements()[6].text == IMG_INJECTION
    # The open data keeps the text as typed: escaping is for HTML only.
    kpis = read_csv(built.files["data/kpis.csv"])
    assert next(r for r in kpis if r["kpi_id"] == "K1")["kpi_name"] == INJECTION
    assert json.loads(built.files["data/indicators.json"])["kpis"][0]["name"] == INJECTION


# --- 6. open data ---------------------------------------------------------------------------


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def number_or_none(text: str) -> Decimal | None:
    return None if text == "" else Decimal(text)


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("data/indicators.csv", INDICATOR_COLUMNS),
        ("data/kpis.csv", KPI_COLUMNS),
        ("data/roadmap.csv", ROADMAP_COLUMNS),
        ("data/datadict.csv", ("file", "column", "description", "type", "example")),
    ],
)
def test_csv_files_are_utf8_with_bom_and_one_ascii_header(
    site: Site, name: str, columns: tuple[str, ...]
) -> None:
    data = site.files[name]
    assert data.startswith(b"\xef\xbb\xbf")
    assert not data[3:].startswith(b"\xef\xbb\xbf")
    header = csv_header(data)
    assert header == list(columns)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", column) for column in header), header
    rows = read_csv(data)
    assert rows
    # A single header row: no data row repeats a column name, and every row is complete.
    for row in rows:
        assert list(row.values()) != header
        assert None not in row and all(value is not None for value in row.values())


def test_indicators_csv_has_the_models_numbers(site: Site) -> None:
    rows = read_csv(site.files["data/indicators.csv"])
    items = [(kpi, item) for kpi in site.result.kpis for item in kpi.indicators]
    assert len(rows) == len(items) == 30
    numeric = ("kpi_rate", "target", "previous", "previous_rate", "latest", "latest_rate", "changed")
    for row, (kpi, item) in zip(rows, items, strict=True):
        indicator = item.indicator
        assert (row["period"], row["kpi_id"], row["kpi_name"], row["field"]) == (
            "fy2024-h1",
            kpi.kpi.id,
            kpi.kpi.name,
            kpi.kpi.field,
        )
        assert (row["indicator"], row["unit"]) == (indicator.name, indicator.unit)
        for column in numeric:
            assert row[column] == "" or NUMBER.fullmatch(row[column]), (indicator.name, column, row[column])
        assert number_or_none(row["kpi_rate"]) == rate_value(kpi.rate)
        assert number_or_none(row["target"]) == indicator.target
        assert number_or_none(row["previous"]) == indicator.previous
        assert number_or_none(row["latest"]) == indicator.latest
        assert number_or_none(row["previous_rate"]) == rate_value(item.previous_rate)
        assert number_or_none(row["latest_rate"]) == rate_value(item.latest_rate)
        for prefix, period in (("previous", indicator.previous_period), ("latest", indicator.latest_period)):
            assert row[f"{prefix}_period"] == (period.text if period else "")
            assert row[f"{prefix}_period_western"] == (period.western if period else "")
        # Issue 13: machine-dependent characters are normalised (the sample's "R6～R10" becomes "R6~R10").
        assert row["source"] == indicator.source.replace("\n", " ").replace("～", "~")
        assert row["changed"] == "0"
    # The negative figure (▲2,799,388) is a plain number; K2's smart machines are 70.4, not 70.5.
    paper = next(r for r in rows if r["indicator"].startswith("コピー用紙削減枚数"))
    assert paper["previous"] == "-2799388" and paper["target"] == "87974100"
    smart = next(r for r in rows if r["indicator"] == RAISED[0])
    assert Decimal(smart["latest_rate"]) == Decimal("70.4")


def test_kpis_csv_and_json_have_the_models_numbers(site: Site) -> None:
    rows = read_csv(site.files["data/kpis.csv"])
    payload = json.loads(site.files["data/kpis.json"])
    kpis = site.result.kpis
    assert len(rows) == len(payload) == len(kpis) == 8
    for row, item, kpi in zip(rows, payload, kpis, strict=True):
        assert (row["kpi_id"], row["kpi_name"], row["field"]) == (kpi.kpi.id, kpi.kpi.name, kpi.kpi.field)
        for column in ("rate", "previous_rate", "delta", "indicator_count"):
            assert row[column] == "" or NUMBER.fullmatch(row[column]), (column, row[column])
        assert Decimal(row["rate"]) == rate_value(kpi.rate) == Decimal(SEED_KPIS[kpi.kpi.id])
        assert row["previous_rate"] == row["delta"] == ""
        assert int(row["indicator_count"]) == len(kpi.indicators)
        assert row["as_of"] == "2024-11-30"
        assert item["kpi_id"] == kpi.kpi.id and item["indicator_count"] == len(kpi.indicators)
        assert Decimal(str(item["rate"])) == rate_value(kpi.rate)
        assert item["previous_rate"] is None and item["delta"] is None


def test_indicators_json_is_the_result(site: Site) -> None:
    assert json.loads(site.files["data/indicators.json"]) == site.result.to_dict()


def _western_of(era: str) -> int:
    match = re.match(r"(R|H|S|令和|平成|昭和)(\d+|元)", era)
    assert match is not None, era
    number = 1 if match.group(2) == "元" else int(match.group(2))
    return ERA_BASE[match.group(1)] + number


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("data/indicators.csv", {"previous_period", "latest_period"}),
        ("data/kpis.csv", {"period_label"}),
        ("data/roadmap.csv", {"fiscal_year"}),
    ],
)
def test_era_year_columns_have_western_years_beside_them(site: Site, name: str, expected: set[str]) -> None:
    data = site.files[name]
    header = csv_header(data)
    rows = read_csv(data)
    era_columns = {
        column
        for column in header
        if any(row[column] for row in rows)
        and all(ERA_CELL.fullmatch(row[column]) for row in rows if row[column])
    }
    assert era_columns == expected
    for column in era_columns:
        beside = header[header.index(column) + 1]
        for row in rows:
            if row[column]:
                assert str(_western_of(row[column])) in row[beside], (
                    column,
                    row[column],
                    beside,
                    row[beside],
                )


def test_roadmap_csv_is_long_format(site: Site) -> None:
    rows = read_csv(site.files["data/roadmap.csv"])
    with (SAMPLE / "activities.csv").open(encoding="utf-8-sig", newline="") as stream:
        entries = list(csv.DictReader(stream))
    expected = sum(_western_of(e["to"]) - _western_of(e["from"]) + 1 for e in entries)
    assert len(rows) == expected
    for row in rows:
        assert row["kind"] in {"計画", "実績"}
        assert row["fiscal_year_western"] == str(_western_of(row["fiscal_year"]))
        assert NUMBER.fullmatch(row["project_no"])
    # Per project × activity × kind, the fiscal years are those its entries span.
    for entry in entries:
        years = {
            int(r["fiscal_year_western"])
            for r in rows
            if r["project_no"] == entry["project"]
            and r["activity"] == entry["activity"]
            and r["kind"] == entry["kind"]
        }
        assert set(range(_western_of(entry["from"]), _western_of(entry["to"]) + 1)) <= years


def _dictionary(site: Site) -> dict[str, list[str]]:
    described: dict[str, list[str]] = {}
    for row in read_csv(site.files["data/datadict.csv"]):
        assert row["description"] and row["type"], row
        described.setdefault(row["file"], []).append(row["column"])
    return described


@pytest.mark.parametrize("name", ["indicators.csv", "kpis.csv", "roadmap.csv"])
def test_data_dictionary_describes_every_column(site: Site, name: str) -> None:
    described = _dictionary(site)
    assert sorted(described[name]) == sorted(csv_header(site.files[f"data/{name}"]))


def test_data_page_links_every_data_file(site: Site) -> None:
    links = {a.attrs["href"] for a in site.pages["data.html"].main.iter("a")}
    assert {name for name in site.files if name.startswith("data/")} <= links


def test_formulas_are_neutralised_but_negative_numbers_stay_numbers(period_copy: Path) -> None:
    def source(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["kpi"] == "K1")["source"] = FORMULA

    def components(rows: list[dict[str, str]]) -> None:
        next(row for row in rows if row["id"] == "K2")["components"] = "@SUM(1+1)"

    edit_csv(period_copy / "indicators.csv", source)
    edit_csv(period_copy / "kpis.csv", components)
    built = make_site(compute(load(period_copy)))
    rows = read_csv(built.files["data/indicators.csv"])
    assert rows[0]["source"] == "'" + FORMULA
    assert next(r for r in rows if r["indicator"].startswith("コピー用紙削減枚数"))["previous"] == "-2799388"
    assert next(r for r in read_csv(built.files["data/kpis.csv"]) if r["kpi_id"] == "K2")["components"] == (
        "'@SUM(1+1)"
    )
    # Only the spreadsheet file is neutralised: the page and the JSON show the text as typed.
    assert body_rows(indicator_table(kpi_page(built, "K1")))[0].elements()[6].text == FORMULA
    assert json.loads(built.files["data/indicators.json"])["kpis"][0]["indicators"][0]["source"] == FORMULA


# --- 7. aomori-dx publish -------------------------------------------------------------------


def test_publish_writes_and_replaces_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path, site: Site
) -> None:
    monkeypatch.chdir(repo_root)
    out = tmp_path / "out"
    result = runner.invoke(app, ["publish", SAMPLE_ARG, "--out", str(out)])
    assert result.exit_code == 0, result.output
    target = out / "fy2024-h1" / "site"
    assert (target / "index.html").is_file()
    assert str(target) in "".join(result.output.split())  # rich may wrap the long line
    # The CLI adds nothing but the marker: the folder holds exactly what build_site returns.
    on_disk = {str(p.relative_to(target)): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert on_disk == {**site.files, SITE_MARKER: SITE_MARKER_TEXT.encode("utf-8")}
    (target / "stray.txt").write_text("left over", encoding="utf-8")
    again = runner.invoke(app, ["publish", SAMPLE_ARG, "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert not (target / "stray.txt").exists()
    assert (target / "index.html").is_file()
    assert sorted(p.name for p in (out / "fy2024-h1").iterdir()) == ["site"]


def test_publish_of_a_broken_period_leaves_the_site_alone(tmp_path: Path, period_copy: Path) -> None:
    out = tmp_path / "out"
    first = runner.invoke(app, ["publish", str(period_copy), "--out", str(out)])
    assert first.exit_code == 0, first.output
    target = out / "fy2024-h1" / "site"
    sentinel = target / "sentinel.txt"
    sentinel.write_text("keep me", encoding="utf-8")
    before = {str(p.relative_to(target)): p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def broken(rows: list[dict[str, str]]) -> None:
        rows[0]["target"] = "目標なし"

    edit_csv(period_copy / "indicators.csv", broken)
    second = runner.invoke(app, ["publish", str(period_copy), "--out", str(out)])
    assert second.exit_code == 1, second.output
    after = {str(p.relative_to(target)): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before and sentinel.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in (out / "fy2024-h1").iterdir()) == ["site"]


# --- 8. headless Chromium -------------------------------------------------------------------


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed, but CI must run the screenshot test (install chromium)")
    pytest.skip("Chromium is not installed (/usr/bin/chromium or chromium on PATH): no screenshots taken")


def _screenshot(chromium: str, page: Path, png: Path, width: int, profile: Path) -> None:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        f"--window-size={width},1600",
        f"--screenshot={png}",
        page.as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert png.is_file(), (completed.returncode, completed.stderr[-2000:])


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshots_in_headless_chromium(site_dir: Path, tmp_path: Path) -> None:
    from PIL import Image  # a dependency of python-pptx

    chromium = _chromium()
    shots = [
        ("index-phone.png", "index.html", 390),
        ("index-desktop.png", "index.html", 1280),
        ("kpi-K1-phone.png", "kpi-K1.html", 390),
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    header_blue = (0x1F, 0x4E, 0x79)  # --main in style.css: proves the stylesheet was loaded
    for name, page, width in shots:
        png = tmp_path / name
        _screenshot(chromium, site_dir / page, png, width, tmp_path / f"profile-{name}")
        data = png.read_bytes()
        assert _png_size(data) == (width, 1600), name
        with Image.open(io.BytesIO(data)) as image:
            rgb = image.convert("RGB")
            colours = rgb.getcolors(maxcolors=1 << 20)
            assert colours is None or len(colours) > 1, f"{name} is blank"
            assert rgb.getpixel((2, 2)) == header_blue, (name, rgb.getpixel((2, 2)))
        shutil.copyfile(png, SCREENSHOTS / name)
    assert all((SCREENSHOTS / name).is_file() for name, _, _ in shots)


def test_chromium_missing_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    monkeypatch.setattr(os, "access", lambda *_: False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        _chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        _chromium()
