"""Edge matching (接边) across the seam a merge creates: rule T13 on the plots near it.

The seam is where newly imported plots meet plots that were already in the
database (within SEAM_DISTANCE), plus new plots that reach into another
village's CJQY. The check runs through the check engine so it is exactly
the self-check's T13; when T13 is not registered yet the report says so.
"""
from typing import Callable, List, Optional

import numpy as np
import shapely

from ..township_db import TownshipDB
from .report import EdgeCheck

SEAM_DISTANCE = 2.0          # m: wider than GAP_MAX_WIDTH (0.5 m), narrower than a road
MAX_PLOT_SCOPE = 2000        # beyond this, scope by village prefix (check engine cost)


def _plots(db: TownshipDB):
    rows, wkbs = db.read_geometries("DK", ["DKBM"])
    fids = np.array([r["FID"] for r in rows], dtype=np.int64)
    keys = [str(r["DKBM"] or "").strip() for r in rows]
    geoms = shapely.from_wkb(np.array([w if w else None for w in wkbs], dtype=object),
                             on_invalid="ignore") if wkbs else np.array([], dtype=object)
    return fids, keys, geoms


def seam_plots(db: TownshipDB, first_new_fid: int) -> List[str]:
    """DKBM of new and old plots that meet across the seam (sorted)."""
    fids, keys, geoms = _plots(db)
    valid = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    new = np.flatnonzero((fids >= first_new_fid) & valid)
    old = np.flatnonzero((fids < first_new_fid) & valid)
    seam = set()
    if len(new) and len(old):
        tree = shapely.STRtree(geoms[old])
        inp, hit = tree.query(geoms[new], predicate="dwithin", distance=SEAM_DISTANCE)
        seam.update(keys[new[i]] for i in inp)
        seam.update(keys[old[j]] for j in hit)
    if len(new) and db.count("CJQY"):
        rows, wkbs = db.read_geometries("CJQY", ["CJQYDM"])
        regions = shapely.from_wkb(np.array([w if w else None for w in wkbs], dtype=object),
                                   on_invalid="ignore")
        codes = [str(r["CJQYDM"] or "") for r in rows]
        ok = np.flatnonzero(np.array([g is not None for g in regions], dtype=bool))
        if len(ok):
            tree = shapely.STRtree(regions[ok])
            inp, hit = tree.query(geoms[new], predicate="intersects")
            for i, j in zip(inp, hit):
                if codes[ok[j]] != keys[new[i]][:12]:
                    seam.add(keys[new[i]])
    return sorted(k for k in seam if k)


def edge_check(db_path: str, first_new_fid: Optional[int], had_plots: bool,
               progress: Optional[Callable[[float], None]] = None) -> EdgeCheck:
    from ...checks import registry
    result = EdgeCheck()
    if "T13" not in registry.implemented():
        result.status, result.reason = "跳过", "T13 规则尚未实现（拓扑检查模块未注册），接边未检查"
        return result
    if first_new_fid is None:
        result.status, result.reason = "跳过", "本次没有导入地块"
        return result
    if not had_plots:
        result.status, result.reason = "跳过", "数据库原无地块，没有新的接边"
        return result
    from ...checks.context import CheckContext, Feedback
    from ...checks.engine import run_checks
    with TownshipDB(db_path, readonly=True) as db:
        plots = seam_plots(db, first_new_fid)
        if not plots:
            result.status = "已运行"
            result.reason = "新导入地块与已有地块在 %.1f 米内不相邻，没有接边" % SEAM_DISTANCE
            return result
        scope = plots if len(plots) <= MAX_PLOT_SCOPE else sorted({k[:12] for k in plots})
        ctx = CheckContext(db, scope=scope, feedback=Feedback(progress))
        checked = run_checks(ctx, ["T13"], data_source=db_path)
        result.status, result.scope = "已运行", list(scope)
        result.findings = checked.by_rule("T13")
        result.reason = "接边处 %d 个地块，发现 %d 处接边问题" % (len(plots), len(result.findings))
        for rule, why in checked.run.get("rules_skipped", {}).items():
            result.reason += "；%s：%s" % (rule, why)
    return result
