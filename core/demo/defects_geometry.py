"""Defects on plots before their areas, 四至 and 界址 are derived (T01–T14, C01, C02, A04/A06 on DKBM).

Every defect changes only what it names; derived fields (SCMJ, KJZB, JZD/JZX, 四至,
contract totals) are computed afterwards from the changed data, so no other rule fires.
"""
import copy

import numpy as np
import shapely

from .defects_plots import PlotIndex, add_pt, compact, new_dkbm, pick, unit_vectors
from .defects_units import area, delete_group, mark, recode, relabel, reserve_groups

SHEET_AREA = 612.35         # SCMJ typed into the spreadsheet of a plot without geometry (T02)


def _keys(town, rows):
    return sorted(town.dk[r]["DKBM"] for r in rows)


def apply_plots(town):
    roles = reserve_groups(town)
    for g, role in sorted(roles.items()):
        if role == "C01":
            delete_group(town, g)
    for g, role in sorted(roles.items()):
        if role == "C02":
            recode(town, g)
    ix = PlotIndex(town)
    used = set(i for i, r in enumerate(town.dk) if r.get("_deleted"))
    recoded = set(town.recoded)
    for c in town.contractors:
        if c.cbfbm in recoded:
            used.update(c.plots)
    plain = [i for i, s in enumerate(town.shapes) if i not in used and s is not None
             and len(s) == 1 and len(s[0]) == 1 and town.dk[i]["_group"] >= 0]
    _t01(town, ix, plain, used)
    _t04_t05(town, ix, plain, used)
    _t06(town, ix, plain, used)
    _t08(town, ix, plain, used)
    _spikes(town, ix, plain, used)
    _t10(town, ix, plain, used)
    _t11(town, ix, plain, used)
    _t12(town, ix, used)
    _t13(town, ix, plain, used)
    _t03(town, ix, plain, used)
    _t07_t02(town, ix, plain, used)
    relabel(town, ix, plain, used)
    town.used_dkbm.update(town.dk[i]["DKBM"] for i in used if i < len(town.dk)
                          and not town.dk[i].get("_deleted"))
    compact(town)


def _road_candidates(town, ix, plain, used, min_len=8000, min_half=0, village_edge=None):
    out = []
    for r in plain:
        if r in used:
            continue
        blk = ix.block(r)
        for k, a, b, side in ix.road_edges(r):
            half, vedge = ix.side_info(blk, side)
            if half < min_half or (village_edge is not None and (vedge and half > 0) != village_edge):
                continue
            length = unit_vectors(ix, a, b)[0]
            if length >= min_len:
                out.append((r, k, a, b, half))
    return out


def _insert(town, row, k, pts):
    ring = town.shapes[row][0][0]
    town.shapes[row] = [[ring[:k + 1] + pts + ring[k + 1:]]]


def _t01(town, ix, plain, used):
    # on the township outline: the notch the twist cuts off lies outside the extent
    cands = [c for c in _road_candidates(town, ix, plain, used) if c[4] == 0]
    for r, k, a, b, _ in pick(town, cands, used, 2):
        length, u, n_in = unit_vectors(ix, a, b)
        p1 = ix.xy(a) + u * round(length * 0.4)
        p4 = p1 + u * 400
        pts = [add_pt(town.plan, p) for p in (p1, p4 + n_in * 200, p1 + n_in * 200, p4)]
        _insert(town, r, k, pts)
        mark(used, ix, [r])
        town.note("T01", _keys(town, [r]), "地块外缘自相交（0.4 米宽的“8”字扭结）")


def _edge_pairs(town, ix, plain, used, min_len, interior=False, same_group=True):
    out = []
    for r in plain:
        blk = ix.block(r)
        for k, a, b, other in ix.shared_edges(r):
            if other not in plain or other < r or ix.block(other) is not blk:
                continue
            if (town.dk[other]["_group"] == town.dk[r]["_group"]) != same_group:
                continue
            if unit_vectors(ix, a, b)[0] < min_len:
                continue
            if interior and (ix.on_land_edge(blk, a) or ix.on_land_edge(blk, b)
                             or a in ix.pond_pts or b in ix.pond_pts):
                continue
            touching = set(ix.pt_rows[a]) | set(ix.pt_rows[b])
            if interior and (not touching <= set(plain)):
                continue
            groups = {town.dk[t]["_group"] for t in touching}
            if same_group and len(groups) != 1:
                continue
            out.append(((r, other) + tuple(sorted(touching)), k, a, b))
    return out


def _notch(town, ix, row, a, b, depth, inset, into_row):
    """Replace edge a-b of row by a-q1-q2-b with q1, q2 'depth' mm towards into_row's side."""
    ring = ix.ring(row)
    k = next(i for i in range(len(ring)) if {ring[i], ring[(i + 1) % len(ring)]} == {a, b})
    s, t = ring[k], ring[(k + 1) % len(ring)]
    length, u, left = unit_vectors(ix, s, t)
    # the ring is counter-clockwise: its own interior is on the left of s->t
    side = -left if into_row != row else left
    q1 = ix.xy(s) + u * inset + side * depth
    q2 = ix.xy(t) - u * inset + side * depth
    _insert(town, row, k, [add_pt(town.plan, q1), add_pt(town.plan, q2)])


def _t04_t05(town, ix, plain, used):
    for rows, k, a, b in pick(town, _edge_pairs(town, ix, plain, used, 12000), used, 2):
        r, other = rows[0], rows[1]
        _notch(town, ix, other, a, b, 300, 2000, r)
        mark(used, ix, rows)
        town.note("T04", _keys(town, [r, other]), "地块 %s 沿共用边伸入相邻地块 0.3 米（同一发包方）"
                  % town.dk[other]["DKBM"])
    for rows, k, a, b in pick(town, _edge_pairs(town, ix, plain, used, 10000, interior=True), used, 2):
        r, other = rows[0], rows[1]
        _notch(town, ix, other, a, b, 200, 1500, other)
        mark(used, ix, rows)
        town.note("T05", _keys(town, rows[2:] or rows[:2]), "地块 %s、%s 之间留有 0.2 米宽的缝隙"
                  % (town.dk[r]["DKBM"], town.dk[other]["DKBM"]))


def _t06(town, ix, plain, used):
    """Holes at interior nodes met by exactly three plots: a 12 m² triangle; grave sites in MZDW."""
    cands = []
    for p, rows in ix.pt_rows.items():
        if len(rows) != 3 or p in ix.pond_pts or not set(rows) <= set(plain):
            continue
        blk = ix.block(rows[0])
        if ix.on_land_edge(blk, p) or len({town.dk[x]["_group"] for x in rows}) != 1:
            continue
        nbrs = set()
        for x in rows:
            ring = ix.ring(x)
            k = ring.index(p)
            nbrs.update((ring[k - 1], ring[(k + 1) % len(ring)]))
        if len(nbrs) == 3 and all(unit_vectors(ix, p, q)[0] > 9000 for q in nbrs):
            cands.append((tuple(sorted(rows)), p, tuple(sorted(nbrs))))
    for n, (rows, p, nbrs) in enumerate(pick(town, cands, used, 4)):
        r_mm = 3500 if n < 2 else 5500
        new = {q: add_pt(town.plan, ix.xy(p) + unit_vectors(ix, p, q)[1] * r_mm) for q in nbrs}
        for x in rows:
            ring = ix.ring(x)
            k = ring.index(p)
            prev, nxt = ring[k - 1], ring[(k + 1) % len(ring)]
            town.shapes[x] = [[ring[:k] + [new[prev], new[nxt]] + ring[k + 1:]]]
        hole = shapely.Polygon(town.plan.xy([new[q] for q in nbrs])).convex_hull
        mark(used, ix, rows)
        if n < 2:
            town.note("T06", _keys(town, rows), "三块地之间 %.1f 平方米的三角形空洞，无地物覆盖" % hole.area)
        else:
            _grave(town, hole)
            town.note("T06", _keys(town, rows), "三块地之间 %.1f 平方米的坟地，已在 MZDW 中" % hole.area,
                      lookalike=True)


def _grave(town, poly):
    from ..codes import m2_to_mu, round2
    mj = round2(poly.area)
    town.mzdw_extra.append(({"DWMC": "坟地", "MJ": float(mj), "BZ": None, "MJM": float(m2_to_mu(mj))}, poly))
    town.extra_features.append((poly, "坟地", "99"))


def _t08(town, ix, plain, used):
    cands = []
    for r in plain:
        blk = ix.block(r)
        ring = ix.ring(r)
        for k, c in enumerate(ring):
            a, b = ring[k - 1], ring[(k + 1) % len(ring)]
            sa, sb = ix.on_land_edge(blk, a), ix.on_land_edge(blk, b)
            if int(ix.plan.xs[c]) in (blk.xb[0], blk.xb[-1]) and int(ix.plan.ys[c]) in (blk.yb[0], blk.yb[-1]) \
                    and sa and sb and sa != sb and len(ix.pt_rows[c]) == 1:
                cands.append((r, k, a, c, b))
    for n, (r, k, a, c, b) in enumerate(pick(town, cands, used, 3)):
        leg = 900 if n < 2 else 1600
        p = add_pt(town.plan, ix.xy(c) + unit_vectors(ix, c, a)[1] * leg)
        q = add_pt(town.plan, ix.xy(c) + unit_vectors(ix, c, b)[1] * leg)
        ring = ix.ring(r)
        town.shapes[r] = [[ring[:k] + [p, q] + ring[k + 1:]]]
        row = dict(town.dk[r], DKBM=new_dkbm(town, town.dk[r]["DKBM"][:14]), DKLB="22", ZJRXM=None,
                   _holder=None)
        row.pop("_holder")
        town.dk.append(row)
        town.shapes.append([[[p, c, q]]])
        used.add(len(town.dk) - 1)
        mark(used, ix, [r])
        area = leg * leg / 2e6
        town.note("T08", [row["DKBM"]], "分割后留下的 %.2f 平方米碎块（机动地）" % area, lookalike=n >= 2)


def _spikes(town, ix, plain, used):
    cands = [c for c in _road_candidates(town, ix, plain, used, min_len=8000, min_half=2000,
                                         village_edge=False)]
    for n, (r, k, a, b, half) in enumerate(pick(town, cands, used, 3)):
        length, u, left = unit_vectors(ix, a, b)
        mid = ix.xy(a) + u * round(length / 2)
        tip_len = min(3000, half - 300)
        base = 30 if n < 2 else int(round(tip_len * np.tan(np.radians(3.05))))
        pts = [mid - u * base, mid - left * tip_len, mid + u * base]
        _insert(town, r, k, [add_pt(town.plan, p) for p in pts])
        mark(used, ix, [r])
        angle = 2 * np.degrees(np.arctan(base / float(tip_len)))
        town.note("T09", _keys(town, [r]), "伸入机耕路的尖角，长 %.1f 米，夹角 %.1f°" % (tip_len / 1000.0, angle),
                  lookalike=n >= 2)


def _t10(town, ix, plain, used):
    for n, (r, k, a, b, _) in enumerate(pick(town, _road_candidates(town, ix, plain, used), used, 2)):
        length, u, _ = unit_vectors(ix, a, b)
        v1 = add_pt(town.plan, ix.xy(a) + u * round(length / 2))
        v2 = add_pt(town.plan, ix.xy(a) + u * (round(length / 2) + 20)) if n == 0 else v1
        _insert(town, r, k, [v1, v2])
        mark(used, ix, [r])
        town.note("T10", _keys(town, [r]), "双击产生的重复节点（相距 %s）" % ("0.02 米" if n == 0 else "0，完全重合"))


def _t11(town, ix, plain, used):
    cands = []
    for r in plain:
        blk = ix.block(r)
        for k, a, b, other in ix.shared_edges(r):
            if other not in plain or other < r:
                continue
            for n_, m_ in ((a, b), (b, a)):
                if ix.on_land_edge(blk, n_) and not ix.on_land_edge(blk, m_) and len(ix.pt_rows[n_]) == 2 \
                        and ix.side_info(blk, ix.on_land_edge(blk, n_))[0] >= 150:
                    cands.append(((r, other), n_, m_))
    for rows, n_, m_ in pick(town, cands, used, 2):
        moved = rows[1]
        p = add_pt(town.plan, ix.xy(n_) + unit_vectors(ix, m_, n_)[1] * 30)
        ring = ix.ring(moved)
        town.shapes[moved] = [[[p if q == n_ else q for q in ring]]]
        mark(used, ix, rows)
        town.note("T11", _keys(town, rows), "相邻地块公共角点未咬合，相距 0.03 米")


def _t12(town, ix, used):
    cands = []
    for r, s in enumerate(town.shapes):
        if r in used or s is None or len(s) != 1 or town.dk[r]["_group"] < 0:
            continue
        ring = s[0][0]
        blk = ix.block(r)
        for k, m in enumerate(ring):
            left, right = ring[k - 1], ring[(k + 1) % len(ring)]
            rows = ix.pt_rows.get(m, [])
            if len(rows) != 3 or ix.on_land_edge(blk, m) or any(x in used for x in rows):
                continue
            others = [x for x in rows if x != r]
            if not all(len(ix.edge_rows.get((min(m, q), max(m, q)), ())) == 2 for q in (left, right)):
                continue
            a, b, c = ix.xy(left), ix.xy(right), ix.xy(m)
            t = float(np.dot(c - a, b - a) / np.dot(b - a, b - a))
            off = abs(float(np.cross(b - a, c - a))) / float(np.hypot(*(b - a)))
            if len({town.dk[x]["_group"] for x in rows}) == 1 and unit_vectors(ix, left, right)[0] > 15000 \
                    and 0.25 < t < 0.75 and off < 4000:
                cands.append((tuple(sorted(rows)), r, k, m, left, right, others))
    for rows, r, k, m, left, right, others in pick(town, cands, used, 2):
        a, b = ix.xy(left), ix.xy(right)
        t = float(np.dot(ix.xy(m) - a, b - a) / np.dot(b - a, b - a))
        foot = a + (b - a) * t
        town.plan.xs[m], town.plan.ys[m] = int(round(foot[0])), int(round(foot[1]))
        ring = ix.ring(r)
        town.shapes[r] = [[ring[:k] + ring[k + 1:]]]
        mark(used, ix, rows)
        town.note("T12", _keys(town, others), "地块 %s、%s 的公共角点落在地块 %s 的直边上，%s 在该处没有节点"
                  % (town.dk[others[0]]["DKBM"], town.dk[others[1]]["DKBM"], town.dk[r]["DKBM"],
                     town.dk[r]["DKBM"]), related=[town.dk[r]["DKBM"]])


def _t13(town, ix, plain, used):
    cands = _road_candidates(town, ix, plain, used, min_len=10000, min_half=2000, village_edge=True)
    for r, k, a, b, half in pick(town, cands, used, 2):
        length, u, left = unit_vectors(ix, a, b)
        depth = half + 1500
        t1 = ix.xy(a) + u * round(length * 0.3)
        t2 = ix.xy(a) + u * round(length * 0.7)
        _insert(town, r, k, [add_pt(town.plan, p) for p in (t1, t1 - left * depth, t2 - left * depth, t2)])
        mark(used, ix, [r])
        town.note("T13", _keys(town, [r]), "地块跨过村道伸入相邻村 1.5 米")
    pairs = _edge_pairs(town, ix, plain, used, 9000, interior=True, same_group=False)
    for rows, k, a, b in pick(town, pairs, used, 2):
        r, other = rows[0], rows[1]
        _notch(town, ix, other, a, b, 100, 1500, other)
        mark(used, ix, rows)
        town.note("T13", _keys(town, rows[2:]), "两个组的地块沿组界留下 0.1 米宽的缝隙")


def _t03(town, ix, plain, used):
    polys = {r: shapely.Polygon(town.plan.xy(ix.ring(r))) for r in plain if r not in used}
    rows = list(polys)
    tree = shapely.STRtree([polys[r] for r in rows])
    cands = []
    for r in rows:
        for j in tree.query(polys[r], predicate="dwithin", distance=1.05).tolist():
            o = rows[j]
            if o > r and ix.block(o) is not ix.block(r) and town.dk[o]["_group"] == town.dk[r]["_group"] \
                    and town.dk[o]["DKLB"] == town.dk[r]["DKLB"] and polys[r].distance(polys[o]) > 0.25:
                cands.append(((r, o),))
    for ((r, o),) in pick(town, cands, used, 2):
        town.shapes[r] = town.shapes[r] + town.shapes[o]
        town.dk[o]["_deleted"] = True
        for c in town.contractors:
            if o in c.plots:
                c.plots.remove(o)
        mark(used, ix, [r, o])
        town.note("T03", _keys(town, [r]), "一块地画成水渠两侧的两个部分")


def _copy_row(town, r, **changes):
    row = dict(town.dk[r], DKBM=new_dkbm(town, town.dk[r]["DKBM"][:14]), DKLB="22", ZJRXM=None,
               **changes)
    row.pop("_holder", None)
    town.dk.append(row)
    return row


def _t07_t02(town, ix, plain, used):
    def room(cand):
        return ix.coverage_room(town.dk[cand[0]]["_group"], area(town, cand[0]))
    for (r,) in pick(town, [(r,) for r in plain], used, 2, room):
        row = _copy_row(town, r)
        town.shapes.append(copy.deepcopy(town.shapes[r]))
        used.add(len(town.dk) - 1)
        mark(used, ix, [r])
        town.note("T07", sorted([town.dk[r]["DKBM"], row["DKBM"]]), "同一地块以两个地块代码导入两次（机动地）")
    def room_sheet(cand):      # the typed-in area still counts in the group's coverage (M04)
        return ix.coverage_room(town.dk[cand[0]]["_group"], SHEET_AREA)
    for n, (r,) in enumerate(pick(town, [(r,) for r in plain], used, 2, room_sheet)):
        row = _copy_row(town, r, _nogeom="null" if n == 0 else "empty", _sheet_area=SHEET_AREA)
        town.shapes.append(None)
        used.add(len(town.dk) - 1)
        town.note("T02", [row["DKBM"]], "从表格导入、没有图形的地块（%s）" % ("NULL" if n == 0 else "空图形"),
                  also=["A01"], also_note="没有图形就没有界址点，KJZB（M）为空")


