"""A13: 承包地块 (DKLB 10) with fewer than 3 of the 4 四至 directions filled."""
from .tables import text

SIZHI = (("DKDZ", "东"), ("DKNZ", "南"), ("DKXZ", "西"), ("DKBZ", "北"))
# Placeholders a surveyor types for "nothing there"; they count as empty.
_PLACEHOLDERS = {"/", "-", "无", "／", "－", "—"}


def filled(value) -> bool:
    s = text(value)
    return bool(s) and s not in _PLACEHOLDERS


def a13(data, em):
    for row, unit in data.scoped("DK"):
        if text(row.get("DKLB")) != "10":
            continue
        have = [name for fld, name in SIZHI if filled(row.get(fld))]
        if len(have) >= 3:
            continue
        dkbm = data.key_of("DK", row)
        missing = [name for fld, name in SIZHI if name not in have]
        msg = "地块 %s 四至仅填写 %d 个方向%s" % (
            dkbm, len(have), "（%s）" % "、".join(have) if have else "")
        f = data.finding("A13", "DK", row, msg, unit,
                         values={"filled": have, "missing": missing},
                         relevant={"DKLB": "10", "filled": have})
        em.add(f, plot=text(row.get("DKBM")))
