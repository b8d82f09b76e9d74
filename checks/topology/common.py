"""What every topology family shares: the plots as arrays, units, labels, formatting.

All families work on the *repaired* copies of the plots (PlotSet.repaired): T01
reports the invalid originals, later rules say `按修复后图形检查` for them.
"""
import functools
import gc
import threading
from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np
import shapely

from ..plots import load_plots

REPAIRED_NOTE = "（按修复后图形检查）"


def fmt_xy(x: float, y: float) -> str:
    """Surveying order: X = northing, Y = easting, 3 decimals (checks.md §1)."""
    return "X=%.3f Y=%.3f" % (y, x)


def fmt_point(pt) -> str:
    return fmt_xy(pt.x, pt.y) if pt is not None and not pt.is_empty else ""


def is_dkbm(key: str) -> bool:
    """19 decimal digits (what ^\\d{19}$ matches, without running the regex: it is
    asked for every plot)."""
    if not key:
        return False
    if key[-1] == "\n":                  # $ also matches before one final newline
        key = key[:-1]
    return len(key) == 19 and key.isdecimal()


def village_label(code: str) -> str:
    """'370832110204…' -> '204村' (the 3-digit village number of a 12+ digit code)."""
    return "%s村" % code[9:12] if code and len(code) >= 12 and code[:12].isdigit() else code


def unit_label(unit: str) -> str:
    """An FBFBM as 'village/group' words: 37083211020401 -> 204村01组; edge matching of
    two layers prefixes the layer: 'A村调查:37083211020401' -> 'A村调查 204村01组'."""
    if unit and ":" in unit:
        layer, code = unit.split(":", 1)
        return ("%s %s" % (layer, unit_label(code))) if code else layer
    if unit and len(unit) == 14 and unit.isdigit():
        return "%s村%s" % (unit[9:12], "" if unit[12:14] == "00" else unit[12:14] + "组")
    return unit or "未知单位"


def join_keys(keys: Sequence[str]) -> str:
    return "、".join(keys)


@dataclass
class TopoPlots:
    """The plots with a usable (repaired) geometry, as parallel arrays.

    `idx[k]` is the PlotSet index of array position k; `geoms` are repaired copies;
    `tree` an STRtree over them. `rank[k]` orders plots by key (for "smaller DKBM").
    """
    ps: object
    idx: np.ndarray
    geoms: np.ndarray
    keys: List[str]
    units: List[str]
    repaired: np.ndarray          # bool: original was invalid or unparsable
    tree: shapely.STRtree
    rank: np.ndarray

    def __len__(self):
        return len(self.idx)

    def note(self, *ks: int) -> str:
        """The repaired-geometry remark when any named plot was repaired."""
        return REPAIRED_NOTE if any(self.repaired[k] for k in ks) else ""

    def ordered(self, ks) -> List[int]:
        """Array positions sorted by key (deterministic 'first' plot)."""
        return sorted(set(int(k) for k in ks), key=lambda k: (self.keys[k], k))


def plot_units(ctx, ps) -> List[str]:
    """The 发包方 unit of each plot; callers (edge matching) may override it."""
    override = ctx.cache.get("topo:units")
    return list(override) if override is not None else list(ps.fbfbm)


def topo_plots(ctx) -> TopoPlots:
    """The plots of the run as arrays (cached); on first use with a large township the
    later region and vertex families start in a worker (prefetch.py)."""
    tp = ctx.cache.get("topo:plots")
    if tp is None:
        from . import prefetch
        prefetch.early(ctx)
        try:
            tp = ctx.cached("topo:plots", lambda: _topo_plots(ctx))
        finally:
            prefetch.start(ctx, tp)
    return tp


def _topo_plots(ctx) -> TopoPlots:
    from .wkb_repair import unparsed_plots
    ps = load_plots(ctx)
    unparsed_plots(ctx, ps)     # unreadable shapes get a repaired copy first
    units = plot_units(ctx, ps)
    idx = ps.present()
    geoms = ps.repaired[idx] if len(idx) else np.empty(0, dtype=object)
    keys = [ps.keys[i] for i in idx]
    rep = ~np.asarray(ps.valid, dtype=bool)[idx] if len(idx) else np.zeros(0, dtype=bool)
    order = sorted(range(len(keys)), key=keys.__getitem__)    # stable: ties by position
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return TopoPlots(ps, idx, geoms, keys, [units[i] for i in idx], rep,
                     shapely.STRtree(geoms), rank)


def first_and_others(tp: TopoPlots, ks):
    """(first key position, other positions) ordered by key."""
    order = tp.ordered(ks)
    return order[0], order[1:]


def params(ctx):
    p = ctx.params
    return {
        "xy": float(p.get("XY_TOL", 0.001)),
        "overlap_area": float(p.get("OVERLAP_MIN_AREA", 0.0001)),
        "gap_width": float(p.get("GAP_MAX_WIDTH", 0.5)),
        "hole_area": float(p.get("HOLE_MAX_AREA", 50.0)),
        "region_tol": float(p.get("REGION_TOL", 0.001)),
        "t08": float(p.get("T08_MIN_AREA", 1.0)),
        "t09": float(p.get("T09_MIN_ANGLE", 5.0)),
        "t10": float(p.get("T10_MIN_DIST", 0.05)),
        "t11": float(p.get("T11_MAX_DIST", 0.05)),
        "t12": float(p.get("T12_MAX_DIST", 0.05)),
    }


def representative(g) -> Optional[tuple]:
    if g is None or g.is_empty:
        return None
    p = shapely.point_on_surface(g)
    return (p.x, p.y)


_GC = {"depth": 0, "was_enabled": True}
_GC_LOCK = threading.Lock()


def gc_paused(fn):
    """Run fn with Python's cyclic garbage collector off. Reading a township makes
    hundreds of thousands of tuples, lists and geometry objects, and every full
    collection would walk all of them again (about a tenth of the run); nothing here
    makes reference cycles, reference counting frees the rest. Nested and concurrent
    uses (the prefetch worker) share one pause; the previous state comes back after."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _GC_LOCK:
            if _GC["depth"] == 0:
                _GC["was_enabled"] = gc.isenabled()
                gc.disable()
            _GC["depth"] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _GC_LOCK:
                _GC["depth"] -= 1
                if _GC["depth"] == 0 and _GC["was_enabled"]:
                    gc.enable()
    return wrapper
