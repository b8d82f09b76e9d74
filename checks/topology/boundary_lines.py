"""T16 (b) and (e) for 界址线 (JZX): along the boundary of its plots, ends named right.

A JZX segment equal to an edge of one of its plots (hashed lookup of the plot
edges, verified within 0.001 m) is on the boundary; only the other segments are
measured exactly with GEOS (segment minus buffer(plot boundaries, 0.001 m)).
"""
from typing import Dict

import numpy as np
import shapely

from ..finding import Finding
from .common import fmt_xy
from .geomops import directed_distance, safe_binary
from .layers import codes_to_plots, read_columns
from .vertex_index import cyclic_neighbours

JZX_FIELDS = ("DKBM", "QJZDH", "ZJZDH")
JZX_NAMES = ("JZXH", "BSM")         # read for the reported lines only


def _mix(q: np.ndarray, plot: np.ndarray) -> np.ndarray:
    """64-bit hash of a rounded segment (x1, y1, x2, y2) and a plot (wrapping ints)."""
    m = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                  0x27D4EB2F165667C5, 0x94D049BB133111EB], dtype=np.uint64)
    qq = q.astype(np.uint64)
    h = (qq[:, 0] * m[0]) ^ (qq[:, 1] * m[1]) ^ (qq[:, 2] * m[2]) ^ (qq[:, 3] * m[3])
    return h ^ (plot.astype(np.uint64) * m[4])


def _canonical(p, q):
    """Segments with endpoints in lexicographic order (direction does not matter)."""
    swap = (p[:, 0] > q[:, 0]) | ((p[:, 0] == q[:, 0]) & (p[:, 1] > q[:, 1]))
    return np.where(swap[:, None], q, p), np.where(swap[:, None], p, q)


class EdgeIndex:
    """Hashed plot edges: is segment (p, q) an edge of plot k within tolerance?"""

    def __init__(self, rv, tol):
        _, nxt = cyclic_neighbours(rv)
        self.tol = tol
        self.a, self.b = _canonical(rv.xy, rv.xy[nxt])
        self.plot = rv.plot
        h = self._hash(self.a, self.b, self.plot)
        self.order = np.argsort(h, kind="stable")
        self.h = h[self.order]

    def _hash(self, a, b, plot):
        return _mix(np.round(np.hstack([a, b]) / self.tol).astype(np.int64), plot)

    def matches(self, p, q, plot) -> np.ndarray:
        a, b = _canonical(p, q)
        ok = np.zeros(len(a), dtype=bool)
        if not len(self.h) or not len(a):
            return ok
        h = self._hash(a, b, plot)
        pos = np.minimum(np.searchsorted(self.h, h), len(self.h) - 1)
        hit = self.h[pos] == h
        e = self.order[pos[hit]]
        # verified on the real coordinates: the rounding is only the lookup
        ok[hit] = ((self.plot[e] == plot[hit])
                   & (np.hypot(*(self.a[e] - a[hit]).T) <= self.tol)
                   & (np.hypot(*(self.b[e] - b[hit]).T) <= self.tol))
        return ok


def off_boundary(vt, bnd, lines, ptr, plots, tol) -> Dict[int, tuple]:
    """{line index: (segments off the boundary, largest distance)} for (b); line i
    belongs to plots[ptr[i]:ptr[i + 1]]."""
    counts = np.diff(ptr)
    use = np.flatnonzero(counts > 0)
    if not len(use):
        return {}
    parts, part_line = shapely.get_parts(lines[use], return_index=True)
    pc, pi = shapely.get_coordinates(parts, return_index=True)
    # consecutive coordinates of one part form a segment
    s0 = np.flatnonzero(pi[1:] == pi[:-1])
    seg_line = use[part_line[pi[s0]]]               # line index of each segment
    p0, p1 = pc[s0], pc[s0 + 1]
    cnt = counts[seg_line]
    seg = np.repeat(np.arange(len(s0)), cnt)
    plot = plots[np.repeat(ptr[seg_line], cnt) + (np.arange(int(cnt.sum())) -
                                                   np.repeat(np.cumsum(cnt) - cnt, cnt))]
    ok_pair = EdgeIndex(vt.rv, tol).matches(p0[seg], p1[seg], plot)
    ok = np.zeros(len(s0), dtype=bool)
    ok[seg[ok_pair]] = True
    todo = np.flatnonzero(~ok)
    if not len(todo):
        return {}
    segs = shapely.linestrings(np.stack([p0[todo], p1[todo]], axis=1))
    zone, ring = {}, {}
    for u in sorted(set(seg_line[todo].tolist())):
        ring[u] = shapely.union_all(bnd[plots[ptr[u]:ptr[u + 1]]])
        zone[u] = shapely.buffer(ring[u], tol)
    beyond = safe_binary(shapely.difference, segs,
                         np.array([zone[u] for u in seg_line[todo]], dtype=object))
    out = {}
    for t, g in zip(todo.tolist(), beyond):
        if g is None or g.is_empty or g.length <= 1e-9:
            continue
        u = int(seg_line[t])
        n, best = out.get(u, (0, 0.0))
        out[u] = (n + 1, max(best, directed_distance(g, ring[u])))
    return out


def end_problems(cols, lines, jz, tol):
    """(e) {line index: [problem texts]}: QJZDH / ZJZDH exist and are the line's ends
    (either direction)."""
    coords, ci = shapely.get_coordinates(lines, return_index=True)
    n = len(lines)
    first = np.searchsorted(ci, np.arange(n))
    last = np.searchsorted(ci, np.arange(n), side="right") - 1
    ends = np.stack([coords[first], coords[last]], axis=1)          # (n, 2, 2)
    # a JZDH names one point, rarely several: the first in a dict, the others apart
    first_of: Dict[str, int] = {}
    more: Dict[str, list] = {}
    for i, h in enumerate(jz.names):
        if first_of.setdefault(h, i) != i:
            more.setdefault(h, [first_of[h]]).append(i)
    out: Dict[int, list] = {}
    hits = {}
    for field, label in (("QJZDH", "起界址点"), ("ZJZDH", "止界址点")):
        names = [str(v or "").strip() for v in cols[field]]
        j = np.fromiter((first_of.get(h, -1) if h else -1 for h in names), dtype=np.int64,
                        count=n)
        several = np.array([h in more for h in names], dtype=bool) if more else \
            np.zeros(n, dtype=bool)
        at = np.zeros((n, 2), dtype=bool)
        one = (j >= 0) & ~several
        if one.any():
            d = np.hypot(*(jz.xy[j[one]][:, None, :] - ends[one]).transpose(2, 0, 1))
            at[one] = d <= tol
        for i in np.flatnonzero(several):
            d = np.hypot(*(jz.xy[more[names[i]]][:, None, :] - ends[i][None]).transpose(2, 0, 1))
            at[i] = (d <= tol).any(axis=0)
        named = np.array([bool(h) for h in names], dtype=bool)
        exists = j >= 0
        at_any = at.any(axis=1)
        for i in np.flatnonzero(named & ~exists).tolist():
            out.setdefault(i, []).append("%s %s 不存在" % (label, names[i]))
        for i in np.flatnonzero(named & exists & ~at_any).tolist():
            out.setdefault(i, []).append("%s %s 不在界址线端点上" % (label, names[i]))
        ok = named & exists & at_any
        hits[field] = (ok, at)
    if "QJZDH" in hits and "ZJZDH" in hits:
        (qa, qat), (za, zat) = hits["QJZDH"], hits["ZJZDH"]
        both = qa & za
        span = np.hypot(*(ends[:, 0] - ends[:, 1]).T)
        # both named and both at an end, but the same single end of an open line
        same = both & ((qat | zat).sum(axis=1) < 2) & (span > tol)
        for i in np.flatnonzero(same).tolist():
            out.setdefault(i, []).append("起止界址点在同一端")
    return out


def line_findings(ctx, tp, vt, bnd, pos, jz, p):
    from .boundary import split_codes
    fids, cols, lines = read_columns(ctx, "JZX", JZX_FIELDS)
    sel = np.flatnonzero(~shapely.is_missing(lines)) if len(lines) else \
        np.zeros(0, dtype=np.int64)
    dks = [tuple(split_codes(cols["DKBM"][i])) for i in sel.tolist()]
    if ctx.scope is not None:
        inside = [any(ctx.in_scope(c) for c in dk) for dk in dks]
        sel = sel[np.array(inside, dtype=bool)] if len(sel) else sel
        dks = [dk for dk, ok in zip(dks, inside) if ok]
    if not len(sel):
        return []
    take = sel.tolist()
    fids = fids[sel]
    cols = {f: [v[i] for i in take] for f, v in cols.items()}
    lines = lines[sel]
    tol = p["xy"]
    ptr, plots, _ = codes_to_plots(dks, pos)
    bad_b = off_boundary(vt, bnd, lines, ptr, plots, tol)
    ctx.feedback.check()
    bad_e = end_problems(cols, lines, jz, tol) if len(jz) or any(
        q or z for q, z in zip(cols["QJZDH"], cols["ZJZDH"])) else {}
    report = sorted(set(bad_b) | set(bad_e))
    if not report:
        return []
    mids = shapely.line_interpolate_point(lines[report], 0.5, normalized=True)
    names = _line_names(ctx, fids[report].tolist())
    out = []
    for i, mid in zip(report, mids):
        dk = dks[i]
        jzxh, bsm = names.get(int(fids[i]), (None, None))
        key = str(jzxh or "").strip() or str(bsm or "").strip() or "fid:%s" % fids[i]
        where = fmt_xy(mid.x, mid.y)
        unit = (dk or ("",))[0][:14]
        if i in bad_b:
            nseg, depth = bad_b[i]
            out.append(Finding(
                "T16", "JZX", key, "界址线 %s 有 %d 段偏离所属地块 %s 的边界，最远 %.3f 米（容差 %g 米），位置 %s"
                % (key, nseg, "/".join(dk), depth, tol, where), key_field="JZXH", related=dk,
                related_field="DKBM", unit_code=unit, geom=mid,
                values={"segments": nseg, "distance": round(depth, 4), "_fp": "b"}))
        if i in bad_e:
            named = tuple(h for h in (str(cols["QJZDH"][i] or "").strip(),
                                      str(cols["ZJZDH"][i] or "").strip()) if h)
            out.append(Finding(
                "T16", "JZX", key, "界址线 %s %s，位置 %s" % (key, "；".join(bad_e[i]), where),
                key_field="JZXH", related=named, related_field="JZDH", unit_code=unit, geom=mid,
                values={"_fp": "e"}))
    return out


def _line_names(ctx, fids) -> Dict[int, tuple]:
    """{fid: (JZXH, BSM)} of the given JZX features."""
    db = ctx.db
    if db is None or not db.has("JZX") or not fids:
        return {}
    cols = db.columns("JZX")
    sel = ", ".join('"%s"' % cols[f][0] if f in cols else "NULL" for f in JZX_NAMES)
    pk = db.primary_key("JZX")
    out = {}
    for s in range(0, len(fids), 500):
        chunk = fids[s:s + 500]
        for row in db.conn.execute('SELECT "%s", %s FROM "%s" WHERE "%s" IN (%s)' % (
                pk, sel, db.name("JZX"), pk, ",".join("?" * len(chunk))), chunk):
            out[int(row[0])] = tuple(row[1:])
    return out
