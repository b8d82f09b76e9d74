"""Plots (DK) as shapely arrays: the shared input of geometry-based rules."""
import os
from typing import Dict, List, Optional, Sequence

import numpy as np
import shapely

from ..core.geometry_repair import repair_polygon  # noqa: F401 (the rules import it from here)

DK_FIELDS = ("BSM", "DKBM", "DKMC", "DKLB", "SCMJ", "SCMJM", "DKDZ", "DKNZ", "DKXZ", "DKBZ",
             "ZJRXM", "KJZB")


class PlotSet:
    """fids, keys (DKBM, or "fid:<n>" when empty), rows (attributes), geoms (shapely
    objects as read, None = NULL/empty), fbfbm, valid, repaired (valid copies used by
    later rules), crs_epsg. `rows` may be given as a callable: it is then called on
    first access (the topology rules need only keys and shapes)."""

    def __init__(self, fids: np.ndarray, keys: List[str], rows, geoms: np.ndarray,
                 fbfbm: Optional[List[str]] = None, valid: Optional[np.ndarray] = None,
                 repaired: Optional[np.ndarray] = None, crs_epsg: Optional[int] = None):
        self.fids = fids
        self.keys = keys
        self._rows = rows
        self.geoms = geoms
        self.fbfbm = list(fbfbm) if fbfbm is not None else []
        self.valid = valid
        self.repaired = repaired
        self.crs_epsg = crs_epsg
        self.column_reader = None     # field -> values in plot order, when rows are lazy

    @property
    def rows(self) -> List[dict]:
        if callable(self._rows):
            self._rows = self._rows()
        return self._rows

    @rows.setter
    def rows(self, value):
        self._rows = value

    def column(self, field: str) -> list:
        """One attribute of every plot: from the rows once they are loaded, else read
        alone (a rule needing one field does not load them all)."""
        if callable(self._rows) and self.column_reader is not None:
            return self.column_reader(field)
        return [r.get(field) for r in self.rows]

    @classmethod
    def from_wkb(cls, fids: Sequence[int], keys: Sequence, wkbs: Sequence,
                 rows=None, fbfbm: Optional[Sequence[str]] = None,
                 crs_epsg: Optional[int] = None) -> "PlotSet":
        arr = np.array([w if w else None for w in wkbs], dtype=object)
        geoms = shapely.from_wkb(arr, on_invalid="ignore")
        empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
        geoms = np.where(empty, None, geoms)
        keys = [key_text(k) or "fid:%d" % f for k, f in zip(keys, fids)]
        if fbfbm is None:
            fbfbm = [k[:14] if not k.startswith("fid:") else "" for k in keys]
        if rows is None:
            rows = [{} for _ in keys]
        ps = cls(np.asarray(fids, dtype=np.int64), keys, rows, geoms, list(fbfbm),
                 crs_epsg=crs_epsg)
        # vectorised: None reads as not valid
        ps.valid = _is_valid(geoms)
        rep = geoms.copy()
        bad = np.flatnonzero(~ps.valid & ~shapely.is_missing(geoms))
        for i in bad:
            rep[i] = repair_polygon(geoms[i])
        ps.repaired = rep
        return ps

    def __len__(self):
        return len(self.keys)

    def present(self) -> np.ndarray:
        """Indices of plots with a usable (repaired) geometry."""
        return np.flatnonzero(~shapely.is_missing(self.repaired)) if len(self.keys) else \
            np.zeros(0, dtype=np.int64)

    def point_of(self, i: int):
        g = self.repaired[i]
        return None if g is None else shapely.point_on_surface(g)

    def index_by_key(self) -> Dict[str, int]:
        out = {}
        for i, k in enumerate(self.keys):
            out.setdefault(k, i)
        return out


def key_text(k) -> str:
    """A key value as stripped text ('' for NULL)."""
    if k.__class__ is str:
        return k.strip()
    return "" if k is None else str(k).strip()


def _is_valid(geoms: np.ndarray) -> np.ndarray:
    """shapely.is_valid, in two threads for large arrays (GEOS releases the GIL)."""
    if not len(geoms):
        return np.zeros(0, dtype=bool)
    if len(geoms) < 20000 or (os.cpu_count() or 1) < 2:
        return shapely.is_valid(geoms).astype(bool)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        parts = list(pool.map(shapely.is_valid, np.array_split(geoms, 2)))
    return np.concatenate(parts).astype(bool)


def load_plots(ctx) -> PlotSet:
    """DK of the township database (scope applied), cached in the context. Only FID,
    DKBM and the shapes are read; the other attributes (DK_FIELDS) on first use of
    PlotSet.rows."""
    def factory():
        db = ctx.db
        fids, cols, wkbs = db.read_geometry_columns("DK", ("DKBM",))
        keys = cols["DKBM"]
        if ctx.scope is not None:
            keep = [i for i, k in enumerate(keys) if ctx.in_scope(k)]
            fids, keys, wkbs = fids[keep], [keys[i] for i in keep], [wkbs[i] for i in keep]

        def rows():
            by_fid = {r["FID"]: r for r in db.read("DK", ("FID",) + DK_FIELDS)}
            return [by_fid.get(f) or {"FID": f} for f in fids.tolist()]

        def column(field):
            by_fid = dict(db.conn.execute('SELECT "%s", %s FROM "%s"' % (
                db.primary_key("DK"), _column_sql(db, field), db.name("DK"))).fetchall())
            return [by_fid.get(f) for f in fids.tolist()]
        ps = PlotSet.from_wkb(fids, keys, wkbs, rows, crs_epsg=db.epsg("DK"))
        ps.column_reader = column
        return ps
    return ctx.cached("plots", factory)


def _column_sql(db, field: str) -> str:
    """The stored column of a DK field, or NULL when DK lacks it."""
    cols = db.columns("DK")
    return '"%s"' % cols[field.upper()][0] if field.upper() in cols else "NULL"


def plot_points(ctx) -> Dict[str, object]:
    """DKBM -> point on surface, for records that name a plot."""
    def factory():
        ps = load_plots(ctx)
        idx = ps.present()
        pts = shapely.point_on_surface(ps.repaired[idx]) if len(idx) else []
        out = {}
        for i, p in zip(idx, pts):
            out.setdefault(ps.keys[i], p)
        return out
    return ctx.cached("plot_points", factory)
