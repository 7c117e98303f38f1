"""Periods are folders under ``inputs/``: find the latest one and the one before a given one.

Folders sort by name, so name them so that the name sorts by time (``fy2024-h1``, ``fy2024-h2``,
``fy2025-h1``).  A folder counts as a period when it holds a ``kpis`` or ``meeting`` table.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["DEFAULT_INPUTS", "latest_period", "list_periods", "previous_period", "sorts_after"]

DEFAULT_INPUTS = Path("inputs")


def _sort_key(path: Path) -> list[tuple[int, object]]:
    # Natural order: fy2024-h10 after fy2024-h9.
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", path.name)]


def _is_period(path: Path) -> bool:
    return path.is_dir() and any(
        (path / f"{stem}{suffix}").is_file() for stem in ("meeting", "kpis") for suffix in (".csv", ".xlsx")
    )


def list_periods(inputs: Path = DEFAULT_INPUTS) -> list[Path]:
    """Period folders under ``inputs``, oldest first."""
    if not inputs.is_dir():
        return []
    return sorted((path for path in inputs.iterdir() if _is_period(path)), key=_sort_key)


def latest_period(inputs: Path = DEFAULT_INPUTS) -> Path | None:
    """The newest period folder, or ``None`` when there is none."""
    periods = list_periods(inputs)
    return periods[-1] if periods else None


def previous_period(period: Path) -> Path | None:
    """The nearest earlier period beside ``period`` (same parent folder), or ``None``."""
    siblings = list_periods(period.parent)
    key = _sort_key(period)
    earlier = [path for path in siblings if _sort_key(path) < key]
    return earlier[-1] if earlier else None


def sorts_after(later: Path, earlier: Path) -> bool:
    """Whether the folder name ``later`` comes after ``earlier`` in the order of periods."""
    return _sort_key(later) > _sort_key(earlier)
