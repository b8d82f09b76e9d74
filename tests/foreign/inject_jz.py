"""界址点 / 界址线 defects (T16) on the JZD, JZX and KJZB built from the final plots."""
import math

from shapely.geometry import Point

from .inject_shapes import _pair_cand
from .rings import left_normal, lerp, length, move
from .writer import X0, Y0


def inject(inj, n, jzd, jzx):
    T16(inj, jzd, jzx).run(n)


class T16:
    def __init__(self, inj, jzd, jzx):
        self.inj, self.jzd, self.jzx = inj, jzd, jzx
        self.next_no = max(int(r["JZDH"][1:]) for r in jzd) + 1
        self.of_plot = {}
        for r in jzd:
            for code in r["DKBM"].split("/"):
                self.of_plot.setdefault(code, []).append(r)
        self.lines_of = {}
        for r in jzx:
            for code in r["DKBM"].split("/"):
                self.lines_of.setdefault(code, []).append(r)

    def site(self, village):
        """A single plot (its cell and neighbours reserved) with its JZD and JZX."""
        inj = self.inj

        def cand(c):
            k = inj.single(c)
            if k is None or not self.of_plot.get(inj.plot(k).dkbm):
                return None
            return [c], k
        p = inj.plot(inj.find(cand, village))
        return p, self.of_plot[p.dkbm], self.lines_of[p.dkbm]

    def far_plot(self, pt):
        for p in self.inj.tw.plots:
            g = p.polygon() if p.kind == "normal" else None
            if g is not None and g.distance(Point(pt)) > 10 and p.dkbm in self.of_plot:
                return p
        raise RuntimeError("no far plot")

    def run(self, n):
        inj = self.inj
        for inst in range(n):            # (a) a point 0.2 m from the nearest vertex
            ka, kb, a, b = inj.find(_pair_cand(inj, "v", 20), inst % 3)
            pt = lerp(a, b, 0.2 / length(a, b))
            jzdh = "J%d" % self.next_no
            self.next_no += 1
            codes = sorted([inj.plot(ka).dkbm, inj.plot(kb).dkbm])
            self.jzd.append({"pt": pt, "JZDH": jzdh, "DKBM": "/".join(codes), "XZBZ": round(Y0 + pt[1], 3),
                             "YZBZ": round(X0 + pt[0], 3), "JZDLX": "1", "JBLX": "6"})
            inj.expect("T16", jzdh, codes, what="(a) JZD 0.2 m from the nearest plot vertex, on the edge")
        for inst in range(n):            # (c) KJZB naming a JZDH the plot has no JZD for
            p, pts, _ = self.site(inst % 3)
            names = p.attrs["KJZB"].split("/")
            if inst % 3 == 0:
                names.append("J%d" % (self.next_no + 5000))
                what = "(c) KJZB ends with a JZDH that does not exist"
            else:
                other = self.far_plot(pts[0]["pt"])
                far = self.of_plot[other.dkbm][0]["JZDH"]
                names[-1 if inst % 3 == 1 else len(names):] = [far]
                what = "(c) KJZB names %s, a JZD of plot %s" % (far, other.dkbm)
            p.attrs["KJZB"] = "/".join(names)
            inj.expect("T16", p.dkbm, what=what)
        for inst in range(n):            # (d) JZD.DKBM naming a plot far away
            p, pts, _ = self.site(inst % 3)
            r = pts[0]
            other = self.far_plot(r["pt"])
            r["DKBM"] = r["DKBM"] + "/" + other.dkbm
            inj.expect("T16", r["JZDH"], [other.dkbm], what="(d) JZD.DKBM names a plot > 10 m away")
        for inst in range(n):            # (b) a JZX leaving the plot boundary by 0.3 m
            p, _, lines = self.site(inst % 3)
            r = max(lines, key=lambda r: length(r["line"][0], r["line"][1]))
            a, b = r["line"][0], r["line"][1]
            r["line"] = [a, move(lerp(a, b, 0.5), left_normal(a, b), 0.3)] + r["line"][1:]
            inj.expect("T16", r["JZXH"], what="(b) JZX vertex 0.3 m off the boundary of %s" % r["DKBM"])
        for inst in range(n):            # (e) attribute coordinates or end points wrong
            p, pts, lines = self.site(inst % 3)
            if inst % 3 == 0:
                pts[0]["XZBZ"] = round(pts[0]["XZBZ"] + 0.5, 3)
                inj.expect("T16", pts[0]["JZDH"], what="(e) XZBZ 0.5 m off the point")
            elif inst % 3 == 1:
                r = pts[0]
                r["XZBZ"], r["YZBZ"] = r["YZBZ"], r["XZBZ"]
                inj.expect("T16", r["JZDH"], what="(e) XZBZ and YZBZ swapped (GIS x/y order)")
            else:
                lines[0]["QJZDH"] = "J%d" % (self.next_no + 6000)
                inj.expect("T16", lines[0]["JZXH"], what="(e) JZX.QJZDH names a point that does not exist")
        p, pts, _ = self.site(1)         # look-alikes
        r = pts[0]
        r["pt"] = (round(r["pt"][0] + 0.0003, 4), round(r["pt"][1] + 0.0004, 4))
        inj.lookalike("T16", r["JZDH"], what="JZD 0.0005 m from the vertex (XZBZ/YZBZ kept)")
        ring = p.parts[0][0]
        owned = {r["pt"] for r in pts}
        if any(v not in owned for v in ring):
            inj.lookalike("T16", p.dkbm, what="plot vertices without JZD (wiggles)")
        assert math.isfinite(self.next_no)
