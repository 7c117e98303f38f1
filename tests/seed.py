"""Figures of the seed (the 2nd meeting's material) that several test modules assert, and the
computed result of the sample period (or of a copy of it) that they assert them on."""

from __future__ import annotations

from pathlib import Path

from aomori_dx.compute import Result, compute
from aomori_dx.validate import validate_period

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "fy2024-h1"

# The 8 KPIs as the meeting material prints them (「KPI xx.x%（達成率の単純平均）」), K1 to K8.
SEED_KPIS = {
    "K1": "33.0",
    "K2": "66.5",
    "K3": "22.9",
    "K4": "62.6",
    "K5": "43.5",
    "K6": "63.1",
    "K7": "54.3",
    "K8": "31.0",
}


def period_result(folder: Path = SAMPLE) -> Result:
    """The result of a period folder (the sample unless given), which must validate."""
    data, report = validate_period(folder)
    assert data is not None and report.ok, report.errors
    return compute(data)
