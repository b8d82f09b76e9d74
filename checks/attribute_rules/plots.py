"""A13: 承包地块 (DKLB 10) with fewer than 3 of the 4 四至 directions filled."""
from collections import Counter

from .tables import text

SIZHI = (("DKDZ", "东"), ("DKNZ", "南"), ("DKXZ", "西"), ("DKBZ", "北"))
# Placeholders a surveyor types for "nothing there"; they count as empty.
_PLACEHOLDERS = {"/", "-", "无", "／", "－", "—"}


def filled(value) -> bool:
    s = text(value)
    return bool(s) and s not in _PLACEHOLDERS


def _unfilled(col):
    """Indices of empty or placeholder values (a clean column costs one set)."""
    values = set(col)
    odd = {v for v in values if not filled(v)}
    return [i for i, v in enumerate(col) if v in odd] if odd else []


def a13(data, em):
    cols = data.columns("DK")
    if "DKLB" not in cols or sum(1 for f, _n in SIZHI if f in cols) < 3:
        return   # the 四至 columns are missing: S02 reports the structure
    tc = data.table_columns("DK")
    gaps = Counter()
    for fld, _name in SIZHI:
        gaps.update(_unfilled(tc.col(fld)) if fld in cols else range(tc.n))
    for _i, row, unit in tc.pick(sorted(i for i, n in gaps.items() if n >= 2)):
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
