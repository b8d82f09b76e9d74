"""Plots (DK) as shapely arrays: the shared input of geometry-based rules."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import shapely

from ..core.geometry_repair import repair_polygon  # noqa: F401 (the rules import it from here)

DK_FIELDS = ("BSM", "DKBM", "DKMC", "DKLB", "SCMJ", "SCMJM", "DKDZ", "DKNZ", "DKXZ", "DKBZ",
             "ZJRXM", "KJZB")


@dataclass
class PlotSet:
    fids: np.ndarray                 # int
    keys: List[str]                  # DKBM (or "fid:<n>" when empty)
    rows: List[dict]                 # attributes
    geoms: np.ndarray                # shapely objects as read (None = NULL/empty)
    fbfbm: List[str] = field(default_factory=list)
    valid: Optional[np.ndarray] = None
    repaired: Optional[np.ndarray] = None   # valid copies used by later rules
    crs_epsg: Optional[int] = None

    @classmethod
    def from_wkb(cls, fids: Sequence[int], keys: Sequence, wkbs: Sequence,
                 rows: Optional[List[dict]] = None, fbfbm: Optional[Sequence[str]] = None,
                 crs_epsg: Optional[int] = None) -> "PlotSet":
        arr = np.array([w if w else None for w in wkbs], dtype=object)
        geoms = shapely.from_wkb(arr, on_invalid="ignore")
        empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
        geoms = np.where(empty, None, geoms)
        keys = [str(k).strip() if k not in (None, "") and str(k).strip() else "fid:%d" % f
                for k, f in zip(keys, fids)]
        if fbfbm is None:
            fbfbm = [k[:14] if not k.startswith("fid:") else "" for k in keys]
        ps = cls(np.asarray(fids, dtype=np.int64), keys, rows or [{} for _ in keys], geoms,
                 list(fbfbm), crs_epsg=crs_epsg)
        # vectorised: None reads as not valid
        ps.valid = shapely.is_valid(geoms).astype(bool) if len(geoms) else np.zeros(0, dtype=bool)
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
        return np.flatnonzero(np.array([g is not None for g in self.repaired], dtype=bool))

    def point_of(self, i: int):
        g = self.repaired[i]
        return None if g is None else shapely.point_on_surface(g)

    def index_by_key(self) -> Dict[str, int]:
        out = {}
        for i, k in enumerate(self.keys):
            out.setdefault(k, i)
        return out


def load_plots(ctx) -> PlotSet:
    """DK of the township database (scope applied), cached in the context."""
    def factory():
        rows, wkbs = ctx.db.read_geometries("DK", DK_FIELDS)
        if ctx.scope is not None:
            keep = [i for i, r in enumerate(rows) if ctx.in_scope(r.get("DKBM"))]
            rows = [rows[i] for i in keep]
            wkbs = [wkbs[i] for i in keep]
        return PlotSet.from_wkb([r["FID"] for r in rows], [r.get("DKBM") for r in rows], wkbs,
                                rows, crs_epsg=ctx.db.epsg("DK"))
    return ctx.cached("plots", factory)


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
