"""The Frictionless Data Package descriptor (``datapackage.json``) and the publication facts it
carries: title, licence, publisher and maintainer, the meeting's date as ``created``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aomori_dx.compute import Result
from aomori_dx.model import License
from aomori_dx.render.opendata.schema import Table


@dataclass(frozen=True)
class Publication:
    """Who publishes the data, under which terms, and when."""

    title: str
    license: License
    publisher: str
    maintainer: str
    updated: dt.date | None
    as_of: dt.date | None


def publication(result: Result) -> Publication:
    """The publication facts of a period (defaults from ``Meeting.open_data_license``)."""
    meeting = result.period.meeting
    title = meeting.plan or meeting.council
    return Publication(
        f"{title} 目標達成状況（{meeting.period_label}）" if meeting.period_label else title,
        meeting.open_data_license,
        meeting.publisher or meeting.organizer,
        meeting.organizer if meeting.publisher else "",
        meeting.date,
        meeting.as_of,
    )


def datapackage(result: Result, tables: Sequence[Table], files: Sequence[str]) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the tables (``datapackage.json``).

    ``files`` are the other files of ``data/`` (JSON, Excel), listed as plain resources."""
    facts = publication(result)
    licence: dict[str, str] = {"name": facts.license.name, "title": facts.license.title}
    if facts.license.path:
        licence["path"] = facts.license.path
    contributors = [{"title": facts.publisher, "role": "publisher"}] if facts.publisher else []
    if facts.maintainer:
        contributors.append({"title": facts.maintainer, "role": "maintainer"})
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": re.sub(r"[^a-z0-9._-]+", "-", f"aomori-dx-{result.period.id}".lower()),
        "title": facts.title,
        "description": (
            "目標達成状況（KPI・中間指標）と DX関連事業のロードマップ。"
            "CSV は UTF-8（BOM 付き）、1行が1つの記録。列の説明は datadict.csv にもあります。"
        ),
        "licenses": [licence],
        "contributors": contributors,
    }
    if facts.updated is not None:
        # The meeting's date: the day this period's figures were made public (no clock: the same
        # inputs give the same bytes).
        package["created"] = f"{facts.updated.isoformat()}T00:00:00+09:00"
    if facts.as_of is not None:
        package["as_of"] = facts.as_of.isoformat()
    resources: list[dict[str, Any]] = [
        {
            "name": table.name,
            "path": table.path,
            "title": table.title,
            "description": table.description,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            # The IANA name a portal knows; the files start with a BOM (for Excel), which readers
            # of UTF-8 (frictionless among them) skip.
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
            "schema": table.schema(),
        }
        for table in tables
    ]
    for name in files:
        stem, _, suffix = name.rpartition(".")
        resources.append(
            {
                "name": re.sub(r"[^a-z0-9._-]+", "-", f"{stem}-{suffix}".lower()),
                "path": name,
                "profile": "data-resource",
                "format": suffix,
                "mediatype": _MEDIA_TYPES[suffix],
            }
        )
    package["resources"] = resources
    return package


_MEDIA_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
