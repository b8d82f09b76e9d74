"""A small hand-made township for the publicity tests, screenshots and benchmark fallback.

Deterministic: village groups laid out as blocks of rectangular plots in rows
with field roads between them, one pond per group, households with members,
contracts and CBDKXX rows. Group 01 also holds the awkward cases of a 公示图:
a 12 m² plot, a 4 m wide strip and a 机动地 without contractor.
"""
import datetime as _dt
import random
from typing import Dict, List

from ..codes import id_check_char, m2_to_mu
from ..township_db import TownshipDB, create_database

COUNTY = "430424"
TOWNSHIP = "430424100"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = "建国明华军平志强伟芳秀英玉兰桂香德福海涛红梅春生金山永安文"
GROUP_NAMES = "一二三四五六七八九十"
FIELD_NAMES = ("大丘", "塘边", "长丘", "冲里", "坝上", "屋背", "垅中", "岭脚")


def _id_number(rng: random.Random, male: bool, born: _dt.date) -> str:
    seq = rng.randint(10, 99) * 10 + (rng.choice((1, 3, 5, 7, 9)) if male else rng.choice((0, 2, 4, 6, 8)))
    body = "%s%s%03d" % (COUNTY, born.strftime("%Y%m%d"), seq)
    return body + id_check_char(body)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _group_name(i: int) -> str:
    if i <= 10:
        return GROUP_NAMES[i - 1] + "组"
    return "%d组" % i


def build_sample(path: str, groups: int = 3, plots_per_group: int = 14, seed: int = 1,
                 villages: int = 1, epsg: int = 4526) -> Dict:
    """Write the sample township to path (overwritten); returns a summary dict."""
    import shapely
    rng = random.Random(seed)
    create_database(path, epsg, overwrite=True)
    x0, y0 = 38500000.0, 3000000.0
    per_village = -(-groups // villages)
    cols = max(1, int(round(per_village ** 0.5)))
    rows_dk, geoms_dk, fbf, cbf, jtcy, cbdkxx, cbht = [], [], [], [], [], [], []
    zj_rows, zj_geoms, cj_rows, cj_geoms = [], [], [], []
    xz_rows, xz_geoms, mz_rows, mz_geoms = [], [], [], []
    today = _dt.date(2024, 3, 1)
    gi = 0
    for v in range(1, villages + 1):
        vcode = "%s%03d" % (TOWNSHIP, 200 + v)
        vname = ("新塘村", "石湾村", "金华村", "龙泉村")[(v - 1) % 4] if v <= 4 else "%d村" % v
        vblocks = []
        for g in range(1, per_village + 1):
            if gi >= groups:
                break
            gi += 1
            code = "%s%02d" % (vcode, g)
            n = plots_per_group
            bw = 60.0 * max(3, int(round((n / 2.0) ** 0.5)) + 1)   # block width (m)
            # groups in a grid per village, villages side by side; rows far enough apart
            # for the tallest block (44 m rows of plots ≥ 22 m wide, roads, a pond above)
            pitch = 48.0 * -(-n * 46 // int(bw)) + 80.0
            ox = x0 + ((g - 1) % cols) * (bw + 20) + (v - 1) * cols * (bw + 20)
            oy = y0 + ((g - 1) // cols) * pitch
            plots, bottom = _plots_of_block(rng, code, n, ox, oy, bw, special=(gi == 1))
            top = oy + bottom
            block = shapely.box(ox, oy, ox + bw, top)
            vblocks.append(block)
            zj_rows.append({"BSM": gi, "YSDM": "162040", "ZJQYDM": code,
                            "ZJQYMC": vname + _group_name(g)})
            zj_geoms.append(shapely.MultiPolygon([block]))
            for k in range(1, int((top - oy) // 96) + 1):
                yroad = oy + k * 96 - 2
                if yroad + 2 < top:
                    xz_rows.append({"BSM": len(xz_rows) + 1, "YSDM": "196021", "DWMC": "机耕路",
                                    "KD": 4.0})
                    xz_geoms.append(shapely.MultiLineString([[(ox, yroad), (ox + bw, yroad)]]))
            pond = shapely.box(ox + bw - 26, top + 4, ox + bw - 4, top + 20)
            mz_rows.append({"BSM": len(mz_rows) + 1, "YSDM": "196031", "DWMC": "山塘",
                            "MJ": round(pond.area, 2), "MJM": float(m2_to_mu(round(pond.area, 2)))})
            mz_geoms.append(shapely.MultiPolygon([pond]))
            xz_rows.append({"BSM": len(xz_rows) + 1, "YSDM": "196021", "DWMC": "灌溉渠", "KD": 1.5})
            xz_geoms.append(shapely.MultiLineString([[(ox - 3, oy - 3), (ox - 3, top + 24)]]))
            fbf.append({"FBFBM": code, "FBFMC": vname + _group_name(g), "FBFFZRXM": _name(rng),
                        "FZRZJLX": "1", "FZRZJHM": _id_number(rng, True, _dt.date(1968, 5, 4)),
                        "LXDH": "0734%07d" % rng.randint(0, 9999999), "FBFDZ": "衡东县城关镇" + vname,
                        "YZBM": "421400", "FBFDCY": "李调查", "FBFDCRQ": "2023-05-10"})
            _households(rng, code, plots, rows_dk, geoms_dk, cbf, jtcy, cbdkxx, cbht, today)
        if vblocks:
            cj = shapely.unary_union(vblocks).envelope.buffer(8, join_style=2)
            cj_rows.append({"BSM": v, "YSDM": "162030", "CJQYDM": vcode, "CJQYMC": vname})
            cj_geoms.append(shapely.MultiPolygon([cj]))
    town = shapely.unary_union(cj_geoms).envelope.buffer(20, join_style=2)
    with TownshipDB(path) as db, db.transaction():
        db.insert("DK", rows_dk, geoms_dk)
        db.insert("ZJQY", zj_rows, zj_geoms)
        db.insert("CJQY", cj_rows, cj_geoms)
        db.insert("XJQY", [{"BSM": 1, "YSDM": "162020", "XJQYDM": TOWNSHIP, "XJQYMC": "城关镇"}],
                  [shapely.MultiPolygon([town])])
        db.insert("XZDW", xz_rows, xz_geoms)
        db.insert("MZDW", mz_rows, mz_geoms)
        db.insert("FBF", fbf)
        db.insert("CBF", cbf)
        db.insert("CBF_JTCY", jtcy)
        db.insert("CBDKXX", cbdkxx)
        db.insert("CBHT", cbht)
    return {"plots": len(rows_dk), "households": len(cbf), "groups": len(fbf), "path": path}


def _plots_of_block(rng, code, n, ox, oy, bw, special):
    """Rows of plots 44 m high; a 4 m road after every second row. [(dkbm, polygon, dklb)]."""
    import shapely
    out = []
    y, row, seq = oy, 0, 0
    specials = ["tiny", "strip", "reserve"] if special else []
    while seq < n:
        h = 44.0
        x = ox
        while x < ox + bw - 1 and seq < n:
            kind = specials.pop(0) if specials and row == 1 and x > ox else "plain"
            w = {"tiny": 4.0, "strip": 4.0}.get(kind, rng.choice((22.0, 28.0, 34.0, 40.0, 46.0)))
            w = min(w, ox + bw - x)
            if ox + bw - (x + w) < 12:
                w = ox + bw - x      # no sliver at the row end
            seq += 1
            dkbm = "%s%05d" % (code, seq)
            if kind == "tiny":
                out.append((dkbm, shapely.box(x, y + 20, x + w, y + 23), "10"))
                seq += 1
                dkbm = "%s%05d" % (code, seq)
                out.append((dkbm, shapely.Polygon([(x, y), (x + w, y), (x + w, y + 20), (x, y + 20)]),
                            "10"))
                seq += 1
                dkbm = "%s%05d" % (code, seq)
                out.append((dkbm, shapely.box(x, y + 23, x + w, y + h), "10"))
            else:
                out.append((dkbm, shapely.box(x, y, x + w, y + h), "22" if kind == "reserve" else "10"))
            x += w
        y += h
        row += 1
        if row % 2 == 0:
            y += 4.0
    return out, (y - oy)


def _households(rng, code, plots, rows_dk, geoms_dk, cbf, jtcy, cbdkxx, cbht, today):
    import shapely
    contracted = [p for p in plots if p[2] == "10"]
    n_house = max(1, len(contracted) // 3)
    houses: List[dict] = []
    for k in range(1, n_house + 1):
        cbfbm = "%s%04d" % (code, k)
        head = _name(rng)
        born = _dt.date(rng.randint(1945, 1985), rng.randint(1, 12), rng.randint(1, 28))
        hid = _id_number(rng, True, born)
        members = [(head, "02", "1", hid)]
        for _ in range(rng.randint(0, 3)):
            male = rng.random() < 0.5
        # spouse and children, valid numbers with matching gender digits
            mborn = _dt.date(rng.randint(1950, 2012), rng.randint(1, 12), rng.randint(1, 28))
            rel = rng.choice(("10", "20", "30")) if not male else rng.choice(("10", "20"))
            members.append((head[0] + "".join(rng.choice(GIVEN) for _ in range(2)) if rel != "10"
                            else _name(rng), rel, "1" if male else "2", _id_number(rng, male, mborn)))
        cbf.append({"CBFBM": cbfbm, "CBFLX": "1", "CBFMC": head, "CBFZJLX": "1", "CBFZJHM": hid,
                    "CBFDZ": "衡东县城关镇%s号" % cbfbm[-4:], "YZBM": "421400",
                    "LXDH": "139%08d" % rng.randint(0, 99999999), "CBFCYSL": len(members),
                    "CBFDCRQ": "2023-06-01", "CBFDCY": "李调查"})
        for name, rel, sex, idn in members:
            jtcy.append({"CBFBM": cbfbm, "CYXM": name, "CYXB": sex, "CYZJLX": "1", "CYZJHM": idn,
                         "YHZGX": rel, "SFGYR": "1"})
        houses.append({"cbfbm": cbfbm, "plots": []})
    for i, p in enumerate(contracted):
        houses[min(i // 3, n_house - 1)]["plots"].append(p[0])
    owner = {d: h["cbfbm"] for h in houses for d in h["plots"]}
    names = {r["CBFBM"]: r["CBFMC"] for r in cbf}
    for dkbm, poly, dklb in plots:
        area = round(poly.area, 2)
        rows_dk.append({"BSM": len(rows_dk) + 1, "YSDM": "211011", "DKBM": dkbm,
                        "DKMC": rng.choice(FIELD_NAMES), "SYQXZ": "31", "DKLB": dklb,
                        "TDLYLX": "011", "DLDJ": "05", "TDYT": "1", "SFJBNT": "1",
                        "SCMJ": area, "SCMJM": float(m2_to_mu(area)),
                        "DKDZ": "", "DKNZ": "机耕路", "DKXZ": "", "DKBZ": "田埂",
                        "DKBZXX": "", "ZJRXM": names.get(owner.get(dkbm), ""), "KJZB": ""})
        geoms_dk.append(shapely.MultiPolygon([poly]))
    # 四至 from the left/right neighbours in the row
    by_key = {r["DKBM"]: (r, g.geoms[0]) for r, g in zip(rows_dk[-len(plots):], geoms_dk[-len(plots):])}
    for r, g in by_key.values():
        for other, og in by_key.values():
            if other is r:
                continue
            if not g.touches(og) or g.boundary.intersection(og.boundary).length <= 1:
                continue
            if True:
                nm = names.get(owner.get(other["DKBM"]), "机动地")
                if abs(og.centroid.x - g.centroid.x) > abs(og.centroid.y - g.centroid.y):
                    r["DKDZ" if og.centroid.x > g.centroid.x else "DKXZ"] = nm
                elif og.centroid.y > g.centroid.y:
                    r["DKBZ"] = nm
        r["DKDZ"] = r["DKDZ"] or "田埂"
        r["DKXZ"] = r["DKXZ"] or "田埂"
    for h in houses:
        cbhtbm = h["cbfbm"] + "J"
        total = 0.0
        for dkbm in h["plots"]:
            area = by_key[dkbm][0]["SCMJ"]
            yht = round(area * rng.choice((0.92, 0.97, 1.0, 1.0, 1.18)), 2)
            total += area
            cbdkxx.append({"DKBM": dkbm, "FBFBM": code, "CBFBM": h["cbfbm"],
                           "CBJYQQDFS": "110", "HTMJ": area, "CBHTBM": cbhtbm,
                           "CBJYQZBM": cbhtbm, "YHTMJ": yht, "HTMJM": float(m2_to_mu(area)),
                           "YHTMJM": float(m2_to_mu(yht))})
        total = round(total, 2)
        cbht.append({"CBHTBM": cbhtbm, "FBFBM": code, "CBFBM": h["cbfbm"], "CBFS": "110",
                     "CBQXQ": "1998-10-01", "CBQXZ": "2028-09-30", "HTZMJ": total,
                     "CBDKZS": len(h["plots"]), "QDSJ": today.isoformat(),
                     "HTZMJM": float(m2_to_mu(total))})
