"""What the 四至 and 界址 tools read from the township database.

Plots (DK) with their valid geometry, how a plot is named by its neighbours
(承包方 name, category name or DKMC), and the other features (XZDW/MZDW/DZDW)
that can stand between plots. Every reader can be limited to boxes (via the
GeoPackage R-tree) so that one plot's 四至 does not read the whole township.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import shapely

from ..codelists import DKLB_NAMES
from ..geometry_repair import repair_polygon
from ..gpkg_blob import envelope_of, wkb_of

DK_FIELDS = ("DKBM", "DKMC", "DKLB", "ZJRXM", "DKDZ", "DKNZ", "DKXZ", "DKBZ", "KJZB")
NON_CONTRACT = ("21", "22", "23", "99")      # DKLB named by category (自留地, 机动地 …)
COLLECTIVE = "集体"
FEATURE_LAYERS = ("XZDW", "MZDW", "DZDW")
LAYER_WORDS = {"XZDW": "线状地物", "MZDW": "面状地物", "DZDW": "点状地物"}
POINT_RADIUS = 0.5       # m: a point feature (井, 坟 …) stands for a small disc
DEFAULT_HALF_WIDTH = 0.25   # m: a line feature without KD (= GAP_MAX_WIDTH / 2)


@dataclass
class Plots:
    fids: np.ndarray
    keys: List[str]
    rows: List[dict]
    geoms: np.ndarray                    # valid (Multi)Polygons, None when unusable

    def __len__(self):
        return len(self.keys)

    def index(self) -> Dict[str, int]:
        out = {}
        for i, k in enumerate(self.keys):
            out.setdefault(k, i)
        return out


@dataclass
class Features:
    geoms: np.ndarray                    # as stored: lines, polygons, points
    labels: List[str]
    layers: List[str]
    half_width: np.ndarray               # m; lines: KD / 2, others 0
    jzxlb: List[str] = field(default_factory=list)

    def __len__(self):
        return len(self.labels)

    @classmethod
    def empty(cls):
        return cls(np.array([], dtype=object), [], [], np.zeros(0), [])

    def areal(self) -> np.ndarray:
        """Each feature as an area: lines buffered by half their width, points as discs."""
        out = np.empty(len(self), dtype=object)
        for kind, idx in (("XZDW", "line"), ("DZDW", "point"), ("MZDW", "poly")):
            sel = np.flatnonzero(np.array([l == kind for l in self.layers], dtype=bool))
            if not len(sel):
                continue
            if idx == "line":
                out[sel] = shapely.buffer(self.geoms[sel], self.half_width[sel], cap_style="flat")
            elif idx == "point":
                out[sel] = shapely.buffer(self.geoms[sel], POINT_RADIUS)
            else:
                out[sel] = self.geoms[sel]
        # probes intersect these: an invalid pond outline would make GEOS throw
        bad = np.flatnonzero(~shapely.is_valid(out) & ~shapely.is_missing(out))
        for i in bad.tolist():
            try:
                out[i] = shapely.make_valid(out[i])
            except Exception:  # noqa: BLE001
                out[i] = None
        return out


def _geometries(wkbs: Sequence) -> np.ndarray:
    """Usable geometries (None for NULL, empty, unreadable or non-finite); never raises:
    one bad feature must not stop a run. Vectorised; a bad blob is retried alone."""
    arr = np.array([w if w else None for w in wkbs], dtype=object)
    try:
        geoms = shapely.from_wkb(arr, on_invalid="ignore")
    except Exception:  # noqa: BLE001 (a blob GEOS cannot even parse)
        geoms = np.array([_one(w) for w in arr], dtype=object)
    geoms = np.asarray(geoms, dtype=object)
    bad = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    coords, idx = shapely.get_coordinates(geoms[~bad], return_index=True)
    if len(coords):
        nonfinite = np.unique(idx[~np.isfinite(coords).all(axis=1)])
        bad[np.flatnonzero(~bad)[nonfinite]] = True
    geoms[bad] = None
    return geoms


def _one(wkb):
    try:
        return shapely.from_wkb(wkb) if wkb else None
    except Exception:  # noqa: BLE001
        return None


def _areal(geoms: np.ndarray) -> np.ndarray:
    """Valid polygonal copies of the plots (invalid ones repaired like the checks do)."""
    geoms = np.asarray(geoms, dtype=object).copy()
    present = ~shapely.is_missing(geoms)
    areal = np.isin(shapely.get_type_id(geoms), (3, 6))
    geoms[present & ~areal] = None
    bad = np.flatnonzero(present & areal & ~shapely.is_valid(geoms))
    for i in bad.tolist():
        geoms[i] = repair_polygon(geoms[i])
    return geoms


def fids_in_boxes(db, layer: str, boxes: Sequence) -> Optional[List[int]]:
    """fids whose envelope meets one of the boxes (minx, miny, maxx, maxy); None = no boxes."""
    if boxes is None:
        return None
    table, gcol, pk = db.name(layer), db.geometry_column(layer), db.primary_key(layer)
    rtree = "rtree_%s_%s" % (table, gcol)
    has_rtree = db.conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (rtree,)).fetchone()
    out = set()
    if has_rtree:
        sql = 'SELECT id FROM "%s" WHERE maxx>=? AND minx<=? AND maxy>=? AND miny<=?' % rtree
        for minx, miny, maxx, maxy in boxes:
            out.update(r[0] for r in db.conn.execute(sql, (minx, maxx, miny, maxy)))
        return sorted(out)
    # no spatial index (a file written by another tool): test every envelope
    for fid, blob in db.conn.execute('SELECT "%s", "%s" FROM "%s"' % (pk, gcol, table)):
        env = envelope_of(blob)
        if env and any(env[1] >= b[0] and env[0] <= b[2] and env[3] >= b[1] and env[2] <= b[3]
                       for b in boxes):
            out.add(fid)
    return sorted(out)


def read_layer(db, layer, fields, fids=None):
    """(rows with FID, shapely geometries) of a layer, optionally only some fids."""
    if not db.has(layer) or db.geometry_column(layer) is None:
        return [], []
    cols = db.columns(layer)
    wanted = [f for f in fields if f in cols]
    table, gcol, pk = db.name(layer), db.geometry_column(layer), db.primary_key(layer)
    sel = "".join(', "%s"' % cols[f][0] for f in wanted)
    sql = 'SELECT "%s"%s, "%s" FROM "%s"' % (pk, sel, gcol, table)
    params: list = []
    if fids is not None:
        if not fids:
            return [], []
        db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS qq_tmp_fids (fid INTEGER PRIMARY KEY)")
        db.conn.execute("DELETE FROM qq_tmp_fids")
        db.conn.executemany("INSERT OR IGNORE INTO qq_tmp_fids VALUES (?)", ((int(f),) for f in fids))
        sql += ' WHERE "%s" IN (SELECT fid FROM qq_tmp_fids)' % pk
    sql += ' ORDER BY "%s"' % pk
    rows, wkbs = [], []
    for rec in db.conn.execute(sql, params):
        d = dict.fromkeys(fields)
        d.update(zip(wanted, rec[1:-1]))
        d["FID"] = rec[0]
        rows.append(d)
        wkbs.append(wkb_of(rec[-1]))
    return rows, list(_geometries(wkbs))


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def read_plots(db, boxes: Optional[Sequence] = None, fields: Sequence[str] = DK_FIELDS) -> Plots:
    """DK plots (all, or those whose envelope meets a box), keys = DKBM or fid:<n>."""
    fids = fids_in_boxes(db, "DK", boxes) if boxes is not None and db.has("DK") else None
    rows, geoms = read_layer(db, "DK", list(fields), fids)
    keys = [_text(r.get("DKBM")) or "fid:%s" % r["FID"] for r in rows]
    areal = _areal(np.array(geoms, dtype=object))
    return Plots(np.array([r["FID"] for r in rows], dtype=np.int64), keys, rows, areal)


def plots_by_keys(db, keys: Sequence[str], fields: Sequence[str] = DK_FIELDS) -> Plots:
    """DK plots with the given DKBM (rows without a usable geometry included)."""
    keys = sorted({_text(k) for k in keys if _text(k)})
    if not keys or not db.has("DK"):
        return Plots(np.zeros(0, np.int64), [], [], np.array([], dtype=object))
    col = db.columns("DK")["DKBM"][0]
    fids = []
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        fids += [r[0] for r in db.conn.execute('SELECT "%s" FROM "%s" WHERE trim("%s") IN (%s)' % (
            db.primary_key("DK"), db.name("DK"), col, ",".join("?" * len(chunk))), chunk)]
    rows, geoms = read_layer(db, "DK", list(fields), fids)
    areal = _areal(np.array(geoms, dtype=object))
    return Plots(np.array([r["FID"] for r in rows], dtype=np.int64),
                 [_text(r.get("DKBM")) or "fid:%s" % r["FID"] for r in rows], rows, areal)


def plot_labels(db, plots: Plots) -> List[str]:
    """How each plot is named in its neighbours' 四至 and JZX: the 承包方 name when the plot
    has a contractor (CBDKXX → CBF.CBFMC); without one the category of a non-contracted
    DKLB (自留地, 机动地, 开荒地, 其他集体土地); otherwise the plot's DKMC or 集体."""
    owner = contractor_names(db, [k for k in plots.keys if not k.startswith("fid:")])
    out = []
    for key, row in zip(plots.keys, plots.rows):
        dklb = _text(row.get("DKLB"))
        if owner.get(key):
            out.append(owner[key])
        elif dklb in NON_CONTRACT:
            out.append(DKLB_NAMES.get(dklb, COLLECTIVE))
        else:
            out.append(_text(row.get("DKMC")) or COLLECTIVE)
    return out


def plot_pointers(plots: Plots, labels: Sequence[str]) -> List[str]:
    """指界人 of each plot (DK.ZJRXM), its label when empty (PLDWZJR)."""
    return [_text(r.get("ZJRXM")) or lab for r, lab in zip(plots.rows, labels)]


def contractor_names(db, dkbms: Sequence[str]) -> Dict[str, str]:
    """DKBM -> CBF.CBFMC through CBDKXX (the lowest CBFBM when a plot has several rows)."""
    if not (db.has("CBDKXX") and db.has("CBF")) or not dkbms:
        return {}
    cx, cf = db.columns("CBDKXX"), db.columns("CBF")
    if not all(c in cx for c in ("DKBM", "CBFBM")) or not all(c in cf for c in ("CBFBM", "CBFMC")):
        return {}
    # two plain reads joined here: the text columns carry no index, an SQL join on trim()
    # would compare every pair
    wanted = set(dkbms)
    few = len(wanted) <= 200          # a few plots (the dock): only their rows
    sql = 'SELECT trim("%s"), trim("%s") FROM "%s"' % (cx["DKBM"][0], cx["CBFBM"][0], db.name("CBDKXX"))
    links = db.conn.execute(sql + (' WHERE trim("%s") IN (%s)' % (
        cx["DKBM"][0], ",".join("?" * len(wanted))) if few else ""), sorted(wanted) if few else ())
    links = [(d, c) for d, c in links if d in wanted and c]
    sql = 'SELECT trim("%s"), trim("%s") FROM "%s"' % (cf["CBFBM"][0], cf["CBFMC"][0], db.name("CBF"))
    codes = sorted({c for _, c in links})
    if few and len(codes) <= 500:
        rows = db.conn.execute(sql + ' WHERE trim("%s") IN (%s)' % (
            cf["CBFBM"][0], ",".join("?" * len(codes))), codes) if codes else []
    else:
        rows = db.conn.execute(sql)
    names = {}
    for cbfbm, name in rows:
        if cbfbm and name:
            names.setdefault(cbfbm, name)
    best: Dict[str, tuple] = {}
    for dkbm, cbfbm in links:
        if cbfbm in names and (dkbm not in best or cbfbm < best[dkbm][0]):
            best[dkbm] = (cbfbm, names[cbfbm])
    return {k: v[1] for k, v in best.items()}


def line_class(label: str, layer: str) -> str:
    """JZXLB (C.13) of a boundary along a feature, from its name."""
    # water first: 河道 and 渠道 are ditches, not roads
    words = (("02", ("渠", "沟", "河", "溪", "塘", "坝", "堰")), ("03", ("路", "道", "街")),
             ("04", ("树", "林")), ("05", ("围墙",)), ("06", ("墙",)), ("07", ("栅", "篱")))
    for code, keys in words:
        if any(k in label for k in keys):
            return code
    return "99"


def read_features(db, boxes: Optional[Sequence] = None) -> Features:
    """XZDW / MZDW / DZDW with their names (DWMC; a generic word when empty)."""
    geoms, labels, layers, half, lb = [], [], [], [], []
    for layer in FEATURE_LAYERS:
        if not db.has(layer) or db.geometry_column(layer) is None:
            continue
        fids = fids_in_boxes(db, layer, boxes) if boxes is not None else None
        rows, gs = read_layer(db, layer, ["DWMC", "KD"], fids)
        for r, g in zip(rows, gs):
            if g is None:
                continue
            name = _text(r.get("DWMC")) or LAYER_WORDS[layer]
            kd = r.get("KD")
            try:
                kd = float(kd) if kd not in (None, "") else 0.0
            except (TypeError, ValueError):
                kd = 0.0
            geoms.append(g)
            labels.append(name)
            layers.append(layer)
            half.append(kd / 2.0 if layer == "XZDW" and kd > 0 else
                        (DEFAULT_HALF_WIDTH if layer == "XZDW" else 0.0))
            lb.append(line_class(name, layer))
    return Features(np.array(geoms, dtype=object), labels, layers, np.array(half, dtype=float), lb)


def boxes_around(geoms, margin: float) -> List[tuple]:
    """Envelopes of the geometries grown by margin (for the R-tree readers)."""
    out = []
    for g in geoms:
        if g is None:
            continue
        minx, miny, maxx, maxy = g.bounds
        out.append((minx - margin, miny - margin, maxx + margin, maxy + margin))
    return out
