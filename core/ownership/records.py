"""Small helpers shared by the ownership modules: trimmed text, dates, rows by code, sums."""
import datetime as _dt
from decimal import Decimal
from typing import Iterable, List, Optional

from ..areas.rounding import cents_sum, num
from ..codes import parse_date, text  # noqa: F401 (the ownership modules import them from here)


def today() -> str:
    return _dt.date.today().isoformat()


def rows_in(db, table: str, field: str, values: Iterable, fields=None, order: str = "") -> List[dict]:
    """Rows (with FID) whose trimmed `field` is one of values; [] when the table is absent."""
    values = [text(v) for v in values if text(v)]
    if not values or not db.has(table):
        return []
    cols = db.columns(table)
    if field.upper() not in cols:
        return []
    wanted = ["FID"] + [f.upper() for f in fields if f.upper() != "FID"] if fields else None
    return db.read(table, wanted, 'trim("%s") IN (%s)' % (cols[field.upper()][0], ",".join("?" * len(values))),
                   values, order or '"%s"' % db.primary_key(table))


def one(db, table: str, field: str, value, fields=None) -> Optional[dict]:
    rows = rows_in(db, table, field, [value], fields)
    return rows[0] if rows else None


def total_m2(links: Iterable[dict], field: str = "HTMJ") -> Decimal:
    """Σ of a stored 2-decimal area field (each at 0.01), as the areas module sums it."""
    return cents_sum(num(r.get(field)) for r in links)


def decimal_or_none(value) -> Optional[Decimal]:
    d = num(value)
    return d if isinstance(d, Decimal) else None
