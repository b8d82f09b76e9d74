"""Undo and redo of ownership steps, from their qq_audit rows.

A step is a batch of audit rows written by journal.Journal (row_fid set). Undoing
a step applies the inverse of each row, newest first, as a new audited step
('撤销批次 <batch>', the journal's marker for every tool); redoing applies the
rows again ('重做批次 <batch>'). The rows are replayed by the shared journal
(core/audit.revert): before each value is touched it must still be what the step
left (or, for a redo, what it found); a later change is a conflict and nothing
is written. Unlike the generic undo, a step's undo is validated like any edit.
History is linear: a new edit clears the redo list.
"""
import json
from typing import List, Optional, Tuple

from .. import audit
from ..audit import REDO_PREFIX, UNDO_PREFIX, WHOLE_ROW  # noqa: F401 (markers callers read here)
from .journal import OwnershipError
from .step import ACTIONS, EditResult, EditStep

_CODE_KIND = {"DK": "dkbm", "CBDKXX": "dkbm", "CBF": "cbfbm", "CBF_JTCY": "cbfbm", "CBHT": "cbhtbm"}
_LINK_FIELDS = {"CBFBM": "cbfbm", "CBHTBM": "cbhtbm", "DKBM": "dkbm"}

Step = audit.Batch          # batch, action, note, at, who, count, ref_batch; .label


def _is_step(b: audit.Batch) -> bool:
    """An ownership step, or an undo/redo of one (by any tool)."""
    return b.root in ACTIONS


def steps(db) -> List[Step]:
    """Ownership steps and their undo/redo steps, oldest first."""
    return audit.batches(db, _is_step)


def stacks(db) -> Tuple[List[Step], List[Step]]:
    """(done, undone): steps in effect, and undone steps that can be redone (last = next)."""
    done: List[Step] = []
    undone: List[Step] = []
    for s in steps(db):
        if s.is_undo:
            hit = [d for d in done if d.batch == s.target]
            if hit:
                done.remove(hit[0])
                undone.append(hit[0])
        elif s.is_redo:
            hit = [d for d in undone if d.batch == s.target]
            if hit:
                undone.remove(hit[0])
                done.append(hit[0])
        else:
            done.append(s)
            undone.clear()
    return done, undone


def undoable(db) -> Optional[Step]:
    done, _ = stacks(db)
    return done[-1] if done else None


def redoable(db) -> Optional[Step]:
    _, undone = stacks(db)
    return undone[-1] if undone else None


def _touched(rows: List[audit.Entry]) -> dict:
    out = {"dkbm": set(), "cbfbm": set(), "cbhtbm": set()}
    for e in rows:
        kind = _CODE_KIND.get(str(e.table).upper())
        if kind and e.key and not str(e.key).startswith("fid:"):
            out[kind].add(e.key)
        if e.whole_row:
            values = json.loads(e.old or e.new)["values"]
            pairs = [(k.upper(), v) for k, v in values.items()]
        else:
            pairs = [(str(e.field).upper(), e.old), (str(e.field).upper(), e.new)]
        if str(e.table).upper() in ("CBDKXX", "CBHT", "CBF_JTCY"):
            for fld, value in pairs:
                if fld in _LINK_FIELDS and value:
                    out[_LINK_FIELDS[fld]].add(str(value).strip())
    return out


def _run(db, target: Step, forward: bool, who) -> EditResult:
    rows = audit.entries(db, target.batch)
    if not rows:
        raise OwnershipError("找不到步骤 %s" % target.batch)
    prefix = REDO_PREFIX if forward else UNDO_PREFIX
    word = "重做" if forward else "撤销"
    try:
        with EditStep(db, prefix + target.batch, who, "%s：%s" % (word, target.label),
                      ref_batch=target.batch) as step:
            step.touch(**_touched(rows))
            conflicts = audit.revert(step.journal, rows, forward=forward)
            if conflicts:
                raise OwnershipError("；".join(c.text for c in conflicts[:3]))
    except (OwnershipError, audit.AuditError) as exc:
        raise OwnershipError("无法%s“%s”：%s" % (word, target.label, exc)) from exc
    step.result.data["target"] = target.batch
    return step.result


def _find(candidates: List[Step], batch: Optional[str], what: str) -> Step:
    if not candidates:
        raise OwnershipError("没有可%s的步骤" % what)
    if batch is None:
        return candidates[-1]
    for s in candidates:
        if s.batch == batch:
            return s
    raise OwnershipError("步骤 %s 不能%s（已%s或不存在）" % (batch, what, what))


def undo(db, batch: Optional[str] = None, who: Optional[str] = None) -> EditResult:
    """Undo a step (default: the last one in effect); audited as '撤销批次 <batch>'."""
    done, _ = stacks(db)
    return _run(db, _find(done, batch, "撤销"), False, who)


def redo(db, batch: Optional[str] = None, who: Optional[str] = None) -> EditResult:
    """Redo an undone step (default: the last undone); audited as '重做批次 <batch>'."""
    _, undone = stacks(db)
    return _run(db, _find(undone, batch, "重做"), True, who)
