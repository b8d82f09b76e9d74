"""import_submission with other inputs: CRS of the delivery, .cpg-less and split
shapefiles, ownership tables as CSV/XLSX, values that do not fit the schema."""
import os

import pytest
import shapely
import shapely.affinity

from quequan.core import schema
from quequan.core.exchange import ExchangeError, export_submission_layout, import_submission
from quequan.core.township_db import create_database
import import_helpers as F  # tests/ is on sys.path (conftest)


def _vector(root, layer):
    return os.path.join(root, "矢量数据", "%s4304242016.shp" % layer)


@pytest.fixture
def two_villages(tmp_path):
    a = F.build_township(str(tmp_path / "a.gpkg"))
    root = export_submission_layout(a, str(tmp_path / "out"), year=2016).root
    target = str(tmp_path / "target.gpkg")
    create_database(target, 4526)
    return a, root, target


def assert_same_database(a, b, tables):
    for code in tables:
        F.assert_same_rows(F.table_rows(a, code), F.table_rows(b, code), code)


def test_without_cpg_files_the_language_byte_decides(two_villages):
    a, root, target = two_villages
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".cpg"):
                os.remove(os.path.join(folder, name))
    report = import_submission(root, target)
    assert report.encodings["CBF.dbf"] == "GBK（DBF 语言驱动字节 0x4D）"
    assert_same_database(a, target, ["DK", "CBF", "CBF_JTCY", "FBF"])


def test_split_layer_parts_are_read_together(two_villages):
    from quequan.core.exchange.dbf import read_dbf
    from quequan.core.exchange.shapefile import read_shapefile, write_shapefile
    a, root, target = two_villages
    shp = _vector(root, "DK")
    whole = read_shapefile(shp)
    fields = read_dbf(shp[:-4] + ".dbf").fields
    cells = [[None if r[f.name] is None else (r[f.name].encode("gbk") if f.type == "C" else r[f.name])
              for f in fields] for r in whole.rows]
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        os.remove(shp[:-4] + ext)
    for part, (lo, hi) in enumerate(((0, 5), (5, 12)), 1):
        write_shapefile(shp[:-4] + "-%d.shp" % part, "MULTIPOLYGON", 4526, whole.wkbs[lo:hi], fields,
                        cells[lo:hi])
    report = import_submission(root, target)
    assert report.count("DK").read == 12
    assert_same_database(a, target, ["DK"])


def test_split_parts_numbered_from_1_each_get_unique_bsm(two_villages):
    from quequan.core.exchange.dbf import read_dbf
    from quequan.core.exchange.shapefile import read_shapefile, write_shapefile
    from quequan.core.township_db import TownshipDB
    a, root, target = two_villages
    shp = _vector(root, "DK")
    whole = read_shapefile(shp)
    fields = read_dbf(shp[:-4] + ".dbf").fields
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        os.remove(shp[:-4] + ext)
    for part, (lo, hi) in enumerate(((0, 5), (5, 12)), 1):
        cells = [[str(n + 1) if f.name == "BSM" else
                  (None if r[f.name] is None else (r[f.name].encode("gbk") if f.type == "C" else r[f.name]))
                  for f in fields] for n, r in enumerate(whole.rows[lo:hi])]
        write_shapefile(shp[:-4] + "-%d.shp" % part, "MULTIPOLYGON", 4526, whole.wkbs[lo:hi], fields, cells)
    report = import_submission(root, target)
    assert [(r.old, r.new) for r in report.renumbered] == [(i, 7 + i) for i in range(1, 6)]
    with TownshipDB(target, readonly=True) as db:
        bsm = [r["BSM"] for r in db.read("DK", ["BSM"], where="1 ORDER BY fid")]
    assert bsm == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 6, 7]


# --- coordinate systems ---------------------------------------------------------------------

def test_other_encoding_of_the_same_zone_is_reprojected_with_a_warning(two_villages, tmp_path):
    a, root, _ = two_villages
    target = str(tmp_path / "t4547.gpkg")       # CM 114 without zone prefix
    create_database(target, 4547)
    report = import_submission(root, target)
    assert any("EPSG:4526" in m and "已转换" in m for m in report.messages)
    src = F.table_rows(a, "DK")
    dst = F.table_rows(target, "DK")
    for s, d in zip(src, dst):
        moved = shapely.affinity.translate(s["_geom"], xoff=-38000000.0)
        assert shapely.hausdorff_distance(moved, d["_geom"]) < 0.0001


def test_no_prj_in_the_zone_is_accepted_with_a_note(two_villages, tmp_path):
    a, root, target = two_villages
    for t in schema.LAYERS:
        os.remove(_vector(root, t.code)[:-4] + ".prj")
    report = import_submission(root, target)
    assert any("没有坐标系文件" in m and "EPSG:4526" in m for m in report.messages)
    assert_same_database(a, target, ["DK", "JZD"])


def test_no_prj_outside_the_zone_is_refused(two_villages, tmp_path):
    a, root, _ = two_villages
    os.remove(_vector(root, "DK")[:-4] + ".prj")
    target = str(tmp_path / "t4545.gpkg")       # CM 108, no prefix: eastings near 500 km
    create_database(target, 4545)
    before = F.content_checksum(target)
    with pytest.raises(ExchangeError) as exc:
        import_submission(root, target)
    assert "没有坐标系文件" in str(exc.value) and "EPSG:4545" in str(exc.value)
    assert F.content_checksum(target) == before


def test_xian80_data_are_refused(two_villages):
    from osgeo import osr
    a, root, target = two_villages
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2383)
    srs.MorphToESRI()
    with open(_vector(root, "DK")[:-4] + ".prj", "w") as fh:
        fh.write(srs.ExportToWkt())
    with pytest.raises(ExchangeError) as exc:
        import_submission(root, target)
    assert "EPSG:2383" in str(exc.value) and "CGCS2000" in str(exc.value)


# --- ownership tables as CSV / XLSX, bad values ------------------------------------------------

def test_ownership_tables_from_csv_and_xlsx(two_villages):
    import csv
    from openpyxl import Workbook
    a, root, target = two_villages
    own = os.path.join(root, "权属数据")
    from quequan.core.exchange.dbf import read_dbf
    cbf = read_dbf(os.path.join(own, "CBF.dbf"))
    with open(os.path.join(own, "cbf.csv"), "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([f.name.lower() for f in cbf.fields])
        for r in cbf.records:
            w.writerow(["" if r[f.name] is None else r[f.name] for f in cbf.fields])
    jtcy = read_dbf(os.path.join(own, "CBF_JTCY.dbf"))
    wb = Workbook()
    ws = wb.active
    ws.append([schema.BY_CODE["CBF_JTCY"].field(f.name).name for f in jtcy.fields])   # Chinese headers
    for r in jtcy.records:
        ws.append([r[f.name] for f in jtcy.fields])
    wb.save(os.path.join(own, "CBF_JTCY.xlsx"))
    for code in ("CBF", "CBF_JTCY"):
        for ext in (".dbf", ".cpg"):
            os.remove(os.path.join(own, code + ext))
    report = import_submission(root, target)
    assert report.encodings["cbf.csv"].startswith("GBK")
    assert_same_database(a, target, ["CBF", "CBF_JTCY"])


def test_two_files_for_one_table_are_refused(two_villages):
    a, root, target = two_villages
    open(os.path.join(root, "权属数据", "CBF.csv"), "w").write("CBFBM\n1\n")
    with pytest.raises(ExchangeError) as exc:
        import_submission(root, target)
    assert "CBF.csv" in str(exc.value) and "CBF.dbf" in str(exc.value)


def test_values_that_do_not_fit_are_reported_not_dropped(two_villages):
    a, root, target = two_villages
    own = os.path.join(root, "权属数据")
    with open(os.path.join(own, "CBHT.dbf"), "r+b") as fh:
        data = bytearray(fh.read())
    from quequan.core.exchange.dbf import read_dbf
    t = read_dbf(os.path.join(own, "CBHT.dbf"))
    hlen = 32 + 32 * len(t.fields) + 1
    off = 1 + sum(f.length for f in t.fields[:[f.name for f in t.fields].index("QDSJ")])
    data[hlen + off: hlen + off + 8] = b"20161345"                      # record 1: no 13th month
    off = 1 + sum(f.length for f in t.fields[:[f.name for f in t.fields].index("HTZMJ")])
    data[hlen + off: hlen + off + 16] = b"abc".rjust(16)                # record 1: not a number
    open(os.path.join(own, "CBHT.dbf"), "wb").write(bytes(data))
    report = import_submission(root, target)
    bad = sorted((i.table, i.row, i.field, i.value, i.action) for i in report.errors)
    assert bad == [("CBHT", 1, "HTZMJ", "abc", "置空"), ("CBHT", 1, "QDSJ", "20161345", "置空")]
    rows = F.table_rows(target, "CBHT")
    assert len(rows) == 12 and rows[0]["QDSJ"] is None and rows[0]["HTZMJ"] is None
    target2 = target[:-5] + "2.gpkg"
    create_database(target2, 4526)
    before = F.content_checksum(target2)
    with pytest.raises(ExchangeError) as exc:
        import_submission(root, target2, strict=True)
    assert "严格模式" in str(exc.value)
    assert F.content_checksum(target2) == before
