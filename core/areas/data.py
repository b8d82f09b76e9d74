"""Reading what the area tools need from the township database.

Plot areas are planar areas in the database's CRS (the CGCS2000 GK zone);
an invalid geometry is measured on its make_valid repair, like the M rules do.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from .. import schema
from .rounding import BAD, cents_sum, is_num, num

PLOT_FIELDS = ("DKBM", "DKMC", "DKLB", "SCMJ", "SCMJM")

# Where the unit code of a row is read from, for scopes (village / group prefixes).
UNIT_SOURCE = {"DK": "DKBM", "CBDKXX": "DKBM", "CBHT": "CBHTBM", "LZHT": "LZHTBM",
               "CBF": "CBFBM", "CBJYQZDJB": "CBJYQZBM", "FBF": "FBFBM"}

DKLB_COLUMNS = (("10", "CBDMJ", "承包地"), ("21", "ZLDMJ", "自留地"), ("22", "JDDMJ", "机动地"),
                ("23", "KHDMJ", "开荒地"), ("99", "QTMJ", "其他集体土地"))


def normalize_scope(scope) -> Optional[Tuple[str, ...]]:
    """'37083211020401, 37083211020402' or a list -> tuple of code prefixes; None = township."""
    if scope is None:
        return None
    if isinstance(scope, str):
        scope = scope.replace("，", ",").replace(";", ",").replace(" ", ",").split(",")
    out = tuple(sorted({str(s).strip() for s in scope if str(s).strip()}))
    return out or None


def in_scope(code, scope) -> bool:
    if scope is None:
        return True
    code = str(code or "")
    return any(code.startswith(p) for p in scope)


def row_unit(table: str, row: dict) -> Optional[str]:
    """The 发包方 code a row belongs to, or None for layers without codes (MZDW, JBNTBHQ)."""
    fbf = row.get("FBFBM")
    if fbf and str(fbf).strip():
        return str(fbf).strip()
    src = UNIT_SOURCE.get(table)
    if src and row.get(src):
        return str(row[src]).strip()[:14]
    return None


def row_in_scope(table: str, row: dict, scope) -> bool:
    if scope is None:
        return True
    unit = row_unit(table, row)
    return unit is not None and in_scope(unit, scope)


def mu_pair_tables(db) -> List[Tuple[str, List[Tuple[str, str]]]]:
    """(table, [(m² field, 亩 field)]) for every standard table/layer holding both fields of a pair."""
    out = []
    for t in schema.ALL:
        if not db.has(t.code):
            continue
        cols = db.columns(t.code)
        pairs = [(a, b) for a, b in schema.MU_PAIRS
                 if t.has_field(a) and t.has_field(b) and a in cols and b in cols]
        if pairs:
            out.append((t.code, pairs))
    return out


def measure(wkbs: Sequence) -> Tuple[list, list, list]:
    """(geometries, planar areas or None, valid flags) for GeoPackage WKBs."""
    import shapely
    arr = np.array([w if w else None for w in wkbs], dtype=object)
    geoms = shapely.from_wkb(arr, on_invalid="ignore") if len(arr) else arr
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if len(arr) else np.zeros(0, bool)
    valid = present & shapely.is_valid(geoms) if len(arr) else present
    areas = np.full(len(arr), np.nan)
    ok = np.flatnonzero(valid)
    areas[ok] = shapely.area(geoms[ok])
    for i in np.flatnonzero(present & ~valid):
        areas[i] = _repaired_area(geoms[i])
    return (list(geoms),
            [None if a != a else float(a) for a in areas.tolist()],
            [bool(v) for v in valid.tolist()])


def _repaired_area(g) -> float:
    """Area of the make_valid repair (its lines and points have no area); NaN when GEOS
    cannot repair it (e.g. NaN coordinates): such a plot counts as having no geometry."""
    import shapely
    try:
        coords = shapely.get_coordinates(g)
        if len(coords) and not np.isfinite(coords).all():
            return float("nan")
        return float(shapely.area(shapely.make_valid(g)))
    except Exception:  # noqa: BLE001 (GEOS errors on degenerate input never stop a run)
        return float("nan")


@dataclass
class Plots:
    rows: List[dict]                 # DK attributes with FID
    areas: List[Optional[float]]     # planar area, None without geometry
    valid: List[bool]
    geoms: list = field(default_factory=list)

    def __len__(self):
        return len(self.rows)


def read_plots(db, scope=None, geometry: bool = True, fields: Sequence[str] = PLOT_FIELDS) -> Plots:
    scope = normalize_scope(scope)
    if geometry:
        rows, wkbs = db.read_geometries("DK", fields)
    else:
        rows, wkbs = db.read("DK", ("FID",) + tuple(fields)), []
    keep = [i for i, r in enumerate(rows) if in_scope(r.get("DKBM"), scope)]
    if len(keep) != len(rows):
        rows = [rows[i] for i in keep]
        wkbs = [wkbs[i] for i in keep] if geometry else []
    if not geometry:
        return Plots(rows, [None] * len(rows), [False] * len(rows))
    geoms, areas, valid = measure(wkbs)
    return Plots(rows, areas, valid, geoms)


def region_areas(db, layer: str, code_field: str, name_field: str) -> Dict[str, Tuple[float, str]]:
    """Region code -> (planar area, name); several features of one code are added up."""
    if not db.has(layer):
        return {}
    rows, wkbs = db.read_geometries(layer, (code_field, name_field))
    _, areas, _ = measure(wkbs)
    out: Dict[str, Tuple[float, str]] = {}
    for r, a in zip(rows, areas):
        code = str(r.get(code_field) or "").strip()
        if not code or a is None:
            continue
        old = out.get(code, (0.0, ""))
        out[code] = (old[0] + a, old[1] or str(r.get(name_field) or ""))
    return out


def unit_names(db) -> Dict[str, str]:
    """Unit code -> name: the administrative list first, then FBF and the region layers."""
    names: Dict[str, str] = {}
    sources = (("XJQY", "XJQYDM", "XJQYMC"), ("CJQY", "CJQYDM", "CJQYMC"),
               ("ZJQY", "ZJQYDM", "ZJQYMC"), ("FBF", "FBFBM", "FBFMC"))
    for table, code, name in sources:
        for r in db.read(table, (code, name)):
            if r.get(code) and r.get(name):
                names.setdefault(str(r[code]).strip(), str(r[name]).strip())
    if db.has("qq_admin_unit"):
        for code, name in db.conn.execute("SELECT code, name FROM qq_admin_unit"):
            if code and name:
                names[str(code).strip()] = str(name).strip()
    return names


@dataclass
class Household:
    cbfbm: str
    name: str = ""
    rows: int = 0                              # CBDKXX rows
    plots: List[str] = field(default_factory=list)   # distinct DKBM
    contract: Decimal = Decimal("0.00")        # Σ CBDKXX.HTMJ
    measured: Decimal = Decimal("0.00")        # Σ DK.SCMJ of its plots
    original: Optional[Decimal] = None         # CBHT.YHTZMJ, else Σ CBDKXX.YHTMJ
    original_source: str = ""                  # YHTZMJ / YHTMJ
    missing_plots: List[str] = field(default_factory=list)  # DKBM not in DK or without SCMJ

    @property
    def unit(self) -> str:
        return self.cbfbm[:14]


def _code(value) -> str:
    return str(value).strip() if value is not None else ""


def households(cbf_rows: Iterable[dict], cbdkxx_rows: Iterable[dict], cbht_rows: Iterable[dict],
               scmj_by_dkbm: Dict[str, object]) -> Dict[str, Household]:
    """Per 承包方: contract, measured and original contract areas (spec M03 definitions).

    Households are those of CBF plus any CBFBM only referenced by CBDKXX or CBHT.
    """
    out: Dict[str, Household] = {}

    def get(code):
        h = out.get(code)
        if h is None:
            h = out[code] = Household(code)
        return h

    for r in cbf_rows:
        code = _code(r.get("CBFBM"))
        if code:
            get(code).name = _code(r.get("CBFMC"))
    yhtmj: Dict[str, list] = {}
    for r in cbdkxx_rows:
        code = _code(r.get("CBFBM"))
        if not code:
            continue
        h = get(code)
        h.rows += 1
        dkbm = _code(r.get("DKBM"))
        if dkbm and dkbm not in h.plots:
            h.plots.append(dkbm)
        h.contract += cents_sum([num(r.get("HTMJ"))])
        y = num(r.get("YHTMJ"))
        if is_num(y):
            yhtmj.setdefault(code, []).append(y)
    yhtzmj: Dict[str, list] = {}
    for r in cbht_rows:
        code = _code(r.get("CBFBM"))
        if not code:
            continue
        get(code)
        y = num(r.get("YHTZMJ"))
        if is_num(y):
            yhtzmj.setdefault(code, []).append(y)
    for code, h in out.items():
        h.plots.sort()
        for dkbm in h.plots:
            s = scmj_by_dkbm.get(dkbm, BAD)
            if is_num(s):
                h.measured += cents_sum([s])
            else:
                h.missing_plots.append(dkbm)
        if code in yhtzmj:
            h.original, h.original_source = cents_sum(yhtzmj[code]), "YHTZMJ"
        elif code in yhtmj:
            h.original, h.original_source = cents_sum(yhtmj[code]), "YHTMJ"
    return out


def scmj_index(dk_rows: Iterable[dict]) -> Dict[str, object]:
    """DKBM -> SCMJ as Decimal (None / BAD kept); the first row of a duplicated DKBM wins."""
    out: Dict[str, object] = {}
    for r in dk_rows:
        code = _code(r.get("DKBM"))
        if code and code not in out:
            out[code] = num(r.get("SCMJ"))
    return out
