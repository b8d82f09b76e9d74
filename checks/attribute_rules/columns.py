"""Whole-column profiles: what a field of a table holds, found at C speed in one pass.

A01, A02, A03, A04, A15 and A17 look at the profile first and skip a field whose
values certainly pass; only fields that may fail are checked value by value. The
profile covers the rows in the run's scope and is computed once per run.
"""
import re
from operator import itemgetter
from typing import FrozenSet, Optional

from .tables import CODE_FORMATS

_WS = re.compile(r"\s")
# Patterns on values joined by NUL start with the NUL literal: the regex engine then
# jumps from NUL to NUL instead of trying every character (the first and last value
# are tested apart).
_EDGE_WS = re.compile(r"\x00\s|\s\x00")
_BLANK_START = re.compile(r"\x00\s")
_LAST = itemgetter(-1)
_BODY = itemgetter(slice(0, -1))


class FieldProfile:
    """Figures of one field over the rows in scope, each computed when first asked for
    (A01 needs emptiness, A03 lengths, A15 whitespace …), at C speed where possible."""

    def __init__(self, col, fld: str, listed: bool = False):
        self.col, self.fld, self.listed = col, fld, listed
        self._memo = {}

    def _get(self, name, compute):
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    # --- text values -----------------------------------------------------------
    @property
    def n_null(self) -> int:
        return self._get("n_null", lambda: self.col.count(None))

    def _texts(self):
        """(text values, them joined by NUL): a column of text and NULL, the usual case,
        costs no Python-level loop."""
        def compute():
            col = self.col
            try:
                joined = "\x00".join(filter(None, col))
                return ([v for v in col if v is not None] if self.n_null else col), joined
            except TypeError:
                strs = [v for v in col if v.__class__ is str]
                return strs, "\x00".join(strs)
        return self._get("texts", compute)

    @property
    def nulls(self) -> bool:
        return self.n_null > 0

    @property
    def empty_strings(self) -> bool:
        return self._get("empty", lambda: "" in self._texts()[0])

    @property
    def blank_start(self) -> bool:
        """A text value starting with whitespace (or whitespace only)."""
        def compute():
            joined = self._texts()[1]
            return joined[:1].isspace() or _BLANK_START.search(joined) is not None
        return self._get("blank", compute)

    @property
    def whitespace(self) -> bool:
        return self._get("ws", lambda: _WS.search(self._texts()[1]) is not None)

    @property
    def max_length(self) -> int:
        return self._get("max_len", lambda: max(map(len, self._texts()[0]), default=0))

    @property
    def texts(self) -> bool:
        return bool(self._texts()[0])

    @property
    def may_be_empty(self) -> bool:
        return self.nulls or self.empty_strings or self.blank_start

    # --- other values ------------------------------------------------------------
    @property
    def other(self) -> bool:
        """A value that is neither text nor NULL (numbers …)."""
        return len(self.col) - len(self._texts()[0]) - self.n_null > 0

    def _numbers(self):
        def compute():
            if not self.other:
                return True, None, None
            nums = [v for v in self.col if v is not None and v.__class__ is not str]
            try:
                return True, min(nums), max(nums)
            except TypeError:        # bytes or other objects among them
                return False, None, None
        return self._get("numbers", compute)

    @property
    def numbers_ok(self) -> bool:
        return self._numbers()[0]

    @property
    def num_min(self):
        return self._numbers()[1]

    @property
    def num_max(self):
        return self._numbers()[2]

    @property
    def codes_ok(self) -> Optional[bool]:
        """Code fields: every non-empty value is a well-formed code (or list of codes)."""
        if self.fld not in CODE_FORMATS:
            return None
        def compute():
            if self.other:
                return False
            strs = self._texts()[0]
            return _list_codes_ok(self.fld, strs) if self.listed else _all_codes(self.fld, strs)
        return self._get("codes", compute)

    @property
    def distinct(self) -> FrozenSet:
        return self._get("distinct", lambda: frozenset(self.col))


# Fields holding several plot codes joined by "/".
LIST_FIELDS = frozenset([("JZD", "DKBM"), ("JZX", "DKBM")])


def profile(data, table: str, fld: str, coded: bool = False) -> FieldProfile:
    """The profile of a field over the scoped rows, one per run (coded: kept for A02)."""
    return data.ctx.cached("profile:%s.%s" % (table, fld), lambda: FieldProfile(
        data.table_columns(table).scoped_col(fld), fld, (table, fld) in LIST_FIELDS))


def _list_codes_ok(fld, strs) -> bool:
    """A '/'-joined list of codes (JZD.DKBM, JZX.DKBM) in every value: one regex pass
    finds the first value that is not such a list."""
    n, letters = CODE_FORMATS[fld]
    code = "[0-9]{%d}%s" % (n - (1 if letters else 0), "[%s]" % letters if letters else "")
    bad_start = re.compile(r"\x00(?!%s(?:/%s)*(?:\x00|$))" % (code, code))
    strs = list(filter(None, strs))
    return not strs or bad_start.search("\x00" + "\x00".join(strs)) is None


def _all_codes(fld, strs) -> bool:
    n, letters = CODE_FORMATS[fld]
    strs = list(filter(None, strs))     # '' is empty, not malformed (A01's matter)
    if set(map(len, strs)) - {n}:
        return False
    if letters:
        if set(map(_LAST, strs)) - set(letters):
            return False
        body = "".join(map(_BODY, strs))
    else:
        body = "".join(strs)
    return not body or (body.isdigit() and body.isascii())


def column(data, table, fld) -> list:
    """All values of a field (not only the scope's: use TableColumns.pick on indices)."""
    return data.table_columns(table).col(fld)


def surely_unique(col) -> bool:
    """No two non-null values equal, even once trimmed (A06's usual case, at C speed)."""
    vals = [v for v in col if v is not None]
    if len(set(vals)) != len(vals):
        return False
    try:
        joined = "\x00".join(vals)
    except TypeError:           # numbers (BSM): unique as they are, unless text is mixed in
        return not any(v.__class__ is str for v in vals)
    return not (joined[:1].isspace() or joined[-1:].isspace() or _EDGE_WS.search(joined))
