"""Small helpers shared by the ownership modules: trimmed text, dates, rows by code, sums."""
import datetime as _dt
from decimal import Decimal
from typing import Iterable, List, Optional

from ..areas.rounding import cents_sum, num


def text(value) -> str:
    """A code or name as trimmed text ('' for NULL); integral floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value) -> Optional[_dt.date]:
    """A date from GeoPackage DATE text ('YYYY-MM-DD'), 'YYYYMMDD' or a date object."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    s = str(value).strip()
    try:
        if len(s) >= 10 and s[4] in "-/." and s[7] in "-/.":
            return _dt.date(int(s[:4]), int(s[5:7]), int(s[8:10]))
        if len(s) >= 8 and s[:8].isdigit():
            return _dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None
    return None


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
    wanted = ["FID"] + [f.upper() for f in (fields or [c for c in cols if c not in ("FID", "GEOM")])
                        if f.upper() != "FID"]
    pk = db.primary_key(table)
    sel = ['"%s"' % pk] + ['"%s"' % cols[f][0] for f in wanted[1:] if f in cols]
    present = ["FID"] + [f for f in wanted[1:] if f in cols]
    sql = 'SELECT %s FROM "%s" WHERE trim("%s") IN (%s) ORDER BY %s' % (
        ", ".join(sel), db.name(table), cols[field.upper()][0], ",".join("?" * len(values)),
        order or '"%s"' % pk)
    out = []
    for rec in db.conn.execute(sql, values):
        d = dict.fromkeys(wanted)
        d.update(zip(present, rec))
        out.append(d)
    return out


def one(db, table: str, field: str, value, fields=None) -> Optional[dict]:
    rows = rows_in(db, table, field, [value], fields)
    return rows[0] if rows else None


def total_m2(links: Iterable[dict], field: str = "HTMJ") -> Decimal:
    """Σ of a stored 2-decimal area field (each at 0.01), as the areas module sums it."""
    return cents_sum(num(r.get(field)) for r in links)


def decimal_or_none(value) -> Optional[Decimal]:
    d = num(value)
    return d if isinstance(d, Decimal) else None
