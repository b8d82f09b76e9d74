"""Decimal area arithmetic shared by the M rules, the reconciliation and the adjustments.

Everything that compares or sums stored areas goes through here, so that a
check, a reconciliation table and an adjustment agree to the last 0.01.
"""
from decimal import Decimal, InvalidOperation, ROUND_FLOOR, ROUND_HALF_UP, localcontext
from typing import List, Optional, Sequence

from ..codes import CENT, m2_to_mu, round2, to_decimal

# Planar areas are compared at 0.0001 m², the geometry precision of the ministry
# rules: a float area 1234.56489999 and 1234.5649 must give the same verdict.
AREA_QUANTUM = Decimal("0.0001")
MU_TOL = Decimal("0.01")          # M02 fixed threshold (亩)
CONTRACT_TOL = Decimal("0.01")    # X04 fixed threshold (m²)


class _Bad:
    """Marker for a stored value that is not a number (e.g. text in a REAL column)."""

    def __repr__(self):
        return "BAD"


BAD = _Bad()


def num(value):
    """Decimal of a stored number; None when empty; BAD when it is not a finite number."""
    if isinstance(value, bool):
        return BAD
    try:
        d = to_decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return BAD
    if d is None:
        return None
    return d if d.is_finite() else BAD


def is_num(value) -> bool:
    return value is not None and value is not BAD


def dec(value) -> Decimal:
    """A parameter (float or text) as Decimal, via its shortest text form."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def plain(value) -> str:
    """A threshold as a user typed it: 0.1 -> '0.1', 10.0 -> '10'."""
    return format(dec(value).normalize(), "f")


def planar(area: float) -> Decimal:
    return Decimal(area).quantize(AREA_QUANTUM, rounding=ROUND_HALF_UP)


def area_difference(scmj: Decimal, area: float) -> Decimal:
    """SCMJ − planar area (at 0.0001 m²)."""
    return scmj - planar(area)


def area_exceeds(scmj: Decimal, area: float, tol) -> bool:
    """M01: |SCMJ − planar area| > AREA_TOL."""
    return abs(area_difference(scmj, area)) > dec(tol)


def mu_exceeds(m2: Decimal, mu: Decimal, tol=MU_TOL) -> bool:
    """M02: |亩 − round(m² × 0.0015, 2)| > 0.01, exactly (1.49 vs 1.50 passes)."""
    return abs(mu - m2_to_mu(m2)) > dec(tol)


def percent(diff: Decimal, base: Decimal) -> Optional[Decimal]:
    """diff / base × 100, one decimal half up; None when base is 0."""
    if not base:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        return (diff * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pct_exceeds(diff: Decimal, base: Decimal, pct) -> bool:
    """|diff| / base > pct %, without division (exact): |diff| × 100 > pct × base."""
    return base > 0 and abs(diff) * 100 > dec(pct) * base


def cents_sum(values) -> Decimal:
    """Sum of stored 2-decimal values (each taken at 0.01), ignoring empty and bad ones."""
    total = Decimal("0.00")
    for v in values:
        if is_num(v):
            total += v.quantize(CENT, rounding=ROUND_HALF_UP)
    return total


def largest_remainder(weights: Sequence[Decimal], total: Decimal,
                      order: Optional[Sequence] = None, quantum: Decimal = CENT) -> List[Decimal]:
    """Shares of `total` proportional to `weights`, in whole `quantum` units, summing to total exactly.

    Each share is the exact proportional value rounded down to the quantum; the
    units still missing go one each to the largest remainders (ties: `order`,
    then position), so no share is more than one quantum from its exact value.
    """
    n = len(weights)
    if n == 0:
        return []
    with localcontext() as ctx:
        ctx.prec = 50
        units_total = (total / quantum).to_integral_value(rounding=ROUND_HALF_UP)
        wsum = sum(weights, Decimal(0))
        if wsum <= 0:
            raise ValueError("weights must have a positive sum")
        exact = [w * units_total / wsum for w in weights]
        floors = [e.to_integral_value(rounding=ROUND_FLOOR) for e in exact]
        missing = int(units_total - sum(floors, Decimal(0)))
        keys = list(order) if order is not None else list(range(n))
        ranked = sorted(range(n), key=lambda i: (-(exact[i] - floors[i]), keys[i], i))
        for i in ranked[:max(0, min(missing, n))]:
            floors[i] += 1
        return [(f * quantum).quantize(quantum) for f in floors]


__all__ = ["AREA_QUANTUM", "BAD", "CENT", "MU_TOL", "CONTRACT_TOL", "area_difference", "area_exceeds",
           "cents_sum", "dec", "is_num", "largest_remainder", "m2_to_mu", "mu_exceeds", "num",
           "pct_exceeds", "percent", "plain", "planar", "round2"]
