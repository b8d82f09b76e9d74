"""Defects on whole units and plot codes: C01 (a group without data), C02 (households coded
with a group not on the list), T14 (a plot coded with a neighbouring group), A04/A06 on DKBM."""
import numpy as np
import shapely

from . import names
from .defects_plots import new_dkbm, pick


def area(town, r):
    return shapely.Polygon(town.plan.xy(town.shapes[r][0][0])).area


def mark(used, ix, rows):
    used.update(rows)
    used.update(ix.neighbours(rows))


def reserve_groups(town):
    """Groups for C01 (deleted) and C03 (stage), each village keeping two groups without
    these roles and losing at most one group; then two other groups lending a few
    households to C02 (recoded to a group code not on the list)."""
    plan = town.plan
    free = {v: len(vil["groups"]) for v, vil in enumerate(plan.villages)}
    deleted = set()
    roles = {}
    wanted = ["C01", "C01", "C03a", "C03b"]
    order = town.rng.permutation(len(plan.groups)).tolist()
    for g in order:
        if not wanted:
            break
        v = plan.groups[g]["village"]
        if free[v] <= 2 or (wanted[0] == "C01" and v in deleted):
            continue
        roles[g] = wanted.pop(0)
        free[v] -= 1
        if roles[g] == "C01":
            deleted.add(v)
    if wanted:
        raise ValueError("演示乡镇的组太少，无法注入全部缺陷；请增加地块数")
    for g in [g for g in order if g not in roles][:2]:
        roles[g] = "C02"
    town.group_roles = roles
    return roles


def delete_group(town, g):
    grp = town.plan.groups[g]
    grp["removed"] = True
    town.removed_units.append(grp["code"])
    rows = [i for i, r in enumerate(town.dk) if r["DKBM"][:14] == grp["code"]]
    for i in rows:
        town.dk[i]["_deleted"] = True
    for c in town.contractors:
        if c.fbfbm == grp["code"]:
            c.deleted = True
    pieces = [shapely.Polygon(np.array(ring, float) / 1000.0) for gi, ring in town.plan.pieces if gi == g]
    town.extra_features.append((shapely.union_all(pieces), grp["name"], "99"))
    town.note("C01", [grp["code"]], "组 %s 在村组名单中，但没有发包方、地块和承包方（数据尚未录入）" % grp["name"])


def recode(town, g):
    """Move a few households of group g (and their plots) to a group code not on the list."""
    plan = town.plan
    grp = plan.groups[g]
    vil = plan.villages[grp["village"]]
    number = len(vil["groups"]) + 1 + sum(1 for x in plan.groups if x.get("recoded_from") is not None
                                          and x["village"] == grp["village"])
    code = "%s%02d" % (vil["code"], number)
    unit = {"index": len(plan.groups), "village": grp["village"], "number": number, "code": code,
            "name": names.group_name(vil["name"], number), "dates": grp["dates"],
            "clans": grp.get("clans"), "recoded_from": g}
    hh = [c for c in town.contractors if c.fbfbm == grp["code"] and c.kind == "1"][:3]
    if not hh:
        return
    seq = 0
    for n, c in enumerate(hh, start=1):
        c.cbfbm, c.fbfbm, c.unit = "%s%04d" % (code, n), code, unit
        for i in sorted(c.plots):
            seq += 1
            town.dk[i]["DKBM"] = "%s%05d" % (code, seq)
            town.dk[i]["_group"] = unit["index"]
    unit["leader"] = hh[0].household.head
    plan.groups.append(unit)
    town.recoded.extend(c.cbfbm for c in hh)
    town.note("C02", [code], "%d 块地和 %d 户承包方编为 %s，该组不在村组名单中（名单只有 %s 的 %d 个组）"
              % (seq, len(hh), code, vil["name"], len(vil["groups"])))


def relabel(town, ix, plain, used):
    """T14: a plot of one group lying in the neighbouring group's region; A04/A06 on DKBM."""
    roles = town.group_roles
    normal = {g["index"] for g in town.plan.groups if g["index"] not in roles
              and g.get("recoded_from") is None}
    by_village = {}
    for g in sorted(normal):
        by_village.setdefault(town.plan.groups[g]["village"], []).append(g)
    cands = [(r,) for r in plain if town.dk[r]["DKLB"] == "10" and town.dk[r]["_group"] in normal
             and len(by_village.get(town.dk[r]["_village"], ())) > 1]
    def target(cand):
        r = cand[0]
        old = [c for c in town.contractors if r in c.plots]
        if not old or not old[0].original or len(old[0].plots) < 2:
            return False
        for g in by_village[town.dk[r]["_village"]]:
            unit = town.plan.groups[g]["code"]
            hh = [c for c in town.contractors if c.fbfbm == unit and c.kind == "1" and c.original]
            if g != town.dk[r]["_group"] and hh and ix.coverage_room(g, area(town, r)):
                moves[r] = (g, unit, hh[0], old[0])
                return True
        return False
    moves = {}
    for (r,) in pick(town, cands, used, 2, target):
        g_new, unit, hh, old = moves[r]
        old.plots.remove(r)
        hh.plots.append(r)
        town.dk[r]["DKBM"] = new_dkbm(town, unit)
        town.dk[r]["_group"] = g_new
        town.dk[r]["ZJRXM"] = hh.name
        mark(used, ix, [r])
        town.note("T14", [town.dk[r]["DKBM"]], "%s 的地块位于相邻组的组级区域内（插花地）" % unit)
    free = [(r,) for r in plain if town.dk[r]["DKLB"] in ("21", "22", "99")]
    picks = [p[0] for p in pick(town, free, used, 40)]
    if len(picks) >= 3:
        short, d1 = picks[0], picks[1]
        same = [x for x in picks[2:] if town.dk[x]["_group"] == town.dk[d1]["_group"]
                and x not in ix.neighbours([d1])]
        if not same:
            return
        d2 = same[0]
        town.dk[short]["DKBM"] = town.dk[short]["DKBM"][:18]
        town.note("A04", [town.dk[short]["DKBM"]], "地块代码只有 18 位（界址点、界址线的 DKBM 随之）",
                  _refs=town.dk[short]["DKBM"])
        town.dk[d2]["DKBM"] = town.dk[d1]["DKBM"]
        town.note("A06", [town.dk[d1]["DKBM"]], "同一组内两个地块要素使用同一地块代码")
