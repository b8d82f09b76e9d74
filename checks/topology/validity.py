"""T01–T03, T08: each plot on its own — valid, present, single-part, not a crumb.

These run first (checks.md §1) and never abort: an invalid plot is reported once
and every later rule uses its in-memory repaired copy.
"""
import re

import numpy as np
import shapely
from shapely.errors import GEOSException

from ..finding import Finding
from ..registry import register
from .common import fmt_xy, gc_paused, params, REPAIRED_NOTE, topo_plots
from .wkb_repair import unparsed_plots

_REASONS = [
    ("Ring Self-intersection", "环自相交"),
    ("Self-intersection", "边界自相交"),
    ("Hole lies outside shell", "内环位于外环之外"),
    ("Nested holes", "内环嵌套"),
    ("Nested shells", "外环嵌套"),
    ("Interior is disconnected", "内部不连通（内环分割了面）"),
    ("Duplicate Rings", "环重复"),
    ("Too few points", "环点数不足"),
    ("Invalid Coordinate", "坐标无效（NaN/无穷大）"),
    ("Ring is not closed", "环未闭合"),
    ("Holes are nested", "内环嵌套"),
]
_LOC = re.compile(r"\[\s*([-+0-9.eEnaNinf]+)\s+([-+0-9.eEnaNinf]+)\s*\]")


def reason_text(reason: str):
    """(Chinese reason, (x, y) or None) from a GEOS is_valid_reason string."""
    text = reason.split("[")[0].strip()
    zh = next((z for en, z in _REASONS if text.startswith(en)), text or "图形无效")
    m = _LOC.search(reason)
    loc = None
    if m:
        try:
            loc = (float(m.group(1)), float(m.group(2)))
        except ValueError:
            loc = None
    if loc is not None and not all(np.isfinite(loc)):
        loc = None
    return zh, loc


@register
class PlotShapeRules:
    ids = ("T01", "T02", "T03", "T08")

    @gc_paused
    def run(self, ctx, wanted):
        tp = topo_plots(ctx)   # also reads unparsable shapes and repairs them
        ps = tp.ps
        p = params(ctx)
        out = []
        unparsed = unparsed_plots(ctx, ps)
        units = ps.fbfbm
        if "T01" in wanted:
            out.extend(self._t01(ctx, ps, unparsed, units))
        ctx.feedback.progress(40)
        ctx.feedback.check()
        if "T02" in wanted:
            for i in np.flatnonzero(shapely.is_missing(ps.geoms)).tolist():
                if i not in unparsed:
                    out.append(Finding("T02", "DK", ps.keys[i], "地块 %s 没有图形（图形为空或 NULL）"
                                       % ps.keys[i], key_field="DKBM", unit_code=units[i],
                                       values={"fid": int(ps.fids[i])}))
        if "T03" in wanted:
            out.extend(self._t03(ps, unparsed, units))
        ctx.feedback.progress(70)
        if "T08" in wanted and len(tp):
            areas = shapely.area(tp.geoms)
            small = np.flatnonzero(areas < p["t08"])
            pts = shapely.point_on_surface(tp.geoms[small]) if len(small) else []
            for k, pt in zip(small, pts):
                out.append(Finding(
                    "T08", "DK", tp.keys[k],
                    "地块 %s 面积 %.2f 平方米，小于 %g 平方米（碎小图斑）%s"
                    % (tp.keys[k], areas[k], p["t08"], tp.note(k)),
                    key_field="DKBM", unit_code=units[tp.idx[k]], geom=pt,
                    values={"area": round(float(areas[k]), 4), "threshold": p["t08"], "unit": "m2"}))
        ctx.feedback.progress(100)
        return out

    @staticmethod
    def _t01(ctx, ps, unparsed, units):
        out = []
        present = ~shapely.is_missing(ps.geoms) if len(ps) else np.zeros(0, dtype=bool)
        bad = np.flatnonzero(present & ~ps.valid)
        reasons = shapely.is_valid_reason(ps.geoms[bad]) if len(bad) else []
        for i, reason in zip(bad, reasons):
            zh, loc = reason_text(reason or "")
            geom = shapely.Point(loc) if loc else None
            if geom is None and ps.repaired[i] is not None:
                geom = shapely.point_on_surface(ps.repaired[i])
            where = "，位置 %s" % fmt_xy(*loc) if loc else ""
            out.append(_t01_finding(ps, i, zh + where, geom, units, reason))
        for i, why in sorted(unparsed.items()):
            geom = shapely.point_on_surface(ps.repaired[i]) if ps.repaired[i] is not None else None
            out.append(_t01_finding(ps, i, "图形无法读取（%s）" % why, geom, units, why))
        n = len(bad) + len(unparsed)
        if n:
            ctx.notes.append("%d 个地块图形无效，后续拓扑规则按修复后图形检查" % n)
        return out

    @staticmethod
    def _t03(ps, unparsed, units):
        out = []
        raw = np.array(ps.geoms, dtype=object)
        for i in unparsed:                     # unreadable shapes: their repaired copy
            raw[i] = ps.repaired[i]
        nparts = shapely.get_num_geometries(raw)
        for i in np.flatnonzero(nparts > 1):
            parts = shapely.get_parts(raw[i])
            areas = shapely.area(parts)
            big = int(np.argmax(areas))
            extra = np.delete(parts, big)
            try:      # an invalid original may defeat GEOS: the record is still written
                gap = float(shapely.distance(parts[big], shapely.union_all(extra)))
            except GEOSException:
                gap = float("nan")
            apart = "，与主体相距 %.3f 米" % gap if gap == gap else ""
            geom = extra[0] if len(extra) == 1 else shapely.MultiPolygon(list(extra))
            out.append(Finding(
                "T03", "DK", ps.keys[i],
                "地块 %s 由 %d 个部件组成（应为单个面），多余部件面积 %.2f 平方米%s%s"
                % (ps.keys[i], len(parts), float(areas.sum() - areas[big]), apart,
                   REPAIRED_NOTE if not ps.valid[i] else ""),
                key_field="DKBM", unit_code=units[i], geom=geom,
                values={"parts": int(len(parts)),
                        "distance": round(gap, 3) if gap == gap else None}))
        return out


def _t01_finding(ps, i, what, geom, units, reason):
    fixed = ps.repaired[i] is not None
    tail = "；%s" % REPAIRED_NOTE.strip("（）") if fixed else "；无法修复，后续规则不检查该地块"
    return Finding("T01", "DK", ps.keys[i], "地块 %s 图形无效：%s%s" % (ps.keys[i], what, tail),
                   key_field="DKBM", unit_code=units[i], geom=geom,
                   values={"reason": str(reason), "repaired": fixed})


