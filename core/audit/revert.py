"""Undoing (or redoing) a batch from its qq_audit rows, value-level and whole-row alike.

Rows are applied one by one (newest first for an undo, in order for a redo), each checked
against the database as the rows before it left it: a value must still be what the batch
wrote (a redo: what it found), a row it inserted must be unchanged, a row it deleted must
not be back. Anything else is a conflict. The caller decides: refuse (its transaction
rolls back, nothing is written) or force (the batch's earlier state wins).
"""
import json
import os
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Set, Tuple

from .journal import Batch, Entry, entries, find_batch
from .values import (UNDO_PREFIX, AuditError, BatchConflict, BatchNotFound, BatchRefused, audit_text,
                     same_value, typed)
from .writer import AuditWriter


@dataclass
class Conflict:
    table: str
    key: str
    field: str
    text: str                        # what changed, for the user (Chinese)


@dataclass
class BatchResult:
    batch: Optional[str]             # the batch written (None: nothing to do)
    backup: Optional[str]
    changed: int
    action: str


def same_row(current: Optional[dict], snap: dict) -> bool:
    """Is a row (writer snapshot) exactly as a JSON snapshot of the journal has it?"""
    if current is None:
        return False
    a = {k.upper(): audit_text(v) for k, v in current["values"].items()}
    b = {k.upper(): audit_text(v) for k, v in snap["values"].items()}
    return a == b and current.get("blobs", {}) == snap.get("blobs", {})


def revert(writer: AuditWriter, rows: List[Entry], forward: bool = False,
           force: bool = False) -> List[Conflict]:
    """Apply a batch's rows backward (undo) or forward (redo) through writer, in the caller's
    transaction. Returns the conflicts; with force they were overwritten."""
    db = writer.db
    if any(e.summary for e in rows):
        raise AuditError("该批次整体替换了图层，没有逐条记录，不能按批次撤销；请用备份文件恢复")
    own_keys = _own_keys(writer, rows)
    conflicts: List[Conflict] = []
    done: Set[tuple] = set()
    for e in (rows if forward else list(reversed(rows))):
        if not db.has(e.table):
            raise AuditError("表 %s 已不存在，无法恢复" % e.table)
        before, after = (e.old, e.new) if forward else (e.new, e.old)
        if e.whole_row:
            _row(writer, e, before, after, force, conflicts)
        else:
            _value(writer, e, before, after, force, conflicts, own_keys, done)
    return conflicts


def _row(writer, e: Entry, before, after, force, conflicts):
    current = writer.snapshot(e.table, e.row_fid)
    what = "%s %s" % (e.table, e.key)
    if before is None:               # the row must not exist: re-create it
        if current is not None:
            conflicts.append(Conflict(e.table, e.key, e.field, "%s（fid %s）已存在，无法恢复" % (
                what, e.row_fid)))
            if not force:
                return
            writer.delete(e.table, e.row_fid)
        writer.restore(e.table, json.loads(after))
        return
    if not same_row(current, json.loads(before)):   # must be as the batch left it: delete it
        conflicts.append(Conflict(e.table, e.key, e.field, "%s 在该批次之后已被修改或删除" % what))
        if not force or current is None:
            return
    writer.delete(e.table, e.row_fid)


def _value(writer, e: Entry, before, after, force, conflicts, own_keys, done):
    _, cols, _, _ = writer.meta(e.table)
    what = "%s %s" % (e.table, e.key)
    if e.field.upper() not in cols:
        conflicts.append(Conflict(e.table, e.key, e.field, "%s 的字段 %s 已不存在" % (what, e.field)))
        return
    declared = cols[e.field.upper()][1]
    current = _locate(writer, e, own_keys)
    matching = [c for c in current if same_value(c[1], before, declared)]
    if e.row_fid is None:
        # located by key: a duplicated key is told apart by the value this batch wrote,
        # one row per audit row
        matching = [c for c in matching if (e.table.upper(), c[0], e.field.upper()) not in done][:1]
    if not matching:
        text = ("%s 的 %s 在该批次之后已被修改（现为 %s，应为 %s）" % (
            what, e.field, audit_text(current[0][1]), before) if current
            else "%s 在该批次之后已被删除或改了编码" % what)
        conflicts.append(Conflict(e.table, e.key, e.field, text))
        if not force:
            return
        matching = current          # forced: every row of that record
    value = typed(declared, after)
    for fid, now in matching:
        writer.set_value(e.table, fid, e.field, value, e.key, now)
        done.add((e.table.upper(), fid, e.field.upper()))


def _own_keys(writer, rows: List[Entry]) -> Dict[Tuple[str, int], Set[str]]:
    """Per (table, row_fid): the keys the batch knew that row by (a step may change the key)."""
    out: Dict[Tuple[str, int], Set[str]] = {}
    for e in rows:
        if e.row_fid is None:
            continue
        keys = out.setdefault((e.table.upper(), e.row_fid), set())
        keys.add(str(e.key or "").strip())
        kcol = writer.meta(e.table)[3] if writer.db.has(e.table) else None
        if kcol and e.field.upper() == kcol.upper():
            keys.update(str(v or "").strip() for v in (e.old, e.new))
    return out


def _locate(writer, e: Entry, own_keys) -> List[tuple]:
    """[(fid, current value)] of the row(s) an audit row is about."""
    name, cols, pk, kcol = writer.meta(e.table)
    col = cols[e.field.upper()][0]
    key = str(e.key or "").strip()
    if e.row_fid is not None:
        # by primary key (fast); the row must still carry a key the batch knew it by
        hit = writer.db.conn.execute('SELECT "%s", "%s", %s FROM "%s" WHERE "%s"=?' % (
            pk, col, '"%s"' % kcol if kcol else "NULL", name, pk), (e.row_fid,)).fetchone()
        if hit is not None and (kcol is None or key.startswith("fid:") or str(hit[2] or "").strip()
                                in own_keys.get((e.table.upper(), e.row_fid), {key})):
            return [(hit[0], hit[1])]
    if key.startswith("fid:"):
        sql, param = 'SELECT "%s", "%s" FROM "%s" WHERE "%s"=?' % (pk, col, name, pk), key[4:]
    elif kcol and key:
        sql, param = 'SELECT "%s", "%s" FROM "%s" WHERE "%s"=?' % (pk, col, name, kcol), key
    else:
        return []
    return [tuple(r) for r in writer.db.conn.execute(sql, (param,))]


def check_undoable(info: Optional[Batch], batch: str,
                   accept: Optional[Callable[[Batch], bool]] = None) -> Batch:
    """The batch, if an undo can revert it now; else a clear refusal."""
    if info is None:
        raise BatchNotFound("找不到批次 %s（见 qq_audit 表的 batch 列）" % batch)
    if accept is not None and not accept(info):
        raise BatchRefused("批次 %s（%s）不能在此撤销，请在相应功能中撤销" % (batch, info.action), info)
    if info.undone:
        raise AuditError("批次 %s 已经撤销过" % batch)
    if not info.replayable:
        raise AuditError("批次 %s（%s）整体替换了图层，没有逐条记录，不能按批次撤销；"
                         "请用该批次之前的备份文件恢复数据库" % (batch, info.action))
    return info


def conflict_message(batch: str, conflicts: List[Conflict], word: str = "撤销") -> str:
    return "批次 %s 有 %d 处在该批次之后又被修改，未%s（可选择强制%s）：%s" % (
        batch, len(conflicts), word, word, "；".join(c.text for c in conflicts[:5]))


def undo_batch(db_path: str, batch: str, who: Optional[str] = None, force: bool = False,
               accept: Optional[Callable[[Batch], bool]] = None) -> BatchResult:
    """Revert every value and row a batch wrote: backup first, one transaction, audited as
    '撤销批次 <batch>'. A change made since the batch is a conflict: nothing is written (and
    the backup removed) unless force, which restores the batch's earlier state anyway."""
    from ..backup import backup_database
    from ..plugin_tables import ensure_plugin_tables
    from ..township_db import TownshipDB
    batch = (batch or "").strip()
    with TownshipDB(db_path) as db:
        ensure_plugin_tables(db)
        info = check_undoable(find_batch(db, batch), batch, accept)
        rows = entries(db, batch)
    backup = backup_database(db_path, "undo")
    try:
        with TownshipDB(db_path) as db:
            w = AuditWriter(db, UNDO_PREFIX + batch, who, "撤销：%s" % info.label, ref_batch=batch)
            with db.transaction():
                conflicts = revert(w, rows, forward=False, force=force)
                if conflicts and not force:
                    raise BatchConflict(conflict_message(batch, conflicts), conflicts)
    except BaseException:
        os.remove(backup)            # nothing was written: the copy is of no use
        raise
    return BatchResult(w.batch, backup, w.count, w.action)
