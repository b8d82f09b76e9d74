"""Hand-made small township databases for the A/X/C rule tests.

`build(path)` writes a clean township (village 204 with groups 01 and 02, two
households each, valid IDs, plots, contracts, registers, certificates) that
yields no A/X/C finding; tests then edit single rows to make one defect.
"""
import datetime as _dt

COUNTY, TOWN, VILLAGE = "370832", "370832110", "370832110204"
G1, G2 = VILLAGE + "01", VILLAGE + "02"


def id18(birth="19650312", seq="123", region="370832"):
    from quequan.core.codes import id_check_char
    body = region + birth + seq
    return body + id_check_char(body)


def _household(fbf, n, head, members, plots):
    """members: list of (name, sex, birth, relation); plots: list of areas."""
    cbfbm = "%s%04d" % (fbf, n)
    mem_rows = []
    for i, (name, sex, birth, rel) in enumerate(members):
        seq = "%02d%d" % (n % 100, (2 * i + 1) if sex == "1" else (2 * i + 2))
        mem_rows.append({"CBFBM": cbfbm, "CYXM": name, "CYXB": sex, "CYZJLX": "1",
                         "CYZJHM": id18(birth, seq), "YHZGX": rel, "SFGYR": "1"})
    head_row = mem_rows[0]
    cbf = {"CBFBM": cbfbm, "CBFLX": "1", "CBFMC": head, "CBFZJLX": "1",
           "CBFZJHM": head_row["CYZJHM"], "CBFDZ": "山东省某县某镇某村", "YZBM": "272100",
           "LXDH": "13800000000", "CBFCYSL": len(members), "CBFDCRQ": "2015-03-01",
           "CBFDCY": "调查员甲", "GSJSR": "记事人乙", "GSSHRQ": "2015-06-10", "GSSHR": "审核人丙"}
    return cbfbm, cbf, mem_rows, plots


def township():
    """Rows of every table of the clean township, as dicts keyed by table code."""
    from shapely.geometry import box
    data = {k: [] for k in ("FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB", "CBJYQZ",
                            "QSLYZLFJ", "DK", "ZJQY", "CJQY", "XJQY")}
    geoms = {"DK": [], "ZJQY": [], "CJQY": [], "XJQY": []}
    households = {
        G1: [("王大明", [("王大明", "1", "19650312", "02"), ("李秀英", "2", "19670405", "10"),
                        ("王小军", "1", "19900101", "20")], [1000.0, 1670.0]),
             ("张三", [("张三", "1", "19700220", "02"), ("刘芳", "2", "19720815", "10")], [800.0])],
        G2: [("赵四", [("赵四", "1", "19580909", "02"), ("钱梅", "2", "19601111", "10")], [1200.0]),
             ("孙五", [("孙五", "1", "19801231", "02")], [600.0, 400.0])],
    }
    x0 = 39500000.0
    for gi, (fbf, hh) in enumerate(sorted(households.items())):
        name = "一组" if fbf == G1 else "二组"
        data["FBF"].append({"FBFBM": fbf, "FBFMC": "某镇某村" + name, "FBFFZRXM": "周组长%d" % gi,
                            "FZRZJLX": "1", "FZRZJHM": id18("19620101", "%02d1" % (50 + gi)),
                            "FBFDZ": "某村", "YZBM": "272100", "FBFDCY": "调查员甲",
                            "FBFDCRQ": "2015-02-01"})
        data["ZJQY"].append({"BSM": 100 + gi, "YSDM": "162040", "ZJQYDM": fbf, "ZJQYMC": name})
        geoms["ZJQY"].append(box(x0 + gi * 1000, 4000000, x0 + gi * 1000 + 1000, 4001000))
        seq_plot = 0
        for n, (head, members, areas) in enumerate(hh, 1):
            cbfbm, cbf, mem, _ = _household(fbf, n, head, members, areas)
            data["CBF"].append(cbf)
            data["CBF_JTCY"].extend(mem)
            code = cbfbm + "J"
            for area in areas:
                seq_plot += 1
                dkbm = "%s%05d" % (fbf, seq_plot)
                side = area ** 0.5
                x = x0 + gi * 1000 + 10 + seq_plot * 60
                geoms["DK"].append(box(x, 4000100, x + side, 4000100 + side))
                data["DK"].append({
                    "BSM": 1000 + len(data["DK"]), "YSDM": "211011", "DKBM": dkbm,
                    "DKMC": "东洼地", "SYQXZ": "31", "DKLB": "10", "TDLYLX": "013", "DLDJ": "05",
                    "TDYT": "1", "SFJBNT": "2", "SCMJ": area, "DKDZ": "道路", "DKXZ": "水渠",
                    "DKNZ": "李四", "DKBZ": "林带", "ZJRXM": head, "KJZB": "J1/J2/J3/J4"})
                data["CBDKXX"].append({"DKBM": dkbm, "FBFBM": fbf, "CBFBM": cbfbm,
                                       "CBJYQQDFS": "110", "HTMJ": area, "CBHTBM": code,
                                       "CBJYQZBM": code, "SFQQQG": "2"})
            data["CBHT"].append({"CBHTBM": code, "FBFBM": fbf, "CBFBM": cbfbm, "CBFS": "110",
                                 "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31",
                                 "HTZMJ": sum(areas), "CBDKZS": len(areas), "QDSJ": "2016-07-01"})
            data["CBJYQZDJB"].append({
                "CBJYQZBM": code, "FBFBM": fbf, "CBFBM": cbfbm, "CBFS": "110",
                "CBQX": "1998年01月01日至2027年12月31日", "CBQXQ": "1998-01-01",
                "CBQXZ": "2027-12-31", "DKSYT": "图件\\%s\\DKSYT%s.pdf" % (fbf, code),
                "CBJYQZLSH": "鲁（2016）某县农村土地承包经营权证第%06d号" % len(data["CBHT"]),
                "DBR": "登簿人丁", "DJSJ": "2016-09-01"})
            data["CBJYQZ"].append({"CBJYQZBM": code, "FZJG": "某县人民政府", "FZRQ": "2016-10-01",
                                   "QZSFLQ": "2"})
            data["QSLYZLFJ"].append({"CBJYQZBM": code, "ZLFJBH": "FJ" + cbfbm[-8:],
                                     "ZLFJMC": "原承包合同", "ZLFJRQ": "2015-01-01",
                                     "FJ": "其他资料\\权属来源附件\\FJ%s.pdf" % cbfbm[-8:]})
    data["CJQY"].append({"BSM": 10, "YSDM": "162030", "CJQYDM": VILLAGE, "CJQYMC": "某村"})
    geoms["CJQY"].append(box(x0, 4000000, x0 + 2000, 4001000))
    data["XJQY"].append({"BSM": 1, "YSDM": "162020", "XJQYDM": TOWN, "XJQYMC": "某镇"})
    geoms["XJQY"].append(box(x0, 4000000, x0 + 2000, 4001000))
    return data, geoms


def write(path, data, geoms):
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        with db.transaction():
            for table, rows in data.items():
                if not rows:
                    continue
                # every row gets every key of the table (insert uses the first row's keys)
                keys = sorted({k for r in rows for k in r})
                full = [{k: r.get(k) for k in keys} for r in rows]
                db.insert(table, full, geoms=geoms.get(table))
    return path


def build(path, mutate=None):
    """Create the clean township at path; mutate(data, geoms) edits it before writing."""
    from quequan.core.township_db import create_database
    create_database(path, 4526)
    data, geoms = township()
    if mutate is not None:
        mutate(data, geoms)
    return write(path, data, geoms)


def run(path, rules, admin_units=None, scope=None):
    """Findings of the given rules on the database at path."""
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        ctx = CheckContext(db, admin_units=admin_units, scope=scope,
                           survey_date=_dt.date(2016, 12, 31))
        result = run_checks(ctx, rules)
    return result


def find(data, table, **match):
    """The first row of a table whose fields equal the given values."""
    for r in data[table]:
        if all(r.get(k) == v for k, v in match.items()):
            return r
    raise KeyError(match)


def add_household(data, fbf, seq, head, members, cbflx="1", cysl=None, cbfzjhm=None,
                  cbfzjlx="1", **cbf_fields):
    """A 承包方 with member rows; members: list of (name, sex, type, number, relation)."""
    cbfbm = "%s%04d" % (fbf, seq)
    rows = [{"CBFBM": cbfbm, "CYXM": n, "CYXB": s, "CYZJLX": t, "CYZJHM": num, "YHZGX": rel,
             "SFGYR": "1"} for n, s, t, num, rel in members]
    if cbfzjhm is None:
        cbfzjhm = rows[0]["CYZJHM"] if rows else id18("19750101", "%03d" % (seq % 1000))
    cbf = {"CBFBM": cbfbm, "CBFLX": cbflx, "CBFMC": head, "CBFZJLX": cbfzjlx,
           "CBFZJHM": cbfzjhm, "CBFDZ": "山东省某县某镇某村", "YZBM": "272100",
           "CBFCYSL": len(rows) if cysl is None else cysl, "CBFDCRQ": "2015-03-01",
           "CBFDCY": "调查员甲", "GSJSR": "记事人乙", "GSSHRQ": "2015-06-10", "GSSHR": "审核人丙"}
    cbf.update(cbf_fields)
    data["CBF"].append(cbf)
    data["CBF_JTCY"].extend(rows)
    return cbfbm


def add_plot(data, geoms, dkbm, area=500.0, **fields):
    """A plot (square) of the given area far from the others; fields override defaults."""
    from shapely.geometry import box
    n = len(data["DK"])
    side = max(area, 1.0) ** 0.5
    x, y = 39503000.0 + (n % 20) * 60, 4002000.0 + (n // 20) * 60
    row = {"BSM": 5000 + n, "YSDM": "211011", "DKBM": dkbm, "DKMC": "西岭地", "SYQXZ": "31",
           "DKLB": "10", "TDLYLX": "013", "DLDJ": "05", "TDYT": "1", "SFJBNT": "2",
           "SCMJ": area, "DKDZ": "道路", "DKXZ": "水渠", "DKNZ": "李四", "DKBZ": "林带",
           "ZJRXM": "王大明", "KJZB": "J1/J2/J3/J4"}
    row.update(fields)
    data["DK"].append(row)
    geoms["DK"].append(box(x, y, x + side, y + side))
    return row


def add_contracted(data, geoms, fbf, seq, head, areas, first_plot, htzmj=None, cbdkzs=None,
                   contract=True, register=True, certificate=True, sfqqqg="2"):
    """A household with one member, its plots, CBDKXX rows and (optionally) the later stages."""
    cbfbm = add_household(data, fbf, seq, head,
                          [(head, "1", "1", id18("19700101", "%03d" % (seq * 2 + 1)), "02")])
    code = cbfbm + "J"
    for i, area in enumerate(areas):
        dkbm = "%s%05d" % (fbf, first_plot + i)
        add_plot(data, geoms, dkbm, area=area, SCMJ=area, ZJRXM=head)
        data["CBDKXX"].append({"DKBM": dkbm, "FBFBM": fbf, "CBFBM": cbfbm, "CBJYQQDFS": "110",
                               "HTMJ": area, "CBHTBM": code, "CBJYQZBM": code, "SFQQQG": sfqqqg})
    if contract:
        data["CBHT"].append({"CBHTBM": code, "FBFBM": fbf, "CBFBM": cbfbm, "CBFS": "110",
                             "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31",
                             "HTZMJ": sum(areas) if htzmj is None else htzmj,
                             "CBDKZS": len(areas) if cbdkzs is None else cbdkzs,
                             "QDSJ": "2016-07-01"})
    if register:
        data["CBJYQZDJB"].append({
            "CBJYQZBM": code, "FBFBM": fbf, "CBFBM": cbfbm, "CBFS": "110",
            "CBQX": "1998年01月01日至2027年12月31日", "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31",
            "DKSYT": "图件\\%s\\DKSYT%s.pdf" % (fbf, code), "CBJYQZLSH": "鲁（2016）某县农村土地承包经营权证第%06d号" % seq,
            "DBR": "登簿人丁", "DJSJ": "2016-09-01"})
    if certificate:
        data["CBJYQZ"].append({"CBJYQZBM": code, "FZJG": "某县人民政府", "FZRQ": "2016-10-01",
                               "QZSFLQ": "2"})
    return cbfbm


def add_fbf(data, fbf, name):
    data["FBF"].append({"FBFBM": fbf, "FBFMC": "某镇某村" + name, "FBFFZRXM": "组长" + name,
                        "FZRZJLX": "1", "FZRZJHM": id18("19620101", "%03d" % int(fbf[-2:])),
                        "FBFDZ": "某村", "YZBM": "272100", "FBFDCY": "调查员甲",
                        "FBFDCRQ": "2015-02-01"})
