"""Hand-made townships for the import tests (small, every layer and table filled).

`import import_helpers as F` in the test_import_* modules (conftest puts tests/ on
sys.path); test_import_fixtures.py checks the builder itself.
"""
import hashlib

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point

COUNTY, COUNTY_NAME, TOWNSHIP = "430424", "衡东县", "430424101"
PLOT_W, PLOT_H = 50.0, 40.0
ORIGIN = (38480000.0, 3010000.0)       # EPSG:4526 (zone 38, prefixed eastings)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨赵黄周吴"


def id_number(region: str, born: str, seq: int) -> str:
    body = region + born + "%03d" % seq
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def village_box(index, plots, groups):
    x0 = ORIGIN[0] + index * plots * PLOT_W
    return shapely.box(x0, ORIGIN[1], x0 + plots * PLOT_W, ORIGIN[1] + groups * PLOT_H)


def build_township(path, villages=(("204", "新塘村"), ("205", "石湾村")), groups=2, plots=3,
                   epsg=4526, first_index=0, jzd_start=1):
    """A township database with every standard layer and table filled.

    Village i (of the whole township) occupies a band plots*50 m wide; group j a
    row 40 m high; plots are 50 × 40 m rectangles sharing edges exactly.
    """
    from quequan.core.township_db import TownshipDB, create_database
    create_database(path, epsg)
    data = {k: [] for k in ("XJXZQ", "XJQY", "CJQY", "ZJQY", "QYJX", "KZD", "JBNTBHQ", "DZDW",
                            "XZDW", "MZDW", "ZJ", "DK", "JZD", "JZX")}
    tabs = {k: [] for k in ("FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "LZHT", "QSLYZLFJ",
                            "CBJYQZDJB", "CBJYQZ", "CBJYQZ_QZBF", "CBJYQZ_QZHF", "CBJYQZ_QZZX")}
    n_v = len(villages)
    whole = shapely.union_all([village_box(first_index + i, plots, groups) for i in range(n_v)])
    geo = {k: [] for k in data}

    def add(layer, row, geom):
        row = dict(row)
        row.setdefault("BSM", len(data[layer]) + 1)
        data[layer].append(row)
        geo[layer].append(geom)

    add("XJXZQ", {"YSDM": "162010", "XZQDM": COUNTY, "XZQMC": COUNTY_NAME}, MultiPolygon([whole]))
    add("XJQY", {"YSDM": "162020", "XJQYDM": TOWNSHIP, "XJQYMC": "大浦镇"}, MultiPolygon([whole]))
    jzd_no = jzd_start
    for vi, (vcode, vname) in enumerate(villages):
        vbox = village_box(first_index + vi, plots, groups)
        cj = TOWNSHIP + vcode
        add("CJQY", {"YSDM": "162030", "CJQYDM": cj, "CJQYMC": vname}, MultiPolygon([vbox]))
        add("QYJX", {"YSDM": "161051", "JXLX": "670500", "JXXZ": "600001"},
            MultiLineString([LineString(vbox.exterior.coords)]))
        for g in range(groups):
            fbfbm = cj + "%02d" % (g + 1)
            y0 = ORIGIN[1] + g * PLOT_H
            gbox = shapely.box(vbox.bounds[0], y0, vbox.bounds[2], y0 + PLOT_H)
            add("ZJQY", {"YSDM": "162040", "ZJQYDM": fbfbm, "ZJQYMC": "%s第%d组" % (vname, g + 1)},
                MultiPolygon([gbox]))
            tabs["FBF"].append({
                "FBFBM": fbfbm, "FBFMC": "%s第%d村民小组" % (vname, g + 1), "FBFFZRXM": "组长%d" % g,
                "FZRZJLX": "1", "FZRZJHM": id_number("430424", "19600101", 11 + 2 * g),
                "LXDH": "13800000000", "FBFDZ": "湖南省衡东县大浦镇%s" % vname, "YZBM": "421400",
                "FBFDCY": "调查员甲", "FBFDCRQ": "2016-03-01", "FBFDCJS": "发包方调查记事：无异议"})
            for k in range(plots):
                seq = k + 1
                x0 = vbox.bounds[0] + k * PLOT_W
                poly = shapely.box(x0, y0, x0 + PLOT_W, y0 + PLOT_H)
                dkbm = fbfbm + "%05d" % seq
                cbfbm = fbfbm + "%04d" % seq
                name = SURNAMES[(vi + g + k) % len(SURNAMES)] + "某%d" % seq
                corners = list(poly.exterior.coords)[:4]
                jzdh = []
                for cx, cy in corners:
                    jzdh.append("J%d" % jzd_no)
                    add("JZD", {"YSDM": "211021", "JZDH": "J%d" % jzd_no, "JZDLX": "1", "JBLX": "6",
                                "DKBM": dkbm, "XZBZ": round(cy, 3), "YZBZ": round(cx, 3)}, Point(cx, cy))
                    jzd_no += 1
                for e in range(4):
                    a, b = corners[e], corners[(e + 1) % 4]
                    add("JZX", {"YSDM": "211031", "JXXZ": "600001", "JZXLB": "01", "JZXWZ": "2",
                                "JZXSM": "%.2f" % LineString([a, b]).length, "PLDWQLR": "邻户",
                                "PLDWZJR": "邻户", "JZXH": str(e + 1), "QJZDH": jzdh[e],
                                "ZJZDH": jzdh[(e + 1) % 4], "DKBM": dkbm},
                        MultiLineString([LineString([a, b])]))
                area = round(poly.area, 2)
                add("DK", {"YSDM": "211011", "DKBM": dkbm, "DKMC": "屋前丘%d号" % seq, "SYQXZ": "31",
                           "DKLB": "10", "TDLYLX": "011", "DLDJ": "03", "TDYT": "1", "SFJBNT": "1",
                           "SCMJ": area, "DKDZ": "田埂", "DKXZ": "水渠", "DKNZ": "机耕道",
                           "DKBZ": "山林", "DKBZXX": None, "ZJRXM": name, "KJZB": "/".join(jzdh),
                           "SCMJM": round(area * 0.0015, 2)}, MultiPolygon([poly]))
                head_id = id_number("430424", "19%02d0203" % (50 + k), 31 + 2 * g)
                tabs["CBF"].append({
                    "CBFBM": cbfbm, "CBFLX": "1", "CBFMC": name, "CBFZJLX": "1", "CBFZJHM": head_id,
                    "CBFDZ": "湖南省衡东县大浦镇%s%d组" % (vname, g + 1), "YZBM": "421400",
                    "LXDH": None, "CBFCYSL": 2, "CBFDCRQ": "2016-04-0%d" % (g + 1), "CBFDCY": "调查员乙",
                    "CBFDCJS": None, "GSJS": "公示无异议", "GSJSR": "记事人丙", "GSSHRQ": "2016-06-30",
                    "GSSHR": "审核人丁"})
                tabs["CBF_JTCY"] += [
                    {"CBFBM": cbfbm, "CYXM": name, "CYXB": "1", "CYZJLX": "1", "CYZJHM": head_id,
                     "YHZGX": "02", "CYBZ": None, "SFGYR": "1", "CYBZSM": None},
                    {"CBFBM": cbfbm, "CYXM": "配偶" + name, "CYXB": "2", "CYZJLX": "1",
                     "CYZJHM": id_number("430424", "19%02d0506" % (52 + k), 40 + 2 * g), "YHZGX": "10",
                     "CYBZ": "1", "SFGYR": "1", "CYBZSM": "2012年外嫁"}]
                htbm = cbfbm + "J"
                tabs["CBDKXX"].append({
                    "DKBM": dkbm, "FBFBM": fbfbm, "CBFBM": cbfbm, "CBJYQQDFS": "110", "HTMJ": area,
                    "CBHTBM": htbm, "LZHTBM": None, "CBJYQZBM": htbm, "YHTMJ": 1900.5, "HTMJM":
                    round(area * 0.0015, 2), "YHTMJM": 2.85, "SFQQQG": "2"})
                tabs["CBHT"].append({
                    "CBHTBM": htbm, "YCBHTBM": None, "FBFBM": fbfbm, "CBFBM": cbfbm, "CBFS": "110",
                    "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31", "HTZMJ": area, "CBDKZS": 1,
                    "QDSJ": "2016-08-01", "HTZMJM": round(area * 0.0015, 2), "YHTZMJ": None,
                    "YHTZMJM": None})
                tabs["CBJYQZDJB"].append({
                    "CBJYQZBM": htbm, "FBFBM": fbfbm, "CBFBM": cbfbm, "CBFS": "110",
                    "CBQX": "1998年01月01日至2027年12月31日", "CBQXQ": "1998-01-01", "CBQXZ": "2027-12-31",
                    "DKSYT": "图件\\%s\\DKSYT%s.pdf" % (fbfbm, htbm),
                    "CBJYQZLSH": "湘（2016）衡东县农村土地承包经营权证第%06d号" % (len(tabs["CBJYQZ"]) + 1),
                    "DJBFJ": None, "YCBJYQZBH": None, "DBR": "登簿人戊", "DJSJ": "2016-09-01"})
                tabs["CBJYQZ"].append({
                    "CBJYQZBM": htbm, "FZJG": "衡东县人民政府", "FZRQ": "2016-10-01", "QZSFLQ": "1",
                    "QZLQRQ": "2016-10-15", "QZLQRXM": name, "QZLQRZJLX": "1", "QZLQRZJHM": head_id})
                tabs["QSLYZLFJ"].append({
                    "CBJYQZBM": htbm, "ZLFJBH": htbm[-12:] + "01", "ZLFJMC": "原承包合同",
                    "ZLFJRQ": "1998-01-01", "FJ": "其他资料\\权属来源附件\\%s01.pdf" % htbm[-12:]})
        # one transfer and one reissued certificate per village
        first = TOWNSHIP + vcode + "01"
        tabs["LZHT"].append({
            "CBHTBM": first + "0001J", "LZHTBM": first + "0003", "CBFBM": first + "0001",
            "SRFBM": first + "8002", "LZFS": "200", "LZQX": "10年", "LZQXKSRQ": "2015-01-01",
            "LZQXJSRQ": "2024-12-31", "LZMJ": 500.25, "LZDKS": 1, "LZQTDYT": "1", "LZHTDYT": "1",
            "LZJGSM": "每亩每年300元，按年支付", "HTQDRQ": "2014-12-20", "LZMJM": 0.75})
        tabs["CBJYQZ_QZBF"].append({
            "CBJYQZBM": first + "0001J", "QZBFYY": "权证遗失", "BFRQ": "2017-03-01",
            "QZBFLQRQ": "2017-03-05", "QZBFLQRXM": "王某1", "BFLQRZJLX": "1",
            "BFLQRZJHM": id_number("430424", "19500203", 31)})
        vb = vbox.bounds
        add("KZD", {"YSDM": "111000", "KZDMC": "%s控制点" % vname, "KZDDH": "K%s" % vcode,
                    "KZDLX": "110103", "KZDDJ": "一级", "BSLX": "2", "BZLX": "3", "KZDZT": "完好",
                    "DZJ": "其他资料\\点之记\\K%s.jpg" % vcode, "X2000": vb[1] + 5.0, "Y2000": vb[0] + 5.0},
            Point(vb[0] + 5.0, vb[1] + 5.0))
        add("JBNTBHQ", {"YSDM": "251100", "BHQBH": "430424101%s1" % vcode, "JBNTMJ": round(vbox.area, 2),
                        "JBNTMJM": round(vbox.area * 0.0015, 2)}, MultiPolygon([vbox]))
        add("DZDW", {"YSDM": "196011", "DWMC": "机井", "BZ": "灌溉用"}, Point(vb[0] + 1, vb[1] + 1))
        add("XZDW", {"YSDM": "196021", "DWMC": "水渠", "CD": 120.5, "KD": 0.8, "BZ": None},
            MultiLineString([LineString([(vb[0], vb[1] - 2), (vb[2], vb[1] - 2)])]))
        add("MZDW", {"YSDM": "196031", "DWMC": "坟地", "MJ": 30.0, "BZ": None, "MJM": 0.05},
            MultiPolygon([shapely.box(vb[0], vb[1] - 10, vb[0] + 6, vb[1] - 5)]))
        add("ZJ", {"YSDM": "211012", "ZJNR": vname, "ZT": "宋体", "YS": "黑色", "BS": 12, "XZ": "1",
                   "XHX": "0", "KD": 3.5, "GD": 3.5, "JG": 0.5, "ZJDZXJXZB": vb[1] + 20,
                   "ZJDZXJYZB": vb[0] + 20, "ZJFX": 0.785398}, Point(vb[0] + 20, vb[1] + 20))
    with TownshipDB(path) as db:
        with db.transaction():
            for layer, rows in data.items():
                db.insert(layer, rows, geo[layer])
            for table, rows in tabs.items():
                db.insert(table, rows)
    return path


# --- comparing databases -------------------------------------------------------

def _norm(fld, v):
    """DBF cannot tell '' from NULL; numbers compared at their standard decimals."""
    from quequan.core import schema
    if v is None or (isinstance(v, str) and v.strip() == ""):
        return None
    if fld.kind == schema.FLOAT:
        return round(float(v), fld.decimals if fld.code not in schema.COORDINATE_FIELDS else 3)
    if fld.kind == schema.INT:
        return int(v)
    if fld.kind == schema.DATE:
        return str(v)[:10]
    return str(v)


def table_rows(path, code, with_geometry=True, drop=()):
    """Rows of one standard layer/table in fid order, normalised, technical columns dropped."""
    from quequan.core import schema
    from quequan.core.township_db import TownshipDB
    t = schema.BY_CODE[code]
    with TownshipDB(path, readonly=True) as db:
        if t.is_layer:
            rows, wkbs = db.read_geometries(code, t.field_codes)
        else:
            rows = db.read(code, t.field_codes, where='1 ORDER BY "fid"')
            wkbs = [None] * len(rows)
    out = []
    for r, w in zip(rows, wkbs):
        vals = {f.code: _norm(f, r.get(f.code)) for f in t.fields if f.code not in drop}
        if with_geometry and t.is_layer:
            vals["_geom"] = shapely.from_wkb(w) if w else None
        out.append(vals)
    return out


def assert_same_rows(a_rows, b_rows, label, tol=0.0001):
    assert len(a_rows) == len(b_rows), "%s: %d rows vs %d" % (label, len(a_rows), len(b_rows))
    for i, (a, b) in enumerate(zip(a_rows, b_rows)):
        ga, gb = a.pop("_geom", None), b.pop("_geom", None)
        assert a == b, "%s row %d differs:\n%s\n%s" % (label, i + 1, a, b)
        if ga is None or gb is None:
            assert ga is None and gb is None, "%s row %d: geometry missing on one side" % (label, i + 1)
        else:
            assert shapely.get_num_geometries(ga) == shapely.get_num_geometries(gb)
            assert shapely.hausdorff_distance(ga, gb) <= tol, "%s row %d geometry moved" % (label, i + 1)


def content_checksum(path):
    """sha1 over every user table's rows (geometry blobs included), gpkg_contents excluded."""
    import sqlite3
    conn = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    h = hashlib.sha1()
    try:
        names = sorted(r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))
        for n in names:
            h.update(n.encode())
            for row in conn.execute('SELECT * FROM "%s" ORDER BY 1' % n):
                h.update(repr(row).encode("utf-8"))
    finally:
        conn.close()
    return h.hexdigest()
