"""C01–C03 against a hand-made township and village/group list (checks.md §7 C)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import attr_helpers as h  # noqa: E402

G1, G2, V = h.G1, h.G2, h.VILLAGE
V205 = h.TOWN + "205"
C_RULES = ["C01", "C02", "C03"]


def units():
    out = [{"code": V, "name": "某村", "level": "village", "is_fbf": False},
           {"code": V205, "name": "南村", "level": "village", "is_fbf": False}]
    for g in range(1, 9):
        out.append({"code": "%s%02d" % (V, g), "name": "%d组" % g, "level": "group",
                    "is_fbf": True})
    out += [{"code": V205 + "01", "name": "南一组", "level": "group", "is_fbf": True},
            {"code": V205 + "02", "name": "南二组", "level": "group", "is_fbf": True}]
    return out


def _mutate(data, geoms):
    # group 03: FBF and 420 … here 12 contracted plots, no 承包方 yet (C03, not C01)
    h.add_fbf(data, V + "03", "三组")
    for i in range(1, 13):
        h.add_plot(data, geoms, "%s03%05d" % (V, i), area=100.0)
    # group 04: FBF without plots (C01); group 05: nothing at all (C01)
    h.add_fbf(data, V + "04", "四组")
    # group 06: only 机动地 (no C03); group 07, 08: FBF and plots
    for g in ("06", "07", "08"):
        h.add_fbf(data, V + g, g + "组")
        h.add_plot(data, geoms, "%s%s%05d" % (V, g, 1), area=100.0,
                   DKLB="22" if g == "06" else "10")
    # 37 plots coded group 09 while the list has 01–08 (C02)
    for i in range(1, 38):
        h.add_plot(data, geoms, "%s09%05d" % (V, i), area=100.0, DKLB="22")
    # village-level 发包方 of listed village 204: on the list (no C02)
    h.add_fbf(data, V + "00", "村集体")
    h.add_plot(data, geoms, V + "0000007", area=100.0, DKLB="22")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("c") / "c.gpkg")
    return h.build(path, _mutate)


@pytest.fixture(scope="module")
def result(db_path):
    return h.run(db_path, C_RULES, admin_units=units())


def keys(result, rule):
    return {f.key: f for f in result.by_rule(rule)}


def test_c01_missing_units(result):
    c01 = keys(result, "C01")
    assert V + "05" in c01 and "没有发包方记录（FBF）和地块" in c01[V + "05"].message
    assert V + "04" in c01 and "没有地块" in c01[V + "04"].message
    assert "发包方" not in c01[V + "04"].message.split("没有")[1]
    assert V + "03" not in c01                        # FBF and plots, no contracts yet: C03
    assert V + "01" not in c01 and V + "02" not in c01
    # village 205 without any data: one record for the village, none for its groups
    assert V205 in c01 and "含 2 个组" in c01[V205].message
    assert V205 + "01" not in c01 and V205 + "02" not in c01


def test_c01_region_point(result):
    assert keys(result, "C01")[V + "05"].geom is None       # no ZJQY for group 05
    c03 = keys(result, "C03")
    assert c03  # region geometry exists only for groups 01/02, which are complete


def test_c02_unknown_codes(result):
    c02 = keys(result, "C02")
    assert set(c02) == {V + "09"}
    assert "地块 37 个" in c02[V + "09"].message
    assert c02[V + "09"].values["counts"] == {"DK": 37}


def test_c03_stages(result):
    c03 = keys(result, "C03")
    assert c03[V + "03"].message == "%s 某镇某村三组 有 12 个承包地块，尚无承包方" % (V + "03")
    assert c03[V + "03"].values["stage"] == "CBF"
    assert V + "06" not in c03                        # only 机动地
    assert V + "01" not in c03 and V + "02" not in c03
    assert c03[V + "07"].severity == "W"


def test_without_list_c01_c02_are_skipped(db_path):
    res = h.run(db_path, C_RULES)
    assert not res.by_rule("C01") and not res.by_rule("C02")
    assert "C01" in res.run["rules_skipped"] and "村组名单" in res.run["rules_skipped"]["C02"]
    assert res.by_rule("C03")


def test_list_from_qq_admin_unit(db_path, tmp_path):
    import shutil
    from quequan.core.admin_list import load_admin_units, store_admin_units
    from quequan.core.township_db import TownshipDB
    copy = str(tmp_path / "copy.gpkg")
    shutil.copy(db_path, copy)
    with TownshipDB(copy) as db:
        assert store_admin_units(db, units()) == 12
        assert load_admin_units(db)[0]["code"] == V
    res = h.run(copy, C_RULES)
    assert {f.key for f in res.by_rule("C02")} == {V + "09"}
    assert V + "05" in {f.key for f in res.by_rule("C01")}


def test_clean_township_complete(tmp_path):
    path = h.build(str(tmp_path / "clean.gpkg"))
    listed = [u for u in units() if u["code"] in (V, G1, G2)]
    assert h.run(path, C_RULES, admin_units=listed).findings == []


def test_scope(db_path):
    res = h.run(db_path, C_RULES, admin_units=units(), scope=[V + "03"])
    assert {f.key for f in res.findings} == {V + "03"}
