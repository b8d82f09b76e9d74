"""The daily 错误清单 / 缺失清单 workbooks, read back with openpyxl; quequan:dailylists."""
import os
import sys

import pytest
from openpyxl import load_workbook

sys.path.insert(0, os.path.dirname(__file__))
import attr_helpers as h  # noqa: E402

from quequan.checks import persistence  # noqa: E402
from quequan.core.township_db import TownshipDB  # noqa: E402
from quequan.export.daily_lists import (ERROR_HEADERS, MISSING_HEADERS,  # noqa: E402
                                        write_daily_lists)

G1, G2, V = h.G1, h.G2, h.VILLAGE
V205 = h.TOWN + "205"
N1 = V205 + "01"
RULES = ["A01", "A07", "A08", "A09", "A13", "A15", "X02", "X03"]
DUP = h.id18("19920202", "222")


def _defects(data, geoms):
    from shapely.geometry import box
    # village 205 (南村) with one group and a household
    data["CJQY"].append({"BSM": 11, "YSDM": "162030", "CJQYDM": V205, "CJQYMC": "南村"})
    geoms["CJQY"].append(box(39600000, 4000000, 39601000, 4001000))
    h.add_fbf(data, N1, "南一组")
    h.add_contracted(data, geoms, N1, 1, "韩一", [500.0], 1)
    # 错误清单 rules: A15 ×2 in 204, A07 in 205; 缺失清单: A13, A08, X02, A09 across villages
    h.find(data, "DK", DKBM=G1 + "00002")["DKMC"] = "东洼地 "
    h.find(data, "DK", DKBM=G2 + "00001")["DKMC"] = "南 坡"
    h.find(data, "CBF_JTCY", CYXM="韩一")["CYZJHM"] = "370832197001010620"   # bad check digit
    h.find(data, "DK", DKBM=G1 + "00001").update(DKNZ=None, DKBZ=None)
    h.find(data, "CBF_JTCY", CYXM="刘芳")["CYZJHM"] = ""
    h.add_plot(data, geoms, G2 + "00050")
    for cbfbm in (G1 + "0001", N1 + "0001"):
        data["CBF_JTCY"].append({"CBFBM": cbfbm, "CYXM": "王小红", "CYXB": "2", "CYZJLX": "1",
                                 "CYZJHM": DUP, "YHZGX": "30"})
    h.find(data, "CBF", CBFBM=G1 + "0001")["CBFCYSL"] = 4
    h.find(data, "CBF", CBFBM=N1 + "0001")["CBFCYSL"] = 2


def _check(path):
    res = h.run(path, RULES)
    with TownshipDB(path) as db:
        return persistence.store_run(db, res)


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    d = tmp_path_factory.mktemp("lists")
    path = h.build(str(d / "t.gpkg"), _defects)
    _check(path)
    errs = {(r["rule"], r["key"]): r for r in _current(path)}
    with TownshipDB(path) as db:     # accept one A15 in 204
        persistence.accept(db, errs[("A15", G2 + "00001")]["fingerprint"], "村民习惯写法", "甲")
        db.update("DK", "DKBM", G1 + "00002", {"DKMC": "东洼地"})          # fix the other A15
        db.update("DK", "DKBM", G1 + "00003", {"DKMC": "北 洼"})           # a new A15
    summary = _check(path)
    out = str(d / "out")
    paths = write_daily_lists(path, out)
    return path, out, paths, summary


def _current(path):
    with TownshipDB(path) as db:
        return persistence.current_errors(db, states=None)


def _rows(ws, first=3):
    return [[c for c in r] for r in ws.iter_rows(min_row=first, values_only=True)]


def test_file_names_follow_town_and_day(lists):
    _path, out, (err, mis), _s = lists
    day = _day(lists[0])
    assert os.path.basename(err) == "错误清单_某镇_%s.xlsx" % day
    assert os.path.basename(mis) == "缺失清单_某镇_%s.xlsx" % day
    assert sorted(os.listdir(out)) == sorted([os.path.basename(err), os.path.basename(mis)])


def _day(path):
    with TownshipDB(path) as db:
        return persistence.runs(db)[-1]["started"][:10].replace("-", "")


def test_error_list_sheets_headers_and_layout(lists):
    wb = load_workbook(lists[2][0])
    assert wb.sheetnames == ["汇总", "某村", "南村"]
    ws = wb["某村"]
    assert [c.value for c in ws[2]] == list(ERROR_HEADERS)
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.column_dimensions["H"].width > ws.column_dimensions["A"].width


def test_error_list_records(lists):
    wb = load_workbook(lists[2][0])
    rows = _rows(wb["某村"])
    # open records only: the duplicate ID and the new A15 in group 01; accepted and fixed
    # ones are left out
    assert [(r[3], r[5]) for r in rows] == [("A09 身份证号码重复", DUP),
                                            ("A15 含多余空格", G1 + "00003")]
    r = rows[1]
    assert r[0] == 2 and r[1] == "某村" and r[2] == "一组" and r[4] == "警告"
    assert r[6] == "北 洼" and r[9] == "未处理" and "多余空格" in r[7]
    south = _rows(wb["南村"])
    assert [(x[3][:3], x[5]) for x in south] == [("A07", N1 + "0001"), ("A09", DUP)]
    assert rows[0][7] == south[1][7]          # one duplicate, listed in both villages


def test_error_list_summary_counts(lists):
    ws = load_workbook(lists[2][0])["汇总"]
    rows = {r[1]: r for r in _rows(ws) if r[1]}
    # 204: A15 fixed (东洼地); still: A15 accepted, A09; new: A15 (北 洼)
    # columns: 村, 新增, 已修正, 仍存在, 未处理错误, 未处理警告, 已接受
    assert list(rows[V][2:]) == ["某村", 1, 1, 2, 1, 1, 1]
    assert list(rows[V205][2:]) == ["南村", 0, 0, 2, 2, 0, 0]     # A07, A09
    total = _rows(ws)[-1]
    assert total[2] == "合计" and list(total[3:6]) == [1, 1, 4]


def test_missing_list_sections(lists):
    wb = load_workbook(lists[2][1])
    assert wb.sheetnames == ["某村", "南村"]
    ws = wb["某村"]
    assert [c.value for c in ws[2]] == list(MISSING_HEADERS)
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape"
    rows = _rows(ws)
    titles = [r[0] for r in rows if isinstance(r[0], str)]
    assert titles == ["一、证件号码缺失（A08）共 1 条", "二、身份证号码重复（A09）共 1 条",
                      "三、承包地块无承包信息（X02）共 1 条", "四、四至缺失（A13）共 1 条"]
    assert any(str(m).startswith("A3:") for m in ws.merged_cells.ranges)
    body = [r for r in rows if isinstance(r[0], int)]
    a08 = body[0]
    assert a08[1] == "一组" and a08[2] == G1 + "0002" and a08[3] == "张三" and a08[4] == "刘芳"
    a09 = body[1]
    assert a09[2] == G1 + "0001" and a09[3] == "王大明" and a09[4] == "王小红" and a09[5] == DUP
    a13 = body[3]
    assert a13[2] == G1 + "00001" and "王大明" in a13[3]
    south = _rows(wb["南村"])
    assert south[0][0] == "一、身份证号码重复（A09）共 1 条"
    assert south[1][2] == N1 + "0001" and south[1][3] == "韩一"


def test_accepted_on_request(lists, tmp_path):
    path = lists[0]
    err, _mis = write_daily_lists(path, str(tmp_path), include_accepted=True)
    rows = _rows(load_workbook(err)["某村"])
    states = {(r[5], r[9]) for r in rows}
    assert (G2 + "00001", "已接受") in states and (G1 + "00003", "未处理") in states
    err, _mis = write_daily_lists(path, str(tmp_path), include_fixed=True)
    states = {(r[5], r[9]) for r in _rows(load_workbook(err)["某村"])}
    assert (G1 + "00002", "已修正") in states


def test_older_run_and_errors(lists, tmp_path):
    path = lists[0]
    with TownshipDB(path) as db:
        first = persistence.runs(db)[0]["run_id"]
    err, _ = write_daily_lists(path, str(tmp_path), run_id=first)
    rows = _rows(load_workbook(err)["某村"])
    # the first run found A15 on 00002 (fixed since: left out) and on G2 00001 (accepted since)
    assert {r[5] for r in rows} == {DUP}
    with pytest.raises(ValueError, match="找不到检查记录"):
        write_daily_lists(path, str(tmp_path), run_id="nope")


def test_no_run_yet(empty_db, tmp_path):
    with pytest.raises(ValueError, match="请先运行数据自查"):
        write_daily_lists(empty_db, str(tmp_path))


def test_dailylists_algorithm(provider, lists, tmp_path):
    import processing
    res = processing.run("quequan:dailylists", {
        "DATABASE": lists[0], "OUTPUT_FOLDER": str(tmp_path / "alg"),
        "INCLUDE_ACCEPTED": True, "INCLUDE_FIXED": False})
    assert os.path.basename(res["ERROR_LIST"]).startswith("错误清单_某镇_")
    assert os.path.exists(res["ERROR_LIST"]) and os.path.exists(res["MISSING_LIST"])
    rows = _rows(load_workbook(res["ERROR_LIST"])["某村"])
    assert {r[9] for r in rows} == {"未处理", "已接受"}
