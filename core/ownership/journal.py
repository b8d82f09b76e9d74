"""Audited writes of an edit step: the shared journal (core/audit) speaking ownership.

Every insert, update and delete of a step leaves qq_audit rows in the format all
tools share (core/audit/__init__.py): one row per changed value, whole-row inserts
and deletes with a JSON snapshot, row_fid, ref_batch and the step's note.
"""
from ..audit import AuditWriter
from ..plugin_tables import PLUGIN_TABLES, ensure_plugin_tables


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


class Journal(AuditWriter):
    """The write primitives of one step (insert, update, delete, restore, snapshot)."""
    error = OwnershipError
