"""createdatabase and selfcheck through processing.run, as a user or a model calls them."""
import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer


def test_createdatabase_then_selfcheck(provider, tmp_path):
    import processing
    out = str(tmp_path / "db.gpkg")
    res = processing.run("quequan:createdatabase", {"OUTPUT": out, "CRS": "EPSG:4545"})
    assert res["EPSG"] == "EPSG:4545"
    dk = QgsVectorLayer(out + "|layername=DK", "DK", "ogr")
    assert dk.isValid() and dk.crs().authid() == "EPSG:4545"
    assert dk.fields().indexOf("DKBM") >= 0
    errs = str(tmp_path / "errors.gpkg")
    report = str(tmp_path / "report.xlsx")
    res = processing.run("quequan:selfcheck", {"DATABASE": out, "RULES": "S01,S02,S03",
                                               "OUTPUT": errs, "REPORT": report})
    assert res["ERRORS"] == 0 and res["WARNINGS"] == 0
    from openpyxl import load_workbook
    wb = load_workbook(report)
    assert wb.sheetnames[:2] == ["自查结果", "规则统计"]
    assert [c.value for c in wb["规则统计"][1]][:4] == ["规则", "规则名称", "级别", "数量"]


def test_createdatabase_refuses_wgs84(provider, tmp_path):
    import processing
    with pytest.raises(QgsProcessingException):
        processing.run("quequan:createdatabase", {"OUTPUT": str(tmp_path / "x.gpkg"),
                                                  "CRS": "EPSG:4326"})
    assert not (tmp_path / "x.gpkg").exists()


def test_selfcheck_rejects_unknown_rule(provider, empty_db, tmp_path):
    import processing
    with pytest.raises(QgsProcessingException):
        processing.run("quequan:selfcheck", {"DATABASE": empty_db, "RULES": "T99",
                                             "OUTPUT": str(tmp_path / "e.gpkg")})
