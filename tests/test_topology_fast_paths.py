"""The fast paths of the topology self-check give exactly what the straightforward
code gives: column-wise plot reads, ring vertices without ring objects, the grid join
of points and boxes, close point pairs, lazy plot attributes."""
import struct

import numpy as np
import pytest
import shapely


def _db_with(path, rows, geoms):
    from quequan.core.township_db import TownshipDB, create_database
    create_database(str(path), 4526, overwrite=True)
    with TownshipDB(str(path)) as db, db.transaction():
        db.insert("DK", rows, geoms)
    return str(path)


def test_geometry_reads_strip_every_header_like_wkb_of(tmp_path):
    from quequan.core.gpkg_blob import blob_of, wkb_of
    from quequan.core.township_db import TownshipDB, create_database
    w = shapely.to_wkb(shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]), flavor="iso")
    blobs = [
        blob_of(w, 4526, (0, 0, 1, 1)),                       # the usual: XY envelope
        b"GP\x00\x01" + struct.pack("<i", 4526) + w,          # no envelope
        b"GP\x00\x05" + b"\0" * 4 + b"\0" * 48 + w,           # XYZ envelope
        b"GP\x00\x09" + b"\0" * 68 + w,                       # XYZM envelope
        b"GP\x00\x13" + b"\0" * 36 + w,                       # empty flag
        b"GP\x01\x03" + b"\0" * 36 + w,                       # another version byte
        b"GP\x00\x03" + b"\0" * 4,                            # header cut short
        b"XP\x00\x03" + b"\0" * 36 + w,                       # not a GeoPackage blob
        None,
    ]
    path = str(tmp_path / "blobs.gpkg")
    create_database(path, 4526)
    with TownshipDB(path) as db:
        # the R-tree triggers cannot read the broken headers: this test only reads back
        for (name,) in db.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='DK'").fetchall():
            db.conn.execute('DROP TRIGGER "%s"' % name)
        db.conn.executemany('INSERT INTO "DK" ("DKBM", geom) VALUES (?, ?)',
                            [("%019d" % i, b) for i, b in enumerate(blobs)])
        rows, wkbs = db.read_geometries("DK", ("DKBM", "SCMJ", "NOPE"))
        fids, cols, wkbs2 = db.read_geometry_columns("DK", ("DKBM", "NOPE"))
        assert db.fid_range("DK") == (1, len(blobs))
        assert db.fid_range("JZD") is None
    expected = [wkb_of(b) for b in blobs]
    assert wkbs == expected and wkbs2 == expected
    assert expected[0] == w and expected[5] == w and expected[4] is None
    assert [list(r) for r in rows[:1]] == [["FID", "DKBM", "SCMJ", "NOPE"]]
    assert rows[3]["DKBM"] == "%019d" % 3 and rows[3]["NOPE"] is None
    assert fids.tolist() == list(range(1, len(blobs) + 1))
    assert cols["DKBM"] == ["%019d" % i for i in range(len(blobs))]
    assert cols["NOPE"] == [None] * len(blobs)


def test_plot_rows_load_on_first_use_and_one_column_alone(tmp_path):
    from quequan.checks.context import CheckContext
    from quequan.checks.plots import load_plots
    from quequan.core.township_db import TownshipDB
    rows = [{"DKBM": "3708321102010000%03d" % i, "SCMJ": 100.0 + i, "KJZB": "J%d/J%d" % (i, i + 1)}
            for i in range(5)]
    path = _db_with(tmp_path / "rows.gpkg", rows,
                    [shapely.MultiPolygon([shapely.box(i, 0, i + 1, 1)]) for i in range(5)])
    with TownshipDB(path) as db:
        ctx = CheckContext(db, scope=["3708321102010000000", "3708321102010000003"])
        ps = load_plots(ctx)
        assert ps.keys == ["3708321102010000000", "3708321102010000003"]
        assert callable(ps._rows)                      # nothing read beyond FID, DKBM, shape
        assert ps.column("KJZB") == ["J0/J1", "J3/J4"]
        assert ps.column("NOT_A_FIELD") == [None, None]
        assert callable(ps._rows)
        assert [r["SCMJ"] for r in ps.rows] == [100.0, 103.0]
        assert set(ps.rows[0]) >= {"FID", "DKBM", "SCMJ", "KJZB", "DKMC"}
        assert ps.column("KJZB") == ["J0/J1", "J3/J4"]


def _ring_vertices_geos(geoms):
    """The straightforward reading (parts, rings, GEOS orientation) to compare with."""
    from quequan.checks.topology.vertex_index import RingVertices
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    nint = shapely.get_num_interior_rings(parts)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    first = np.cumsum(nint + 1) - (nint + 1)
    is_hole = np.ones(len(rings), dtype=bool)
    is_hole[first] = False
    ccw = shapely.is_ccw(rings)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    counts = shapely.get_num_coordinates(rings)
    keep = np.ones(len(coords), dtype=bool)
    keep[(np.cumsum(counts) - 1)[counts > 0]] = False
    count = np.maximum(counts - 1, 0)
    return RingVertices(coords[keep], part_of[ring_part[ring_of[keep]]], ring_of[keep],
                        np.cumsum(count) - count, count, np.where(is_hole, ~ccw, ccw))


@pytest.mark.parametrize("geoms", [
    [shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6, ccw=False)],
    [shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]),
     shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(1, 1), (2, 1), (2, 2), (1, 2)]]),
     shapely.MultiPolygon([shapely.box(20, 0, 21, 1), shapely.box(22, 0, 23, 1)])],
    [shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(0, 0), (1, 2), (2, 1)]])],  # hole at start
    [shapely.Polygon([(4e7, 4e6), (4e7 + 1e-7, 4e6), (4e7 + 1e-7, 4e6 + 1e-7)])],      # too flat
    [],
])
def test_ring_vertices_fast_path_equals_geos(geoms):
    from quequan.checks.topology.vertex_index import ring_vertices
    a = ring_vertices(np.array(geoms, dtype=object))
    b = _ring_vertices_geos(np.array(geoms, dtype=object))
    for f in ("xy", "plot", "ring", "start", "count", "interior_left"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_ring_vertices_on_random_plots_equal_geos():
    from quequan.checks.topology.vertex_index import ring_vertices
    rng = np.random.default_rng(7)
    pts = rng.random((400, 2)) * 1000 + (38500000, 4000000)
    geoms = shapely.buffer(shapely.points(pts), rng.random(400) * 8 + 1, quad_segs=2)
    geoms = np.array([g if i % 3 else shapely.MultiPolygon([g]) for i, g in enumerate(geoms)],
                     dtype=object)
    geoms[::7] = shapely.difference(geoms[::7], shapely.buffer(shapely.points(pts[::7]), 0.5))
    a, b = ring_vertices(geoms), _ring_vertices_geos(geoms)
    for f in ("xy", "plot", "ring", "start", "count", "interior_left"):
        assert np.array_equal(getattr(a, f), getattr(b, f)), f


def test_points_in_boxes_is_the_brute_force_join():
    from quequan.checks.topology.vertex_index import points_in_boxes
    rng = np.random.default_rng(3)
    pts = rng.random((700, 2)) * 100
    lo = rng.random((150, 2)) * 100
    hi = lo + rng.random((150, 2)) * rng.choice([0.0, 3.0, 40.0], (150, 1))
    pts[:5] = lo[:5]                                  # on a corner: boxes are closed
    i, j = points_in_boxes(pts, lo, hi, chunk=97)
    inside = ((pts[:, None, :] >= lo[None]) & (pts[:, None, :] <= hi[None])).all(axis=2)
    bi, bj = np.nonzero(inside)
    assert sorted(zip(i.tolist(), j.tolist())) == sorted(zip(bi.tolist(), bj.tolist()))
    e = points_in_boxes(np.zeros((0, 2)), lo, hi)
    assert len(e[0]) == 0 and len(points_in_boxes(pts, lo[:0], hi[:0])[1]) == 0


def test_close_pairs_within_one_set_are_each_met_once():
    from quequan.checks.topology.vertex_index import near_pairs
    rng = np.random.default_rng(11)
    pts = rng.random((3000, 2)) * 4
    pts = np.vstack([pts, pts[:600] + rng.normal(0, 0.02, (600, 2)), pts[:10]])
    i, j, d = near_pairs(pts, 0.05)
    dist = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    bi, bj = np.nonzero(np.triu(dist <= 0.05, 1))
    assert np.all(i < j)
    assert sorted(zip(i.tolist(), j.tolist())) == sorted(zip(bi.tolist(), bj.tolist()))
    assert np.allclose(d, dist[i, j])


def test_dkbm_test_matches_the_pattern():
    import re
    from quequan.checks.topology.common import is_dkbm
    pattern = re.compile(r"^\d{19}$")
    for k in ("", None, "1" * 19, "1" * 18, "1" * 20, "1" * 19 + "\n", "1" * 19 + "\n\n",
              "１" * 19, "²" * 19, "1" * 18 + "a", " " + "1" * 18):
        assert is_dkbm(k) == bool(pattern.match(k or "")), repr(k)
