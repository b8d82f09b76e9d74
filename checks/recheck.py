"""Checks for a set of plots: a map selection, the map extent, or the plots just edited.

Every rule family and the error store (checks.persistence) understand scope
as 发包方 units (FBFBM = DKBM[:14]): a run changes error states only inside
its units (spec checks.md §1). So the plots are turned into the units that
hold them — after an edit also the units of their neighbours, whose
overlaps, gaps and shared vertices with the edited plots may have changed —
and the plot rules run on those units. A group holds a few hundred to a few
thousand plots: a background re-check of one or two groups takes seconds.
"""
from typing import Iterable, List, Optional, Sequence, Set, Tuple

from . import catalogue
from .context import CheckContext, Feedback
from .engine import CheckResult, run_checks

# Rules whose result can change when a plot's shape or attributes change.
# S (database structure), T15 (regions only) and the household rules
# (A07–A12, A14, A16, X03–X05) are left to full runs.
PLOT_RULES = ("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11",
              "T12", "T13", "T14", "T16", "A01", "A02", "A03", "A04", "A05", "A06", "A13",
              "A15", "A17", "X01", "X02", "M01", "M02", "M03", "M04", "C01", "C02", "C03")
UNIT_LEN = 14


def _dk(db) -> Tuple[str, str, str]:
    """(table, pk, geometry column) of DK as stored."""
    return db.name("DK"), db.primary_key("DK"), db.geometry_column("DK")


def _dkbm_col(db) -> str:
    return db.columns("DK")["DKBM"][0]


def _rtree(db) -> Optional[str]:
    table, _, gcol = _dk(db)
    name = "rtree_%s_%s" % (table, gcol)
    row = db.conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (name,)).fetchone()
    return name if row else None


def _fids_in_box(db, box, rtree) -> List[int]:
    minx, miny, maxx, maxy = box
    if rtree:
        sql = 'SELECT id FROM "%s" WHERE maxx>=? AND minx<=? AND maxy>=? AND miny<=?' % rtree
        return [r[0] for r in db.conn.execute(sql, (minx, maxx, miny, maxy))]
    # no spatial index (a database written by another tool): test every envelope
    from ..core.gpkg_blob import envelope_of
    table, pk, gcol = _dk(db)
    out = []
    for fid, blob in db.conn.execute('SELECT "%s", "%s" FROM "%s"' % (pk, gcol, table)):
        env = envelope_of(blob)
        if env and env[1] >= minx and env[0] <= maxx and env[3] >= miny and env[2] <= maxy:
            out.append(fid)
    return out


def _plots(db, where: str, params: Sequence) -> List[Tuple[int, str, object]]:
    """[(fid, DKBM, shapely geometry or None)] of the DK rows matching where."""
    import shapely
    from ..core.gpkg_blob import wkb_of
    table, pk, gcol = _dk(db)
    sql = 'SELECT "%s", "%s", "%s" FROM "%s" WHERE %s' % (pk, _dkbm_col(db), gcol, table, where)
    out = []
    for fid, key, blob in db.conn.execute(sql, list(params)):
        wkb = wkb_of(blob)
        geom = None
        if wkb:
            try:
                geom = shapely.from_wkb(wkb)
            except Exception:  # noqa: BLE001 (unreadable shapes are T01/T02 matters)
                geom = None
        out.append((fid, "" if key is None else str(key).strip(), geom))
    return out


def _chunks(values: Sequence, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def plots_by_keys(db, keys: Iterable[str]):
    keys = sorted({str(k).strip() for k in keys if k and str(k).strip()})
    out = []
    col = _dkbm_col(db)
    for part in _chunks(keys):
        out += _plots(db, 'trim("%s") IN (%s)' % (col, ",".join("?" * len(part))), part)
    return out


def plots_by_fids(db, fids: Iterable[int]):
    fids = sorted({int(f) for f in fids})
    out = []
    pk = _dk(db)[1]
    for part in _chunks(fids):
        out += _plots(db, '"%s" IN (%s)' % (pk, ",".join("?" * len(part))), part)
    return out


def keys_in_box(db, box) -> List[str]:
    """DKBM of the plots whose shape intersects the rectangle (minx, miny, maxx, maxy)."""
    import shapely
    if not db.has("DK"):
        return []
    rect = shapely.box(*box)
    fids = _fids_in_box(db, box, _rtree(db))
    return sorted({k for _, k, g in plots_by_fids(db, fids)
                   if k and g is not None and shapely.intersects(g, rect)})


def neighbour_keys(db, keys: Iterable[str], distance: float) -> Set[str]:
    """DKBM of the plots within `distance` of any plot named in keys (those included)."""
    import shapely
    keys = {str(k).strip() for k in keys if k}
    if not keys or not db.has("DK"):
        return set(keys)
    rtree = _rtree(db)
    out = set(keys)
    for _, _, geom in plots_by_keys(db, keys):
        if geom is None:
            continue
        minx, miny, maxx, maxy = geom.bounds
        box = (minx - distance, miny - distance, maxx + distance, maxy + distance)
        near = plots_by_fids(db, _fids_in_box(db, box, rtree))
        for _, k, g in near:
            if k and g is not None and shapely.distance(geom, g) <= distance:
                out.add(k)
    return out


def units_of(keys: Iterable[str]) -> List[str]:
    """发包方 units (DKBM[:14]) of plot codes; malformed codes are left out."""
    return sorted({k[:UNIT_LEN] for k in keys if len(k) >= UNIT_LEN and k[:UNIT_LEN].isdigit()})


def units_in_box(db, box) -> List[str]:
    return units_of(keys_in_box(db, box))


def run_for_plots(db, keys: Iterable[str], rules: Optional[Sequence[str]] = None,
                  feedback: Optional[Feedback] = None, parameters=None, neighbours: bool = True,
                  data_source: str = "") -> CheckResult:
    """Run rules (default: the plot rules) on the units holding these plots (and their
    neighbours' units)."""
    keys = sorted({str(k).strip() for k in keys if k and str(k).strip()})
    wanted = list(rules or PLOT_RULES)
    ctx = CheckContext(db, parameters, feedback=feedback)
    # 1 m beyond the widest gap still reported: every plot that can share an error with ours
    near = neighbour_keys(db, keys, float(ctx.params["GAP_MAX_WIDTH"]) + 1.0) if neighbours \
        else set(keys)
    units = units_of(near | set(keys))
    ctx.scope = tuple(units) if units else ("-",)   # "-" matches no code
    result = run_checks(ctx, sorted(wanted, key=catalogue.sort_key), data_source=data_source)
    result.run["plots"] = keys
    return result
