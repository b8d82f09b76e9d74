"""Publicity as a stage: rounds, objections, preconditions, overrides and the CBF publicity fields."""
import pytest

from quequan.core.publicity import stage
from quequan.core.publicity.sample import build_sample
from quequan.core.township_db import TownshipDB

G1, G2 = "43042410020101", "43042410020102"


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "sample.gpkg")
    build_sample(path, groups=2, plots_per_group=14, seed=3)
    with TownshipDB(path) as d:
        stage.ensure_stage_tables(d)
        yield d


def _error(db, unit, rule="T04", severity="E", state="open", key=None):
    key = key or unit + "00001"
    db.conn.execute("INSERT INTO qq_error (error_id, fingerprint, rule, severity, layer, key, "
                    "unit_code, message, state) VALUES (?, ?, ?, ?, 'DK', ?, ?, ?, ?)",
                    (key + rule + state, key + rule + state, rule, severity, key, unit,
                     "地块 %s 与地块 …002 重叠，重叠面积 12.0000 平方米（阈值 0.0001）" % key, state))


def test_extra_columns_are_added_once(db):
    stage.ensure_stage_tables(db)
    stage.ensure_stage_tables(db)
    cols = [r[1] for r in db.conn.execute('PRAGMA table_info("qq_objection")')]
    assert cols.count("raised_by") == 1 and "recorded_at" in cols
    cols = [r[1] for r in db.conn.execute('PRAGMA table_info("qq_publicity")')]
    assert "override_conditions" in cols and "closed_at" in cols


def test_clean_unit_is_ready(db):
    pre = stage.check_preconditions(db, G1, 1)
    assert pre.blocking == [] and pre.allowed
    # no self-check run yet is said, but does not block
    assert [c.kind for c in pre.conditions] == ["no_selfcheck"]


def test_open_errors_of_the_unit_block(db):
    _error(db, G1)
    _error(db, G1, rule="T09", severity="W", key=G1 + "00003")      # a warning does not block
    _error(db, G1, state="accepted", key=G1 + "00004")              # accepted does not block
    _error(db, G2, key=G2 + "00001")                                # another group
    pre = stage.check_preconditions(db, G1, 1)
    assert [(c.kind, c.count) for c in pre.blocking] == [("errors", 1)]
    assert "T04" in pre.blocking[0].message and G1 + "00001" in pre.blocking[0].keys
    assert not pre.allowed


def test_contracted_plot_without_contractor_blocks(db):
    db.conn.execute("DELETE FROM CBDKXX WHERE DKBM=?", (G1 + "00002",))
    pre = stage.check_preconditions(db, G1, 1)
    kinds = {c.kind: c for c in pre.blocking}
    assert kinds["no_contractor"].keys == [G1 + "00002"]
    assert G1 + "00002" in kinds["no_contractor"].message
    # the 机动地 (DKLB 22) of group 01 has no CBDKXX row and is not reported
    reserve = db.conn.execute("SELECT DKBM FROM DK WHERE DKLB='22'").fetchone()[0]
    assert reserve not in kinds["no_contractor"].keys


def test_second_round_needs_first_round_objections_resolved(db):
    stage.start_round(db, G1, 1, "2024-05-01", "2024-05-07", "村部公开栏")
    fid = stage.add_objection(db, G1, 1, "东至应为王某，不是李某", dkbm=G1 + "00005", raised_by="李某")
    with pytest.raises(stage.StageError, match="未处理的异议"):
        stage.close_round(db, G1, 1)
    pre = stage.check_preconditions(db, G1, 2)
    assert [c.kind for c in pre.blocking] == ["objections"]
    assert G1 + "00005" in pre.blocking[0].message
    assert not pre.allowed
    stage.resolve_objection(db, fid, "现场核实后更正四至", who="王审核")
    row = stage.close_round(db, G1, 1, who="王审核")
    assert row["status"] == "closed" and row["closed_by"] == "王审核"
    pre = stage.check_preconditions(db, G1, 2)
    assert pre.blocking == [] and pre.allowed


def test_objection_must_name_a_code_of_the_unit(db):
    with pytest.raises(stage.StageError):
        stage.add_objection(db, G1, 1, "面积不对")
    with pytest.raises(stage.StageError):
        stage.add_objection(db, G1, 1, "面积不对", dkbm=G2 + "00001")


def test_override_is_recorded_with_reason_user_and_time(db):
    _error(db, G1)
    with pytest.raises(stage.StageError):
        stage.record_override(db, G1, 1, "  ")
    pre = stage.record_override(db, G1, 1, "重叠为插花地，已现场确认", who="王审核")
    assert pre.allowed and pre.blocking
    assert pre.override["reason"] == "重叠为插花地，已现场确认" and pre.override["by"] == "王审核"
    assert pre.override["at"]
    audit = db.conn.execute("SELECT who, action, new_value FROM qq_audit WHERE action='publicity_override'"
                            ).fetchall()
    assert audit == [("王审核", "publicity_override", "重叠为插花地，已现场确认")]
    stage.clear_override(db, G1, 1, who="王审核")
    assert not stage.check_preconditions(db, G1, 1).allowed


def test_finalize_fills_cbf_publicity_fields_after_last_round_without_objection(db):
    stage.start_round(db, G1, 1, "2024-05-01", "2024-05-07")
    fid = stage.add_objection(db, G1, 1, "面积有误", cbfbm=G1 + "0001")
    stage.resolve_objection(db, fid, "重新测量")
    stage.close_round(db, G1, 1)
    with pytest.raises(stage.StageError, match="有 1 条异议"):
        stage.finalize_publicity(db, G1, "张记事", "王审核")
    stage.start_round(db, G1, 2, "2024-06-01", "2024-06-07")
    with pytest.raises(stage.StageError, match="尚未结束"):
        stage.finalize_publicity(db, G1, "张记事", "王审核")
    stage.close_round(db, G1, 2)
    out = stage.finalize_publicity(db, G1, "张记事", "王审核", who="王审核")
    n = db.conn.execute("SELECT count(*) FROM CBF WHERE CBFBM LIKE ?", (G1 + "%",)).fetchone()[0]
    assert out == {"households": n, "changed": n, "round": 2}
    rows = db.conn.execute("SELECT GSJS, GSJSR, GSSHRQ, GSSHR FROM CBF WHERE CBFBM LIKE ?",
                           (G1 + "%",)).fetchall()
    assert all(r[1:] == ("张记事", "2024-06-07", "王审核") for r in rows)
    assert "一轮、二轮" in rows[0][0] and "无异议" in rows[0][0]
    # the other group is untouched
    assert db.conn.execute("SELECT count(*) FROM CBF WHERE CBFBM LIKE ? AND GSJSR IS NOT NULL",
                           (G2 + "%",)).fetchone()[0] == 0
    audit = db.conn.execute("SELECT count(*), count(DISTINCT batch) FROM qq_audit WHERE "
                            "action='publicity_finalize'").fetchone()
    assert audit == (4 * n, 1)
    again = stage.finalize_publicity(db, G1, "张记事", "王审核")
    assert again["changed"] == 0


def test_round_dates_are_checked(db):
    with pytest.raises(stage.StageError, match="早于"):
        stage.start_round(db, G1, 1, "2024-05-07", "2024-05-01")
    stage.start_round(db, G1, 1, "2024-05-01", "2024-05-07")
    stage.close_round(db, G1, 1)
    with pytest.raises(stage.StageError, match="已结束"):
        stage.start_round(db, G1, 1, "2024-05-02", "2024-05-08")


def test_errors_stored_by_a_self_check_block_the_group(db):
    persistence = pytest.importorskip("quequan.checks.persistence")
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    key = G2 + "00004"
    db.conn.execute("UPDATE DK SET SCMJ = SCMJ + 25 WHERE DKBM=?", (key,))
    result = run_checks(CheckContext(db), ["M01"])
    persistence.store_run(db, result)
    pre = stage.check_preconditions(db, G2, 1)
    assert [c.kind for c in pre.blocking] == ["errors"] and key in pre.blocking[0].keys
    assert "M01" in pre.blocking[0].message
    assert stage.check_preconditions(db, G1, 1).allowed      # the other group is not held up
