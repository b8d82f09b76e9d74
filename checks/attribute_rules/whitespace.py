"""A15: leading, trailing or inner whitespace in names, codes and ID numbers.

Whitespace is anything str.isspace() accepts: space, U+3000, tab, no-break space.
Addresses and notes are not checked; a middle dot (阿卜杜·热合曼) is not whitespace.
"""
import re

from ...core import codes, schema
from .columns import column, profile
from .tables import text

NAME_FIELDS = {
    "FBF": ("FBFMC", "FBFFZRXM", "FBFDCY"),
    "CBF": ("CBFMC", "CBFDCY", "GSJSR", "GSSHR"),
    "CBF_JTCY": ("CYXM",),
    "DK": ("DKMC", "DKDZ", "DKNZ", "DKXZ", "DKBZ", "ZJRXM"),
    "CBJYQZDJB": ("DBR",),
    "CBJYQZ": ("QZLQRXM",),
    "CBJYQZ_QZBF": ("QZBFLQRXM",),
    "CBJYQZ_QZHF": ("QZHFLQRXM",),
    "XJXZQ": ("XZQMC",), "XJQY": ("XJQYMC",), "CJQY": ("CJQYMC",), "ZJQY": ("ZJQYMC",),
}
CODE_FIELDS = tuple(codes.CODE_PATTERNS) + ("JZDH",)
ID_NUMBER_FIELDS = {f for (_t, f) in schema.ID_FIELDS}
# Fields holding several names: a space right after a separator is ordinary typing.
_MULTI = {"ZJRXM", "FBFDCY"}
_WS = re.compile(r"\s")
_AFTER_SEP = re.compile(r"(?<=[,，、;；/])[ \u3000]+")
_KIND = {"\u3000": "全角空格", "\t": "制表符", "\xa0": "不换行空格"}


def _fields_of(table):
    t = schema.BY_CODE[table]
    names = [f for f in NAME_FIELDS.get(table, ()) if t.has_field(f)]
    other = [f.code for f in t.fields
             if f.code in CODE_FIELDS or f.code in ID_NUMBER_FIELDS]
    return names + [f for f in other if f not in names]


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
        fields = [f for f in _fields_of(t.code) if f in cols]
        if not fields:
            continue
        pairs = data.scoped(t.code)
        search = _WS.search
        for fld in fields:
            multi = fld in _MULTI
            if not profile(data, t.code, fld).whitespace:
                continue
            col = column(data, t.code, fld)
            for i in [i for i, v in enumerate(col) if v.__class__ is str and search(v)]:
                row, unit = pairs[i]
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
