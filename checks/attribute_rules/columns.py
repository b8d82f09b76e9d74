"""Whole-column profiles: what a field of a table holds, found at C speed in one pass.

A01, A02, A03, A04, A15 and A17 look at the profile first and skip a field whose
values certainly pass; only fields that may fail are checked value by value. The
profile covers the rows in the run's scope and is computed once per run.
"""
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import FrozenSet, Optional

from .tables import CODE_FORMATS

_WS = re.compile(r"\s")
_LAST = itemgetter(-1)
_BODY = itemgetter(slice(0, -1))


@dataclass(frozen=True)
class FieldProfile:
    nulls: bool                 # a NULL
    empty_strings: bool         # a '' value
    whitespace: bool            # some text value contains whitespace (incl. whitespace-only)
    max_length: int             # longest text value, in characters
    texts: bool                 # a text value
    other: bool                 # a value that is neither text nor NULL (numbers …)
    num_min: Optional[float]    # over the non-text values, when they are all numbers
    num_max: Optional[float]
    numbers_ok: bool            # every non-text, non-NULL value is a number
    codes_ok: Optional[bool]    # code fields: every non-empty value is a well-formed code
    distinct: Optional[FrozenSet]   # coded fields: the set of values

    @property
    def may_be_empty(self) -> bool:
        return self.nulls or self.empty_strings or self.whitespace


def profile(data, table: str, fld: str, coded: bool = False) -> FieldProfile:
    key = "profile:%s.%s%s" % (table, fld, ":coded" if coded else "")
    return data.ctx.cached(key, lambda: _build(data.column(table, fld), fld, coded))


def _texts(col, n_null):
    """(text values, them joined by NUL): a column of text and NULL, the usual case,
    costs no Python-level loop."""
    try:
        joined = "\x00".join(filter(None, col))
        return ([v for v in col if v is not None] if n_null else col), joined
    except TypeError:
        strs = [v for v in col if v.__class__ is str]
        return strs, "\x00".join(strs)


def _build(col, fld, coded) -> FieldProfile:
    n_null = col.count(None)
    strs, joined = _texts(col, n_null)
    other = len(col) - len(strs) - n_null > 0
    num_min = num_max = None
    numbers_ok = True
    if other:
        nums = [v for v in col if v is not None and v.__class__ is not str]
        try:
            num_min, num_max = min(nums), max(nums)
        except TypeError:        # bytes or other objects among them
            numbers_ok = False
    codes_ok = None
    if fld in CODE_FORMATS:
        codes_ok = not other and _all_codes(fld, strs)
    return FieldProfile(
        nulls=n_null > 0, empty_strings="" in strs, texts=bool(strs),
        whitespace=_WS.search(joined) is not None,
        max_length=max(map(len, strs), default=0), other=other,
        num_min=num_min, num_max=num_max, numbers_ok=numbers_ok, codes_ok=codes_ok,
        distinct=frozenset(col) if coded else None)


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
    return data.column(table, fld)
