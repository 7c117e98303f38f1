"""The achievement-rate arithmetic, shared by validation (cross-checks) and compute.

Rate = value ÷ target × 100, capped at 100 and with no floor (the seed prints 100.0% for 6% against
a 5% target and ▲3.2% for ▲2,799,388 sheets against 87,974,100).  Exact ``Decimal`` arithmetic;
rounding (half-up, to 0.1) happens only when a figure is shown or exported.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

__all__ = ["CAP", "achievement_rate", "mean"]

CAP = Decimal(100)


def achievement_rate(value: Decimal | None, target: Decimal) -> Decimal | None:
    """value / target × 100, capped at 100; ``None`` when there is no value."""
    if value is None:
        return None
    if target <= 0:
        raise ValueError("target must be positive")
    # 40 significant digits: far more than any figure we show, so rounding at display time is
    # the only rounding that matters.
    with localcontext() as ctx:
        ctx.prec = 40
        rate = value / target * 100
    return min(rate, CAP)


def mean(values: list[Decimal]) -> Decimal | None:
    """The simple average (単純平均), unrounded; ``None`` for no values."""
    if not values:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        return sum(values, Decimal(0)) / len(values)
