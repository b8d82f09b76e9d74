"""DKBM lists as integers: the plot codes JZD and JZX name, parsed in numpy.

A township's JZD and JZX name a million and a half plot codes ('A/B' per feature).
DKBM is 19 digits (codes.md), which fits an unsigned 64-bit integer, so when every
code of a column is exactly that, the codes are parsed from the column's bytes and
looked up by sorting, without a Python string per code. Any other content (spaces,
other separators, short or long codes) leaves the column to the string path.
"""
from typing import List, Optional, Tuple

import numpy as np

DIGITS = 19
_POW = np.uint64(10)


def parse_codes(joined: str, n_rows: int) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """(codes per row, the codes as uint64) of rows joined by \\x1f, codes by '/'; None
    unless every non-empty code is 19 ASCII digits."""
    if n_rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    try:
        raw = joined.encode("ascii")
    except UnicodeEncodeError:
        return None
    arr = np.frombuffer(raw, dtype=np.uint8)
    digit = (arr >= 48) & (arr <= 57)
    row_sep = arr == 0x1F
    if not (digit | row_sep | (arr == 0x2F)).all() or int(row_sep.sum()) != n_rows - 1:
        return None
    seps = np.flatnonzero(~digit)
    starts = np.concatenate([[0], seps + 1])
    lens = np.concatenate([seps, [len(arr)]]) - starts
    if not np.isin(lens, (0, DIGITS)).all():
        return None
    row = np.concatenate([[0], np.cumsum(row_sep[seps])])
    keep = lens == DIGITS
    # the digits alone, in order, are the kept codes back to back: 19 per row
    d = (arr[digit] - 48).reshape(-1, DIGITS)
    value = np.zeros(len(d), dtype=np.uint64)
    for k in range(DIGITS):                        # Horner: exact in uint64 (< 1.9e19)
        value = value * _POW + d[:, k]
    return np.bincount(row[keep], minlength=n_rows).astype(np.int64), value


def key_ints(keys: List[str]) -> Tuple[np.ndarray, np.ndarray]:
    """(uint64 value, valid) of plot keys; valid where a key is 19 ASCII digits."""
    valid = np.fromiter((len(k) == DIGITS and k.isascii() and k.isdigit() for k in keys),
                        dtype=bool, count=len(keys))
    value = np.zeros(len(keys), dtype=np.uint64)
    if valid.any():
        value[valid] = np.array([int(keys[i]) for i in np.flatnonzero(valid).tolist()],
                                dtype=np.uint64)
    return value, valid


class IntKeyIndex:
    """Plot positions by their code as an integer (a code held by two plots names both,
    in position order)."""

    def __init__(self, keys: List[str]):
        self.value, self.valid = key_ints(keys)
        pos = np.flatnonzero(self.valid)
        order = np.argsort(self.value[pos], kind="stable")
        self.sorted = self.value[pos][order]
        self.pos = pos[order]

    def first_of(self, codes: np.ndarray) -> np.ndarray:
        """The first position holding each code, -1 where none does."""
        out = np.full(len(codes), -1, dtype=np.int64)
        if not len(self.sorted) or not len(codes):
            return out
        lo = np.minimum(np.searchsorted(self.sorted, codes, "left"), len(self.sorted) - 1)
        hit = self.sorted[lo] == codes
        out[hit] = self.pos[lo[hit]]
        return out

    def to_plots(self, counts: np.ndarray, codes: np.ndarray):
        """(ptr, plot, code_no) as jz_tables.flat_codes_to_plots gives them."""
        n = len(counts)
        item = np.repeat(np.arange(n), counts)
        code_no = np.arange(len(codes)) - np.repeat(np.cumsum(counts) - counts, counts)
        lo = np.searchsorted(self.sorted, codes, "left")
        hi = np.searchsorted(self.sorted, codes, "right")
        hits = hi - lo
        t = np.repeat(np.arange(len(codes)), hits)
        off = np.arange(int(hits.sum())) - np.repeat(np.cumsum(hits) - hits, hits)
        plot = self.pos[np.repeat(lo, hits) + off]
        item, code_no = item[t], code_no[t]
        return np.searchsorted(item, np.arange(n + 1)), plot, code_no
