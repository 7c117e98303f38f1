"""The open data as a data portal takes it: a Frictionless Data Package with schemas and licence.

The package written for the sample is validated with the Frictionless Framework (the client a
portal uses), and a tampered copy proves that the schemas' keys and types are really checked.
Every CSV's rows and keys are compared with the model; the figures asserted are the sample's.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from aomori_dx.compute import Result, compute
from aomori_dx.model import PeriodData
from aomori_dx.render.opendata import text_cell
from aomori_dx.render.site import build_site
from aomori_dx.validate import validate_period

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"
CSV_FILES = ("indicators", "kpis", "history", "projects", "roadmap", "datadict")

frictionless = pytest.importorskip("frictionless")


def load(folder: Path) -> PeriodData:
    data, report = validate_period(folder)
    assert data is not None and report.ok, [str(issue) for issue in report.errors]
    return data


def rows_of(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"data/{name}.csv"].decode("utf-8-sig"), newline="")))


def write(files: dict[str, bytes], target: Path) -> Path:
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target / "data" / "datapackage.json"


def edit_meeting(folder: Path, change: Callable[[dict[str, str]], None]) -> None:
    path = folder / "meeting.csv"
    rows = dict(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows.pop("key")
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([("key", "value"), *rows.items()])
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def result() -> Result:
    return compute(load(SAMPLE))


@pytest.fixture(scope="module")
def files(result: Result) -> dict[str, bytes]:
    return build_site(result)


@pytest.fixture(scope="module")
def package(files: dict[str, bytes]) -> dict[str, object]:
    return json.loads(files["data/datapackage.json"])  # type: ignore[no-any-return]


# --- 1. the data package validates --------------------------------------------------------


def test_the_data_package_validates_with_frictionless(files: dict[str, bytes], tmp_path: Path) -> None:
    report = frictionless.validate(str(write(files, tmp_path)))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    validated = {task.name for task in report.tasks}
    assert {*CSV_FILES, "history-xlsx", "indicators-json", "kpis-json"} <= validated
    # Every row was read against its schema: the counts are the model's (below).
    rows = {task.name: task.stats["rows"] for task in report.tasks if task.name in CSV_FILES}
    assert rows["indicators"] == 30 and rows["kpis"] == 8 and rows["projects"] == 76


@pytest.mark.parametrize(
    ("table", "change", "error"),
    [
        # A KPI that kpis.csv does not have: the foreign key is checked.
        ("indicators", lambda row: row.update(kpi_id="K9"), "foreign-key"),
        # Two rows with one key: the primary key is checked.
        ("projects", lambda row: row.update(project_no="2"), "primary-key"),
        # Era or free text in an integer year column: the types are checked.
        ("indicators", lambda row: row.update(latest_year="2023年度"), "type-error"),
        ("kpis", lambda row: row.update(rate="33.0%"), "type-error"),
    ],
)
def test_frictionless_catches_a_broken_table(
    files: dict[str, bytes], tmp_path: Path, table: str, change: Callable[[dict[str, str]], None], error: str
) -> None:
    rows = rows_of(files, table)
    change(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    broken = {**files, f"data/{table}.csv": ("\ufeff" + buffer.getvalue()).encode("utf-8")}
    report = frictionless.validate(str(write(broken, tmp_path)))
    assert not report.valid
    assert {item[0] for item in report.flatten(["type"])} == {error}


def test_the_descriptor_has_licence_publisher_dates_and_every_file(
    package: dict[str, object], files: dict[str, bytes]
) -> None:
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
            "path": "https://creativecommons.org/licenses/by/4.0/deed.ja",
        }
    ]
    assert package["contributors"] == [
        {"title": "青森県", "role": "publisher"},
        {"title": "総合政策部DX推進課", "role": "maintainer"},
    ]
    assert package["created"] == "2024-12-18T00:00:00+09:00"  # the meeting's date, never the clock
    assert package["as_of"] == "2024-11-30"
    resources = package["resources"]
    assert isinstance(resources, list)
    assert {f"data/{r['path']}" for r in resources} == {
        name for name in files if name.startswith("data/") and name != "data/datapackage.json"
    }
    by_name = {r["name"]: r for r in resources}
    for name in CSV_FILES:
        resource = by_name[name]
        assert resource["encoding"] == "utf-8" and resource["profile"] == "tabular-data-resource"
        schema = resource["schema"]
        assert schema["missingValues"] == [""]
        header = next(csv.reader(io.StringIO(files[f"data/{name}.csv"].decode("utf-8-sig"))))
        assert [field["name"] for field in schema["fields"]] == header
        assert all(field["title"] and field["description"] for field in schema["fields"])
    assert by_name["indicators"]["schema"]["primaryKey"] == ["period", "kpi_id", "indicator_no"]
    assert by_name["indicators"]["schema"]["foreignKeys"] == [
        {"fields": ["period", "kpi_id"], "reference": {"resource": "kpis", "fields": ["period", "kpi_id"]}}
    ]
    assert by_name["roadmap"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "projects"
    fields = {f["name"]: f for f in by_name["projects"]["schema"]["fields"]}
    assert fields["budget"]["type"] == "number" and "千円" in fields["budget"]["description"]
    assert fields["start_year"]["type"] == "integer"


def test_the_same_inputs_give_the_same_bytes(result: Result, files: dict[str, bytes]) -> None:
    assert build_site(result) == files


# --- 2. licence and publisher from the inputs ---------------------------------------------


def test_without_licence_and_publisher_validate_warns_and_defaults_are_published(period_copy: Path) -> None:
    def drop(rows: dict[str, str]) -> None:
        del rows["license"], rows["publisher"]

    edit_meeting(period_copy, drop)
    data, report = validate_period(period_copy)
    assert data is not None and report.ok
    [warning] = [issue for issue in report.warnings if issue.code == "missing-license"]
    assert warning.file.endswith("meeting.csv") and warning.column == "key"
    assert "利用条件（license）・公開者（publisher）が会議情報にありません" in warning.message
    assert "CC BY 4.0（政府標準利用規約 第2.0版と互換）" in warning.message
    built = build_site(compute(data))
    package = json.loads(built["data/datapackage.json"])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["contributors"] == [{"title": "総合政策部DX推進課", "role": "publisher"}]
    page = built["data.html"].decode("utf-8")
    assert '<dd id="license">クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）' in page
    assert '<dd id="publisher">総合政策部DX推進課</dd>' in page


def test_the_sample_sets_both_and_gets_no_such_warning() -> None:
    _, report = validate_period(SAMPLE)
    assert not [issue for issue in report.warnings if issue.code in {"missing-license", "unknown-license"}]


def test_an_unknown_licence_needs_its_url(period_copy: Path, tmp_path: Path) -> None:
    def own_terms(rows: dict[str, str]) -> None:
        rows["license"] = "青森県オープンデータ利用規約"

    edit_meeting(period_copy, own_terms)
    data, report = validate_period(period_copy)
    [warning] = [issue for issue in report.warnings if issue.code == "unknown-license"]
    assert warning.column == "value" and warning.row is not None
    assert "「青森県オープンデータ利用規約」" in warning.message and "license_url" in warning.message

    def with_url(rows: dict[str, str]) -> None:
        rows["license_url"] = "https://www.pref.aomori.lg.jp/opendata/terms.html"

    edit_meeting(period_copy, with_url)
    data, report = validate_period(period_copy)
    assert data is not None and not [i for i in report.warnings if i.code == "unknown-license"]
    built = build_site(compute(data))
    licence = json.loads(built["data/datapackage.json"])["licenses"][0]
    assert licence == {
        "name": "青森県オープンデータ利用規約",
        "title": "青森県オープンデータ利用規約",
        "path": "https://www.pref.aomori.lg.jp/opendata/terms.html",
    }
    assert frictionless.validate(str(write(built, tmp_path))).valid


@pytest.mark.parametrize("written", ["cc-by-4.0", "ＣＣ　ＢＹ　４．０", "CC_BY_4.0"])
def test_a_known_licence_is_recognised_however_written(period_copy: Path, written: str) -> None:
    edit_meeting(period_copy, lambda rows: rows.update(license=written))
    data, report = validate_period(period_copy)
    assert data is not None and not [i for i in report.warnings if "license" in i.code]
    assert data.meeting.open_data_license.name == "CC-BY-4.0"


def test_data_page_shows_the_terms_and_dates(files: dict[str, bytes]) -> None:
    page = files["data.html"].decode("utf-8")
    assert (
        '<dd id="license">クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）'
        '（<span class="url">https://creativecommons.org/licenses/by/4.0/deed.ja</span>）</dd>'
    ) in page
    assert '<dd id="publisher">青森県（担当: 総合政策部DX推進課）</dd>' in page
    assert '<dd id="updated">2024-12-18</dd>' in page
    assert 'href="data/datapackage.json"' in page


# --- 3. projects.csv ----------------------------------------------------------------------


def test_projects_csv_has_every_project_and_the_budgets(files: dict[str, bytes], result: Result) -> None:
    rows = rows_of(files, "projects")
    assert len(rows) == len(result.period.projects) == 76
    assert [int(row["project_no"]) for row in rows] == [project.no for project in result.period.projects]
    by_no = {int(row["project_no"]): row for row in rows}
    assert (by_no[8]["budget"], by_no[8]["budget_original"]) == ("2082501", "1000000")
    assert [by_no[no]["budget"] for no in (24, 42, 59, 63)] == ["48630", "181660", "29025", "4793"]
    assert by_no[8]["project_name"] == "物価高騰対応「スマート農業機械」導入促進事業"
    assert (by_no[8]["department"], by_no[8]["division"]) == ("農林水産部", "農林水産政策課")
    # Start and end as Western fiscal years; No.8's end is 未定 (blank, not free text).
    assert (by_no[8]["start_year"], by_no[8]["end_year"]) == ("2024", "")
    assert (by_no[24]["start_year"], by_no[24]["end_year"]) == ("2023", "2028")
    featured = {no: row["featured_order"] for no, row in by_no.items() if row["featured"] == "1"}
    assert featured == {8: "1", 24: "2", 42: "3", 59: "4", 63: "5"}
    assert [no for no, row in by_no.items() if row["reference"] == "1"] == [76]
    assert by_no[76]["project_name"] == "議会事務のICT化推進事業" and by_no[76]["category"] == ""
    # Projects with only number, field, category and name leave the rest blank, not 0.
    assert (by_no[1]["budget"], by_no[1]["start_year"], by_no[1]["featured"]) == ("", "", "0")
    budgets = [Decimal(row["budget"]) for row in rows if row["budget"]]
    assert sum(budgets) == sum(p.budget for p in result.period.projects if p.budget is not None)


def test_every_csv_has_the_models_rows_and_unique_keys(
    files: dict[str, bytes], result: Result, package: dict[str, object]
) -> None:
    resources = {r["name"]: r for r in package["resources"]}  # type: ignore[attr-defined]
    indicators = [(k.kpi.id, n) for k in result.kpis for n, _ in enumerate(k.indicators, start=1)]
    expected = {
        "indicators": len(indicators),
        "kpis": len(result.kpis),
        "history": len(indicators),  # one period
        "projects": len(result.period.projects),
        "roadmap": sum(e.last.year - e.first.year + 1 for e in result.period.activities),
    }
    for name, count in expected.items():
        rows = rows_of(files, name)
        assert len(rows) == count, name
        key = resources[name]["schema"]["primaryKey"]
        keys = [tuple(row[column] for column in key) for row in rows]
        assert len(set(keys)) == len(keys) and all(all(k) for k in keys), name
    assert [(r["kpi_id"], int(r["indicator_no"])) for r in rows_of(files, "indicators")] == indicators
    assert {r["kpi_id"] for r in rows_of(files, "indicators")} == {
        r["kpi_id"] for r in rows_of(files, "kpis")
    }
    numbers = {r["project_no"] for r in rows_of(files, "projects")}
    assert {r["project_no"] for r in rows_of(files, "roadmap")} <= numbers
    # No.63's two entries on one cell (2025 plan) stay two rows, told apart by entry_no.
    cell = [
        r
        for r in rows_of(files, "roadmap")
        if r["project_no"] == "63" and r["fiscal_year_western"] == "2025" and r["kind"] == "計画"
    ]
    assert [
        (r["entry_no"], r["text"]) for r in cell if r["activity"] == "調査やデータ利活用等に関する支援"
    ] == [
        ("1", "各部局等から随時相談受付・アドバイス(EBPMのモデル的支援も実施)"),
        ("2", "振り返り"),
    ]


# --- 4. a real time axis ------------------------------------------------------------------


def test_time_columns_are_integer_years_with_basis_and_dates(files: dict[str, bytes]) -> None:
    rows = rows_of(files, "indicators")
    by_name = {row["indicator"]: row for row in rows}
    followers = by_name["県観光SNSフォロワー数"]
    assert (followers["previous_period"], followers["previous_period_western"]) == ("R5年度末", "2023年度末")
    assert (followers["previous_year"], followers["previous_basis"], followers["previous_date"]) == (
        "2023",
        "fiscal",
        "2024-03-31",
    )
    assert (followers["latest_year"], followers["latest_basis"], followers["latest_date"]) == (
        "2024",
        "calendar",
        "2024-11-30",
    )
    rice = by_name["稲作の10a当たりの労働時間削減率(R3年の値との比較)"]
    assert (rice["latest_period"], rice["latest_year"], rice["latest_basis"], rice["latest_date"]) == (
        "R4年",
        "2022",
        "calendar",
        "",
    )
    western = re.compile(r"\d{4}年(度|\d{1,2}月)?末?")
    for row in rows:
        for prefix in ("previous", "latest"):
            assert western.fullmatch(row[f"{prefix}_period_western"]), row[f"{prefix}_period_western"]
            assert re.fullmatch(r"(19|20)\d\d", row[f"{prefix}_year"])
            assert row[f"{prefix}_basis"] in {"fiscal", "calendar"}
            assert row[f"{prefix}_date"] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", row[f"{prefix}_date"])
            assert row[f"{prefix}_period_western"].startswith(row[f"{prefix}_year"])


# --- 5. one record per line, portable text, the formula guard explained -------------------


def test_line_breaks_and_machine_dependent_characters_in_every_csv(period_copy: Path, tmp_path: Path) -> None:
    path = period_copy / "indicators.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    name = "スマート農業機械の導入台数"
    smart = next(row for row in rows if row["name"] == name)
    smart["name"] = f"{name}\n①②（ﾃｽﾄ）㈱"
    police = next(row for row in rows if "R6～R10" in row["source"])
    police["source"] = "=" + police["source"].split("(")[-1].rstrip(")") + "\r\n⑳"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    data = load(period_copy)
    assert any("\n" in indicator.name for indicator in data.indicators)
    built = build_site(compute(data))
    for table in CSV_FILES:
        raw = built[f"data/{table}.csv"].decode("utf-8-sig")
        rows = rows_of(built, table)
        # One record per physical line: no line break inside any cell.
        assert raw.count("\r\n") == len(rows) + 1 and "\n" not in raw.replace("\r\n", ""), table
        for row in rows:
            for value in row.values():
                assert not re.search("[\u2460-\u24ff\u3200-\u33ff\uff5e\uff61-\uff9f]", value), (table, value)
    by_kpi = [r for r in rows_of(built, "indicators") if r["kpi_id"] == "K2"]
    assert by_kpi[1]["indicator"] == "スマート農業機械の導入台数 (1)(2)（テスト）(株)"
    assert (
        next(r for r in rows_of(built, "history") if r["indicator"].startswith(name))["indicator"]
        == (by_kpi[1]["indicator"])
    )
    guarded = next(r for r in rows_of(built, "indicators") if r["source"].startswith("'"))
    assert guarded["source"] == "'=R6~R10 (20)"
    # The roadmap's ①② became (1)(2); the page keeps the text as typed.
    texts = [r["text"] for r in rows_of(built, "roadmap")]
    assert any(t.startswith("(1)") for t in texts) and not any("①" in t for t in texts)
    assert "①" in built["roadmap.html"].decode("utf-8")
    assert frictionless.validate(str(write(built, tmp_path))).valid


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("①導入②運用⑳", "(1)導入(2)運用(20)"),
        ("Ⅳ期・㈱青森・㍻31年・10㎡", "IV期・(株)青森・平成31年・10m2"),
        ("R6～R10", "R6~R10"),
        ("ｶﾞｲﾄﾞ", "ガイド"),
        ("（基準値）＝", "（基準値）＝"),  # ordinary full-width text is left as it is
        ("一行目\r\n二行目\n\n三行目", "一行目 二行目 三行目"),
        ("-5%", "'-5%"),
        ("@SUM", "'@SUM"),
        ("\n=1+1", "'=1+1"),  # the guard looks at the text as written to the file
    ],
)
def test_text_cell(value: str, cell: str) -> None:
    assert text_cell(value) == cell


def test_data_dictionary_is_machine_readable_and_complete(files: dict[str, bytes]) -> None:
    rows = rows_of(files, "datadict")
    described = {(row["file"], row["column"]) for row in rows}
    for table in CSV_FILES:
        header = next(csv.reader(io.StringIO(files[f"data/{table}.csv"].decode("utf-8-sig"))))
        assert {(f"{table}.csv", column) for column in header} <= described, table
    assert len(described) == len(rows)
    assert {row["type"] for row in rows} == {"string", "integer", "number", "boolean", "date"}
    assert all(row["example"] for row in rows), [r["column"] for r in rows if not r["example"]]
    by_column = {(row["file"], row["column"]): row for row in rows}
    assert "' を付けています" in by_column[("indicators.csv", "source")]["description"]
    assert "' を付けています" not in by_column[("indicators.csv", "target")]["description"]
    assert "（単位: 千円）" in by_column[("projects.csv", "budget")]["description"]
    assert by_column[("indicators.csv", "latest_year")]["type"] == "integer"


def test_a_period_without_a_roadmap_still_makes_a_valid_package(period_copy: Path, tmp_path: Path) -> None:
    for name in ("projects.csv", "activities.csv"):
        (period_copy / name).unlink()
    shutil.rmtree(period_copy / "projects")
    built = build_site(compute(load(period_copy)))
    assert "data/projects.csv" not in built and "data/roadmap.csv" not in built
    package = json.loads(built["data/datapackage.json"])
    assert {r["name"] for r in package["resources"]} == {
        "indicators",
        "kpis",
        "history",
        "datadict",
        "history-xlsx",
        "indicators-json",
        "kpis-json",
    }
    assert not {r["file"] for r in rows_of(built, "datadict")} & {"projects.csv", "roadmap.csv"}
    assert frictionless.validate(str(write(built, tmp_path))).valid
