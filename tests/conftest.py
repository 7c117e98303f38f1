"""Shared fixtures: the sample period, a disposable copy of it, and a clean terminal environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from seed import period_result

from aomori_dx.compute import Result

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "inputs" / "fy2024-h1"


@pytest.fixture(autouse=True)
def _clean_terminal_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Colour and width settings from the developer's shell must not change what tests see.
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo_root() -> Path:
    """The repository root (where ``inputs/`` lives)."""
    return REPO_ROOT


@pytest.fixture
def sample_dir() -> Path:
    """The sample period ``inputs/fy2024-h1``, read-only: never write into it."""
    assert SAMPLE.is_dir(), SAMPLE
    return SAMPLE


@pytest.fixture
def period_copy(tmp_path: Path, sample_dir: Path) -> Path:
    """A copy of the sample period under ``tmp_path`` (same folder name), for a test to break."""
    copy = tmp_path / sample_dir.name
    shutil.copytree(sample_dir, copy)
    return copy


@pytest.fixture(scope="session")
def result() -> Result:
    """The computed result of the sample period (read-only: Result is frozen)."""
    return period_result()
