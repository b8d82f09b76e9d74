"""A14: contract periods and the order of stage dates per 承包方.

Chain: CBF.CBFDCRQ → CBF.GSSHRQ → CBHT.QDSJ → CBJYQZDJB.DJSJ → CBJYQZ.FZRQ.
Equal dates pass; empty or unreadable dates are skipped.
"""
from .tables import parse_date, text

_LABEL = {"CBFDCRQ": "承包方调查日期", "GSSHRQ": "公示审核日期", "QDSJ": "签订时间",
          "DJSJ": "登记时间", "FZRQ": "发证日期"}
_TABLE_OF = {"CBFDCRQ": "CBF", "GSSHRQ": "CBF", "QDSJ": "CBHT", "DJSJ": "CBJYQZDJB",
             "FZRQ": "CBJYQZ"}


def a14(data, em):
    _periods(data, em)
    _chains(data, em)


def _periods(data, em):
    for table, noun in (("CBHT", "合同"), ("CBJYQZDJB", "登记簿")):
        for row, unit in data.scoped(table):
            start, end = parse_date(row.get("CBQXQ")), parse_date(row.get("CBQXZ"))
            if start is None or end is None or start < end:
                continue
            msg = "%s %s 承包期限起 CBQXQ %s 不早于承包期限止 CBQXZ %s" % (
                noun, data.key_of(table, row), start.isoformat(), end.isoformat())
            em.add(data.finding("A14", table, row, msg, unit,
                                values={"_fp": "CBQXQ|CBQXZ", "fields": ["CBQXQ", "CBQXZ"]},
                                relevant={"CBQXQ": start, "CBQXZ": end}))


def _chains(data, em):
    contracts = data.index("CBHT", "CBFBM")
    registers = data.index("CBJYQZDJB", "CBFBM")
    certificates = data.index("CBJYQZ", "CBJYQZBM")
    contract_by_code = data.index("CBHT", "CBHTBM")
    register_by_code = data.index("CBJYQZDJB", "CBJYQZBM")
    for row, unit in data.scoped("CBF"):
        cbfbm = text(row.get("CBFBM"))
        base = [("CBFDCRQ", parse_date(row.get("CBFDCRQ")), row),
                ("GSSHRQ", parse_date(row.get("GSSHRQ")), row)]
        _walk(data, em, base, 1, "CBF", row, unit, data.key_of("CBF", row))
        if not cbfbm:
            continue
        code_set = {text(r.get("CBHTBM")) for r in contracts.get(cbfbm, [])}
        code_set |= {text(r.get("CBJYQZBM")) for r in registers.get(cbfbm, [])}
        for code in sorted(c for c in code_set if c):
            ht = (contract_by_code.get(code) or [None])[0]
            djb = (register_by_code.get(code) or [None])[0]
            qz = (certificates.get(code) or [None])[0]
            chain = base + [("QDSJ", parse_date(ht.get("QDSJ")) if ht else None, ht),
                            ("DJSJ", parse_date(djb.get("DJSJ")) if djb else None, djb),
                            ("FZRQ", parse_date(qz.get("FZRQ")) if qz else None, qz)]
            _walk(data, em, chain, 2, None, None, unit, code)


def _walk(data, em, chain, start, table, row, unit, key):
    """Report each date earlier than the latest date of an earlier stage."""
    latest = None   # (field, date)
    for i, (fld, d, src) in enumerate(chain):
        if d is None:
            continue
        if i >= start and latest is not None and d < latest[1]:
            prev_fld, prev_d = latest
            t = table or _TABLE_OF[fld]
            r = row if row is not None else src
            noun = "承包方" if t == "CBF" else {"CBHT": "合同", "CBJYQZDJB": "登记簿",
                                               "CBJYQZ": "权证"}[t]
            msg = "%s %s 的%s %s %s 早于%s %s %s" % (
                noun, key, _LABEL[fld], fld, d.isoformat(), _LABEL[prev_fld], prev_fld,
                prev_d.isoformat())
            em.add(data.finding("A14", t, r, msg, unit, key=key,
                                key_field="CBFBM" if t == "CBF" else "CBJYQZBM" if t != "CBHT"
                                else "CBHTBM",
                                values={"_fp": "%s|%s" % (fld, prev_fld),
                                        "fields": [fld, prev_fld]},
                                relevant={fld: d, prev_fld: prev_d}))
        if latest is None or d > latest[1]:
            latest = (fld, d)
