"""The declarative schema, createdatabase read back, and the structure rules S01–S03."""
import sqlite3

import pytest
from osgeo import ogr

from quequan.checks.context import CheckContext
from quequan.checks.engine import run_checks
from quequan.checks.structure_rules import structure_findings
from quequan.core import schema
from quequan.core.township_db import DatabaseError, TownshipDB, check_epsg, create_database

LAYERS = ["DK", "JZD", "JZX", "KZD", "XJXZQ", "XJQY", "CJQY", "ZJQY", "QYJX", "DZDW", "XZDW",
          "MZDW", "JBNTBHQ", "ZJ"]
TABLES = ["FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "LZHT", "QSLYZLFJ", "CBJYQZDJB", "CBJYQZ",
          "CBJYQZ_QZBF", "CBJYQZ_QZHF", "CBJYQZ_QZZX"]


def test_schema_has_every_layer_and_table_of_the_standard():
    assert sorted(t.code for t in schema.LAYERS) == sorted(LAYERS)
    assert sorted(t.code for t in schema.TABLES) == sorted(TABLES)
    dk = schema.BY_CODE["DK"]
    assert dk.ysdm == "211011" and dk.geometry == "MULTIPOLYGON"
    assert dk.field_codes[:4] == ["BSM", "YSDM", "DKBM", "DKMC"]
    assert len(dk.fields) == 19
    f = dk.field("SCMJ")
    assert (f.kind, f.length, f.decimals, f.con) == ("Float", 15, 2, "M")
    assert dk.field("DKLB").domain == "C.7"
    assert schema.BY_CODE["CBF"].field("CBFCYSL").type_text == "Int(2)"
    assert schema.BY_CODE["CBF_JTCY"].field("YHZGX").domain == "GB4761"
    assert len(schema.BY_CODE["CBHT"].fields) == 13


def _declared_types(path, table):
    con = sqlite3.connect(path)
    try:
        return {r[1]: r[2] for r in con.execute('PRAGMA table_info("%s")' % table)}
    finally:
        con.close()


def test_createdatabase_matches_schema_field_by_field(empty_db):
    ds = ogr.Open(empty_db)
    names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
    assert set(LAYERS + TABLES) <= names
    for t in schema.ALL:
        decl = _declared_types(empty_db, t.code)
        for f in t.fields:
            assert f.code in decl, (t.code, f.code)
            assert decl[f.code].upper() == f.gpkg_type, (t.code, f.code, decl[f.code])
        lyr = ds.GetLayerByName(t.code)
        if t.is_layer:
            gtype = ogr.GeometryTypeToName(lyr.GetGeomType()).upper().replace(" ", "")
            assert gtype == t.geometry, (t.code, gtype)
            assert lyr.GetSpatialRef().GetAuthorityCode(None) == "4526"
        else:
            assert lyr.GetGeomType() == ogr.wkbNone
    con = sqlite3.connect(empty_db)
    kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
    con.close()
    assert all(kinds[t] == "attributes" for t in TABLES)
    assert all(kinds[t] == "features" for t in LAYERS)


def test_clean_database_has_no_structure_findings(empty_db):
    with TownshipDB(empty_db) as db:
        assert structure_findings(db) == []


@pytest.mark.parametrize("epsg", [4326, 2383, 4512, 4555, "abc"])
def test_crs_outside_cgcs2000_gk3_is_refused(epsg, tmp_path):
    with pytest.raises(DatabaseError) as exc:
        create_database(str(tmp_path / "x.gpkg"), epsg)
    assert "4513" in str(exc.value)


def test_all_gk3_zones_accepted():
    assert check_epsg("EPSG:4513") == 4513 and check_epsg(4554) == 4554


def test_missing_layer_and_field_are_named(empty_db):
    con = sqlite3.connect(empty_db)
    con.execute("DROP TABLE JZX")
    con.execute("DELETE FROM gpkg_contents WHERE table_name='JZX'")
    con.execute("ALTER TABLE CBF DROP COLUMN GSSHR")
    con.execute("ALTER TABLE DK RENAME COLUMN DKBM TO DKBM_OLD")
    con.execute("ALTER TABLE DK ADD COLUMN DKBM TEXT(14)")
    con.execute("DROP TABLE CBJYQZ_QZBF")  # optional table: no finding
    con.commit()
    con.close()
    with TownshipDB(empty_db) as db:
        result = run_checks(CheckContext(db), ["S01", "S02", "S03"])
    s01 = [(f.key, f.message) for f in result.by_rule("S01")]
    assert [k for k, _ in s01] == ["JZX"]
    assert "JZX" in s01[0][1] and "界址线" in s01[0][1]
    s02 = {f.key: f.message for f in result.by_rule("S02")}
    assert set(s02) == {"CBF.GSSHR", "DK.DKBM"}
    assert "14" in s02["DK.DKBM"] and "19" in s02["DK.DKBM"]
    assert "公示审核人" in s02["CBF.GSSHR"]


def _foreign_database(path, epsg=4545):
    """A database in the spec's layout written by 'another tool': other field order,
    lower-case names, extra fields and tables, TEXT without length, MEDIUMINT."""
    from osgeo import osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    gtypes = {"POINT": ogr.wkbPoint, "MULTILINESTRING": ogr.wkbMultiLineString,
              "MULTIPOLYGON": ogr.wkbMultiPolygon}
    for t in schema.ALL:
        if t.is_layer:
            lyr = ds.CreateLayer(t.code, srs, gtypes[t.geometry])
        else:
            lyr = ds.CreateLayer(t.code, None, ogr.wkbNone, ["ASPATIAL_VARIANT=GPKG_ATTRIBUTES"])
        lyr.CreateField(ogr.FieldDefn("EXTRA_NOTE", ogr.OFTString))
        for f in reversed(t.fields):
            name = f.code.lower() if f.code.startswith("D") else f.code
            if f.kind == schema.CHAR:
                d = ogr.FieldDefn(name, ogr.OFTString)
                if f.length > 10:
                    d.SetWidth(f.length + 10)
            elif f.kind == schema.FLOAT:
                d = ogr.FieldDefn(name, ogr.OFTReal)
            elif f.kind == schema.INT:
                d = ogr.FieldDefn(name, ogr.OFTInteger)   # MEDIUMINT in GDAL's GPKG
            else:
                d = ogr.FieldDefn(name, ogr.OFTDate)
            lyr.CreateField(d)
    ds.CreateLayer("SOME_OTHER_TABLE", None, ogr.wkbNone)
    ds = None


def test_structure_validator_accepts_a_database_made_by_another_tool(tmp_path):
    path = str(tmp_path / "other.gpkg")
    _foreign_database(path)
    with TownshipDB(path) as db:
        assert db.columns("DK")["DKBM"][0] == "dkbm"
        result = run_checks(CheckContext(db), ["S01", "S02", "S03"])
    assert result.findings == []


def test_s03_reports_a_layer_in_another_crs(tmp_path):
    path = str(tmp_path / "mixed.gpkg")
    create_database(path, 4524)
    ds = ogr.Open(path, 1)
    from osgeo import osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4545)
    ds.DeleteLayer("JZD")
    ds.CreateLayer("JZD", srs, ogr.wkbPoint)
    ds = None
    with TownshipDB(path) as db:
        result = run_checks(CheckContext(db), ["S03"])
    assert [(f.layer, f.values["epsg"]) for f in result.findings] == [("JZD", 4545)]
    assert "4524" in result.findings[0].message


def test_not_a_geopackage_gives_a_clear_message(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError) as exc:
        TownshipDB(str(bad))
    assert "bad.gpkg" in str(exc.value)
