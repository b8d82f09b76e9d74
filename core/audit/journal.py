"""Reading qq_audit: the rows of a batch, and every batch with what it reverts."""
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

from .values import AUDIT, REDO_PREFIX, UNDO_PREFIX, WHOLE_ROW


@dataclass
class Entry:
    """One qq_audit row of a batch."""
    table: str
    key: str
    field: str
    old: Optional[str]
    new: Optional[str]
    row_fid: Optional[int] = None

    @property
    def whole_row(self) -> bool:
        return self.field == WHOLE_ROW and self.row_fid is not None

    @property
    def summary(self) -> bool:
        return self.field == WHOLE_ROW and self.row_fid is None


@dataclass
class Batch:
    batch: str
    action: str
    at: str
    who: str
    count: int
    note: str = ""
    ref_batch: Optional[str] = None
    first: int = 0                   # fid of its first qq_audit row: the history order
    summaries: int = 0               # rows that cannot be replayed (whole layers replaced)
    root: str = ""                   # action of the step an undo/redo chain goes back to
    undone: bool = False             # undone more often than redone

    @property
    def label(self) -> str:
        return self.note or self.action

    @property
    def replayable(self) -> bool:
        return self.summaries == 0

    @property
    def is_undo(self) -> bool:
        return self.action.startswith(UNDO_PREFIX)

    @property
    def is_redo(self) -> bool:
        return self.action.startswith(REDO_PREFIX)

    @property
    def target(self) -> Optional[str]:
        """The batch an undo/redo reverts (older rows name it in the action only)."""
        for prefix in (UNDO_PREFIX, REDO_PREFIX):
            if self.action.startswith(prefix):
                return self.ref_batch or self.action[len(prefix):]
        return None

    def as_dict(self) -> dict:
        return {"batch": self.batch, "action": self.action, "at": self.at, "who": self.who,
                "count": self.count, "note": self.note, "undone": self.undone, "root": self.root}


def _audit_columns(db) -> set:
    return set(db.columns(AUDIT)) if db.has(AUDIT) else set()


def _column(cols: set, name: str) -> str:
    return '"%s"' % name if name.upper() in cols else "NULL"


def entries(db, batch: str) -> List[Entry]:
    """The rows of a batch in the order they were written."""
    cols = _audit_columns(db)
    if not cols:
        return []
    rows = db.conn.execute(
        "SELECT table_name, key, field, old_value, new_value, %s FROM qq_audit WHERE batch=? "
        "ORDER BY fid" % _column(cols, "row_fid"), (batch,)).fetchall()
    return [Entry(*r) for r in rows]


def batches(db, accept: Optional[Callable[[Batch], bool]] = None,
            newest_first: bool = False) -> List[Batch]:
    """Every batch in qq_audit (oldest first), with what it reverts and whether it is undone."""
    cols = _audit_columns(db)
    if not cols:
        return []
    # the only min()/max() aggregate is min(fid): the bare columns come from the first row
    rows = db.conn.execute(
        "SELECT batch, action, at, who, count(*), %s, %s, min(fid), "
        "sum(CASE WHEN field='*' AND %s IS NULL THEN 1 ELSE 0 END) FROM qq_audit "
        "WHERE batch IS NOT NULL AND batch <> '' GROUP BY batch ORDER BY min(fid)" % (
            _column(cols, "note"), _column(cols, "ref_batch"), _column(cols, "row_fid"))).fetchall()
    out = [Batch(b, a or "", t or "", w or "", n, note or "", ref, first, s or 0)
           for b, a, t, w, n, note, ref, first, s in rows]
    by_id = {b.batch: b for b in out}
    undos, redos = Counter(), Counter()
    for b in out:
        if b.target:
            (undos if b.is_undo else redos)[b.target] += 1
    for b in out:
        b.undone = undos[b.batch] > redos[b.batch]
        b.root = _root(b, by_id)
    out = [b for b in out if accept is None or accept(b)]
    return out[::-1] if newest_first else out


def _root(b: Batch, by_id: Dict[str, Batch]) -> str:
    seen = set()
    while b.target and b.target in by_id and b.batch not in seen:
        seen.add(b.batch)
        b = by_id[b.target]
    return b.action


def find_batch(db, batch: str) -> Optional[Batch]:
    return next((b for b in batches(db) if b.batch == batch), None)
