"""The engine never aborts: other tools' column names, and a rule family that fails."""
from osgeo import gdal

from quequan.checks import registry
from quequan.checks.context import CheckContext
from quequan.checks.engine import run_checks
from quequan.core.township_db import TownshipDB


def test_database_with_objectid_and_shape_columns_is_checked_like_ours(demo_db, tmp_path):
    foreign = str(tmp_path / "foreign.gpkg")
    gdal.VectorTranslate(foreign, demo_db, format="GPKG",
                         layerCreationOptions=["FID=OBJECTID", "GEOMETRY_NAME=SHAPE"])
    with TownshipDB(foreign) as db:
        assert db.columns("DK")["FID"][0] == "OBJECTID"
        assert db.read("CBF", ["FID", "CBFBM"])[0]["FID"] is not None
        theirs = run_checks(CheckContext(db))
    with TownshipDB(demo_db) as db:
        ours = run_checks(CheckContext(db))
    assert theirs.run["rules_skipped"] == {}
    assert [(f.rule, f.key) for f in theirs.findings] == [(f.rule, f.key) for f in ours.findings]


def test_a_failing_rule_family_is_reported_and_the_others_still_run(empty_db, monkeypatch):
    class Broken:
        ids = ("T08",)

        def run(self, ctx, wanted):
            raise RuntimeError("boom")

    fams = registry.families()
    monkeypatch.setattr(registry, "families", lambda: [Broken if "T08" in f.ids else f
                                                       for f in fams])
    logged = []
    with TownshipDB(empty_db) as db:
        ctx = CheckContext(db)
        ctx.feedback._log = logged.append
        result = run_checks(ctx, ["S01", "T08"])
    assert "T08" in result.run["rules_skipped"]
    assert "boom" in result.run["rules_skipped"]["T08"]
    assert "S01" not in result.run["rules_skipped"]
    assert any("boom" in line for line in logged)


def test_every_rule_runs_cleanly_on_an_empty_database(empty_db):
    with TownshipDB(empty_db) as db:
        result = run_checks(CheckContext(db))
    assert result.findings == []
    assert not [r for r, why in result.run["rules_skipped"].items() if "出错" in why]
