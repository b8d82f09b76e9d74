"""Single-value corruptions after all derived values are final: DK attributes, totals, counts."""
from decimal import Decimal

from ..codes import m2_to_mu
from .defects_tables import _free_contractors, _rows


def _free_plots(town, count, cond=lambda r: True, area=False):
    """Plots no other defect names (area=True: nor their 承包方, whose M03 ratio would move)."""
    roles = town.group_roles
    bad_units = {town.plan.groups[g]["code"] for g, role in roles.items() if role.startswith("C03")}
    bad_units.update(c[:14] for c in town.recoded)
    named = {k for e in town.manifest for k in e["keys"]}
    used, holders = town.used_dkbm, town.used_cbf
    out = []
    for k in town.rng.permutation(len(town.dk)).tolist():
        r = town.dk[k]
        h = r.get("_holder")
        if r["DKBM"] in named or r["_group"] < 0 or r["DKBM"][:14] in bad_units or not cond(r):
            continue
        if area and h is not None and town.contractors[h].cbfbm in holders:
            continue
        if r.get("_nogeom") or r.get("SCMJ") is None:
            continue
        used.add(r["DKBM"])
        named.add(r["DKBM"])
        if area and h is not None:
            holders.add(town.contractors[h].cbfbm)
        out.append(r)
        if len(out) == count:
            break
    return out


def _set_area(r, scmj):
    r["SCMJ"] = float(scmj)
    r["SCMJM"] = float(m2_to_mu(scmj))


def apply(town):
    """Corruptions made after the totals are recomputed (X04, A12, M02 on totals, DK values)."""
    t = town.tables
    for n, c in enumerate(_free_contractors(town, count=2)):
        r = _rows(t, "CBHT", "CBFBM", c.cbfbm)[0]
        if n == 0:
            tot = Decimal(repr(r["HTZMJ"])) + Decimal("0.50")
            r["HTZMJ"], r["HTZMJM"] = float(tot), float(m2_to_mu(tot))
            town.note("X04", [r["CBHTBM"]], "合同总面积比地块面积合计多 0.50 平方米")
        else:
            r["CBDKZS"] += 1
            town.note("X04", [r["CBHTBM"]], "承包地块总数 %d，实际 %d 块" % (r["CBDKZS"], r["CBDKZS"] - 1))
    c = _free_contractors(town)[0]
    cbf = _rows(t, "CBF", "CBFBM", c.cbfbm)[0]
    cbf["CBFCYSL"] += 1
    town.note("A12", [c.cbfbm], "承包方成员数量 %d，家庭成员 %d 人" % (cbf["CBFCYSL"], cbf["CBFCYSL"] - 1))
    ind = _free_contractors(town, kind="2")
    if ind:
        _rows(t, "CBF", "CBFBM", ind[0].cbfbm)[0]["CBFCYSL"] = 2
        town.note("A12", [ind[0].cbfbm], "个人承包方成员数量应为 1")
    c = _free_contractors(town)[0]
    r = _rows(t, "CBHT", "CBFBM", c.cbfbm)[0]
    r["HTZMJM"] = round(r["HTZMJM"] + 0.05, 2)
    town.note("M02", [r["CBHTBM"]], "合同总面积（亩）与平方米换算不符（差 0.05 亩）")
    _plot_values(town)


def _plot_values(town):
    def ten(r):
        return r["DKLB"] == "10"
    r = _free_plots(town, 1)[0]
    r["DKMC"] = None
    town.note("A01", [r["DKBM"]], "地块名称为空")
    r = _free_plots(town, 1, ten)[0]
    r["ZJRXM"] = None
    town.note("A01", [r["DKBM"]], "承包地块没有指界人")
    r = _free_plots(town, 1, lambda r: r["DKLB"] == "21")
    if r:
        r[0]["ZJRXM"] = None
        for f in ("DKDZ", "DKNZ", "DKXZ", "DKBZ"):
            r[0][f] = None
        town.note("A13", [r[0]["DKBM"]], "自留地不填指界人和四至", lookalike=True)
        town.note("A01", [r[0]["DKBM"]], "自留地不填指界人", lookalike=True)
    r = _free_plots(town, 1)[0]
    r["TDLYLX"] = None
    town.note("A01", [r["DKBM"]], "土地利用类型（可选）为空", lookalike=True)
    r = _free_plots(town, 1)[0]
    r["DLDJ"] = r["DLDJ"].lstrip("0")
    town.note("A02", [r["DKBM"]], "地力等级写成 %s（应为两位）" % r["DLDJ"])
    r = _free_plots(town, 1)[0]
    r["DKLB"] = "11"
    town.note("A02", [r["DKBM"]], "地块类别 11 不在代码表中")
    r = _free_plots(town, 1)[0]
    r["DKMC"] = "大丘田" * 20
    town.note("A03", [r["DKBM"]], "地块名称 60 个字符（上限 50）")
    r = _free_plots(town, 1)[0]
    names = r["KJZB"].split("/")
    text = r["KJZB"]
    while len(text) <= 300:
        text += "/" + "/".join(names)
    r["KJZB"] = text
    town.note("A03", [r["DKBM"]], "空间坐标 %d 个字符（上限 254），点号都属本地块" % len(text))
    r = _free_plots(town, 1)[0]
    r["DKMC"] = "大丘田（靠水渠一侧的那一丘长条形水田）"[:25]
    town.note("A03", [r["DKBM"]], "25 个汉字的地块名称", lookalike=True)
    r = _free_plots(town, 1, ten)[0]
    r["DKNZ"] = r["DKBZ"] = None
    town.note("A13", [r["DKBM"]], "承包地块只填了东至和西至")
    r = _free_plots(town, 1, ten)[0]
    r["DKDZ"], r["DKXZ"] = "/", "无"
    town.note("A13", [r["DKBM"]], "承包地块东至“/”、西至“无”，只有南至、北至")
    r = _free_plots(town, 1, ten)[0]
    r["DKBZ"] = None
    town.note("A13", [r["DKBM"]], "四至填写三个方向，北至空", lookalike=True)
    r = _free_plots(town, 1)[0]
    r["DKMC"] = r["DKMC"][0] + " " + r["DKMC"][1:]
    town.note("A15", [r["DKBM"]], "地块名称中间有空格")
    r = _free_plots(town, 1)[0]
    r["BSM"] = 0
    town.note("A17", [r["DKBM"], "0"], "地块标识码为 0")
    def unheld(r):      # a changed SCMJ on a household's plot would also move its M03 ratio
        return r.get("_holder") is None
    r = (_free_plots(town, 1, unheld, area=True) or _free_plots(town, 1, area=True))[0]
    _set_area(r, Decimal("-12.5"))
    also, also_keys = ["M01"], {"M01": [r["DKBM"]]}
    if r.get("_holder") is not None:
        also.append("M03")
        also_keys["M03"] = [town.contractors[r["_holder"]].cbfbm]
    town.note("A17", [r["DKBM"]], "实测面积为负数", also=also, also_note="实测面积与图形面积必然不符")
    town.manifest[-1]["also_keys"] = also_keys
    for delta in (Decimal("1.54"), Decimal("-2.00")):
        r = _free_plots(town, 1, area=True)[0]
        _set_area(r, Decimal(repr(r["SCMJ"])) + delta)
        town.note("M01", [r["DKBM"]], "实测面积与图形面积相差 %s 平方米" % delta)
    r = _free_plots(town, 1)[0]
    r["SCMJM"] = round(r["SCMJM"] + 0.1, 2)
    town.note("M02", [r["DKBM"]], "实测面积（亩）多 0.10 亩")
    r = _free_plots(town, 1)[0]
    r["SCMJM"] = float(m2_to_mu(Decimal(repr(r["SCMJ"]))) - Decimal("0.01"))
    town.note("M02", [r["DKBM"]], "实测面积（亩）与换算值正好相差 0.01", lookalike=True)
