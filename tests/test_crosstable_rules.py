"""X01–X05 on a hand-made township: must-catch and must-not-flag cases of checks.md §7 X."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import attr_helpers as h  # noqa: E402

G1, G2, V = h.G1, h.G2, h.VILLAGE
G3, G4, G5 = V + "03", V + "04", V + "05"
X_RULES = ["X01", "X02", "X03", "X04", "X05"]


def _mutate(data, geoms):
    f = h.find
    # X01: CBDKXX.DKBM not in DK; a CBDKXX row under a 发包方 without FBF row;
    # members of a household missing from CBF; a malformed CBHTBM (A04, not X01)
    data["CBDKXX"].append({"DKBM": G1 + "00099", "FBFBM": G1, "CBFBM": G1 + "0001",
                           "CBJYQQDFS": "110", "HTMJ": 100.0, "CBHTBM": G1 + "0001J",
                           "CBJYQZBM": G1 + "0001J", "SFQQQG": "2"})
    data["CBDKXX"].append({"DKBM": G4 + "00001", "FBFBM": G4, "CBFBM": G4 + "0001",
                           "CBJYQQDFS": "110", "HTMJ": 100.0, "CBHTBM": G4 + "0001J",
                           "CBJYQZBM": G4 + "0001J", "SFQQQG": "2"})
    for name in ("黄一", "黄二"):
        data["CBF_JTCY"].append({"CBFBM": G2 + "0077", "CYXM": name, "CYXB": "1", "CYZJLX": "1",
                                 "CYZJHM": h.id18("19800101", "771"), "YHZGX": "20"})
    h.add_plot(data, geoms, G2 + "00009")
    data["CBDKXX"].append({"DKBM": G2 + "00009", "FBFBM": G2, "CBFBM": G2 + "0001",
                           "CBJYQQDFS": "110", "HTMJ": 500.0, "CBHTBM": "ABC",
                           "CBJYQZBM": G2 + "0001J", "SFQQQG": "2"})
    # stage: group 03 has contracts but no register yet -> CBJYQZBM references stay silent
    h.add_fbf(data, G3, "三组")
    h.add_contracted(data, geoms, G3, 1, "杨一", [700.0], 1, register=False, certificate=False)
    # X02: 承包地块 without CBDKXX; not: 机动地; group 05 where nothing is assigned yet
    h.add_plot(data, geoms, G1 + "00050")
    h.add_plot(data, geoms, G1 + "00051", DKLB="22")
    h.add_fbf(data, G5, "五组")
    h.add_plot(data, geoms, G5 + "00001")
    h.add_household(data, G5, 1, "何一", [("何一", "1", "1", h.id18("19700101", "901"), "02")])
    # X03: a household whose plots were all reassigned; not: only a share-based plot
    h.add_household(data, G1, 3, "许一", [("许一", "1", "1", h.id18("19700101", "031"), "02")])
    h.add_contracted(data, geoms, G1, 4, "许二", [300.0], 60, sfqqqg="1")
    # X04: 3335.00 vs 3334.50; CBDKZS 5 with 4 rows; not: 0.004 m²
    h.add_contracted(data, geoms, G1, 5, "林一", [1000.0, 1000.0, 1334.5], 70, htzmj=3335.0)
    h.add_contracted(data, geoms, G1, 6, "林二", [100.0, 100.0, 100.0, 100.0], 80, cbdkzs=5)
    f(data, "CBHT", CBHTBM=G2 + "0002J")["HTZMJ"] = 1000.004
    # X05: (a) CBJYQQDFS 110 vs CBFS 123; (b) CBQXQ differs; (c) certificate without register;
    # not: a register without certificate
    f(data, "CBHT", CBHTBM=G2 + "0001J")["CBFS"] = "123"
    f(data, "CBJYQZDJB", CBJYQZBM=G2 + "0002J")["CBQXQ"] = "1999-01-01"
    h.add_contracted(data, geoms, G1, 7, "林三", [200.0], 90, register=False)
    data["CBJYQZ"] = [r for r in data["CBJYQZ"] if r["CBJYQZBM"] != G1 + "0002J"]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("x") / "x.gpkg")
    h.build(path, _mutate)
    return h.run(path, X_RULES + ["A04"])


def hits(result, rule, key=None, related=None, part=None):
    return [f for f in result.by_rule(rule)
            if (key is None or f.key == key) and (related is None or related in f.related)
            and (part is None or f.values.get("_fp") == part)]


def test_clean_township_has_no_crosstable_findings(tmp_path):
    path = h.build(str(tmp_path / "clean.gpkg"))
    assert h.run(path, X_RULES).findings == []


def test_x01_unresolved_references(result):
    f = hits(result, "X01", G1 + "00099", related=G1 + "00099")
    assert f and "地块图层中不存在" in f[0].message and f[0].geom is None   # no such plot
    fbf = hits(result, "X01", G4 + "00001", related=G4)
    assert fbf and "发包方表" in fbf[0].message
    # the other references of that row point into a unit without DK/CBF/CBHT rows: silent
    assert len(hits(result, "X01", G4 + "00001")) == 1
    mem = hits(result, "X01", G2 + "0077")
    assert len(mem) == 1 and "黄一、黄二" in mem[0].message
    assert not hits(result, "X01", related="ABC")           # malformed: A04 only
    assert hits(result, "A04", G2 + "00009")


def test_x01_stage_awareness(result):
    assert not [f for f in result.by_rule("X01") if f.key.startswith(G3)]
    assert not hits(result, "X01", related=G1 + "0007J")    # certificate without register: X05


def test_x02_plots_without_contractor(result):
    f = hits(result, "X02", G1 + "00050")
    assert f and f[0].geom is not None and f[0].unit_code == G1
    assert not hits(result, "X02", G1 + "00051")            # 机动地
    assert not hits(result, "X02", G5 + "00001")            # group not assigned yet (C03)


def test_x03_households_without_plots(result):
    f = hits(result, "X03", G1 + "0003")
    assert f and f[0].severity == "W" and "许一" in f[0].message
    assert not hits(result, "X03", G1 + "0004")             # share-based plot only
    assert not hits(result, "X03", G5 + "0001")             # CBDKXX not built for group 05


def test_x04_contract_totals(result):
    f = hits(result, "X04", G1 + "0005J")
    assert f and f[0].message == ("合同 %s 总面积 3335.00 平方米，地块面积合计 3334.50 平方米，"
                                  "相差 0.50（容差 0.01）" % (G1 + "0005J"))
    n = hits(result, "X04", G1 + "0006J")
    assert n and "CBDKZS 为 5，实际 4 个地块" in n[0].message
    assert not hits(result, "X04", G2 + "0002J")            # 0.004 m²


def test_x05_consistency(result):
    a = hits(result, "X05", G2 + "00001", part="a")
    assert a and "123" in a[0].message and a[0].geom is not None
    b = hits(result, "X05", G2 + "0002J", part="b")
    assert b and "1999-01-01" in b[0].message
    c = hits(result, "X05", G1 + "0007J", part="c")
    assert c and c[0].layer == "CBJYQZ"
    assert not hits(result, "X05", G1 + "0002J")            # register without certificate


def test_scope(tmp_path):
    path = h.build(str(tmp_path / "s.gpkg"), _mutate)
    scoped = h.run(path, X_RULES, scope=[G2])
    assert scoped.findings and all(f.unit_code.startswith(G2) for f in scoped.findings)
