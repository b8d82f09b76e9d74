"""X01–X05: references and agreement between the ownership tables (checks.md §7 X).

Stage awareness (§1): a reference into a table that has no rows yet for the
referenced 发包方 unit stays silent (the register of a group not built yet is
not "missing"); C03 reports the stage. Codes failing A04 are skipped (§6).
A certificate without register is X05, not X01.
"""
import time
from decimal import Decimal

from ..core.codes import to_decimal
from .attribute_rules.emitter import Emitter
from .attribute_rules.tables import (OwnershipData, code_well_formed, gc_paused,
                                     parse_date, text, texts)
from .registry import register

# (referencing table, field, referenced table, referenced field, stage-aware)
REFERENCES = (
    ("CBDKXX", "DKBM", "DK", "DKBM", True),
    ("CBDKXX", "CBFBM", "CBF", "CBFBM", True),
    ("CBHT", "CBFBM", "CBF", "CBFBM", True),
    ("CBJYQZDJB", "CBFBM", "CBF", "CBFBM", True),
    ("CBF_JTCY", "CBFBM", "CBF", "CBFBM", True),
    ("CBDKXX", "CBHTBM", "CBHT", "CBHTBM", True),
    ("LZHT", "CBHTBM", "CBHT", "CBHTBM", True),
    ("CBDKXX", "CBJYQZBM", "CBJYQZDJB", "CBJYQZBM", True),
    ("QSLYZLFJ", "CBJYQZBM", "CBJYQZDJB", "CBJYQZBM", True),
    ("CBJYQZDJB", "CBJYQZBM", "CBHT", "CBHTBM", True),
    # A 发包方 is its own unit: "FBF empty for the unit" would silence every case.
    ("CBDKXX", "FBFBM", "FBF", "FBFBM", False),
    ("CBHT", "FBFBM", "FBF", "FBFBM", False),
    ("CBJYQZDJB", "FBFBM", "FBF", "FBFBM", False),
    ("CBJYQZ_QZBF", "CBJYQZBM", "CBJYQZ", "CBJYQZBM", True),
    ("CBJYQZ_QZHF", "CBJYQZBM", "CBJYQZ", "CBJYQZBM", True),
    ("CBJYQZ_QZZX", "CBJYQZBM", "CBJYQZ", "CBJYQZBM", True),
)
_TARGET_NOUN = {"DK": "地块图层", "CBF": "承包方表", "CBHT": "承包合同表",
                "CBJYQZDJB": "登记簿表", "FBF": "发包方表", "CBJYQZ": "权证表"}


def _values(data, table, fld):
    return data.ctx.cached("values:%s.%s" % (table, fld), lambda: set(
        texts(data.table_columns(table).col(fld))) - {""} if data.has(table) else set())


def x01(data, em):
    for src, fld, dst, dst_fld, staged in REFERENCES:
        if not data.has(src) or fld not in data.columns(src):
            continue
        targets = _values(data, dst, dst_fld)
        # a register missing behind an existing certificate is X05 (c) only (§6)
        reported_as_x05 = _values(data, "CBJYQZ", "CBJYQZBM") if dst == "CBJYQZDJB" else ()
        members_by_code = {}
        tc = data.table_columns(src)
        col = texts(tc.col(fld))
        unresolved = [i for i, v in enumerate(col)
                      if v and v not in targets and v not in reported_as_x05]
        for i, row, unit in tc.pick(unresolved):
            v = col[i]
            if not code_well_formed(fld, v):
                continue   # malformed: A04
            if staged and not data.reached(dst, v[:14]):
                continue   # the referenced table is not built yet for that unit
            if src == "CBF_JTCY":
                members_by_code.setdefault(v, []).append((row, unit))
                continue
            msg = "%s 的 %s %s 在%s中不存在" % (data.describe(src, row), fld, v, _TARGET_NOUN[dst])
            em.add(data.finding("X01", src, row, msg, unit, related=(v,), related_field=fld,
                                values={"_fp": "%s>%s" % (fld, dst), "missing": v,
                                        "target": dst},
                                relevant={fld: v}),
                   plot=text(row.get("DKBM")) if src == "CBDKXX" else "")
        for v, rows in sorted(members_by_code.items()):
            names = sorted(text(r.get("CYXM")) for r, _ in rows)
            msg = "家庭成员表中 %d 名成员（%s）的承包方代码 %s 在承包方表中不存在" % (
                len(rows), "、".join(n or "（姓名空）" for n in names), v)
            em.add(data.finding("X01", "CBF_JTCY", rows[0][0], msg, rows[0][1], key=v,
                                key_field="CBFBM", related=(v,), related_field="CBFBM",
                                values={"_fp": "CBFBM>CBF", "missing": v, "members": names},
                                relevant={"CBFBM": v, "members": names}))


def x02(data, em):
    assigned = _values(data, "CBDKXX", "DKBM")
    tc = data.table_columns("DK")
    codes, kinds, units = texts(tc.col("DKBM")), tc.col("DKLB"), data.units("DK")
    reached = data.stage_units("CBDKXX")
    alone = [i for i, (c, k, u) in enumerate(zip(codes, kinds, units))
             if c and c not in assigned and u in reached and text(k) == "10"]
    for i, row, unit in tc.pick(alone):
        dkbm = codes[i]
        name = text(row.get("DKMC"))
        msg = "承包地块 %s%s没有承包地块信息（CBDKXX），未落实承包方" % (
            dkbm, "（%s）" % name if name else " ")
        em.add(data.finding("X02", "DK", row, msg, unit, relevant={"DKBM": dkbm, "DKLB": "10"}),
               plot=dkbm)


def x03(data, em):
    with_plots = _values(data, "CBDKXX", "CBFBM")
    for row, unit in data.scoped("CBF"):
        cbfbm = text(row.get("CBFBM"))
        if not cbfbm or cbfbm in with_plots or not data.reached("CBDKXX", unit):
            continue
        msg = "承包方 %s %s 没有承包地块（承包地块信息表中无记录）" % (cbfbm, text(row.get("CBFMC")))
        em.add(data.finding("X03", "CBF", row, msg, unit, relevant={"CBFBM": cbfbm}))


def x04(data, em):
    tol = Decimal(str(data.ctx.params.get("X04_TOL_M2", 0.01)))
    by_contract = data.index("CBDKXX", "CBHTBM")
    for row, unit in data.scoped("CBHT"):
        code = text(row.get("CBHTBM"))
        if not code or not data.reached("CBDKXX", unit):
            continue
        plots = by_contract.get(code, [])
        problems, values = [], {}
        total = to_decimal(row.get("HTZMJ"))
        if total is not None:
            areas = [to_decimal(p.get("HTMJ")) for p in plots]
            s = sum((a for a in areas if a is not None), Decimal(0))
            diff = abs(total - s)
            if diff > tol:
                problems.append("总面积 %.2f 平方米，地块面积合计 %.2f 平方米，相差 %.2f（容差 %s）"
                                % (total, s, diff, tol))
                values.update(HTZMJ=float(total), sum_HTMJ=float(s), diff=float(diff))
        n = row.get("CBDKZS")
        try:
            n = int(n) if n is not None and str(n).strip() else None
        except ValueError:
            n = None
        if n is not None and n != len(plots):
            problems.append("承包地块总数 CBDKZS 为 %d，实际 %d 个地块" % (n, len(plots)))
            values.update(CBDKZS=n, rows=len(plots))
        if problems:
            msg = "合同 %s %s" % (code, "；".join(problems))
            em.add(data.finding("X04", "CBHT", row, msg, unit, values=values,
                                relevant={"HTZMJ": row.get("HTZMJ"), "CBDKZS": n,
                                          "plots": sorted((text(p.get("DKBM")), p.get("HTMJ"))
                                                          for p in plots)}))


def x05(data, em):
    contracts = data.index("CBHT", "CBHTBM")
    registers = data.index("CBJYQZDJB", "CBJYQZBM")
    for row, unit in data.scoped("CBDKXX"):
        ht = contracts.get(text(row.get("CBHTBM")))
        a, b = text(row.get("CBJYQQDFS")), text(ht[0].get("CBFS")) if ht else ""
        if ht and a and b and a != b:
            msg = "承包地块信息 %s 的承包经营权取得方式 CBJYQQDFS %s 与合同 %s 的承包方式 CBFS %s 不一致" % (
                text(row.get("DKBM")), a, text(row.get("CBHTBM")), b)
            em.add(data.finding("X05", "CBDKXX", row, msg, unit, related=(text(row.get("CBHTBM")),),
                                related_field="CBHTBM", values={"_fp": "a"},
                                relevant={"CBJYQQDFS": a, "CBFS": b}),
                   plot=text(row.get("DKBM")))
    for row, unit in data.scoped("CBHT"):
        code = text(row.get("CBHTBM"))
        djb = registers.get(code)
        if not djb:
            continue
        a, b = text(row.get("CBQXQ")), text(djb[0].get("CBQXQ"))
        if not a or not b or (parse_date(a) or a) == (parse_date(b) or b):
            continue
        msg = "合同 %s 的承包期限起 CBQXQ %s 与登记簿的 CBQXQ %s 不一致" % (code, a, b)
        em.add(data.finding("X05", "CBHT", row, msg, unit, values={"_fp": "b"},
                            relevant={"CBHT.CBQXQ": a, "CBJYQZDJB.CBQXQ": b}))
    for row, unit in data.scoped("CBJYQZ"):
        code = text(row.get("CBJYQZBM"))
        if not code or code in registers:
            continue
        msg = "权证 %s 没有对应的登记簿记录（CBJYQZDJB）" % code
        em.add(data.finding("X05", "CBJYQZ", row, msg, unit, values={"_fp": "c"},
                            relevant={"CBJYQZBM": code}))


_STEPS = (("X01", x01), ("X02", x02), ("X03", x03), ("X04", x04), ("X05", x05))


@register
class CrossTableRules:
    ids = ("X01", "X02", "X03", "X04", "X05")

    def run(self, ctx, wanted):
        if ctx.db is None:
            return []
        with gc_paused():
            data = OwnershipData.of(ctx)
            em = Emitter(ctx)
            steps = [s for s in _STEPS if s[0] in wanted]
            for i, (rule, step) in enumerate(steps):
                ctx.feedback.check()
                t0 = time.perf_counter()
                step(data, em)
                ctx.timings[rule] = time.perf_counter() - t0
                ctx.feedback.progress(100.0 * (i + 1) / max(1, len(steps)))
            return em.finish()
