"""A01–A17 on a hand-made township: each must-catch and must-not-flag case of checks.md §7 A.

One database holds every case (each on its own plot or household), so one run
serves all tests; assertions name the exact object.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import attr_helpers as h  # noqa: E402

G1, G2, V = h.G1, h.G2, h.VILLAGE
A_RULES = ["A%02d" % i for i in range(1, 18)]
VALID_X = "11010519491231002X"          # published sample, female, check character X
BAD_CHECK = "370832196503121231"        # check digit should be 0
LEGACY = "370832650312123"              # 15 digits, valid once converted
LEGACY_BAD = "370832651332123"          # 15 digits, month 13


def _mutate(data, geoms):
    from shapely.geometry import Point
    f = h.find
    # A01: DKMC empty, GSSHR empty, ZJRXM empty on a 承包地块; not: TDLYLX empty, 自留地 ZJRXM
    f(data, "DK", DKBM=G1 + "00001")["DKMC"] = ""
    f(data, "CBF", CBFBM=G1 + "0002")["GSSHR"] = None
    f(data, "DK", DKBM=G1 + "00003")["ZJRXM"] = "  "
    f(data, "DK", DKBM=G1 + "00002")["TDLYLX"] = None
    h.add_plot(data, geoms, G2 + "00010", DKLB="21", ZJRXM=None, DKDZ=None, DKXZ=None,
               DKNZ=None, DKBZ=None)
    # A02: DLDJ "1", DKLB "11", YSDM of a DK on a JZD; not: YHZGX 01, TDLYLX 013
    h.add_plot(data, geoms, G2 + "00011", DLDJ="1")
    h.add_plot(data, geoms, G2 + "00012", DKLB="11")
    data["JZD"] = [{"BSM": 5, "YSDM": "211011", "JZDH": "J1", "JZDLX": "1",
                    "DKBM": G2 + "00011", "XZBZ": 4002000.0, "YZBZ": 39503000.0}]
    geoms["JZD"] = [Point(39503000.0, 4002000.0)]
    f(data, "CBF_JTCY", CYXM="孙五")["YHZGX"] = "01"
    # A03: DKMC 60 characters, KJZB 300 characters; not: 25-character Chinese DKMC
    h.add_plot(data, geoms, G2 + "00013", DKMC="地" * 60)
    h.add_plot(data, geoms, G2 + "00014", KJZB="J1/" * 100)
    h.add_plot(data, geoms, G2 + "00015", DKMC="田" * 25)
    # A04: 18-digit DKBM, CBFBM with letter O, J contract with CBFS 123
    h.add_plot(data, geoms, G2 + "0016")
    h.add_household(data, G2, 9002, "某合作社", [], cbflx="3", cysl=1, cbfzjlx="3",
                    cbfzjhm="91370800MA3C00001X")
    data["CBF"][-1]["CBFBM"] = G2 + "9O03"
    f(data, "CBHT", CBHTBM=G2 + "0001J")["CBFS"] = "123"
    # A05: CBDKXX row of group 02 under FBFBM of group 01; 农户 8005; not: 个人 8001,
    # 单位 9001, village-level 发包方 with its plot
    data["CBDKXX"].append({"DKBM": G2 + "00011", "FBFBM": G1, "CBFBM": G1 + "0001",
                           "CBJYQQDFS": "110", "HTMJ": 500.0, "CBHTBM": G1 + "0001J",
                           "CBJYQZBM": G1 + "0001J", "SFQQQG": "2"})
    h.add_household(data, G1, 8005, "钱七", [("钱七", "1", "1", h.id18("19660101", "801"), "02")])
    h.add_household(data, G1, 8001, "周八", [], cbflx="2", cysl=1,
                    cbfzjhm=h.id18("19700101", "811"))
    h.add_household(data, G1, 9001, "某农场", [], cbflx="3", cysl=1, cbfzjlx="3",
                    cbfzjhm="91370800MA3C00002X")
    data["CBDKXX"].append({"DKBM": V + "0000007", "FBFBM": V + "00", "CBFBM": V + "000001",
                           "CBJYQQDFS": "110", "HTMJ": 500.0, "CBHTBM": V + "000001J",
                           "CBJYQZBM": V + "000001J", "SFQQQG": "2"})
    # A06: DKBM twice in DK; not: BSM 5 in DK and in JZD, share-based CBDKXX rows
    h.add_plot(data, geoms, G1 + "00020")
    h.add_plot(data, geoms, G1 + "00020")
    h.add_plot(data, geoms, G1 + "00021", BSM=5)
    for _ in range(2):
        data["CBDKXX"].append({"DKBM": G1 + "00021", "FBFBM": G1, "CBFBM": G1 + "0002",
                               "CBJYQQDFS": "110", "HTMJ": 250.0, "CBHTBM": G1 + "0002J",
                               "CBJYQZBM": G1 + "0002J", "SFQQQG": "1"})
    # A07 / A08 / A10 / A16 on members of household G1 0010
    h.add_household(data, G1, 10, "吴九", [
        ("吴九", "1", "1", h.id18("19550505", "101"), "02"),
        ("吴甲", "1", "1", BAD_CHECK, "20"),          # A07 check digit
        ("吴乙", "2", "1", LEGACY_BAD, "30"),         # A07 15-digit birth date
        ("吴丙", "2", "1", VALID_X, "30"),            # valid X: nothing
        ("吴丁", "1", "4", "370832000123", "20"),     # 户口簿: no A07/A08/A10
        ("吴戊", "1", "1", LEGACY, "20"),             # A16 only
        ("吴己", "2", "1", "", "30"),                 # A08 empty
        ("吴庚", "2", "1", "000000000000000000", "30"),  # A08 zeros
        ("吴辛", "1", "1", h.id18("19850606", "102"), "20"),  # A10: male, even digit
    ])
    # A09: a married-out daughter in two households (G1 0001 and G2 0001)
    daughter = h.id18("19920202", "222")
    data["CBF_JTCY"].append({"CBFBM": G1 + "0001", "CYXM": "王小红", "CYXB": "2", "CYZJLX": "1",
                             "CYZJHM": daughter, "YHZGX": "30"})
    data["CBF_JTCY"].append({"CBFBM": G2 + "0001", "CYXM": "王小红", "CYXB": "2", "CYZJLX": "1",
                             "CYZJHM": daughter, "YHZGX": "38"})
    f(data, "CBF", CBFBM=G1 + "0001")["CBFCYSL"] = 4
    f(data, "CBF", CBFBM=G2 + "0001")["CBFCYSL"] = 3
    # A11: no head; two heads; CBFMC 王大 while the head row says 王大明
    h.add_household(data, G2, 11, "郑一", [("郑一", "1", "1", h.id18("19600101", "111"), "20")])
    h.add_household(data, G2, 12, "冯二", [("冯二", "1", "1", h.id18("19600101", "121"), "02"),
                                         ("冯三", "1", "1", h.id18("19620101", "131"), "02")])
    h.add_household(data, G2, 13, "王大", [("王大明", "1", "1", h.id18("19600101", "141"), "02")])
    # A12: CBFCYSL 5 with 4 member rows
    h.add_household(data, G2, 14, "陈一", [
        ("陈一", "1", "1", h.id18("19600101", "151"), "02"),
        ("陈二", "2", "1", h.id18("19620101", "152"), "10"),
        ("陈三", "1", "1", h.id18("19850101", "153"), "20"),
        ("陈四", "2", "1", h.id18("19870101", "154"), "30")], cysl=5)
    # A13: only 东至 and 西至; three filled; one of three is "/"
    h.add_plot(data, geoms, G2 + "00030", DKNZ=None, DKBZ="")
    h.add_plot(data, geoms, G2 + "00031", DKBZ=None)
    h.add_plot(data, geoms, G2 + "00032", DKBZ=None, DKNZ="/")
    # A14: QDSJ before GSSHRQ; CBQXQ/CBQXZ swapped; not: DJSJ = FZRQ, CBQXZ 9999-01-01
    f(data, "CBHT", CBHTBM=G1 + "0002J")["QDSJ"] = "2015-05-01"
    ht = f(data, "CBHT", CBHTBM=G2 + "0002J")
    ht["CBQXQ"], ht["CBQXZ"] = "2027-12-31", "1998-01-01"
    f(data, "CBJYQZDJB", CBJYQZBM=G2 + "0002J")["CBQXZ"] = "9999-01-01"
    f(data, "CBJYQZ", CBJYQZBM=G1 + "0001J")["FZRQ"] = "2016-09-01"
    # A15: trailing space, inner space; not: middle dot, address spaces
    h.add_household(data, G2, 20, "张三 ", [("张三 ", "1", "1", h.id18("19700101", "201"), "02"),
                                          ("张 三", "1", "1", h.id18("19950101", "203"), "20"),
                                          ("阿卜杜·热合曼", "1", "1", h.id18("19960101", "205"), "20")],
                    CBFDZ="某村 3 号")
    # A17: SCMJ 0 and -12.5, CBDKZS 0; not: SCMJ 0.5
    h.add_plot(data, geoms, G2 + "00040", area=1.0, SCMJ=0.0)
    h.add_plot(data, geoms, G2 + "00041", area=1.0, SCMJ=-12.5)
    h.add_plot(data, geoms, G2 + "00042", area=1.0, SCMJ=0.5)
    f(data, "CBHT", CBHTBM=G2 + "0001J")["CBDKZS"] = 0
    # QZSFLQ 1 without receiver data: A01 on the receiver fields, A08 on the number
    f(data, "CBJYQZ", CBJYQZBM=G2 + "0002J")["QZSFLQ"] = "1"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("attr") / "a.gpkg")
    h.build(path, _mutate)
    return h.run(path, A_RULES)


def hits(result, rule, key=None, field=None, related=None):
    out = []
    for f in result.by_rule(rule):
        if key is not None and f.key != key:
            continue
        if field is not None and f.values.get("field") != field:
            continue
        if related is not None and related not in f.related:
            continue
        out.append(f)
    return out


def test_clean_township_has_no_attribute_findings(tmp_path):
    path = h.build(str(tmp_path / "clean.gpkg"))
    assert h.run(path, A_RULES).findings == []


def test_a01_mandatory_and_conditional(result):
    assert hits(result, "A01", G1 + "00001", "DKMC")
    m = hits(result, "A01", G1 + "0002", "GSSHR")
    assert m and "GSSHR（公示审核人）" in m[0].message and m[0].unit_code == G1
    assert hits(result, "A01", G1 + "00003", "ZJRXM")
    assert not hits(result, "A01", G1 + "00002", "TDLYLX")
    assert not hits(result, "A01", G2 + "00010")            # 自留地 without ZJRXM, 四至
    assert not hits(result, "A01", field="CYZJHM")           # empty ID numbers are A08
    assert not [f for f in result.by_rule("A01") if f.values["field"] in ("DKDZ", "DKNZ")]
    assert hits(result, "A01", G2 + "0002J", "QZLQRQ")       # QZSFLQ 1
    assert not hits(result, "A01", G2 + "0002J", "QZLQRZJHM")


def test_a01_geometry_is_the_plot_point(result):
    f = hits(result, "A01", G1 + "00001", "DKMC")[0]
    assert f.geom is not None and f.geom.geom_type == "Point"


def test_a02_code_lists(result):
    assert hits(result, "A02", G2 + "00011", "DLDJ")
    assert hits(result, "A02", G2 + "00012", "DKLB")
    jzd = hits(result, "A02", "J1", "YSDM")
    assert jzd and "211021" in jzd[0].message
    assert not hits(result, "A02", field="YHZGX")
    assert not hits(result, "A02", field="TDLYLX")
    assert not hits(result, "A02", field="CBFS")


def test_a03_lengths(result):
    f = hits(result, "A03", G2 + "00013", "DKMC")
    assert f and "长度 60 个字符，超过标准长度 50" in f[0].message
    assert hits(result, "A03", G2 + "00014", "KJZB")
    assert not hits(result, "A03", G2 + "00015")


def test_a04_formats(result):
    assert hits(result, "A04", G2 + "0016", "DKBM")
    assert hits(result, "A04", field="CBFBM") and any(
        "9O03" in f.key for f in hits(result, "A04", field="CBFBM"))
    j = hits(result, "A04", G2 + "0001J", "CBHTBM")
    assert j and "123" in j[0].message and j[0].layer == "CBHT"
    assert not hits(result, "A04", G1 + "0001J")             # J with CBFS 110
    assert not hits(result, "A04", G1 + "00001")


def test_a05_hierarchy(result):
    f = hits(result, "A05", G2 + "00011")
    assert f and f[0].related == (G1,) and f[0].layer == "CBDKXX"
    seq = hits(result, "A05", G1 + "8005")
    assert seq and "8005" in seq[0].message and "0001–8000" in seq[0].message
    assert not hits(result, "A05", G1 + "8001")
    assert not hits(result, "A05", G1 + "9001")
    assert not hits(result, "A05", V + "0000007")
    assert not [f for f in result.by_rule("A05") if "9O03" in f.key]   # A04 value skipped


def test_a06_duplicates(result):
    f = hits(result, "A06", G1 + "00020")
    assert len(f) == 1 and f[0].layer == "DK" and len(f[0].related) == 2
    assert not [x for x in result.by_rule("A06") if x.values.get("field") == "BSM"]
    assert not hits(result, "A06", G1 + "00021")             # SFQQQG 1 rows, DK once


def test_a07_id_numbers(result):
    f = hits(result, "A07", G1 + "0010", related="吴甲")
    assert f and f[0].message == "承包方 %s 成员 吴甲 身份证号 %s 校验位错误，应为 0" % (
        G1 + "0010", BAD_CHECK)
    assert hits(result, "A07", G1 + "0010", related="吴乙")
    for name in ("吴丙", "吴丁", "吴戊", "吴己", "吴庚"):
        assert not hits(result, "A07", G1 + "0010", related=name), name


def test_a08_empty_ids(result):
    assert hits(result, "A08", G1 + "0010", related="吴己")
    z = hits(result, "A08", G1 + "0010", related="吴庚")
    assert z and "视为空" in z[0].message
    assert not hits(result, "A08", G1 + "0010", related="吴丁")   # 户口簿 number filled
    assert hits(result, "A08", G2 + "0002J")                       # QZSFLQ 1, no number


def test_a09_duplicate_ids(result):
    daughter = h.id18("19920202", "222")
    f = hits(result, "A09", daughter)
    assert len(f) == 1
    assert set(f[0].related) == {G1 + "0001 王小红", G2 + "0001 王小红"}
    assert sorted(f[0].values["units"]) == [G1, G2]
    # the head's number in CBFZJHM and in his member row is one occurrence
    head = h.find(result_data(), "CBF", CBFBM=G1 + "0002")["CBFZJHM"]
    assert not hits(result, "A09", head)


def result_data():
    data, _ = h.township()
    return data


def test_a10_gender(result):
    f = hits(result, "A10", G1 + "0010", related="吴辛")
    assert f and "第 17 位" in f[0].message
    assert not hits(result, "A10", G1 + "0010", related="吴丙")   # X is the check character
    assert not hits(result, "A10", G1 + "0010", related="吴丁")   # 户口簿
    assert not hits(result, "A10", G1 + "0010", related="吴乙")   # malformed number: A07 only


def test_a11_heads(result):
    assert "有 0 人" in hits(result, "A11", G2 + "0011")[0].message
    two = hits(result, "A11", G2 + "0012")
    assert two and "有 2 人" in two[0].message and set(two[0].related) == {"冯二", "冯三"}
    name = hits(result, "A11", G2 + "0013")
    assert name and "王大明" in name[0].message and "王大" in name[0].message
    assert not hits(result, "A11", G2 + "0002")               # head coded 01
    assert not hits(result, "A11", G1 + "8001")               # 个人 without members


def test_a12_member_count(result):
    f = hits(result, "A12", G2 + "0014")
    assert f and "CBFCYSL 为 5" in f[0].message and "4 人" in f[0].message
    assert not hits(result, "A12", G1 + "9001")               # 单位, CBFCYSL 1
    assert not hits(result, "A12", G1 + "0001")               # 4 after adding the daughter


def test_a13_sizhi(result):
    f = hits(result, "A13", G2 + "00030")
    assert f and f[0].message == "地块 %s 四至仅填写 2 个方向（东、西）" % (G2 + "00030")
    assert not hits(result, "A13", G2 + "00031")              # 北至 empty, three filled
    assert hits(result, "A13", G2 + "00032")                  # "/" counts as empty
    assert not hits(result, "A13", G2 + "00010")              # 自留地
    assert not hits(result, "A01", G2 + "00030")              # precedence: A13 only


def test_a14_dates(result):
    f = hits(result, "A14", G1 + "0002J")
    assert f and "QDSJ 2015-05-01" in f[0].message and "GSSHRQ 2015-06-10" in f[0].message
    swapped = [x for x in hits(result, "A14", G2 + "0002J") if x.layer == "CBHT"]
    assert swapped and "CBQXQ" in swapped[0].message
    assert not [x for x in hits(result, "A14", G2 + "0002J") if x.layer == "CBJYQZDJB"]
    assert not hits(result, "A14", G1 + "0001J")              # DJSJ = FZRQ


def test_a15_whitespace(result):
    assert hits(result, "A15", G2 + "0020", "CBFMC")
    trailing = hits(result, "A15", G2 + "0020", "CYXM", related="张三")
    inner = hits(result, "A15", G2 + "0020", "CYXM", related="张 三")
    assert trailing and "末尾" in trailing[0].message
    assert inner and "中间" in inner[0].message
    assert not hits(result, "A15", G2 + "0020", related="阿卜杜·热合曼")
    assert not hits(result, "A15", field="CBFDZ")
    assert not hits(result, "A15", G1 + "00003")              # whitespace only: A01


def test_a16_legacy_numbers(result):
    f = hits(result, "A16", G1 + "0010", related="吴戊")
    assert f and "370832196503121230" in f[0].message and f[0].severity == "W"
    assert len(result.by_rule("A16")) == 1


def test_a17_domains(result):
    assert hits(result, "A17", G2 + "00040", "SCMJ")
    assert hits(result, "A17", G2 + "00041", "SCMJ")
    assert not hits(result, "A17", G2 + "00042")
    assert hits(result, "A17", G2 + "0001J", "CBDKZS")


def test_findings_are_sorted_and_hashed(result):
    keys = [f.sort_key() for f in result.findings]
    assert keys == sorted(keys)
    assert all(f.object_hash for f in result.findings)
    assert len({f.fingerprint for f in result.findings}) == len(result.findings)


def test_scope_limits_reports(tmp_path):
    path = h.build(str(tmp_path / "s.gpkg"), _mutate)
    scoped = h.run(path, A_RULES, scope=[G1])
    assert scoped.findings and all(f.unit_code.startswith(G1) for f in scoped.findings
                                   if f.rule != "A09")
    assert not hits(scoped, "A13", G2 + "00030")
    # a duplicate spanning groups is reported when one occurrence is in scope
    assert hits(scoped, "A09", h.id18("19920202", "222"))


def _jzd_cases(data, geoms):
    """Boundary points (a layer checked through SQL profiles, never loaded whole)."""
    from shapely.geometry import Point
    a, b = G1 + "00001", G1 + "00002"
    base = {"YSDM": "211021", "JZDLX": "1", "JBLX": "6", "XZBZ": 4000100.0, "YZBZ": 39500010.0}
    cases = [
        dict(base, BSM=1, JZDH="J1", DKBM=a),                    # clean
        dict(base, BSM=2, JZDH="J2", DKBM=a + "/" + b),          # clean list of two plots
        dict(base, BSM=3, JZDH=" ", DKBM=a),                     # A01 JZDH (whitespace only)
        dict(base, BSM=4, JZDH="J 4", DKBM=a),                   # A15
        dict(base, BSM=5, JZDH="J5", DKBM=a + "/" + b[:-1]),     # A04 list with an 18-digit code
        dict(base, BSM=6, JZDH="J6", DKBM=a, XZBZ=0.0),          # A17
        dict(base, BSM=7, JZDH="J7", DKBM=a, JZDLX="7"),         # A02
        dict(base, BSM=8, JZDH="J" + "8" * 10, DKBM=a),          # A03 (11 characters > 10)
        dict(base, BSM=8, JZDH="J9", DKBM=a),                    # A06 BSM 8 twice
        dict(base, BSM=10, JZDH="J10", DKBM=a, YZBZ=39500010123.5),   # A03 12 integer digits
    ]
    data["JZD"] = cases
    geoms["JZD"] = [Point(39500010.0 + i, 4000100.0) for i in range(len(cases))]


def test_boundary_point_layer_through_sql_profiles(tmp_path):
    path = h.build(str(tmp_path / "jzd.gpkg"), _jzd_cases)
    res = h.run(path, A_RULES)
    got = {(f.rule, f.key, f.values.get("field")) for f in res.findings if f.layer == "JZD"}
    assert ("A01", "fid:3", "JZDH") in got
    assert ("A15", "J 4", "JZDH") in got
    assert ("A04", "J5", "DKBM") in got
    assert ("A17", "J6", "XZBZ") in got
    assert ("A02", "J7", "JZDLX") in got
    assert ("A03", "J" + "8" * 10, "JZDH") in got
    assert ("A06", "8", "BSM") in got
    assert ("A03", "J10", "YZBZ") in got
    assert not [k for k in got if k[1] in ("J1", "J2")]
    assert len(got) == 8
    pt = [f for f in res.findings if f.key == "J5"][0]
    assert pt.unit_code == G1
    scoped = h.run(path, A_RULES, scope=[G2])
    assert not [f for f in scoped.findings if f.layer == "JZD"]
