"""A01 mandatory values, A02 code lists, A03 lengths, A17 numeric domains (checks.md §7 A)."""
import math

from ...core import codelists, schema
from ...core.codes import is_empty
from .columns import profile
from .tables import text

# A01: conditional (C) fields whose condition can be decided from the data.
# Undecidable conditions (X80/Y80, FBFDCJS, CBFDCJS, GSJS, YCBHTBM) are not checked;
# 四至 is A13 and ID numbers are A08 (precedence §6).
_COND_DK = {"ZJRXM": "承包地块（DKLB 10）必填"}
_COND_CBDKXX = ("YHTMJ", "YHTMJM")
_COND_CBHT = ("YHTZMJ", "YHTZMJM")
_COND_CBJYQZ = ("QZLQRQ", "QZLQRXM", "QZLQRZJLX")
_ID_FIELDS = {(t, f) for (t, f) in schema.ID_FIELDS}

# A17: numeric 值域 of the standard (> 0 unless stated).
_POSITIVE = {
    "DK": ("SCMJ", "SCMJM"), "CBDKXX": ("HTMJ", "YHTMJ"), "CBHT": ("HTZMJ", "CBDKZS"),
    "CBF": ("CBFCYSL",), "JZD": ("XZBZ", "YZBZ"), "XZDW": ("CD", "KD"), "MZDW": ("MJ", "MJM"),
}
_NON_NEGATIVE = {"KZD": ("X2000", "Y2000", "X80", "Y80")}
_ANGLE = {"ZJ": ("ZJFX",)}   # [0, 2π) radians

# YSDM of annotation points (ZJ holds the annotated class's code, schema.md §3).
ZJ_YSDM = frozenset(["112000", "161052", "196012", "196022", "196032", "211012", "211022", "211032"])


def _tables(data):
    return [t for t in schema.ALL if data.has(t.code)]


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def a01(data, em):
    for t in _tables(data):
        cols = data.columns(t.code)
        tc = data.table_columns(t.code)
        mandatory = [f.code for f in t.fields
                     if f.con == "M" and f.code in cols and (t.code, f.code) not in _ID_FIELDS]
        for fld in mandatory:
            if not profile(data, t.code, fld).may_be_empty:
                continue
            for _i, row, unit in tc.pick([i for i, v in enumerate(tc.col(fld)) if _empty(v)]):
                _a01(data, em, t.code, row, unit, fld, "")
        for fields, why, holds in _conditional(data, t.code, cols):
            for fld in fields:
                if not profile(data, t.code, fld).may_be_empty:
                    continue
                for _i, row, unit in tc.pick([i for i, v in enumerate(tc.col(fld)) if _empty(v)]):
                    if holds(row):
                        _a01(data, em, t.code, row, unit, fld, why)


def _conditional(data, table, cols):
    """(fields, reason, condition on the row) of the C fields whose condition is decidable."""
    if table == "DK" and "ZJRXM" in cols:
        yield ("ZJRXM",), _COND_DK["ZJRXM"], lambda r: text(r.get("DKLB")) == "10"
    elif table == "CBDKXX":
        with_original = {code for code, rows in data.index("CBHT", "CBHTBM").items()
                         if not is_empty(rows[0].get("YCBHTBM"))}
        yield [f for f in _COND_CBDKXX if f in cols], \
            "所属合同有原承包合同代码（YCBHTBM），原合同面积必填", \
            lambda r: text(r.get("CBHTBM")) in with_original
    elif table == "CBHT":
        yield [f for f in _COND_CBHT if f in cols], "有原承包合同代码（YCBHTBM），原合同总面积必填", \
            lambda r: not is_empty(r.get("YCBHTBM"))
    elif table == "CBJYQZ":
        yield [f for f in _COND_CBJYQZ if f in cols], "权证已领取（QZSFLQ 1）必填", \
            lambda r: text(r.get("QZSFLQ")) == "1"


def _a01(data, em, table, row, unit, fld, why):
    msg = "%s 的必填字段 %s为空" % (data.describe(table, row), data.field_label(table, fld))
    if why:
        msg += "（%s）" % why
    f = data.finding("A01", table, row, msg, unit, fld=fld,
                     relevant={"field": fld, "key": data.key_of(table, row)})
    em.add(f, plot=_plot_of(table, row))


def _plot_of(table, row):
    return text(row.get("DKBM")) if table in ("DK", "CBDKXX") else ""


def _allowed(domain, fld, row):
    if domain == "C.1G":
        grades = codelists.KZD_GRADES.get(text(row.get("KZDLX")))
        return set(grades) if grades else set(codelists.CODE_LISTS["C.1G"])
    return codelists.CODE_LISTS.get(domain)


def a02(data, em):
    for t in _tables(data):
        cols = data.columns(t.code)
        coded = [f for f in t.fields if f.domain and f.code in cols]
        tc = data.table_columns(t.code)
        for f in coded:
            fixed = None if f.domain == "C.1G" else codelists.CODE_LISTS.get(f.domain)
            if f.domain != "C.1G" and fixed is None:
                continue
            # a value found as is in its list (nearly all) needs no further look
            if fixed is not None:
                outside = profile(data, t.code, f.code, coded=True).distinct - set(fixed) - {None}
                if not outside:
                    continue
                suspects = [i for i, v in enumerate(tc.col(f.code)) if v in outside]
            else:
                suspects = [i for i, v in enumerate(tc.col(f.code)) if v is not None]
            for i, row, unit in tc.pick(suspects):
                v = text(row.get(f.code))
                if not v:
                    continue
                allowed = fixed if fixed is not None else _allowed(f.domain, f.code, row)
                if v in allowed:
                    continue
                hint = ""
                if len(allowed) <= 12:
                    hint = "（应为 %s 之一）" % "、".join(sorted(allowed))
                msg = "%s 的字段 %s值 %s 不在代码表 %s 中%s" % (
                    data.describe(t.code, row), data.field_label(t.code, f.code), v,
                    f.domain if f.domain != "C.1G" else "C.1（控制点等级）", hint)
                em.add(data.finding("A02", t.code, row, msg, unit, fld=f.code,
                                    values={"value": v, "domain": f.domain},
                                    relevant={f.code: v, "KZDLX": row.get("KZDLX")}),
                       plot=_plot_of(t.code, row))
        if t.is_layer and "YSDM" in cols:
            expected = ZJ_YSDM if t.code == "ZJ" else {t.ysdm}
            outside = profile(data, t.code, "YSDM", coded=True).distinct - expected - {None}
            if not outside:
                continue
            col = tc.col("YSDM")
            for _i, row, unit in tc.pick([i for i, v in enumerate(col) if v in outside]):
                v = text(row.get("YSDM"))
                ok = (v in ZJ_YSDM) if t.code == "ZJ" else v == t.ysdm
                if v and not ok:
                    msg = "%s 的要素代码 YSDM 为 %s，%s图层应为 %s" % (
                        data.describe(t.code, row), v, t.name,
                        t.ysdm if t.code != "ZJ" else "注记类代码（如 211012）")
                    em.add(data.finding("A02", t.code, row, msg, unit, fld="YSDM",
                                        values={"value": v, "expected": t.ysdm},
                                        relevant={"YSDM": v}), plot=_plot_of(t.code, row))


def _int_digits(value) -> int:
    """Integer digits of a finite number (0.5 -> 1, 12345.6 -> 5)."""
    return len(str(int(abs(value)))) if math.isfinite(value) else 999


def a03(data, em):
    for t in _tables(data):
        cols = data.columns(t.code)
        tc = data.table_columns(t.code)
        for f in t.fields:
            if f.code not in cols or f.kind == schema.DATE:
                continue
            if f.kind == schema.CHAR:
                limit = f.length
                prof = profile(data, t.code, f.code)
                if prof.max_length <= limit and not prof.other:
                    continue
                col = tc.col(f.code)
                for i, row, unit in tc.pick([i for i, v in enumerate(col) if v is not None and (
                        len(v) > limit if v.__class__ is str else len(text(v)) > limit)]):
                    v = col[i]
                    n = len(v) if isinstance(v, str) else len(text(v))
                    if n > limit:
                        msg = "%s 的字段 %s长度 %d 个字符，超过标准长度 %d" % (
                            data.describe(t.code, row), data.field_label(t.code, f.code), n, limit)
                        em.add(data.finding("A03", t.code, row, msg, unit, fld=f.code,
                                            values={"length": n, "limit": limit},
                                            relevant={f.code: v}), plot=_plot_of(t.code, row))
                continue
            width, dec = f.length, f.decimals
            if f.code in schema.COORDINATE_FIELDS:
                width, dec = 12, 3   # a zone-prefixed easting has 8 integer digits
            limit = width if f.kind == schema.INT else width - dec
            bound = 10 ** limit
            prof = profile(data, t.code, f.code)
            if prof.numbers_ok and (not prof.other or -bound < prof.num_min and prof.num_max < bound):
                continue
            col = tc.col(f.code)
            numeric = (int, float)
            # |v| < 10**limit has at most `limit` integer digits (NaN fails the test too)
            for i, row, unit in tc.pick([i for i, v in enumerate(col)
                                         if v.__class__ in numeric and not -bound < v < bound]):
                v = col[i]
                n = _int_digits(v)
                if n > limit:
                    typ = ("Int(%d)" % width if f.kind == schema.INT
                           else "Float(%d,%d)" % (width, dec))
                    msg = "%s 的字段 %s值 %s 整数部分 %d 位，超过 %s 允许的 %d 位" % (
                        data.describe(t.code, row), data.field_label(t.code, f.code),
                        _fmt(v), n, typ, limit)
                    em.add(data.finding("A03", t.code, row, msg, unit, fld=f.code,
                                        values={"value": v, "digits": n, "limit": limit},
                                        relevant={f.code: v}), plot=_plot_of(t.code, row))


def _fmt(v) -> str:
    if isinstance(v, float):
        return ("%.6f" % v).rstrip("0").rstrip(".")
    return str(v)


def _number(v):
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return "bad"


def a17(data, em):
    checks = [(tbl, fld, "> 0") for tbl, flds in _POSITIVE.items() for fld in flds]
    checks += [(tbl, fld, "≥ 0") for tbl, flds in _NON_NEGATIVE.items() for fld in flds]
    checks += [(tbl, fld, "[0, 2π)") for tbl, flds in _ANGLE.items() for fld in flds]
    checks += [(t.code, "BSM", "> 0") for t in schema.LAYERS]
    for tbl, fld, rule in checks:
        if not data.has(tbl) or fld not in data.columns(tbl):
            continue
        tc = data.table_columns(tbl)
        prof = profile(data, tbl, fld)
        if rule == "> 0" and prof.numbers_ok and not prof.texts and (
                not prof.other or prof.num_min > 0):
            continue
        col = tc.col(fld)
        numeric = (int, float)
        # fast pass for the common "> 0" fields: a positive number needs no further look
        suspects = [i for i, v in enumerate(col) if v is not None and (
            rule != "> 0" or v.__class__ not in numeric or not v > 0)]
        for i, row, unit in tc.pick(suspects):
            raw = col[i]
            v = _number(raw)
            if v is None:
                continue
            if v == "bad":
                why = "不是数值"
            elif rule == "> 0" and not v > 0:
                why = "应大于 0"
            elif rule == "≥ 0" and not v >= 0:
                why = "应不小于 0"
            elif rule == "[0, 2π)" and not 0 <= v < 2 * math.pi:
                why = "应在 [0, 2π) 弧度范围内"
            else:
                continue
            msg = "%s 的字段 %s值 %s 超出值域（%s）" % (
                data.describe(tbl, row), data.field_label(tbl, fld),
                _fmt(raw) if not isinstance(raw, str) else raw, why)
            em.add(data.finding("A17", tbl, row, msg, unit, fld=fld,
                                values={"value": raw, "domain": rule},
                                relevant={fld: raw}), plot=_plot_of(tbl, row))

