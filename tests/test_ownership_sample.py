"""A small hand-made township for the ownership tests, and its own consistency test.

Village 204 of township 370832110, groups 01 and 02 (group 发包方), EPSG:4526:
- group 01: plots 00001–00006 in a 3 × 2 grid of 40 m × 50 m squares;
  00001, 00002 → 农户 0001 张三 (3 members, register and certificate);
  00003, 00004, 00005 → 农户 0002 李四 (2 members);
  农户 0003 王五 (1 member) has neither plots nor contract;
  个人 8001 赵六 has no plots; 00006 is a 机动地 (DKLB 22) without contractor.
- group 02: plot 00001 → 农户 0001 陈七.
"""
import os

import shapely

from quequan.core import codes
from quequan.core.township_db import TownshipDB, create_database

FBF1, FBF2 = "37083211020401", "37083211020402"
X0, Y0 = 38500000.0, 4000000.0
W, H = 40.0, 50.0


def make_id(birth: str, seq: str, region: str = "370832") -> str:
    body = region + birth + seq
    return body + codes.id_check_char(body)


def square(col: int, row: int, x0: float = X0):
    x, y = x0 + col * W, Y0 + row * H
    return shapely.MultiPolygon([shapely.box(x, y, x + W, y + H)])


def _plot(code, name, dklb, geom, zjr="张三"):
    area = codes.round2(geom.area)
    return {"BSM": int(code[-5:]) + (0 if code.startswith(FBF1) else 100), "YSDM": "211011",
            "DKBM": code, "DKMC": name, "DKLB": dklb, "DLDJ": "01", "TDYT": "1", "SFJBNT": "1",
            "SCMJ": float(area), "SCMJM": float(codes.m2_to_mu(area)), "DKDZ": "路", "DKNZ": "沟",
            "DKXZ": "渠", "DKBZ": "田", "ZJRXM": zjr, "KJZB": "J1/J2/J3/J4", "TDLYLX": "011"}


HOUSEHOLDS = {
    FBF1 + "0001": ("1", "张三", [("张三", make_id("19650312", "123"), "02"),
                                 ("王芳", make_id("19680405", "224"), "10"),
                                 ("张小明", make_id("19921101", "011"), "20")]),
    FBF1 + "0002": ("1", "李四", [("李四", make_id("19700101", "031"), "02"),
                                 ("李小红", make_id("19980808", "042"), "30")]),
    FBF1 + "0003": ("1", "王五", [("王五", make_id("19800202", "051"), "02")]),
    FBF1 + "8001": ("2", "赵六", []),
    FBF2 + "0001": ("1", "陈七", [("陈七", make_id("19751010", "071"), "02")]),
}
INDIVIDUAL_ID = make_id("19850505", "081")
HOLDINGS = {FBF1 + "0001": ["00001", "00002"], FBF1 + "0002": ["00003", "00004", "00005"],
            FBF2 + "0001": ["00001"]}


_TEMPLATE = {}


def build_sample(path: str) -> str:
    """Write the sample township to path (built once per session, then copied)."""
    import shutil
    import tempfile
    if "path" not in _TEMPLATE:
        _TEMPLATE["path"] = _build(os.path.join(tempfile.mkdtemp(prefix="qq_own_"), "sample.gpkg"))
    shutil.copy(_TEMPLATE["path"], path)
    return path


def _build(path: str) -> str:
    create_database(path, 4526)
    with TownshipDB(path) as db, db.transaction():
        db.insert("FBF", [{"FBFBM": f, "FBFMC": "204村%s组" % f[-1], "FBFFZRXM": "负责人",
                           "FZRZJLX": "1", "FZRZJHM": make_id("19600101", "091"), "FBFDZ": "某村",
                           "YZBM": "272100", "FBFDCY": "调查员", "FBFDCRQ": "2016-03-01"}
                          for f in (FBF1, FBF2)])
        zj = [shapely.MultiPolygon([shapely.box(X0 - 5, Y0 - 5, X0 + 3 * W + 5, Y0 + 2 * H + 5)]),
              shapely.MultiPolygon([shapely.box(X0 + 200 - 5, Y0 - 5, X0 + 200 + W + 5, Y0 + H + 5)])]
        db.insert("ZJQY", [{"BSM": 1, "YSDM": "162040", "ZJQYDM": FBF1, "ZJQYMC": "一组"},
                           {"BSM": 2, "YSDM": "162040", "ZJQYDM": FBF2, "ZJQYMC": "二组"}], zj)
        plots, geoms = [], []
        for i in range(6):
            code = FBF1 + "%05d" % (i + 1)
            g = square(i % 3, i // 3)
            plots.append(_plot(code, "一组%d号田" % (i + 1), "22" if i == 5 else "10", g))
            geoms.append(g)
        g = square(0, 0, X0 + 200)
        plots.append(_plot(FBF2 + "00001", "二组1号田", "10", g, "陈七"))
        geoms.append(g)
        db.insert("DK", plots, geoms)
        scmj = {p["DKBM"]: p["SCMJ"] for p in plots}
        for cbfbm, (kind, name, members) in HOUSEHOLDS.items():
            number = members[0][1] if members else INDIVIDUAL_ID
            db.insert("CBF", [{"CBFBM": cbfbm, "CBFLX": kind, "CBFMC": name, "CBFZJLX": "1",
                               "CBFZJHM": number, "CBFDZ": "某村", "YZBM": "272100",
                               "CBFCYSL": len(members) if kind == "1" else 1,
                               "CBFDCRQ": "2016-03-10", "CBFDCY": "调查员", "GSJSR": "记事人",
                               "GSSHRQ": "2016-06-10", "GSSHR": "审核人"}])
            db.insert("CBF_JTCY", [{"CBFBM": cbfbm, "CYXM": n, "CYXB": codes.id_gender(i), "CYZJLX": "1",
                                    "CYZJHM": i, "YHZGX": r, "SFGYR": "1"} for n, i, r in members])
            held = [cbfbm[:14] + s for s in HOLDINGS.get(cbfbm, [])]
            if not held:
                continue
            ht = cbfbm + "J"
            links = [{"DKBM": d, "FBFBM": cbfbm[:14], "CBFBM": cbfbm, "CBJYQQDFS": "110",
                      "HTMJ": scmj[d], "HTMJM": float(codes.m2_to_mu(scmj[d])), "CBHTBM": ht,
                      "CBJYQZBM": ht, "SFQQQG": "2"} for d in held]
            db.insert("CBDKXX", links)
            total = codes.round2(sum(codes.round2(scmj[d]) for d in held))
            db.insert("CBHT", [{"CBHTBM": ht, "FBFBM": cbfbm[:14], "CBFBM": cbfbm, "CBFS": "110",
                                "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31", "HTZMJ": float(total),
                                "CBDKZS": len(held), "QDSJ": "2016-07-01",
                                "HTZMJM": float(codes.m2_to_mu(total))}])
        db.insert("CBJYQZDJB", [{"CBJYQZBM": FBF1 + "0001J", "FBFBM": FBF1, "CBFBM": FBF1 + "0001",
                                 "CBFS": "110", "CBQX": "30年", "CBQXQ": "1998-01-01",
                                 "CBQXZ": "2027-12-31", "DKSYT": "dksyt.png", "CBJYQZLSH": "鲁（2017）第000001号",
                                 "DBR": "登簿人", "DJSJ": "2017-05-02"}])
        db.insert("CBJYQZ", [{"CBJYQZBM": FBF1 + "0001J", "FZJG": "某县人民政府", "FZRQ": "2017-06-01",
                              "QZSFLQ": "2"}])
    return path


def test_sample_is_consistent(tmp_path):
    from quequan.core.ownership.validation import Touched, own_problems
    path = build_sample(str(tmp_path / "s.gpkg"))
    with TownshipDB(path) as db:
        touched = Touched({r["DKBM"] for r in db.read("DK", ("DKBM",))},
                          {r["CBFBM"] for r in db.read("CBF", ("CBFBM",))},
                          {r["CBHTBM"] for r in db.read("CBHT", ("CBHTBM",))})
        assert own_problems(db, touched) == []
        assert db.count("DK") == 7 and db.count("CBF_JTCY") == 7 and db.count("CBHT") == 3
