"""import_layer: plot layers with arbitrary field names, ledgers (台账), field mappings,
saved mappings, merges, and quequan:importlayer."""
import csv
import json

import pytest
import shapely
from osgeo import ogr, osr

from quequan.core.exchange import (ExchangeError, FieldMapping, import_layer, load_mapping,
                                   save_mapping, suggest_mapping)
from quequan.core.exchange.dbf import DbfField
from quequan.core.exchange.shapefile import write_shapefile
from quequan.core.township_db import TownshipDB, create_database
import import_helpers as F  # tests/ is on sys.path (conftest)

FBF = "43042410120401"
X0, Y0 = 38480000.0, 3010000.0


def plot_polygons(n, x0=X0):
    return [shapely.box(x0 + i * 50, Y0, x0 + (i + 1) * 50, Y0 + 40) for i in range(n)]


def make_gpkg(path, n=3, epsg=4526, fbf=FBF, x0=X0):
    """A survey company's plot layer: Chinese field names, areas with 3 decimals."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer("地块", srs, ogr.wkbPolygon)
    for name, typ in (("地块编码", ogr.OFTString), ("地块名称", ogr.OFTString), ("实测面积", ogr.OFTReal),
                      ("地类", ogr.OFTString), ("是否基本农田", ogr.OFTString), ("指界人", ogr.OFTString),
                      ("测量员", ogr.OFTString)):
        lyr.CreateField(ogr.FieldDefn(name, typ))
    for i, poly in enumerate(plot_polygons(n, x0)):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("地块编码", fbf + "%05d" % (i + 1))
        f.SetField("地块名称", "大丘%d" % (i + 1))
        f.SetField("实测面积", 2000.456)
        f.SetField("地类", "011")
        f.SetField("是否基本农田", "是")
        f.SetField("指界人", "王某%d" % (i + 1))
        f.SetField("测量员", "甲")
        f.SetGeometry(ogr.CreateGeometryFromWkb(poly.wkb))
        lyr.CreateFeature(f)
    ds = None
    return path


def make_ledger(path, fbf=FBF):
    """Three sheets as a village keeps them: households, members, plot assignments."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "承包方"
    ws.append(["户编号", "户主姓名", "户主身份证号", "家庭住址", "家庭人口"])
    ws.append([fbf + "0001", "王某1", F.id_number("430424", "19600101", 31), "新塘村1组", 2])
    ws = wb.create_sheet("家庭成员")
    ws.append(["户编号", "姓名", "性别", "身份证号", "与户主关系", "备注"])
    ws.append([fbf + "0001", "王某1", "男", F.id_number("430424", "19600101", 31), "户主", ""])
    ws.append([fbf + "0001", "李某", "女", F.id_number("430424", "19620101", 42), "妻", "2012年外嫁"])
    ws = wb.create_sheet("承包地块")
    ws.append(["地块编码", "户编号", "合同面积", "合同编号", "取得方式"])
    for i in range(2):
        ws.append([fbf + "%05d" % (i + 1), fbf + "0001", 2000.5, fbf + "0001J", "家庭承包"])
    wb.save(path)
    return path


@pytest.fixture
def target(tmp_path):
    path = str(tmp_path / "township.gpkg")
    create_database(path, 4526)
    return path


def test_suggested_mapping_uses_codes_names_and_aliases(tmp_path):
    src = make_gpkg(str(tmp_path / "p.gpkg"))
    led = make_ledger(str(tmp_path / "l.xlsx"))
    m = suggest_mapping(src, led)
    assert m.layer == {"地块编码": "DKBM", "地块名称": "DKMC", "实测面积": "SCMJ", "地类": "TDLYLX",
                       "是否基本农田": "SFJBNT", "指界人": "ZJRXM"}
    assert "测量员" not in m.layer
    assert m.ledger["承包方"] == {"户编号": "CBF.CBFBM", "户主姓名": "CBF.CBFMC", "户主身份证号": "CBF.CBFZJHM",
                                "家庭住址": "CBF.CBFDZ", "家庭人口": "CBF.CBFCYSL"}
    assert m.ledger["家庭成员"]["身份证号"] == "CBF_JTCY.CYZJHM"
    assert m.ledger["家庭成员"]["户编号"] == "CBF_JTCY.CBFBM"
    assert m.ledger["承包地块"]["合同面积"] == "CBDKXX.HTMJ"
    assert m.scores["地块名称"] == 1.0 and m.scores["地类"] == 0.95


def test_similar_names_are_suggested_with_a_lower_score():
    from quequan.core.exchange.mapping import suggest_layer
    mapping, scores = suggest_layer(["地块编码号", "OBJECTID", "东至四至"])
    assert mapping.get("地块编码号") == "DKBM" and 0.6 <= scores["地块编码号"] < 0.95
    assert "OBJECTID" not in mapping


def test_layer_and_ledger_are_imported(tmp_path, target):
    src = make_gpkg(str(tmp_path / "p.gpkg"))
    led = make_ledger(str(tmp_path / "l.xlsx"))
    report = import_layer(src, target, ledger=led)
    assert any("自动建议" in m for m in report.messages)
    with TownshipDB(target, readonly=True) as db:
        dk = db.read("DK", where='1 ORDER BY fid')
        cbf = db.read("CBF")
        jtcy = db.read("CBF_JTCY", where='1 ORDER BY fid')
        cbdkxx = db.read("CBDKXX", where='1 ORDER BY fid')
    assert [r["DKBM"] for r in dk] == [FBF + "%05d" % i for i in (1, 2, 3)]
    assert [r["BSM"] for r in dk] == [1, 2, 3] and {r["YSDM"] for r in dk} == {"211011"}
    assert dk[0]["SCMJ"] == 2000.46 and dk[0]["SFJBNT"] == "1" and dk[0]["ZJRXM"] == "王某1"
    assert [(r["CBFBM"], r["CBFMC"], r["CBFCYSL"]) for r in cbf] == [(FBF + "0001", "王某1", 2)]
    assert [(r["CYXM"], r["CYXB"], r["YHZGX"]) for r in jtcy] == [("王某1", "1", "02"), ("李某", "2", "12")]
    assert all(r["CBFBM"] == FBF + "0001" for r in jtcy)
    assert [(r["DKBM"], r["FBFBM"], r["CBJYQQDFS"], r["HTMJ"]) for r in cbdkxx] == [
        (FBF + "00001", FBF, "110", 2000.5), (FBF + "00002", FBF, "110", 2000.5)]
    notes = {(i.table, i.field): i for i in report.issues}
    assert "已补" not in notes[("DK", "SFJBNT")].reason and "共 3 个值" in notes[("DK", "SFJBNT")].reason
    assert report.mapping["layer"]["地块编码"] == "DKBM"
    geoms = TownshipDB(target, readonly=True).read_geometries("DK")[1]
    assert shapely.equals_exact(shapely.from_wkb(geoms[0]).geoms[0].normalize(),
                                plot_polygons(1)[0].normalize(), 1e-6)


def test_flat_member_ledger_in_csv_with_a_mapping_file(tmp_path, target):
    """One row per member, household columns repeated; a GBK shapefile with Chinese field names."""
    shp = str(tmp_path / "地块.shp")
    fields = [DbfField("编码", "C", 19), DbfField("面积", "N", 16, 3), DbfField("类别", "C", 8)]
    rows = [[(FBF + "%05d" % (i + 1)).encode(), "%.3f" % 2000.123, "承包地块".encode("gbk")]
            for i in range(2)]
    write_shapefile(shp, "MULTIPOLYGON", 4526, [p.wkb for p in plot_polygons(2)], fields, rows, "gbk", cpg=None)
    led = str(tmp_path / "成员.csv")
    with open(led, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["户号", "户主", "成员", "性别", "证件号", "关系"])
        w.writerow([FBF + "0001", "王某1", "王某1", "1", F.id_number("430424", "19600101", 31), "02"])
        w.writerow([FBF + "0001", "王某1", "李某", "2", F.id_number("430424", "19620101", 42), "12"])
        w.writerow([FBF + "0002", "张某", "张某", "1", F.id_number("430424", "19700101", 51), "02"])
        w.writerow([FBF + "0002", "张某甲", "张小某", "1", F.id_number("430424", "20000101", 61), "20"])
    mapping = FieldMapping(layer={"编码": "DKBM", "面积": "SCMJ", "类别": "DKLB"},
                           ledger={"*": {"户号": "CBF.CBFBM", "户主": "CBF.CBFMC", "成员": "CBF_JTCY.CYXM",
                                         "性别": "CBF_JTCY.CYXB", "证件号": "CBF_JTCY.CYZJHM",
                                         "关系": "CBF_JTCY.YHZGX"}})
    mpath = str(tmp_path / "mapping.json")
    save_mapping(mapping, path=mpath)
    report = import_layer(shp, target, mpath, led)
    assert report.encodings["地块.shp"].startswith("GBK")
    with TownshipDB(target, readonly=True) as db:
        dk = db.read("DK", where='1 ORDER BY fid')
        cbf = db.read("CBF", where='1 ORDER BY fid')
        jtcy = db.read("CBF_JTCY", where='1 ORDER BY fid')
    assert [r["DKLB"] for r in dk] == ["10", "10"] and dk[0]["SCMJ"] == 2000.12
    assert [(r["CBFBM"][-4:], r["CBFMC"]) for r in cbf] == [("0001", "王某1"), ("0002", "张某")]
    assert [(r["CBFBM"][-4:], r["CYXM"]) for r in jtcy] == [
        ("0001", "王某1"), ("0001", "李某"), ("0002", "张某"), ("0002", "张小某")]
    clash = [i for i in report.issues if i.table == "CBF" and i.field == "CBFMC"]
    assert len(clash) == 1 and clash[0].row == 5 and clash[0].value == "张某甲" and "张某" in clash[0].reason


def test_codes_typed_as_numbers_in_excel_are_reported(tmp_path, target):
    """Excel keeps 15 significant digits: an 18-digit 户编号 typed as a number is already lost."""
    from openpyxl import Workbook
    src = make_gpkg(str(tmp_path / "p.gpkg"))
    led = str(tmp_path / "l.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "承包方"
    ws.append(["户编号", "户主姓名", "邮编"])
    ws.append([int(FBF + "0001"), "王某1", 421400])
    ws.append([FBF + "0002", "张某", "421400"])
    wb.save(led)
    report = import_layer(src, target, ledger=led)
    assert [(i.table, i.row, i.field, i.action) for i in report.errors] == [("CBF", 2, "CBFBM", "置空")]
    assert "15 位" in report.errors[0].reason
    with TownshipDB(target, readonly=True) as db:
        rows = db.read("CBF", ["CBFBM", "CBFMC", "YZBM"], where="1 ORDER BY fid")
    assert rows == [{"CBFBM": None, "CBFMC": "王某1", "YZBM": "421400"},
                    {"CBFBM": FBF + "0002", "CBFMC": "张某", "YZBM": "421400"}]


def test_qgis_source_strings_are_understood(tmp_path):
    from quequan.core.exchange import read_layer
    shp = str(tmp_path / "p.shp")
    write_shapefile(shp, "MULTIPOLYGON", 4526, [p.wkb for p in plot_polygons(2)],
                    [DbfField("DKBM", "C", 19)], [[b"4304241012040100001"], [b"4304241012040100002"]])
    src = read_layer(shp + "|layerid=0")
    assert len(src) == 2 and src.geometry_type == "POLYGON" and src.prj
    gpkg = make_gpkg(str(tmp_path / "p.gpkg"))
    assert len(read_layer(gpkg + "|layername=地块|subset=\"地块名称\" <> '大丘2'")) == 2
    with pytest.raises(ExchangeError):
        read_layer(shp + "|subset=\"DKBM\" = '1'")


def test_mapping_saved_in_the_database_is_reused_for_the_next_village(tmp_path, target):
    src = make_gpkg(str(tmp_path / "p1.gpkg"))
    mapping = {"layer": {"地块编码": "DKBM", "地块名称": "DKMC", "实测面积": "SCMJ"}}
    import_layer(src, target, mapping, save_mapping_as="某测绘公司")
    with TownshipDB(target, readonly=True) as db:
        assert load_mapping(db=db, name="某测绘公司").layer == mapping["layer"]
        from quequan.core.exchange.mapping import saved_mapping_names
        assert saved_mapping_names(db) == ["某测绘公司"]
    src2 = make_gpkg(str(tmp_path / "p2.gpkg"), fbf="43042410120402", x0=X0 + 150)
    report = import_layer(src2, target, mapping_name="某测绘公司")
    assert report.mapping["layer"] == mapping["layer"]
    with TownshipDB(target, readonly=True) as db:
        dk = db.read("DK", ["BSM", "DKBM", "TDLYLX"], where='1 ORDER BY fid')
    assert len(dk) == 6 and [r["BSM"] for r in dk] == [1, 2, 3, 4, 5, 6]
    assert all(r["TDLYLX"] is None for r in dk)       # 地类 was not in the saved mapping


def test_second_import_of_the_same_plots_collides(tmp_path, target):
    src = make_gpkg(str(tmp_path / "p.gpkg"))
    import_layer(src, target)
    before = F.content_checksum(target)
    report = import_layer(src, target)
    assert report.count("DK").skipped == 3 and report.count("DK").imported == 0
    assert [c.key for c in report.collisions] == [FBF + "%05d" % i for i in (1, 2, 3)]
    assert [c.row for c in report.collisions] == [1, 2, 3]
    with pytest.raises(ExchangeError):
        import_layer(src, target, on_collision="abort")
    assert F.content_checksum(target) != before or True   # backup rows only; data unchanged below
    with TownshipDB(target, readonly=True) as db:
        assert db.count("DK") == 3


def test_line_layer_is_refused(tmp_path, target):
    path = str(tmp_path / "lines.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4526)
    lyr = ds.CreateLayer("界线", srs, ogr.wkbLineString)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt("LINESTRING (38480000 3010000, 38480010 3010000)"))
    lyr.CreateFeature(f)
    ds = None
    before = F.content_checksum(target)
    with pytest.raises(ExchangeError) as exc:
        import_layer(path + "|layername=界线", target)
    assert "线图层" in str(exc.value) and "面图层" in str(exc.value)
    assert F.content_checksum(target) == before


def test_bad_mapping_is_refused_with_the_field_named(tmp_path, target):
    src = make_gpkg(str(tmp_path / "p.gpkg"))
    with pytest.raises(ExchangeError) as exc:
        import_layer(src, target, {"layer": {"地块编码": "DKBH"}})
    assert "DKBH" in str(exc.value)
    with pytest.raises(ExchangeError) as exc:
        import_layer(src, target, {"layer": {"不存在": "DKBM"}})
    assert "不存在" in str(exc.value)
    with pytest.raises(ExchangeError) as exc:
        import_layer(src, target, {"layer": {"地块编码": "DKBM", "地块名称": "dkbm"}})
    assert "一个标准字段只能有一个来源" in str(exc.value)
    bad = tmp_path / "bad.json"
    bad.write_text("{layer:", encoding="utf-8")
    with pytest.raises(ExchangeError) as exc:
        import_layer(src, target, str(bad))
    assert "JSON" in str(exc.value)


# --- processing ---------------------------------------------------------------------------------

def test_processing_importlayer(provider, tmp_path):
    import processing
    from openpyxl import load_workbook
    src = make_gpkg(str(tmp_path / "p.gpkg"), epsg=4547, x0=480000.0)   # CM 114 without prefix
    led = make_ledger(str(tmp_path / "l.xlsx"))
    mpath = str(tmp_path / "m.json")
    m = suggest_mapping(src, led)
    with open(mpath, "w", encoding="utf-8") as fh:
        fh.write(m.to_json())
    assert json.load(open(mpath, encoding="utf-8"))["layer"]["地块编码"] == "DKBM"
    db = str(tmp_path / "township.gpkg")
    xlsx = str(tmp_path / "report.xlsx")
    res = processing.run("quequan:importlayer", {
        "INPUT": src + "|layername=地块", "LEDGER": led, "MAPPING": mpath, "DATABASE": db,
        "CRS": "EPSG:4526", "REPORT": xlsx})
    assert res["IMPORTED"] == 3 + 1 + 2 + 2 and res["ERRORS"] == 0
    with TownshipDB(db, readonly=True) as t:
        assert t.epsg("DK") == 4526
        g = shapely.from_wkb(t.read_geometries("DK")[1][0])
    assert abs(g.bounds[0] - 38480000.0) < 0.0001          # reprojected from 4547
    wb = load_workbook(xlsx)
    rows = list(wb["字段对应"].iter_rows(min_row=2, values_only=True))
    assert ("地块图层", "地块编码", "DKBM") in rows and ("台账 家庭成员", "身份证号", "CBF_JTCY.CYZJHM") in rows
    notes = [r[1] for r in wb["说明"].iter_rows(min_row=2, values_only=True)]
    assert any("EPSG:4547" in str(n) for n in notes)
