"""A synthetic township for timing the topology rules (used until/unless the demo
generator core.demo.generate is available).

Villages are blocks of jittered grid cells separated by 5 m roads (half of them
mapped in XZDW with KD 5); interior nodes and bends on 30 % of the interior
edges are shared, in integer millimetres, so the clean plots form an exact
coverage. Groups are blocks of 10 × 10 cells. CJQY reach the road centre
lines, ZJQY are the exact unions of their cells, XJQY their union. With
`defects`, about 0.3 % of the plots are disturbed (shifted 0.3 m, shrunk 0.2 m,
duplicated) so that the rules also have something to report.
"""
import math

import numpy as np
import shapely

CELL_W, CELL_H, ROAD = 25000, 20000, 5000      # mm
COUNTY_TOWN = "370832110"
X0, Y0 = 38500000.0, 4000000.0


def _village_grid(n_plots):
    n_v = max(2, int(round(math.sqrt(n_plots / 1200.0))))
    per_v = int(math.ceil(n_plots / float(n_v)))
    nr = max(2, int(round(math.sqrt(per_v * CELL_W / float(CELL_H)))))
    nc = int(math.ceil(per_v / float(nr)))
    vx = int(math.ceil(math.sqrt(n_v)))
    return n_v, nr, nc, vx


def _cells(nr, nc, rng, ox, oy):
    """Ring coordinates (mm) of every cell of one village block, row-major."""
    gx = ox + np.tile(np.arange(nc + 1) * CELL_W, (nr + 1, 1)).astype(np.int64)
    gy = oy + np.tile((np.arange(nr + 1) * CELL_H)[:, None], (1, nc + 1)).astype(np.int64)
    gx[:, 1:-1] += np.round(rng.uniform(-0.18, 0.18, (nr + 1, nc - 1)) * CELL_W).astype(np.int64)
    gy[1:-1, :] += np.round(rng.uniform(-0.18, 0.18, (nr - 1, nc + 1)) * CELL_H).astype(np.int64)
    # shared bends on interior vertical edges (a point pushed sideways off the midpoint)
    vb = np.zeros((nr, nc + 1), dtype=bool)
    vb[:, 1:-1] = rng.random((nr, nc - 1)) < 0.3
    bx = (gx[:-1, :] + gx[1:, :]) // 2 + np.round(rng.uniform(-0.1, 0.1, (nr, nc + 1)) * CELL_W)
    by = (gy[:-1, :] + gy[1:, :]) // 2
    rings = []
    for r in range(nr):
        for c in range(nc):
            ring = [(gx[r, c], gy[r, c]), (gx[r, c + 1], gy[r, c + 1])]
            if vb[r, c + 1]:
                ring.append((bx[r, c + 1], by[r, c + 1]))
            ring += [(gx[r + 1, c + 1], gy[r + 1, c + 1]), (gx[r + 1, c], gy[r + 1, c])]
            if vb[r, c]:
                ring.append((bx[r, c], by[r, c]))
            rings.append(ring)
    return rings


def _polygons(rings):
    lens = np.array([len(r) + 1 for r in rings])
    coords = np.concatenate([np.array(r + [r[0]], dtype=np.float64) for r in rings]) / 1000.0
    coords += (X0, Y0)
    rix = np.repeat(np.arange(len(rings)), lens)
    return shapely.polygons(shapely.linearrings(coords, indices=rix))


def synthesise(n_plots, seed=1, defects=True):
    """dict(DK=(rows, geoms), CJQY=…, ZJQY=…, XJQY=…, XZDW=…) for TownshipDB.insert."""
    rng = np.random.default_rng(seed)
    n_v, nr, nc, vx = _village_grid(n_plots)
    dk_rows, dk_geoms, zj_rows, zj_geoms, cj_rows, cj_geoms = [], [], [], [], [], []
    band = 10                                   # groups of 10 × 10 cells
    made = 0
    for v in range(n_v):
        if made >= n_plots:
            break
        ox = (v % vx) * (nc * CELL_W + ROAD)
        oy = (v // vx) * (nr * CELL_H + ROAD)
        polys = _polygons(_cells(nr, nc, rng, ox, oy))
        vcode = "%s%03d" % (COUNTY_TOWN, 201 + v)
        take = min(len(polys), n_plots - made)
        col = np.arange(len(polys)) % nc
        row = np.arange(len(polys)) // nc
        group = (row // band) * (-(-nc // band)) + col // band
        for g in sorted(set(group[:take].tolist())):
            gcode = "%s%02d" % (vcode, g + 1)
            idx = np.flatnonzero(group[:take] == g)
            for seq, i in enumerate(idx.tolist()):
                dk_rows.append({"DKBM": "%s%05d" % (gcode, seq + 1), "DKLB": "10"})
                dk_geoms.append(polys[i])
            zj_rows.append({"ZJQYDM": gcode, "ZJQYMC": "%02d组" % (g + 1)})
            zj_geoms.append(shapely.coverage_union_all(polys[idx]))
        half = ROAD / 2000.0
        bx0, by0 = X0 + ox / 1000.0 - half, Y0 + oy / 1000.0 - half
        cj_rows.append({"CJQYDM": vcode, "CJQYMC": "%03d村" % (201 + v)})
        cj_geoms.append(shapely.box(bx0, by0, bx0 + nc * CELL_W / 1000.0 + 2 * half,
                                    by0 + nr * CELL_H / 1000.0 + 2 * half))
        made += take
    dk_geoms = np.array(dk_geoms, dtype=object)
    if defects:
        dk_geoms = _disturb(dk_rows, dk_geoms, rng)
    roads = _roads(cj_geoms)
    mp = lambda gs: [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in gs]  # noqa
    return {
        "DK": (dk_rows, mp(dk_geoms)),
        "ZJQY": (zj_rows, mp(zj_geoms)),
        "CJQY": (cj_rows, mp(cj_geoms)),
        "XJQY": ([{"XJQYDM": COUNTY_TOWN, "XJQYMC": "示范镇"}], mp([shapely.union_all(cj_geoms)])),
        "XZDW": roads,
    }


def _disturb(rows, geoms, rng):
    n = len(geoms)
    picks = rng.choice(n, size=max(3, n // 300), replace=False)
    for k, i in enumerate(sorted(picks.tolist())):
        g = geoms[i]
        kind = k % 3
        if kind == 0:                          # shifted 0.3 m: overlap + sliver + T12
            geoms[i] = shapely.transform(g, lambda xy: xy + (0.3, 0.0))
        elif kind == 1:                        # shrunk 0.2 m: slivers around it
            geoms[i] = g.buffer(-0.2, join_style="mitre")
        else:                                  # imported twice
            rows.append({"DKBM": rows[i]["DKBM"][:-5] + "9%04d" % k, "DKLB": "10"})
    dup = [i for k, i in enumerate(sorted(picks.tolist())) if k % 3 == 2]
    return np.concatenate([geoms, geoms[dup]]) if dup else geoms


def _roads(cj_geoms):
    """Road centre lines between neighbouring villages; every other one mapped (KD 5)."""
    rows, lines = [], []
    for a in range(len(cj_geoms)):
        for b in range(a + 1, len(cj_geoms)):
            shared = cj_geoms[a].intersection(cj_geoms[b])
            if shared.length > 1 and (a + b) % 2 == 0:
                rows.append({"DWMC": "村道", "KD": ROAD / 1000.0})
                lines.append(shapely.MultiLineString([shapely.LineString(shapely.get_coordinates(
                    shared)[[0, -1]])]))
    return rows, lines
