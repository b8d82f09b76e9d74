"""Whole columns of a large layer read in one SQLite pass each.

Fetching 300 000 rows makes 300 000 Python tuples; `group_concat` instead hands each
column over as one string, which Python splits in C, and the geometries as one buffer
of GeoPackage blobs whose headers numpy skips. SQLite builds these strings without
holding the GIL, so a worker thread reads them alongside other work. Used for JZD and
JZX, the largest layers of a township. A value holding the separator, or text that is
not UTF-8, makes it fall back to row fetches.
"""
import re
import sqlite3
import urllib.parse
import warnings
from typing import Dict, Optional, Sequence

import numpy as np

SEP = "\x1f"          # ASCII unit separator: not found in codes or names
SPACE = re.compile("[^\\S\x1f]")    # whitespace other than SEP (str.isspace counts it)


def connect_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection of its own to a database file (for another thread)."""
    return sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(path), uri=True)


class WkbColumn:
    """The geometries of a layer as WKB in one buffer: row i is buf[offs[i]:offs[i] +
    lens[i]] (length 0 for NULL, empty or unreadable); buf has 8 spare zero bytes."""

    def __init__(self, lens: np.ndarray, data, offs: Optional[np.ndarray] = None):
        self.lens = np.asarray(lens, dtype=np.int64)
        if offs is None:
            offs = np.concatenate([[0], np.cumsum(self.lens)[:-1]]) if len(self.lens) else \
                np.zeros(0)
        self.offs = np.asarray(offs, dtype=np.int64)
        self.buf = data if isinstance(data, np.ndarray) else \
            np.frombuffer(bytes(data) + b"\0" * 8, dtype=np.uint8)

    def __len__(self):
        return len(self.lens)

    def get(self, i) -> Optional[bytes]:
        n = int(self.lens[i])
        return self.buf[self.offs[i]:self.offs[i] + n].tobytes() if n else None


class Columns(dict):
    """{FIELD: list of texts}; `joined[FIELD]` is the same column as one SEP-joined string
    when it came that way (callers that split it again use it); `lookup` (database path,
    SQL) reads the plan's lookup fields of given fids."""

    def __init__(self, *args, lookup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.joined: Dict[str, str] = {}
        self.lookup = lookup

    def look_up(self, fids) -> Dict[int, tuple]:
        """{fid: lookup field values} on a connection of its own (any thread)."""
        if not self.lookup or not self.lookup[0] or not len(fids):
            return {}
        path, sql = self.lookup
        out = {}
        try:
            conn = connect_readonly(path)
        except sqlite3.Error:
            return out                  # reported by fid
        try:
            fids = [int(f) for f in fids]
            for s in range(0, len(fids), 500):
                chunk = fids[s:s + 500]
                for row in conn.execute(sql % ",".join("?" * len(chunk)), chunk):
                    out[int(row[0])] = tuple(row[1:])
        except sqlite3.Error:
            pass
        finally:
            conn.close()
        return out


_ENVELOPE = np.array([0, 32, 48, 48, 64, -1, -1, -1], dtype=np.int64)


def _strip_headers(lens: np.ndarray, data: bytes) -> WkbColumn:
    """GeoPackage blobs back to back -> their WKB (header and envelope skipped in place);
    NULL, empty-flagged or not-GeoPackage blobs get length 0, as gpkg_blob.wkb_of reads
    them."""
    raw = WkbColumn(lens, data)
    buf, offs = raw.buf, raw.offs
    ok = lens >= 8
    ok[ok] = (buf[offs[ok]] == 0x47) & (buf[offs[ok] + 1] == 0x50)
    flags = np.where(ok, buf[np.minimum(offs + 3, len(buf) - 1)], 0).astype(np.int64)
    env = _ENVELOPE[(flags >> 1) & 7]
    ok &= (flags & 0x10 == 0) & (env >= 0)
    head = 8 + np.maximum(env, 0)
    ok &= lens > head
    return WkbColumn(np.where(ok, lens - head, 0), buf, np.where(ok, offs + head, offs))


def plan(db, layer: str, fields: Sequence[str], geometry: bool = True,
         lookup: Sequence[str] = ()) -> Optional[dict]:
    """The SQL that reads fields and geometry of a layer column-wise (None without the
    layer): made with the database's metadata, run by fetch() on any connection to it
    (a worker thread has its own; SQLite runs an aggregate without holding the GIL)."""
    if not db.has(layer):
        return None
    cols = db.columns(layer)
    pk, table = db.primary_key(layer), db.name(layer)
    present = [f for f in fields if f in cols]
    text = ", ".join(["count(*)", 'group_concat("%s", \',\')' % pk] + [
        "group_concat(ifnull(\"%s\", ''), char(31))" % cols[f][0] for f in present])
    out = {"layer": layer, "fields": list(fields), "present": present,
           "text": 'SELECT %s FROM "%s"' % (text, table)}
    if lookup:
        out["lookup"] = (getattr(db, "path", None), 'SELECT "%s", %s FROM "%s" WHERE "%s" IN (%%s)' % (
            pk, ", ".join('"%s"' % cols[f][0] if f in cols else "NULL" for f in lookup),
            table, pk))
    gcol = db.geometry_column(layer) if geometry else None
    if gcol is not None:
        out["wkb"] = ('SELECT count(*), group_concat("{pk}", \',\'), group_concat(ifnull(length('
                      '"{g}"), 0), \',\'), CAST(group_concat("{g}", \'\') AS BLOB) FROM "{t}"'
                      ).format(pk=pk, g=gcol, t=table)
    return out


def fetch(conn, p: Optional[dict]) -> Optional[dict]:
    """Run a plan's SQL on a connection: the raw results."""
    if p is None:
        return None
    raw = {"text": conn.execute(p["text"]).fetchone()}
    if "wkb" in p:
        raw["wkb"] = conn.execute(p["wkb"]).fetchone()
    return raw


def _ints(text, n: int) -> np.ndarray:
    """n integers from 'a,b,c' (numpy's text parser: C speed)."""
    if not text or not n:
        return np.zeros(0, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = np.fromstring(text, dtype=np.int64, sep=",")
    if len(out) != n:
        out = np.array(text.split(","), dtype=np.int64)
    return out


def decode(p: Optional[dict], raw: Optional[dict]):
    """(fids ascending, Columns: {FIELD: text values, '' for NULL or a missing field},
    WkbColumn or None) from fetch()'s results; rows in FID order."""
    if p is None:
        return np.zeros(0, dtype=np.int64), Columns(), None
    row = raw["text"]
    n = int(row[0] or 0)
    fids = _ints(row[1], n)
    cols = Columns(lookup=p.get("lookup"))
    for f, big in zip(p["present"], row[2:]):
        if isinstance(big, bytes):
            raise ValueError("%s: not UTF-8 text" % f)
        vals = (big or "").split(SEP) if n else []
        if len(vals) != n:                       # a value holds the separator
            raise ValueError("%s: a value holds the separator" % f)
        cols[f] = vals
        cols.joined[f] = big or ""
    if n and np.any(np.diff(fids) < 0):
        order = np.argsort(fids, kind="stable")
        fids = fids[order]
        for f, v in list(cols.items()):
            cols[f] = [v[i] for i in order.tolist()]
        cols.joined = {}
    for f in p["fields"]:
        cols.setdefault(f, [""] * n)
    wkbs = None
    if "wkb" in p:
        wn, wfid, wlen, data = raw["wkb"]
        wn = int(wn or 0)
        wfids = _ints(wfid, wn)
        wkbs = _strip_headers(_ints(wlen, wn), data or b"")
        if wn and np.any(np.diff(wfids) < 0):
            order = np.argsort(wfids, kind="stable")
            wfids = wfids[order]
            wkbs = WkbColumn(wkbs.lens[order], wkbs.buf, wkbs.offs[order])
        if not np.array_equal(wfids, fids):
            raise ValueError("rows changed while the layer was read")
    return fids, cols, wkbs


def read(db, layer: str, fields: Sequence[str], geometry: bool = True):
    """decode(fetch()) on the database's own connection; rows holding the separator make
    it fall back to row fetches."""
    return read_plan(db, plan(db, layer, fields, geometry))


def read_plan(db, p: Optional[dict]):
    """read() of a plan made before."""
    try:
        return decode(p, fetch(db.conn, p))
    except (ValueError, sqlite3.Error):       # also text that is not UTF-8
        return _read_rows(db, p["layer"], p["fields"], "wkb" in p, p.get("lookup"))


def _read_rows(db, layer, fields, geometry=True, lookup=None):
    if not geometry:
        rows = db.read(layer, ("FID",) + tuple(fields))
        fids = np.array([r["FID"] for r in rows], dtype=np.int64)
        cols = {f: [r.get(f) for r in rows] for f in fields}
        wkbs = None
    else:
        fids, cols, wkbs = db.read_geometry_columns(layer, fields)
    text = Columns({f: ["" if v is None else str(v) for v in vals] for f, vals in cols.items()},
                   lookup=lookup)
    if wkbs is None:
        return fids, text, None
    blobs = [w or b"" for w in wkbs]
    return fids, text, WkbColumn(np.fromiter(map(len, blobs), dtype=np.int64,
                                             count=len(blobs)), b"".join(blobs))


def to_float(values: Sequence[str], joined: Optional[str] = None) -> np.ndarray:
    """Numbers from texts; NaN for empty or not a number."""
    n = len(values)
    if joined is not None and n and "" not in values:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = np.fromstring(joined.replace(SEP, ","), dtype=float, sep=",")
        if len(out) == n:
            return out
    try:
        return np.array([v or "nan" for v in values], dtype=float)
    except ValueError:
        out = np.full(n, np.nan)
        for i, v in enumerate(values):
            try:
                out[i] = float(v)
            except ValueError:
                pass
        return out


def split_lists(values: Sequence[str], extra_separators: str = ",，、;；",
                joined: Optional[str] = None):
    """Code lists ('A/B', also , ， 、 ; ；) of many rows at once: (counts per row, tokens),
    tokens stripped, empty ones dropped: per row what checks' split_codes gives."""
    n = len(values)
    if not n:
        return np.zeros(0, dtype=np.int64), []
    big = SEP.join(values) if joined is None else joined
    slash = {ord(c): "/" for c in extra_separators}
    if any(c in big for c in extra_separators):
        big = big.translate(slash)
    rows = big.split(SEP)
    if len(rows) != n:                          # a value holds the separator: per row
        lists = [[t.strip() for t in v.translate(slash).split("/")] for v in values]
        lists = [[t for t in ts if t] for ts in lists]
        return (np.fromiter(map(len, lists), dtype=np.int64, count=n),
                [t for ts in lists for t in ts])
    counts = np.fromiter(map(str.count, rows, ["/"] * n), dtype=np.int64, count=n) + 1
    tokens = big.replace(SEP, "/").split("/")
    if SPACE.search(big):
        tokens = [t.strip() for t in tokens]
    kept = np.fromiter(map(bool, tokens), dtype=bool, count=len(tokens))
    if not kept.all():
        row = np.repeat(np.arange(n), counts)
        counts = np.bincount(row[kept], minlength=n).astype(np.int64)
        tokens = [t for t, keep in zip(tokens, kept.tolist()) if keep]
    return counts, tokens
