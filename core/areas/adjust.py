"""Area adjustments: previews of the changes, computed before anything is written.

Every plan lists (table, key, field, old, new) changes plus the groups or
records it refuses and why; core.areas.apply writes a plan with a backup and
an audit trail. Actions:

- mu:        every 亩 field from its m² field (round half up, codes.md §7)
- scmj:      SCMJ = round2(planar area), and SCMJM from it
- balance:   面积平差 — a group's closing difference against its control area
             distributed over its plots in proportion to area (largest remainder
             on 0.01 m², so the group adds up to the control exactly), then SCMJM
- contracts: CBHT.HTZMJ/HTZMJM/CBDKZS (and YHTZMJ/YHTZMJM) from CBDKXX

面积平差 and M01. The adjusted SCMJ must still match the plot's geometry within
AREA_TOL (M01), so each plot may move by at most AREA_TOL from its planar
area. The default group tolerance follows from that: a closing difference d
moves plot i by d·aᵢ/A plus at most 0.01 of rounding, so
    d_max = (AREA_TOL − 0.01) × A / a_max
(A = Σ planar areas of the group, a_max = its largest plot). A user tolerance
may be smaller or larger; whatever it is, the plan refuses the group when any
plot would end up more than AREA_TOL from its planar area, and says which.
"""
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Callable, Dict, List, Optional, Sequence

from .. import schema
from . import data
from .rounding import (BAD, CENT, area_difference, area_exceeds, cents_sum, dec, is_num,
                       largest_remainder, m2_to_mu, num, planar, round2)

ACTIONS = {"mu": "重算亩面积", "scmj": "重算实测面积", "balance": "面积平差",
           "contracts": "重算合同总面积"}


class AdjustmentError(Exception):
    """A request that cannot be carried out, described for the user (Chinese)."""


@dataclass
class Change:
    table: str
    key_field: str
    key: str              # natural key, or "fid:<n>" when empty
    fid: int
    field: str
    old: object           # as stored
    new: object           # Decimal (Float fields) or int (Int fields)
    unit: str = ""        # 发包方 code, for sorting and filtering

    @property
    def delta(self):
        old = num(self.old)
        if is_num(old) and isinstance(self.new, (Decimal, int)):
            return Decimal(self.new) - old
        return None

    @property
    def field_name(self) -> str:
        t = schema.BY_CODE.get(self.table)
        return t.field(self.field).name if t and t.has_field(self.field) else self.field


@dataclass
class Refusal:
    unit: str
    reason: str


@dataclass
class GroupBalance:
    unit: str
    control: Decimal
    source: str
    plots: int
    planar_total: Decimal       # Σ planar areas (0.0001)
    stored_total: Decimal       # Σ SCMJ before
    closing: Decimal            # control − Σ planar
    tolerance: Decimal
    max_move: Decimal = Decimal(0)     # largest |new − planar| of a plot
    new_total: Optional[Decimal] = None


@dataclass
class Plan:
    action: str
    scope: Optional[tuple] = None
    changes: List[Change] = field(default_factory=list)
    refusals: List[Refusal] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    balances: List[GroupBalance] = field(default_factory=list)
    parameters: Dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ACTIONS[self.action]

    def sort(self):
        self.changes.sort(key=lambda c: (c.unit, c.table, c.key, c.field, c.fid))
        self.refusals.sort(key=lambda r: (r.unit, r.reason))


def _key(row, key_field) -> str:
    k = str(row.get(key_field) or "").strip()
    return k or "fid:%s" % row.get("FID")


def _changed(old, new) -> bool:
    o = num(old)
    return not is_num(o) or o != new


def make_plan(db, action: str, scope=None, **kw) -> Plan:
    if action not in ACTIONS:
        raise AdjustmentError("未知的调整操作 %s（可选：%s）" % (action, "、".join(ACTIONS)))
    fn = {"mu": plan_recompute_mu, "scmj": plan_recompute_scmj, "balance": plan_balance,
          "contracts": plan_contract_totals}[action]
    plan = fn(db, scope, **kw)
    plan.sort()
    return plan


# --- 亩 ---------------------------------------------------------------------------

def plan_recompute_mu(db, scope=None) -> Plan:
    scope = data.normalize_scope(scope)
    plan = Plan("mu", scope)
    for table, pairs in data.mu_pair_tables(db):
        key_field = schema.key_field(table)
        fields = ["FID", key_field, "FBFBM", data.UNIT_SOURCE.get(table, key_field)]
        fields += [f for p in pairs for f in p]
        bad = 0
        for r in db.read(table, fields):
            if not data.row_in_scope(table, r, scope):
                continue
            for m2f, muf in pairs:
                m2 = num(r.get(m2f))
                if m2 is BAD:
                    bad += 1
                if not is_num(m2):
                    continue
                new = m2_to_mu(m2)
                if _changed(r.get(muf), new):
                    plan.changes.append(Change(table, key_field, _key(r, key_field), r["FID"], muf,
                                               r.get(muf), new, data.row_unit(table, r) or ""))
        if bad:
            plan.notes.append("%s 有 %d 个平方米面积值不是数值，未换算" % (table, bad))
    return plan


# --- SCMJ -------------------------------------------------------------------------

def plan_recompute_scmj(db, scope=None, blockers: Optional[Callable] = None,
                        parameters: Optional[Dict] = None) -> Plan:
    """SCMJ = round2(planar area); refused for groups with invalid geometries (T01)."""
    scope = data.normalize_scope(scope)
    plan = Plan("scmj", scope)
    plots = data.read_plots(db, scope)
    groups = sorted({str(r.get("DKBM") or "").strip()[:14] for r in plots.rows})
    blocked = _blockers(db, groups, ("T01",), blockers, parameters, plan)
    cols = db.columns("DK")
    no_geom = []
    for i, r in enumerate(plots.rows):
        key = _key(r, "DKBM")
        unit = key[:14] if not key.startswith("fid:") else ""
        if unit in blocked:
            continue
        area = plots.areas[i]
        if area is None:
            no_geom.append(key)
            continue
        new = round2(planar(area))
        if _changed(r.get("SCMJ"), new):
            plan.changes.append(Change("DK", "DKBM", key, r["FID"], "SCMJ", r.get("SCMJ"), new, unit))
        if "SCMJM" in cols and _changed(r.get("SCMJM"), m2_to_mu(new)):
            plan.changes.append(Change("DK", "DKBM", key, r["FID"], "SCMJM", r.get("SCMJM"),
                                       m2_to_mu(new), unit))
    for unit in sorted(blocked):
        plan.refusals.append(Refusal(unit, _blocked_text(unit, blocked[unit])))
    if no_geom:
        plan.notes.append("%d 个地块无图形，未重算实测面积：%s" % (len(no_geom), _some(no_geom)))
    return plan


# --- 面积平差 -----------------------------------------------------------------------

def auto_tolerance(planar_total: Decimal, largest: Decimal, area_tol) -> Decimal:
    """The largest closing difference that moves no plot by more than AREA_TOL − 0.01."""
    if largest <= 0:
        return Decimal(0)
    return ((dec(area_tol) - CENT) * planar_total / largest).quantize(CENT, rounding=ROUND_FLOOR)


def plan_balance(db, scope=None, controls: Optional[Dict[str, object]] = None, tolerance=None,
                 area_tol=0.1, blockers: Optional[Callable] = None,
                 parameters: Optional[Dict] = None) -> Plan:
    """面积平差 of every group in scope against its control area.

    controls: group code -> control area in m² (a user's table); None = the
    group region (ZJQY) minus the mapped features (MZDW, XZDW by KD/2).
    tolerance: the largest accepted |closing difference| in m²; None or 0 = automatic.
    """
    from . import control as control_mod
    scope = data.normalize_scope(scope)
    plan = Plan("balance", scope, parameters={"AREA_TOL": area_tol, "TOLERANCE": tolerance or "自动"})
    plots = data.read_plots(db, scope)
    by_group: Dict[str, List[int]] = {}
    for i, r in enumerate(plots.rows):
        code = str(r.get("DKBM") or "").strip()
        if len(code) >= 14:
            by_group.setdefault(code[:14], []).append(i)
        else:
            plan.notes.append("地块 fid %s 编码不全，不参加平差" % r["FID"])
    groups = sorted(by_group)
    if controls is None:
        sources = control_mod.region_controls(db, groups)
    else:
        sources = {str(k).strip(): (round2(v), "控制面积表") for k, v in controls.items()
                   if data.in_scope(str(k).strip(), scope)}
        for g in sorted(set(sources) - set(groups)):
            plan.notes.append("控制面积表中的 %s 没有地块，已忽略" % g)
    # Only a group named in the scope must have a control; the others are left as they are.
    targets = [g for g in groups if g in sources or g in (scope or ())]
    for g in sorted(set(groups) - set(targets)):
        plan.notes.append("组 %s 没有控制面积（无组级区域图形，控制面积表中也没有），未平差" % g)
    blocked = _blockers(db, targets, ("T01", "T04", "T05"), blockers, parameters, plan)
    for g in targets:
        idx = by_group[g]
        why = _balance_refusal(g, idx, plots, sources, blocked)
        if why:
            plan.refusals.append(Refusal(g, why))
            continue
        _balance_group(plan, g, idx, plots, sources[g], tolerance, area_tol)
    return plan


def _balance_refusal(g, idx, plots, sources, blocked) -> Optional[str]:
    if g in blocked:
        return _blocked_text(g, blocked[g])
    if g not in sources or sources[g][0] is None:
        return "组 %s 没有控制面积（无组级区域图形，控制面积表中也没有），不能平差" % g
    missing = [_key(plots.rows[i], "DKBM") for i in idx if plots.areas[i] is None]
    if missing:
        return "组 %s 有 %d 个地块无图形（%s），地块面积合计不完整，不能平差" % (
            g, len(missing), _some(missing))
    return None


def _balance_group(plan, g, idx, plots, source, tolerance, area_tol):
    control, source_text = source
    keys = [_key(plots.rows[i], "DKBM") for i in idx]
    exact = [Decimal(plots.areas[i]) for i in idx]   # the float's exact binary value
    total = sum(exact, Decimal(0))
    largest = max(exact)
    if total <= 0:
        plan.refusals.append(Refusal(g, "组 %s 地块图形面积合计为 0，不能平差" % g))
        return
    tol = dec(tolerance) if tolerance else auto_tolerance(total, largest, area_tol)
    closing = control - total
    bal = GroupBalance(g, control, source_text, len(idx), total.quantize(Decimal("0.0001")),
                       cents_sum(num(plots.rows[i].get("SCMJ")) for i in idx),
                       closing.quantize(Decimal("0.0001")), tol)
    plan.balances.append(bal)
    if abs(closing) > tol:
        plan.refusals.append(Refusal(g, "组 %s 控制面积 %.2f 平方米，地块图形面积合计 %.2f 平方米，闭合差 %.2f "
                                        "平方米，超过限差 %s 平方米（超出 %.2f）；请核实控制面积或先修正地块图形"
                                     % (g, control, total, closing, tol, abs(closing) - tol)))
        return
    new = largest_remainder(exact, control, order=keys)
    moves = [abs(area_difference(new[n], plots.areas[idx[n]])) for n in range(len(idx))]
    worst = min(range(len(idx)), key=lambda n: (-moves[n], keys[n]))   # largest move, first code
    bal.max_move = moves[worst]
    bal.new_total = sum(new, Decimal("0.00"))
    if area_exceeds(new[worst], plots.areas[idx[worst]], area_tol):
        plan.refusals.append(Refusal(g, "组 %s 平差后地块 %s 实测面积 %.2f 平方米，图形面积 %.2f 平方米，相差 %.2f，"
                                        "超过容差 %s（M01）；闭合差 %.2f 平方米对该组过大，不能平差"
                                     % (g, keys[worst], new[worst], planar(plots.areas[idx[worst]]),
                                        bal.max_move, area_tol, closing)))
        return
    for n, i in enumerate(idx):
        r = plots.rows[i]
        if _changed(r.get("SCMJ"), new[n]):
            plan.changes.append(Change("DK", "DKBM", keys[n], r["FID"], "SCMJ", r.get("SCMJ"), new[n], g))
        if _changed(r.get("SCMJM"), m2_to_mu(new[n])):
            plan.changes.append(Change("DK", "DKBM", keys[n], r["FID"], "SCMJM", r.get("SCMJM"),
                                       m2_to_mu(new[n]), g))


# --- contract totals --------------------------------------------------------------

def plan_contract_totals(db, scope=None) -> Plan:
    """CBHT.HTZMJ = Σ HTMJ, HTZMJM from it, CBDKZS = rows; YHTZMJ(M) = Σ YHTMJ when any is filled."""
    scope = data.normalize_scope(scope)
    plan = Plan("contracts", scope)
    if not db.has("CBHT"):
        return plan
    per: Dict[str, Dict] = {}
    for r in db.read("CBDKXX", ("CBHTBM", "HTMJ", "YHTMJ")):
        code = str(r.get("CBHTBM") or "").strip()
        if not code:
            continue
        p = per.setdefault(code, {"n": 0, "ht": [], "yht": [], "bad": 0})
        p["n"] += 1
        h = num(r.get("HTMJ"))
        if is_num(h):
            p["ht"].append(h)
        else:
            p["bad"] += 1
        y = num(r.get("YHTMJ"))
        if is_num(y):
            p["yht"].append(y)
    cols = db.columns("CBHT")
    fields = ("FID", "CBHTBM", "FBFBM", "HTZMJ", "HTZMJM", "CBDKZS", "YHTZMJ", "YHTZMJM")
    empty, bad = [], []
    for r in db.read("CBHT", fields):
        if not data.row_in_scope("CBHT", r, scope):
            continue
        key = _key(r, "CBHTBM")
        unit = data.row_unit("CBHT", r) or ""
        p = per.get(key)
        if p is None:
            empty.append(key)
            continue
        if p["bad"]:
            bad.append(key)
            continue
        total = cents_sum(p["ht"])
        new = {"HTZMJ": total, "HTZMJM": m2_to_mu(total), "CBDKZS": p["n"]}
        if p["yht"]:
            ytotal = cents_sum(p["yht"])
            new.update({"YHTZMJ": ytotal, "YHTZMJM": m2_to_mu(ytotal)})
        for f, value in new.items():
            if f in cols and _changed(r.get(f), value):
                plan.changes.append(Change("CBHT", "CBHTBM", key, r["FID"], f, r.get(f), value, unit))
    if empty:
        plan.notes.append("%d 份合同没有承包地块信息（CBDKXX），未重算：%s" % (len(empty), _some(empty)))
    if bad:
        plan.notes.append("%d 份合同有地块的合同面积 HTMJ 为空或不是数值，未重算：%s" % (len(bad), _some(bad)))
    return plan


# --- helpers ----------------------------------------------------------------------

def _some(codes: Sequence[str], n: int = 5) -> str:
    return "、".join(codes[:n]) + ("…" if len(codes) > n else "")


def _blocked_text(unit, messages) -> str:
    return "组 %s 有 %d 个未处理的图形错误，先修正再调整面积：%s" % (
        unit, len(messages), "；".join(messages[:3]) + ("…" if len(messages) > 3 else ""))


def _blockers(db, groups, rules, blockers, parameters, plan) -> Dict[str, List[str]]:
    from .fitness import topology_blockers
    fn = blockers or topology_blockers
    found, notes = fn(db, groups, rules, parameters)
    plan.notes.extend(notes)
    return found
