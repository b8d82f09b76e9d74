"""Publicity units (发包方, usually village groups) with their township/village/group names.

Names come from the region layers (XJQY, CJQY, ZJQY), then the administrative
list (qq_admin_unit), then FBF.FBFMC, so a title can always be written.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence


@dataclass(frozen=True)
class Unit:
    code: str          # FBFBM, 14 digits
    name: str          # FBFMC (or a composed name when FBF has no row)
    township: str
    village: str
    group: str         # "" for a village-level 发包方 (code ends in 00)
    plots: int = 0

    @property
    def village_code(self) -> str:
        return self.code[:12]

    @property
    def is_village_level(self) -> bool:
        return self.code[12:14] == "00"

    @property
    def place_name(self) -> str:
        """<乡><村><组> without repeating a part the next one already contains."""
        return _join_names(self.township, self.village, self.group)

    @property
    def short_name(self) -> str:
        return _join_names(self.village, self.group) or self.name or self.code


def _join_names(*parts: str) -> str:
    out = ""
    for p in parts:
        p = (p or "").strip()
        if not p:
            continue
        if out and p.startswith(out):
            out = p            # ZJQYMC "新塘村一组" already names the village
        elif not out.endswith(p):
            out += p
    return out


def _names(db, table: str, code_field: str, name_field: str) -> Dict[str, str]:
    out = {}
    for r in db.read(table, [code_field, name_field]):
        code = str(r.get(code_field) or "").strip()
        name = str(r.get(name_field) or "").strip()
        if code and name:
            out.setdefault(code, name)
    return out


def _admin_names(db) -> Dict[str, str]:
    if not db.has("qq_admin_unit"):
        return {}
    out = {}
    for code, name in db.conn.execute("SELECT code, name FROM qq_admin_unit"):
        if code and name:
            out[str(code).strip()] = str(name).strip()
    return out


def _strip_prefix(name: str, *prefixes: str) -> str:
    for p in prefixes:
        if p and name.startswith(p) and len(name) > len(p):
            name = name[len(p):]
    return name


def list_units(db, scope: Optional[Sequence[str]] = None) -> List[Unit]:
    """Every 发包方 unit with FBF rows or plots, sorted by code; scope = code prefixes."""
    fbf = _names(db, "FBF", "FBFBM", "FBFMC")
    counts: Dict[str, int] = {}
    if db.has("DK"):
        cols = db.columns("DK")
        if "DKBM" in cols:
            sql = 'SELECT substr("%s", 1, 14), count(*) FROM "%s" GROUP BY 1' % (
                cols["DKBM"][0], db.name("DK"))
            for code, n in db.conn.execute(sql):
                if code and len(str(code).strip()) == 14:
                    counts[str(code).strip()] = n
    codes = sorted(set(fbf) | set(counts))
    if scope:
        codes = [c for c in codes if any(c.startswith(p) for p in scope)]
    towns = _names(db, "XJQY", "XJQYDM", "XJQYMC")
    villages = _names(db, "CJQY", "CJQYDM", "CJQYMC")
    groups = _names(db, "ZJQY", "ZJQYDM", "ZJQYMC")
    admin = _admin_names(db)
    out = []
    for code in codes:
        township = towns.get(code[:9]) or admin.get(code[:9]) or admin.get(code[:9] + "00000") or ""
        village = (villages.get(code[:12]) or admin.get(code[:12])
                   or admin.get(code[:12] + "00") or "")
        village = _strip_prefix(village, township)
        fbfmc = fbf.get(code, "")
        if code[12:14] == "00":
            group = ""
            village = village or _strip_prefix(fbfmc, township)
        else:
            group = groups.get(code) or admin.get(code) or ""
            if not group and fbfmc:
                group = _strip_prefix(fbfmc, township, village)
            group = _strip_prefix(group, township, village) or ("%s组" % code[12:14])
        name = fbfmc or _join_names(village, group) or code
        out.append(Unit(code, name, township, village, group, counts.get(code, 0)))
    return out


def village_tree(units: Sequence[Unit]) -> List[tuple]:
    """[(village code, village name, [units])] in code order, for the dock's tree."""
    tree: Dict[str, list] = {}
    names: Dict[str, str] = {}
    for u in units:
        tree.setdefault(u.village_code, []).append(u)
        names.setdefault(u.village_code, u.village or u.village_code)
    return [(vc, names[vc], tree[vc]) for vc in sorted(tree)]
