"""A15: leading, trailing or inner whitespace in names, codes and ID numbers.

Whitespace is anything str.isspace() accepts: space, U+3000, tab, no-break space.
Addresses and notes are not checked; a middle dot (阿卜杜·热合曼) is not whitespace.
"""
import re

from ...core import schema
from .columns import profile
from .tables import text, whitespace_fields

# Fields holding several names: a space right after a separator is ordinary typing.
_MULTI = {"ZJRXM", "FBFDCY"}
_WS = re.compile(r"\s")
_AFTER_SEP = re.compile(r"(?<=[,，、;；/])[ \u3000]+")
_KIND = {"\u3000": "全角空格", "\t": "制表符", "\xa0": "不换行空格"}


def where(value: str, multi: bool = False):
    """Positions (开头/末尾/中间) and kinds of whitespace, or None when clean."""
    if not _WS.search(value):
        return None
    probe = _AFTER_SEP.sub("", value) if multi else value
    places = []
    if probe[:1].isspace():
        places.append("开头")
    if probe[-1:].isspace():
        places.append("末尾")
    if _WS.search(probe.strip()):
        places.append("中间")
    if not places:
        return None
    kinds = sorted({_KIND[ch] for ch in probe if ch in _KIND})
    return places, kinds


def a15(data, em):
    for t in schema.ALL:
        if not data.has(t.code):
            continue
        cols = data.columns(t.code)
        fields = [f for f in whitespace_fields(t.code) if f in cols]
        if not fields:
            continue
        tc = data.table_columns(t.code)
        search = _WS.search
        for fld in fields:
            multi = fld in _MULTI
            if profile(data, t.code, fld).whitespace is False:
                continue
            col = tc.col(fld)
            for i, row, unit in tc.pick([i for i, v in enumerate(col)
                                         if v.__class__ is str and search(v)]):
                v = col[i]
                if not v.strip():
                    continue   # whitespace only is empty: A01, A08, A13
                found = where(v, multi)
                if found is None:
                    continue
                places, kinds = found
                msg = "%s 的字段 %s值“%s”含多余空格（%s%s）" % (
                    data.describe(t.code, row), data.field_label(t.code, fld), v,
                    "、".join(places), "；" + "、".join(kinds) if kinds else "")
                f = data.finding("A15", t.code, row, msg, unit, fld=fld,
                                 values={"value": v, "where": places}, relevant={fld: v})
                em.add(f, plot=text(row.get("DKBM")) if t.code in ("DK", "CBDKXX") else "")
