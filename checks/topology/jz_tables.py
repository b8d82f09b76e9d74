"""JZD and JZX as column tables for T16: text columns, coordinates, and the plots
each feature names as flat arrays (CSR), read without a Python object per feature
beyond its text values."""
import re
from itertools import repeat
from typing import Dict, List

import numpy as np

from ...core import column_reader
from ...core.column_reader import SPACE, split_lists, to_float
from . import prefetch
from .code_ints import IntKeyIndex, parse_codes
from .layers import has_features
from .wkb_arrays import LineTable, point_xy

JZD_FIELDS = ("JZDH", "DKBM", "XZBZ", "YZBZ")
JZX_FIELDS = ("DKBM", "QJZDH", "ZJZDH")
JZX_LABELS = ("JZXH", "BSM")           # read for the reported lines only

_SEP = re.compile(r"[/,，、;；]")
_OTHER = re.compile(r"[,，、;；]")


def split_codes(text) -> List[str]:
    """'A/B' (also , ， 、 ; ；) -> ['A', 'B']."""
    if not text:
        return []
    s = text if text.__class__ is str else str(text)
    out = [x.strip() for x in (s.split("/") if _OTHER.search(s) is None else _SEP.split(s))]
    return [t for t in out if t] if "" in out else out


def first_index(values) -> Dict[str, int]:
    """{value: index of its first occurrence} (built in C: later items overwrite)."""
    n = len(values)
    return dict(zip(reversed(values), range(n - 1, -1, -1)))


def plot_positions(keys) -> Dict[str, List[int]]:
    """{DKBM: array positions}; a DKBM held by two plots (A06) names both."""
    pos: Dict[str, List[int]] = {}
    for k, key in enumerate(keys):
        pos.setdefault(key, []).append(k)
    return pos


def flat_codes_to_plots(counts: np.ndarray, flat: List[str], pos: Dict[str, List[int]]):
    """CSR of the plots that rows of codes name: row i has counts[i] codes in flat and
    names plots[ptr[i]:ptr[i+1]]; code_no says which of its codes each comes from. The
    order is the row's codes, then pos order."""
    n = len(counts)
    item = np.repeat(np.arange(n), counts)
    code_no = np.arange(len(flat)) - np.repeat(np.cumsum(counts) - counts, counts)
    first = {k: v[0] for k, v in pos.items()}
    plot = np.fromiter(map(first.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    many = {k: v for k, v in pos.items() if len(v) > 1}
    if many:
        hit = np.flatnonzero(np.fromiter(map(many.__contains__, flat), dtype=bool,
                                         count=len(flat)))
        extra = [(t, k) for t in hit.tolist() for k in many[flat[t]][1:]]
        if extra:
            t = np.array([e[0] for e in extra], dtype=np.int64)
            item = np.concatenate([item, item[t]])
            code_no = np.concatenate([code_no, code_no[t]])
            rank = np.concatenate([np.zeros(len(plot), dtype=np.int64),
                                   np.array([many[flat[e[0]]].index(e[1]) for e in extra])])
            plot = np.concatenate([plot, np.array([e[1] for e in extra], dtype=np.int64)])
            order = np.lexsort((rank, code_no, item))
            item, code_no, plot = item[order], code_no[order], plot[order]
    keep = plot >= 0
    item, code_no, plot = item[keep], code_no[keep], plot[keep]
    ptr = np.searchsorted(item, np.arange(n + 1))
    return ptr, plot, code_no


def plans(db):
    """{cache key: column_reader plan} of what T16 reads."""
    return {"topo:jz:JZD": column_reader.plan(db, "JZD", JZD_FIELDS),
            "topo:jz:JZX": column_reader.plan(db, "JZX", JZX_FIELDS, lookup=JZX_LABELS),
            "topo:jz:DK": column_reader.plan(db, "DK", ("KJZB",), geometry=False)}


def columns(ctx, key):
    """(fids, Columns, WkbColumn) of a plan of plans(), cached; read ahead in a thread of
    its own on a large township (prefetch.early)."""
    return prefetch.value(ctx, key, lambda: column_reader.read_plan(ctx.db, plans(ctx.db)[key]))


def has_boundary_points(ctx) -> bool:
    """JZD or JZX have features (from what was read ahead when it is there)."""
    got = [ctx.cache.get("topo:jz:" + c) for c in ("JZD", "JZX")]
    if all(g is not None for g in got):
        return any(len(g[0]) for g in got)
    return has_features(ctx, "JZD") or has_features(ctx, "JZX")


def kjzb_texts(ctx, ps) -> List[str]:
    """KJZB of the plots of ps (in its order), '' where empty."""
    fids, cols, _ = columns(ctx, "topo:jz:DK")
    if not len(fids):
        return [""] * len(ps.fids)
    at = np.minimum(np.searchsorted(fids, ps.fids), len(fids) - 1)
    found = fids[at] == ps.fids
    vals = cols["KJZB"]
    return [vals[i] if ok else "" for i, ok in zip(at.tolist(), found.tolist())]


class PlotIndex:
    """The plots of the run by DKBM: a dict for codes as text, sorted integers for codes
    parsed as numbers (made on first use)."""

    def __init__(self, keys: List[str]):
        self.keys = keys
        self.pos = plot_positions(keys)
        self._ints = None

    def ints(self) -> IntKeyIndex:
        if self._ints is None:
            self._ints = IntKeyIndex(self.keys)
        return self._ints


def _codes(ctx, cols, present: np.ndarray, n: int):
    """(kept rows, counts, text tokens or None, integer codes or None) of a DKBM column:
    integers when every code is 19 digits and no scope is set, else text."""
    joined = cols.joined.get("DKBM")
    parsed = parse_codes(joined, n) if joined is not None and ctx.scope is None else None
    if parsed is None:
        counts, tokens = split_lists(cols["DKBM"], joined=joined)
        rows, counts, tokens = _keep_rows(ctx, present, counts, tokens)
        return rows, counts, tokens, None
    counts, ints = parsed
    if present.all():
        return np.arange(n), counts, None, ints
    sel = present[np.repeat(np.arange(n), counts)]
    return np.flatnonzero(present), counts[present], None, ints[sel]


class _Named:
    """Rows naming plots: counts per row and the codes, as text or as integers."""
    counts: np.ndarray
    tokens: List[str]
    ints: np.ndarray

    def plot_csr(self, index: PlotIndex):
        """(ptr, plot, code_no): row i names plots[ptr[i]:ptr[i + 1]]."""
        if self.ints is not None:
            return index.ints().to_plots(self.counts, self.ints)
        return flat_codes_to_plots(self.counts, self.tokens, index.pos)


def _keep_rows(ctx, present: np.ndarray, counts: np.ndarray, tokens: List[str]):
    """Rows with a geometry that name at least one code in the run's scope; the tokens
    of the kept rows and their counts."""
    keep = present.copy()
    row = np.repeat(np.arange(len(counts)), counts)
    if ctx.scope is not None:
        inside = np.fromiter(map(ctx.in_scope, tokens), dtype=bool, count=len(tokens))
        keep &= np.bincount(row[inside], minlength=len(counts)) > 0
    if keep.all():
        return np.arange(len(keep)), counts, tokens
    sel = keep[row]
    return np.flatnonzero(keep), counts[keep], [t for t, k in zip(tokens, sel.tolist()) if k]


def stripped(values: List[str]) -> List[str]:
    """Values without surrounding whitespace (most have none: one scan tells)."""
    if SPACE.search(column_reader.SEP.join(values)) is None:
        return values
    return [v.strip() for v in values]


def _pick(values: List[str], rows: np.ndarray, n: int) -> List[str]:
    return values if len(rows) == n else [values[i] for i in rows.tolist()]


class JzdTable(_Named):
    """The JZD in scope: fids, names (JZDH), DKBM text, XZBZ/YZBZ numbers, xy, and the
    codes they name."""

    def __init__(self, ctx):
        fids, cols, wkbs = columns(ctx, "topo:jz:JZD")
        xy = point_xy(wkbs) if wkbs is not None else np.full((len(fids), 2), np.nan)
        n = len(fids)
        rows, self.counts, self.tokens, self.ints = _codes(ctx, cols, ~np.isnan(xy[:, 0]), n)
        self.fids = fids[rows]
        self.xy = xy[rows]
        self.names = stripped(_pick(cols["JZDH"], rows, n))
        self.dkbm = _pick(cols["DKBM"], rows, n)
        self.coords = tuple(to_float(cols[f], cols.joined.get(f))[rows] for f in ("XZBZ", "YZBZ"))

    def __len__(self):
        return len(self.names)

    def plots(self, i) -> List[str]:
        return split_codes(self.dkbm[i])


class JzxTable(_Named):
    """The JZX in scope: fids, DKBM, QJZDH and ZJZDH texts, coordinates (LineTable) and the
    codes they name."""

    def __init__(self, ctx):
        fids, cols, wkbs = columns(ctx, "topo:jz:JZX")
        lines = LineTable(wkbs if wkbs is not None else column_reader.WkbColumn(
            np.zeros(len(fids), dtype=np.int64), b""))
        n = len(fids)
        rows, self.counts, self.tokens, self.ints = _codes(ctx, cols, ~lines.missing, n)
        self.rows = rows
        self.fids = fids[rows]
        self.lines = lines
        self.dkbm = _pick(cols["DKBM"], rows, n)
        self.ends_named = {f: stripped(_pick(cols[f], rows, n)) for f in ("QJZDH", "ZJZDH")}
        self._cols = cols

    def labels(self, report) -> Dict[int, str]:
        """{line index: JZXH, else BSM, else fid:n} for the reported lines."""
        names = self._cols.look_up(self.fids[report])
        out = {}
        for i in report:
            fid = int(self.fids[i])
            jzxh, bsm = names.get(fid, (None, None))
            out[i] = str(jzxh or "").strip() or str(bsm or "").strip() or "fid:%s" % fid
        return out

    def __len__(self):
        return len(self.fids)

    def plots(self, i) -> tuple:
        return tuple(split_codes(self.dkbm[i]))
