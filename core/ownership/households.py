"""承包方 and household members: creation, member add / edit / remove, head of household.

Invariants kept by every step (rules A07–A12): ID numbers valid for 证件类型 1 and
stored with uppercase X; CYXB follows the ID's gender digit; a 农户 has exactly one
head (YHZGX 01/02) whose name and number mirror CBF.CBFMC / CBFZJHM; CBFCYSL is the
member count (1 for 个人 and 单位).
"""
from typing import Dict, Optional

from .. import codelists
from .allocation import contract_code, next_cbfbm
from .contracts import default_cbfs, ensure_contract
from .idcheck import ID_CARD, id_hint
from .journal import OwnershipError
from .records import one, parse_date, rows_in, text, today
from .step import EditResult, EditStep

MEMBER_FIELDS = ("CYXM", "CYXB", "CYZJLX", "CYZJHM", "YHZGX", "CYBZ", "SFGYR", "CYBZSM")
HEADS = codelists.HEAD_RELATIONS


def _survey_date(cbf: dict):
    return parse_date(cbf.get("CBFDCRQ"))


def _identity(values: Dict, step: EditStep, survey=None, who_text: str = "") -> Dict:
    """Normalise the number (x → X, 15 → 18 digits) and derive CYXB for 证件类型 1."""
    out = dict(values)
    id_type = text(out.get("CYZJLX")) or ID_CARD
    out["CYZJLX"] = id_type
    hint = id_hint(out.get("CYZJHM"), id_type, survey)
    if not hint.ok:
        raise OwnershipError("%s证件号码无效：%s" % (who_text, hint.message))
    out["CYZJHM"] = hint.number
    if hint.converted:
        step.warn("%s的 15 位身份证号已按 18 位 %s 保存" % (who_text, hint.number))
    if hint.gender:
        out["CYXB"] = hint.gender
    elif text(out.get("CYXB")) not in codelists.CODE_LISTS["C.17"]:
        raise OwnershipError("%s性别必须填写（1 男、2 女）" % who_text)
    if not text(out.get("CYXM")):
        raise OwnershipError("成员姓名不能为空")
    out["CYXM"] = text(out["CYXM"])
    return out


def _household(db, cbfbm: str) -> dict:
    cbf = one(db, "CBF", "CBFBM", cbfbm)
    if cbf is None:
        raise OwnershipError("承包方 %s 不存在" % cbfbm)
    return cbf


def _heads(db, cbf: dict):
    return [m for m in rows_in(db, "CBF_JTCY", "CBFBM", [cbf["CBFBM"]]) if text(m.get("YHZGX")) in HEADS]


def _set_count(step: EditStep, cbf: dict):
    n = len(rows_in(step.db, "CBF_JTCY", "CBFBM", [cbf["CBFBM"]], ("CBFBM",)))
    step.journal.update("CBF", cbf["FID"], {"CBFCYSL": n if text(cbf.get("CBFLX")) == "1" else 1})


def _mirror_head(step: EditStep, cbf: dict, member: Dict):
    step.journal.update("CBF", cbf["FID"], {"CBFMC": member["CYXM"], "CBFZJHM": member["CYZJHM"],
                                             "CBFZJLX": member["CYZJLX"]})


def create_contractor(db, fbfbm: str, cbflx: str, name: str, id_number: str, id_type: str = ID_CARD,
                      cbfs: Optional[str] = None, values: Optional[Dict] = None,
                      head_relation: str = "02", contract_values: Optional[Dict] = None,
                      who: Optional[str] = None) -> EditResult:
    """New 承包方 with the next free CBFBM of its type, its head member (农户) and its contract."""
    fbfbm, cbflx, name = text(fbfbm), text(cbflx), text(name)
    fbf = one(db, "FBF", "FBFBM", fbfbm)
    if fbf is None:
        raise OwnershipError("发包方 %s 不存在（FBF 表中没有）" % fbfbm)
    if not name:
        raise OwnershipError("承包方名称不能为空")
    if text(head_relation) not in HEADS:
        raise OwnershipError("户主的与户主关系应为 01 本人 或 02 户主")
    cbfbm = next_cbfbm(db, fbfbm, cbflx)
    cbfs = text(cbfs) or default_cbfs(cbflx)
    with EditStep(db, "新建承包方", who, "新建承包方 %s %s" % (cbfbm, name)) as step:
        step.touch(cbfbm=[cbfbm], cbhtbm=[contract_code(cbfbm, cbfs)])
        head = _identity({"CYXM": name, "CYZJLX": text(id_type) or ID_CARD, "CYZJHM": id_number,
                          "YHZGX": text(head_relation), "SFGYR": "1"}, step, None, "承包方 %s " % name) \
            if cbflx == "1" else None
        number = head["CYZJHM"] if head else id_hint(id_number, id_type).number
        if head is None and not id_hint(id_number, id_type).ok:
            raise OwnershipError("承包方证件号码无效：%s" % id_hint(id_number, id_type).message)
        row = {"CBFBM": cbfbm, "CBFLX": cbflx, "CBFMC": name, "CBFZJLX": text(id_type) or ID_CARD,
               "CBFZJHM": number, "CBFDZ": fbf.get("FBFDZ"), "YZBM": fbf.get("YZBM"), "CBFCYSL": 1,
               "CBFDCRQ": today(), "CBFDCY": step.journal.who}
        row.update({k: v for k, v in (values or {}).items() if v not in (None, "") and k.upper() != "CBFBM"})
        row["CBFCYSL"] = 1
        fid = step.journal.insert("CBF", row)
        if head is not None:
            head["CBFBM"] = cbfbm
            step.journal.insert("CBF_JTCY", head)
        cbf = one(db, "CBF", "fid", fid)
        contract = ensure_contract(step, cbf, cbfs=cbfs, values=contract_values)
        step.data.update({"cbfbm": cbfbm, "cbhtbm": text(contract.get("CBHTBM"))})
    return step.result


def add_member(db, cbfbm: str, values: Dict, who: Optional[str] = None) -> EditResult:
    cbf = _household(db, text(cbfbm))
    if text(cbf.get("CBFLX")) != "1":
        raise OwnershipError("承包方 %s 是%s，没有家庭成员" % (
            cbf["CBFBM"], codelists.label("C.16", text(cbf.get("CBFLX")))))
    values = {k.upper(): v for k, v in values.items() if k.upper() in MEMBER_FIELDS}
    if text(values.get("YHZGX")) in HEADS and _heads(db, cbf):
        raise OwnershipError("承包方 %s 已有户主；更换户主请用“设为户主”" % cbf["CBFBM"])
    if text(values.get("YHZGX")) not in codelists.CODE_LISTS["GB4761"]:
        raise OwnershipError("与户主关系 %s 不在 GB/T 4761 代码表中" % (text(values.get("YHZGX")) or "空"))
    with EditStep(db, "添加成员", who) as step:
        step.touch(cbfbm=[cbf["CBFBM"]])
        member = _identity(values, step, _survey_date(cbf), "成员 %s " % text(values.get("CYXM")))
        member["CBFBM"] = cbf["CBFBM"]
        member.setdefault("SFGYR", "1")
        fid = step.journal.insert("CBF_JTCY", member)
        _set_count(step, cbf)
        step.note = "承包方 %s 添加成员 %s" % (cbf["CBFBM"], member["CYXM"])
        step.data["member_fid"] = fid
    return step.result


def _member(db, fid: int) -> dict:
    rows = rows_in(db, "CBF_JTCY", "fid", [fid])
    if not rows:
        raise OwnershipError("找不到家庭成员（fid %s）" % fid)
    return rows[0]


def edit_member(db, member_fid: int, changes: Dict, who: Optional[str] = None) -> EditResult:
    """Change a member's fields; a head's name and number are mirrored into CBF."""
    old = _member(db, member_fid)
    cbf = _household(db, text(old.get("CBFBM")))
    changes = {k.upper(): v for k, v in changes.items() if k.upper() in MEMBER_FIELDS}
    was_head = text(old.get("YHZGX")) in HEADS
    relation = text(changes.get("YHZGX", old.get("YHZGX")))
    others = [h for h in _heads(db, cbf) if h["FID"] != old["FID"]]
    if was_head and relation not in HEADS and not others:
        raise OwnershipError("%s 是户主；请先把其他成员设为户主" % text(old.get("CYXM")))
    if not was_head and relation in HEADS:
        raise OwnershipError("更换户主请用“设为户主”（原户主需要新的与户主关系）")
    if relation not in codelists.CODE_LISTS["GB4761"]:
        raise OwnershipError("与户主关系 %s 不在 GB/T 4761 代码表中" % (relation or "空"))
    merged = {f: old.get(f) for f in MEMBER_FIELDS}
    merged.update(changes)
    with EditStep(db, "修改成员", who) as step:
        step.touch(cbfbm=[cbf["CBFBM"]])
        member = _identity(merged, step, _survey_date(cbf), "成员 %s " % text(merged.get("CYXM")))
        step.journal.update("CBF_JTCY", member_fid, member)
        if was_head and relation in HEADS:
            _mirror_head(step, cbf, member)
        elif was_head and len(others) == 1:     # one of two heads demoted: the other one stays
            _mirror_head(step, cbf, others[0])
        step.note = "承包方 %s 修改成员 %s" % (cbf["CBFBM"], member["CYXM"])
    return step.result


def remove_member(db, member_fid: int, who: Optional[str] = None) -> EditResult:
    old = _member(db, member_fid)
    cbf = _household(db, text(old.get("CBFBM")))
    others = [h for h in _heads(db, cbf) if h["FID"] != old["FID"]]
    if text(old.get("YHZGX")) in HEADS and not others:
        raise OwnershipError("不能删除户主 %s；请先把其他成员设为户主" % text(old.get("CYXM")))
    note = "承包方 %s 删除成员 %s" % (cbf["CBFBM"], text(old.get("CYXM")))
    with EditStep(db, "删除成员", who, note) as step:
        step.touch(cbfbm=[cbf["CBFBM"]])
        step.journal.delete("CBF_JTCY", member_fid)
        _set_count(step, cbf)
        if text(old.get("YHZGX")) in HEADS and len(others) == 1:
            _mirror_head(step, cbf, others[0])
    return step.result


def set_head(db, member_fid: int, old_head_relation: str, who: Optional[str] = None) -> EditResult:
    """Make a member the head; the former head gets old_head_relation (e.g. 10 配偶)."""
    new = _member(db, member_fid)
    cbf = _household(db, text(new.get("CBFBM")))
    if text(new.get("YHZGX")) in HEADS:
        raise OwnershipError("%s 已是户主" % text(new.get("CYXM")))
    rel = text(old_head_relation)
    if rel in HEADS or rel not in codelists.CODE_LISTS["GB4761"]:
        raise OwnershipError("原户主的与户主关系 %s 无效（不能是 01/02，须在 GB/T 4761 中）" % (rel or "空"))
    heads = _heads(db, cbf)
    code = text(heads[0].get("YHZGX")) if heads else "02"
    note = "承包方 %s 户主改为 %s" % (cbf["CBFBM"], text(new.get("CYXM")))
    with EditStep(db, "设为户主", who, note) as step:
        step.touch(cbfbm=[cbf["CBFBM"]])
        for h in heads:
            step.journal.update("CBF_JTCY", h["FID"], {"YHZGX": rel})
        step.journal.update("CBF_JTCY", member_fid, {"YHZGX": code})
        member = {f: new.get(f) for f in MEMBER_FIELDS}
        member["YHZGX"] = code
        _mirror_head(step, cbf, member)
    return step.result
