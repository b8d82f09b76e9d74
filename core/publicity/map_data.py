"""Everything a 公示图 sheet shows, prepared without Qt: plots, labels, boundary, page.

Runs in a background task; the print layout (export/publicity/map_layout.py)
then only draws the result in the main thread.
"""
import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import shapely

from .data import Plot, UnitData, fmt_date, fmt_mu
from .labels import (CALLOUT, IN_PLOT, LabelPlan, LabelSpec, Metrics, inside_count, plan_labels,
                     prepare)
from .map_plan import PageChoice, choose_page
from .settings import ROUND_LONG, PublicitySettings
from .units import Unit

MAP_TITLE = "农村土地承包经营权地块分布图"
NON_CONTRACT_NAMES = {"21": "自留地", "22": "机动地", "23": "开荒地", "99": "其他集体土地"}


@dataclass
class MapPlot:
    dkbm: str
    geom: object                # shapely Polygon
    contracted: bool
    lines: tuple                # label lines
    owner: str = ""
    area: str = ""


@dataclass
class UnitMap:
    unit: Unit
    title: str
    subtitle: str
    plots: List[MapPlot]
    region: object                      # shapely (Multi)Polygon or None
    region_source: str                  # ZJQY / CJQY / plots
    choice: Optional[PageChoice] = None
    info: List[str] = field(default_factory=list)
    missing_geometry: List[str] = field(default_factory=list)

    @property
    def plan(self) -> LabelPlan:
        return self.choice.plan if self.choice else LabelPlan(0)


def map_title(unit: Unit, kind: str = "公示图") -> str:
    return "%s%s（%s）" % (unit.place_name, MAP_TITLE, kind)


def label_lines(plot: Plot, owner: str, settings: PublicitySettings) -> tuple:
    """Configurable label items: 承包方名称 / 编码后n位 / 地块名称 / 面积 (亩)."""
    out = []
    for item in settings.label_items:
        if item == "name":
            out.append(owner or NON_CONTRACT_NAMES.get(plot.dklb, "") or "—")
        elif item == "code":
            out.append(plot.code_tail(settings.code_digits))
        elif item == "dkmc" and plot.dkmc:
            out.append(plot.dkmc)
        elif item == "area":
            out.append(fmt_mu(plot.map_mu(settings.map_area)) or "—")
    return tuple(s for s in out if s)


def _polygon(g):
    """The plot's polygon: single part (T03 multi-part plots keep their largest part)."""
    if g is None or g.is_empty:
        return None
    if not g.is_valid:
        g = shapely.make_valid(g)
    parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0]
    if not parts:
        return None
    return max(parts, key=lambda p: p.area)


def read_geometries(db, layer: str, code_field: str, codes: Optional[set] = None) -> Dict[str, object]:
    rows, wkbs = db.read_geometries(layer, [code_field])
    out = {}
    for r, w in zip(rows, wkbs):
        code = str(r.get(code_field) or "").strip()
        if w is None or (codes is not None and code not in codes and code[:14] not in codes):
            continue
        out.setdefault(code, shapely.from_wkb(w))
    return out


def unit_region(unit: Unit, regions: Dict[str, object], villages: Dict[str, object], plots):
    if unit.is_village_level and unit.village_code in villages:
        return villages[unit.village_code], "CJQY"
    if unit.code in regions:
        return regions[unit.code], "ZJQY"
    geoms = [p.geom for p in plots]
    if not geoms:
        return None, "plots"
    # plots closed over small gaps: the outline of the unit as its plots draw it
    merged = shapely.union_all(shapely.buffer(np.array(geoms, dtype=object), 3.0, join_style="mitre"))
    return merged.buffer(-3.0, join_style="mitre"), "plots"


def prepare_unit_map(data: UnitData, geoms: Dict[str, object], regions, villages,
                     settings: PublicitySettings, metrics: Metrics, round_no: int = 1,
                     made_on: Optional[_dt.date] = None) -> UnitMap:
    unit = data.unit
    plots, missing = [], []
    for p in data.plots:
        g = _polygon(geoms.get(p.dkbm))
        if g is None:
            missing.append(p.dkbm)
            continue
        h = data.household_of(p)
        owner = h.name if h else ""
        plots.append(MapPlot(p.dkbm, g, p.is_contracted, label_lines(p, owner, settings), owner,
                             fmt_mu(p.map_mu(settings.map_area))))
    region, source = unit_region(unit, regions, villages, plots)
    um = UnitMap(unit, map_title(unit), "（%s公示）" % ROUND_LONG.get(round_no, ""), plots,
                 region, source, missing_geometry=missing)
    if not plots:
        return um
    parts = [p.geom for p in plots] + ([region] if region is not None else [])
    bounds = shapely.total_bounds(np.array(parts, dtype=object))
    prep = prepare([LabelSpec(p.dkbm, p.geom, p.lines) for p in plots])

    n = len(prep.specs)

    def plan_at(frame, scale, extent, final=False):
        base, low = settings.label_size_mm, settings.label_min_mm
        # legible: most labels inside their plot and nearly all shown whole; a couple of
        # leaders or numbers are fine however few plots the unit has
        inside = inside_count(prep, scale, base, low, metrics)
        inside_ok = inside >= settings.inside_share * n or n - inside <= 2
        if not inside_ok and not final:
            return inside / n, None          # too small a sheet: no callout search needed
        plan = plan_labels(prep, scale, extent, base, low, metrics)
        whole = len(plan.by_mode(*IN_PLOT, CALLOUT))
        ok = inside_ok and (whole >= settings.legible_share * n or n - whole <= 1)
        return (1.0 if ok else min(whole, inside) / n), plan

    um.choice = choose_page(bounds, plan_at, settings.page_size, settings.orientation,
                            settings.legible_share)
    made = fmt_date(made_on or _dt.date.today())
    um.info = [
        "公示轮次：%s公示" % ROUND_LONG.get(round_no, ""),
        "比例尺：1:%d" % um.choice.scale,
        "面积单位：亩",
        "坐标系：2000国家大地坐标系（CGCS2000）",
    ]
    if settings.base_image:
        um.info.append("底图：正射影像（%s）" % os.path.basename(settings.base_image))
    um.info += [
        "地块标注：%s" % " / ".join(
            {"name": "承包方", "code": "地块编码后%d位" % settings.code_digits, "dkmc": "地块名称",
             "area": "面积（亩）"}[i] for i in settings.label_items),
        "制图单位：%s" % (settings.map_unit or (unit.township + "人民政府" if unit.township else "")),
        "制图人：%s    日期：%s" % (settings.maker, made),
        "审核人：%s    日期：" % settings.reviewer,
    ]
    return um


def iter_unit_maps(db, units: Sequence[UnitData], settings: PublicitySettings, metrics: Metrics,
                   round_no: int = 1, feedback=None):
    """UnitMap of each unit in turn, so that drawing can start before all are planned."""
    codes = {u.code for u in units}
    geoms = read_geometries(db, "DK", "DKBM", codes)
    regions = read_geometries(db, "ZJQY", "ZJQYDM", codes)
    villages = read_geometries(db, "CJQY", "CJQYDM", {c[:12] for c in codes})
    for i, u in enumerate(units):
        if feedback is not None:
            feedback.check()
            feedback.progress(100.0 * i / max(1, len(units)))
        yield prepare_unit_map(u, geoms, regions, villages, settings, metrics, round_no)


def prepare_maps(db, units: Sequence[UnitData], settings: PublicitySettings, metrics: Metrics,
                 round_no: int = 1, feedback=None) -> List[UnitMap]:
    return list(iter_unit_maps(db, units, settings, metrics, round_no, feedback))
