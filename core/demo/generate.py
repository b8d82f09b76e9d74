"""Entry point: generate_township() writes a deterministic demo township (衡东县) GeoPackage."""
import json
import os
import random
from typing import Callable, Dict, Optional

import numpy as np
import shapely

from ..boundary_points import FOUR_FIELDS, build_boundary
from ..codes import m2_to_mu
from ..township_db import TownshipDB, create_database
from . import attributes, geometry, layout, names, ownership, rings, writer
from .model import Township
from .people import HouseholdMaker, IdMaker

SAME_POINT_TOL = 0.001      # XY tolerance: the demo's shared points are exact
MIN_TURN_DEG = 1.0          # straight-through vertices met by no other plot are not 界址点
OUTSIDE_LABEL = "山林"
CHUNK_PLOTS = 100000
MIN_DEFECT_PLOTS = 800
EPSG_EASTING_OFFSET = {4526: 0, 4545: -38_000_000_000}   # zone 38 with / without prefix (mm)


def _streams(seed: int):
    """Independent deterministic streams, so that defects never move the layout."""
    return {k: (np.random.default_rng([seed, i]), random.Random(seed * 1000 + i))
            for i, k in enumerate(("layout", "attributes", "people", "tables", "defects"))}


def _admin_units(plan):
    out = []
    for v in plan.villages:
        out.append({"code": v["code"], "name": v["name"], "level": "village", "is_fbf": False})
        for g in v["groups"]:
            grp = plan.groups[g]
            out.append({"code": grp["code"], "name": grp["name"], "level": "group", "is_fbf": True})
    return out


def generate_township(output_path: str, plots: int = 3000, seed: int = 1, defects: bool = False,
                      manifest_path: Optional[str] = None, geometry_only: bool = False,
                      epsg: int = 4526, progress: Optional[Callable[[float], None]] = None) -> Dict:
    """Write the demo township to output_path (overwritten) and return a summary.

    plots: number of DK features of the clean township (defects add and remove a few);
    defects: inject the defects of the check catalogue and list them in the manifest
    (JSON list of {rule, keys, note[, lookalike, also, file]}); geometry_only: only DK,
    regions, XZDW, MZDW (and the other base layers), for very large townships.
    """
    if plots < 50:
        raise ValueError("地块数至少为 50")
    if defects and plots < MIN_DEFECT_PLOTS:
        raise ValueError("注入缺陷的演示乡镇至少需要 %d 块地（每条规则的缺陷各占不同的地块和承包方）"
                         % MIN_DEFECT_PLOTS)
    if defects and geometry_only:
        raise ValueError("缺陷注入需要权属数据，不能与“仅图形”同时使用")
    if epsg not in EPSG_EASTING_OFFSET:
        raise ValueError("演示乡镇位于 CGCS2000 3度带第 38 带（中央经线 114°）：请用 EPSG:4526（带号）或 4545")
    report = progress or (lambda pct: None)
    s = _streams(seed)
    plan = layout.build_plan(plots, s["layout"][0])     # the same township with or without defects
    if EPSG_EASTING_OFFSET[epsg]:
        plan.xs = plan.xs + EPSG_EASTING_OFFSET[epsg]
        off = EPSG_EASTING_OFFSET[epsg]
        plan.pieces = [(g, [(x + off, y) for x, y in ring]) for g, ring in plan.pieces]
        for st in plan.strips:
            st["a"], st["b"] = (st["a"][0] + off, st["a"][1]), (st["b"][0] + off, st["b"][1])
    report(10)
    attributes.units(plan, s["attributes"][1])
    jbnt = attributes.jbnt_blocks(plan, s["attributes"][0])
    town = Township(plan, *s["defects"])
    town.admin_units = _admin_units(plan)
    xzdw_rows, xzdw_lines, road_feats = geometry.strip_rows(plan)
    pond_rows, pond_geoms = geometry.pond_rows(plan)
    features = road_feats + [(g, "坑塘", "99") for g in pond_geoms]
    create_database(output_path, epsg, overwrite=True)
    counts: Dict[str, int] = {}
    with TownshipDB(output_path) as db:
        with db.transaction():
            if geometry_only:
                _plots_geometry_only(db, town, jbnt, features, s, counts, report)
            else:
                _plots_full(db, town, jbnt, features, s, counts, report, defects)
            report(85)
            _base_layers(db, town, jbnt, xzdw_rows, xzdw_lines, pond_rows, pond_geoms, counts,
                         defects, seed)
            writer.write_admin_units(db, town.admin_units)
    writer.write_admin_csv(os.path.join(os.path.dirname(os.path.abspath(output_path)),
                                        "admin_units.csv"), town.admin_units)
    if defects:
        from .defects_structure import companion
        companion(output_path, town, epsg)
    if manifest_path:
        with open(manifest_path, "w", encoding="utf-8") as fh:
            json.dump(town.manifest, fh, ensure_ascii=False, indent=1)
    report(100)
    summary = {"path": output_path, "seed": seed, "epsg": epsg,
               "villages": len(plan.villages), "groups": len(plan.groups)}
    summary.update({"count_" + k: v for k, v in sorted(counts.items())})
    summary["manifest"] = town.manifest
    return summary


def _shape(plan, p):
    return [[rings.plot_ring(plan, p)]]


def _finish_plots(rows, polys):
    for r, g in zip(rows, polys):
        r["SCMJ"], r["SCMJM"] = geometry.area_fields(g)


def _apply_boundary(rows, b):
    for r, kj, four in zip(rows, b.kjzb, b.four):
        r["KJZB"] = kj or None
        for f, v in zip(FOUR_FIELDS, four):
            r[f] = v or None


def _plots_geometry_only(db, town, jbnt, features, s, counts, report):
    """DK in chunks of villages (no shared points across villages: roads between them)."""
    plan = town.plan
    nm = names.NameMaker(s["people"][1])
    village_order = np.argsort(plan.plot_village, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(plan.plot_village[village_order])) + 1, len(village_order)]
    number, bsm, chunk_start = 1, 1, 0
    for k in range(1, len(bounds)):
        if k < len(bounds) - 1 and bounds[k] - bounds[chunk_start] < CHUNK_PLOTS:
            continue
        idx = village_order[bounds[chunk_start]:bounds[k]]
        chunk_start = k
        rows = attributes.dk_rows(plan, idx, s["attributes"][0], jbnt)
        shapes = [_shape(plan, p) for p in idx.tolist()]
        polys = geometry.polygons(plan, shapes)
        labels = []
        for r in rows:
            if r["DKLB"] == "10":
                r["ZJRXM"] = nm.person(nm.rnd.random() < 0.85)
                labels.append(r["ZJRXM"])
            else:
                labels.append(attributes.CATEGORY_LABEL[r["DKLB"]])
        _finish_plots(rows, polys)
        b = build_boundary([r["DKBM"] for r in rows], polys, labels, features=features,
                           outside_label=OUTSIDE_LABEL, same_point_tol=SAME_POINT_TOL,
                           min_turn_deg=MIN_TURN_DEG, start_number=number, with_lines=False)
        number = b.next_number
        _apply_boundary(rows, b)
        bsm += writer.write(db, "DK", rows, polys, bsm_start=bsm)
        report(10 + 75.0 * bounds[k] / len(village_order))
    counts["DK"] = bsm - 1


def _plots_full(db, town, jbnt, features, s, counts, report, defects):
    """Everything in memory: plots, owners, 界址, tables (and the defects, if asked)."""
    plan = town.plan
    idx = np.arange(len(plan.plot_block))
    town.dk = attributes.dk_rows(plan, idx, s["attributes"][0], jbnt)
    town.shapes = [_shape(plan, p) for p in idx.tolist()]
    maker = HouseholdMaker(s["people"][1], IdMaker(s["people"][1]), names.NameMaker(s["people"][1]))
    town.contractors = ownership.assign(plan, town.dk, s["people"][1], maker)
    report(25)
    if defects:
        from . import defects_geometry
        defects_geometry.apply_plots(town)
    polys = geometry.polygons(plan, town.shapes)
    _finish_plots(town.dk, polys)
    for k, r in enumerate(town.dk):
        if r.get("_nogeom"):       # a plot imported from a spreadsheet: areas typed in, no shape
            polys[k] = shapely.MultiPolygon() if r["_nogeom"] == "empty" else None
            r["SCMJ"], r["SCMJM"] = r["_sheet_area"], float(m2_to_mu(r["_sheet_area"]))
    report(40)
    feats = features + town.extra_features
    if defects:
        from . import defects_regions
        defects_regions.natural_lookalikes(town, polys, features)
    b = build_boundary([r["DKBM"] for r in town.dk], polys, ownership.labels(town.dk, town.contractors),
                       features=feats, outside_label=OUTSIDE_LABEL, same_point_tol=SAME_POINT_TOL,
                       min_turn_deg=MIN_TURN_DEG)
    _apply_boundary(town.dk, b)
    town.jzd, town.jzx = (b.jzd_rows, list(b.jzd_points)), (b.jzx_rows, list(b.jzx_lines))
    report(60)
    town.tables = ownership.build_tables(plan, town.dk, town.contractors, s["tables"][1], maker)
    if defects:
        from . import defects_tables
        defects_tables.apply_structure(town)
    ownership.recompute(town.tables)
    if defects:
        from . import defects_values
        defects_values.apply(town)
        from . import defects_regions
        defects_regions.apply_lines(town)
        defects_regions.finalize_keys(town)
    report(70)
    counts["DK"] = writer.write(db, "DK", town.dk, polys)
    counts["JZD"] = writer.write(db, "JZD", town.jzd[0], town.jzd[1])
    counts["JZX"] = writer.write(db, "JZX", town.jzx[0], town.jzx[1])
    for name in ownership.TABLES:
        counts[name] = writer.write(db, name, town.tables[name])


def _base_layers(db, town, jbnt, xzdw_rows, xzdw_lines, pond_rows, pond_geoms, counts, defects,
                 seed):
    plan = town.plan
    zj, cj, xj, county = geometry.regions(plan)
    town.regions = {
        "ZJQY": [({"ZJQYDM": plan.groups[g]["code"], "ZJQYMC": plan.groups[g]["name"]}, geom)
                 for g, geom in zj.items()],
        "CJQY": [({"CJQYDM": plan.villages[v]["code"], "CJQYMC": plan.villages[v]["name"]}, geom)
                 for v, geom in cj.items()],
        "XJQY": [({"XJQYDM": names.TOWNSHIP_CODE, "XJQYMC": names.TOWNSHIP_NAME}, xj)],
        "XJXZQ": [({"XZQDM": names.COUNTY_CODE, "XZQMC": names.COUNTY_NAME}, county)],
    }
    if defects:
        from . import defects_regions
        defects_regions.apply_regions(town)
    for layer, items in town.regions.items():
        counts[layer] = writer.write(db, layer, [r for r, _ in items],
                                     [geometry.multi(g) for _, g in items])
    zj_final = {r["ZJQYDM"]: g for r, g in town.regions["ZJQY"]}
    cj_final = {r["CJQYDM"]: g for r, g in town.regions["CJQY"]}
    qy_rows, qy_lines = geometry.boundary_lines(zj_final, cj_final, town.regions["XJQY"][0][1])
    counts["QYJX"] = writer.write(db, "QYJX", qy_rows, qy_lines)
    counts["XZDW"] = writer.write(db, "XZDW", xzdw_rows, xzdw_lines)
    mz_rows = pond_rows + [r for r, _ in town.mzdw_extra]
    mz_geoms = [geometry.multi(g) for g in pond_geoms] + [geometry.multi(g) for _, g in town.mzdw_extra]
    counts["MZDW"] = writer.write(db, "MZDW", mz_rows, mz_geoms)
    kzd_rows, kzd_pts = geometry.control_points(plan, np.random.default_rng([seed, 99]))
    counts["KZD"] = writer.write(db, "KZD", kzd_rows, kzd_pts)
    jb_rows, jb_geoms = geometry.jbnt_rows(plan, jbnt)
    counts["JBNTBHQ"] = writer.write(db, "JBNTBHQ", jb_rows, jb_geoms)
