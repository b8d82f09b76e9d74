"""Reading the village/group list (村组名单): xlsx, GBK and UTF-8 csv, numeric codes, bad rows."""
import pytest

from quequan.core.admin_list import code_text, fbf_code, read_admin_list

V = "370832110204"


def _xlsx(path, rows):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return str(path)


def _csv(path, text, encoding):
    path.write_bytes(text.encode(encoding))
    return str(path)


def by_code(units):
    return {u["code"]: u for u in units}


def test_xlsx_chinese_header_numeric_codes(tmp_path):
    path = _xlsx(tmp_path / "list.xlsx", [
        ["某镇村组名单"],                               # a title row above the header
        ["单位代码", "单位名称", "级别"],
        [370832110, "某镇", "镇"],                     # township: skipped silently
        [370832110204, "某村", "村"],
        [37083211020401, "一组", "组"],
        [37083211020402.0, "二组", "组"],              # Excel float
        ["37083211020403", "三组", "村民小组"],
    ])
    units, problems = read_admin_list(path)
    assert problems == []
    u = by_code(units)
    assert list(u) == [V, V + "01", V + "02", V + "03"]
    assert u[V]["level"] == "village" and u[V]["is_fbf"] is False   # has groups
    assert u[V + "02"] == {"code": V + "02", "name": "二组", "level": "group", "is_fbf": True}


def test_gbk_csv(tmp_path):
    text = "代码,名称,层级\r\n370832110204,某村,村\r\n37083211020401,一组,组\r\n"
    units, problems = read_admin_list(_csv(tmp_path / "gbk.csv", text, "gbk"))
    assert problems == [] and by_code(units)[V + "01"]["name"] == "一组"


def test_utf8_bom_and_plain_csv(tmp_path):
    text = "编码,单位名称,级别\n370832110204,某村,村\n37083211020401,一组,组\n"
    for enc in ("utf-8-sig", "utf-8"):
        units, problems = read_admin_list(_csv(tmp_path / ("u_%s.csv" % enc), text, enc))
        assert problems == [] and [u["code"] for u in units] == [V, V + "01"]
        assert units[0]["name"] == "某村"


def test_english_header_and_levels(tmp_path):
    text = "code;name;level\n370832110204;Mou village;village\n37083211020401;Group 1;group\n"
    units, problems = read_admin_list(_csv(tmp_path / "en.csv", text, "utf-8"))
    assert problems == [] and by_code(units)[V + "01"]["level"] == "group"


def test_padded_village_code_and_village_without_groups(tmp_path):
    path = _xlsx(tmp_path / "p.xlsx", [
        ["权属单位代码", "权属单位名称"],               # no level column: from the code
        ["37083211020400", "某村"],                    # 12 digits + 00 = village
        ["37083211020500", "南村"],
        ["37083211020401", "一组"],
    ])
    units, problems = read_admin_list(path)
    assert problems == []
    u = by_code(units)
    assert u[V]["level"] == "village" and u[V]["is_fbf"] is False
    # village 205 has no listed group: it is its own 发包方 with code …00
    assert u["370832110205"]["is_fbf"] is True
    assert fbf_code(u["370832110205"]) == "37083211020500"


def test_bad_rows_are_reported_and_skipped(tmp_path):
    path = _xlsx(tmp_path / "bad.xlsx", [
        ["代码", "名称", "级别"],
        [370832110204, "某村", "村"],
        ["3708321102AB", "坏代码", "村"],
        [None, "无代码", "组"],
        [3708321102040, "十三位", "组"],
        [37083211020401, "一组", "小区"],
        [37083211020400, "错标为组", "组"],
        [37083211020402, "二组", "组"],
        [37083211020402, "二组重复", "组"],
        [],
    ])
    units, problems = read_admin_list(path)
    assert [u["code"] for u in units] == [V, V + "02"]
    text = "\n".join(problems)
    for row in (3, 4, 5, 6, 7, 9):
        assert "第 %d 行" % row in text
    assert "不是纯数字" in text and "无法识别" in text and "重复" in text


def test_missing_and_unsupported_files(tmp_path):
    units, problems = read_admin_list(str(tmp_path / "none.xlsx"))
    assert units == [] and "找不到" in problems[0]
    p = tmp_path / "x.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    units, problems = read_admin_list(str(p))
    assert units == [] and "xlsx" in problems[0]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    units, problems = read_admin_list(str(broken))
    assert units == [] and "无法读取" in problems[0]


@pytest.mark.parametrize("value,expected", [
    (37083211020401, "37083211020401"), (37083211020401.0, "37083211020401"),
    ("37083211020401.0", "37083211020401"), (" '370832110204 ", "370832110204"), (None, "")])
def test_code_text(value, expected):
    assert code_text(value) == expected
