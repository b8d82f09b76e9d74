"""Writing an adjustment plan, and undoing it by batch.

Before anything is written the database is copied to a timestamped file in a
`backup` folder next to it (sqlite's online backup, consistent even while the
file is open elsewhere). The changes and one qq_audit record per changed value
are written in one transaction; a value changed since the preview aborts it.
Undo restores the old values of a batch, itself audited as a new batch.
"""
import datetime as _dt
import getpass
import os
import sqlite3
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import List, Optional

from .. import schema
from ..plugin_tables import ensure_plugin_tables
from ..township_db import TownshipDB
from .adjust import ACTIONS, AdjustmentError, Plan
from .rounding import BAD, num

BACKUP_DIR = "backup"
UNDO_PREFIX = "撤销批次 "


class AdjustmentRefused(AdjustmentError):
    pass


@dataclass
class ApplyResult:
    batch: Optional[str]
    backup: Optional[str]
    changed: int
    action: str


def _who(who):
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some systems)
        return ""


def new_batch_id(now=None) -> str:
    now = now or _dt.datetime.now()
    return "%s-%s" % (now.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:6])


def backup_database(db_path: str, label: str = "") -> str:
    folder = os.path.join(os.path.dirname(os.path.abspath(db_path)), BACKUP_DIR)
    os.makedirs(folder, exist_ok=True)
    stem = os.path.splitext(os.path.basename(db_path))[0]
    stamp = _dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    target = os.path.join(folder, "%s_%s%s.gpkg" % (stem, stamp, ("_" + label) if label else ""))
    n = 1
    while os.path.exists(target):
        n += 1
        target = os.path.join(folder, "%s_%s%s_%d.gpkg" % (stem, stamp, ("_" + label) if label else "", n))
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def text_of(value) -> Optional[str]:
    """A value as stored in qq_audit: NULL stays NULL, numbers in their shortest form."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def typed(table: str, field: str, text):
    """The audit text back to the column's type (Float -> float, Int -> int)."""
    if text is None:
        return None
    t = schema.BY_CODE.get(table)
    kind = t.field(field).kind if t is not None and t.has_field(field) else None
    try:
        if kind == schema.FLOAT:
            return float(Decimal(text))
        if kind == schema.INT:
            return int(Decimal(text))
    except Exception:  # noqa: BLE001 (a non-numeric old value is restored as it was)
        return text
    return text


def _same(a, b) -> bool:
    da, db_ = num(a), num(b)
    if da is BAD or db_ is BAD:
        return str(a).strip() == str(b).strip()
    return da == db_


def _stored(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


class _Writer:
    """Updates by primary key and audit rows, with table metadata looked up once."""

    def __init__(self, db, at, who, batch):
        self.db, self.at, self.who, self.batch = db, at, who, batch
        self._meta = {}
        self.audit_cols = set(db.columns("qq_audit"))

    def meta(self, table):
        m = self._meta.get(table)
        if m is None:
            m = self._meta[table] = (self.db.name(table), self.db.columns(table),
                                     self.db.primary_key(table))
        return m

    def current(self, table, field, fid):
        name, cols, pk = self.meta(table)
        row = self.db.conn.execute('SELECT "%s" FROM "%s" WHERE "%s"=?' % (
            cols[field.upper()][0], name, pk), (fid,)).fetchone()
        return row

    def set(self, table, field, fid, value):
        name, cols, pk = self.meta(table)
        self.db.conn.execute('UPDATE "%s" SET "%s"=? WHERE "%s"=?' % (name, cols[field.upper()][0], pk),
                             (value, fid))

    def audit(self, **values):
        """One qq_audit row; row_fid / ref_batch only where the table has them (older databases)."""
        values.update(at=self.at, who=self.who, batch=self.batch)
        items = [(k, v) for k, v in values.items() if k.upper() in self.audit_cols]
        self.db.conn.execute("INSERT INTO qq_audit (%s) VALUES (%s)" % (
            ", ".join('"%s"' % k for k, _ in items), ", ".join("?" * len(items))), [v for _, v in items])


def apply_plan(db_path: str, plan: Plan, who: Optional[str] = None,
               allow_refused: bool = False) -> ApplyResult:
    """Write a plan: backup, one transaction of updates with their audit records."""
    if plan.refusals and not allow_refused:
        raise AdjustmentRefused("%s未执行：\n%s" % (plan.label, "\n".join(r.reason for r in plan.refusals)))
    if not plan.changes:
        return ApplyResult(None, None, 0, plan.label)
    backup = backup_database(db_path, plan.action)
    batch = new_batch_id()
    with TownshipDB(db_path) as db:
        ensure_plugin_tables(db)
        w = _Writer(db, _dt.datetime.now().isoformat(timespec="seconds"), _who(who), batch)
        with db.transaction():
            for c in plan.changes:
                row = w.current(c.table, c.field, c.fid)
                if row is None or not _same(row[0], c.old):
                    raise AdjustmentError(
                        "%s %s 的 %s 在预览后已被修改（现为 %s，预览时为 %s）；请重新生成预览"
                        % (c.table, c.key, c.field, None if row is None else row[0], c.old))
                w.set(c.table, c.field, c.fid, _stored(c.new))
                w.audit(action=plan.label, table_name=c.table, key=c.key, field=c.field,
                        old_value=text_of(c.old), new_value=text_of(c.new), row_fid=c.fid)
    return ApplyResult(batch, backup, len(plan.changes), plan.label)


def _is_area_action(action) -> bool:
    # Other tools (ownership edits …) audit into qq_audit too, with row inserts and deletes
    # this undo cannot replay: only area adjustments and their undos are undone here.
    action = str(action or "")
    return action in ACTIONS.values() or action.startswith(UNDO_PREFIX)


def batches(db) -> List[dict]:
    """Area-adjustment batches in qq_audit, newest first: batch, action, at, who, count, undone."""
    if not db.has("qq_audit"):
        return []
    rows = db.conn.execute(
        "SELECT batch, min(action), min(at), min(who), count(*) FROM qq_audit WHERE batch IS NOT NULL "
        "GROUP BY batch ORDER BY min(at) DESC, batch DESC").fetchall()
    undone = {r[0][len(UNDO_PREFIX):] for r in db.conn.execute(
        "SELECT DISTINCT action FROM qq_audit WHERE action LIKE ?", (UNDO_PREFIX + "%",))}
    return [{"batch": b, "action": a, "at": t, "who": w, "count": n, "undone": b in undone}
            for b, a, t, w, n in rows if _is_area_action(a)]


def undo_batch(db_path: str, batch: str, who: Optional[str] = None, force: bool = False,
               accept=None) -> ApplyResult:
    """Restore every value a batch changed. A value edited since is a conflict (unless force).

    accept: predicate on the batch's qq_audit actions; default area adjustments. Other tools
    writing through apply_plan (e.g. 四至, core/boundary) pass their own."""
    batch = (batch or "").strip()
    with TownshipDB(db_path) as db:
        ensure_plugin_tables(db)
        fid_col = "row_fid" if "ROW_FID" in db.columns("qq_audit") else "NULL"
        rows = db.conn.execute(
            "SELECT table_name, key, field, old_value, new_value, %s FROM qq_audit "
            "WHERE batch=? ORDER BY fid" % fid_col, (batch,)).fetchall()
        if not rows:
            raise AdjustmentError("找不到调整批次 %s（见 qq_audit 表的 batch 列）" % batch)
        actions = {a for (a,) in db.conn.execute(
            "SELECT DISTINCT action FROM qq_audit WHERE batch=?", (batch,))}
        if not all((accept or _is_area_action)(a) for a in actions):
            raise AdjustmentError("批次 %s 不是面积调整（操作：%s），请在相应功能中撤销"
                                  % (batch, "、".join(sorted(str(a) for a in actions))))
        if _undone(db, batch):
            raise AdjustmentError("批次 %s 已经撤销过" % batch)
        plan = _undo_targets(db, rows)
    conflicts = [t for t in plan if not t[4]]
    if conflicts and not force:
        raise AdjustmentError("批次 %s 的 %d 个值在调整后又被修改，未撤销（可选择强制撤销）：%s" % (
            batch, len(conflicts), "；".join("%s %s.%s" % (t[0], t[1], t[2]) for t in conflicts[:5])))
    backup = backup_database(db_path, "undo")
    new_batch = new_batch_id()
    changed = 0
    with TownshipDB(db_path) as db:
        w = _Writer(db, _dt.datetime.now().isoformat(timespec="seconds"), _who(who), new_batch)
        with db.transaction():
            for table, key, field, old_text, fids, current in plan:
                for fid, now in (fids or current):   # current only when forced
                    w.set(table, field, fid, typed(table, field, old_text))
                    w.audit(action=UNDO_PREFIX + batch, table_name=table, key=key, field=field,
                            old_value=text_of(now), new_value=old_text, row_fid=fid, ref_batch=batch)
                    changed += 1
    return ApplyResult(new_batch, backup, changed, UNDO_PREFIX + batch)


def _undone(db, batch) -> bool:
    return db.conn.execute("SELECT 1 FROM qq_audit WHERE action=? LIMIT 1",
                           (UNDO_PREFIX + batch,)).fetchone() is not None


def _undo_targets(db, rows):
    """Per audit row (newest first): table, key, field, old text, [(fid, now)] still holding the
    batch's value, and all [(fid, now)] of that record."""
    out = []
    meta = {}
    for table, key, field, old_text, new_text, row_fid in reversed(rows):
        if not db.has(table):
            out.append((table, key, field, old_text, [], []))
            continue
        if table not in meta:
            cols = db.columns(table)
            kf = schema.key_field(table)
            meta[table] = (db.name(table), cols, db.primary_key(table),
                           cols[kf.upper()][0] if kf and kf.upper() in cols else None)
        name, cols, pk, kcol = meta[table]
        col = cols.get(field.upper(), (field,))[0]
        current = []
        if row_fid is not None:
            # by primary key (fast); the key must still be the audited one
            hit = db.conn.execute('SELECT "%s", "%s", %s FROM "%s" WHERE "%s"=?' % (
                pk, col, '"%s"' % kcol if kcol else "NULL", name, pk), (row_fid,)).fetchone()
            if hit is not None and (key.startswith("fid:") or str(hit[2] or "").strip() == key):
                current = [(hit[0], hit[1])]
        if not current and key.startswith("fid:"):
            current = db.conn.execute('SELECT "%s", "%s" FROM "%s" WHERE "%s"=?' % (
                pk, col, name, pk), (key[4:],)).fetchall()
        elif not current and kcol:
            current = db.conn.execute('SELECT "%s", "%s" FROM "%s" WHERE "%s"=?' % (
                pk, col, name, kcol), (key,)).fetchall()
        # without row_fid a duplicated key is told apart by the value the batch wrote
        matching = [(fid, now) for fid, now in current if _same(now, new_text)]
        out.append((table, key, field, old_text, matching, [tuple(c) for c in current]))
    return out
