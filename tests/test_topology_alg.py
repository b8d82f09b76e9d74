"""quequan:checktopology and quequan:checkedgematching through processing.run (and qgis_process)."""
import json
import os
import shutil
import subprocess
import sys

import pytest
import shapely

sys.path.insert(0, os.path.dirname(__file__))
from test_topology_helpers import V204, V205, box, dk, poly  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
G205 = V205 + "01"


def write_layer(path, name, geoms, rows, epsg=4526):
    """A GeoPackage polygon layer with text fields."""
    from osgeo import ogr, osr
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.Open(path, 1) if os.path.exists(path) else drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer(name, srs, ogr.wkbMultiPolygon)
    fields = sorted({k for r in rows for k in r})
    for f in fields:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    for g, r in zip(geoms, rows):
        feat = ogr.Feature(lyr.GetLayerDefn())
        for f in fields:
            if r.get(f) is not None:
                feat.SetField(f, r[f])
        if g is not None:
            if g.geom_type == "Polygon":
                g = shapely.MultiPolygon([g])
            feat.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
        lyr.CreateFeature(feat)
    ds = None
    return "%s|layername=%s" % (path, name)


def errors_of(path):
    from quequan.export.error_layer import read_error_layer
    return read_error_layer(path)


def plots_with_defects():
    bow = poly([(0, 300), (10, 310), (10, 300), (0, 310)])
    return [
        (dk(1), box(0, 0, 40, 40)), (dk(2), box(40.2, 0, 80, 40)),          # 0.2 m sliver
        (dk(3), box(0, 40, 80, 80)), (dk(4), box(0, -40, 80, 0)),           # closing it
        (dk(5), box(100, 0, 140, 40)), (dk(6), box(139.7, 0, 180, 40)),     # 12 m² overlap
        (dk(7), box(200, 0, 240, 40)), (dk(8), box(200, 0, 240, 40)),       # duplicate
        (dk(9), box(300, 0, 300.8, 0.5)),                                   # crumb
        (dk(10), bow),                                                      # bow-tie
        (dk(11), None),                                                     # no shape
    ]


@pytest.fixture
def plot_layer(tmp_path):
    items = plots_with_defects()
    return write_layer(str(tmp_path / "in.gpkg"), "plots", [g for _, g in items],
                       [{"DKBM": k, "NAME": "p%d" % i} for i, (k, _) in enumerate(items)])


def test_checktopology_reports_each_rule(quequan_provider, plot_layer, tmp_path):
    import processing
    out, report = str(tmp_path / "err.gpkg"), str(tmp_path / "report.xlsx")
    res = processing.run("quequan:checktopology", {"INPUT": plot_layer, "KEY_FIELD": "DKBM",
                                                   "OUTPUT": out, "REPORT": report})
    errs = errors_of(res["OUTPUT"])
    got = sorted((e["rule"], e["key"], e["related"]) for e in errs
                 if e["rule"] in ("T01", "T02", "T04", "T05", "T07", "T08"))
    assert got == [("T01", dk(10), ""), ("T02", dk(11), ""),
                   ("T04", dk(5), dk(6)), ("T05", dk(1), ",".join([dk(2), dk(3), dk(4)])),
                   ("T07", dk(7), dk(8)), ("T08", dk(9), "")]
    sliver = [e for e in errs if e["rule"] == "T05"][0]
    assert "最大宽度 0.200 米，面积 8.00 平方米" in sliver["message"]
    assert sliver["wkt"].startswith("POLYGON")
    assert res["ERRORS"] == sum(1 for e in errs if e["severity"] == "错误") > 0
    from openpyxl import load_workbook
    assert load_workbook(report).sheetnames[0] == "自查结果"


def test_checktopology_allowed_gaps_and_thresholds(quequan_provider, plot_layer, tmp_path):
    import processing
    ditch = write_layer(str(tmp_path / "mask.gpkg"), "ditch", [box(39, -1, 41.5, 41)], [{}])
    res = processing.run("quequan:checktopology", {
        "INPUT": plot_layer, "ALLOWED_GAPS": [ditch], "OVERLAP_MIN_AREA": 20.0,
        "OUTPUT": str(tmp_path / "e.gpkg")})
    rules = {e["rule"] for e in errors_of(res["OUTPUT"])}
    assert "T05" not in rules           # the sliver lies in an allowed feature
    assert "T04" not in rules           # 12 m² is below the 20 m² threshold given


def test_checktopology_any_key_field_is_one_unit(quequan_provider, tmp_path):
    import processing
    layer = write_layer(str(tmp_path / "x.gpkg"), "fields",
                        [box(0, 0, 40, 40), box(39.7, 0, 80, 40)], [{"NAME": "甲"}, {"NAME": "乙"}])
    res = processing.run("quequan:checktopology", {"INPUT": layer, "KEY_FIELD": "NAME",
                                                   "OUTPUT": str(tmp_path / "e.gpkg")})
    errs = [e for e in errors_of(res["OUTPUT"]) if e["rule"] in ("T04", "T13")]
    assert [(e["rule"], e["key"], e["related"]) for e in errs] == [("T04", "乙", "甲")] or \
        [(e["rule"], e["key"], e["related"]) for e in errs] == [("T04", "甲", "乙")]


def test_checktopology_cancel(quequan_provider, plot_layer, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback
    fb = QgsProcessingFeedback()
    fb.cancel()
    with pytest.raises(QgsProcessingException):
        processing.run("quequan:checktopology", {"INPUT": plot_layer,
                                                 "OUTPUT": str(tmp_path / "e.gpkg")}, feedback=fb)


def _villages(tmp_path):
    regions = write_layer(str(tmp_path / "regions.gpkg"), "cjqy",
                          [box(0, 0, 100, 100), box(100, 0, 200, 100)],
                          [{"CJQYDM": V204}, {"CJQYDM": V205}])
    a = write_layer(str(tmp_path / "a.gpkg"), "village204",
                    [box(50, 0, 101.5, 40), box(50, 50, 100, 70), box(50, 70, 100.3, 90)],
                    [{"DKBM": dk(1)}, {"DKBM": dk(2)}, {"DKBM": dk(3)}])
    b = write_layer(str(tmp_path / "b.gpkg"), "village205",
                    [box(101.5, 0, 150, 40), box(100.1, 50, 150, 70), box(100, 70, 150, 90),
                     box(50, 70.2, 150, 100), box(50, 40, 150, 50)],
                    [{"DKBM": dk(1, G205)}, {"DKBM": dk(2, G205)}, {"DKBM": dk(3, G205)},
                     {"DKBM": dk(4, G205)}, {"DKBM": dk(5, G205)}])
    return regions, a, b


def test_edgematching_two_layers_and_regions(quequan_provider, tmp_path):
    import processing
    regions, a, b = _villages(tmp_path)
    res = processing.run("quequan:checkedgematching", {
        "INPUT": a, "INPUT2": b, "REGIONS": regions, "REGION_KEY": "CJQYDM",
        "OUTPUT": str(tmp_path / "e.gpkg")})
    errs = errors_of(res["OUTPUT"])
    assert {e["rule"] for e in errs} == {"T13"}
    found = {(e["key"], e["related"]) for e in errs}
    assert (dk(1), V205) in found                       # reaches 1.5 m into village 205
    assert any(e["key"] == dk(3) and "重叠" in e["message"] for e in errs)   # across the layers
    assert any("缝隙" in e["message"] and dk(2) in (e["key"], *e["related"].split(","))
               and dk(2, G205) in (e["key"], *e["related"].split(",")) for e in errs)
    assert res["ERRORS"] == len(errs)


def test_edgematching_region_tolerance(quequan_provider, tmp_path):
    import processing
    regions, a, _ = _villages(tmp_path)
    res = processing.run("quequan:checkedgematching", {
        "INPUT": a, "REGIONS": regions, "REGION_KEY": "CJQYDM", "TOLERANCE": 2.0,
        "OUTPUT": str(tmp_path / "e.gpkg")})
    assert [e for e in errors_of(res["OUTPUT"]) if e["related"] == V205] == []


QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


@pytest.mark.skipif(not os.path.exists(QGIS_PROCESS), reason="qgis_process.bin not installed")
def test_checktopology_from_qgis_process(plot_layer, tmp_path):
    config = tmp_path / "config"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    os.symlink(ROOT, plugins / "quequan")
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nquequan=true\n")
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(config), QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.path.join(ROOT, "ext-libs")
    out = str(tmp_path / "cli.gpkg")
    proc = subprocess.run([QGIS_PROCESS, "run", "quequan:checktopology", "--json", "--",
                           "INPUT=" + plot_layer, "OUTPUT=" + out], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    result = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert result["results"]["ERRORS"] >= 6
    assert {"T01", "T04", "T05", "T07"} <= {e["rule"] for e in errors_of(out)}


def test_selfcheck_runs_the_topology_families(quequan_provider, defect_db, tmp_path):
    import processing
    path, manifest = defect_db
    res = processing.run("quequan:selfcheck", {"DATABASE": path, "RULES": "T*",
                                               "OUTPUT": str(tmp_path / "e.gpkg")})
    errs = errors_of(res["OUTPUT"])
    assert {e["rule"] for e in errs} == {"T%02d" % i for i in range(1, 17)}
    points = [e for e in errs if e["rule"] in ("T09", "T10", "T11", "T12")]
    assert points and all(e["wkt"].startswith("POINT") for e in points)
    gaps = [e for e in errs if e["rule"] in ("T04", "T05", "T06")]
    assert gaps and all(e["wkt"].startswith(("POLYGON", "MULTIPOLYGON")) for e in gaps)


def _line_layer(path, name, lines, kd):
    """A line layer with a KD (width) field, kd[i] None for NULL."""
    from osgeo import ogr, osr
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4526)
    lyr = ds.CreateLayer(name, srs, ogr.wkbMultiLineString)
    lyr.CreateField(ogr.FieldDefn("KD", ogr.OFTReal))
    for g, w in zip(lines, kd):
        feat = ogr.Feature(lyr.GetLayerDefn())
        if w is not None:
            feat.SetField("KD", w)
        feat.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.MultiLineString([g]))))
        lyr.CreateFeature(feat)
    ds = None
    return "%s|layername=%s" % (path, name)


@pytest.mark.parametrize("kd, slivers", [(0.2, 0), (None, 0), (0.05, 2)])
def test_checktopology_ditch_lines_buffered_by_their_width(quequan_provider, plot_layer,
                                                          tmp_path, kd, slivers):
    """A ditch line in ALLOWED_GAPS covers KD/2 on each side (GAP_MAX_WIDTH/2 without KD):
    a 0.05 m ditch drawn in a 0.2 m sliver leaves two 0.075 m slivers."""
    import processing
    from test_topology_helpers import at
    ditch = _line_layer(str(tmp_path / "ditch.gpkg"), "ditch",
                        [shapely.LineString([at(40.1, -1), at(40.1, 41)])], [kd])
    res = processing.run("quequan:checktopology", {
        "INPUT": plot_layer, "ALLOWED_GAPS": [ditch], "OUTPUT": str(tmp_path / "e.gpkg")})
    found = [e for e in errors_of(res["OUTPUT"]) if e["rule"] == "T05"]
    assert len(found) == slivers
    assert all("最大宽度 0.075 米" in e["message"] for e in found)
