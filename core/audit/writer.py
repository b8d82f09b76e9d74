"""AuditWriter: the writes of one batch, each with its qq_audit rows, in the caller's transaction."""
import datetime as _dt
import json
from typing import Dict, Optional

from ..gpkg_blob import blob_of
from .values import (AUDIT, WHOLE_ROW, AuditError, audit_text, key_field, new_batch_id, stored,
                     who_am_i)

_COLUMNS = ("at", "who", "action", "table_name", "key", "field", "old_value", "new_value", "batch",
            "row_fid", "ref_batch", "note")


class AuditWriter:
    error = AuditError                # what a missing row raises (ownership: OwnershipError)

    def __init__(self, db, action: str, who: Optional[str] = None, note: str = "",
                 batch: Optional[str] = None, ref_batch: Optional[str] = None):
        self.db = db
        self.action = action
        self.who = who_am_i(who)
        self.note = note
        self.batch = batch or new_batch_id()
        self.ref_batch = ref_batch
        self.at = _dt.datetime.now().isoformat(timespec="seconds")
        self.count = 0                # audit rows written
        self.tables = set()           # UPPER names of the tables written
        self._meta = {}
        self._insert = None           # built on first use: qq_audit may be created after us

    # --- reading ------------------------------------------------------------------
    def meta(self, table: str):
        """(stored name, columns, primary key, key column or None) of a table, looked up once."""
        m = self._meta.get(table.upper())
        if m is None:
            cols = self.db.columns(table)
            kf = key_field(table)
            m = self._meta[table.upper()] = (self.db.name(table), cols, self.db.primary_key(table),
                                             cols[kf.upper()][0] if kf and kf.upper() in cols else None)
        return m

    def value(self, table: str, field: str, fid):
        """(value,) of one field of a row; None when the row is gone."""
        name, cols, pk, _ = self.meta(table)
        return self.db.conn.execute('SELECT "%s" FROM "%s" WHERE "%s"=?' % (
            cols[field.upper()][0], name, pk), (fid,)).fetchone()

    def snapshot(self, table: str, fid) -> Optional[dict]:
        """The whole row: {'fid', 'values': {column: value}, 'blobs': {column: hex}}."""
        name, _, pk, _ = self.meta(table)
        cur = self.db.conn.execute('SELECT * FROM "%s" WHERE "%s"=?' % (name, pk), (fid,))
        row = cur.fetchone()
        if row is None:
            return None
        values, blobs = {}, {}
        for (col, *_), v in zip(cur.description, row):
            if isinstance(v, (bytes, memoryview)):
                blobs[col] = bytes(v).hex()
            else:
                values[col] = v
        return {"fid": fid, "values": values, "blobs": blobs}

    def key_of(self, table: str, values: dict) -> str:
        fld = key_field(table)
        if fld:
            for name, v in values.items():
                if name.upper() == fld.upper() and v not in (None, ""):
                    return str(v)
        return "fid:%s" % values.get("fid", "")

    # --- audit rows ----------------------------------------------------------------
    def record(self, table: str, key, field: str, old: Optional[str], new: Optional[str],
               row_fid=None, note: Optional[str] = None):
        """One qq_audit row; columns an older qq_audit lacks are left out."""
        if self._insert is None:
            have = set(self.db.columns(AUDIT))
            self._present = [i for i, name in enumerate(_COLUMNS) if name.upper() in have]
            self._insert = "INSERT INTO qq_audit (%s) VALUES (%s)" % (
                ", ".join('"%s"' % _COLUMNS[i] for i in self._present), ", ".join("?" * len(self._present)))
        values = (self.at, self.who, self.action, table, key, field, old, new, self.batch, row_fid,
                  self.ref_batch, note or self.note or None)
        self.db.conn.execute(self._insert, [values[i] for i in self._present])
        self.tables.add(table.upper())
        self.count += 1

    def summary(self, table: str, old: str, new: str, note: Optional[str] = None):
        """A row noting a change too large to journal row by row (not replayable)."""
        self.record(table, WHOLE_ROW, WHOLE_ROW, old, new, None, note)

    # --- writes ---------------------------------------------------------------------
    def set_value(self, table: str, fid, field: str, value, key, old):
        """Set one field of a row (by primary key) and audit old -> value."""
        name, cols, pk, _ = self.meta(table)
        self.db.conn.execute('UPDATE "%s" SET "%s"=? WHERE "%s"=?' % (name, cols[field.upper()][0], pk),
                             (stored(value), fid))
        self.record(table, key, field, audit_text(old), audit_text(value), fid)

    def insert(self, table: str, values: Dict, geometry=None, fid: Optional[int] = None,
               blobs: Optional[Dict[str, bytes]] = None) -> int:
        """Insert a row (values keyed by field code, any case); geometry: shapely, optional."""
        name, cols, pk, _ = self.meta(table)
        names, params = [], []
        for k, v in values.items():
            if k.upper() in cols and k.upper() != "FID":
                names.append(cols[k.upper()][0])
                params.append(stored(v))
        if fid is not None:
            names.append(pk)
            params.append(int(fid))
        for col, blob in (blobs or {}).items():
            names.append(col)
            params.append(blob)
        if geometry is not None:
            import shapely
            names.append(self.db.geometry_column(table))
            params.append(blob_of(shapely.to_wkb(geometry, flavor="iso"), self.db.srs_id(table),
                                  geometry.bounds))
        cur = self.db.conn.execute('INSERT INTO "%s" (%s) VALUES (%s)' % (
            name, ", ".join('"%s"' % n for n in names), ", ".join("?" * len(names))), params)
        new_fid = fid if fid is not None else cur.lastrowid
        snap = self.snapshot(table, new_fid)
        self.record(table, self.key_of(table, snap["values"]), WHOLE_ROW, None,
                    json.dumps(snap, ensure_ascii=False), new_fid)
        return new_fid

    def restore(self, table: str, snap: dict) -> int:
        """Re-insert a deleted row exactly as it was (same fid, values and geometry)."""
        pk = self.meta(table)[2].upper()
        blobs = {c: bytes.fromhex(h) for c, h in snap.get("blobs", {}).items()}
        values = {k: v for k, v in snap["values"].items() if k.upper() != pk}
        return self.insert(table, values, fid=snap["fid"], blobs=blobs)

    def update(self, table: str, fid, changes: Dict) -> Dict[str, tuple]:
        """Set fields of one row; only real changes are written and audited."""
        name, cols, pk, _ = self.meta(table)
        snap = self.snapshot(table, fid)
        if snap is None:
            raise self.error("%s 中找不到 fid %s 的记录" % (table, fid))
        current = {k.upper(): v for k, v in snap["values"].items()}
        done = {}
        for k, v in changes.items():
            old = current.get(k.upper())
            if audit_text(stored(old)) == audit_text(stored(v)):
                continue
            self.db.conn.execute('UPDATE "%s" SET "%s"=? WHERE "%s"=?' % (name, cols[k.upper()][0], pk),
                                 (stored(v), fid))
            done[k.upper()] = (old, v)
        if done:
            # audit what sqlite stored (an int written to a REAL column reads back as 0.0)
            now = self.snapshot(table, fid)["values"]
            after = {k.upper(): v for k, v in now.items()}
            key = self.key_of(table, now)
            for k, (old, _) in done.items():
                done[k] = (old, after.get(k))
                self.record(table, key, cols[k][0], audit_text(old), audit_text(after.get(k)), fid)
        return done

    def delete(self, table: str, fid) -> dict:
        name, _, pk, _ = self.meta(table)
        snap = self.snapshot(table, fid)
        if snap is None:
            raise self.error("%s 中找不到 fid %s 的记录" % (table, fid))
        self.db.conn.execute('DELETE FROM "%s" WHERE "%s"=?' % (name, pk), (fid,))
        self.record(table, self.key_of(table, snap["values"]), WHOLE_ROW,
                    json.dumps(snap, ensure_ascii=False), None, fid)
        return snap
