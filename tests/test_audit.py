"""The shared journal (core/audit): one format, one batch list, one generic undo for every tool."""
import os

import pytest
import shapely

from test_ownership_core import contents, dk
from test_ownership_sample import FBF1, X0, Y0, build_sample, make_id

from quequan.core import audit
from quequan.core.areas.adjust import AdjustmentError
from quequan.core.ownership import contracts, history, households, plots
from quequan.core.township_db import TownshipDB

H1, H2, H3 = FBF1 + "0001", FBF1 + "0002", FBF1 + "0003"


@pytest.fixture
def path(tmp_path):
    return build_sample(str(tmp_path / "township.gpkg"))


def state(path):
    with TownshipDB(path) as db:
        return contents(db)


def test_generic_undo_of_ownership_steps_value_and_whole_row(path):
    """A reassign (value rows, CBDKXX rows deleted and inserted) and a new plot with its
    geometry (whole-row insert) are undone by audit.undo_batch, newest first."""
    before = state(path)
    with TownshipDB(path) as db:
        moved = contracts.reassign(db, [dk(2)], H2)
        added = plots.add_plot(db, FBF1, shapely.box(X0, Y0 + 120, X0 + 30, Y0 + 150),
                               {"DKMC": "新田", "DKLB": "10", "DLDJ": "02", "TDYT": "1", "SFJBNT": "2"})
        kinds = {(e.field == audit.WHOLE_ROW) for b in (moved, added) for e in audit.entries(db, b.batch)}
    assert kinds == {True, False}                      # value rows and whole rows
    for step in (added, moved):
        res = audit.undo_batch(path, step.batch, who="审核员")
        assert res.changed > 0 and os.path.exists(res.backup)
        assert res.action == "撤销批次 " + step.batch
    assert state(path) == before                        # every table, geometries included
    with TownshipDB(path) as db:
        rows = db.read("qq_audit", ["action", "who", "ref_batch", "note"], "batch=?", (res.batch,))
        assert {(r["ACTION"], r["WHO"], r["REF_BATCH"]) for r in rows} == {
            ("撤销批次 " + moved.batch, "审核员", moved.batch)}
        assert rows[0]["NOTE"].startswith("撤销：")
        # the ownership history sees both steps as undone, and can redo them
        assert history.undoable(db) is None
        assert history.redoable(db).batch == moved.batch
        listed = {b.batch: b for b in audit.batches(db)}
    assert listed[moved.batch].undone and listed[added.batch].undone
    assert listed[res.batch].root == "调整承包方" and listed[res.batch].target == moved.batch
    with pytest.raises(audit.AuditError, match="已经撤销过"):
        audit.undo_batch(path, moved.batch)


def test_conflicts_refused_then_forced(path):
    """A member added, then edited: undoing the addition alone conflicts (the row changed);
    nothing is written and no backup is left; force deletes the row anyway."""
    with TownshipDB(path) as db:
        added = households.add_member(db, H1, {"CYXM": "张小华", "YHZGX": "30",
                                               "CYZJHM": make_id("20010203", "022")})
        fid = [r["FID"] for r in db.read("CBF_JTCY", ["FID", "CYXM"]) if r["CYXM"] == "张小华"][0]
        households.edit_member(db, fid, {"CYXM": "张晓华"})
        after_edit = contents(db)
    backups = set(os.listdir(os.path.join(os.path.dirname(path), "backup"))) \
        if os.path.isdir(os.path.join(os.path.dirname(path), "backup")) else set()
    with pytest.raises(audit.BatchConflict, match="又被修改") as err:
        audit.undo_batch(path, added.batch)
    assert any("CBF_JTCY" in c.text and "已被修改" in c.text for c in err.value.conflicts)
    assert state(path) == after_edit
    assert set(os.listdir(os.path.join(os.path.dirname(path), "backup"))) == backups
    audit.undo_batch(path, added.batch, force=True)
    with TownshipDB(path) as db:
        assert [r for r in db.read("CBF_JTCY", ["CYXM"]) if r["CYXM"] in ("张小华", "张晓华")] == []


def test_layer_replacing_batch_is_refused_clearly(path):
    from quequan.core.boundary.build import build_township_boundary
    summary = build_township_boundary(path)
    with TownshipDB(path) as db:
        b = audit.find_batch(db, summary.batch)
    assert not b.replayable and b.summaries == 2
    before = state(path)
    with pytest.raises(audit.AuditError, match="整体替换了图层.*备份"):
        audit.undo_batch(path, summary.batch)
    assert state(path) == before


def test_area_tools_refuse_ownership_batches_and_list_their_own(path):
    from quequan.core.areas.apply import batches, undo_batch
    with TownshipDB(path) as db:
        step = contracts.reassign(db, [dk(2)], H3)
        assert batches(db) == []
    with pytest.raises(AdjustmentError, match="不是面积调整（操作：调整承包方）"):
        undo_batch(path, step.batch)
    with pytest.raises(AdjustmentError, match="找不到调整批次"):
        undo_batch(path, "19990101-000000-abcdef")


def test_writer_skips_columns_an_old_journal_lacks(path):
    with TownshipDB(path) as db:
        db.conn.execute("DROP TABLE qq_audit")
        db.conn.execute("CREATE TABLE qq_audit (fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, who TEXT, "
                        "action TEXT, table_name TEXT, key TEXT, field TEXT, old_value TEXT, "
                        "new_value TEXT, batch TEXT)")
        fid, old = [(r["FID"], r["DKMC"]) for r in db.read("DK", ["FID", "DKMC"], "DKBM=?", (dk(1),))][0]
        w = audit.AuditWriter(db, "测试", who="甲")
        with db.transaction():
            w.set_value("DK", fid, "DKMC", "新名", dk(1), old)
        (b,) = audit.batches(db)
        assert (b.batch, b.action, b.count, b.who, b.ref_batch) == (w.batch, "测试", 1, "甲", None)
    audit.undo_batch(path, w.batch)                    # found again by key and value
    with TownshipDB(path) as db:
        assert db.read("DK", ["DKMC"], "DKBM=?", (dk(1),))[0]["DKMC"] == old


def test_text_forms():
    from decimal import Decimal
    assert audit.audit_text(None) is None and audit.audit_text(0.1) == "0.1"
    assert audit.audit_text(Decimal("2.50")) == "2.50"
    assert audit.same_value(2.5, "2.50", "REAL") and not audit.same_value("01", "1", "TEXT")
    assert audit.same_value(" 张三", "张三", "TEXT(50)")
    assert audit.typed("INTEGER", "3") == 3 and audit.typed("REAL", "2.50") == 2.5
    assert audit.typed("REAL", "abc") == "abc" and audit.typed("TEXT", "007") == "007"


def test_processing_undobatch_lists_every_tool_and_undoes_an_ownership_step(quequan_provider, path):
    import processing
    from qgis.core import QgsProcessingException

    before = state(path)
    with TownshipDB(path) as db:
        step = contracts.reassign(db, [dk(2)], H3)
    from qgis.core import QgsProcessingFeedback

    class Log(QgsProcessingFeedback):
        def pushInfo(self, text):  # noqa: N802
            seen.append(text)

    seen, feedback = [], Log()
    with pytest.raises(QgsProcessingException, match="请填写要撤销的批次号"):
        processing.run("quequan:undobatch", {"DATABASE": path}, feedback=feedback)
    assert any(line.startswith(step.batch) and "调整给承包方" in line for line in seen), seen
    with pytest.raises(QgsProcessingException, match="不是面积调整"):
        processing.run("quequan:areaundo", {"DATABASE": path, "BATCH": step.batch})
    res = processing.run("quequan:undobatch", {"DATABASE": path, "BATCH": step.batch})
    assert res["RESTORED"] > 0 and state(path) == before
    with pytest.raises(QgsProcessingException, match="已经撤销过"):
        processing.run("quequan:undobatch", {"DATABASE": path, "BATCH": step.batch})
