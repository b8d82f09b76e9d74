"""公示图: label plan (core), page choice, and the rendered sheets read back (PDF, PNG, QGIS labels)."""
import os
import re
import subprocess
import unicodedata

import pytest
import shapely

from quequan.core.publicity.labels import (CALLOUT, IN_PLOT, NUMBER, NUMBER_CALLOUT, LabelSpec,
                                           plan_labels)
from quequan.core.publicity.map_plan import choose_page, frame_for, nice_scale, scale_for
from quequan.core.publicity.sample import build_sample
from quequan.core.township_db import TownshipDB, create_database

G1 = "43042410020101"
FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")
RADICALS = str.maketrans("⺠⻅⻓⻢⻩⻚⻋⻔⻄⻝⻥⻦⻬⻰⻜⻛⻉⻊⻨⻮⻯⻳戶", "民见长马黄页车门西食鱼鸟齐龙飞风贝足麦韦齿辶户")


def N(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True).stdout
    return N(out.decode("utf-8"))


def pdf_info(path):
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", path], capture_output=True,
                         check=True).stdout.decode()
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return pages, [(round(float(w) / 72 * 25.4), round(float(h) / 72 * 25.4)) for w, h in sizes]


# --- core: label plan and page choice ------------------------------------------------------

def _spec(key, geom, name="王建国"):
    return LabelSpec(key, geom, (name, key[-5:], "1.23"))


def test_big_plots_are_labelled_inside_and_small_ones_outside_or_numbered():
    specs = [_spec("A%05d" % i, shapely.box(i * 40, 0, i * 40 + 40, 40)) for i in range(5)]
    specs.append(_spec("B00001", shapely.box(210, 0, 213, 3)))            # 9 m²
    specs.append(_spec("B00002", shapely.box(0, 40, 120, 44)))            # 4 m × 120 m strip
    plan = plan_labels(specs, 1000, (-50, -80, 250, 160))
    modes = {p.key: p for p in plan.labels}
    assert all(modes["A%05d" % i].mode in IN_PLOT for i in range(5))
    assert modes["B00001"].mode in (CALLOUT, NUMBER_CALLOUT) and modes["B00001"].leader
    strip = modes["B00002"]
    assert strip.mode in IN_PLOT and strip.angle == 0 and len(strip.lines) == 1
    assert plan.overlaps() == []
    assert sorted(p.key for p in plan.labels) == sorted(s.key for s in specs)
    # deterministic
    again = plan_labels(list(reversed(specs)), 1000, (-50, -80, 250, 160))
    assert [(p.key, p.mode, round(p.x, 6), round(p.y, 6)) for p in again.labels] == \
        [(p.key, p.mode, round(p.x, 6), round(p.y, 6)) for p in plan.labels]


def test_turned_strip_gets_a_turned_label():
    strip = shapely.affinity.rotate(shapely.box(0, 0, 100, 5), 30, origin=(0, 0))
    plan = plan_labels([_spec("S00001", strip)], 500, (-100, -100, 200, 200))
    lab = plan.labels[0]
    assert lab.mode in IN_PLOT and abs(lab.angle - 30) < 1
    assert strip.contains(lab.box)


def test_crowded_tiny_plots_get_numbers_without_overlaps():
    specs = [_spec("T%05d" % i, shapely.box((i % 6) * 3, (i // 6) * 3, (i % 6) * 3 + 2.5,
                                            (i // 6) * 3 + 2.5)) for i in range(24)]
    plan = plan_labels(specs, 2000, (-300, -300, 300, 300))
    numbered = plan.numbered
    assert numbered and [p.number for p in numbered] == list(range(1, len(numbered) + 1))
    assert all(p.mode in (NUMBER, NUMBER_CALLOUT) and not p.forced for p in numbered)
    assert plan.overlaps() == []
    assert len(plan.labels) == 24


def test_page_choice_follows_the_shape():
    assert nice_scale(1310) == 1500 and nice_scale(1000) == 1000 and nice_scale(2001) == 2500
    wide, tall = (0, 0, 900, 300), (0, 0, 300, 900)

    def share(frame, scale, extent, final=False):
        return 1.0, None
    assert choose_page(wide, share).frame.orientation == "landscape"
    assert choose_page(tall, share).frame.orientation == "portrait"
    ch = choose_page(wide, share)
    assert ch.frame.paper == "A3" and ch.scale == scale_for(wide, frame_for("A3", "landscape"))
    # the map frame holds the unit at that scale
    ex = ch.extent
    assert ex[0] <= 0 and ex[2] >= 900 and ex[1] <= 0 and ex[3] >= 300

    def legible_from_a1(frame, scale, extent, final=False):
        return (1.0 if frame.paper in ("A1", "A0") else 0.5), None
    assert choose_page(wide, legible_from_a1).frame.paper == "A1"
    assert choose_page(wide, legible_from_a1, paper="A2").frame.paper == "A2"
    assert choose_page(wide, share, orientation="portrait").frame.orientation == "portrait"


# --- rendered sheets -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("maps") / "sample.gpkg")
    build_sample(path, groups=3, plots_per_group=24, seed=2)
    return path


@pytest.fixture(scope="module")
def maps(provider, sample, tmp_path_factory):
    import processing
    out = str(tmp_path_factory.mktemp("out"))
    res = processing.run("quequan:publicitymaps", {
        "DATABASE": sample, "ROUND": 1, "PAGE_SIZE": 0, "ORIENTATION": 0, "MERGED": True,
        "PNG": True, "OUTPUT_FOLDER": out, "MAKER": "张制图", "REVIEWER": "李审核"})
    return out, res


def test_one_sheet_per_group_and_a_merged_pdf(maps):
    out, res = maps
    assert res["MAPS"] == 3
    pdfs = sorted(f for f in res["FILES"] if f.endswith(".pdf") and "合并" not in f)
    assert len(pdfs) == 3 and all(os.path.basename(p) == "地块分布图_二轮公示.pdf" for p in pdfs)
    sizes = []
    for p in pdfs:
        pages, page_sizes = pdf_info(p)
        assert pages == 1
        sizes += page_sizes
    pages, merged_sizes = pdf_info(res["MERGED"])
    assert pages == 3 and merged_sizes == sizes
    assert all(s in ((420, 297), (297, 420), (594, 420), (420, 594)) for s in sizes)
    pngs = [f for f in res["FILES"] if f.endswith(".png")]
    assert len(pngs) == 3 and all(os.path.getsize(f) > 10000 for f in pngs)


def test_sheet_text_title_elements_and_no_id_numbers(maps, sample):
    out, res = maps
    path = next(f for f in res["FILES"] if G1 in f and f.endswith(".pdf"))
    text = pdf_text(path)
    flat = text.replace(" ", "").replace("\n", "")
    assert N("城关镇新塘村一组农村土地承包经营权地块分布图（公示图）") in flat
    for item in ("（第二轮公示）", "图例", "比例尺：1:", "面积单位：亩", "2000国家大地坐标系", "制图人：张制图",
                 "审核人：李审核", "制图单位：城关镇人民政府", "米"):
        assert N(item) in flat, item
    with TownshipDB(sample) as db:
        names = [r[0] for r in db.conn.execute(
            "SELECT DISTINCT f.CBFMC FROM CBDKXX x JOIN CBF f ON f.CBFBM=x.CBFBM WHERE x.DKBM LIKE ?",
            (G1 + "%",))]
        codes = [r[0] for r in db.conn.execute("SELECT DKBM FROM DK WHERE DKBM LIKE ?", (G1 + "%",))]
    assert all(N(n) in flat for n in names)
    assert all(c[-5:] in flat for c in codes)
    assert not FULL_ID.search(flat)
    fonts = subprocess.run(["pdffonts", path], capture_output=True).stdout.decode()
    assert "CJK" in fonts and " yes " in fonts


def _overlap(a, b) -> float:
    import numpy as np
    with np.errstate(invalid="ignore"):      # GEOS warns on boxes that only touch
        return a.intersection(b).area


def _map_job(db_path, out, units, page="auto"):
    from quequan.core.publicity.settings import PublicitySettings
    from quequan.export.publicity.fonts import pick_font
    from quequan.export.publicity.jobs import PublicityJob, PublicityRequest
    s = PublicitySettings(maker="张制图", reviewer="李审核", page_size=page)
    job = PublicityJob(PublicityRequest(db_path, out, ["map"], 1, units, settings=s, family=pick_font()))
    return job.run()


def test_every_plot_is_labelled_by_qgis_and_labels_do_not_overlap(qgis_app, sample, tmp_path):
    report = _map_job(sample, str(tmp_path), [G1])
    (res,) = report.maps
    with TownshipDB(sample) as db:
        codes = sorted(r[0] for r in db.conn.execute("SELECT DKBM FROM DK WHERE DKBM LIKE ?", (G1 + "%",)))
    assert sorted(res.placed) == codes and res.unplaced == []
    for code in codes:
        assert code[-5:] in res.placed[code] or res.placed[code].isdigit()
    # the tiny plot of group 01 is labelled with a leader, the 4 m strip along its axis
    assert res.modes.get("callout", 0) + res.modes.get("number_callout", 0) >= 1
    boxes = [(k, shapely.from_wkt(w)) for k, w in res.label_geoms]
    assert len(boxes) == len(codes)
    for i, (ka, a) in enumerate(boxes):
        for kb, b in boxes[i + 1:]:
            assert _overlap(a, b) < 1e-3 * min(a.area, b.area), (ka, kb)


def _crowded_db(path):
    """One group: two big plots far apart and 24 tiny plots between them."""
    create_database(path, 4526)
    x0, y0 = 38500000.0, 3000000.0
    code = G1
    rows, geoms, cbdkxx = [], [], []
    shapes = [shapely.box(x0, y0, x0 + 60, y0 + 60), shapely.box(x0 + 600, y0, x0 + 660, y0 + 60)]
    shapes += [shapely.box(x0 + 300 + (i % 6) * 3, y0 + (i // 6) * 3, x0 + 302.5 + (i % 6) * 3,
                           y0 + 2.5 + (i // 6) * 3) for i in range(24)]
    for i, g in enumerate(shapes, 1):
        dkbm = "%s%05d" % (code, i)
        rows.append({"BSM": i, "YSDM": "211011", "DKBM": dkbm, "DKMC": "丘", "DKLB": "10",
                     "SCMJ": round(g.area, 2)})
        geoms.append(shapely.MultiPolygon([g]))
        cbdkxx.append({"DKBM": dkbm, "FBFBM": code, "CBFBM": code + "0001", "HTMJ": round(g.area, 2)})
    with TownshipDB(path) as db, db.transaction():
        db.insert("DK", rows, geoms)
        db.insert("CBDKXX", cbdkxx)
        db.insert("CBF", [{"CBFBM": code + "0001", "CBFLX": "1", "CBFMC": "赵大"}])
        db.insert("FBF", [{"FBFBM": code, "FBFMC": "新塘村一组"}])
    return path


def test_crowded_plots_are_numbered_and_listed_on_the_sheet(qgis_app, tmp_path):
    path = _crowded_db(str(tmp_path / "crowded.gpkg"))
    report = _map_job(path, str(tmp_path / "out"), [G1], page="A3")
    (res,) = report.maps
    assert res.paper.startswith("A3") and res.numbered
    assert len(res.placed) == 26 and res.unplaced == []
    text = pdf_text(res.pdf).replace(" ", "")
    assert N("地块编号表") in text
    for number, key in res.numbered:
        assert res.placed[key] == str(number)
    # the key table lists each number with its plot code tail
    assert all(key[-5:] in text for _, key in res.numbered)
    boxes = [shapely.from_wkt(w) for _, w in res.label_geoms]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert _overlap(a, b) < 1e-3 * min(a.area, b.area)


def _orthophoto(path, db_path):
    """A small RGB GeoTIFF covering the township, standing in for a DOM."""
    import numpy as np
    from osgeo import gdal, osr
    with TownshipDB(db_path) as db:
        x0, y0, x1, y1 = shapely.total_bounds(
            [shapely.from_wkb(w) for w in db.read_geometries("DK")[1] if w])
    w, h = 200, 120
    ds = gdal.GetDriverByName("GTiff").Create(path, w, h, 3, gdal.GDT_Byte)
    ds.SetGeoTransform((x0 - 50, (x1 - x0 + 100) / w, 0, y1 + 50, 0, -(y1 - y0 + 100) / h))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4526)
    ds.SetProjection(srs.ExportToWkt())
    grad = np.add.outer(np.arange(h), np.arange(w)).astype("uint8")
    for b, arr in enumerate((grad, 255 - grad, np.full((h, w), 120, "uint8")), 1):
        ds.GetRasterBand(b).WriteArray(arr)
    ds = None
    return path


def test_base_image_is_drawn_under_the_plots(provider, sample, tmp_path):
    import processing
    image = _orthophoto(str(tmp_path / "dom.tif"), sample)
    res = processing.run("quequan:publicitymaps", {
        "DATABASE": sample, "UNITS": G1, "ROUND": 0, "BASE_IMAGE": image,
        "OUTPUT_FOLDER": str(tmp_path / "out")})
    (pdf,) = [f for f in res["FILES"] if f.endswith(".pdf")]
    images = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, check=True).stdout.decode()
    assert len(images.strip().splitlines()) >= 3          # header lines + the orthophoto
    text = pdf_text(pdf).replace(" ", "").replace("\n", "")
    assert N("底图：正射影像（dom.tif）") in text
