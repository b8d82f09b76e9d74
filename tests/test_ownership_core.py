"""Ownership editing core: reassign, contracts, households, codes, undo/redo, disputes."""
import os
import sqlite3
import sys

import pytest
import shapely

sys.path.insert(0, os.path.dirname(__file__))
from test_ownership_sample import FBF1, FBF2, X0, Y0, build_sample, make_id  # noqa: E402

from quequan.core import codes  # noqa: E402
from quequan.core.ownership import (allocation, contracts, disputes, history, households,  # noqa: E402
                                    plots, queries)
from quequan.core.ownership.journal import OwnershipError  # noqa: E402
from quequan.core.ownership.step import Refused  # noqa: E402
from quequan.core.township_db import TownshipDB  # noqa: E402

H1, H2, H3, P1 = FBF1 + "0001", FBF1 + "0002", FBF1 + "0003", FBF1 + "8001"


def dk(n, fbf=FBF1):
    return fbf + "%05d" % n


@pytest.fixture
def db(tmp_path):
    path = build_sample(str(tmp_path / "township.gpkg"))
    with TownshipDB(path) as d:
        yield d


def contents(db, skip=("qq_audit",)):
    """Every row of every user table (blobs included), for before/after comparison."""
    out = {}
    names = [r[0] for r in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'gpkg_%' "
        "AND name NOT LIKE 'rtree_%' AND name NOT LIKE 'sqlite_%'")]
    for n in sorted(names):
        if n not in skip:
            out[n] = db.conn.execute('SELECT * FROM "%s" ORDER BY 1' % n).fetchall()
    return out


def link(db, dkbm):
    return db.read("CBDKXX", where="DKBM=?", params=(dkbm,))


def contract(db, code):
    rows = db.read("CBHT", where="CBHTBM=?", params=(code,))
    return rows[0] if rows else None


def audit(db, batch):
    return db.read("qq_audit", where="batch=?", params=(batch,))


# --- reassign / unassign ------------------------------------------------------------------

def test_reassign_moves_link_recomputes_both_contracts_and_audits(db):
    before = contract(db, H2 + "J")
    assert (before["HTZMJ"], before["CBDKZS"]) == (6000.0, 3)
    res = contracts.reassign(db, [dk(2)], H2, who="tester")
    row = link(db, dk(2))[0]
    assert (row["CBFBM"], row["CBHTBM"], row["CBJYQZBM"], row["CBJYQQDFS"]) == (H2, H2 + "J", H2 + "J", "110")
    old, new = contract(db, H1 + "J"), contract(db, H2 + "J")
    assert (old["HTZMJ"], old["HTZMJM"], old["CBDKZS"]) == (2000.0, 3.0, 1)
    assert (new["HTZMJ"], new["HTZMJM"], new["CBDKZS"]) == (8000.0, 12.0, 4)
    rows = audit(db, res.batch)
    changed = {(r["TABLE_NAME"], r["KEY"], r["FIELD"]): (r["OLD_VALUE"], r["NEW_VALUE"]) for r in rows}
    assert changed[("CBDKXX", dk(2), "CBFBM")] == (H1, H2)
    assert changed[("CBDKXX", dk(2), "CBHTBM")] == (H1 + "J", H2 + "J")
    assert changed[("CBHT", H1 + "J", "HTZMJ")] == ("4000.0", "2000.0")
    assert changed[("CBHT", H2 + "J", "CBDKZS")] == ("3", "4")
    assert {r["WHO"] for r in rows} == {"tester"} and {r["ACTION"] for r in rows} == {"调整承包方"}
    assert "原权证 %sJ 已颁发" % H1 in res.message


def test_reassign_to_household_without_contract_creates_it(db):
    res = contracts.reassign(db, [dk(6), dk(5)], H3)
    new = contract(db, H3 + "J")
    assert new is not None and res.data["contract"] == H3 + "J"
    assert (new["CBFS"], new["FBFBM"], new["HTZMJ"], new["HTZMJM"], new["CBDKZS"]) == (
        "110", FBF1, 4000.0, 6.0, 2)
    assert (new["CBQXQ"], new["CBQXZ"], new["QDSJ"]) == ("1998-01-01", "2027-12-31", "2016-07-01")
    created = link(db, dk(6))[0]      # the 机动地 had no CBDKXX row
    assert (created["HTMJ"], created["HTMJM"], created["FBFBM"]) == (2000.0, 3.0, FBF1)
    assert contract(db, H2 + "J")["CBDKZS"] == 2


def test_reassign_refusals_write_nothing(db):
    snap = contents(db, skip=())
    for args, text in (([dk(1, FBF2)], "其他发包方"), ([dk(1)], "已属于"), ([dk(99)], "不在地块图层")):
        with pytest.raises(OwnershipError, match=text):
            contracts.reassign(db, args, H1)
    with pytest.raises(OwnershipError, match="不存在"):
        contracts.reassign(db, [dk(1)], FBF1 + "0999")
    assert contents(db, skip=()) == snap


def test_unassign_deletes_link_and_recomputes(db):
    res = contracts.unassign(db, [dk(3)])
    assert link(db, dk(3)) == []
    c = contract(db, H2 + "J")
    assert (c["HTZMJ"], c["CBDKZS"]) == (4000.0, 2)
    whole = [r for r in audit(db, res.batch) if r["FIELD"] == "*"]
    assert len(whole) == 1 and whole[0]["NEW_VALUE"] is None and dk(3) in whole[0]["OLD_VALUE"]
    assert "X02" in res.message


# --- undo / redo -----------------------------------------------------------------------------

def test_undo_restores_every_table_and_redo_reapplies(db):
    start = contents(db)
    steps = [
        contracts.reassign(db, [dk(2), dk(5)], H3),
        households.create_contractor(db, FBF1, "1", "孙八", make_id("19900101", "111")),
        households.add_member(db, H1, {"CYXM": "张小华", "CYZJHM": make_id("20010203", "022"),
                                       "YHZGX": "30"}),
        contracts.unassign(db, [dk(3)]),
        plots.add_plot(db, FBF1, shapely.box(X0, Y0 + 120, X0 + 30, Y0 + 150),
                       {"DKMC": "新田", "DKLB": "10", "DLDJ": "02", "TDYT": "1", "SFJBNT": "2"}),
        disputes.open_dispute(db, dk(1), dk(2), parties="张三、李四", description="田埂位置"),
    ]
    assert all(s.batch for s in steps)
    edited = contents(db)
    assert edited != start
    for s in reversed(steps):
        assert history.undoable(db).batch == s.batch
        res = history.undo(db)
        assert res.data["target"] == s.batch
        assert audit(db, res.batch)[0]["ACTION"] == "撤销批次 " + s.batch
    assert contents(db) == start            # every table, every value, geometries included
    assert history.undoable(db) is None
    for s in steps:
        assert history.redoable(db).batch == s.batch
        history.redo(db)
    assert contents(db) == edited
    history.undo(db)
    assert history.redoable(db).batch == steps[-1].batch
    contracts.reassign(db, [dk(1)], H2)      # a new edit clears the redo list
    assert history.redoable(db) is None


def test_undo_refuses_on_a_later_change(db):
    first = contracts.reassign(db, [dk(2)], H2)
    contracts.reassign(db, [dk(2)], H3)
    snap = contents(db, skip=())
    with pytest.raises(OwnershipError, match="已被修改"):
        history.undo(db, first.batch)
    assert contents(db, skip=()) == snap


# --- households and members ----------------------------------------------------------------

def test_invalid_id_refused_with_nothing_written(db):
    snap = contents(db, skip=())
    bad = make_id("19650312", "123")[:-1] + ("0" if make_id("19650312", "123")[-1] != "0" else "1")
    with pytest.raises(OwnershipError, match="校验位错误"):
        households.add_member(db, H1, {"CYXM": "错号", "CYZJHM": bad, "YHZGX": "20"})
    head = [m for m in queries.members(db, H2) if m["IS_HEAD"]][0]
    with pytest.raises(OwnershipError, match="出生日期"):
        households.edit_member(db, head["FID"], {"CYZJHM": "370832199913401234"})
    dup = queries.members(db, H2)[1]["CYZJHM"]          # 李小红 of household 0002
    with pytest.raises(Refused, match="A09") as err:
        households.add_member(db, H1, {"CYXM": "李小红", "CYZJHM": dup, "YHZGX": "30"})
    assert err.value.problems[0].rule == "A09"
    with pytest.raises(OwnershipError, match="已有户主"):
        households.add_member(db, H1, {"CYXM": "二户主", "CYZJHM": make_id("19900101", "131"),
                                       "YHZGX": "02"})
    with pytest.raises(OwnershipError, match="不能删除户主"):
        households.remove_member(db, head["FID"])
    assert contents(db, skip=()) == snap


def test_member_edit_derives_gender_birth_and_mirrors_head(db):
    head = [m for m in queries.members(db, H2) if m["IS_HEAD"]][0]
    new_id = make_id("19711231", "012")                 # even 17th digit: female
    res = households.edit_member(db, head["FID"], {"CYXM": "李四娘", "CYZJHM": new_id.lower(), "CYXB": "1"})
    m = [x for x in queries.members(db, H2) if x["FID"] == head["FID"]][0]
    assert (m["CYZJHM"], m["CYXB"], m["BIRTH"]) == (new_id.upper(), "2", "1971-12-31")
    cbf = db.read("CBF", where="CBFBM=?", params=(H2,))[0]
    assert (cbf["CBFMC"], cbf["CBFZJHM"]) == ("李四娘", new_id.upper())
    fields = {r["FIELD"] for r in audit(db, res.batch)}
    assert {"CYXM", "CYZJHM", "CYXB", "CBFMC", "CBFZJHM"} <= fields


def test_add_remove_member_and_set_head_keep_count(db):
    res = households.add_member(db, H2, {"CYXM": "李小刚", "CYZJHM": make_id("20050607", "015"),
                                         "YHZGX": "20"})
    cbf = lambda: db.read("CBF", where="CBFBM=?", params=(H2,))[0]  # noqa: E731
    assert cbf()["CBFCYSL"] == 3
    new = [m for m in queries.members(db, H2) if m["FID"] == res.data["member_fid"]][0]
    assert (new["CYXB"], new["BIRTH"], new["SFGYR"]) == ("1", "2005-06-07", "1")
    households.set_head(db, new["FID"], "51")
    ms = queries.members(db, H2)
    assert [m["CYXM"] for m in ms if m["IS_HEAD"]] == ["李小刚"]
    assert [m["YHZGX"] for m in ms if m["CYXM"] == "李四"] == ["51"]
    assert (cbf()["CBFMC"], cbf()["CBFZJHM"]) == ("李小刚", new["CYZJHM"])
    old_head = [m for m in ms if m["CYXM"] == "李四"][0]
    households.remove_member(db, old_head["FID"])
    assert cbf()["CBFCYSL"] == 2 and len(queries.members(db, H2)) == 2


def test_create_contractor_allocates_code_member_and_contract(db):
    res = households.create_contractor(db, FBF1, "1", "孙八", "11010519491231002x")
    assert (res.data["cbfbm"], res.data["cbhtbm"]) == (FBF1 + "0004", FBF1 + "0004J")
    assert db.read("CBF", ("CBFZJHM", "CBFCYSL"), where="CBFBM=?", params=(FBF1 + "0004",)) == [
        {"CBFZJHM": "11010519491231002X", "CBFCYSL": 1}]
    c = contract(db, FBF1 + "0004J")
    assert (c["CBFS"], c["HTZMJ"], c["CBDKZS"], c["QDSJ"]) == ("110", 0.0, 0, "2016-07-01")
    ms = queries.members(db, FBF1 + "0004")
    assert len(ms) == 1 and ms[0]["YHZGX"] == "02" and ms[0]["CYXB"] == "2"
    assert (ms[0]["CYZJHM"], ms[0]["BIRTH"]) == ("11010519491231002X", "1949-12-31")
    unit = households.create_contractor(db, FBF1, "3", "某合作社", "MA1234567", id_type="3")
    assert unit.data["cbhtbm"] == FBF1 + "9001Q"
    assert contract(db, FBF1 + "9001Q")["CBFS"] == "120"
    person = households.create_contractor(db, FBF1, "2", "周九", make_id("19820303", "171"))
    assert person.data["cbfbm"] == FBF1 + "8002"
    assert queries.members(db, FBF1 + "8002") == []


# --- codes ----------------------------------------------------------------------------------------

def test_codes_in_range_and_never_reused(db):
    assert allocation.next_cbfbm(db, FBF1, "1") == FBF1 + "0004"
    assert allocation.next_cbfbm(db, FBF1, "2") == FBF1 + "8002"
    assert allocation.next_cbfbm(db, FBF1, "3") == FBF1 + "9001"
    assert allocation.next_cbfbm(db, FBF2, "1") == FBF2 + "0002"
    assert allocation.next_dkbm(db, FBF1) == FBF1 + "00007"
    plots.retire_code(db, FBF1 + "0005", "CBFBM", "已公示后作废")
    plots.retire_code(db, FBF1 + "00009", "DKBM", "合并后作废")
    assert allocation.next_cbfbm(db, FBF1, "1") == FBF1 + "0006"
    assert allocation.next_dkbm(db, FBF1) == FBF1 + "00010"
    with pytest.raises(OwnershipError, match="仍在"):
        plots.retire_code(db, dk(1), "DKBM", "x")
    # a code still referenced by a contract only is in use too
    db.conn.execute("UPDATE CBHT SET CBFBM=?, CBHTBM=? WHERE CBHTBM=?", (FBF1 + "0007", FBF1 + "0007J",
                                                                         FBF1 + "0002J"))
    assert allocation.next_cbfbm(db, FBF1, "1") == FBF1 + "0008"
    db.conn.execute("UPDATE CBF SET CBFBM=? WHERE CBFBM=?", (FBF1 + "8000", H3))
    with pytest.raises(OwnershipError, match="没有可用代码"):
        allocation.next_cbfbm(db, FBF1, "1")
    assert allocation.contract_code(H1, "110") == H1 + "J"
    assert allocation.contract_code(H1, "123") == H1 + "Q"


def test_new_plot_gets_code_area_and_mandatory_fields(db):
    geom = shapely.box(X0, Y0 + 100, X0 + 33.4, Y0 + 150)    # 1670.00 m² → 2.51 亩
    with pytest.raises(OwnershipError, match="地块类别"):
        plots.add_plot(db, FBF1, geom, {"DKMC": "新田", "DLDJ": "02", "TDYT": "1", "SFJBNT": "2"})
    res = plots.add_plot(db, FBF1, geom, {"DKMC": "新田", "DKLB": "10", "DLDJ": "02", "TDYT": "1",
                                          "SFJBNT": "2"})
    p = queries.plot(db, res.data["dkbm"])
    assert p["DKBM"] == dk(7) and (p["SCMJ"], p["SCMJM"]) == (1670.0, 2.51) and p["DKLB_NAME"] == "承包地块"
    # a plot drawn in QGIS (no DKBM yet) gets the next code through assign_plot_code
    from quequan.core.gpkg_blob import blob_of
    g = shapely.MultiPolygon([shapely.box(X0 + 40, Y0 + 100, X0 + 80, Y0 + 150)])
    db.conn.execute('INSERT INTO DK (geom) VALUES (?)', (blob_of(shapely.to_wkb(g), 4526, g.bounds),))
    fid = db.conn.execute("SELECT max(fid) FROM DK").fetchone()[0]
    assert plots.suggest_fbfbm(db, g) == FBF1
    res = plots.assign_plot_code(db, fid, FBF1, {"DKMC": "画的田", "DKLB": "21", "DLDJ": "03",
                                                  "TDYT": "1", "SFJBNT": "2"})
    p = queries.plot(db, fid=fid)
    assert (p["DKBM"], p["SCMJ"], p["SCMJM"], p["YSDM"] if "YSDM" in p else "211011") == (
        dk(8), 2000.0, 3.0, "211011")
    assert db.read("DK", ("YSDM", "BSM"), where="fid=?", params=(fid,))[0]["YSDM"] == "211011"
    with pytest.raises(OwnershipError, match="已有代码"):
        plots.assign_plot_code(db, fid, FBF1, {"DKMC": "x", "DKLB": "21", "DLDJ": "03", "TDYT": "1",
                                               "SFJBNT": "2"})
    history.undo(db)
    assert queries.plot(db, fid=fid)["DKBM"] is None


# --- queries ---------------------------------------------------------------------------------------

def test_plot_and_household_queries(db):
    info = queries.plot_info(db, dk(1))
    assert info["plot"]["DKLB_NAME"] == "承包地块" and info["plot"]["SIZHI"].startswith("东至 路")
    assert info["contractor"]["CBFMC"] == "张三" and info["link"]["CBJYQQDFS_NAME"] == "家庭承包"
    assert info["status"] == "已登记（2017-05-02）；已发证（2017-06-01），未领取"
    hh = queries.household(db, H2)
    assert hh["totals"]["count"] == 3 and hh["totals"]["HTMJ"] == codes.round2(6000)
    assert hh["totals"]["SCMJM"] == codes.round2(9) and hh["status"] == "未登记；未发证"
    assert [m["CYXM"] for m in hh["members"]][0] == "李四"
    assert queries.household(db, H3)["status"] == "无合同"


def test_search_by_code_name_member_and_id(db):
    kinds = lambda q: [(h["kind"], h["key"]) for h in queries.search(db, q)]  # noqa: E731
    assert ("DK", dk(3)) in kinds("00003") and ("DK", dk(4)) in kinds("一组4号")
    assert kinds("李四") == [("CBF", H2)]
    assert kinds("张小明") == [("CBF", H1)]
    number = make_id("19800202", "051")
    assert ("CBF", H3) in kinds(number.lower())
    assert [c["CBFBM"] for c in queries.contractors(db, FBF1, "王")] == [H1, H3]   # 王芳 is in 0001
    assert [c["CBFBM"] for c in queries.contractors(db, FBF2)] == [FBF2 + "0001"]


# --- disputes -----------------------------------------------------------------------------------------

def test_dispute_open_list_resolve_and_geometry(db):
    res = disputes.open_dispute(db, dk(1), dk(2), parties="张三、李四", description="田埂偏了 1 米",
                                date="2024-03-05", who="外业员")
    fid = res.data["fid"]
    rows = disputes.list_disputes(db, status=disputes.OPEN)
    assert [(r["fid"], r["status_name"], r["opened"], r["opened_by"]) for r in rows] == [
        (fid, "未解决", "2024-03-05", "外业员")]
    line = disputes.dispute_geometry(db, rows[0])
    assert line.geom_type == "LineString" and abs(line.length - 50.0) < 1e-6
    far = disputes.open_dispute(db, dk(1), dk(6), parties="张三、村委会").data["fid"]
    outline = disputes.dispute_geometry(db, disputes.list_disputes(db)[0])
    assert outline.length > 200          # not neighbours: outline of both plots
    with pytest.raises(OwnershipError, match="解决方式"):
        disputes.resolve(db, fid, "")
    disputes.resolve(db, fid, "双方现场确认以老田埂为界", who="技术员", at="2024-03-09")
    done = [r for r in disputes.list_disputes(db) if r["fid"] == fid][0]
    assert (done["status"], done["resolved_by"], done["resolved_at"], done["resolution"]) == (
        "resolved", "技术员", "2024-03-09", "双方现场确认以老田埂为界")
    assert [r["fid"] for r in disputes.list_disputes(db, dkbm=dk(6))] == [far]
    with pytest.raises(OwnershipError, match="已经解决"):
        disputes.resolve(db, fid, "again")
    history.undo(db)
    assert disputes.list_disputes(db, status=disputes.OPEN)[-1]["fid"] == fid


def test_audit_rows_per_plot_and_household(db):
    contracts.reassign(db, [dk(2)], H2)
    per_plot = queries.audit_rows(db, dkbm=dk(2))
    assert {r["field"] for r in per_plot} >= {"CBFBM", "CBHTBM", "CBJYQZBM"}
    per_household = queries.audit_rows(db, cbfbm=H1)
    assert {r["table_name"] for r in per_household} == {"CBDKXX", "CBHT"}


def test_engine_rules_are_used_when_registered(db, monkeypatch):
    """A registered rule family is run before and after the edit; only new findings refuse."""
    from quequan.checks import registry
    from quequan.checks.finding import Finding
    from quequan.core.ownership import validation

    class FakeA11:
        ids = ("A11",)

        def run(self, ctx, wanted):
            for r in ctx.db.read("CBF", ("CBFBM", "CBFMC")):
                if r["CBFMC"] == "禁止":
                    yield Finding("A11", "CBF", r["CBFBM"], "承包方 %s 名称禁止" % r["CBFBM"],
                                  key_field="CBFBM", unit_code=r["CBFBM"][:14])

    monkeypatch.setattr(registry, "_FAMILIES", list(registry._FAMILIES) + [FakeA11])
    assert "A11" in validation.engine_rules()
    before = contents(db, skip=())
    with pytest.raises(Refused, match="名称禁止"):
        households.create_contractor(db, FBF1, "1", "禁止", make_id("19900101", "111"))
    assert contents(db, skip=()) == before
    households.create_contractor(db, FBF1, "1", "允许", make_id("19900101", "111"))


def test_locked_database_is_reported_not_corrupted(db, tmp_path):
    other = sqlite3.connect(db.path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    db.conn.execute("PRAGMA busy_timeout=100")
    try:
        with pytest.raises(sqlite3.OperationalError):
            contracts.reassign(db, [dk(2)], H2)
    finally:
        other.rollback()
        other.close()
    assert link(db, dk(2))[0]["CBFBM"] == H1


def test_demo_township_edits_keep_tables_consistent(demo_db, tmp_path):
    """On the generated demo township: clean for the validators; reassign and a new contractor
    keep totals and ranges; undoing both restores every table."""
    import shutil
    from quequan.core.ownership.validation import Touched, own_problems
    path = str(tmp_path / "demo.gpkg")
    shutil.copy(demo_db, path)
    with TownshipDB(path) as d:
        everything = Touched({r["DKBM"] for r in d.read("DK", ("DKBM",))},
                             {r["CBFBM"] for r in d.read("CBF", ("CBFBM",))},
                             {r["CBHTBM"] for r in d.read("CBHT", ("CBHTBM",))})
        assert own_problems(d, everything) == []
        start = contents(d)
        links = d.read("CBDKXX", ("DKBM", "CBFBM", "CBHTBM"))
        holders = {}
        for r in links:
            holders.setdefault(r["CBFBM"][:14], set()).add(r["CBFBM"])
        src = sorted((r for r in links if len(holders[r["CBFBM"][:14]]) > 1), key=lambda r: r["DKBM"])[0]
        target = sorted(holders[src["CBFBM"][:14]] - {src["CBFBM"]})[0]
        res = contracts.reassign(d, [src["DKBM"]], target)
        for code in (src["CBHTBM"], res.data["contract"]):
            rows = d.read("CBDKXX", ("HTMJ",), where="CBHTBM=?", params=(code,))
            c = contract(d, code)
            assert c["CBDKZS"] == len(rows)
            assert codes.round2(c["HTZMJ"]) == sum(codes.round2(r["HTMJ"]) for r in rows)
            assert codes.round2(c["HTZMJM"]) == codes.m2_to_mu(c["HTZMJ"])
        fbf = src["CBFBM"][:14]
        farmers = [int(r["CBFBM"][14:]) for r in d.read("CBF", ("CBFBM",)) if r["CBFBM"].startswith(fbf)
                   and 1 <= int(r["CBFBM"][14:]) <= 8000]
        new = households.create_contractor(d, fbf, "1", "新户", make_id("19900101", "111"))
        assert new.data["cbfbm"] == fbf + "%04d" % (max(farmers) + 1)
        history.undo(d)
        history.undo(d)
        assert contents(d) == start


def test_second_head_can_be_demoted_and_duplicate_links_refuse_reassign(db):
    db.conn.execute("UPDATE CBF_JTCY SET YHZGX='02' WHERE CYXM='王芳'")      # imported with two heads
    wang = [m for m in queries.members(db, H1) if m["CYXM"] == "王芳"][0]
    households.edit_member(db, wang["FID"], {"YHZGX": "10"})
    assert [m["CYXM"] for m in queries.members(db, H1) if m["IS_HEAD"]] == ["张三"]
    assert db.read("CBF", ("CBFMC",), where="CBFBM=?", params=(H1,))[0]["CBFMC"] == "张三"
    db.conn.execute("INSERT INTO CBDKXX (DKBM, FBFBM, CBFBM, CBJYQQDFS, HTMJ, CBHTBM, CBJYQZBM, SFQQQG) "
                    "SELECT DKBM, FBFBM, CBFBM, CBJYQQDFS, HTMJ, CBHTBM, CBJYQZBM, '1' FROM CBDKXX WHERE DKBM=?",
                    (dk(1),))
    with pytest.raises(OwnershipError, match="多条承包地块信息"):
        contracts.reassign(db, [dk(1)], H2)
