"""One audit journal (qq_audit) for every tool that writes the township database.

Area adjustments, 四至, 界址点线, ownership edits and every undo share one row format:

- a changed value: table_name, key (the row's code, else 'fid:<n>'), field, old_value
  and new_value as text (NULL stays NULL, floats in their shortest round-tripping form);
- a whole row inserted or deleted: field '*' and a JSON snapshot of the row (all columns,
  blobs such as the geometry as hex) in new_value (insert) or old_value (delete);
- a summary: field '*' without row_fid ('120 条' when a tool replaced a whole layer); it
  says what happened but cannot be replayed, so such a batch is restored from its backup.

row_fid names the row exactly (CBF_JTCY rows share their key), batch groups the rows of
one step, note describes it. An undo or redo is a batch of its own, action '撤销批次 <b>'
or '重做批次 <b>' with ref_batch naming the step. Databases made before qq_audit had
row_fid / ref_batch / note are written without them and undone by key and value.

    w = AuditWriter(db, "重算亩面积", who)          # inside the caller's transaction
    w.set_value("DK", fid, "SCMJM", 2.51, key=dkbm, old=2.5)
    batches(db)                                     # every batch, what it reverts, undone?
    undo_batch(db_path, batch, force=False)         # backup, conflicts, audited undo
    revert(writer, entries(db, batch), forward)     # the same inside a caller's step
"""
from .journal import Batch, Entry, batches, entries, find_batch  # noqa: F401
from .revert import (BatchResult, Conflict, check_undoable, conflict_message, revert,  # noqa: F401
                     same_row, undo_batch)
from .values import (AUDIT, REDO_PREFIX, UNDO_PREFIX, WHOLE_ROW, AuditError,  # noqa: F401
                     BatchConflict, BatchNotFound, BatchRefused, audit_text, is_numeric, key_field,
                     new_batch_id, same_value, stored, typed, who_am_i)
from .writer import AuditWriter  # noqa: F401
