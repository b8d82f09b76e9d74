"""Audited writes: every insert, update and delete of an edit step leaves qq_audit rows.

Audit format (shared with core/areas/apply.py, so either undo can read the other's rows):
one row per changed value with old_value/new_value as text (NULL stays NULL, floats in
their shortest round-tripping form); whole-row inserts and deletes use field '*' with a
JSON snapshot of the row (all columns, blobs such as the geometry as hex) in new_value
(insert) or old_value (delete). row_fid names the row exactly (CBF_JTCY rows share their
key CBFBM); ref_batch links an undo/redo to the step it reverts; note describes the step.
"""
import datetime as _dt
import getpass
import json
import uuid
from decimal import Decimal
from typing import Dict, Optional

from .. import schema
from ..gpkg_blob import blob_of
from ..plugin_tables import PLUGIN_TABLES, ensure_plugin_tables

AUDIT = "qq_audit"
WHOLE_ROW = "*"
# Columns added to the plugin tables of databases created before they were declared.
_EXTRA_KEYS = {"qq_dispute": "dkbm_a", "qq_retired_code": "code"}


class OwnershipError(Exception):
    """An edit that cannot be done, explained for the user (Chinese)."""


def ensure_tables(db) -> None:
    """qq_* tables exist and have every column declared in plugin_tables (old files too)."""
    if getattr(db, "_ownership_tables_ok", False):
        return
    ensure_plugin_tables(db)
    for table, decl in PLUGIN_TABLES.items():
        have = set(db.columns(table))
        for part in decl.split(","):
            words = part.split()
            if len(words) >= 2 and words[0].strip('"').upper() not in have:
                db.conn.execute('ALTER TABLE "%s" ADD COLUMN "%s" %s'
                                % (table, words[0].strip('"'), words[1]))
    db.refresh()
    db._ownership_tables_ok = True


def who_am_i(who: Optional[str] = None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some systems)
        return ""


def new_batch_id(now=None) -> str:
    """Same form as core/areas/apply.py: sortable time plus a random tail."""
    now = now or _dt.datetime.now()
    return "%s-%s" % (now.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:6])


def audit_text(value) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def typed(declared: str, text):
    """Audit text back to the column's storage class (declared type of the column)."""
    if text is None:
        return None
    decl = (declared or "").upper()
    try:
        if "INT" in decl:
            return int(Decimal(text))
        if any(t in decl for t in ("REAL", "FLOA", "DOUB")):
            return float(Decimal(text))
    except Exception:  # noqa: BLE001 (a non-numeric value is restored as it was)
        return text
    return text


def stored(value):
    """What sqlite receives: Decimal as float (REAL columns), everything else as is."""
    return float(value) if isinstance(value, Decimal) else value


class Journal:
    """Write primitives of one step; each records its audit rows in the same transaction."""

    def __init__(self, db, action: str, who: Optional[str] = None, note: str = "",
                 batch: Optional[str] = None, ref_batch: Optional[str] = None):
        self.db = db
        self.action = action
        self.who = who_am_i(who)
        self.note = note
        self.batch = batch or new_batch_id()
        self.ref_batch = ref_batch
        self.at = _dt.datetime.now().isoformat(timespec="seconds")
        self.count = 0
        self.tables = set()          # UPPER names of the tables written (qq_audit excepted)

    # --- reading ------------------------------------------------------------------
    def _cols(self, table) -> Dict[str, tuple]:
        return self.db.columns(table)

    def snapshot(self, table: str, fid: int) -> Optional[dict]:
        """The whole row: {'fid', 'values': {column: value}, 'blobs': {column: hex}}."""
        cur = self.db.conn.execute('SELECT * FROM "%s" WHERE "%s"=?' % (
            self.db.name(table), self.db.primary_key(table)), (fid,))
        row = cur.fetchone()
        if row is None:
            return None
        values, blobs = {}, {}
        for (name, *_), v in zip(cur.description, row):
            if isinstance(v, (bytes, memoryview)):
                blobs[name] = bytes(v).hex()
            else:
                values[name] = v
        return {"fid": fid, "values": values, "blobs": blobs}

    def key_of(self, table: str, values: dict) -> str:
        fld = schema.key_field(table.upper()) or _EXTRA_KEYS.get(table)
        if fld:
            for name, v in values.items():
                if name.upper() == fld.upper() and v not in (None, ""):
                    return str(v)
        return "fid:%s" % values.get("fid", "")

    # --- audit ----------------------------------------------------------------------
    def _audit(self, table, key, field, old, new, fid):
        self.tables.add(table.upper())
        self.db.conn.execute(
            "INSERT INTO qq_audit (at, who, action, table_name, key, field, old_value, new_value, "
            "batch, row_fid, ref_batch, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.at, self.who, self.action, table, key, field, old, new, self.batch, fid,
             self.ref_batch, self.note))
        self.count += 1

    # --- writing --------------------------------------------------------------------
    def insert(self, table: str, values: Dict, geometry=None, fid: Optional[int] = None,
               blobs: Optional[Dict[str, bytes]] = None) -> int:
        """Insert a row (values keyed by field code, any case); geometry: shapely, optional."""
        cols = self._cols(table)
        names, params = [], []
        for k, v in values.items():
            if k.upper() in cols and k.upper() != "FID":
                names.append(cols[k.upper()][0])
                params.append(stored(v))
        if fid is not None:
            names.append(self.db.primary_key(table))
            params.append(int(fid))
        for col, blob in (blobs or {}).items():
            names.append(col)
            params.append(blob)
        if geometry is not None:
            import shapely
            gcol = self.db.geometry_column(table)
            names.append(gcol)
            params.append(blob_of(shapely.to_wkb(geometry, flavor="iso"), self.db.srs_id(table),
                                  geometry.bounds))
        cur = self.db.conn.execute('INSERT INTO "%s" (%s) VALUES (%s)' % (
            self.db.name(table), ", ".join('"%s"' % n for n in names), ", ".join("?" * len(names))),
            params)
        new_fid = fid if fid is not None else cur.lastrowid
        snap = self.snapshot(table, new_fid)
        self._audit(table, self.key_of(table, snap["values"]), WHOLE_ROW, None,
                    json.dumps(snap, ensure_ascii=False), new_fid)
        return new_fid

    def restore(self, table: str, snap: dict) -> int:
        """Re-insert a deleted row exactly as it was (same fid, values and geometry)."""
        blobs = {c: bytes.fromhex(h) for c, h in snap.get("blobs", {}).items()}
        values = {k: v for k, v in snap["values"].items()
                  if k.upper() != self.db.primary_key(table).upper()}
        return self.insert(table, values, fid=snap["fid"], blobs=blobs)

    def update(self, table: str, fid: int, changes: Dict) -> Dict[str, tuple]:
        """Set fields of one row; only real changes are written and audited."""
        cols = self._cols(table)
        snap = self.snapshot(table, fid)
        if snap is None:
            raise OwnershipError("%s 中找不到 fid %s 的记录" % (table, fid))
        current = {k.upper(): v for k, v in snap["values"].items()}
        done = {}
        for k, v in changes.items():
            col = cols[k.upper()][0]
            old = current.get(k.upper())
            if audit_text(old) == audit_text(v):
                continue
            self.db.conn.execute('UPDATE "%s" SET "%s"=? WHERE "%s"=?' % (
                self.db.name(table), col, self.db.primary_key(table)), (stored(v), fid))
            done[k.upper()] = (old, v)
        if done:
            # audit what sqlite stored (an int written to a REAL column reads back as 0.0)
            now = self.snapshot(table, fid)["values"]
            after = {k.upper(): v for k, v in now.items()}
            key = self.key_of(table, now)
            for k, (old, _) in done.items():
                done[k] = (old, after.get(k))
                self._audit(table, key, cols[k][0], audit_text(old), audit_text(after.get(k)), fid)
        return done

    def delete(self, table: str, fid: int) -> dict:
        snap = self.snapshot(table, fid)
        if snap is None:
            raise OwnershipError("%s 中找不到 fid %s 的记录" % (table, fid))
        self.db.conn.execute('DELETE FROM "%s" WHERE "%s"=?' % (
            self.db.name(table), self.db.primary_key(table)), (fid,))
        self._audit(table, self.key_of(table, snap["values"]), WHOLE_ROW,
                    json.dumps(snap, ensure_ascii=False), None, fid)
        return snap
