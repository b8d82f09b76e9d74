"""Writing an adjustment plan, and undoing it by batch.

Before anything is written the database is copied to a timestamped file in a
`backup` folder next to it (core/backup.py). The changes and one qq_audit record
per changed value are written in one transaction through the shared journal
(core/audit); a value changed since the preview aborts it. Undo is the journal's
generic undo, limited here to area adjustments and their undos.
"""
from typing import List, Optional

from .. import audit
from ..audit import UNDO_PREFIX, AuditError, BatchNotFound, BatchRefused, BatchResult  # noqa: F401
from ..backup import backup_database
from ..plugin_tables import ensure_plugin_tables
from ..township_db import TownshipDB
from .adjust import ACTIONS, AdjustmentError, Plan

# The journal's result of a write or an undo: batch, backup, changed, action.
ApplyResult = BatchResult


class AdjustmentRefused(AdjustmentError):
    pass


def apply_plan(db_path: str, plan: Plan, who: Optional[str] = None,
               allow_refused: bool = False) -> ApplyResult:
    """Write a plan: backup, one transaction of updates with their audit records."""
    if plan.refusals and not allow_refused:
        raise AdjustmentRefused("%s未执行：\n%s" % (plan.label, "\n".join(r.reason for r in plan.refusals)))
    if not plan.changes:
        return ApplyResult(None, None, 0, plan.label)
    backup = backup_database(db_path, plan.action)
    with TownshipDB(db_path) as db:
        ensure_plugin_tables(db)
        w = audit.AuditWriter(db, plan.label, who)
        with db.transaction():
            for c in plan.changes:
                row = w.value(c.table, c.field, c.fid)
                declared = w.meta(c.table)[1][c.field.upper()][1]
                if row is None or not audit.same_value(row[0], audit.audit_text(c.old), declared):
                    raise AdjustmentError(
                        "%s %s 的 %s 在预览后已被修改（现为 %s，预览时为 %s）；请重新生成预览"
                        % (c.table, c.key, c.field, None if row is None else row[0], c.old))
                w.set_value(c.table, c.fid, c.field, c.new, c.key, c.old)
    return ApplyResult(w.batch, backup, len(plan.changes), plan.label)


def is_area_batch(b: audit.Batch) -> bool:
    """An area adjustment, or an undo of one (other tools write qq_audit too)."""
    return b.root in ACTIONS.values()


def batches(db) -> List[dict]:
    """Area-adjustment batches in qq_audit, newest first: batch, action, at, who, count, undone."""
    return [b.as_dict() for b in audit.batches(db, is_area_batch, newest_first=True)]


def undo_batch(db_path: str, batch: str, who: Optional[str] = None, force: bool = False,
               accept=None) -> ApplyResult:
    """Restore every value a batch changed. A value edited since is a conflict (unless force).

    accept: predicate on the batch (core.audit.Batch); default area adjustments. Other
    tools writing through apply_plan (e.g. 四至, core/boundary) pass their own."""
    try:
        return audit.undo_batch(db_path, batch, who=who, force=force, accept=accept or is_area_batch)
    except BatchNotFound as exc:
        raise AdjustmentError("找不到调整批次 %s（见 qq_audit 表的 batch 列）" % (batch or "").strip()) from exc
    except BatchRefused as exc:
        raise AdjustmentError("批次 %s 不是面积调整（操作：%s），请在相应功能中撤销" % (
            (batch or "").strip(), exc.info.action)) from exc
    except AuditError as exc:
        raise AdjustmentError(str(exc)) from exc
