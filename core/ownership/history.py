"""Undo and redo of ownership steps, from their qq_audit rows.

A step is a batch of audit rows written by journal.Journal (row_fid set). Undoing
a step applies the inverse of each row, newest first, as a new audited step
('撤销批次 <batch>', the marker core/areas/apply.py uses too); redoing applies the
rows again ('重做批次 <batch>'). Before each value is touched it must still be what
the step left (or, for a redo, what it found): a later change is a conflict and
nothing is written. History is linear: a new edit clears the redo list.
"""
import json
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .journal import WHOLE_ROW, OwnershipError, audit_text, typed
from .step import ACTIONS, EditResult, EditStep

UNDO_PREFIX = "撤销批次 "
REDO_PREFIX = "重做批次 "
_CODE_KIND = {"DK": "dkbm", "CBDKXX": "dkbm", "CBF": "cbfbm", "CBF_JTCY": "cbfbm", "CBHT": "cbhtbm"}
_LINK_FIELDS = {"CBFBM": "cbfbm", "CBHTBM": "cbhtbm", "DKBM": "dkbm"}


@dataclass
class Step:
    batch: str
    action: str
    note: str
    at: str
    who: str
    count: int
    ref_batch: Optional[str]

    @property
    def label(self) -> str:
        return self.note or self.action


def steps(db) -> List[Step]:
    """Ownership steps and their undo/redo steps, oldest first."""
    if not db.has("qq_audit") or "ROW_FID" not in db.columns("qq_audit"):
        return []
    rows = db.conn.execute(
        "SELECT batch, action, note, at, who, count(*), ref_batch, min(fid) FROM qq_audit "
        "WHERE row_fid IS NOT NULL AND batch IS NOT NULL GROUP BY batch ORDER BY min(fid)").fetchall()
    out, own = [], set()
    for b, a, n, t, w, c, r, _ in rows:
        a = a or ""
        if a in ACTIONS or (a.startswith((UNDO_PREFIX, REDO_PREFIX)) and r in own):
            own.add(b)
            out.append(Step(b, a, n or "", t or "", w or "", c, r))
    return out


def stacks(db) -> Tuple[List[Step], List[Step]]:
    """(done, undone): steps in effect, and undone steps that can be redone (last = next)."""
    done: List[Step] = []
    undone: List[Step] = []
    for s in steps(db):
        if s.action.startswith(UNDO_PREFIX):
            hit = [d for d in done if d.batch == s.ref_batch]
            if hit:
                done.remove(hit[0])
                undone.append(hit[0])
        elif s.action.startswith(REDO_PREFIX):
            hit = [d for d in undone if d.batch == s.ref_batch]
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


def _rows(db, batch: str):
    return db.conn.execute(
        "SELECT table_name, key, field, old_value, new_value, row_fid FROM qq_audit WHERE batch=? "
        "ORDER BY fid", (batch,)).fetchall()


def _same_row(current: Optional[dict], snap: dict) -> bool:
    if current is None:
        return False
    a = {k.upper(): audit_text(v) for k, v in current["values"].items()}
    b = {k.upper(): audit_text(v) for k, v in snap["values"].items()}
    return a == b and current.get("blobs", {}) == snap.get("blobs", {})


def _touched(rows) -> dict:
    out = {"dkbm": set(), "cbfbm": set(), "cbhtbm": set()}
    for table, key, field, old, new, _ in rows:
        kind = _CODE_KIND.get(str(table).upper())
        if kind and key and not str(key).startswith("fid:"):
            out[kind].add(key)
        if field == WHOLE_ROW:
            values = json.loads(old or new)["values"]
            pairs = [(k.upper(), v) for k, v in values.items()]
        else:
            pairs = [(str(field).upper(), old), (str(field).upper(), new)]
        if str(table).upper() in ("CBDKXX", "CBHT", "CBF_JTCY"):
            for fld, value in pairs:
                if fld in _LINK_FIELDS and value:
                    out[_LINK_FIELDS[fld]].add(str(value).strip())
    return out


def _apply(step: EditStep, rows, forward: bool):
    """Apply audit rows forward (redo) or backward (undo) through the step's journal."""
    j, db = step.journal, step.db
    ordered = rows if forward else list(reversed(rows))
    for table, key, field, old, new, fid in ordered:
        if not db.has(table):
            raise OwnershipError("表 %s 已不存在，无法恢复" % table)
        before, after = (old, new) if forward else (new, old)
        current = j.snapshot(table, fid)
        what = "%s %s" % (table, key)
        if field == WHOLE_ROW:
            if before is None:          # the row must not exist: re-create it
                if current is not None:
                    raise OwnershipError("%s（fid %s）已存在，无法恢复" % (what, fid))
                j.restore(table, json.loads(after))
            else:                       # the row must be as the step left it: delete it
                if not _same_row(current, json.loads(before)):
                    raise OwnershipError("%s 在该步骤之后已被修改或删除" % what)
                j.delete(table, fid)
            continue
        if current is None:
            raise OwnershipError("%s 在该步骤之后已被删除" % what)
        now = {k.upper(): v for k, v in current["values"].items()}.get(field.upper())
        if audit_text(now) != before:
            raise OwnershipError("%s 的 %s 在该步骤之后已被修改（现为 %s，应为 %s）" % (
                what, field, audit_text(now), before))
        j.update(table, fid, {field: typed(db.columns(table)[field.upper()][1], after)})


def _run(db, target: Step, forward: bool, who) -> EditResult:
    rows = _rows(db, target.batch)
    if not rows:
        raise OwnershipError("找不到步骤 %s" % target.batch)
    prefix = REDO_PREFIX if forward else UNDO_PREFIX
    word = "重做" if forward else "撤销"
    try:
        with EditStep(db, prefix + target.batch, who, "%s：%s" % (word, target.label),
                      ref_batch=target.batch) as step:
            step.touch(**_touched(rows))
            _apply(step, rows, forward)
    except OwnershipError as exc:
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
