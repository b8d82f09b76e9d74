"""Defects on 界址点/线 (T16, A02, A06 on BSM) and on the region layers (T15, M04, C01)."""
import numpy as np
import shapely



def apply_lines(town):
    jzd_rows, jzd_pts = town.jzd
    jzx_rows, jzx_lines = town.jzx
    used = town.used_dkbm
    by_point = {}
    for k, r in enumerate(jzx_rows):
        for f in ("QJZDH", "ZJZDH"):
            by_point.setdefault(r[f], []).append(k)
    cands = [k for k in town.rng.permutation(len(jzd_rows)).tolist()
             if not (set(jzd_rows[k]["DKBM"].split("/")) & used)
             and all(_normal(town, d) for d in jzd_rows[k]["DKBM"].split("/"))]
    taken = set()

    def take():
        while cands:
            k = cands.pop()
            if k not in taken:
                taken.add(k)
                used.update(jzd_rows[k]["DKBM"].split("/"))
                return k
        raise ValueError("no free JZD left for defects")

    def lines_of(k):
        return [jzx_rows[i] for i in by_point.get(jzd_rows[k]["JZDH"], [])]

    k = take()
    p = jzd_pts[k]
    jzd_pts[k] = shapely.Point(p.x + 0.2, p.y)
    jzd_rows[k]["YZBZ"] = round(p.x + 0.2, 3)
    town.note("T16", [jzd_rows[k]["JZDH"]] + [v for r in lines_of(k) for v in (r["JZXH"], str(r["BSM"]))],
              "界址点 %s 偏离地块节点 0.2 米（相连界址线的端点也随之不符）" % jzd_rows[k]["JZDH"])
    k = take()
    line = lines_of(k)[0]
    i = jzx_rows.index(line)
    a, b = np.asarray(jzx_lines[i].geoms[0].coords)[[0, -1]]
    d = b - a
    mid = (a + b) / 2 + np.array([-d[1], d[0]]) / np.hypot(*d) * 0.5
    jzx_lines[i] = shapely.MultiLineString([[tuple(a), tuple(mid), tuple(b)]])
    town.note("T16", [line["JZXH"], str(line["BSM"])], "界址线中部偏离地块边界 0.5 米")
    for _ in range(2):
        k = take()
        dkbm = jzd_rows[k]["DKBM"].split("/")[0]
        r = town.dk[town.row_of(dkbm)]
        far = jzd_rows[(k + len(jzd_rows) // 2) % len(jzd_rows)]["JZDH"]
        names = r["KJZB"].split("/")
        r["KJZB"] = "/".join(names[:-1] + [far])
        town.note("T16", [dkbm], "空间坐标 KJZB 含有不属于本地块的界址点 %s" % far)
    k = take()
    far_plot = jzd_rows[(k + len(jzd_rows) // 2) % len(jzd_rows)]["DKBM"].split("/")[0]
    jzd_rows[k]["DKBM"] += "/" + far_plot
    town.note("T16", [jzd_rows[k]["JZDH"]], "界址点的地块代码含有远处的地块 %s" % far_plot)
    k = take()
    jzd_rows[k]["XZBZ"] = round(jzd_rows[k]["XZBZ"] + 0.5, 3)
    town.note("T16", [jzd_rows[k]["JZDH"]], "界址点 X 坐标值与点位相差 0.5 米")
    k = take()
    p = jzd_pts[k]
    jzd_pts[k] = shapely.Point(p.x + 0.0005, p.y)
    town.note("T16", [jzd_rows[k]["JZDH"]], "界址点距地块节点 0.0005 米（容差内）", lookalike=True)
    k = take()
    jzd_rows[k]["YSDM"] = "211011"
    town.note("A02", [jzd_rows[k]["JZDH"]], "界址点的要素代码写成地块的 211011")
    k = take()
    line = lines_of(k)[0]
    other = jzx_rows[(jzx_rows.index(line) + len(jzx_rows) // 2) % len(jzx_rows)]
    other["BSM"] = line["BSM"]
    town.note("A06", [str(line["BSM"])], "界址线标识码重复")
    town.note("A06", [str(jzd_rows[0]["BSM"])], "JZD 与 DK 都有 BSM %s（按图层各自唯一）"
              % jzd_rows[0]["BSM"], lookalike=True)


def finalize_keys(town):
    """Entries whose DKBM is also written in JZD/JZX rows: add the keys those rows are reported by."""
    for e in town.manifest:
        code = e.pop("_refs", None)
        if code is None:
            continue
        refs = [r["JZDH"] for r in town.jzd[0] if code in r["DKBM"].split("/")]
        refs += [v for r in town.jzx[0] if code in r["DKBM"].split("/") for v in (r["JZXH"], str(r["BSM"]))]
        if e.get("also"):
            e["also_keys"] = {rule: list(dict.fromkeys(refs)) for rule in e["also"]}
        else:
            e["keys"] = list(dict.fromkeys(e["keys"] + refs))


def _normal(town, dkbm):
    roles = town.group_roles
    return dkbm[:14] not in {town.plan.groups[g]["code"] for g in roles} and dkbm[12:14] != "00"


def _outline_segments(zj, town_geom):
    """Per group code: (length, side, line) of its longest stretch on the township outline."""
    minx, miny, maxx, maxy = town_geom.bounds
    sides = {"S": shapely.LineString([(minx, miny), (maxx, miny)]),
             "N": shapely.LineString([(minx, maxy), (maxx, maxy)]),
             "W": shapely.LineString([(minx, miny), (minx, maxy)]),
             "E": shapely.LineString([(maxx, miny), (maxx, maxy)])}
    out = {}
    for code, g in zj.items():
        best = None
        for side, line in sides.items():
            if not g.boundary.intersects(line):
                continue
            with np.errstate(invalid="ignore"):
                seg = shapely.intersection(g.boundary, line)
            if seg.is_empty:
                continue
            seg = shapely.line_merge(seg) if seg.geom_type == "MultiLineString" else seg
            for part in shapely.get_parts(seg):
                if part.geom_type == "LineString" and (best is None or part.length > best[0]):
                    best = (part.length, side, part)
        if best:
            out[code] = best
    return out


def _outward(side, line, depth, frac=(0.0, 1.0)):
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    lo, hi = frac
    if side in ("S", "N"):
        xa, xb = sorted((x0 + (x1 - x0) * lo, x0 + (x1 - x0) * hi))
        y = y0
        return shapely.box(xa, y - depth, xb, y) if side == "S" else shapely.box(xa, y, xb, y + depth)
    ya, yb = sorted((y0 + (y1 - y0) * lo, y0 + (y1 - y0) * hi))
    x = x0
    return shapely.box(x - depth, ya, x, yb) if side == "W" else shapely.box(x, ya, x + depth, yb)


def apply_regions(town):
    from .geometry import county_polygon
    reg = town.regions
    removed = set(town.removed_units)
    reg["ZJQY"] = [(r, g) for r, g in reg["ZJQY"] if r["ZJQYDM"] not in removed]
    zj = {r["ZJQYDM"]: g for r, g in reg["ZJQY"]}
    cj = {r["CJQYDM"]: g for r, g in reg["CJQY"]}
    town_geom = reg["XJQY"][0][1]
    segs = _outline_segments(zj, town_geom)
    order = sorted(segs, key=lambda c: (-round(segs[c][0], 3), c))
    forest, tab_a = order[:2], order[2] if len(order) > 2 else None
    taken = []
    for code in forest:
        length, side, line = segs[code]
        plots = sum(r["SCMJ"] or 0 for r in town.dk if r["DKBM"][:14] == code)
        depth = max(100.0, round(6.0 * plots / length, 0))
        wood = _outward(side, line, depth)
        taken.append(wood)
        zj[code] = shapely.union_all([zj[code], wood])
        cj[code[:12]] = shapely.union_all([cj[code[:12]], wood])
        town.note("M04", [code], "组级区域含 %.0f 公顷集体山林，地块面积仅占约 %.0f%%" % (
            wood.area / 1e4, 100.0 * plots / zj[code].area))
    town_geom = shapely.union_all(list(cj.values()))
    if tab_a:
        length, side, line = segs[tab_a]
        tab = _outward(side, line, 3.0, (0.5 - 15.0 / length, 0.5 + 15.0 / length))
        taken.append(tab)
        zj[tab_a] = shapely.union_all([zj[tab_a], tab])
        town.note("T15", [tab_a, tab_a[:12]], "组级区域超出所属村级区域 3 米（%.0f 平方米）" % tab.area)
    vsegs = _outline_segments(cj, town_geom)
    blocked = shapely.union_all(taken).buffer(5.0) if taken else None
    done = False
    for code in sorted(vsegs, key=lambda c: (-round(vsegs[c][0], 3), c)):
        length, side, line = vsegs[code]
        for at in (0.5, 0.2, 0.8):
            tab = _outward(side, line, 3.0, (at - 20.0 / length, at + 20.0 / length))
            if blocked is None or not tab.intersects(blocked):
                cj[code] = shapely.union_all([cj[code], tab])
                town.note("T15", [code, code[:9]], "村级区域超出乡级区域 3 米（%.0f 平方米）" % tab.area)
                done = True
                break
        if done:
            break
    _overlap(town, zj, set(forest) | ({tab_a} if tab_a else set()))
    reg["ZJQY"] = [(r, zj[r["ZJQYDM"]]) for r, _ in reg["ZJQY"]]
    reg["CJQY"] = [(r, cj[r["CJQYDM"]]) for r, _ in reg["CJQY"]]
    reg["XJQY"] = [(reg["XJQY"][0][0], town_geom)]
    reg["XJXZQ"] = [(reg["XJXZQ"][0][0], county_polygon(town_geom))]


def _overlap(town, zj, avoid):
    codes = sorted(c for c in zj if c not in avoid)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            if a[:12] != b[:12]:
                continue
            shared = shapely.line_merge(shapely.intersection(zj[a].boundary, zj[b].boundary))
            parts = [p for p in shapely.get_parts(shared) if p.geom_type == "LineString" and p.length > 40]
            if not parts:
                continue
            mid = parts[0].interpolate(0.5, normalized=True)
            square = shapely.box(mid.x - 10, mid.y - 10, mid.x + 10, mid.y + 10)
            extra = shapely.intersection(square, zj[b])
            zj[a] = shapely.union_all([zj[a], extra])
            town.note("T15", [a, b], "组级区域 %s 与 %s 重叠 %.0f 平方米" % (a, b, extra.area))
            return


def natural_lookalikes(town, polys, features):
    """Manifest entries for what the clean data already holds and a rule must not flag."""
    named = {k for e in town.manifest for k in e["keys"]}
    ok = [i for i, g in enumerate(polys) if g is not None and not g.is_empty
          and town.dk[i]["DKBM"] not in named]
    tree = shapely.STRtree(np.asarray(polys, dtype=object)[ok])
    wanted = (("机耕路", 400, 450, "T05", "4 米机耕路两侧的地块（路在 XZDW 中，不是缝隙）"),
              ("水渠", 30, 45, "T05", "0.3–0.45 米水渠（XZDW，有 KD）两侧的地块"),
              ("村道", 500, 600, "T13", "村道两侧分属两个村的地块"))
    for name, lo, hi, rule, note in wanted:
        for s in town.plan.strips:
            if s["name"] != name or not lo <= s["kd_cm"] <= hi:
                continue
            (ax, ay), (bx, by) = s["a"], s["b"]
            line = shapely.LineString([(ax / 1000.0, ay / 1000.0), (bx / 1000.0, by / 1000.0)])
            hits = [ok[j] for j in tree.query(line.buffer(s["kd_cm"] / 200.0 + 0.01)).tolist()]
            vertical = ax == bx
            c = ax / 1000.0 if vertical else ay / 1000.0
            sides = {}
            for i in sorted(hits, key=lambda i: town.dk[i]["DKBM"]):
                p = polys[i].centroid
                sides.setdefault((p.x if vertical else p.y) > c, i)
            if len(sides) == 2:
                a, b = sorted(town.dk[i]["DKBM"] for i in sides.values())
                if rule != "T13" or a[:12] != b[:12]:
                    town.note(rule, [a, b], note + "（KD %.2f 米）" % (s["kd_cm"] / 100.0), lookalike=True)
                    break
    ponds = [g for g, label, _ in features if label == "坑塘"]
    for pond in ponds[:1]:
        hits = sorted(town.dk[ok[j]]["DKBM"] for j in tree.query(pond, predicate="touches").tolist())
        if hits:
            town.note("T06", hits, "坑塘（%.0f 平方米，MZDW）四周的地块" % pond.area, lookalike=True)
