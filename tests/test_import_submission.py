"""import_submission / export_submission_layout: round trip, merge, collisions,
corrupt input, CRS, ownership files, transactions, and the processing algorithm."""
import os
import shutil
import sqlite3

import pytest
import shapely
import shapely.affinity

from quequan.core import schema
from quequan.core.exchange import (MDB_NOT_SUPPORTED, ExchangeError, export_submission_layout,
                                   import_submission)
from quequan.core.township_db import TownshipDB, create_database
import import_helpers as F  # tests/ is on sys.path (conftest)


def _export(db, tmp_path, name="out", **kw):
    return export_submission_layout(db, str(tmp_path / name), year=2016, **kw).root


def _vector(root, layer):
    return os.path.join(root, "矢量数据", "%s4304242016.shp" % layer)


@pytest.fixture
def two_villages(tmp_path):
    """Township A = villages 204+205, its package root, and an empty target database."""
    a = F.build_township(str(tmp_path / "a.gpkg"))
    root = _export(a, tmp_path)
    target = str(tmp_path / "target.gpkg")
    create_database(target, 4526)
    return a, root, target


def F_tmp(root):
    """The pytest tmp folder a package root was exported into."""
    import pathlib
    return pathlib.Path(root).parent.parent


def assert_same_database(a, b, tables=None):
    for t in tables or schema.ALL:
        code = t if isinstance(t, str) else t.code
        F.assert_same_rows(F.table_rows(a, code), F.table_rows(b, code), code)


# --- layout -------------------------------------------------------------------------

def test_export_writes_the_submission_tree_with_gbk_dbf(two_villages):
    a, root, _ = two_villages
    assert os.path.basename(root) == "430424衡东县"
    for sub in ("矢量数据", "元数据", "权属数据", "汇总表格", "图件", "文字报告",
                os.path.join("其他资料", "权属来源附件"), os.path.join("栅格数据", "数字正射影像图")):
        assert os.path.isdir(os.path.join(root, sub)), sub
    for t in schema.LAYERS:
        base = _vector(root, t.code)[:-4]
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            assert os.path.exists(base + ext), base + ext
        with open(base + ".dbf", "rb") as fh:
            assert fh.read(30)[29] == 0x4D
        assert open(base + ".cpg").read() == "GBK"
        assert "CGCS2000_3_Degree_GK_Zone_38" in open(base + ".prj").read()
    for t in schema.TABLES:
        assert os.path.exists(os.path.join(root, "权属数据", t.code + ".dbf"))
    from quequan.core.exchange.dbf import read_dbf
    dk = read_dbf(_vector(root, "DK")[:-4] + ".dbf")
    widths = {f.name: (f.type, f.length, f.decimals) for f in dk.fields}
    assert widths["SCMJ"] == ("N", 16, 2) and widths["BSM"] == ("N", 10, 0)
    assert widths["DKBM"] == ("C", 19, 0) and widths["KJZB"] == ("C", 254, 0)
    jzd = {f.name: (f.type, f.length, f.decimals) for f in read_dbf(_vector(root, "JZD")[:-4] + ".dbf").fields}
    assert jzd["XZBZ"] == ("N", 12, 3) and jzd["YZBZ"] == ("N", 12, 3)
    cbf = {f.name: (f.type, f.length, f.decimals)
           for f in read_dbf(os.path.join(root, "权属数据", "CBF.dbf")).fields}
    assert cbf["CBFCYSL"] == ("N", 2, 0) and cbf["CBFDCRQ"] == ("D", 8, 0)
    assert read_dbf(os.path.join(root, "权属数据", "CBF.dbf")).records[0]["CBFMC"] == "王某1"


def test_exterior_rings_are_clockwise_in_the_shapefile(two_villages):
    from osgeo import ogr
    _, root, _ = two_villages
    ds = ogr.Open(_vector(root, "DK"))
    for feat in ds.GetLayer(0):
        g = shapely.from_wkb(bytes(feat.GetGeometryRef().ExportToIsoWkb()))
        for poly in shapely.get_parts(g):
            assert not poly.exterior.is_ccw


def test_overlong_gbk_values_are_reported_and_kept(tmp_path):
    a = F.build_township(str(tmp_path / "a.gpkg"), villages=(("204", "新塘村"),), groups=1, plots=2)
    long_name = "屋前大丘" * 6 + "上丘"     # 26 characters fit Char(50), 52 GBK bytes exceed C(50)
    with TownshipDB(a) as db:
        db.update("DK", "DKBM", "4304241012040100001", {"DKMC": long_name})
        db.update("DK", "DKBM", "4304241012040100002", {"DKBZXX": "生僻字𠮷"})
    rep = export_submission_layout(a, str(tmp_path / "out"), year=2016)
    widened = [i for i in rep.issues if i.field == "DKMC"]
    assert len(widened) == 1 and widened[0].level == "警告" and "52" in widened[0].reason
    assert widened[0].action == "字段加宽" and widened[0].source == "4304241012040100001"
    lost = [i for i in rep.issues if i.field == "DKBZXX"]
    assert lost and lost[0].level == "错误" and "GBK" in lost[0].reason
    target = str(tmp_path / "t.gpkg")
    create_database(target, 4526)
    import_submission(rep.root, target)
    rows = F.table_rows(target, "DK", with_geometry=False)
    assert rows[0]["DKMC"] == long_name          # nothing truncated
    assert rows[1]["DKBZXX"] == "生僻字?"


# --- round trip -----------------------------------------------------------------------

def test_round_trip_equals_the_original(two_villages):
    a, root, target = two_villages
    report = import_submission(root, target)
    assert_same_database(a, target)
    assert report.imported_total == sum(TownshipDB(a, readonly=True).count(t.code) for t in schema.ALL)
    assert not report.errors and not report.collisions and not report.renumbered
    assert all("GBK" in v for v in report.encodings.values())
    assert report.backup and os.path.exists(report.backup)
    assert report.edge.status == "跳过" and "原无地块" in report.edge.reason


def test_round_trip_of_the_demo_township(tmp_path, request):
    pytest.importorskip("quequan.core.demo.generate", reason="演示乡镇生成器尚未提交")
    demo = request.getfixturevalue("demo_db")
    with TownshipDB(demo, readonly=True) as db:
        epsg = db.epsg("DK")
    root = export_submission_layout(demo, str(tmp_path / "out"), year=2016).root
    target = str(tmp_path / "t.gpkg")
    create_database(target, epsg)
    report = import_submission(root, target)
    assert not report.errors
    assert_same_database(demo, target)


def test_an_exported_package_can_be_found_from_its_parent_folder(two_villages, tmp_path):
    a, root, target = two_villages
    report = import_submission(str(tmp_path / "out"), target)       # parent of 430424衡东县
    assert report.count("DK").imported == 12


# --- merge ------------------------------------------------------------------------------

@pytest.fixture
def village_b(tmp_path):
    """Village 206 delivered separately, east of 205, numbered J1… again."""
    b = F.build_township(str(tmp_path / "b.gpkg"), villages=(("206", "枫林村"),), first_index=2)
    return b, _export(b, tmp_path, "out_b")


def test_second_village_is_merged_and_collisions_listed(two_villages, village_b):
    a, root_a, target = two_villages
    b, root_b = village_b
    import_submission(root_a, target)
    report = import_submission(root_b, target)
    with TownshipDB(target, readonly=True) as db:
        assert db.count("DK") == 18 and db.count("CBF") == 18 and db.count("FBF") == 6
        assert db.count("CJQY") == 3 and db.count("XJXZQ") == 1 and db.count("XJQY") == 1
        bsm = [r["BSM"] for r in db.read("DK", ["BSM"])]
    assert len(set(bsm)) == 18
    # the county and township polygons were delivered again: skipped and listed
    keys = {(c.table, c.key) for c in report.collisions}
    assert keys == {("XJXZQ", "430424"), ("XJQY", "430424101")}
    assert all(c.action == "跳过" for c in report.collisions)
    assert report.count("XJXZQ").skipped == 1 and report.count("XJQY").skipped == 1
    # village 206's BSM 1…6 were taken by villages 204/205: renumbered and listed
    dk_renum = [r for r in report.renumbered if r.table == "DK"]
    assert [(r.old, r.new) for r in dk_renum] == [(i, 12 + i) for i in range(1, 7)]
    assert dk_renum[0].key == "4304241012060100001"
    assert any("界址点号与已有数据重号" in m for m in report.messages)
    # ownership data of 206 arrived complete
    fbf = F.table_rows(target, "FBF")
    assert [r["FBFBM"] for r in fbf][-2:] == ["43042410120601", "43042410120602"]


def test_edge_check_runs_t13_on_the_seam(two_villages, village_b):
    from quequan.checks import registry
    a, root_a, target = two_villages
    b, root_b = village_b
    import_submission(root_a, target)
    report = import_submission(root_b, target)
    if "T13" not in registry.implemented():
        assert report.edge.status == "跳过" and "T13" in report.edge.reason
        return
    assert report.edge.status == "已运行"
    # the seam: village 206's western plots and village 205's eastern plots (two groups each)
    assert report.edge.scope == sorted(["4304241012050100003", "4304241012050200003",
                                        "4304241012060100001", "4304241012060200001"])
    assert report.edge.findings == []        # edges coincide exactly


def test_edge_check_finds_a_plot_reaching_across_the_seam(two_villages, tmp_path):
    from quequan.checks import registry
    if "T13" not in registry.implemented():
        pytest.skip("T13 尚未注册")
    a, root_a, target = two_villages
    b = F.build_township(str(tmp_path / "b.gpkg"), villages=(("206", "枫林村"),), first_index=2)
    with TownshipDB(b) as db:   # 206's first plot drawn 1.5 m into village 205
        rows, wkbs = db.read_geometries("DK", ["DKBM"])
        moved = shapely.affinity.translate(shapely.from_wkb(wkbs[0]), xoff=-1.5)
        db.conn.execute('DELETE FROM "DK" WHERE fid=?', (rows[0]["FID"],))
        first = {"BSM": 99, "YSDM": "211011", "DKBM": rows[0]["DKBM"], "DKMC": "伸入地块", "DKLB": "10",
                 "DLDJ": "03", "TDYT": "1", "SFJBNT": "1", "SCMJ": 2000.0, "KJZB": "J1/J2/J3/J4"}
        db.insert("DK", [first], [moved])
    root_b = _export(b, tmp_path, "out_b")
    import_submission(root_a, target)
    report = import_submission(root_b, target)
    assert report.edge.status == "已运行"
    hits = [f for f in report.edge.findings if "4304241012060100001" in (f.key,) + tuple(f.related)]
    assert hits, report.edge.reason
    assert any("4304241012050100003" in (f.key,) + tuple(f.related) for f in hits)


def test_importing_the_same_delivery_twice_skips_every_keyed_row(two_villages):
    a, root, target = two_villages
    import_submission(root, target)
    before = F.content_checksum(target)
    report = import_submission(root, target)
    assert report.count("DK").skipped == 12 and report.count("DK").imported == 0
    assert report.count("CBF").skipped == 12 and report.count("CBF_JTCY").skipped == 24
    assert report.count("CBDKXX").skipped == 12 and report.count("FBF").skipped == 4
    assert len([c for c in report.collisions if c.table == "DK"]) == 12
    # features without a code of their own (DZDW, QYJX, ZJ …) are recognised by equal content
    assert report.count("DZDW").skipped == 2 and report.count("QYJX").skipped == 2
    dz = [c for c in report.collisions if c.table == "DZDW"]
    assert dz[0].key_field == "全部字段+图形" and "机井" in dz[0].key
    assert report.imported_total == 0
    assert F.content_checksum(target) == before       # nothing new: nothing written


def test_a_changed_unkeyed_feature_is_new(two_villages):
    a, root, target = two_villages
    import_submission(root, target)
    with TownshipDB(a) as db:
        db.update("DZDW", "BSM", 1, {"BZ": "已废弃"})
    root2 = _export(a, F_tmp(root), "again")
    report = import_submission(root2, target)
    assert report.count("DZDW").imported == 1 and report.count("DZDW").skipped == 1
    assert [(r.old, r.new) for r in report.renumbered if r.table == "DZDW"] == [(1, 3)]


def test_abort_policy_changes_nothing(two_villages):
    a, root, target = two_villages
    import_submission(root, target)
    before = F.content_checksum(target)
    with pytest.raises(ExchangeError) as exc:
        import_submission(root, target, on_collision="abort")
    assert "冲突" in str(exc.value) and "数据库未改变" in str(exc.value)
    assert F.content_checksum(target) == before


def test_replace_policy_replaces_and_lists(two_villages):
    a, root, target = two_villages
    import_submission(root, target)
    report = import_submission(root, target, on_collision="replace")
    assert report.count("DK").replaced == 12 and report.count("DK").imported == 12
    assert all(c.action == "替换" for c in report.collisions)
    with TownshipDB(target, readonly=True) as db:
        assert db.count("DK") == 12 and db.count("CBF_JTCY") == 24
    assert_same_database(a, target, ["CBF", "CBF_JTCY", "CBDKXX"])


# --- nothing changes on failure -------------------------------------------------------------

@pytest.fixture
def filled_target(two_villages):
    a, root, target = two_villages
    import_submission(root, target)
    return root, target, F.content_checksum(target)


def test_truncated_shp_is_refused(filled_target, tmp_path):
    root, target, before = filled_target
    bad = shutil.copytree(root, str(tmp_path / "bad"))
    shp = _vector(bad, "DK")
    data = open(shp, "rb").read()
    open(shp, "wb").write(data[:len(data) // 2])
    with pytest.raises(ExchangeError) as exc:
        import_submission(bad, target)
    assert "DK4304242016.shp 被截断" in str(exc.value)
    assert F.content_checksum(target) == before


def test_missing_dbf_is_refused(filled_target, tmp_path):
    root, target, before = filled_target
    bad = shutil.copytree(root, str(tmp_path / "bad"))
    os.remove(_vector(bad, "JZD")[:-4] + ".dbf")
    with pytest.raises(ExchangeError) as exc:
        import_submission(bad, target)
    assert "JZD4304242016.shp 缺少属性表 .dbf" in str(exc.value)
    assert F.content_checksum(target) == before


def test_wrong_encoding_is_refused(filled_target, tmp_path):
    root, target, before = filled_target
    bad = shutil.copytree(root, str(tmp_path / "bad"))
    with open(os.path.join(bad, "权属数据", "CBF.cpg"), "w") as fh:
        fh.write("UTF-8")
    with pytest.raises(ExchangeError) as exc:
        import_submission(bad, target)
    assert "CBF.dbf 按 UTF-8 编码" in str(exc.value) and "GBK" in str(exc.value)
    assert F.content_checksum(target) == before
    report = import_submission(bad, target, encoding="GBK")      # forced: reads, keys collide
    assert report.count("CBF").skipped == 12


def test_failure_while_writing_rolls_everything_back(filled_target, tmp_path, monkeypatch, village_b):
    root, target, before = filled_target
    b, root_b = village_b
    real_insert = TownshipDB.insert

    def failing(self, table, rows, geoms=None, srs_id=None):
        if table == "CBHT":
            raise sqlite3.OperationalError("disk I/O error")
        return real_insert(self, table, rows, geoms, srs_id)
    monkeypatch.setattr(TownshipDB, "insert", failing)
    with pytest.raises(ExchangeError) as exc:
        import_submission(root_b, target)
    assert "已全部撤销" in str(exc.value)
    assert F.content_checksum(target) == before
    backups = [n for n in os.listdir(os.path.dirname(target)) if "导入前备份" in n]
    assert backups        # the copy made before writing is there for the user


def test_mdb_only_gives_the_not_supported_message(filled_target, tmp_path):
    root, target, before = filled_target
    bad = shutil.copytree(root, str(tmp_path / "bad"))
    own = os.path.join(bad, "权属数据")
    for name in os.listdir(own):
        os.remove(os.path.join(own, name))
    open(os.path.join(own, "4304242016.mdb"), "wb").write(b"\x00\x01\x00\x00Standard Jet DB")
    with pytest.raises(ExchangeError) as exc:
        import_submission(bad, target)
    assert str(exc.value) == MDB_NOT_SUPPORTED
    assert F.content_checksum(target) == before


def test_empty_folder_is_refused(tmp_path, empty_db):
    (tmp_path / "nothing").mkdir()
    with pytest.raises(ExchangeError) as exc:
        import_submission(str(tmp_path / "nothing"), empty_db)
    assert "没有找到" in str(exc.value)


# --- processing -----------------------------------------------------------------------------------

def test_processing_importsubmission_creates_the_database_and_reports(provider, two_villages, tmp_path,
                                                                      village_b):
    import processing
    from openpyxl import load_workbook
    a, root, _ = two_villages
    b, root_b = village_b
    db = str(tmp_path / "new" / "township.gpkg")
    os.makedirs(os.path.dirname(db))
    res = processing.run("quequan:importsubmission", {"FOLDER": root, "DATABASE": db})
    assert os.path.exists(db) and res["IMPORTED"] > 0 and res["SKIPPED"] == 0
    with TownshipDB(db, readonly=True) as t:
        assert t.epsg("DK") == 4526          # taken from the delivery's .prj
    xlsx = str(tmp_path / "report.xlsx")
    res = processing.run("quequan:importsubmission", {"FOLDER": root_b, "DATABASE": db, "REPORT": xlsx})
    assert res["SKIPPED"] == 2 and res["RENUMBERED"] > 0 and res["BACKUP"]
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:6] == ["导入汇总", "问题清单", "键冲突", "BSM重编", "接边检查", "说明"]
    summary = {r[0]: r for r in wb["导入汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["DK"][2:4] == (6, 6) and summary["XJXZQ"][4] == 1
    conflicts = list(wb["键冲突"].iter_rows(min_row=2, values_only=True))
    assert ("XJXZQ", "XZQDM", "430424", "跳过") in [c[:4] for c in conflicts]


def test_processing_importsubmission_fails_cleanly(provider, filled_target, tmp_path):
    import processing
    from qgis.core import QgsProcessingException
    root, target, before = filled_target
    bad = shutil.copytree(root, str(tmp_path / "bad"))
    os.remove(_vector(bad, "DK")[:-4] + ".dbf")
    with pytest.raises(QgsProcessingException):
        processing.run("quequan:importsubmission", {"FOLDER": bad, "DATABASE": target})
    assert F.content_checksum(target) == before
