"""DKBM lists parsed as integers (checks/topology/code_ints.py) give what the text path
gives, and anything unusual goes back to the text path."""
import numpy as np
import pytest

A, B, C = "4304241052010000001", "4304241052012300038", "9999999999999999999"


def test_parse_codes_counts_and_values():
    from quequan.checks.topology.code_ints import parse_codes
    rows = [A + "/" + B, "", C, B + "//" + A]
    counts, values = parse_codes("\x1f".join(rows), len(rows))
    assert counts.tolist() == [2, 0, 1, 2]
    assert [int(v) for v in values] == [int(A), int(B), int(C), int(B), int(A)]


@pytest.mark.parametrize("rows", [[A + " /" + B], [A + "," + B], [A[:-1]], [A + "0"],
                                  ["４３０４２４１０５２０１００００００１"], ["fid:3"]])
def test_anything_else_is_left_to_the_text_path(rows):
    from quequan.checks.topology.code_ints import parse_codes
    assert parse_codes("\x1f".join(rows), len(rows)) is None


def test_int_index_names_every_plot_holding_a_code():
    from quequan.checks.topology.code_ints import IntKeyIndex, parse_codes
    from quequan.checks.topology.jz_tables import flat_codes_to_plots, plot_positions, split_codes
    keys = [B, A, "fid:7", B, C]                       # B twice (A06), one key not a code
    rows = [A + "/" + B, C, "", B]
    counts, values = parse_codes("\x1f".join(rows), len(rows))
    got = IntKeyIndex(keys).to_plots(counts, values)
    lists = [split_codes(r) for r in rows]
    want = flat_codes_to_plots(np.array([len(x) for x in lists]), [c for x in lists for c in x],
                               plot_positions(keys))
    assert [a.tolist() for a in got] == [a.tolist() for a in want]
    assert IntKeyIndex(keys).first_of(values).tolist() == [1, 0, 4, 0]


@pytest.mark.parametrize("rules", [["T16"]])
def test_t16_same_findings_on_the_text_path(defect_db, monkeypatch, rules):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.checks.topology import jz_tables
    from quequan.core.township_db import TownshipDB
    path, _ = defect_db

    def view():
        with TownshipDB(path) as db:
            result = run_checks(CheckContext(db), rules)
        return [(f.rule, f.key, f.related, f.message) for f in result.findings]
    numeric = view()
    monkeypatch.setattr(jz_tables, "parse_codes", lambda joined, n: None)
    assert view() == numeric and len(numeric) >= 5


def test_t16_boundary_points_off_by_less_than_the_tolerance(demo_db, tmp_path, monkeypatch):
    """JZD/JZX whose coordinates differ from the plots' vertices within the 0.001 m
    tolerance (another tool's rounding: here 0.67 mm) are still on the plots: no
    finding, and every JZX segment is matched to a plot edge without a GEOS overlay."""
    import shutil
    import shapely
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.checks.topology import boundary_lines
    from quequan.core.gpkg_blob import blob_of, wkb_of
    from quequan.core.township_db import TownshipDB
    path = str(tmp_path / "shifted.gpkg")
    shutil.copy(demo_db, path)
    with TownshipDB(path) as db, db.transaction():
        for layer in ("JZD", "JZX"):
            rows = db.conn.execute('SELECT fid, geom FROM "%s"' % layer).fetchall()
            out = []
            for fid, blob in rows:
                g = shapely.from_wkb(wkb_of(blob))
                g = shapely.transform(g, lambda xy: xy + np.array([0.0006, 0.0003]))
                out.append((blob_of(shapely.to_wkb(g), 4526, g.bounds), fid))
            db.conn.executemany('UPDATE "%s" SET geom = ? WHERE fid = ?' % layer, out)
    measured = []
    real = boundary_lines.safe_binary
    monkeypatch.setattr(boundary_lines, "safe_binary",
                        lambda fn, a, b: measured.append(len(a)) or real(fn, a, b))
    with TownshipDB(path) as db:
        result = run_checks(CheckContext(db), ["T16"])
    assert [(f.key, f.message) for f in result.findings] == []
    assert sum(measured) == 0
