"""界址点 (JZD), 界址线 (JZX) and KJZB written from the plots (codes.md §4).

The geometry and numbering are core/boundary_points.build_boundary; this module
feeds it from the township database (承包方 names, 指界人, XZDW/MZDW/DZDW features,
open disputes) and writes the result:

- build_township_boundary: every JZD/JZX replaced, numbered J1, J2, … (backup copy,
  one transaction, audit rows: one note per layer, one row per changed KJZB);
- build_boundary_for_plots: after an edit, only the plots given and their neighbours
  are redone; points that had a number keep it, new points continue the numbering.

The angle and merge tolerances of a full build are stored in qq_settings so that a
later partial build uses the same ones.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import shapely

from ..audit import AuditWriter, new_batch_id
from ..backup import backup_database
from ..codes import JZD_ANGLE_TOL, JZD_MERGE_TOL
from ..boundary_points import build_boundary
from ..plugin_tables import ensure_plugin_tables, get_setting, set_setting
from .bulk import replace_layer
from .data import (boxes_around, fids_in_boxes, plot_labels, plot_pointers, plots_by_keys,
                   read_features, read_layer, read_plots)

BUILD_ACTION = "生成界址点线"
PARTIAL_ACTION = "更新界址点线"
DEFAULT_ANGLE_TOL = JZD_ANGLE_TOL
DEFAULT_MERGE_TOL = JZD_MERGE_TOL
OUTSIDE_TEXT = "无"           # PLDWQLR/PLDWZJR of a line with nothing beyond it (M fields)
KJZB_MAX = 254
_SETTINGS = ("boundary.angle_tol", "boundary.merge_tol")


@dataclass
class BuildSummary:
    plots: int = 0
    jzd: int = 0                  # points written
    jzx: int = 0                  # lines written
    removed_jzd: int = 0
    removed_jzx: int = 0
    kjzb_changed: int = 0
    angle_tol: float = DEFAULT_ANGLE_TOL
    merge_tol: float = DEFAULT_MERGE_TOL
    batch: Optional[str] = None
    backup: Optional[str] = None
    kjzb: Dict[str, str] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)

    def items_for_report(self):
        return [("地块数", self.plots), ("写入界址点（JZD）", self.jzd), ("写入界址线（JZX）", self.jzx),
                ("删除原界址点", self.removed_jzd), ("删除原界址线", self.removed_jzx),
                ("KJZB 改变的地块", self.kjzb_changed), ("角度容差（度）", self.angle_tol),
                ("同点容差（米）", self.merge_tol), ("批次号", self.batch or ""),
                ("备份文件", self.backup or "")]

    def kjzb_rows(self):
        return sorted(self.kjzb.items())


def tolerances(db, angle_tol=None, merge_tol=None):
    """The given tolerances, else those of the last full build, else the defaults."""
    def pick(value, key, default):
        if value is not None:
            return float(value)
        stored = get_setting(db, key)
        try:
            return float(stored) if stored is not None else default
        except ValueError:
            return default
    angle = pick(angle_tol, _SETTINGS[0], DEFAULT_ANGLE_TOL)
    merge = pick(merge_tol, _SETTINGS[1], DEFAULT_MERGE_TOL)
    if not 0 <= angle < 90:
        raise ValueError("角度容差应在 0–90 度之间（现为 %g）" % angle)
    if not 0 < merge <= 1:
        raise ValueError("同点容差应在 0–1 米之间（现为 %g）" % merge)
    return angle, merge


def _line_features(db, boxes=None):
    """(area, name, JZXLB) of the XZDW/MZDW/DZDW features, as build_boundary takes them."""
    f = read_features(db, boxes)
    areas = f.areal()
    return [(g, lab, lb) for g, lab, lb in zip(areas, f.labels, f.jzxlb) if g is not None]


def _disputed(db):
    """Plot pairs with an open boundary dispute (qq_dispute): their lines are 争议界."""
    if not db.has("qq_dispute"):
        return set()
    cols = db.columns("qq_dispute")
    if not all(c in cols for c in ("DKBM_A", "DKBM_B", "STATUS")):
        return set()
    rows = db.conn.execute("SELECT trim(dkbm_a), trim(dkbm_b) FROM qq_dispute WHERE status='open' "
                           "AND dkbm_a IS NOT NULL AND dkbm_b IS NOT NULL AND trim(dkbm_b) <> ''")
    return {(a, b) for a, b in rows}


def _run(db, plots, angle, merge, fixed=None, start=1, bsm=(1, 1, 1)):
    labels = plot_labels(db, plots)
    boxes = boxes_around(plots.geoms, 1.0) if fixed is not None else None
    return build_boundary(
        plots.keys, plots.geoms, labels, plot_pointers(plots, labels),
        features=_line_features(db, boxes), outside_label=OUTSIDE_TEXT, same_point_tol=merge,
        min_turn_deg=angle, start_number=start, jzd_bsm_start=bsm[0], jzx_bsm_start=bsm[1],
        jzxh_start=bsm[2], fixed_points=None if fixed is None else fixed[0],
        fixed_names=() if fixed is None else fixed[1], disputed=_disputed(db))


def _kjzb_notes(summary, kjzb):
    long = sorted(k for k, v in kjzb.items() if v and len(v) > KJZB_MAX)
    if long:
        summary.notes.append("%d 个地块的 KJZB 超过 %d 个字符（界址点过多）：%s" % (
            len(long), KJZB_MAX, "、".join(long[:10]) + ("…" if len(long) > 10 else "")))


def _write_kjzb(w, plots, kjzb, only=None):
    """Changed KJZB values, audited one row each; returns the count."""
    changed = 0
    for i, key in enumerate(plots.keys):
        if only is not None and key not in only:
            continue
        new = kjzb[i] or None
        old = plots.rows[i].get("KJZB")
        if (old or None) == new:
            continue
        w.set_value("DK", int(plots.fids[i]), "KJZB", new, key, old)
        changed += 1
    return changed


def build_township_boundary(db_path: str, angle_tol: Optional[float] = None,
                            merge_tol: Optional[float] = None, who: Optional[str] = None,
                            feedback=None) -> BuildSummary:
    """Replace all JZD/JZX and KJZB of the township (backup first, one transaction)."""
    from ..township_db import TownshipDB
    with TownshipDB(db_path) as db:
        ensure_plugin_tables(db)
        angle, merge = tolerances(db, angle_tol, merge_tol)
        plots = read_plots(db)
        _progress(feedback, 10)
        b = _run(db, plots, angle, merge)
        _progress(feedback, 60)
    summary = BuildSummary(plots=len(plots), angle_tol=angle, merge_tol=merge)
    summary.backup = backup_database(db_path, "boundary")
    summary.batch = new_batch_id()
    with TownshipDB(db_path) as db:
        w = AuditWriter(db, BUILD_ACTION, who, batch=summary.batch)
        with db.transaction():
            summary.removed_jzd = replace_layer(db, "JZD", b.jzd_rows, b.jzd_points)
            summary.removed_jzx = replace_layer(db, "JZX", b.jzx_rows, b.jzx_lines)
            summary.jzd, summary.jzx = len(b.jzd_rows), len(b.jzx_rows)
            summary.kjzb_changed = _write_kjzb(w, plots, b.kjzb)
            note = "角度容差 %g 度，同点容差 %g 米；备份 %s" % (angle, merge, summary.backup)
            for layer, old, new in (("JZD", summary.removed_jzd, summary.jzd),
                                    ("JZX", summary.removed_jzx, summary.jzx)):
                w.summary(layer, "%d 条" % old, "%d 条" % new, note)
            set_setting(db, _SETTINGS[0], angle)
            set_setting(db, _SETTINGS[1], merge)
    summary.kjzb = {k: v for k, v in zip(plots.keys, b.kjzb)}
    _kjzb_notes(summary, summary.kjzb)
    _progress(feedback, 100)
    return summary


def _progress(feedback, pct):
    if feedback is not None and hasattr(feedback, "progress"):
        feedback.progress(pct)


def _touching(plots, seeds: Sequence[int], tol: float) -> np.ndarray:
    """Indices of the plots within tol of one of the seed plots (the seeds included)."""
    seeds = np.asarray([i for i in seeds if plots.geoms[i] is not None], dtype=np.int64)
    if not len(seeds):
        return seeds
    tree = shapely.STRtree(plots.geoms)
    _, hit = tree.query(plots.geoms[seeds], predicate="dwithin", distance=tol)
    return np.union1d(seeds, hit)


def _codes(text) -> List[str]:
    return [t.strip() for t in str(text or "").split("/") if t.strip()]


def _max_numbers(db, layer, number_field, prefix=""):
    """(highest BSM, highest number in number_field) of a layer, 0 when none; one scan.
    'J123' counts as 123 with prefix 'J'; values that are not numbers are ignored."""
    if not db.has(layer):
        return 0, 0
    cols = db.columns(layer)
    bsm = 'max("%s")' % cols["BSM"][0] if "BSM" in cols else "0"
    num = "0"
    if number_field.upper() in cols:
        v = 'trim("%s")' % cols[number_field.upper()][0]
        body = "substr(%s, %d)" % (v, len(prefix) + 1) if prefix else v
        cond = "%s GLOB '%s[0-9]*'" % (v, prefix) if prefix else "%s GLOB '[0-9]*'" % v
        num = "max(CASE WHEN %s THEN CAST(%s AS INTEGER) END)" % (cond, body)
    row = db.conn.execute('SELECT %s, %s FROM "%s"' % (bsm, num, db.name(layer))).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def build_boundary_for_plots(db, dkbms: Sequence[str], angle_tol: Optional[float] = None,
                             merge_tol: Optional[float] = None, who: Optional[str] = None) -> BuildSummary:
    """Redo JZD/JZX/KJZB of the given plots (e.g. just split, merged or redrawn; codes of
    plots that no longer exist are cleaned up) and of the plots touching them. Points that
    had a number keep it; new points continue after the highest JZDH. One transaction on
    db, audited as one batch; the rest of the township is not touched."""
    ensure_plugin_tables(db)
    angle, merge = tolerances(db, angle_tol, merge_tol)
    summary = BuildSummary(angle_tol=angle, merge_tol=merge)
    wanted = {str(k).strip() for k in dkbms if str(k).strip()}
    targets = plots_by_keys(db, wanted)
    gone = sorted(wanted - set(targets.keys))
    # L: the plots given and those touching them; C: L and the plots touching L (context
    # for junctions and neighbours of L's points)
    near = read_plots(db, boxes_around(targets.geoms, 1.0)) if len(targets) else targets
    idx = near.index()
    seeds = [idx[k] for k in targets.keys if k in idx]
    redo = _touching(near, seeds, merge)
    redo_keys = {near.keys[i] for i in redo}
    ctx = read_plots(db, boxes_around(near.geoms[redo], 1.0)) if len(redo) else near
    cidx = ctx.index()
    context = _touching(ctx, [cidx[k] for k in redo_keys if k in cidx], merge)
    plots = _subset(ctx, context)
    # existing JZD / JZX around, and the rows naming the redone or vanished plots
    region = boxes_around(plots.geoms, 1.0)
    jrows, jgeoms = read_layer(db, "JZD", ["JZDH", "DKBM"], fids_in_boxes(db, "JZD", region))
    lrows, _ = read_layer(db, "JZX", ["DKBM"], fids_in_boxes(db, "JZX", region))
    for code in gone:
        more, more_geoms = _rows_naming(db, "JZD", ["JZDH", "DKBM"], code)
        jrows, jgeoms = jrows + more, jgeoms + more_geoms
        lrows += _rows_naming(db, "JZX", ["DKBM"], code)[0]
    fixed_xy = np.array([[g.x, g.y] for g in jgeoms if g is not None], dtype=float).reshape(-1, 2)
    fixed_names = [str(r.get("JZDH") or "").strip() for r, g in zip(jrows, jgeoms) if g is not None]
    if len(plots):
        jzd_bsm, jzdh = _max_numbers(db, "JZD", "JZDH", "J")
        jzx_bsm, jzxh = _max_numbers(db, "JZX", "JZXH")
        b = _run(db, plots, angle, merge, fixed=(fixed_xy, fixed_names), start=jzdh + 1,
                 bsm=(jzd_bsm + 1, jzx_bsm + 1, jzxh + 1))
    else:
        b = None
    affected = redo_keys | set(gone)
    keep_pts = [k for k, r in enumerate(b.jzd_rows) if set(_codes(r["DKBM"])) & redo_keys] if b else []
    keep_lines = [k for k, r in enumerate(b.jzx_rows) if set(_codes(r["DKBM"])) & redo_keys] if b else []
    new_names = {b.jzd_rows[k]["JZDH"] for k in keep_pts} if b else set()
    drop_pts = sorted({r["FID"] for r in jrows if set(_codes(r.get("DKBM"))) & affected
                       or str(r.get("JZDH") or "").strip() in new_names})
    drop_lines = sorted({r["FID"] for r in lrows if set(_codes(r.get("DKBM"))) & affected})
    summary.batch = new_batch_id()
    w = AuditWriter(db, PARTIAL_ACTION, who, batch=summary.batch)
    with db.transaction():
        for layer, fids in (("JZD", drop_pts), ("JZX", drop_lines)):
            pk = db.primary_key(layer)
            db.conn.executemany('DELETE FROM "%s" WHERE "%s"=?' % (db.name(layer), pk),
                                [(f,) for f in fids])
        if b is not None:
            _renumber(b, keep_pts, keep_lines)
            if keep_pts:
                summary.jzd = db.insert("JZD", [b.jzd_rows[k] for k in keep_pts],
                                        geoms=np.asarray(b.jzd_points)[keep_pts])
            if keep_lines:
                summary.jzx = db.insert("JZX", [b.jzx_rows[k] for k in keep_lines],
                                        geoms=np.asarray(b.jzx_lines)[keep_lines])
            summary.kjzb_changed = _write_kjzb(w, plots, b.kjzb, only=redo_keys)
            summary.kjzb = {k: v for k, v in zip(plots.keys, b.kjzb) if k in redo_keys}
        summary.removed_jzd, summary.removed_jzx = len(drop_pts), len(drop_lines)
        note = "地块 %s 及相邻地块：删除界址点 %d、界址线 %d，写入界址点 %d、界址线 %d" % (
            "、".join(sorted(wanted)), len(drop_pts), len(drop_lines), summary.jzd, summary.jzx)
        w.summary("JZD", "%d 条" % len(drop_pts), "%d 条" % summary.jzd, note)
        w.summary("JZX", "%d 条" % len(drop_lines), "%d 条" % summary.jzx, note)
    summary.plots = len(redo_keys)
    if gone:
        summary.notes.append("已不存在的地块（其界址点线已清除）：%s" % "、".join(gone))
    _kjzb_notes(summary, summary.kjzb)
    return summary


def _subset(plots, idx):
    from .data import Plots
    idx = np.asarray(idx, dtype=np.int64)
    return Plots(plots.fids[idx], [plots.keys[i] for i in idx], [plots.rows[i] for i in idx],
                 plots.geoms[idx])


def _rows_naming(db, layer, fields, code):
    """Rows of JZD/JZX whose DKBM list names a plot (for plots that no longer exist)."""
    if not db.has(layer):
        return [], []
    col = db.columns(layer)["DKBM"][0]
    fids = [r[0] for r in db.conn.execute('SELECT "%s" FROM "%s" WHERE instr("%s", ?) > 0' % (
        db.primary_key(layer), db.name(layer), col), (code,))]
    rows, geoms = read_layer(db, layer, fields, fids)
    sel = [k for k, r in enumerate(rows) if code in _codes(r.get("DKBM"))]
    return [rows[k] for k in sel], [geoms[k] for k in sel]


def _renumber(b, keep_pts, keep_lines):
    """BSM and JZXH of the rows written, consecutive from the first free number."""
    if keep_pts:
        first = b.jzd_rows[0]["BSM"]
        for n, k in enumerate(keep_pts):
            b.jzd_rows[k]["BSM"] = first + n
    if keep_lines:
        first_bsm, first_h = b.jzx_rows[0]["BSM"], int(b.jzx_rows[0]["JZXH"])
        for n, k in enumerate(keep_lines):
            b.jzx_rows[k]["BSM"] = first_bsm + n
            b.jzx_rows[k]["JZXH"] = str(first_h + n)
