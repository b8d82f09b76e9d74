"""Who holds which plot: reassign and unassign plots, keep contract totals right.

A plot's holder is its CBDKXX row (CBFBM, CBHTBM, CBJYQZBM = CBHTBM of the holder's
contract, CBJYQQDFS = the contract's CBFS). After every move the totals of each
touched contract are recomputed: HTZMJ = Σ HTMJ (each at 0.01 m²), HTZMJM from
HTZMJ (not the sum of 亩 values, codes.md §7), CBDKZS = number of rows.
"""
from collections import Counter
from typing import Iterable, List, Optional

from .. import codes
from .allocation import contract_code
from .journal import OwnershipError
from .queries import contract_of
from .records import one, rows_in, text, total_m2
from .step import EditResult, EditStep

CONTRACT_TEMPLATE_FIELDS = ("CBQXQ", "CBQXZ", "QDSJ")


def _short_list(items: List[str], n: int = 4) -> str:
    return "、".join(items[:n]) + ("等 %d 块" % len(items) if len(items) > n else "")


def recompute_totals(step: EditStep, cbhtbm: str) -> None:
    contract = one(step.db, "CBHT", "CBHTBM", cbhtbm)
    if contract is None:
        return
    links = rows_in(step.db, "CBDKXX", "CBHTBM", [cbhtbm], ("HTMJ",))
    total = total_m2(links)
    step.journal.update("CBHT", contract["FID"], {"HTZMJ": total, "HTZMJM": codes.m2_to_mu(total),
                                                 "CBDKZS": len(links)})


def _template(db, fbfbm: str, preferred: Optional[str]) -> dict:
    """Contract period and signing date for a new contract: the plot's old contract, else
    the most common values among the 发包方's contracts."""
    if preferred:
        row = one(db, "CBHT", "CBHTBM", preferred, CONTRACT_TEMPLATE_FIELDS)
        if row is not None:
            return {f: row.get(f) for f in CONTRACT_TEMPLATE_FIELDS}
    rows = db.read("CBHT", ("FBFBM",) + CONTRACT_TEMPLATE_FIELDS, where="trim(FBFBM) = ?",
                   params=(fbfbm,))
    if not rows:
        return {}
    common = Counter(tuple(r.get(f) for f in CONTRACT_TEMPLATE_FIELDS) for r in rows).most_common(1)[0][0]
    return dict(zip(CONTRACT_TEMPLATE_FIELDS, common))


def default_cbfs(cbflx: str) -> str:
    """家庭承包 (110) for 农户, 其他方式承包 (120) for 个人 and 单位."""
    return "110" if text(cbflx) == "1" else "120"


def ensure_contract(step: EditStep, cbf: dict, template_from: Optional[str] = None,
                    cbfs: Optional[str] = None, values: Optional[dict] = None) -> dict:
    """The 承包方's CBHT row, created (CBFBM + J/Q, zero totals) when missing."""
    db = step.db
    existing = contract_of(db, text(cbf.get("CBFBM")))
    if existing is not None:
        return existing
    cbfbm = text(cbf.get("CBFBM"))
    cbfs = text(cbfs) or default_cbfs(cbf.get("CBFLX"))
    code = contract_code(cbfbm, cbfs)
    row = {"CBHTBM": code, "FBFBM": cbfbm[:14], "CBFBM": cbfbm, "CBFS": cbfs,
           "HTZMJ": 0.0, "HTZMJM": 0.0, "CBDKZS": 0}
    row.update(_template(db, cbfbm[:14], template_from))
    row.update({k: v for k, v in (values or {}).items() if v not in (None, "")})
    fid = step.journal.insert("CBHT", row)
    step.data.setdefault("created_contracts", []).append(code)
    return one(db, "CBHT", "fid", fid)


def _links(db, dkbm: str) -> List[dict]:
    return rows_in(db, "CBDKXX", "DKBM", [dkbm])


def reassign(db, dkbms: Iterable[str], target_cbfbm: str, who: Optional[str] = None) -> EditResult:
    """Give plots to another 承包方 (moving or creating their CBDKXX rows); one step."""
    target_cbfbm = text(target_cbfbm)
    target = one(db, "CBF", "CBFBM", target_cbfbm)
    if target is None:
        raise OwnershipError("承包方 %s 不存在" % target_cbfbm)
    dkbms = sorted({text(d) for d in dkbms if text(d)})
    if not dkbms:
        raise OwnershipError("没有选择地块（未编码的地块请先分配地块代码）")
    plots = {text(p["DKBM"]): p for p in rows_in(db, "DK", "DKBM", dkbms, ("DKBM", "SCMJ", "DKLB"))}
    missing = [d for d in dkbms if d not in plots]
    if missing:
        raise OwnershipError("地块 %s 不在地块图层中" % "、".join(missing))
    foreign = [d for d in dkbms if d[:14] != target_cbfbm[:14]]
    if foreign:
        raise OwnershipError("地块 %s 属于其他发包方，不能调整给发包方 %s 的承包方 %s" % (
            "、".join(foreign), target_cbfbm[:14], target_cbfbm))
    links = {d: _links(db, d) for d in dkbms}
    several = [d for d, ls in links.items() if len(ls) > 1]
    if several:
        raise OwnershipError("地块 %s 有多条承包地块信息（重复记录或确权确股），不能整块调整；"
                             "请先处理这些记录" % "、".join(several))
    moving = [d for d in dkbms if not links[d] or text(links[d][0].get("CBFBM")) != target_cbfbm]
    if not moving:
        raise OwnershipError("所选地块已属于承包方 %s %s" % (target_cbfbm, text(target.get("CBFMC"))))
    old_cbf = sorted({text(links[d][0].get("CBFBM")) for d in moving if links[d]})
    old_ht = sorted({text(links[d][0].get("CBHTBM")) for d in moving if links[d]})
    current = contract_of(db, target_cbfbm)
    new_ht = text(current.get("CBHTBM")) if current else contract_code(
        target_cbfbm, default_cbfs(target.get("CBFLX")))
    note = "地块 %s 调整给承包方 %s %s" % (_short_list(moving), target_cbfbm, text(target.get("CBFMC")))
    with EditStep(db, "调整承包方", who, note) as step:
        step.touch(dkbm=moving, cbfbm=old_cbf + [target_cbfbm], cbhtbm=old_ht + [new_ht])
        template = old_ht[0] if old_ht else None
        contract = ensure_contract(step, target, template_from=template)
        code, cbfs = text(contract.get("CBHTBM")), text(contract.get("CBFS"))
        for d in moving:
            change = {"CBFBM": target_cbfbm, "CBHTBM": code, "CBJYQZBM": code, "CBJYQQDFS": cbfs,
                      "FBFBM": d[:14]}
            if links[d]:
                step.journal.update("CBDKXX", links[d][0]["FID"], change)
            else:
                area = codes.round2(plots[d].get("SCMJ"))
                change.update({"DKBM": d, "HTMJ": area, "HTMJM": codes.m2_to_mu(area), "SFQQQG": "2"})
                step.journal.insert("CBDKXX", change)
        for ht in sorted(set(old_ht + [code])):
            recompute_totals(step, ht)
        _status_warnings(step, old_ht, code)
        step.data.update({"moved": moving, "contract": code})
    return step.result


def _status_warnings(step: EditStep, old_codes: List[str], new_code: str):
    db = step.db
    for ht in old_codes:
        if one(db, "CBJYQZ", "CBJYQZBM", ht) is not None:
            step.warn("原权证 %s 已颁发，地块变更后需换发" % ht)
        elif one(db, "CBJYQZDJB", "CBJYQZBM", ht) is not None:
            step.warn("原登记簿 %s 已登记，地块变更后需重新登记" % ht)
    if new_code and one(db, "CBJYQZDJB", "CBJYQZBM", new_code) is None and any(
            one(db, "CBJYQZDJB", "CBJYQZBM", ht) is not None for ht in old_codes):
        step.warn("新承包方合同 %s 尚无登记簿" % new_code)


def unassign(db, dkbms: Iterable[str], who: Optional[str] = None) -> EditResult:
    """Remove plots from their 承包方 (delete their CBDKXX rows), recompute the contracts."""
    dkbms = sorted({text(d) for d in dkbms if text(d)})
    links = {d: rows_in(db, "CBDKXX", "DKBM", [d]) for d in dkbms}
    held = [d for d in dkbms if links[d]]
    if not held:
        raise OwnershipError("所选地块没有承包方")
    old_cbf = sorted({text(r.get("CBFBM")) for d in held for r in links[d]})
    old_ht = sorted({text(r.get("CBHTBM")) for d in held for r in links[d]})
    note = "取消地块 %s 的承包（原承包方 %s）" % (_short_list(held), "、".join(old_cbf))
    with EditStep(db, "取消承包", who, note) as step:
        step.touch(dkbm=held, cbfbm=old_cbf, cbhtbm=old_ht)
        for d in held:
            for r in links[d]:
                step.journal.delete("CBDKXX", r["FID"])
        for ht in old_ht:
            recompute_totals(step, ht)
        contracted = [text(p["DKBM"]) for p in rows_in(db, "DK", "DKBM", held, ("DKBM", "DKLB"))
                      if text(p.get("DKLB")) == "10"]
        if contracted:
            step.warn("承包地块 %s 取消后没有承包方（X02），请尽快调整给新的承包方" % _short_list(contracted))
        _status_warnings(step, old_ht, "")
        step.data["unassigned"] = held
    return step.result
