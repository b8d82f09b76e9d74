"""C01–C03: the township's villages and groups against the list, and the stage per unit.

The list is ctx.admin_units when the run was given one, else qq_admin_unit.
Without any list C01 and C02 are skipped with a reason; C03 needs no list.
A village-level 发包方 (CJQYDM + "00") is on the list when its village is.
"""
from collections import Counter
from typing import Dict, List

from ..core.admin_list import fbf_code, load_admin_units
from .attribute_rules.emitter import Emitter
from .attribute_rules.tables import (STAGES, OwnershipData, code_well_formed,
                                     gc_paused, malformed_indices, text, texts)
from .registry import register

_LEVEL_NOUN = {"village": "村", "group": "组"}


def admin_units(ctx) -> List[dict]:
    if ctx.admin_units is not None:
        return list(ctx.admin_units)
    return load_admin_units(ctx.db)


def _region_points(ctx) -> Dict[str, object]:
    """ZJQYDM / CJQYDM -> point on surface (the geometry of C records)."""
    def build():
        import shapely
        out = {}
        for layer, fld in (("ZJQY", "ZJQYDM"), ("CJQY", "CJQYDM")):
            if not ctx.db.has(layer):
                continue
            rows, wkbs = ctx.db.read_geometries(layer, [fld])
            for r, w in zip(rows, wkbs):
                code = text(r.get(fld))
                if not code or not w or code in out:
                    continue
                try:
                    g = shapely.from_wkb(w)
                    out[code] = None if g.is_empty else shapely.point_on_surface(
                        g if g.is_valid else shapely.make_valid(g))
                except Exception:  # noqa: BLE001 (a broken region must not stop the run)
                    continue
        return out
    return ctx.cached("region_points", build)


def _point(ctx, code):
    pts = _region_points(ctx)
    return pts.get(code) or (pts.get(code[:12]) if code.endswith("00") else None)


def _names(data, units) -> Dict[str, str]:
    """Unit code -> name from FBF, the list and the region layers."""
    out = {}
    for t, fld, name in (("CJQY", "CJQYDM", "CJQYMC"), ("ZJQY", "ZJQYDM", "ZJQYMC"),
                         ("FBF", "FBFBM", "FBFMC")):
        for r in data.rows(t):
            if text(r.get(fld)) and text(r.get(name)):
                out[text(r.get(fld))] = text(r.get(name))
    for u in units:
        if u.get("name"):
            out.setdefault(u["code"], u["name"])
            out.setdefault(fbf_code(u), u["name"])
    return out


def _counts_by_unit(data, table, fld):
    """Well-formed codes of a table counted per 14-digit unit (malformed ones are A04's)."""
    def build():
        col = texts(data.table_columns(table).col(fld)) if data.has(table) else []
        bad = set(malformed_indices(fld, col))
        return Counter(v[:14] for i, v in enumerate(col) if i not in bad)
    return data.ctx.cached("unit_counts:%s.%s" % (table, fld), build)


def c01(data, em, units, names):
    fbf_codes = {text(r.get("FBFBM")) for r in data.rows("FBF")}
    dk_units = _counts_by_unit(data, "DK", "DKBM")
    with_data = set(fbf_codes) | set(dk_units) | set(_counts_by_unit(data, "CBF", "CBFBM"))
    villages_with_data = {c[:12] for c in with_data}
    empty_villages = set()
    for u in units:
        if u["level"] != "village" or not data.in_scope(u["code"]):
            continue
        if u["code"] not in villages_with_data:
            empty_villages.add(u["code"])
            n = sum(1 for g in units if g["level"] == "group" and g["code"][:12] == u["code"])
            msg = "村 %s %s 在村组名单中（含 %d 个组），但没有任何数据（发包方、地块、承包方）" % (
                u["code"], u.get("name") or names.get(u["code"], ""), n)
            _emit(data, em, "C01", "CJQY", u["code"], msg, u["code"],
                  {"level": "village", "groups": n}, names)
    for u in units:
        if not u.get("is_fbf"):
            continue
        code = fbf_code(u)
        if not data.in_scope(code) or code[:12] in empty_villages:
            continue   # reported once, as its village
        missing = []
        if code not in fbf_codes:
            missing.append("发包方记录（FBF）")
        if code not in dk_units:
            missing.append("地块")
        if not missing:
            continue
        label = "%s %s %s" % (_LEVEL_NOUN[u["level"]] if u["level"] == "group" else "村级发包方",
                              code, u.get("name") or names.get(code, ""))
        msg = "%s 在村组名单中，但没有%s" % (label.strip(), "和".join(missing))
        _emit(data, em, "C01", "FBF", code, msg, code, {"missing": missing}, names)


def c02(data, em, units, names):
    groups = {u["code"] for u in units if u["level"] == "group"}
    villages = {u["code"] for u in units if u["level"] == "village"}
    known14 = groups | {v + "00" for v in villages}
    sources = (("FBF", "FBFBM", "发包方记录", "条"), ("DK", "DKBM", "地块", "个"),
               ("CBF", "CBFBM", "承包方", "个"), ("ZJQY", "ZJQYDM", "组级区域", "个"))
    unknown: Dict[str, Dict[str, int]] = {}
    for table, fld, _noun, _unit in sources:
        for code, n in _counts_by_unit(data, table, fld).items():
            if code not in known14:
                unknown.setdefault(code, {})[table] = n
    for r in data.rows("CJQY"):
        v = text(r.get("CJQYDM"))
        if code_well_formed("CJQYDM", v) and v not in villages:
            unknown.setdefault(v, {})["CJQY"] = unknown.get(v, {}).get("CJQY", 0) + 1
    nouns = {t: (noun, unit) for t, _f, noun, unit in sources}
    nouns["CJQY"] = ("村级区域", "个")
    for code, counts in sorted(unknown.items()):
        if not data.in_scope(code):
            continue
        parts = ["%s %d %s" % (nouns[t][0], n, nouns[t][1]) for t, n in sorted(counts.items())]
        why = "所属村 %s 不在名单中" % code[:12] if code[:12] not in villages else "名单中没有该组"
        msg = "编码 %s%s 不在村组名单中（%s）：%s" % (
            code, " " + names[code] if names.get(code) else "", why, "、".join(parts))
        _emit(data, em, "C02", "CJQY" if len(code) == 12 else "FBF", code, msg, code,
              {"counts": counts}, names)


def c03(data, em, names):
    kinds = data.table_columns("DK").col("DKLB") if data.has("DK") else []
    contracted = Counter(u for k, u in zip(kinds, data.units("DK") if kinds else [])
                         if k == "10" or (k is not None and text(k) == "10"))
    for unit, n in sorted(contracted.items()):
        if not code_well_formed("FBFBM", unit) or not data.in_scope(unit):
            continue
        for table, noun in STAGES:
            if not data.reached(table, unit):
                msg = "%s %s 有 %d 个承包地块，尚无%s" % (unit, names.get(unit, ""), n, noun)
                _emit(data, em, "C03", "FBF", unit, msg.replace("  ", " "), unit,
                      {"plots": n, "stage": table}, names, relevant={"stage": table})
                break


def _emit(data, em, rule, layer, key, msg, unit, values, names, relevant=None):
    values = dict(values)
    if names.get(key):
        values["name"] = names[key]
    f = data.finding(rule, layer, {}, msg, unit, key=key, key_field="单位代码",
                     values=values, relevant=relevant if relevant is not None else values)
    f.geom = _point(data.ctx, key)
    em.add(f)


@register
class CompletenessRules:
    ids = ("C01", "C02", "C03")

    def run(self, ctx, wanted):
        if ctx.db is None:
            return []
        with gc_paused():
            return self._run(ctx, wanted)

    @staticmethod
    def _run(ctx, wanted):
        data = OwnershipData.of(ctx)
        em = Emitter(ctx)
        units = admin_units(ctx)
        names = _names(data, units)
        if "C01" in wanted or "C02" in wanted:
            if not units:
                for r in ("C01", "C02"):
                    if r in wanted:
                        ctx.skip(r, "未提供村组名单（qq_admin_unit 为空），%s 跳过" % r)
            else:
                if "C01" in wanted:
                    c01(data, em, units, names)
                if "C02" in wanted:
                    c02(data, em, units, names)
        ctx.feedback.progress(60)
        if "C03" in wanted:
            c03(data, em, names)
        return em.finish()
