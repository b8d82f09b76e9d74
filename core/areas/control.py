"""Control areas for 面积平差: a user's table, or the group region minus mapped features.

Table (csv or xlsx, first sheet): first column the 14-digit group code, second
the control area in m² (in 亩 when the header of that column contains 亩).
Rows whose area is not a number (headers, notes) are skipped.
"""
import csv
import os
from decimal import Decimal
from typing import Dict, List, Sequence, Tuple

from ..codes import mu_to_m2
from . import data
from .rounding import is_num, num, round2

GAP_MAX_WIDTH = 0.5   # checks.md §2: XZDW lines without KD are masked GAP_MAX_WIDTH/2 each side


def read_controls(path: str) -> Tuple[Dict[str, Decimal], List[str]]:
    """(group code -> control m², problems) from a csv/xlsx file."""
    if not os.path.exists(path):
        return {}, ["找不到控制面积文件 %s" % path]
    rows = _xlsx_rows(path) if path.lower().endswith((".xlsx", ".xlsm")) else _csv_rows(path)
    out: Dict[str, Decimal] = {}
    problems: List[str] = []
    in_mu = False
    for n, row in enumerate(rows, 1):
        cells = [("" if c is None else str(c)).strip() for c in list(row)[:2]]
        if len(cells) < 2 or not cells[0]:
            continue
        value = num(cells[1].replace(",", ""))
        if not is_num(value):
            in_mu = in_mu or "亩" in cells[1]
            continue
        code = cells[0].split(".")[0]   # 37083211020401.0 from a spreadsheet number
        if not (code.isdigit() and len(code) == 14):
            problems.append("第 %d 行：组代码 %s 不是 14 位数字" % (n, cells[0]))
            continue
        if value <= 0:
            problems.append("第 %d 行：组 %s 的控制面积 %s 不大于 0" % (n, code, cells[1]))
            continue
        if code in out:
            problems.append("第 %d 行：组 %s 重复，以最后一行为准" % (n, code))
        out[code] = mu_to_m2(value) if in_mu else round2(value)
    if not out and not problems:
        problems.append("控制面积文件 %s 中没有可用的数据（第一列组代码，第二列面积）" % path)
    return out, problems


def _csv_rows(path):
    for enc in ("utf-8-sig", "gbk"):
        try:
            with open(path, encoding=enc, newline="") as fh:
                return list(csv.reader(fh))
        except UnicodeDecodeError:
            continue
    return []


def _xlsx_rows(path):
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def region_controls(db, groups: Sequence[str]) -> Dict[str, Tuple[Decimal, str]]:
    """group -> (area of its ZJQY minus MZDW polygons and XZDW lines buffered by KD/2, source)."""
    import shapely
    rows, wkbs = db.read_geometries("ZJQY", ("ZJQYDM",)) if db.has("ZJQY") else ([], [])
    geoms, _, _ = data.measure(wkbs)
    regions: Dict[str, list] = {}
    wanted = set(groups)
    for r, g in zip(rows, geoms):
        code = str(r.get("ZJQYDM") or "").strip()
        if code in wanted and g is not None:
            regions.setdefault(code, []).append(shapely.make_valid(g))
    if not regions:
        return {}
    masks = _masks(db)
    tree = shapely.STRtree(masks) if masks else None
    out = {}
    for code in sorted(regions):
        region = shapely.union_all(regions[code])
        text = "组级区域面积"
        if tree is not None:
            hits = tree.query(region, predicate="intersects")
            if len(hits):
                region = shapely.difference(region, shapely.union_all([masks[i] for i in hits]))
                text = "组级区域面积 − 面状/线状地物"
        out[code] = (round2(Decimal(repr(float(shapely.area(region))))), text)
    return out


def _masks(db) -> list:
    import shapely
    out = []
    if db.has("MZDW"):
        _, wkbs = db.read_geometries("MZDW", ())
        geoms, _, _ = data.measure(wkbs)
        out += [shapely.make_valid(g) for g in geoms if g is not None]
    if db.has("XZDW"):
        rows, wkbs = db.read_geometries("XZDW", ("KD",))
        geoms, _, _ = data.measure(wkbs)
        for r, g in zip(rows, geoms):
            if g is None:
                continue
            kd = num(r.get("KD"))
            width = float(kd) if is_num(kd) and kd > 0 else GAP_MAX_WIDTH
            out.append(shapely.buffer(g, width / 2.0, cap_style="flat"))
    return out
