"""``status``: by division, the indicators not yet confirmed and the projects without an actual
entry for the current fiscal year — what each division still owes the secretariat."""

from __future__ import annotations

from dataclasses import dataclass

from aomori_dx.collect.divisions import by_division, current_fiscal_year
from aomori_dx.model import PeriodData


@dataclass(frozen=True)
class DivisionStatus:
    """What a division still owes the secretariat."""

    division: str
    indicators: int
    unconfirmed: tuple[str, ...]
    projects: int
    missing_actuals: tuple[str, ...]

    @property
    def done(self) -> bool:
        """Nothing left to ask for."""
        return not self.unconfirmed and not self.missing_actuals


def division_status(data: PeriodData) -> list[DivisionStatus]:
    """By division: unconfirmed indicators and projects without an actual for the current year."""
    current = current_fiscal_year(data)
    result = []
    for division, (indicators, projects) in by_division(data).items():
        missing = []
        for project in projects:
            entries = data.activities_of(project.no)
            if not any(e.kind == "actual" and e.covers(current) for e in entries):
                missing.append(f"No.{project.no} {project.name}")
        result.append(
            DivisionStatus(
                division,
                len(indicators),
                tuple(indicator.name for indicator in indicators if not indicator.confirmed),
                len(projects),
                tuple(missing),
            )
        )
    return result
