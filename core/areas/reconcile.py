"""Area reconciliation tables (面积核对) per plot, household, group, village and township.

Areas are summed in Decimal from the stored 2-decimal values, so a township
total is exactly the sum of its villages, a village the sum of its groups and
a group the sum of its plots. The planar area is the area in the database's
projected CRS; an ellipsoidal area can be added by a callable the caller
injects (QGIS's QgsDistanceArea in the processing layer).
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Dict, List, Optional, Sequence

from .. import codelists
from . import data
from .rounding import (CENT, area_difference, area_exceeds, cents_sum, dec, is_num, m2_to_mu,
                       mu_exceeds, num, pct_exceeds, percent, plain, planar)

LEVELS = ("plot", "household", "group", "village", "township")
LEVEL_NAMES = {"plot": "地块", "household": "承包方", "group": "组（发包方）", "village": "村",
               "township": "乡镇"}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Column:
    code: str       # field name of the output layer (ASCII, standard-like)
    title: str      # Chinese header
    kind: str       # text / int / area / mu / pct / ratio
    total: bool = False   # summed in the totals row


@dataclass
class ReconcileTable:
    level: str
    columns: List[Column]
    rows: List[Dict]
    totals: Dict = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)
    parameters: Dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return "面积核对表（%s级）" % LEVEL_NAMES[self.level]

    def column(self, code) -> Column:
        return next(c for c in self.columns if c.code == code)


def _c(code, title, kind, total=None):
    return Column(code, title, kind, kind in ("int", "area", "mu") if total is None else total)


PLOT_COLUMNS = [
    _c("DKBM", "地块编码", "text"), _c("DKMC", "地块名称", "text"), _c("DKLB", "地块类别", "text"),
    _c("CBFBM", "承包方编码", "text"), _c("CBFMC", "承包方名称", "text"),
    _c("SCMJ", "实测面积(平方米)", "area"), _c("SCMJM", "实测面积(亩)", "mu"),
    _c("TXMJ", "图形面积(平方米)", "area"), _c("MJCZ", "实测-图形(平方米)", "area"),
    _c("HSMJM", "实测面积折亩", "mu"), _c("MCZ", "亩面积差(亩)", "mu"),
    _c("TQMJ", "椭球面积(平方米)", "area"), _c("HTMJ", "合同面积(平方米)", "area"),
    _c("BZ", "核对结果", "text"),
]
HOUSEHOLD_COLUMNS = [
    _c("CBFBM", "承包方编码", "text"), _c("CBFMC", "承包方名称", "text"), _c("FBFBM", "发包方编码", "text"),
    _c("DKS", "地块数", "int"), _c("HTMJ", "合同面积(平方米)", "area"), _c("HTMJM", "合同面积(亩)", "mu"),
    _c("SCMJ", "实测面积(平方米)", "area"), _c("SCMJM", "实测面积(亩)", "mu"),
    _c("YHTMJ", "原合同面积(平方米)", "area"), _c("YHTMJM", "原合同面积(亩)", "mu"),
    _c("SC_HT", "实测-合同(平方米)", "area"), _c("SC_HT_BL", "实测-合同(%)", "pct"),
    _c("SC_YHT", "实测-原合同(平方米)", "area"), _c("SC_YHT_BL", "实测-原合同(%)", "pct"),
    _c("BZ", "核对结果", "text"),
]


def unit_columns(level: str) -> List[Column]:
    return ([_c("DWDM", "单位代码", "text"), _c("DWMC", "单位名称", "text"), _c("DKS", "地块数", "int")]
            + [_c(code, "%s(平方米)" % name, "area") for _, code, name in data.DKLB_COLUMNS]
            + [_c("BMMJ", "类别不明(平方米)", "area"), _c("SCMJ", "实测面积合计(平方米)", "area"),
               _c("SCMJM", "实测面积合计(亩)", "mu"), _c("TXMJ", "图形面积合计(平方米)", "area"),
               _c("QYMJ", "区域面积(平方米)", "area"), _c("FGL", "覆盖率", "ratio"),
               _c("BZ", "核对结果", "text")])


def reconcile(db, level: str, scope=None, area_tol=0.1, contract_pct=10.0,
              coverage=(0.20, 1.00), ellipsoidal: Optional[Callable[[Sequence], Sequence]] = None
              ) -> ReconcileTable:
    """The reconciliation table of one level. `ellipsoidal(geoms)` -> areas (plot level only)."""
    if level not in LEVELS:
        raise ValueError("未知的核对级别 %s（可选：%s）" % (level, "、".join(LEVELS)))
    scope = data.normalize_scope(scope)
    params = {"level": level, "scope": ",".join(scope) if scope else "全镇", "AREA_TOL": area_tol,
              "CONTRACT_DIFF_PCT": contract_pct, "COVERAGE_MIN": coverage[0],
              "COVERAGE_MAX": coverage[1], "ellipsoidal": bool(ellipsoidal)}
    if level == "plot":
        table = _plot_level(db, scope, area_tol, ellipsoidal)
    elif level == "household":
        table = _household_level(db, scope, contract_pct)
    else:
        table = _unit_level(db, level, scope, coverage)
    table.parameters = params
    table.totals = totals_of(table)
    return table


def totals_of(table: ReconcileTable, rows: Optional[List[Dict]] = None, label: str = "合计") -> Dict:
    """Column sums (Decimal) of `rows` (default: all rows); 亩 and coverage from the m² sums."""
    rows = table.rows if rows is None else rows
    out: Dict = {}
    for c in table.columns:
        if c.total:
            vals = [r.get(c.code) for r in rows if r.get(c.code) is not None]
            out[c.code] = sum(vals, Decimal(0) if c.kind != "int" else 0)
    out[table.columns[0].code] = label
    if table.level in ("group", "village", "township"):
        out["SCMJM"] = m2_to_mu(out["SCMJ"])   # codes.md §7: 亩 totals from the m² total
        qy = out.get("QYMJ") or ZERO
        out["FGL"] = (out["SCMJ"] / qy).quantize(Decimal("0.0001")) if qy else None
    elif table.level == "household":
        for m2f, muf in (("HTMJ", "HTMJM"), ("SCMJ", "SCMJM"), ("YHTMJ", "YHTMJM")):
            out[muf] = m2_to_mu(out[m2f])
    return out


# Printed reports break long tables into blocks: plots and households per group, groups per village.
SUBTOTALS = {"plot": ("DKBM", 14, "组"), "household": ("CBFBM", 14, "组"), "group": ("DWDM", 12, "村")}


def blocks(table: ReconcileTable):
    """[(rows, subtotal row or None)] in table order; one block without subtotal for other levels."""
    spec = SUBTOTALS.get(table.level)
    if spec is None or not table.rows:
        return [(table.rows, None)]
    code_f, width, what = spec
    out, current, rows = [], None, []
    for r in table.rows:
        unit = str(r.get(code_f) or "")[:width]
        if rows and unit != current:
            out.append((rows, totals_of(table, rows, "%s %s 小计" % (what, current))))
            rows = []
        current = unit
        rows.append(r)
    out.append((rows, totals_of(table, rows, "%s %s 小计" % (what, current))))
    return out


# --- plot ---------------------------------------------------------------------

def _plot_level(db, scope, area_tol, ellipsoidal) -> ReconcileTable:
    plots = data.read_plots(db, scope, geometry=True)
    owner: Dict[str, List[str]] = {}
    htmj: Dict[str, Decimal] = {}
    for r in db.read("CBDKXX", ("DKBM", "CBFBM", "HTMJ")):
        k = str(r.get("DKBM") or "").strip()
        if k:
            owner.setdefault(k, []).append(str(r.get("CBFBM") or "").strip())
            htmj[k] = htmj.get(k, ZERO) + cents_sum([num(r.get("HTMJ"))])
    names = {str(r.get("CBFBM") or "").strip(): str(r.get("CBFMC") or "").strip()
             for r in db.read("CBF", ("CBFBM", "CBFMC"))}
    ell = None
    if ellipsoidal is not None and len(plots):
        ell = list(ellipsoidal(plots.geoms))
    rows = []
    for i, r in enumerate(plots.rows):
        code = str(r.get("DKBM") or "").strip()
        scmj, scmjm, area = num(r.get("SCMJ")), num(r.get("SCMJM")), plots.areas[i]
        notes = []
        row = {"DKBM": code or "fid:%s" % r["FID"], "DKMC": r.get("DKMC"),
               "DKLB": _dklb_text(r.get("DKLB")), "SCMJ": _q(scmj), "SCMJM": _q(scmjm),
               "TXMJ": planar(area).quantize(CENT) if area is not None else None,
               "HTMJ": htmj.get(code)}
        cbfs = sorted(set(owner.get(code, [])))
        row["CBFBM"] = ",".join(cbfs)
        row["CBFMC"] = ",".join(names.get(c, "") for c in cbfs)
        if area is None:
            notes.append("无图形")
        elif not plots.valid[i]:
            notes.append("图形无效（按修复后图形计算）")
        if is_num(scmj):
            row["HSMJM"] = m2_to_mu(scmj)
            if area is not None:
                row["MJCZ"] = area_difference(scmj, area).quantize(CENT)
                if area_exceeds(scmj, area, area_tol):
                    notes.append("实测面积与图形面积相差 %s 平方米，超过容差 %s"
                                 % (abs(area_difference(scmj, area)).quantize(CENT), plain(area_tol)))
            if is_num(scmjm):
                row["MCZ"] = scmjm - row["HSMJM"]
                if mu_exceeds(scmj, scmjm):
                    notes.append("亩面积换算不符")
        else:
            notes.append("实测面积为空" if scmj is None else "实测面积不是数值")
        if ell is not None and ell[i] is not None:
            row["TQMJ"] = Decimal(repr(float(ell[i]))).quantize(CENT)
        row["BZ"] = "；".join(notes) or "相符"
        rows.append(row)
    rows.sort(key=lambda x: x["DKBM"])
    columns = [c for c in PLOT_COLUMNS if c.code != "TQMJ" or ell is not None]
    return ReconcileTable("plot", columns, rows)


def _dklb_text(value) -> str:
    v = str(value or "").strip()
    name = codelists.CODE_LISTS.get("C.7", {}).get(v)
    return "%s %s" % (v, name) if name else v


def _q(value):
    return value.quantize(CENT) if is_num(value) else None


# --- household ----------------------------------------------------------------

def _household_level(db, scope, contract_pct) -> ReconcileTable:
    dk = db.read("DK", ("DKBM", "SCMJ"))
    hh = data.households(db.read("CBF", ("CBFBM", "CBFMC")),
                         db.read("CBDKXX", ("DKBM", "CBFBM", "HTMJ", "YHTMJ")),
                         db.read("CBHT", ("CBFBM", "YHTZMJ")), data.scmj_index(dk))
    rows = []
    for code in sorted(hh):
        if not data.in_scope(code, scope):
            continue
        h = hh[code]
        row = {"CBFBM": code, "CBFMC": h.name, "FBFBM": h.unit, "DKS": len(h.plots),
               "HTMJ": h.contract, "HTMJM": m2_to_mu(h.contract), "SCMJ": h.measured,
               "SCMJM": m2_to_mu(h.measured), "SC_HT": h.measured - h.contract,
               "SC_HT_BL": percent(h.measured - h.contract, h.contract)}
        notes = []
        if h.original is not None:
            row.update({"YHTMJ": h.original, "YHTMJM": m2_to_mu(h.original),
                        "SC_YHT": h.measured - h.original,
                        "SC_YHT_BL": percent(h.measured - h.original, h.original)})
            if pct_exceeds(h.measured - h.original, h.original, contract_pct):
                notes.append("实测与原合同面积相差超过 %s%%" % plain(contract_pct))
        if h.missing_plots:
            notes.append("%d 个地块无实测面积或不在地块图层：%s"
                         % (len(h.missing_plots), ",".join(h.missing_plots[:5])
                            + ("…" if len(h.missing_plots) > 5 else "")))
        if not h.rows:
            notes.append("无承包地块信息")
        row["BZ"] = "；".join(notes) or "相符"
        rows.append(row)
    return ReconcileTable("household", list(HOUSEHOLD_COLUMNS), rows)


# --- group / village / township -----------------------------------------------

_UNIT = {"group": (14, "ZJQY", "ZJQYDM", "ZJQYMC"), "village": (12, "CJQY", "CJQYDM", "CJQYMC"),
         "township": (9, "XJQY", "XJQYDM", "XJQYMC")}


def _unit_level(db, level, scope, coverage) -> ReconcileTable:
    width, layer, code_f, name_f = _UNIT[level]
    plots = data.read_plots(db, scope, geometry=True)
    regions = data.region_areas(db, layer, code_f, name_f)
    names = data.unit_names(db)
    by_dklb = {k: col for k, col, _ in data.DKLB_COLUMNS}
    units: Dict[str, Dict] = {}
    for r, area in zip(plots.rows, plots.areas):
        code = str(r.get("DKBM") or "").strip()
        unit = code[:width] if len(code) >= width else "（编码不全）"
        u = units.get(unit)
        if u is None:
            u = units[unit] = dict({c: ZERO for c in ("BMMJ", "SCMJ", "TXMJ")},
                                   **{col: ZERO for _, col, _ in data.DKLB_COLUMNS}, DKS=0, _noscmj=0)
        u["DKS"] += 1
        scmj = num(r.get("SCMJ"))
        if is_num(scmj):
            s = cents_sum([scmj])
            u["SCMJ"] += s
            lb = str(r.get("DKLB") or "").strip()
            u[by_dklb.get(lb, "BMMJ")] += s
        else:
            u["_noscmj"] += 1
        if area is not None:
            u["TXMJ"] += planar(area).quantize(CENT)
    lo, hi = dec(coverage[0]), dec(coverage[1])
    rows = []
    for unit in sorted(units):
        u = units.pop(unit)
        row = {"DWDM": unit, "DWMC": names.get(unit) or regions.get(unit, (0, ""))[1]}
        row.update({k: v for k, v in u.items() if not k.startswith("_")})
        row["SCMJM"] = m2_to_mu(row["SCMJ"])
        notes = []
        if u["_noscmj"]:
            notes.append("%d 个地块无实测面积" % u["_noscmj"])
        if unit in regions:
            qy = planar(regions[unit][0]).quantize(CENT)
            row["QYMJ"] = qy
            if qy:
                ratio = row["SCMJ"] / qy
                row["FGL"] = ratio.quantize(Decimal("0.0001"))
                if not lo <= ratio <= hi:
                    notes.append("覆盖率超出 %.2f–%.2f" % (lo, hi))
        elif level == "group" and unit.endswith("00"):
            notes.append("村级发包方（无组级区域）")
        else:
            notes.append("无%s图形" % {"ZJQY": "组级区域", "CJQY": "村级区域", "XJQY": "乡级区域"}[layer])
        row["BZ"] = "；".join(notes) or "相符"
        rows.append(row)
    return ReconcileTable(level, unit_columns(level), rows)
