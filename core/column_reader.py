"""Whole columns of a large layer read in one SQLite pass each.

Fetching 300 000 rows makes 300 000 Python tuples; `group_concat` instead hands
each column over as one string, which Python splits in C, and the geometries as one buffer of WKB. Used for JZD and JZX,
the largest layers of a township. A value holding the separator makes it fall back to
row fetches.
"""
import re
import sqlite3
from typing import Optional, Sequence

import numpy as np

from .gpkg_blob import wkb_of

SEP = "\x1f"          # ASCII unit separator: not found in codes or names
_SPACE = re.compile("[^\\S\x1f]")


class WkbColumn:
    """The geometries of a layer as WKB in one buffer: row i is buf[offs[i]:offs[i] +
    lens[i]] (length 0 for NULL, empty or unreadable); buf has 8 spare zero bytes."""

    def __init__(self, lens: np.ndarray, data: bytes):
        self.lens = lens
        self.offs = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64) \
            if len(lens) else np.zeros(0, dtype=np.int64)
        self.buf = np.frombuffer(data + b"\0" * 8, dtype=np.uint8)

    def __len__(self):
        return len(self.lens)

    def get(self, i) -> Optional[bytes]:
        n = int(self.lens[i])
        return self.buf[self.offs[i]:self.offs[i] + n].tobytes() if n else None

    def take(self, rows) -> "WkbColumn":
        rows = np.asarray(rows, dtype=np.int64)
        return WkbColumn(self.lens[rows], b"".join(
            self.buf[o:o + n].tobytes() for o, n in zip(self.offs[rows].tolist(),
                                                         self.lens[rows].tolist())))


def plan(db, layer: str, fields: Sequence[str], geometry: bool = True) -> Optional[dict]:
    """The SQL that reads fields and geometry of a layer column-wise (None without the
    layer): made with the database's metadata, run by fetch() on any connection to it
    (a worker thread has its own; SQLite runs an aggregate without holding the GIL)."""
    if not db.has(layer):
        return None
    cols = db.columns(layer)
    pk, table = db.primary_key(layer), db.name(layer)
    present = [f for f in fields if f in cols]
    text = ", ".join(["count(*)", 'group_concat("%s", \',\')' % pk] + [
        "group_concat(ifnull(CAST(\"%s\" AS TEXT), ''), char(31))" % cols[f][0] for f in present])
    out = {"fields": list(fields), "present": present,
           "text": 'SELECT %s FROM "%s"' % (text, table)}
    gcol = db.geometry_column(layer) if geometry else None
    if gcol is not None:
        g = '"%s"' % gcol
        std = ("CASE WHEN substr({g}, 1, 4) = X'47500001' THEN substr({g}, 9) "
               "WHEN substr({g}, 1, 4) = X'47500003' AND length({g}) >= 40 "
               "THEN substr({g}, 41) END").format(g=g)
        odd = "({g} IS NOT NULL AND substr({g}, 1, 4) NOT IN (X'47500001', X'47500003'))" \
            .format(g=g)
        out["wkb"] = ('SELECT count(*), group_concat("{pk}", \',\'), group_concat(ifnull(length(w), 0), '
                      "','), CAST(group_concat(w, '') AS BLOB), sum(o) FROM (SELECT \"{pk}\", "
                      '{std} AS w, {odd} AS o FROM "{t}")').format(pk=pk, std=std, odd=odd, t=table)
        out["odd"] = 'SELECT "%s", %s FROM "%s" WHERE %s' % (pk, g, table, odd)
    return out


def fetch(conn, p: Optional[dict]) -> Optional[dict]:
    """Run a plan's SQL on a connection: the raw results."""
    if p is None:
        return None
    raw = {"text": conn.execute(p["text"]).fetchone()}
    if "wkb" in p:
        raw["wkb"] = conn.execute(p["wkb"]).fetchone()
        raw["odd"] = conn.execute(p["odd"]).fetchall() if raw["wkb"][4] else []
    return raw


def _ints(text, n: int) -> np.ndarray:
    """n integers from 'a,b,c' (numpy's text parser: C speed)."""
    if not text or not n:
        return np.zeros(0, dtype=np.int64)
    out = np.fromstring(text, dtype=np.int64, sep=",")
    if len(out) != n:
        out = np.array(text.split(","), dtype=np.int64)
    return out


def decode(p: Optional[dict], raw: Optional[dict]):
    """(fids ascending, {FIELD: text values, '' for NULL or a missing field}, WkbColumn
    or None) from fetch()'s results; rows in FID order."""
    if p is None:
        return np.zeros(0, dtype=np.int64), {}, None
    row = raw["text"]
    n = int(row[0] or 0)
    fids = _ints(row[1], n)
    cols = {}
    for f, big in zip(p["present"], row[2:]):
        vals = (big or "").split(SEP) if n else []
        if len(vals) != n:                       # a value holds the separator
            raise ValueError("%s: a value holds the separator" % f)
        cols[f] = vals
    order = np.argsort(fids, kind="stable")
    if n and np.any(np.diff(fids) < 0):
        fids = fids[order]
        cols = {f: [v[i] for i in order.tolist()] for f, v in cols.items()}
    for f in p["fields"]:
        cols.setdefault(f, [""] * n)
    wkbs = None
    if "wkb" in p:
        wn, wfid, wlen, data, _ = raw["wkb"]
        wfids, lens = _ints(wfid, int(wn or 0)), _ints(wlen, int(wn or 0))
        data = data or b""
        if raw["odd"] or np.any(np.diff(wfids) < 0):
            wkbs = _rebuild(wfids, lens, data, raw["odd"])
        else:
            wkbs = WkbColumn(lens, data)
        if not np.array_equal(np.sort(wfids), fids):
            raise ValueError("rows changed while the layer was read")
    return fids, cols, wkbs


def _rebuild(fids, lens, data, odd) -> WkbColumn:
    """Rows in FID order, the unusual headers decoded by gpkg_blob."""
    col = WkbColumn(lens, data)
    blobs = [col.get(i) for i in range(len(col))]
    at = {f: i for i, f in enumerate(fids.tolist())}
    for fid, blob in odd:
        blobs[at[fid]] = wkb_of(blob)
    order = np.argsort(fids, kind="stable").tolist()
    blobs = [blobs[i] or b"" for i in order]
    return WkbColumn(np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)),
                     b"".join(blobs))


def read(db, layer: str, fields: Sequence[str], geometry: bool = True):
    """decode(fetch()) on the database's own connection; rows holding the separator make
    it fall back to row fetches."""
    p = plan(db, layer, fields, geometry)
    try:
        return decode(p, fetch(db.conn, p))
    except (ValueError, sqlite3.Error):       # also text that is not UTF-8
        return _read_rows(db, layer, fields, geometry)


def _read_rows(db, layer, fields, geometry=True):
    if not geometry:
        rows = db.read(layer, ("FID",) + tuple(fields))
        return (np.array([r["FID"] for r in rows], dtype=np.int64),
                {f: ["" if r.get(f) is None else str(r.get(f)) for r in rows] for f in fields},
                None)
    fids, cols, wkbs = db.read_geometry_columns(layer, fields)
    text = {f: ["" if v is None else str(v) for v in vals] for f, vals in cols.items()}
    blobs = [w or b"" for w in wkbs]
    return fids, text, WkbColumn(np.fromiter(map(len, blobs), dtype=np.int64,
                                             count=len(blobs)), b"".join(blobs))


def split_lists(values: Sequence[str], extra_separators: str = ",，、;；"):
    """Code lists ('A/B', also , ， 、 ; ；) of many rows at once: (counts per row, tokens),
    tokens stripped, empty ones dropped: per row what checks' split_codes gives."""
    n = len(values)
    if not n:
        return np.zeros(0, dtype=np.int64), []
    big = SEP.join(values)
    if any(c in big for c in extra_separators):
        big = big.translate({ord(c): "/" for c in extra_separators})
    rows = big.split(SEP)
    if len(rows) != n:                          # a value holds the separator: per row
        lists = [[t.strip() for t in v.translate(
            {ord(c): "/" for c in extra_separators}).split("/")] for v in values]
        lists = [[t for t in ts if t] for ts in lists]
        return (np.fromiter(map(len, lists), dtype=np.int64, count=n),
                [t for ts in lists for t in ts])
    counts = np.fromiter(map(str.count, rows, ["/"] * n), dtype=np.int64, count=n) + 1
    tokens = big.replace(SEP, "/").split("/")
    if _SPACE.search(big):
        tokens = [t.strip() for t in tokens]
    kept = np.fromiter(map(bool, tokens), dtype=bool, count=len(tokens))
    if not kept.all():
        row = np.repeat(np.arange(n), counts)
        counts = np.bincount(row[kept], minlength=n).astype(np.int64)
        tokens = [t for t, keep in zip(tokens, kept.tolist()) if keep]
    return counts, tokens
