"""界址点 (JZD), 界址线 (JZX) and KJZB built from the final plots, per codes.md §4.

A plot vertex is a 界址点 where the boundary turns by more than TURN_DEG, or where the
plots on the two boundary pieces meeting there differ (a neighbour begins or ends),
or where three or more plots meet. Plots are taken in ascending DKBM, each ring walked
clockwise from its point nearest the north-west corner of the bounding box; a point
not numbered yet gets the next number. A JZX is the boundary piece between two
consecutive 界址点 of a ring, stored once with DKBM "A/B" when two plots share it.
"""
import math
from typing import Dict, List

TURN_DEG = 12.0


def _turn(a, b, c):
    """Absolute change of direction at b, degrees."""
    h1 = math.atan2(b[1] - a[1], b[0] - a[0])
    h2 = math.atan2(c[1] - b[1], c[0] - b[0])
    d = abs(math.degrees(h2 - h1)) % 360
    return min(d, 360 - d)


def _rings(plot):
    for part in plot.parts:
        for ring in part:
            yield ring


def _clockwise(ring, is_shell):
    """The model keeps shells CCW and holes CW; every ring is walked clockwise."""
    return list(reversed(ring)) if is_shell else list(ring)


def build_boundary(plots, x0: float, y0: float):
    """Returns (jzd rows, jzx rows) and sets plot.attrs['KJZB']. Rows hold local geometry."""
    use = [p for p in plots if p.kind == "normal" and not p.attrs.get("no_jzd")]
    use.sort(key=lambda p: p.dkbm)
    owners: Dict[tuple, set] = {}
    seg_owners: Dict[tuple, set] = {}
    for p in use:
        for ring in _rings(p):
            for a, b in zip(ring, ring[1:] + ring[:1]):
                owners.setdefault(a, set()).add(p.dkbm)
                seg_owners.setdefault((min(a, b), max(a, b)), set()).add(p.dkbm)
    corner = set()
    for p in use:
        for ring in _rings(p):
            n = len(ring)
            for k in range(n):
                a, b, c = ring[k - 1], ring[k], ring[(k + 1) % n]
                s1 = seg_owners[(min(a, b), max(a, b))]
                s2 = seg_owners[(min(b, c), max(b, c))]
                if s1 != s2 or len(owners[b]) >= 3 or _turn(a, b, c) > TURN_DEG:
                    corner.add(b)
    number: Dict[tuple, str] = {}
    jzd, jzx = [], []
    pieces = {}
    for p in use:
        names = []
        for pi, part in enumerate(p.parts):
            for ri, ring in enumerate(part):
                cw = _clockwise(ring, ri == 0)
                marks = [k for k, v in enumerate(cw) if v in corner]
                if not marks:
                    marks = [0]
                    corner.add(cw[0])
                minx = min(v[0] for v in cw)
                maxy = max(v[1] for v in cw)
                start = min(marks, key=lambda k: ((cw[k][0] - minx) ** 2 + (cw[k][1] - maxy) ** 2, k))
                cw = cw[start:] + cw[:start]
                marks = [k for k, v in enumerate(cw) if v in corner]
                for k in marks:
                    v = cw[k]
                    if v not in number:
                        number[v] = "J%d" % (len(number) + 1)
                        jzd.append({"pt": v, "JZDH": number[v],
                                    "DKBM": "/".join(sorted(owners[v])),
                                    "XZBZ": round(y0 + v[1], 3), "YZBZ": round(x0 + v[0], 3),
                                    "JZDLX": "1", "JBLX": "6"})
                    names.append(number[v])
                closed = cw + [cw[0]]
                bounds = marks + [len(cw)]
                for s, e in zip(bounds, bounds[1:]):
                    piece = tuple(closed[s:e + 1])
                    key = min(piece, piece[::-1])
                    if key in pieces:
                        pieces[key]["plots"].append(p.dkbm)
                        continue
                    pieces[key] = {"line": list(piece), "plots": [p.dkbm],
                                   "QJZDH": number[piece[0]], "ZJZDH": number[piece[-1]]}
        p.attrs["KJZB"] = "/".join(names)
    for k, piece in enumerate(pieces.values(), 1):
        line = piece["line"]
        length = sum(math.dist(a, b) for a, b in zip(line, line[1:]))
        jzx.append({"line": line, "JZXH": str(k), "DKBM": "/".join(piece["plots"]),
                    "QJZDH": piece["QJZDH"], "ZJZDH": piece["ZJZDH"], "JZXSM": "%.2f" % length,
                    "JZXWZ": "2", "JZXLB": "01" if len(piece["plots"]) > 1 else "03",
                    "JXXZ": "600001", "PLDWQLR": "", "PLDWZJR": ""})
    return jzd, jzx


def jzd_owner_map(jzd: List[dict]) -> Dict[str, dict]:
    return {r["JZDH"]: r for r in jzd}
