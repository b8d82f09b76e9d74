"""The hand-made townships of the import tests (tests/import_helpers.py) are what they claim."""
import import_helpers as F


def test_builder_fills_every_layer_and_table(tmp_path):
    from quequan.core import schema
    from quequan.core.township_db import TownshipDB
    path = F.build_township(str(tmp_path / "t.gpkg"))
    with TownshipDB(path, readonly=True) as db:
        for t in schema.ALL:
            if t.code not in ("CBJYQZ_QZHF", "CBJYQZ_QZZX"):
                assert db.count(t.code) > 0, t.code
        assert db.count("DK") == 2 * 2 * 3
        assert db.epsg("DK") == 4526


def test_id_numbers_are_valid():
    from quequan.core.codes import id_problem
    assert id_problem(F.id_number("430424", "19600101", 11)) is None
