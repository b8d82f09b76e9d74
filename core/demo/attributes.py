"""Codes and names of the units, and the plots' own attributes (everything but areas and 四至)."""
import random
from typing import List

import numpy as np

from . import names
from .layout import Plan

CATEGORY_LABEL = {"21": "自留地", "22": "机动地", "23": "开荒地", "99": "集体地"}
_DKLB = (("10", 0.88), ("21", 0.04), ("22", 0.03), ("23", 0.03), ("99", 0.02))
_TDLYLX = (("011", 0.62), ("013", 0.22), ("012", 0.06), ("021", 0.04), ("022", 0.04),
           ("023", 0.02))
_DLDJ = (("02", 0.04), ("03", 0.12), ("04", 0.22), ("05", 0.26), ("06", 0.2), ("07", 0.12),
         ("08", 0.04))


def units(plan: Plan, rnd: random.Random):
    """Fill code/name of villages and groups (and the village-level 发包方 code)."""
    vnames = names.village_names(len(plan.villages), rnd)
    for v, vil in enumerate(plan.villages):
        vil["code"] = "%s%03d" % (names.TOWNSHIP_CODE, 201 + v)
        vil["name"] = vnames[v]
        vil["fbf_code"] = vil["code"] + "00"
    for g in plan.groups:
        vil = plan.villages[g["village"]]
        g["code"] = "%s%02d" % (vil["code"], g["number"])
        g["name"] = names.group_name(vil["name"], g["number"])


def _pick(rng: np.random.Generator, table, n):
    codes = [c for c, _ in table]
    p = np.array([w for _, w in table], float)
    return np.array(codes, dtype=object)[rng.choice(len(codes), size=n, p=p / p.sum())]


def fbf_code(plan: Plan, p: int) -> str:
    g = int(plan.plot_group[p])
    if g < 0:
        return plan.villages[int(plan.plot_village[p])]["fbf_code"]
    return plan.groups[g]["code"]


def dk_rows(plan: Plan, plots: np.ndarray, rng: np.random.Generator, jbnt_blocks) -> List[dict]:
    """DK attribute rows of the given plot indices (DKBM, DKLB … SFJBNT; no areas, 四至, KJZB)."""
    n = len(plots)
    dklb = _pick(rng, _DKLB, n)
    tdlylx = _pick(rng, _TDLYLX, n)
    dldj = _pick(rng, _DLDJ, n)
    dkmc = rng.integers(0, len(names.FIELD_NAMES), n)
    syq31 = rng.random(n) < 0.8
    rows = []
    for k, p in enumerate(plots.tolist()):
        village_level = plan.plot_group[p] < 0
        lb = "22" if village_level else dklb[k]
        ly = tdlylx[k]
        if lb == "23" and ly == "011":
            ly = "013"
        rows.append({
            "DKBM": "%s%05d" % (fbf_code(plan, p), plan.plot_seq[p]),
            "DKMC": names.FIELD_NAMES[dkmc[k]],
            "SYQXZ": "32" if village_level else ("31" if syq31[k] else "30"),
            "DKLB": lb, "TDLYLX": ly, "DLDJ": dldj[k], "TDYT": "1",
            "SFJBNT": "1" if int(plan.plot_block[p]) in jbnt_blocks else "2",
            "DKBZXX": None, "ZJRXM": None,
            "_plot": p, "_group": int(plan.plot_group[p]), "_village": int(plan.plot_village[p]),
        })
    return rows


def jbnt_blocks(plan: Plan, rng: np.random.Generator):
    """Blocks inside 基本农田保护区: whole bands of a few villages' paddy land."""
    out = set()
    for vil in plan.villages:
        bands = sorted({plan.blocks[bi].band for bi in vil["blocks"]})
        for b in bands:
            if rng.random() < 0.3:
                out.update(bi for bi in vil["blocks"] if plan.blocks[bi].band == b)
    return out
