"""Whole-column reading of JZD/JZX (core/column_reader.py) and WKB decoding in numpy
(checks/topology/wkb_arrays.py) give what row-by-row reading and shapely give."""
import struct

import numpy as np
import pytest
import shapely


def _db(empty_db):
    from quequan.core.township_db import TownshipDB
    return TownshipDB(empty_db)


def _points_and_lines(db):
    rows = [{"JZDH": "J%d" % i, "DKBM": "4304241052010000001/43042410520100000%02d" % i,
             "XZBZ": 100.0 + i, "YZBZ": 38000000.5 + i} for i in range(5)]
    rows[2]["DKBM"] = None
    rows[3]["JZDH"] = " J3 "
    pts = [shapely.Point(38000000.5 + i, 100.0 + i) for i in range(5)]
    pts[4] = None
    db.insert("JZD", rows, pts)
    lines = [shapely.LineString([(0, 0), (1, 1), (2, 0)]),
             shapely.MultiLineString([[(5, 5), (6, 6)]]),
             shapely.MultiLineString([[(0, 0), (1, 0)], [(3, 0), (4, 0)]]),
             shapely.LineString([(0, 0, 1), (1, 0, 2)]),
             None]
    db.insert("JZX", [{"JZXH": str(i), "DKBM": "A/B", "QJZDH": "J1", "ZJZDH": "J2"}
                      for i in range(5)], lines)
    return rows, pts, lines


def test_columns_and_points_match_row_reading(empty_db):
    from quequan.checks.topology.wkb_arrays import point_xy
    from quequan.core import column_reader
    with _db(empty_db) as db:
        rows, pts, _ = _points_and_lines(db)
        fids, cols, wkbs = column_reader.read(db, "JZD", ("JZDH", "DKBM", "XZBZ", "NOPE"))
        ref_fids, ref_cols, ref_wkbs = db.read_geometry_columns("JZD", ("JZDH", "DKBM"))
    assert fids.tolist() == ref_fids.tolist()
    assert cols["JZDH"] == ["J0", "J1", "J2", " J3 ", "J4"]
    assert cols["DKBM"][2] == "" and cols["DKBM"][0] == ref_cols["DKBM"][0]
    assert [float(v) for v in cols["XZBZ"]] == [100.0 + i for i in range(5)]
    assert cols["NOPE"] == [""] * 5
    xy = point_xy(wkbs)
    assert np.allclose(xy[:4], [[p.x, p.y] for p in pts[:4]])
    assert np.isnan(xy[4]).all()
    assert [wkbs.get(i) for i in range(4)] == ref_wkbs[:4]


def test_lines_decoded_like_shapely(empty_db):
    from quequan.checks.topology.wkb_arrays import LineTable
    from quequan.core import column_reader
    with _db(empty_db) as db:
        _, _, lines = _points_and_lines(db)
        _, _, wkbs = column_reader.read(db, "JZX", ("DKBM",))
    lt = LineTable(wkbs)
    assert lt.missing.tolist() == [False, False, False, False, True]
    ends = lt.ends()
    for i, g in enumerate(lines[:4]):
        c = shapely.get_coordinates(g)
        assert ends[i, 0].tolist() == c[0].tolist() and ends[i, 1].tolist() == c[-1].tolist()
    p0, p1, line = lt.segments()
    got = sorted((int(k), tuple(a), tuple(b)) for k, a, b in zip(line, p0, p1))
    want = sorted((i, tuple(a), tuple(b)) for i, g in enumerate(lines[:4])
                  for part in shapely.get_parts(g)
                  for a, b in zip(shapely.get_coordinates(part)[:-1],
                                  shapely.get_coordinates(part)[1:]))
    assert got == want                      # the two parts of line 2 are not joined
    assert lt.geoms([1])[0].equals(lines[1])


def test_unusual_headers_unsorted_rows_and_separator_in_a_value(empty_db):
    from quequan.core import column_reader
    from quequan.core.gpkg_blob import wkb_of
    with _db(empty_db) as db:
        _points_and_lines(db)
        # a big-endian header without envelope, and rows written out of FID order
        blob = db.conn.execute('SELECT geom FROM "JZD" WHERE fid = 2').fetchone()[0]
        wkb = wkb_of(blob)
        odd = b"GP\x00\x00" + struct.pack(">i", 4526) + wkb
        db.conn.execute('UPDATE "JZD" SET geom = ? WHERE fid = 2', (odd,))
        db.conn.execute('UPDATE "JZD" SET JZDH = ? WHERE fid = 3', ("J\x1f3",))
        fids, cols, wkbs = column_reader.read(db, "JZD", ("JZDH",))
    assert wkbs.get(1) == wkb
    assert cols["JZDH"][2] == "J\x1f3"          # read row by row instead
    assert fids.tolist() == sorted(fids.tolist())


@pytest.mark.parametrize("values, counts, tokens", [
    (["A/B", "", "C", " D / E ", "F，G、H", "I//J"], [2, 0, 1, 2, 3, 2],
     ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]),
    (["A\x1fB", "C"], [1, 1], ["A\x1fB", "C"]),     # the row separator inside a value
])
def test_split_lists_matches_split_codes(values, counts, tokens):
    from quequan.checks.topology.jz_tables import split_codes
    from quequan.core.column_reader import split_lists
    c, t = split_lists(values)
    assert c.tolist() == counts and t == tokens
    assert [x for v in values for x in split_codes(v)] == tokens
