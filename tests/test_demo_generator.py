"""The demo township generator (core/demo) and the JZD/JZX builder (core/boundary_points).

Checks the data against the spec directly (not through the rule engine): determinism,
realism, codes and ID numbers, totals, topology of the clean township, and that every
manifest entry of the defect township really is the defect it claims.
"""
import csv
import datetime as dt
import os
import sqlite3
from collections import Counter, defaultdict
from decimal import Decimal

import numpy as np
import pytest
import shapely

from quequan.checks.catalogue import RULES
from quequan.core.boundary_points import build_boundary
from quequan.core.codes import id_gender, id_problem, m2_to_mu
from quequan.core.demo.generate import generate_township
from quequan.core.township_db import TownshipDB

DATA_TABLES = ("DK", "JZD", "JZX", "ZJQY", "CJQY", "XJQY", "XJXZQ", "QYJX", "XZDW", "MZDW", "KZD",
               "JBNTBHQ", "FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB", "CBJYQZ", "QSLYZLFJ",
               "qq_admin_unit")


def _dump(path):
    con = sqlite3.connect(path)
    try:
        return {t: con.execute('SELECT * FROM "%s" ORDER BY 1' % t).fetchall() for t in DATA_TABLES}
    finally:
        con.close()


def _layer(db, code, fields=()):
    rows, wkbs = db.read_geometries(code, fields)
    geoms = [shapely.from_wkb(w) if w else None for w in wkbs]
    return rows, geoms


@pytest.fixture(scope="module")
def clean(demo_db):
    with TownshipDB(demo_db) as db:
        rows, geoms = _layer(db, "DK", ["DKBM", "DKLB", "SCMJ", "SCMJM", "DKDZ", "DKNZ", "DKXZ", "DKBZ",
                                        "KJZB", "ZJRXM", "BSM", "YSDM"])
        t = {name: db.read(name) for name in ("FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB",
                                              "CBJYQZ", "JZD", "JZX", "qq_admin_unit")}
        jzd, jzd_g = _layer(db, "JZD", ["JZDH", "DKBM", "XZBZ", "YZBZ"])
        jzx, jzx_g = _layer(db, "JZX", ["JZXH", "DKBM", "QJZDH", "ZJZDH"])
        regions = {}
        for c, f in (("ZJQY", "ZJQYDM"), ("CJQY", "CJQYDM"), ("XJQY", "XJQYDM")):
            rrows, rgeoms = _layer(db, c, [f])
            regions[c] = {r[f]: g for r, g in zip(rrows, rgeoms)}
    return {"dk": rows, "geoms": geoms, "t": t, "jzd": (jzd, jzd_g), "jzx": (jzx, jzx_g),
            "regions": regions, "path": demo_db}


def test_same_seed_same_tables_other_seed_differs(tmp_path):
    a, b, c = (str(tmp_path / n) for n in ("a.gpkg", "b.gpkg", "c.gpkg"))
    generate_township(a, plots=300, seed=5)
    generate_township(b, plots=300, seed=5)
    generate_township(c, plots=300, seed=6)
    assert _dump(a) == _dump(b)
    assert _dump(a)["DK"] != _dump(c)["DK"]


def test_plot_count_codes_and_areas(clean):
    dk, geoms = clean["dk"], clean["geoms"]
    assert len(dk) == 600
    assert all(r["YSDM"] == "211011" for r in dk)
    assert sorted(r["BSM"] for r in dk) == list(range(1, 601))
    codes = [r["DKBM"] for r in dk]
    assert len(set(codes)) == 600 and all(len(c) == 19 and c.isdigit() for c in codes)
    assert all(c.startswith("430424105") for c in codes)
    fbf = {r["FBFBM"] for r in clean["t"]["FBF"]}
    assert {c[:14] for c in codes} <= fbf
    areas = np.array([g.area for g in geoms])
    assert ((areas >= 133) & (areas <= 2000)).mean() > 0.95          # mostly 0.2–3 亩
    for r, a in zip(dk, areas):
        assert r["SCMJ"] == float(round(Decimal(repr(a)), 2))
        assert Decimal(repr(r["SCMJM"])) == m2_to_mu(r["SCMJ"])
    lb = Counter(r["DKLB"] for r in dk)
    assert lb["10"] > 0.8 * len(dk) and set(lb) <= {"10", "21", "22", "23", "99"}
    for r in dk:
        if r["DKLB"] == "10":
            assert sum(bool(r[f]) for f in ("DKDZ", "DKNZ", "DKXZ", "DKBZ")) >= 3
            assert r["ZJRXM"]


def test_coordinates_are_hengdong_cgcs2000_zone38(clean):
    minx, miny, maxx, maxy = shapely.total_bounds(clean["geoms"])
    assert 38_370_000 < minx < maxx < 38_420_000
    assert 2_980_000 < miny < maxy < 3_020_000


def test_people_ids_households_and_totals(clean):
    t = clean["t"]
    surveyed = {r["CBFBM"]: dt.date.fromisoformat(r["CBFDCRQ"]) for r in t["CBF"]}
    members = defaultdict(list)
    for m in t["CBF_JTCY"]:
        members[m["CBFBM"]].append(m)
        if m["CYZJLX"] == "1":
            assert id_problem(m["CYZJHM"], surveyed[m["CBFBM"]]) is None
            assert id_gender(m["CYZJHM"]) == m["CYXB"]
    ids = [m["CYZJHM"] for m in t["CBF_JTCY"]]
    assert len(ids) == len(set(ids))
    assert any(i.endswith("X") for i in ids)
    for r in t["FBF"]:
        assert id_problem(r["FZRZJHM"]) is None
    households = [r for r in t["CBF"] if r["CBFLX"] == "1"]
    assert 3.0 < len(t["CBF_JTCY"]) / len(households) < 4.3
    for r in t["CBF"]:
        ms = members[r["CBFBM"]]
        if r["CBFLX"] == "1":
            assert 1 <= int(r["CBFBM"][14:]) <= 8000 and r["CBFCYSL"] == len(ms)
            heads = [m for m in ms if m["YHZGX"] in ("01", "02")]
            assert len(heads) == 1
            assert (heads[0]["CYXM"], heads[0]["CYZJHM"]) == (r["CBFMC"], r["CBFZJHM"])
        else:
            assert r["CBFCYSL"] == 1 and not ms and int(r["CBFBM"][14:]) > 8000
    rows_of = defaultdict(list)
    for r in t["CBDKXX"]:
        rows_of[r["CBHTBM"]].append(r)
    plots = {r["DKBM"]: r for r in clean["dk"]}
    assert {r["DKBM"] for r in clean["dk"] if r["DKLB"] == "10"} <= set(plots) & {
        r["DKBM"] for r in t["CBDKXX"]}
    gs = {r["CBFBM"]: r["GSSHRQ"] for r in t["CBF"]}
    djb = {r["CBJYQZBM"]: r for r in t["CBJYQZDJB"]}
    cert = {r["CBJYQZBM"]: r for r in t["CBJYQZ"]}
    for h in t["CBHT"]:
        rows = rows_of[h["CBHTBM"]]
        assert h["CBHTBM"] == h["CBFBM"] + ("J" if h["CBFS"] == "110" else "Q")
        assert Decimal(repr(h["HTZMJ"])) == sum(Decimal(repr(r["HTMJ"])) for r in rows)
        assert Decimal(repr(h["HTZMJM"])) == m2_to_mu(h["HTZMJ"]) and h["CBDKZS"] == len(rows)
        if h["YCBHTBM"]:
            c = Decimal(repr(h["YHTZMJ"]))
            s = sum(Decimal(repr(plots[r["DKBM"]]["SCMJ"])) for r in rows)
            assert abs(s - c) / c <= Decimal("0.08")
        d, f = djb[h["CBHTBM"]], cert[h["CBHTBM"]]
        assert surveyed[h["CBFBM"]].isoformat() <= gs[h["CBFBM"]] <= h["QDSJ"] <= d["DJSJ"] <= f["FZRQ"]
        assert d["CBQX"] == "2018年01月01日至2047年12月31日"
        assert d["CBJYQZLSH"].startswith("湘（2017）衡东县农村土地承包经营权证第")


def test_clean_topology_no_overlap_no_t_junction_nested_regions(clean):
    geoms = np.array(clean["geoms"], dtype=object)
    assert shapely.is_valid(geoms).all()
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    sel = i < j
    assert shapely.area(shapely.intersection(geoms[i[sel]], geoms[j[sel]])).max() < 1e-6
    # every vertex lying on another plot's boundary is a vertex of that plot too
    pts, owner = shapely.get_coordinates(geoms, return_index=True)
    verts = {}
    for (x, y), o in zip(np.round(pts, 3).tolist(), owner.tolist()):
        verts.setdefault((x, y), set()).add(o)
    bounds = shapely.boundary(geoms)
    p_geoms = shapely.points(np.array(list(verts)))
    pi, gi = tree.query(p_geoms, predicate="dwithin", distance=0.05)
    keys = list(verts)
    for a, b in zip(pi.tolist(), gi.tolist()):
        if b not in verts[keys[a]]:
            assert shapely.distance(p_geoms[a], bounds[b]) > 0.05
    zj, cj = clean["regions"]["ZJQY"], clean["regions"]["CJQY"]
    for r, g in zip(clean["dk"], geoms):
        own = cj[r["DKBM"][:12]] if r["DKBM"][12:14] == "00" else zj[r["DKBM"][:14]]
        assert g.difference(own.buffer(0.001)).area < 1e-4
    for code, g in zj.items():
        assert g.difference(cj[code[:12]].buffer(0.001)).area < 1e-4
    town = next(iter(clean["regions"]["XJQY"].values()))
    for g in cj.values():
        assert g.difference(town.buffer(0.001)).area < 1e-4


def test_boundary_points_consistent(clean):
    jzd, jzd_g = clean["jzd"]
    jzx, jzx_g = clean["jzx"]
    at = {r["JZDH"]: g for r, g in zip(jzd, jzd_g)}
    assert len(at) == len(jzd)
    plots = {r["DKBM"]: g for r, g in zip(clean["dk"], clean["geoms"])}
    for r, g in zip(jzd, jzd_g):
        assert (round(g.y, 3), round(g.x, 3)) == (r["XZBZ"], r["YZBZ"])
        for code in r["DKBM"].split("/"):
            assert plots[code].boundary.distance(g) < 0.001
    for r, g in zip(jzx, jzx_g):
        line = g.geoms[0]
        assert at[r["QJZDH"]].distance(shapely.Point(line.coords[0])) < 1e-6
        assert at[r["ZJZDH"]].distance(shapely.Point(line.coords[-1])) < 1e-6
        for code in r["DKBM"].split("/"):
            assert plots[code].boundary.buffer(0.001).contains(line)
    owners = defaultdict(set)
    for r in jzd:
        for code in r["DKBM"].split("/"):
            owners[code].add(r["JZDH"])
    for r in clean["dk"]:
        names = r["KJZB"].split("/")
        assert len(names) >= 4 and set(names) <= owners[r["DKBM"]]


def test_admin_list_table_and_csv(clean):
    units = clean["t"]["qq_admin_unit"]
    groups = [u for u in units if u["LEVEL"] == "group"]
    assert {u["CODE"] for u in groups} == set(clean["regions"]["ZJQY"])
    assert {u["CODE"] for u in units if u["LEVEL"] == "village"} == set(clean["regions"]["CJQY"])
    with open(os.path.join(os.path.dirname(clean["path"]), "admin_units.csv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) == {"code", "name", "level"} and len(rows) == len(units)


def test_build_boundary_numbering_and_sharing():
    left, right = shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)
    top = shapely.Polygon([(0, 10), (10, 10), (20, 10), (20, 20), (0, 20)])
    road = shapely.box(-5, -5, 0, 25)
    b = build_boundary(["003", "001", "002"], [left, right, top], labels=["C", "A", "B"],
                       features=[(road, "机耕路", "03")], outside_label="山林")
    assert b.kjzb == ["J7/J1/J4/J8", "J1/J2/J3/J4", "J5/J6/J2/J1/J7"]
    assert b.four[0] == ("A", "山林", "机耕路", "B")
    assert [r["DKBM"] for r in b.jzd_rows][0] == "001/002/003"
    shared = [r for r in b.jzx_rows if "/" in r["DKBM"]]
    assert {r["DKBM"] for r in shared} == {"001/002", "001/003", "002/003"}
    assert next(r for r in b.jzx_rows if r["DKBM"] == "001/002")["QJZDH"] == "J1"
    assert len(b.jzx_rows) == 10 and b.next_number == 9


# --- the defect township -----------------------------------------------------------------

@pytest.fixture(scope="module")
def defects(defect_db):
    path, manifest = defect_db
    with TownshipDB(path) as db:
        dk, geoms = _layer(db, "DK", ["DKBM", "DKLB", "SCMJ", "SCMJM", "KJZB"])
        t = {n: db.read(n) for n in ("FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB",
                                     "CBJYQZ", "JZD", "qq_admin_unit")}
        regions = {}
        for c, f in (("ZJQY", "ZJQYDM"), ("CJQY", "CJQYDM"), ("MZDW", "DWMC")):
            rows, gs = _layer(db, c, [f])
            regions[c] = list(zip([r[f] for r in rows], gs))
    by_code = defaultdict(list)
    for r, g in zip(dk, geoms):
        by_code[r["DKBM"]].append((r, g))
    return {"manifest": manifest, "dk": by_code, "t": t, "regions": regions, "path": path}


def test_every_rule_has_two_defects(defects):
    count = Counter(e["rule"] for e in defects["manifest"] if not e.get("lookalike"))
    assert all(count[r] >= 2 for r in RULES), {r: count[r] for r in RULES if count[r] < 2}
    assert any(e.get("lookalike") for e in defects["manifest"])
    companion = [e for e in defects["manifest"] if "file" in e]
    assert {e["rule"] for e in companion} == {"S01", "S02", "S03"}
    assert os.path.exists(os.path.join(os.path.dirname(defects["path"]), companion[0]["file"]))


def _geom(d, code):
    return d["dk"][code][0][1]


def _angles(poly):
    ring = np.asarray(poly.geoms[0].exterior.coords)[:-1]
    a, b, c = np.roll(ring, 1, 0), ring, np.roll(ring, -1, 0)
    u, v = a - b, c - b
    cos = (u * v).sum(1) / np.hypot(*u.T) / np.hypot(*v.T)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def test_geometry_defects_are_what_they_claim(defects):
    d = defects
    hole_checks = {"T05": lambda h: h.area > 1 and h.buffer(-0.25).is_empty,
                   "T06": lambda h: h.area < 50 and not h.buffer(-0.25).is_empty}
    for e in d["manifest"]:
        rule, keys, look = e["rule"], e["keys"], e.get("lookalike", False)
        if rule == "T01":
            assert not _geom(d, keys[0]).is_valid
        elif rule == "T02":
            g = _geom(d, keys[0])
            assert g is None or g.is_empty
        elif rule == "T03":
            assert len(_geom(d, keys[0]).geoms) == 2
        elif rule == "T04":
            a, b = _geom(d, keys[0]), _geom(d, keys[1])
            assert a.intersection(b).area > 0.0001 and not a.equals_exact(b, 0.001)
        elif rule in hole_checks and not look:
            union = shapely.union_all([_geom(d, k) for k in keys])
            holes = [shapely.Polygon(r) for p in union.geoms for r in p.interiors] \
                if union.geom_type == "MultiPolygon" else [shapely.Polygon(r) for r in union.interiors]
            assert any(hole_checks[rule](h) for h in holes), (rule, keys)
        elif rule == "T07":
            assert shapely.hausdorff_distance(_geom(d, keys[0]), _geom(d, keys[1])) <= 0.001
        elif rule == "T08":
            assert (_geom(d, keys[0]).area < 1) != look
        elif rule == "T09":
            assert (_angles(_geom(d, keys[0])).min() < 5) != look
        elif rule == "T10":
            ring = np.asarray(_geom(d, keys[0]).geoms[0].exterior.coords)
            assert np.hypot(*np.diff(ring, axis=0).T).min() < 0.05
        elif rule == "T11":
            pa = shapely.points(shapely.get_coordinates(_geom(d, keys[0])))
            dist = shapely.distance(pa[:, None], shapely.points(shapely.get_coordinates(_geom(d, keys[1]))))
            assert ((dist > 0.001) & (dist <= 0.05)).any()
        elif rule == "T12":
            b = _geom(d, e["related"][0])
            b_pts = shapely.points(shapely.get_coordinates(b))
            corners = [c for k in keys for c in shapely.points(shapely.get_coordinates(_geom(d, k)))
                       if b.boundary.distance(c) < 0.05]
            assert any(shapely.distance(c, b_pts).min() > 0.05 for c in corners)
        elif rule == "T14":
            zj = dict(d["regions"]["ZJQY"])
            assert _geom(d, keys[0]).difference(zj[keys[0][:14]].buffer(0.001)).area > 0.0001


def test_table_defects_are_what_they_claim(defects):
    d, t = defects, defects["t"]
    members = defaultdict(list)
    for m in t["CBF_JTCY"]:
        members[m["CBFBM"]].append(m)
    cbf = {r["CBFBM"]: r for r in t["CBF"]}
    listed = {u["CODE"] for u in t["qq_admin_unit"]}
    fbf = {r["FBFBM"] for r in t["FBF"]}
    for e in d["manifest"]:
        rule, keys, look = e["rule"], e["keys"], e.get("lookalike", False)
        if look:
            continue
        if rule == "A07" and keys[0] in cbf:
            assert any(id_problem(m["CYZJHM"]) not in (None, "LEGACY15") for m in members[keys[0]])
        elif rule == "A16":
            assert any(id_problem(m["CYZJHM"]) == "LEGACY15" for m in members[keys[0]])
        elif rule == "A09":
            assert sum(m["CYZJHM"] == keys[0] for m in t["CBF_JTCY"]) == 2
        elif rule == "A10":
            assert any(m["CYZJLX"] == "1" and id_gender(m["CYZJHM"]) != m["CYXB"] for m in members[keys[0]])
        elif rule == "A12":
            r = cbf[keys[0]]
            assert r["CBFCYSL"] != (len(members[keys[0]]) if r["CBFLX"] == "1" else 1)
        elif rule == "X04":
            h = next(r for r in t["CBHT"] if r["CBHTBM"] == keys[0])
            rows = [r for r in t["CBDKXX"] if r["CBHTBM"] == keys[0]]
            total = sum(Decimal(repr(r["HTMJ"])) for r in rows)
            assert abs(Decimal(repr(h["HTZMJ"])) - total) == Decimal("0.5") or h["CBDKZS"] != len(rows)
        elif rule == "M01":
            r, g = d["dk"][keys[0]][0]
            assert abs(r["SCMJ"] - g.area) > 0.1
        elif rule == "M03":
            rows = [r for r in t["CBDKXX"] if r["CBFBM"] == keys[0]]
            s = sum(d["dk"][r["DKBM"]][0][0]["SCMJ"] for r in rows)
            c = sum(r["YHTMJ"] for r in rows)
            assert abs(s - c) / c > 0.10
        elif rule == "M04":
            zj = dict(d["regions"]["ZJQY"])
            s = sum(r["SCMJ"] for code, items in d["dk"].items() if code[:14] == keys[0] for r, _ in items)
            assert s / zj[keys[0]].area < 0.2
        elif rule == "C01":
            assert keys[0] in listed and keys[0] not in fbf and not any(c[:14] == keys[0] for c in d["dk"])
        elif rule == "C02":
            assert keys[0] not in listed and keys[0] in fbf
        elif rule == "C03":
            assert not [r for r in t["CBJYQZDJB"] if r["CBFBM"].startswith(keys[0])]


def test_defects_are_deterministic_and_cli_runs(tmp_path):
    import subprocess
    import sys
    import quequan
    a, b = str(tmp_path / "a.gpkg"), str(tmp_path / "b.gpkg")
    ma, mb = ([{k: v for k, v in e.items() if k != "file"} for e in
               generate_township(p, plots=800, seed=3, defects=True)["manifest"]] for p in (a, b))
    assert ma == mb and _dump(a) == _dump(b)
    out = str(tmp_path / "cli" / "demo.gpkg")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(quequan.__file__)))
    res = subprocess.run([sys.executable, "-m", "quequan.core.demo", "--output", out, "--plots", "120",
                          "--seed", "2", "--geometry-only"], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    with TownshipDB(out) as db:
        assert db.count("DK") == 120 and db.count("CBF") == 0 and db.count("JZD") == 0
    assert os.path.exists(str(tmp_path / "cli" / "admin_units.csv"))
