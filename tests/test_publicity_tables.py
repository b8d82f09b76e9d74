"""公示表, 归户表, 公告 and 声明书 through quequan:publicitytables, read back from xlsx and PDF."""
import os
import re
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from qgis.core import QgsProcessingException

from quequan.core.codes import m2_to_mu
from quequan.core.publicity.sample import build_sample
from quequan.core.township_db import TownshipDB

G1, G2 = "43042410020101", "43042410020102"
FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")
HEADERS_1 = ["序号", "承包方(代表)", "地块总体情况", None, "地块具体情况", None, None, None, None, None,
             None, None, "公示备注"]
HEADERS_2 = [None, None, "合同面积", "实测面积", "地块名称", "地块编码", "东至", "南至", "西至", "北至",
             "合同面积", "实测面积", None]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("pub") / "sample.gpkg")
    build_sample(path, groups=2, plots_per_group=40, seed=5)
    return path


# Qt writes the PDF ToUnicode map from the font's cmap, where a CJK glyph may also be a
# radical (⼀ U+2F00 for 一, ⻚ for 页): NFKC folds the Kangxi radicals, this the others.
RADICALS = str.maketrans("⺠⻅⻓⻢⻩⻚⻋⻔⻄⻝⻥⻦⻬⻰⻜⻛⻉⻊⻨⻮⻯⻳戶", "民见长马黄页车门西食鱼鸟齐龙飞风贝足麦韦齿辶户")


def N(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True).stdout
    return N(out.decode("utf-8"))


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", path], capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def db_rows(path, sql, params=()):
    with TownshipDB(path) as db:
        return db.conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def tables(provider, sample, tmp_path_factory):
    import processing
    out = str(tmp_path_factory.mktemp("out"))
    res = processing.run("quequan:publicitytables", {
        "DATABASE": sample, "UNITS": "", "ROUND": 0, "START": "2024-05-01", "END": "2024-05-07",
        "OUTPUT_FOLDER": out, "MAKER": "张制表", "REVIEWER": "李审核"})
    return out, res


def folder(out, code):
    return next(os.path.join(out, d) for d in os.listdir(out) if d.startswith(code))


def test_every_document_of_every_group_is_written(tables):
    out, res = tables
    for code in (G1, G2):
        names = sorted(os.listdir(folder(out, code)))
        assert names == ["公示公告_一轮公示.pdf", "公示无异议声明书.pdf", "公示结果归户表.pdf",
                         "公示结果归户表.xlsx", "调查信息公示表_一轮公示.pdf", "调查信息公示表_一轮公示.xlsx"]
    assert len(res["FILES"]) == 12 and all(os.path.exists(f) for f in res["FILES"])


def test_table_xlsx_has_the_form_of_documents_md(tables, sample):
    out, _ = tables
    wb = load_workbook(os.path.join(folder(out, G1), "调查信息公示表_一轮公示.xlsx"))
    ws = wb.worksheets[0]
    assert ws.title == "新塘村一组"
    assert ws["A1"].value == "农村土地承包经营权调查信息公示表"
    line = [c.value for c in ws[3] if c.value]
    assert line == ["发包方：新塘村一组", "公示日期：2024年05月01日至2024年05月07日（共 7 天）", "面积单位：亩"]
    assert [c.value for c in ws[4]] == HEADERS_1
    assert [c.value for c in ws[5]] == HEADERS_2
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:D4", "E4:L4", "M4:M5"} <= merged
    assert ws.print_title_rows.replace("$", "") == "4:5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1

    # body: households by CBFBM, A–D merged over each household's plot rows
    households = db_rows(sample, "SELECT CBFBM, CBFMC FROM CBF WHERE CBFBM LIKE ? AND CBFLX='1' "
                                 "ORDER BY CBFBM", (G1 + "%",))
    plots = db_rows(sample, "SELECT x.CBFBM, d.DKBM, x.YHTMJM, d.SCMJM FROM CBDKXX x JOIN DK d "
                            "ON d.DKBM=x.DKBM WHERE x.DKBM LIKE ? AND d.DKLB='10' ORDER BY x.CBFBM, "
                            "d.DKBM", (G1 + "%",))
    row = 6
    for cbfbm, name in households:
        own = [p for p in plots if p[0] == cbfbm]
        assert ws.cell(row, 1).value == cbfbm[14:18] and ws.cell(row, 2).value == name
        k = sum(Decimal(str(p[2])) for p in own)
        assert ws.cell(row, 3).value == "合计：%d块 %.2f亩" % (len(own), k)
        if len(own) > 1:
            assert "A%d:A%d" % (row, row + len(own) - 1) in merged
            assert "D%d:D%d" % (row, row + len(own) - 1) in merged
        assert [ws.cell(row + i, 6).value for i in range(len(own))] == [p[1] for p in own]
        row += len(own)
    total = [c.value for c in ws[row]]
    assert total[0] == "合计" and total[1] == "%d户" % len(households)
    assert total[5] == "%d块" % len(plots)
    assert Decimal(str(total[10])).quantize(Decimal("0.01")) == sum(Decimal(str(p[2])) for p in plots)
    assert Decimal(str(total[11])).quantize(Decimal("0.01")) == sum(Decimal(str(p[3])) for p in plots)
    footer = " ".join(str(c.value) for c in ws[row + 2] if c.value)
    assert "制表人：张制表" in footer and "审核人：李审核" in footer and "制表日期：" in footer


def test_table_pdf_repeats_the_form_and_masks_nothing_it_should_not_show(tables, sample):
    out, _ = tables
    path = os.path.join(folder(out, G1), "调查信息公示表_一轮公示.pdf")
    text = pdf_text(path)
    assert N("农村土地承包经营权调查信息公示表") in text and N("（第一轮公示）") in text
    assert N("发包方：新塘村一组") in text and N("面积单位：亩") in text and N("（共 7 天）") in text
    for (dkbm,) in db_rows(sample, "SELECT DKBM FROM DK WHERE DKBM LIKE ? AND DKLB='10'", (G1 + "%",)):
        assert dkbm in text
    assert N("合计") in text and N("制表人：张制表") in text
    assert not FULL_ID.search(text.replace(" ", ""))
    pages = pdf_pages(path)
    assert pages >= 2
    # the two-level header is on every page
    assert text.count(N("地块具体情况")) == pages
    fonts = subprocess.run(["pdffonts", path], capture_output=True).stdout.decode()
    assert "CJK" in fonts and " yes " in fonts     # embedded


def test_household_sheets_carry_full_ids_and_one_page_each(tables, sample):
    out, _ = tables
    households = db_rows(sample, "SELECT CBFBM, CBFMC, CBFZJHM FROM CBF WHERE CBFBM LIKE ? "
                                 "ORDER BY CBFBM", (G1 + "%",))
    path = os.path.join(folder(out, G1), "公示结果归户表.pdf")
    text = pdf_text(path).replace(" ", "")
    assert pdf_pages(path) == len(households)
    assert text.count(N("农村土地承包经营权公示结果归户表")) == len(households)
    members = db_rows(sample, "SELECT CYZJHM FROM CBF_JTCY WHERE CBFBM LIKE ?", (G1 + "%",))
    for cbfbm, name, idn in households:
        assert idn in text and N(name) in text
    assert all(m[0] in text for m in members)
    assert N("■家庭承包") in text and N("■身份证") in text
    wb = load_workbook(os.path.join(folder(out, G1), "公示结果归户表.xlsx"))
    assert len(wb.sheetnames) == len(households)
    ws = wb.worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert households[0][2] in values and "承包地块情况（面积单位：亩）" in values


def test_notice_and_declarations(tables, sample):
    out, _ = tables
    notice = pdf_text(os.path.join(folder(out, G1), "公示公告_一轮公示.pdf")).replace(" ", "")
    n_hh = len(db_rows(sample, "SELECT 1 FROM CBF WHERE CBFBM LIKE ? AND CBFLX='1'", (G1 + "%",)))
    n_plots = len(db_rows(sample, "SELECT 1 FROM DK WHERE DKBM LIKE ? AND DKLB='10'", (G1 + "%",)))
    area = sum(Decimal(str(r[0])) for r in db_rows(
        sample, "SELECT x.YHTMJM FROM CBDKXX x JOIN DK d ON d.DKBM=x.DKBM WHERE x.DKBM LIKE ? "
                "AND d.DKLB='10'", (G1 + "%",)))
    assert N("新塘村一组农村土地承包经营权调查结果公示公告") in notice
    assert N("承包农户%d户" % n_hh) in notice and N("承包地块%d块" % n_plots) in notice
    assert N("合同面积%.2f亩" % area) in notice
    assert N("2024年05月01日至2024年05月07日（共7天）") in notice
    assert not FULL_ID.search(notice)
    decl_path = os.path.join(folder(out, G1), "公示无异议声明书.pdf")
    decl = pdf_text(decl_path).replace(" ", "")
    assert pdf_pages(decl_path) == n_hh and decl.count(N("公示无异议声明书")) == n_hh
    for (idn,) in db_rows(sample, "SELECT CBFZJHM FROM CBF WHERE CBFBM LIKE ?", (G1 + "%",)):
        assert idn in decl


def test_round_is_recorded(tables, sample):
    rows = db_rows(sample, "SELECT unit_code, round, start_date, end_date, status FROM qq_publicity "
                           "ORDER BY unit_code")
    assert rows == [(G1, 1, "2024-05-01", "2024-05-07", "posted"),
                    (G2, 1, "2024-05-01", "2024-05-07", "posted")]


def test_members_variant_masks_ids(sample, qgis_app, tmp_path):
    from quequan.core.publicity.data import load_units
    from quequan.core.publicity.settings import PublicitySettings
    from quequan.core.publicity.table_rows import build_table
    from quequan.export.publicity.fonts import pick_font
    from quequan.export.publicity.publicity_table import write_table_pdf, write_table_xlsx
    with TownshipDB(sample) as db:
        unit = load_units(db, [G1])[0]
    table = build_table(unit, PublicitySettings(), 2, "2024-06-01", "2024-06-07", members=True)
    assert [c[2] or c[1] for c in table.columns][13:] == ["成员个数", "成员姓名", "家庭关系", "身份证号码",
                                                          "签字人按印"]
    write_table_xlsx(str(tmp_path / "m.xlsx"), table)
    write_table_pdf(str(tmp_path / "m.pdf"), table, pick_font())
    text = pdf_text(str(tmp_path / "m.pdf")).replace(" ", "")
    ids = [r[0] for r in db_rows(sample, "SELECT CYZJHM FROM CBF_JTCY WHERE CBFBM LIKE ?", (G1 + "%",))]
    assert not FULL_ID.search(text)
    assert all(i[:6] + "********" + i[-4:] in text for i in ids)
    ws = load_workbook(str(tmp_path / "m.xlsx")).worksheets[0]
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert not FULL_ID.search(cells) and ids[0][:6] + "********" + ids[0][-4:] in cells
    # masking off: full numbers
    plain = PublicitySettings()
    plain.masking = {k: False for k in plain.masking}
    table = build_table(unit, plain, 2, members=True)
    assert ids[0] in table.blocks[0].member_cells[3]


def test_blocked_group_is_skipped_unless_overridden(provider, tmp_path):
    import processing
    path = str(tmp_path / "blocked.gpkg")
    build_sample(path, groups=2, plots_per_group=14, seed=8)
    with TownshipDB(path) as db:
        db.conn.execute("DELETE FROM CBDKXX WHERE DKBM=?", (G2 + "00003",))
    res = processing.run("quequan:publicitytables", {
        "DATABASE": path, "ROUND": 0, "DOCUMENTS": [0], "OUTPUT_FOLDER": str(tmp_path / "a")})
    made = sorted(os.listdir(tmp_path / "a"))
    assert len(made) == 1 and made[0].startswith(G1)
    assert all(G2 not in f for f in res["FILES"])
    processing.run("quequan:publicitytables", {
        "DATABASE": path, "ROUND": 0, "DOCUMENTS": [0], "OUTPUT_FOLDER": str(tmp_path / "b"),
        "OVERRIDE": "该地块承包方待定，先行公示"})
    assert len(os.listdir(tmp_path / "b")) == 2
    row = db_rows(path, "SELECT override_reason, override_conditions FROM qq_publicity WHERE unit_code=?",
                  (G2,))
    assert row[0][0] == "该地块承包方待定，先行公示" and G2 + "00003" in row[0][1]


def test_bad_unit_code_is_refused(provider, sample, tmp_path):
    import processing
    with pytest.raises(QgsProcessingException):
        processing.run("quequan:publicitytables", {"DATABASE": sample, "UNITS": "4304x",
                                                   "OUTPUT_FOLDER": str(tmp_path)})


def test_mu_helper_agrees_with_sample():
    assert m2_to_mu(1670.0) == Decimal("2.51")
