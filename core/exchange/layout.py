"""Names and folders of the 汇交 package (submission.md §2–§3)."""
import os
import re
from typing import Dict, List, Optional, Tuple

from .. import schema

VECTOR_DIR, META_DIR, OWNERSHIP_DIR = "矢量数据", "元数据", "权属数据"
TREE = (VECTOR_DIR, META_DIR, OWNERSHIP_DIR, "汇总表格", "图件", os.path.join("其他资料", "权属来源附件"),
        os.path.join("其他资料", "点之记"), "文字报告", os.path.join("栅格数据", "数字正射影像图"),
        os.path.join("栅格数据", "数字栅格地图"), os.path.join("栅格数据", "其他栅格数据"))

# <LAYER>[<county 6><year 4>][-<part>]: DK2205812016.shp, DK2205812016-1.shp, dk.shp
_STEM = re.compile(r"^([A-Za-z_]+?)(\d{10}|\d{6}|)(?:-(\d+))?$")
LAYER_CODES = {t.code for t in schema.LAYERS}
TABLE_CODES = {t.code for t in schema.TABLES}


def parse_stem(stem: str, codes) -> Optional[Tuple[str, int]]:
    """(standard code, part number) when a file stem names one of codes, else None."""
    m = _STEM.match(stem)
    if not m:
        return None
    code = m.group(1).upper()
    if code not in codes:
        return None
    return code, int(m.group(3) or 0)


def find_files(folder: str, extensions, codes) -> Tuple[Dict[str, List[str]], List[str]]:
    """code -> files in part order; and the files with those extensions not recognised."""
    found: Dict[str, List[Tuple[int, str]]] = {}
    other = []
    for name in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(name)
        if ext.lower() not in extensions or not os.path.isfile(os.path.join(folder, name)):
            continue
        parsed = parse_stem(stem, codes)
        if parsed is None:
            other.append(name)
            continue
        found.setdefault(parsed[0], []).append((parsed[1], os.path.join(folder, name)))
    return {code: [p for _, p in sorted(parts)] for code, parts in found.items()}, other


def locate_root(folder: str) -> str:
    """The package root: the folder itself, or its only sub-folder holding 矢量数据/权属数据."""
    if not os.path.isdir(folder):
        from .errors import ExchangeError
        raise ExchangeError("找不到汇交数据文件夹 %s" % folder)
    if any(os.path.isdir(os.path.join(folder, d)) for d in (VECTOR_DIR, OWNERSHIP_DIR)):
        return folder
    subs = [os.path.join(folder, d) for d in sorted(os.listdir(folder))
            if os.path.isdir(os.path.join(folder, d, VECTOR_DIR))
            or os.path.isdir(os.path.join(folder, d, OWNERSHIP_DIR))]
    return subs[0] if len(subs) == 1 else folder


def shapefile_name(layer: str, county: str, year: int) -> str:
    return "%s%s%d.shp" % (layer, county, year)


def make_tree(root: str):
    for sub in TREE:
        os.makedirs(os.path.join(root, sub), exist_ok=True)
