"""A04 code format, A05 code hierarchy, A06 duplicate keys (checks.md §7 A)."""
from collections import Counter

from ...core import schema
from ...core.codelists import CBFLX_NAMES, CBFLX_RANGES
from .columns import LIST_FIELDS, profile, surely_unique
from .tables import code_well_formed, malformed_indices, text, texts

_FORMAT_TEXT = {
    "DKBM": "19 位数字", "CBFBM": "18 位数字", "SRFBM": "18 位数字", "FBFBM": "14 位数字",
    "CBHTBM": "18 位数字加 J 或 Q", "CBJYQZBM": "18 位数字加 J 或 Q", "LZHTBM": "18 位数字",
    "XZQDM": "6 位数字", "XJQYDM": "9 位数字", "CJQYDM": "12 位数字", "ZJQYDM": "14 位数字",
}


def _plot_of(table, row):
    return text(row.get("DKBM")) if table in ("DK", "CBDKXX") else ""


def _suspects(fld, col):
    """Indices of non-empty values that are not already well-formed codes."""
    return [i for i in malformed_indices(fld, col) if col[i] is not None]


def a04(data, em):
    for t in schema.ALL:
        if not data.has(t.code):
            continue
        cols = data.columns(t.code)
        fields = [f for f in _FORMAT_TEXT if t.has_field(f) and f in cols]
        if not fields:
            continue
        tc = data.table_columns(t.code)
        for fld in fields:
            col = tc.col(fld)
            listed = (t.code, fld) in LIST_FIELDS
            if profile(data, t.code, fld).codes_ok:
                candidates = []
            else:
                candidates = [i for i, v in enumerate(col) if v is not None] if listed \
                    else _suspects(fld, col)
            malformed = set()
            for i, row, unit in tc.pick(candidates):
                v = text(col[i])
                if not v:
                    continue
                parts = [p.strip() for p in v.split("/")] if listed else [v]
                bad = [p for p in parts if not code_well_formed(fld, p)]
                if bad:
                    malformed.add(i)
                    _emit(data, em, t.code, row, unit, fld, v,
                          "值 %s 格式错误，应为 %s" % ("、".join(bad), _FORMAT_TEXT[fld]))
            if fld in ("CBHTBM", "CBJYQZBM"):
                _contract_letter(data, em, tc, fld, cols, malformed)


def _contract_letter(data, em, tc, fld, cols, malformed):
    """CBHTBM / CBJYQZBM: first 18 = the row's CBFBM; J exactly for CBFS 110."""
    col = tc.col(fld)
    cbf = tc.col("CBFBM") if "CBFBM" in cols else [None] * len(col)
    cbfs = tc.col("CBFS") if "CBFS" in cols else [None] * len(col)
    suspects = [i for i, (v, c, fs) in enumerate(zip(col, cbf, cbfs)) if v.__class__ is str and (
        (c is not None and v[:18] != c) or (fs is not None and (v[-1:] == "J") != (fs == "110")))]
    for i, row, unit in tc.pick(suspects):
        if i in malformed:
            continue
        v = text(col[i])
        if not code_well_formed(fld, v):
            continue
        cbfbm = text(cbf[i])
        if code_well_formed("CBFBM", cbfbm) and v[:18] != cbfbm:
            _emit(data, em, tc.table, row, unit, fld, v,
                  "值 %s 的前 18 位与本行承包方代码 %s 不一致" % (v, cbfbm))
        fs = text(cbfs[i])
        if fs and (v[-1] == "J") != (fs == "110"):
            want = "J" if fs == "110" else "Q"
            _emit(data, em, tc.table, row, unit, fld, v,
                  "值 %s 以 %s 结尾，但承包方式 CBFS 为 %s，应以 %s 结尾（J 仅用于家庭承包 110）"
                  % (v, v[-1], fs, want))


def _emit(data, em, table, row, unit, fld, value, why):
    msg = "%s 的字段 %s%s" % (data.describe(table, row), data.field_label(table, fld), why)
    f = data.finding("A04", table, row, msg, unit, fld=fld, values={"value": value},
                     relevant={fld: value, "CBFBM": row.get("CBFBM"), "CBFS": row.get("CBFS")})
    em.add(f, plot=_plot_of(table, row))


def a05(data, em):
    for table in ("CBDKXX", "CBHT", "CBJYQZDJB"):
        fields = ("DKBM", "CBFBM") if table == "CBDKXX" else ("CBFBM",)
        tc = data.table_columns(table)
        fbf = texts(tc.col("FBFBM"))
        for fld in fields:
            col = texts(tc.col(fld))
            # by column: only rows whose code does not start with their FBFBM are looked at
            suspects = [i for i, (v, f) in enumerate(zip(col, fbf)) if v and f and v[:14] != f]
            for i, row, unit in tc.pick(suspects):
                fbfbm, v = fbf[i], col[i]
                if not code_well_formed("FBFBM", fbfbm) or not code_well_formed(fld, v):
                    continue
                msg = "%s 的 %s %s 不以本行发包方代码 %s 开头（编码层级不符）" % (
                    data.describe(table, row), fld, v, fbfbm)
                f = data.finding("A05", table, row, msg, unit, fld=fld, key=v, key_field=fld,
                                 related=(fbfbm,), related_field="FBFBM",
                                 values={"_fp": "%s.%s" % (table, fld)},
                                 relevant={fld: v, "FBFBM": fbfbm})
                em.add(f, plot=text(row.get("DKBM")) if table == "CBDKXX" else "")
    for row, unit in data.scoped("CBF"):
        v, lx = text(row.get("CBFBM")), text(row.get("CBFLX"))
        if not code_well_formed("CBFBM", v) or lx not in CBFLX_RANGES:
            continue
        lo, hi = CBFLX_RANGES[lx]
        seq = int(v[14:18])
        if lo <= seq <= hi:
            continue
        msg = "承包方 %s 的顺序码 %s 不在%s的范围 %04d–%04d 内" % (
            v, v[14:18], CBFLX_NAMES[lx], lo, hi)
        em.add(data.finding("A05", "CBF", row, msg, unit, fld="CBFBM",
                            values={"sequence": v[14:18], "cbflx": lx},
                            relevant={"CBFBM": v, "CBFLX": lx}))


# (table, field, rows excluded) of A06; BSM of every layer is added below.
_UNIQUE = (("DK", "DKBM"), ("CBDKXX", "DKBM"), ("CBF", "CBFBM"), ("FBF", "FBFBM"),
           ("CBHT", "CBHTBM"), ("CBJYQZDJB", "CBJYQZBM"), ("CBJYQZ", "CBJYQZBM"))


def a06(data, em):
    checks = list(_UNIQUE) + [(t.code, "BSM") for t in schema.LAYERS]
    for table, fld in checks:
        if not data.has(table) or fld not in data.columns(table):
            continue
        tc = data.table_columns(table)
        raw = tc.col(fld)
        # the usual case, unique values as stored, is settled at C speed
        if surely_unique(raw):
            continue
        share = tc.col("SFQQQG") if table == "CBDKXX" else None
        # share-based plots (确权确股, SFQQQG 1) may have several CBDKXX rows
        col = [None if share is not None and share[i] in ("1", 1) else text(v)
               for i, v in enumerate(raw)]
        counts = Counter(col)
        dups = {v for v, c in counts.items() if c > 1 and v}
        if not dups:
            continue
        groups = {}
        for i, v in enumerate(col):
            if v in dups:
                groups.setdefault(v, []).append((tc.row(i), tc.unit(i)))
        for v, occ in sorted(groups.items()):
            if not any(data.in_scope(u) for _, u in occ):
                continue
            fids = sorted(int(r["FID"]) for r, _ in occ)
            msg = "%s（%s）中 %s %s 重复 %d 次（fid %s）" % (
                schema.BY_CODE[table].name, table, fld, v, len(occ),
                "、".join(str(x) for x in fids))
            first = min(occ, key=lambda o: o[0]["FID"])
            f = data.finding("A06", table, first[0], msg, first[1], fld=fld, key=v, key_field=fld,
                             related=tuple("fid:%d" % x for x in fids), related_field="",
                             values={"count": len(occ)}, relevant={"fids": fids, fld: v})
            em.add(f, plot=v if (table, fld) in (("DK", "DKBM"), ("CBDKXX", "DKBM")) else "")
