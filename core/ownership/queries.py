"""Read side of the ownership editor: a plot, a household, a contract, search, pickers.

Everything returns plain dicts keyed by field code (plus derived *_NAME labels),
so the dock and the tests read the same thing.
"""
from typing import Dict, List, Optional

from .. import codelists, codes
from .records import one, rows_in, text, total_m2

DK_FIELDS = ("DKBM", "DKMC", "DKLB", "SCMJ", "SCMJM", "DKDZ", "DKNZ", "DKXZ", "DKBZ", "ZJRXM",
             "DLDJ", "TDYT", "SFJBNT", "DKBZXX", "TDLYLX", "SYQXZ", "BSM")
SIZHI = (("DKDZ", "东"), ("DKNZ", "南"), ("DKXZ", "西"), ("DKBZ", "北"))


def _labelled(row: Optional[dict], pairs) -> Optional[dict]:
    if row is None:
        return None
    for fld, list_id in pairs:
        row[fld + "_NAME"] = codelists.label(list_id, text(row.get(fld))) if text(row.get(fld)) else ""
    return row


def plot(db, dkbm: Optional[str] = None, fid: Optional[int] = None) -> Optional[dict]:
    """DK attributes of one plot (by DKBM or fid), with DKLB_NAME and the 四至 text."""
    if fid is not None:
        rows = rows_in(db, "DK", "fid", [fid], DK_FIELDS)
    else:
        rows = rows_in(db, "DK", "DKBM", [dkbm], DK_FIELDS)
    if not rows:
        return None
    row = _labelled(rows[0], (("DKLB", "C.7"), ("DLDJ", "C.8"), ("TDYT", "C.9"), ("SFJBNT", "C.19")))
    row["SIZHI"] = "；".join("%s至 %s" % (d, text(row.get(f))) for f, d in SIZHI if text(row.get(f)))
    return row


def plot_fids_to_codes(db, fids) -> List[str]:
    """DKBM of the given DK features (fids), sorted; plots without a code are left out."""
    rows = rows_in(db, "DK", "fid", list(fids), ("DKBM",))
    return sorted({text(r.get("DKBM")) for r in rows if text(r.get("DKBM"))})


def register_status(register: Optional[dict], certificate: Optional[dict]) -> str:
    """登记簿 / 权证 state in words, e.g. '已登记（2017-05-02）；已发证（2017-06-01），已领取'."""
    if register is None:
        out = "未登记"
    else:
        out = "已登记" + ("（%s）" % text(register.get("DJSJ")) if text(register.get("DJSJ")) else "")
    if certificate is None:
        return out + "；未发证"
    out += "；已发证" + ("（%s）" % text(certificate.get("FZRQ")) if text(certificate.get("FZRQ")) else "")
    return out + ("，已领取" if text(certificate.get("QZSFLQ")) == "1" else "，未领取")


def contract_records(db, cbhtbm: str) -> Dict[str, Optional[dict]]:
    contract = one(db, "CBHT", "CBHTBM", cbhtbm)
    _labelled(contract, (("CBFS", "C.10"),))
    register = one(db, "CBJYQZDJB", "CBJYQZBM", cbhtbm)
    certificate = one(db, "CBJYQZ", "CBJYQZBM", cbhtbm)
    return {"contract": contract, "register": register, "certificate": certificate,
            "status": register_status(register, certificate) if cbhtbm else ""}


def contract_of(db, cbfbm: str) -> Optional[dict]:
    """The 承包方's contract (the lowest CBHTBM when, unusually, there are several)."""
    rows = rows_in(db, "CBHT", "CBFBM", [cbfbm], order='"CBHTBM"')
    return rows[0] if rows else None


def plot_info(db, dkbm: Optional[str] = None, fid: Optional[int] = None) -> Optional[dict]:
    """A plot with its CBDKXX row, contractor, contract, register and certificate."""
    p = plot(db, dkbm, fid)
    if p is None:
        return None
    link = one(db, "CBDKXX", "DKBM", p["DKBM"]) if text(p.get("DKBM")) else None
    _labelled(link, (("CBJYQQDFS", "C.10"),))
    cbfbm = text(link.get("CBFBM")) if link else ""
    contractor = _labelled(one(db, "CBF", "CBFBM", cbfbm), (("CBFLX", "C.16"),)) if cbfbm else None
    cbhtbm = text(link.get("CBHTBM")) if link else ""
    info = {"plot": p, "link": link, "contractor": contractor}
    info.update(contract_records(db, cbhtbm) if cbhtbm else
                {"contract": None, "register": None, "certificate": None, "status": ""})
    return info


def members(db, cbfbm: str) -> List[dict]:
    """Household members, head first, with gender/relation names and the birth date from the ID."""
    rows = rows_in(db, "CBF_JTCY", "CBFBM", [cbfbm])
    for m in rows:
        _labelled(m, (("CYXB", "C.17"), ("CYZJLX", "C.15"), ("YHZGX", "GB4761"), ("CYBZ", "C.18"),
                      ("SFGYR", "C.19")))
        born = codes.id_birth_date(m.get("CYZJHM")) if text(m.get("CYZJLX")) == "1" else None
        m["BIRTH"] = born.isoformat() if born else ""
        m["IS_HEAD"] = text(m.get("YHZGX")) in codelists.HEAD_RELATIONS
    rows.sort(key=lambda m: (not m["IS_HEAD"], m["FID"]))
    return rows


def household(db, cbfbm: str) -> Optional[dict]:
    """A 承包方 with members, plots (CBDKXX joined with DK), contract, status and totals."""
    cbf = _labelled(one(db, "CBF", "CBFBM", cbfbm), (("CBFLX", "C.16"), ("CBFZJLX", "C.15")))
    if cbf is None:
        return None
    links = rows_in(db, "CBDKXX", "CBFBM", [cbfbm], order='"DKBM"')
    plots = {text(p.get("DKBM")): p for p in rows_in(db, "DK", "DKBM", [text(r.get("DKBM")) for r in links],
                                                     ("DKBM", "DKMC", "DKLB", "SCMJ", "SCMJM"))}
    rows = []
    for r in links:
        p = plots.get(text(r.get("DKBM")), {})
        row = dict(r)
        row.update({"DK_FID": p.get("FID"), "DKMC": p.get("DKMC"), "DKLB": p.get("DKLB"),
                    "DKLB_NAME": codelists.label("C.7", text(p.get("DKLB"))), "SCMJ": p.get("SCMJ"),
                    "SCMJM": p.get("SCMJM"),
                    "CBJYQQDFS_NAME": codelists.label("C.10", text(r.get("CBJYQQDFS")))})
        rows.append(row)
    contract = contract_of(db, cbfbm)
    records = contract_records(db, text(contract.get("CBHTBM"))) if contract else {
        "contract": None, "register": None, "certificate": None, "status": "无合同"}
    ht, sc = total_m2(rows, "HTMJ"), total_m2(rows, "SCMJ")
    totals = {"count": len(rows), "HTMJ": ht, "HTMJM": codes.m2_to_mu(ht), "SCMJ": sc,
              "SCMJM": codes.m2_to_mu(sc)}
    out = {"cbf": cbf, "members": members(db, cbfbm), "plots": rows, "totals": totals}
    out.update(records)
    return out


def fbf_list(db) -> List[dict]:
    return sorted(db.read("FBF", ("FBFBM", "FBFMC")), key=lambda r: text(r.get("FBFBM")))


def contractors(db, fbfbm: str = "", query: str = "", limit: int = 300) -> List[dict]:
    """承包方 for the picker: under a 发包方 and/or matching code, name or ID (sorted by code)."""
    q = text(query).upper()
    sql = ('SELECT fid, CBFBM, CBFMC, CBFLX, CBFZJHM, CBFCYSL FROM CBF WHERE trim(CBFBM) LIKE ? '
           'AND (? = \'\' OR trim(CBFBM) LIKE ? OR CBFMC LIKE ? OR upper(CBFZJHM) LIKE ? OR trim(CBFBM) IN '
           '(SELECT trim(CBFBM) FROM CBF_JTCY WHERE CYXM LIKE ? OR upper(CYZJHM) LIKE ?)) '
           'ORDER BY trim(CBFBM) LIMIT ?')
    like = "%" + q + "%"
    out = []
    for fid, *vals in db.conn.execute(sql, (text(fbfbm) + "%", q, like, like, like, like, like, limit)):
        row = dict(zip(("CBFBM", "CBFMC", "CBFLX", "CBFZJHM", "CBFCYSL"), vals))
        row["FID"] = fid
        row["CBFLX_NAME"] = codelists.label("C.16", text(row["CBFLX"]))
        out.append(row)
    return out


def search(db, query: str, limit: int = 100) -> List[dict]:
    """Plots by DKBM / DKMC and 承包方 by code, name, member name or ID number.

    Hits: {'kind': 'DK' | 'CBF', 'key': code, 'title': …, 'detail': what matched}.
    """
    q = text(query).upper()
    if not q:
        return []
    like = "%" + q + "%"
    hits: Dict[tuple, dict] = {}
    for fid, dkbm, dkmc in db.conn.execute(
            "SELECT fid, DKBM, DKMC FROM DK WHERE trim(DKBM) LIKE ? OR DKMC LIKE ? "
            "ORDER BY trim(DKBM) LIMIT ?", (like, like, limit)):
        key = text(dkbm) or "fid:%d" % fid
        hits[("DK", key)] = {"kind": "DK", "key": key, "fid": fid, "title": "地块 %s %s" % (key, text(dkmc)),
                             "detail": "地块"}
    for cbfbm, name, number in db.conn.execute(
            "SELECT CBFBM, CBFMC, CBFZJHM FROM CBF WHERE trim(CBFBM) LIKE ? OR CBFMC LIKE ? "
            "OR upper(CBFZJHM) LIKE ? ORDER BY trim(CBFBM) LIMIT ?", (like, like, like, limit)):
        hits[("CBF", text(cbfbm))] = {"kind": "CBF", "key": text(cbfbm),
                                      "title": "承包方 %s %s" % (text(cbfbm), text(name)),
                                      "detail": codes.mask_id(number) if q in text(number).upper() else "承包方"}
    for cbfbm, name, number in db.conn.execute(
            "SELECT CBFBM, CYXM, CYZJHM FROM CBF_JTCY WHERE CYXM LIKE ? OR upper(CYZJHM) LIKE ? "
            "ORDER BY trim(CBFBM) LIMIT ?", (like, like, limit)):
        key = ("CBF", text(cbfbm))
        if key not in hits:
            head = one(db, "CBF", "CBFBM", cbfbm, ("CBFMC",))
            hits[key] = {"kind": "CBF", "key": text(cbfbm),
                         "title": "承包方 %s %s" % (text(cbfbm), text(head.get("CBFMC")) if head else ""),
                         "detail": "成员 %s" % text(name)}
    return sorted(hits.values(), key=lambda h: (h["kind"] != "CBF", h["key"]))[:limit]


def audit_rows(db, dkbm: str = "", cbfbm: str = "", limit: int = 500) -> List[dict]:
    """qq_audit rows about a plot (DK, CBDKXX, disputes) or a household (CBF*, CBHT…), newest first."""
    if not db.has("qq_audit"):
        return []
    cols = ("fid", "at", "who", "action", "table_name", "key", "field", "old_value", "new_value", "batch")
    if dkbm:
        where, params = "trim(key) = ?", [text(dkbm)]
    elif cbfbm:
        own = "trim(key) IN (?, ?, ?)"
        codes3 = [text(cbfbm), text(cbfbm) + "J", text(cbfbm) + "Q"]
        # plots moved to or from the household are keyed by DKBM: include those steps' rows
        where = "%s OR batch IN (SELECT batch FROM qq_audit WHERE %s)" % (own, own)
        params = codes3 * 2
    else:
        where, params = "1", []
    rows = db.conn.execute('SELECT %s FROM qq_audit WHERE %s ORDER BY fid DESC LIMIT ?' % (
        ", ".join('"%s"' % c for c in cols), where), params + [limit]).fetchall()
    return [dict(zip(cols, r)) for r in rows]
