"""M01–M04: areas (spec checks.md §7 M).

M01 measured vs planar area, M02 m² vs 亩, M03 measured vs original contract per
承包方, M04 plot coverage of each group region. The arithmetic is the decimal
arithmetic of core.areas.rounding, shared with the reconciliation tables and
the adjustments, so that a recomputed or adjusted value always passes.
"""
from decimal import Decimal
from typing import Dict, Iterable, List

import shapely

from ..core import schema
from ..core.areas import data as area_data
from ..core.areas.rounding import (area_difference, area_exceeds, dec, is_num, m2_to_mu,
                                   mu_exceeds, num, pct_exceeds, percent, plain, planar)
from .finding import Finding
from .plots import load_plots, plot_points
from .registry import register

# How a record of each table is named in messages.
OBJECT_NAMES = {"DK": "地块", "CBDKXX": "承包地块信息", "CBHT": "合同", "LZHT": "流转合同",
                "MZDW": "面状地物", "JBNTBHQ": "基本农田保护区"}


def m01(ctx) -> List[Finding]:
    tol = ctx.params["AREA_TOL"]
    ps = load_plots(ctx)
    idx = ps.present()
    areas = shapely.area(ps.repaired[idx]) if len(idx) else []
    out = []
    for n, (i, area) in enumerate(zip(idx, areas)):
        if n % 5000 == 0:
            ctx.feedback.check()
        scmj = num(ps.rows[i].get("SCMJ"))
        if not is_num(scmj) or not area_exceeds(scmj, float(area), tol):
            continue   # empty or non-numeric SCMJ are A01/A17/S02 matters
        diff = area_difference(scmj, float(area))
        key = ps.keys[i]
        note = "" if ps.valid[i] else "（按修复后图形检查）"
        out.append(Finding(
            "M01", "DK", key,
            "地块 %s 实测面积 %.2f 平方米，图形面积 %.2f 平方米，相差 %.2f（容差 %s）%s"
            % (key, scmj, planar(float(area)), abs(diff), plain(tol), note),
            key_field="DKBM", unit_code=ps.fbfbm[i],
            values={"SCMJ": float(scmj), "area": round(float(area), 4), "diff": float(diff),
                    "tol": tol, "unit": "平方米"},
            geom=ps.point_of(i)))
    return out


def _layer_points(ctx, table) -> Dict[int, object]:
    """fid -> point on surface, for layers other than DK (MZDW, JBNTBHQ)."""
    def factory():
        rows, wkbs = ctx.db.read_geometries(table, ())
        geoms, _, _ = area_data.measure(wkbs)
        return {r["FID"]: (shapely.point_on_surface(shapely.make_valid(g)) if g is not None else None)
                for r, g in zip(rows, geoms)}
    return ctx.cached("points:" + table, factory)


def m02(ctx) -> List[Finding]:
    tol = ctx.params.get("M02_TOL_MU", 0.01)
    points = plot_points(ctx)
    out = []
    for table, pairs in area_data.mu_pair_tables(ctx.db):
        ctx.feedback.check()
        key_field = schema.key_field(table)
        t = schema.BY_CODE[table]
        rows = ctx.table(table)
        keys = [str(r.get(key_field) or "").strip() for r in rows]
        dup = _dups(keys)
        for r, key in zip(rows, keys):
            unit = area_data.row_unit(table, r)
            if ctx.scope is not None and (unit is None or not ctx.in_scope(unit)):
                continue
            for m2f, muf in pairs:
                m2, mu = num(r.get(m2f)), num(r.get(muf))
                if not (is_num(m2) and is_num(mu)) or not mu_exceeds(m2, mu, tol):
                    continue
                expected = m2_to_mu(m2)
                fid = r.get("FID")
                shown = key or "fid:%s" % fid
                fp = muf + ("|fid:%s" % fid if (not key or key in dup) else "")
                if table in ("DK", "CBDKXX"):
                    geom = points.get(key)
                elif t.is_layer:
                    geom = _layer_points(ctx, table).get(fid)
                else:
                    geom = None
                out.append(Finding(
                    "M02", table, shown,
                    "%s %s %s（%s）%s 亩，按 %s %.2f 平方米应为 %s 亩，相差 %s（容差 %s）"
                    % (OBJECT_NAMES.get(table, table), shown, muf, t.field(muf).name, _num_text(mu),
                       m2f, m2, expected, abs(mu - expected), plain(tol)),
                    key_field=key_field if key else "fid", unit_code=unit or "",
                    values={"field": muf, "m2_field": m2f, "m2": float(m2), "mu": float(mu),
                            "expected": float(expected), "tol": tol, "unit": "亩", "_fp": fp},
                    geom=geom))
    return out


def _dups(keys: Iterable[str]) -> set:
    seen, dup = set(), set()
    for k in keys:
        if k in seen:
            dup.add(k)
        elif k:
            seen.add(k)
    return dup


def _num_text(value: Decimal) -> str:
    return "%.2f" % value if value == value.quantize(Decimal("0.01")) else format(value, "f")


def m03(ctx) -> List[Finding]:
    pct = ctx.params["CONTRACT_DIFF_PCT"]
    dk = ctx.cached("dk_attrs", lambda: ctx.db.read("DK", area_data.PLOT_FIELDS))
    cbdkxx = ctx.table("CBDKXX")
    hh = area_data.households(ctx.table("CBF"), cbdkxx, ctx.table("CBHT"),
                              area_data.scmj_index(dk))
    # Stage awareness: silent for a 发包方 whose CBDKXX is still empty.
    started = {area_data.row_unit("CBDKXX", r) for r in cbdkxx}
    out = []
    for code in sorted(hh):
        h = hh[code]
        if not ctx.in_scope(code) or h.unit not in started:
            continue
        if h.original is None or h.original <= 0:
            continue   # no original contract: a new household, skipped (spec)
        diff = h.measured - h.original
        if not pct_exceeds(diff, h.original, pct):
            continue
        p = percent(diff, h.original)
        label = "二轮合同"
        out.append(Finding(
            "M03", "CBF", code,
            "承包方 %s %s 实测 %s 亩，%s %s 亩，相差 %s%%（阈值 %s%%）"
            % (code, h.name or "（无承包方记录）", m2_to_mu(h.measured), label,
               m2_to_mu(h.original), p, plain(pct)),
            key_field="CBFBM", unit_code=code[:14],
            values={"measured": float(h.measured), "contract": float(h.original),
                    "source": h.original_source, "pct": float(p), "threshold": pct,
                    "unit": "平方米", "plots": len(h.plots), "missing_plots": h.missing_plots}))
    return out


def m04(ctx) -> List[Finding]:
    lo, hi = dec(ctx.params["COVERAGE_MIN"]), dec(ctx.params["COVERAGE_MAX"])
    if not ctx.db.has("ZJQY") or ctx.db.count("ZJQY") == 0:
        ctx.skip("M04", "ZJQY 为空，M04 跳过")
        return []
    rows, wkbs = ctx.db.read_geometries("ZJQY", ("ZJQYDM", "ZJQYMC"))
    geoms, areas, _ = area_data.measure(wkbs)
    region: Dict[str, list] = {}
    for r, g, a in zip(rows, geoms, areas):
        code = str(r.get("ZJQYDM") or "").strip()
        if code and a and planar(a) > 0 and ctx.in_scope(code):
            e = region.setdefault(code, [0.0, str(r.get("ZJQYMC") or "").strip(), []])
            e[0] += a
            e[2].append(g)
    dk = ctx.cached("dk_attrs", lambda: ctx.db.read("DK", area_data.PLOT_FIELDS))
    sums: Dict[str, Decimal] = {}
    for r in dk:
        s = num(r.get("SCMJ"))
        code = str(r.get("DKBM") or "").strip()[:14]
        if is_num(s) and code in region:
            sums[code] = sums.get(code, Decimal(0)) + s
    out = []
    for code in sorted(region):
        area, name, parts = region[code]
        total = sums.get(code, Decimal("0.00"))
        ratio = total / planar(area)
        if lo <= ratio <= hi:
            continue
        shown = ratio.quantize(Decimal("0.01"))
        if lo <= shown <= hi:   # never print an in-range figure for an out-of-range ratio
            shown = ratio.quantize(Decimal("0.0001"))
        geom = shapely.point_on_surface(shapely.make_valid(shapely.union_all(parts)))
        out.append(Finding(
            "M04", "ZJQY", code,
            "组级区域 %s %s 地块实测面积合计 %.2f 平方米，区域面积 %.2f 平方米，覆盖率 %s"
            "（范围 %.2f–%.2f）" % (code, name, total, area, shown, lo, hi),
            key_field="ZJQYDM", unit_code=code,
            values={"ratio": float(ratio), "plots_area": float(total), "region_area": round(area, 2),
                    "min": float(lo), "max": float(hi)},
            geom=geom))
    return out


@register
class AreaRules:
    ids = ("M01", "M02", "M03", "M04")

    def run(self, ctx, wanted):
        steps = [(r, f) for r, f in (("M01", m01), ("M02", m02), ("M03", m03), ("M04", m04))
                 if r in wanted]
        for n, (rule, fn) in enumerate(steps):
            ctx.feedback.check()
            for finding in fn(ctx):
                yield finding
            ctx.feedback.progress(100.0 * (n + 1) / len(steps))
