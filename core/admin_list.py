"""The township's list of villages and groups (村组名单, qq_admin_unit), read from xlsx or csv.

Accepted input: a header row with code / name / level columns in Chinese
(代码, 编码, 单位代码, 权属单位代码 | 名称, 单位名称 | 级别, 层级) or English
(code, name, level), optionally a 发包方 column (是/否); csv in UTF-8 (with or
without BOM) or GBK; codes as text or Excel numbers. A 14-digit 权属单位代码
right-padded with "00" designates a village. Township and county rows are
skipped. Bad rows are reported by row number and skipped; reading never stops.
"""
import csv
import io
import os
import re
from typing import List, Optional, Tuple

HEADERS = {
    "code": ("代码", "编码", "单位代码", "单位编码", "权属单位代码", "行政代码", "区划代码", "code"),
    "name": ("名称", "单位名称", "权属单位名称", "村组名称", "name"),
    "level": ("级别", "层级", "类型", "单位级别", "level"),
    "is_fbf": ("发包方", "是否发包方", "is_fbf", "fbf"),
}
LEVELS = {
    "village": ("村", "村级", "行政村", "村委会", "village", "v"),
    "group": ("组", "组级", "村民小组", "小组", "group", "g"),
    "township": ("乡", "镇", "乡镇", "乡级", "街道", "township", "town"),
    "county": ("县", "区", "县级", "市", "county"),
}
_YES = {"1", "是", "y", "yes", "true", "√", "t"}
_NO = {"0", "2", "否", "n", "no", "false", "f", "×"}


def _norm(s) -> str:
    return re.sub(r"[\s\u3000_*:：]", "", str(s or "")).lower()


def _header_map(cells) -> Optional[dict]:
    """Column index per role when the row looks like a header (code and name found)."""
    found = {}
    normed = [_norm(c) for c in cells]
    for role, aliases in HEADERS.items():
        keys = [_norm(a) for a in aliases]
        for i, c in enumerate(normed):
            if c in keys and i not in found.values():
                found[role] = i
                break
        else:
            for i, c in enumerate(normed):   # e.g. "村组代码", "单位名称(全称)"
                if c and any(k in c for k in keys[:3]) and i not in found.values():
                    found[role] = i
                    break
    return found if "code" in found and "name" in found else None


def code_text(value) -> str:
    """A code cell as text: Excel numbers without '.0', text trimmed (leading ' removed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    s = str(value).strip().lstrip("'").strip()
    m = re.match(r"^(\d+)\.0+$", s)
    return m.group(1) if m else s


def _level_of(text: str) -> Optional[str]:
    t = _norm(text)
    if not t:
        return None
    for level, words in LEVELS.items():
        if t in [_norm(w) for w in words]:
            return level
    # free text such as "村民委员会", "第一村民小组"
    if t.endswith(("组", "小组")):
        return "group"
    if t.endswith(("村", "村委会", "村民委员会")):
        return "village"
    return "?"


def _rows_xlsx(path):
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            if any(any(c not in (None, "") for c in r) for r in rows):
                return rows
        return []
    finally:
        wb.close()


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _rows_csv(path):
    with open(path, "rb") as fh:
        txt = _decode(fh.read())
    try:
        dialect = csv.Sniffer().sniff(txt[:4096], delimiters=",;\t，")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    return [row for row in csv.reader(io.StringIO(txt), delimiter=delim)]


def read_admin_list(path: str) -> Tuple[List[dict], List[str]]:
    """(units, problems): units as {code, name, level ('village'/'group'), is_fbf}."""
    problems: List[str] = []
    if not path or not os.path.exists(path):
        return [], ["找不到村组名单文件：%s" % path]
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in (".xlsx", ".xlsm"):
            rows = _rows_xlsx(path)
        elif ext in (".csv", ".txt"):
            rows = _rows_csv(path)
        else:
            return [], ["村组名单 %s 的格式不支持：请使用 .xlsx 或 .csv（.xls 请另存为 .xlsx）" % path]
    except Exception as exc:  # noqa: BLE001 (a damaged file is reported, never raised)
        return [], ["无法读取村组名单 %s：%s" % (path, exc)]
    header_at, cols = None, None
    for i, r in enumerate(rows[:15]):
        cols = _header_map(r)
        if cols:
            header_at = i
            break
    if header_at is None:
        cols = {"code": 0, "name": 1, "level": 2}
        header_at = -1
        problems.append("村组名单未找到表头（代码、名称、级别），按第 1、2、3 列读取")
    units, seen = [], {}
    for i in range(header_at + 1, len(rows)):
        unit = _unit(rows[i], cols, i + 1, problems)
        if unit is None:
            continue
        if unit["code"] in seen:
            problems.append("第 %d 行：代码 %s 与第 %d 行重复，已跳过" % (i + 1, unit["code"],
                                                              seen[unit["code"]]))
            continue
        seen[unit["code"]] = i + 1
        units.append(unit)
    _default_village_fbf(units)
    units.sort(key=lambda u: u["code"])
    return units, problems


def _cell(row, idx):
    return row[idx] if idx is not None and idx < len(row) else None


def _unit(row, cols, rownum, problems) -> Optional[dict]:
    if not any(c not in (None, "") and str(c).strip() for c in row):
        return None
    code = code_text(_cell(row, cols.get("code")))
    name = str(_cell(row, cols.get("name")) or "").strip()
    level_text = str(_cell(row, cols.get("level")) or "").strip()
    where = "第 %d 行" % rownum
    if not code:
        problems.append("%s：代码为空，已跳过（名称 %s）" % (where, name or "空"))
        return None
    if not code.isdigit():
        problems.append("%s：代码“%s”不是纯数字，已跳过" % (where, code))
        return None
    level = _level_of(level_text)
    if level == "?":
        problems.append("%s：级别“%s”无法识别（应为 村/组/乡/镇 或 village/group），已跳过"
                        % (where, level_text))
        return None
    if level is None:   # no level column or empty cell: from the code length
        level = {6: "county", 9: "township", 12: "village"}.get(len(code))
        if len(code) == 14:
            level = _padded_level(code)
    if level in ("county", "township"):
        return None
    if level == "village":
        if len(code) == 14 and code.endswith("00"):
            code = code[:12]   # 权属单位代码: village code right-padded with 00
        if len(code) != 12:
            problems.append("%s：村代码 %s 应为 12 位（或补 00 的 14 位权属单位代码），已跳过"
                            % (where, code))
            return None
    elif level == "group":
        if len(code) != 14:
            problems.append("%s：组代码 %s 应为 14 位，已跳过" % (where, code))
            return None
        if code.endswith("00"):
            problems.append("%s：组代码 %s 以 00 结尾，00 是村级发包方的代码，请标为“村”，已跳过"
                            % (where, code))
            return None
    else:
        problems.append("%s：代码 %s 的位数 %d 无法判断级别，已跳过" % (where, code, len(code)))
        return None
    if not name:
        problems.append("%s：代码 %s 的名称为空" % (where, code))
    fbf_text = _norm(_cell(row, cols.get("is_fbf")))
    is_fbf = True if fbf_text in _YES else False if fbf_text in _NO else None
    return {"code": code, "name": name, "level": level,
            "is_fbf": (level == "group") if is_fbf is None else is_fbf,
            "_fbf_given": is_fbf is not None}


def _padded_level(code: str) -> str:
    """Level of a 14-digit 权属单位代码 from its zero padding (codes.md §1)."""
    if code[6:] == "0" * 8:
        return "county"
    if code[9:] == "0" * 5:
        return "township"
    return "village" if code[12:] == "00" else "group"


def _default_village_fbf(units):
    """A listed village without listed groups is its own 发包方 (code + '00')."""
    villages_with_groups = {u["code"][:12] for u in units if u["level"] == "group"}
    for u in units:
        given = u.pop("_fbf_given")
        if u["level"] == "village" and not given:
            u["is_fbf"] = u["code"] not in villages_with_groups


def fbf_code(unit: dict) -> str:
    """The 14-digit FBFBM (权属单位代码) of a listed unit."""
    return unit["code"] + "00" if unit["level"] == "village" else unit["code"]


def store_admin_units(db, units) -> int:
    """Replace qq_admin_unit with the list (one transaction)."""
    from .plugin_tables import ensure_plugin_tables
    ensure_plugin_tables(db)
    with db.transaction():
        db.conn.execute("DELETE FROM qq_admin_unit")
        db.conn.executemany(
            "INSERT INTO qq_admin_unit (code, name, level, is_fbf) VALUES (?, ?, ?, ?)",
            [(u["code"], u.get("name", ""), u["level"], 1 if u.get("is_fbf") else 0)
             for u in units])
    return len(units)


def load_admin_units(db) -> List[dict]:
    if db is None or not db.has("qq_admin_unit"):
        return []
    rows = db.conn.execute(
        "SELECT code, name, level, is_fbf FROM qq_admin_unit ORDER BY code").fetchall()
    return [{"code": str(c), "name": n or "", "level": lv, "is_fbf": bool(f)}
            for c, n, lv, f in rows if c]
