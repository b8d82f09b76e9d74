"""四至 (DKDZ/DKNZ/DKXZ/DKBZ) from the plots' neighbours, previewed, written and undone.

    result = compute_sizhi(db)                      # or compute_sizhi(db, dkbms=[...])
    result.preview("fill")                          # [(DKBM, field, old, new)]
    apply_sizhi(db.path, result, "fill")            # backup, one transaction, qq_audit batch
    undo_sizhi(db.path, batch)

Writing goes through core/areas/apply.py (backup copy, stale-value check, one
qq_audit row per changed value with row_fid), so the batch is undone by the
shared journal (core/audit) like any other. Only values that could be
determined are written: an undetermined direction never blanks a field.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np

from ..areas.adjust import Change, Plan
from .. import audit
from ..areas.apply import apply_plan, undo_batch
from .data import boxes_around, plot_labels, plots_by_keys, read_features, read_plots
from .sides import DIRECTIONS, compute_sides

SIZHI_ACTION = "计算四至"
FIELDS = ("DKDZ", "DKNZ", "DKXZ", "DKBZ")            # 东 南 西 北
FIELD_NAMES = dict(zip(FIELDS, DIRECTIONS))
POLICIES = ("fill", "overwrite")
POLICY_NAMES = {"fill": "仅填写空白", "overwrite": "全部覆盖"}
MAX_LEN = 50                                         # Char(50)
PLACEHOLDERS = {"/", "-", "无", "／", "－", "—"}      # count as empty, like A13
DEFAULT_SEARCH = 5.0
DEFAULT_STEP = 5.0


def blank(value) -> bool:
    return value is None or str(value).strip() in ("",) or str(value).strip() in PLACEHOLDERS


@dataclass
class PlotSizhi:
    dkbm: str
    fid: int
    old: tuple
    new: tuple
    lengths: tuple            # boundary length (m) of each chosen neighbour

    @property
    def determined(self) -> int:
        return sum(1 for v in self.new if v)

    @property
    def missing(self) -> List[str]:
        return [DIRECTIONS[i] for i, v in enumerate(self.new) if not v]


@dataclass
class SizhiChange:
    dkbm: str
    fid: int
    field: str
    old: object
    new: str


@dataclass
class SizhiResult:
    plots: List[PlotSizhi]
    search_distance: float
    notes: List[str] = field(default_factory=list)

    def changes(self, policy: str = "fill") -> List[SizhiChange]:
        if policy not in POLICIES:
            raise ValueError("未知的写入方式 %s（可选：%s）" % (policy, "、".join(POLICIES)))
        out = []
        for p in self.plots:
            for f, old, new in zip(FIELDS, p.old, p.new):
                if not new:
                    continue                       # undetermined: keep what is there
                if policy == "fill" and not blank(old):
                    continue
                if not blank(old) and str(old).strip() == new:
                    continue
                out.append(SizhiChange(p.dkbm, p.fid, f, old, new))
        return out

    def preview(self, policy: str = "fill") -> List[tuple]:
        """[(DKBM, field, old, new)] of the values a write would change."""
        return [(c.dkbm, c.field, c.old, c.new) for c in self.changes(policy)]

    def incomplete(self) -> List[PlotSizhi]:
        """Plots where fewer than 3 directions could be determined."""
        return [p for p in self.plots if p.determined < 3]


class _SizhiPlan(Plan):
    """An area-tools plan carrying 四至 changes (same writer, backup and audit)."""

    @property
    def label(self) -> str:
        return SIZHI_ACTION


def compute_sizhi(db, dkbms: Optional[Sequence[str]] = None,
                  search_distance: float = DEFAULT_SEARCH, step: float = DEFAULT_STEP,
                  feedback=None, outside_label: str = "") -> SizhiResult:
    """四至 of every plot, or of the plots with the given DKBM (their surroundings are read
    through the R-tree only). feedback: optional object with progress(pct) and check();
    outside_label: written where nothing lies within the search distance (default: nothing)."""
    search_distance = float(search_distance)
    if search_distance <= 0:
        raise ValueError("搜索距离必须大于 0 米")
    notes = []
    if dkbms is not None:
        targets_only = plots_by_keys(db, dkbms)
        missing = sorted(set(str(k).strip() for k in dkbms if str(k).strip()) - set(targets_only.keys))
        if missing:
            notes.append("找不到地块：%s" % "、".join(missing))
        boxes = boxes_around(targets_only.geoms, search_distance + 1.0)
        plots = read_plots(db, boxes) if boxes else targets_only
        features = read_features(db, boxes) if boxes else None
        wanted = set(targets_only.keys)
    else:
        plots = read_plots(db)
        features = read_features(db)
        wanted = None
    _progress(feedback, 20)
    labels = plot_labels(db, plots)
    order = sorted(range(len(plots)), key=lambda i: plots.keys[i])
    rank = np.empty(len(plots), np.int64)
    rank[order] = np.arange(len(plots))
    targets = [i for i in order if wanted is None or plots.keys[i] in wanted]
    sides = compute_sides(plots.geoms, labels, features, search_distance, step, targets, rank,
                          check=getattr(feedback, "check", None),
                          outside_label=(outside_label or "").strip())
    _progress(feedback, 90)
    out = []
    for i in targets:
        row = plots.rows[i]
        new = tuple(v[:MAX_LEN] for v in sides.labels[i])
        out.append(PlotSizhi(plots.keys[i], int(plots.fids[i]), tuple(row.get(f) for f in FIELDS),
                             new, tuple(round(float(x), 2) for x in sides.lengths[i])))
    no_geom = [plots.keys[i] for i in targets if plots.geoms[i] is None]
    if no_geom:
        notes.append("%d 个地块没有可用图形，四至未计算：%s" % (
            len(no_geom), "、".join(no_geom[:10]) + ("…" if len(no_geom) > 10 else "")))
    _progress(feedback, 100)
    return SizhiResult(out, search_distance, notes)


def _progress(feedback, pct):
    if feedback is not None and hasattr(feedback, "progress"):
        feedback.progress(pct)


def apply_sizhi(db_path: str, result: SizhiResult, policy: str = "fill", who: Optional[str] = None):
    """Write the changes of a policy: backup, one transaction, one audit row per value.
    Returns core.areas.apply.ApplyResult (batch, backup, changed); batch None = nothing to do."""
    plan = _SizhiPlan("sizhi", parameters={"policy": policy,
                                           "search_distance": result.search_distance})
    plan.changes = [Change("DK", "DKBM", c.dkbm, c.fid, c.field, c.old, c.new, c.dkbm[:14])
                    for c in result.changes(policy)]
    return apply_plan(db_path, plan, who=who)


def is_sizhi_batch(b: audit.Batch) -> bool:
    return b.action == SIZHI_ACTION


def undo_sizhi(db_path: str, batch: str, who: Optional[str] = None, force: bool = False):
    """Restore the 四至 a batch wrote (a value edited since is a conflict unless force)."""
    return undo_batch(db_path, batch, who=who, force=force, accept=is_sizhi_batch)


def sizhi_batches(db) -> List[dict]:
    """四至 batches in qq_audit, newest first: batch, at, who, count, undone."""
    return [{k: v for k, v in b.as_dict().items() if k in ("batch", "at", "who", "count", "undone")}
            for b in audit.batches(db, is_sizhi_batch, newest_first=True)]
