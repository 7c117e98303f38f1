"""The achievement-rate arithmetic, shared by validation (cross-checks) and compute.

Rate = value ÷ target × 100, capped at 100 and with no floor (the seed prints 100.0% for 6% against
a 5% target and ▲3.2% for ▲2,799,388 sheets against 87,974,100).  For a lower-is-better indicator
(direction ``decrease``) the rate is the share of the way from the baseline down to the target:
(baseline − value) ÷ (baseline − target) × 100, with the same cap and no floor.  Exact ``Decimal``
arithmetic; rounding (half-up, to 0.1) happens only when a figure is shown or exported.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "CAP",
    "MISMATCH",
    "achievement_rate",
    "indicator_rate",
    "mean",
    "published_differs",
    "reduction_rate",
]

CAP = Decimal(100)
# 40 significant digits: far more than any figure we show, so rounding at display time is the
# only rounding that matters.
PRECISION = 40
# A published rate differs when the recomputed one, rounded like the print, is this far off.
MISMATCH = Decimal("0.1")


def achievement_rate(value: Decimal | None, target: Decimal) -> Decimal | None:
    """value / target × 100, capped at 100; ``None`` when there is no value."""
    if value is None:
        return None
    if target <= 0:
        raise ValueError("target must be positive")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        rate = value / target * 100
    return min(rate, CAP)


def reduction_rate(value: Decimal | None, baseline: Decimal, target: Decimal) -> Decimal | None:
    """(baseline − value) / (baseline − target) × 100, capped at 100; ``None`` when there is no value.

    0 at the baseline, 100 at the target or below it, negative above the baseline."""
    if value is None:
        return None
    if baseline <= target:
        raise ValueError("baseline must be above the target")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        rate = (baseline - value) / (baseline - target) * 100
    return min(rate, CAP)


def indicator_rate(
    value: Decimal | None, target: Decimal, baseline: Decimal | None = None, decrease: bool = False
) -> Decimal | None:
    """The rate of an indicator's value by its direction: reduction for ``decrease``, else achievement."""
    if not decrease:
        return achievement_rate(value, target)
    if baseline is None:
        raise ValueError("a decrease indicator needs a baseline")
    return reduction_rate(value, baseline, target)


def mean(values: list[Decimal]) -> Decimal | None:
    """The simple average (単純平均), unrounded; ``None`` for no values."""
    if not values:
        return None
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return sum(values, Decimal(0)) / len(values)


def published_differs(rate: Decimal | None, published: Decimal | None) -> bool:
    """Whether a published (transcribed) rate disagrees with the recomputed ``rate``: by
    ``MISMATCH`` or more once ``rate`` is rounded like the print (half up, to 0.1), or printed
    beside no value at all.  Validation warns about such a cell; the deck explains it."""
    if published is None:
        return False
    if rate is None:
        return True
    # Half up to 0.1 as parse.round_half_up prints it (rates sits below parse in the layers).
    return abs(rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) - published) >= MISMATCH
