"""Validation of a period folder: issues as values, and the model when there are no errors."""

from aomori_dx.validate.period import validate_period
from aomori_dx.validate.report import Issue, Report, Severity

__all__ = ["Issue", "Report", "Severity", "validate_period"]
