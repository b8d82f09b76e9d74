"""Defects in the ownership tables and DK attributes (A, X, M, C03), after geometry is final.

apply_structure runs before the contract totals are recomputed from CBDKXX (so moved or
removed rows leave consistent totals); apply_values corrupts single values afterwards.
"""
import datetime as dt
from decimal import Decimal

from ..codes import id_check_char, m2_to_mu
from .ownership import cbqx_text
from .people import legacy15


def _rows(t, table, field, value, prefix=False):
    return [r for r in t[table] if (str(r.get(field) or "").startswith(value) if prefix
                                    else r.get(field) == value)]


def _free_contractors(town, kind="1", count=1, cond=lambda c: True):
    """Contractors untouched by other table defects (not in C03 groups, not recoded for C02),
    in a deterministic random order; a table defect never shares its 承包方 with another."""
    roles = town.group_roles
    bad_units = {town.plan.groups[g]["code"] for g, role in roles.items() if role.startswith("C03")}
    used = town.used_cbf
    used.update(town.recoded)
    out = []
    for k in town.rng.permutation(len(town.contractors)).tolist():
        c = town.contractors[k]
        if c.kind != kind or c.cbfbm in used or c.fbfbm in bad_units or c.fbfbm.endswith("00"):
            continue
        if not cond(c):
            continue
        used.add(c.cbfbm)
        out.append(c)
        if len(out) == count:
            break
    return out


def _members(t, c, cond=lambda m: True):
    return [m for m in t["CBF_JTCY"] if m["CBFBM"] == c.cbfbm and cond(m)]


def _replace_code(t, old: str, new: str):
    """Rename a CBFBM (or a contract code) in every table that holds it."""
    for rows in t.values():
        for r in rows:
            for f in ("CBFBM", "CBHTBM", "CBJYQZBM"):
                v = r.get(f)
                if isinstance(v, str) and v.startswith(old):
                    r[f] = new + v[len(old):]
            if isinstance(r.get("DKSYT"), str):
                r["DKSYT"] = r["DKSYT"].replace(old, new)


def _delete(t, table, pred):
    t[table] = [r for r in t[table] if not pred(r)]


def apply_structure(town):
    """C03 stages, X01–X03, A04–A16 on codes and people, A14, M03, X05, A17, A01 on CBF."""
    t = town.tables
    roles = town.group_roles
    for g, role in sorted(roles.items()):
        code = town.plan.groups[g]["code"]
        if role == "C03a":
            for table in ("CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB", "CBJYQZ", "QSLYZLFJ"):
                f = "CBFBM" if table in ("CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB") else "CBJYQZBM"
                _delete(t, table, lambda r, f=f: str(r[f]).startswith(code))
            town.note("C03", [code], "该组有承包地块，尚未调查承包方（CBF 为空）")
        elif role == "C03b":
            for table in ("CBJYQZDJB", "CBJYQZ", "QSLYZLFJ"):
                _delete(t, table, lambda r: str(r["CBJYQZBM"]).startswith(code))
            town.note("C03", [code], "该组已签合同，登记簿尚未建立")
            town.note("X01", [r["DKBM"] for r in t["CBDKXX"] if r["FBFBM"] == code],
                      "该组登记簿未建：CBDKXX.CBJYQZBM 暂无登记簿，不报", lookalike=True)
    _x01(town, t)
    _moves(town, t)
    _codes(town, t)
    _people(town, t)
    _dates_and_areas(town, t)


def _x01(town, t):
    c = _free_contractors(town, cond=lambda c: not c.original)
    if c:
        c = c[0]
        phantom = "%s%05d" % (c.fbfbm, 90000 + len(c.plots))
        t["CBDKXX"].append({"DKBM": phantom, "FBFBM": c.fbfbm, "CBFBM": c.cbfbm, "CBJYQQDFS": "110",
                            "HTMJ": 512.3, "CBHTBM": c.contract_code, "LZHTBM": None,
                            "CBJYQZBM": c.contract_code, "YHTMJ": None, "HTMJM": float(m2_to_mu("512.30")),
                            "YHTMJM": None, "SFQQQG": "2"})
        town.note("X01", [phantom], "承包地块信息引用了不存在的地块 %s（地块已合并删除）" % phantom)
    c = _free_contractors(town)[0]
    ghost = c.fbfbm + "0999"
    m = dict(_members(t, c)[0])
    t["CBF_JTCY"].append(dict(m, CBFBM=ghost, YHZGX="02", CYZJHM=_fresh_id(town, m["CYZJHM"])))
    town.note("X01", [ghost], "家庭成员引用了不存在的承包方 %s" % ghost)
    c = _free_contractors(town)[0]
    code = c.fbfbm + "0998J"
    t["QSLYZLFJ"].append({"CBJYQZBM": code, "ZLFJBH": code[6:18] + "J09", "ZLFJMC": "二轮承包合同",
                          "ZLFJRQ": "1998-10-08", "FJ": "其他资料\\权属来源附件\\%sJ09.pdf" % code[6:18]})
    town.note("X01", [code[6:18] + "J09", code], "权属来源附件引用了不存在的登记簿 %s" % code)


def _fresh_id(town, number):
    """A valid unused ID number of the same person's birth date and gender."""
    used = {r["CYZJHM"] for r in town.tables["CBF_JTCY"]} | {r["CBFZJHM"] for r in town.tables["CBF"]}
    body = number[:14]
    for seq in range(100, 1000):
        g = int(number[16])
        cand = body + "%02d%d" % (seq % 100, g)
        cand = cand + id_check_char(cand)
        if cand not in used:
            return cand
    raise ValueError("no free ID")


def _moves(town, t):
    for c in _free_contractors(town, count=2, cond=lambda c: len(c.plots) >= 3):
        row = _rows(t, "CBDKXX", "CBFBM", c.cbfbm)[-1]
        t["CBDKXX"].remove(row)
        town.note("X02", [row["DKBM"]], "承包地块分割后没有承包方")
    for _ in range(2):
        pair = _free_contractors(town, count=1, cond=lambda c: c.original)
        if not pair:
            break
        h = pair[0]
        other = _free_contractors(town, cond=lambda c: c.original and c.fbfbm == h.fbfbm)
        if not other:
            continue
        h2 = other[0]
        for r in _rows(t, "CBDKXX", "CBFBM", h.cbfbm):
            r.update(CBFBM=h2.cbfbm, CBHTBM=h2.contract_code, CBJYQZBM=h2.contract_code)
        for table, f in (("CBHT", "CBHTBM"), ("CBJYQZDJB", "CBJYQZBM"), ("CBJYQZ", "CBJYQZBM"),
                         ("QSLYZLFJ", "CBJYQZBM")):
            _delete(t, table, lambda r, f=f: r[f] == h.contract_code)
        town.note("X03", [h.cbfbm], "承包方的地块全部调整给 %s，合同已注销" % h2.cbfbm)
    for h in _free_contractors(town, count=2, cond=lambda c: c.original and len(c.plots) >= 3):
        vil = h.fbfbm[:12]
        other = _free_contractors(town, cond=lambda c: c.original and c.fbfbm[:12] == vil
                                  and c.fbfbm != h.fbfbm)
        if not other:
            continue
        row = _rows(t, "CBDKXX", "CBFBM", h.cbfbm)[0]
        row.update(FBFBM=other[0].fbfbm, CBFBM=other[0].cbfbm, CBHTBM=other[0].contract_code,
                   CBJYQZBM=other[0].contract_code)
        town.note("A05", [row["DKBM"]], "%s 组的地块记在 %s 组承包方名下" % (row["DKBM"][:14], other[0].fbfbm))


def _codes(town, t):
    c = _free_contractors(town)[0]
    new = c.cbfbm[:14] + "8005"
    _replace_code(t, c.cbfbm, new)
    town.note("A05", [new], "农户承包方使用了个人承包方的顺序码 8005")
    c = _free_contractors(town)[0]
    bad = c.cbfbm[:15] + "O" + c.cbfbm[16:]
    keys = [bad, bad + "J"] + [r["DKBM"] for r in _rows(t, "CBDKXX", "CBFBM", c.cbfbm)]
    keys += [r["ZLFJBH"] for r in _rows(t, "QSLYZLFJ", "CBJYQZBM", c.contract_code)]
    _replace_code(t, c.cbfbm, bad)
    town.note("A04", keys, "承包方代码中把数字 0 写成了字母 O（各表一致）")
    ind = _free_contractors(town, kind="2")
    if ind:
        old = ind[0].contract_code
        new = old[:18] + "J"
        keys = [new] + [r["DKBM"] for r in _rows(t, "CBDKXX", "CBHTBM", old)]
        keys += [r["ZLFJBH"] for r in _rows(t, "QSLYZLFJ", "CBJYQZBM", old)]
        _replace_code(t, old, new)
        town.note("A04", keys, "承包方式 123（公开协商）的合同代码以 J 结尾")
        town.note("A05", [ind[0].cbfbm], "个人承包方顺序码 8001", lookalike=True)
        town.note("A12", [ind[0].cbfbm], "个人承包方 CBFCYSL 1，无家庭成员", lookalike=True)
    unit = [c for c in town.contractors if c.kind == "3"]
    if unit:
        town.note("A05", [unit[0].cbfbm], "村级发包方 %s 的单位承包方 9001，地块 %s" % (
            unit[0].fbfbm, town.dk[unit[0].plots[0]]["DKBM"]), lookalike=True)
        town.note("C02", [unit[0].fbfbm], "村级发包方（村代码+00）在名单内的村", lookalike=True)
    unit = _free_contractors(town)[0].fbfbm
    dup = dict(next(r for r in t["FBF"] if r["FBFBM"] == unit))
    t["FBF"].append(dup)
    town.note("A06", [dup["FBFBM"]], "发包方重复录入")


def _people(town, t):
    def non_head(m):
        return m["YHZGX"] not in ("01", "02") and m["CYZJLX"] == "1"

    def birth_1900s(m):
        return non_head(m) and m["CYZJHM"][6:8] == "19"
    for c in _free_contractors(town, count=2, cond=lambda c: len(_members(t, c, non_head)) >= 1):
        daughters = _members(t, c, lambda m: non_head(m) and m["YHZGX"] in ("30", "32", "33")) \
            or _members(t, c, non_head)
        d = daughters[0]
        h2 = _free_contractors(town)[0]
        t["CBF_JTCY"].append(dict(d, CBFBM=h2.cbfbm, YHZGX="38", CYBZ=None, CYBZSM=None))
        d.update(CYBZ="1", CYBZSM="2016年外嫁")
        town.note("A09", [d["CYZJHM"]], "外嫁女 %s 同时列在娘家 %s 和夫家 %s" % (d["CYXM"], c.cbfbm, h2.cbfbm))
    cs = _free_contractors(town, count=3, cond=lambda c: len(_members(t, c)) >= 2
                           and len(c.name) == 3)
    if len(cs) == 3:
        _members(t, cs[0], lambda m: m["YHZGX"] in ("01", "02"))[0]["YHZGX"] = "10"
        town.note("A11", [cs[0].cbfbm], "家庭成员中没有户主")
        _members(t, cs[1], lambda m: m["YHZGX"] not in ("01", "02"))[0]["YHZGX"] = "02"
        town.note("A11", [cs[1].cbfbm], "家庭成员中有两个户主")
        cbf = _rows(t, "CBF", "CBFBM", cs[2].cbfbm)[0]
        cbf["CBFMC"] = cbf["CBFMC"][:2]
        town.note("A11", [cs[2].cbfbm], "承包方名称 %s 与户主 %s 不一致" % (cbf["CBFMC"], cs[2].name))
    edits = (("A07", non_head, lambda m: m.update(
        CYZJHM=m["CYZJHM"][:17] + ("0" if m["CYZJHM"][17] != "0" else "1")), "身份证号校验位错误"),
        ("A07", birth_1900s, lambda m: m.update(CYZJHM=m["CYZJHM"][:6] + m["CYZJHM"][8:10] + "1332"
                                                + m["CYZJHM"][14:17]), "15 位身份证号出生日期不存在（13 月 32 日）"),
        ("A08", non_head, lambda m: m.update(CYZJHM=""), "身份证号为空"),
        ("A08", non_head, lambda m: m.update(CYZJHM="0" * 18), "身份证号全为 0"),
        ("A10", non_head, lambda m: m.update(CYXB="1" if m["CYXB"] == "2" else "2"), "性别与身份证号不符"),
        ("A10", non_head, lambda m: m.update(CYXB="1" if m["CYXB"] == "2" else "2"), "性别与身份证号不符"),
        ("A16", birth_1900s, lambda m: m.update(CYZJHM=legacy15(m["CYZJHM"])), "15 位旧身份证号"),
        ("A16", birth_1900s, lambda m: m.update(CYZJHM=legacy15(m["CYZJHM"])), "15 位旧身份证号"),
        ("A15", non_head, lambda m: m.update(CYXM=m["CYXM"] + " "), "成员姓名末尾有空格"),
        ("A15", non_head, lambda m: m.update(CYXM=m["CYXM"][0] + " " + m["CYXM"][1:]), "姓名中间有空格"))
    for rule, cond, edit, note in edits:
        c = _free_contractors(town, cond=lambda c, cond=cond: bool(_members(t, c, cond)))
        if c:
            m = _members(t, c[0], cond)[0]
            edit(m)
            town.note(rule, [c[0].cbfbm], "%s：%s %s" % (note, m["CYXM"].strip(), m["CYZJHM"]))
    unit = _free_contractors(town)[0].fbfbm
    fbf = next(r for r in t["FBF"] if r["FBFBM"] == unit)
    fbf["FZRZJHM"] = fbf["FZRZJHM"][:17] + ("0" if fbf["FZRZJHM"][17] != "0" else "1")
    town.note("A07", [fbf["FBFBM"]], "发包方负责人身份证号校验位错误")
    for rule, cond, note in (
            ("A07", lambda m: m["CYZJHM"].endswith("X"), "校验位为 X 的有效号码"),
            ("A10", lambda m: m["CYZJHM"].endswith("X"), "以 X 结尾的号码（X 是校验位，不是性别位）"),
            ("A08", lambda m: m["CYZJLX"] == "4", "新生儿用户口簿（证件类型 4）"),
            ("A11", lambda m: m["YHZGX"] == "01", "户主记为 01 本人")):
        c = _free_contractors(town, cond=lambda c, cond=cond: bool(_members(t, c, cond)))
        if c:
            m = _members(t, c[0], cond)[0]
            town.note(rule, [c[0].cbfbm], "%s：%s %s" % (note, m["CYXM"], m["CYZJHM"]), lookalike=True)


def _dates_and_areas(town, t):
    c = _free_contractors(town)[0]
    for table in ("CBHT", "CBJYQZDJB"):
        r = _rows(t, table, "CBFBM", c.cbfbm)[0]
        r["CBQXQ"], r["CBQXZ"] = r["CBQXZ"], r["CBQXQ"]
        if "CBQX" in r:
            r["CBQX"] = cbqx_text(dt.date.fromisoformat(r["CBQXQ"]), dt.date.fromisoformat(r["CBQXZ"]))
    town.note("A14", [c.contract_code, c.cbfbm], "承包期限起止日期颠倒（合同和登记簿一致）")
    c = _free_contractors(town)[0]
    r = _rows(t, "CBHT", "CBFBM", c.cbfbm)[0]
    gs = dt.date.fromisoformat(_rows(t, "CBF", "CBFBM", c.cbfbm)[0]["GSSHRQ"])
    r["QDSJ"] = (gs - dt.timedelta(days=10)).isoformat()
    town.note("A14", [c.cbfbm, c.contract_code], "签订时间早于公示审核日期")
    c = _free_contractors(town)[0]
    for table in ("CBHT", "CBJYQZDJB"):
        r = _rows(t, table, "CBFBM", c.cbfbm)[0]
        r["CBQXZ"] = "9999-01-01"
        if "CBQX" in r:
            r["CBQX"] = "%s至9999年01月01日" % r["CBQX"].split("至")[0]
    town.note("A14", [c.contract_code], "承包期限止 9999-01-01（长久不变）", lookalike=True)
    def same_day(c):
        dj, cert = (_rows(t, n, "CBJYQZBM", c.contract_code) for n in ("CBJYQZDJB", "CBJYQZ"))
        return bool(dj and cert) and dj[0]["DJSJ"] == cert[0]["FZRQ"]
    for c in _free_contractors(town, cond=same_day):
        town.note("A14", [c.contract_code, c.cbfbm], "登记时间与发证日期同一天", lookalike=True)
    for n, c in enumerate(_free_contractors(town, count=3, cond=lambda c: c.original and len(c.plots) >= 3)):
        factor = Decimal("1.15") if n < 2 else Decimal("1.08")
        for r in _rows(t, "CBDKXX", "CBFBM", c.cbfbm):
            sc = Decimal(repr(town.dk[town.row_of(r["DKBM"])]["SCMJ"]))
            y = (sc / factor).quantize(Decimal("0.01"))
            r["YHTMJ"], r["YHTMJM"] = float(y), float(m2_to_mu(y))
        town.note("M03", [c.cbfbm], "实测面积比二轮合同面积多 %s%%" % ((factor - 1) * 100).normalize(),
                  lookalike=n >= 2)
    for c in _free_contractors(town, count=2):
        r = _rows(t, "CBDKXX", "CBFBM", c.cbfbm)[0]
        r["CBJYQQDFS"] = "120"
        town.note("X05", [r["DKBM"]], "承包经营权取得方式 120 与合同承包方式 110 不一致")
    c = _free_contractors(town)[0]
    r = _rows(t, "CBJYQZDJB", "CBFBM", c.cbfbm)[0]
    r["CBQXQ"] = "2018-02-01"
    r["CBQX"] = cbqx_text(dt.date(2018, 2, 1), dt.date.fromisoformat(r["CBQXZ"]))
    town.note("X05", [c.contract_code], "登记簿承包期限起与合同不一致")
    c = _free_contractors(town)[0]
    lone = dict(_rows(t, "CBJYQZ", "CBJYQZBM", c.contract_code)[0], CBJYQZBM=c.fbfbm + "0777J")
    t["CBJYQZ"].append(lone)
    town.note("X05", [lone["CBJYQZBM"]], "权证没有对应的登记簿")
    c = _free_contractors(town)[0]
    _delete(t, "CBJYQZ", lambda r: r["CBJYQZBM"] == c.contract_code)
    town.note("X05", [c.contract_code], "已登记、尚未打印权证", lookalike=True)
    c = _free_contractors(town, cond=lambda c: len(c.plots) >= 2)[0]     # HTZMJ stays > 0
    r = _rows(t, "CBDKXX", "CBFBM", c.cbfbm)[0]
    r["HTMJ"], r["HTMJM"] = 0.0, 0.0
    town.note("A17", [r["DKBM"]], "确权（合同）面积为 0")
    c = _free_contractors(town)[0]
    _rows(t, "CBF", "CBFBM", c.cbfbm)[0]["GSSHR"] = ""
    town.note("A01", [c.cbfbm], "公示审核人为空")

