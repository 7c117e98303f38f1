"""Who is asked for what: the period's indicators and projects grouped by responsible division
(担当課, or the data source when no division is given), and the fiscal year whose actuals are
due.  Requests, answers and status all group the same way."""

from __future__ import annotations

import datetime as dt

from aomori_dx.model import Indicator, PeriodData, Project
from aomori_dx.parse import FiscalYear

NO_DIVISION = "（担当課未設定）"


def current_fiscal_year(data: PeriodData) -> FiscalYear:
    day = data.meeting.as_of or dt.date.today()
    return FiscalYear(day.year if day.month >= 4 else day.year - 1)


def by_division(data: PeriodData) -> dict[str, tuple[list[Indicator], list[Project]]]:
    groups: dict[str, tuple[list[Indicator], list[Project]]] = {}
    for indicator in data.indicators:
        groups.setdefault(indicator.responsible, ([], []))[0].append(indicator)
    for project in data.projects:
        if data.activities_of(project.no):
            groups.setdefault(project.division or NO_DIVISION, ([], []))[1].append(project)
    return dict(sorted(groups.items()))
