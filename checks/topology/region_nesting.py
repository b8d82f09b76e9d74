"""T15: region nesting — ZJQY within its CJQY, CJQY within its XJQY, no overlaps
between two groups or two villages."""
import numpy as np
import shapely

from ..finding import Finding
from .coverage import overlap_candidate_pairs
from .geomops import directed_distance, polygonal, polygonal_array, safe_binary
from .layers import REGION_LAYERS, regions

_NAMES = {"XJQY": "乡级区域", "CJQY": "村级区域", "ZJQY": "组级区域"}


def _child_findings(ctx, p, child, parent, n):
    """(a)/(b): every child region inside buffer(its parent, REGION_TOL)."""
    kids = regions(ctx, child)
    parents = regions(ctx, parent)
    out = []
    if not kids:
        return out
    part_id = "(a)" if child == "ZJQY" else "(b)"
    if not parents:
        ctx.skip("T15" + part_id, "%s 为空，T15%s 跳过" % (parent, part_id))
        return out
    field = REGION_LAYERS[child]
    codes = [c for c in kids if ctx.in_scope(c)]
    have = [c for c in codes if c[:n] in parents]
    if have:
        pg = np.array([parents[c[:n]] for c in have], dtype=object)
        kg = np.array([kids[c] for c in have], dtype=object)
        # each parent buffered (and prepared) once, however many children it has
        up = sorted({c[:n] for c in have})
        grown = dict(zip(up, shapely.buffer(np.array([parents[u] for u in up], dtype=object),
                                            p["region_tol"])))
        shapely.prepare(list(grown.values()))
        buf = np.array([grown[c[:n]] for c in have], dtype=object)
        inside = shapely.covers(buf, kg)
        bad = np.flatnonzero(~inside)
        # the test is against the buffered parent, the record is the exact part outside
        exact = safe_binary(shapely.difference, kg[bad], pg[bad]) if len(bad) else []
        for i, part in zip(bad.tolist(), exact):
            part = polygonal(part)
            if part is None:
                continue
            c = have[i]
            depth = directed_distance(part, pg[i])
            out.append(Finding(
                "T15", child, c, "%s %s 有 %.2f 平方米超出所属%s %s，最大 %.3f 米（容差 %g 米）"
                % (_NAMES[child], c, part.area, _NAMES[parent], c[:n], depth, p["region_tol"]),
                key_field=field, related=(c[:n],), related_field=REGION_LAYERS[parent],
                unit_code=c, geom=part, values={"area": round(part.area, 4),
                                                "depth": round(depth, 3)}))
    for c in codes:
        if c[:n] not in parents:
            out.append(Finding(
                "T15", child, c, "%s %s 所属的%s %s 不存在" % (_NAMES[child], c, _NAMES[parent], c[:n]),
                key_field=field, related=(c[:n],), related_field=REGION_LAYERS[parent],
                unit_code=c, geom=shapely.point_on_surface(kids[c])))
    return out


def _overlap_findings(ctx, p, layer):
    """(c): two regions of one level overlapping by more than OVERLAP_MIN_AREA."""
    regs = regions(ctx, layer)
    codes = list(regs)
    if len(codes) < 2:
        return []
    geoms = np.array([regs[c] for c in codes], dtype=object)
    # regions sharing their boundaries exactly never overlap: only pairs meeting a
    # face covered twice (coverage.py) are intersected
    pairs = overlap_candidate_pairs(geoms, max_unmatched=1.0)
    a, b = pairs[:, 0], pairs[:, 1]
    keep = np.array([ctx.in_scope(codes[i]) or ctx.in_scope(codes[j]) for i, j in zip(a, b)],
                    dtype=bool)
    a, b = a[keep], b[keep]
    if not len(a):
        return []
    inter = polygonal_array(safe_binary(shapely.intersection, geoms[a], geoms[b]))
    out = []
    for i, j, g in zip(a.tolist(), b.tolist(), inter):
        if g is None or g.area <= p["overlap_area"]:
            continue
        ci, cj = sorted((codes[i], codes[j]))
        out.append(Finding(
            "T15", layer, ci, "%s %s 与 %s 重叠，重叠面积 %.2f 平方米（阈值 %g）"
            % (_NAMES[layer], ci, cj, g.area, p["overlap_area"]),
            key_field=REGION_LAYERS[layer], related=(cj,), related_field=REGION_LAYERS[layer],
            unit_code=ci, geom=g, values={"area": round(g.area, 4),
                                          "threshold": p["overlap_area"], "unit": "m2"}))
    return out


def nesting_findings(ctx, p):
    out = []
    out.extend(_child_findings(ctx, p, "ZJQY", "CJQY", 12))
    out.extend(_child_findings(ctx, p, "CJQY", "XJQY", 9))
    ctx.feedback.check()
    out.extend(_overlap_findings(ctx, p, "ZJQY"))
    out.extend(_overlap_findings(ctx, p, "CJQY"))
    return out


