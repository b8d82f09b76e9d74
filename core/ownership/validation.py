"""Validation of an edit step before it is committed: the A/X rules on the touched objects.

Two sources, compared before and after the edit inside the same transaction, so
that only problems the edit introduces refuse it (a household that already had a
wrong ID number can still be corrected one value at a time):
- own validators (always): ID numbers (A07/A08/A09/A10), head (A11), member
  count (A12), codes (A04/A05/A06), references (X01) and contract totals (X04)
  of the touched plots, contractors and contracts;
- the registered rule families A04–A12, X01, X04 run through checks.engine over
  the touched 发包方 units, when they are implemented.
"""
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from .. import codelists, codes
from .records import text, parse_date, rows_in, total_m2

ENGINE_RULES = ("A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A12", "X01", "X04")
X04_TOL = codes.CENT     # 0.01 m², fixed threshold of X04


@dataclass(frozen=True)
class Problem:
    rule: str
    key: str
    message: str
    warning: bool = False

    @property
    def text(self) -> str:
        return "%s %s" % (self.rule, self.message)


@dataclass
class Touched:
    dkbm: Set[str] = field(default_factory=set)
    cbfbm: Set[str] = field(default_factory=set)
    cbhtbm: Set[str] = field(default_factory=set)

    @property
    def units(self) -> Set[str]:
        return {c[:14] for c in self.dkbm | self.cbfbm | self.cbhtbm if len(c) >= 14}

    def empty(self) -> bool:
        return not (self.dkbm or self.cbfbm or self.cbhtbm)


# --- own validators ---------------------------------------------------------------------

def normalize_id(number) -> str:
    """Trimmed, uppercase X (the editor converts a typed lowercase x)."""
    return text(number).replace(" ", "").upper()


def id_message(number, id_type, survey_date=None) -> str:
    """'' when acceptable for 证件类型 id_type, else why not (A07/A08 wording)."""
    if codes.is_empty_id(number):
        return "证件号码为空"
    if text(id_type) != "1":
        return ""
    why = codes.id_problem(normalize_id(number), survey_date)
    return "" if why in (None, "LEGACY15") else why


def _cbf_problems(db, cbfbm: str, out: List[Problem]):
    cbf = rows_in(db, "CBF", "CBFBM", [cbfbm])
    members = rows_in(db, "CBF_JTCY", "CBFBM", [cbfbm])
    if not cbf:
        refs = [t for t in ("CBDKXX", "CBHT", "CBF_JTCY", "CBJYQZDJB") if rows_in(db, t, "CBFBM", [cbfbm])]
        for t in refs:
            out.append(Problem("X01", cbfbm, "%s 引用的承包方 %s 在承包方表（CBF）中不存在" % (t, cbfbm)))
        return
    if len(cbf) > 1:
        out.append(Problem("A06", cbfbm, "承包方代码 %s 重复（%d 条）" % (cbfbm, len(cbf))))
    row = cbf[0]
    kind = text(row.get("CBFLX"))
    if not codes.code_ok("CBFBM", cbfbm):
        out.append(Problem("A04", cbfbm, "承包方代码 %s 格式错误（应为18位数字）" % cbfbm))
    elif kind in codelists.CBFLX_RANGES:
        lo, hi = codelists.CBFLX_RANGES[kind]
        if not lo <= int(cbfbm[14:]) <= hi:
            out.append(Problem("A05", cbfbm, "承包方 %s 类型 %s 的顺序码 %s 超出范围 %04d–%04d" % (
                cbfbm, codelists.label("C.16", kind), cbfbm[14:], lo, hi)))
    survey = parse_date(row.get("CBFDCRQ"))
    why = id_message(row.get("CBFZJHM"), row.get("CBFZJLX"), survey)
    if why:
        rule = "A08" if why == "证件号码为空" else "A07"
        out.append(Problem(rule, cbfbm, "承包方 %s %s 证件号码 %s %s" % (
            cbfbm, text(row.get("CBFMC")), text(row.get("CBFZJHM")), why)))
    for m in members:
        name = text(m.get("CYXM")) or "（姓名空）"
        number = text(m.get("CYZJHM"))
        why = id_message(number, m.get("CYZJLX"), survey)
        if why:
            rule = "A08" if why == "证件号码为空" else "A07"
            out.append(Problem(rule, cbfbm, "承包方 %s 成员 %s 身份证号 %s %s" % (cbfbm, name, number, why)))
        elif text(m.get("CYZJLX")) == "1":
            digit = codes.id_gender(normalize_id(number))
            if digit and text(m.get("CYXB")) != digit:
                out.append(Problem("A10", cbfbm, "承包方 %s 成员 %s 性别 %s 与身份证号 %s 不符（应为%s）" % (
                    cbfbm, name, codelists.label("C.17", m.get("CYXB")) or "空", number,
                    codelists.label("C.17", digit))))
    if kind == "1":
        heads = [m for m in members if text(m.get("YHZGX")) in codelists.HEAD_RELATIONS]
        if len(heads) != 1:
            names = "、".join(text(h.get("CYXM")) for h in heads)
            out.append(Problem("A11", cbfbm, "承包方 %s 有 %d 名户主（与户主关系 01/02）%s" % (
                cbfbm, len(heads), ("：" + names) if names else "")))
        else:
            h = heads[0]
            if text(h.get("CYXM")) != text(row.get("CBFMC")):
                out.append(Problem("A11", cbfbm, "承包方 %s 名称 %s 与户主姓名 %s 不一致" % (
                    cbfbm, text(row.get("CBFMC")), text(h.get("CYXM")))))
            elif normalize_id(h.get("CYZJHM")) != normalize_id(row.get("CBFZJHM")):
                out.append(Problem("A11", cbfbm, "承包方 %s 证件号码 %s 与户主 %s 的证件号码 %s 不一致" % (
                    cbfbm, text(row.get("CBFZJHM")), text(h.get("CYXM")), text(h.get("CYZJHM")))))
        expected = len(members)
    else:
        expected = 1
    if text(row.get("CBFCYSL")) != str(expected):
        out.append(Problem("A12", cbfbm, "承包方 %s 成员数量 %s，应为 %d" % (
            cbfbm, text(row.get("CBFCYSL")) or "空", expected)))
    _a09(db, cbfbm, row, members, out)


def _a09(db, cbfbm, row, members, out):
    """A number of this household appearing in another household (or another 个人 承包方)."""
    mine = {normalize_id(m.get("CYZJHM")): text(m.get("CYXM")) for m in members
            if text(m.get("CYZJLX")) == "1" and not codes.is_empty_id(m.get("CYZJHM"))}
    if text(row.get("CBFLX")) == "2" and not codes.is_empty_id(row.get("CBFZJHM")):
        mine.setdefault(normalize_id(row.get("CBFZJHM")), text(row.get("CBFMC")))
    if not mine:
        return
    marks = ",".join("?" * len(mine))
    others = db.conn.execute(
        'SELECT CBFBM, CYXM, upper(trim(CYZJHM)) FROM CBF_JTCY WHERE upper(trim(CYZJHM)) IN (%s) '
        'AND trim(CBFBM) <> ?' % marks, list(mine) + [cbfbm]).fetchall()
    others += db.conn.execute(
        "SELECT CBFBM, CBFMC, upper(trim(CBFZJHM)) FROM CBF WHERE CBFLX = '2' AND "
        "upper(trim(CBFZJHM)) IN (%s) AND trim(CBFBM) <> ?" % marks, list(mine) + [cbfbm]).fetchall()
    seen = set()
    for other, name, number in sorted(others, key=lambda r: (text(r[0]), text(r[2]))):
        if (other, number) in seen:
            continue
        seen.add((other, number))
        out.append(Problem("A09", cbfbm, "身份证号 %s 重复：承包方 %s 成员 %s，承包方 %s %s" % (
            number, cbfbm, mine.get(number, ""), text(other), text(name))))
    dup = db.conn.execute(
        'SELECT upper(trim(CYZJHM)), count(*) FROM CBF_JTCY WHERE trim(CBFBM) = ? AND CYZJLX = \'1\' '
        'GROUP BY upper(trim(CYZJHM)) HAVING count(*) > 1', (cbfbm,)).fetchall()
    for number, n in dup:
        if not codes.is_empty_id(number):
            out.append(Problem("A09", cbfbm, "身份证号 %s 在承包方 %s 的成员中出现 %d 次" % (number, cbfbm, n)))


def _plot_problems(db, dkbm: str, out: List[Problem]):
    plots = rows_in(db, "DK", "DKBM", [dkbm])
    if not codes.code_ok("DKBM", dkbm):
        out.append(Problem("A04", dkbm, "地块代码 %s 格式错误（应为19位数字）" % dkbm))
    if len(plots) > 1:
        out.append(Problem("A06", dkbm, "地块代码 %s 在地块图层中重复（%d 个）" % (dkbm, len(plots))))
    links = [r for r in rows_in(db, "CBDKXX", "DKBM", [dkbm]) if text(r.get("SFQQQG")) != "1"]
    if len(links) > 1:
        out.append(Problem("A06", dkbm, "地块 %s 有 %d 条承包地块信息（应为 1 条）：承包方 %s" % (
            dkbm, len(links), "、".join(sorted(text(r.get("CBFBM")) for r in links)))))
    for r in rows_in(db, "CBDKXX", "DKBM", [dkbm]):
        fbf, cbf, ht = text(r.get("FBFBM")), text(r.get("CBFBM")), text(r.get("CBHTBM"))
        if not plots:
            out.append(Problem("X01", dkbm, "承包地块信息的地块 %s 在地块图层（DK）中不存在" % dkbm))
        if not dkbm.startswith(fbf) or not cbf.startswith(fbf):
            out.append(Problem("A05", dkbm, "承包地块信息 %s：地块代码或承包方代码 %s 不属于发包方 %s" % (
                dkbm, cbf, fbf)))
        if not rows_in(db, "CBF", "CBFBM", [cbf]):
            out.append(Problem("X01", dkbm, "承包地块信息 %s 的承包方 %s 在承包方表（CBF）中不存在" % (dkbm, cbf)))
        if not codes.code_ok("CBHTBM", ht) or ht[:18] != cbf:
            out.append(Problem("A04", dkbm, "承包地块信息 %s 的合同代码 %s 与承包方 %s 不符" % (dkbm, ht, cbf)))
        elif not rows_in(db, "CBHT", "CBHTBM", [ht]):
            out.append(Problem("X01", dkbm, "承包地块信息 %s 的合同 %s 在承包合同表（CBHT）中不存在" % (dkbm, ht)))


def _contract_problems(db, cbhtbm: str, out: List[Problem]):
    contracts = rows_in(db, "CBHT", "CBHTBM", [cbhtbm])
    links = rows_in(db, "CBDKXX", "CBHTBM", [cbhtbm])
    if not contracts:
        if links:
            out.append(Problem("X01", cbhtbm, "%d 条承包地块信息引用的合同 %s 在承包合同表（CBHT）中不存在" % (
                len(links), cbhtbm)))
        return
    if len(contracts) > 1:
        out.append(Problem("A06", cbhtbm, "合同代码 %s 重复（%d 条）" % (cbhtbm, len(contracts))))
    c = contracts[0]
    cbf, cbfs = text(c.get("CBFBM")), text(c.get("CBFS"))
    if not codes.code_ok("CBHTBM", cbhtbm) or cbhtbm[:18] != cbf or (cbhtbm[-1] == "J") != (cbfs == "110"):
        out.append(Problem("A04", cbhtbm, "合同代码 %s 与承包方 %s、承包方式 %s 不符" % (cbhtbm, cbf, cbfs)))
    total = total_m2(links)
    stored = codes.round2(c.get("HTZMJ"))
    if stored is None or abs(stored - total) > X04_TOL:
        out.append(Problem("X04", cbhtbm, "合同 %s 总面积 %s 平方米，地块面积合计 %s 平方米" % (
            cbhtbm, stored if stored is not None else "空", total)))
    if text(c.get("CBDKZS")) != str(len(links)):
        out.append(Problem("X04", cbhtbm, "合同 %s 承包地块总数 %s，承包地块信息 %d 条" % (
            cbhtbm, text(c.get("CBDKZS")) or "空", len(links))))


def own_problems(db, touched: Touched) -> List[Problem]:
    out: List[Problem] = []
    for c in sorted(touched.cbfbm):
        _cbf_problems(db, c, out)
    for d in sorted(touched.dkbm):
        _plot_problems(db, d, out)
    for h in sorted(touched.cbhtbm):
        _contract_problems(db, h, out)
    return out


# --- registered rule families ----------------------------------------------------------

def engine_rules() -> List[str]:
    try:
        from ...checks import registry
        implemented = set(registry.implemented())
    except Exception:  # noqa: BLE001 (a family being written must not block editing)
        return []
    return [r for r in ENGINE_RULES if r in implemented]


def _about_register(f) -> bool:
    """X01 towards a register not built yet is a warning in an edit (the stage comes later)."""
    blob = "%s %s %s" % (f.related_field, f.values.get("field", ""), f.message)
    return f.rule == "X01" and ("CBJYQZBM" in blob or "登记簿" in blob)


def engine_findings(db, units: Iterable[str], rules: List[str],
                    tables: Optional[Dict[str, list]] = None) -> Dict[Tuple[str, str], object]:
    """Findings of a scoped run. tables: rows of tables known unchanged ('table:NAME' cache
    entries of an earlier run in the same transaction), reused instead of read again; the
    entries this run reads are added to it."""
    from ...checks.context import CheckContext
    from ...checks.engine import run_checks
    units = sorted(set(units))
    if not rules or not units:
        return {}
    ctx = CheckContext(db, scope=units)
    ctx.cache.update(tables or {})
    result = run_checks(ctx, rules)
    if tables is not None:
        tables.update({k: v for k, v in ctx.cache.items() if k.startswith("table:")})
    return {(f.fingerprint, f.message): f for f in result.findings}


class Guard:
    """Before/after comparison of the touched objects within one transaction."""

    def __init__(self, db, use_engine: bool = True, written: Optional[Callable[[], Set[str]]] = None):
        self.db = db
        self.touched = Touched()
        self.rules = engine_rules() if use_engine else []
        self._before_own: Set[tuple] = set()
        self._before_engine: Dict = {}
        # tables written so far by the step: the after-run reads those again, reuses the rest
        self._written = written or (lambda: None)
        self._tables: Dict[str, list] = {}

    def touch(self, dkbm: Iterable = (), cbfbm: Iterable = (), cbhtbm: Iterable = ()):
        """Declare objects the step will write; call before writing them."""
        new = Touched({text(x) for x in dkbm if text(x)} - self.touched.dkbm,
                      {text(x) for x in cbfbm if text(x)} - self.touched.cbfbm,
                      {text(x) for x in cbhtbm if text(x)} - self.touched.cbhtbm)
        if new.empty():
            return
        self._before_own |= {(p.rule, p.key, p.message) for p in own_problems(self.db, new)}
        new_units = new.units - self.touched.units
        self.touched.dkbm |= new.dkbm
        self.touched.cbfbm |= new.cbfbm
        self.touched.cbhtbm |= new.cbhtbm
        if self.rules and new_units:
            clean = not self._written()
            tables = self._tables if clean else None
            self._before_engine.update(engine_findings(self.db, new_units, self.rules, tables))

    def new_problems(self) -> List[Problem]:
        out = [p for p in own_problems(self.db, self.touched)
               if (p.rule, p.key, p.message) not in self._before_own]
        seen = {(p.rule, p.key) for p in out}
        if self.rules:
            written = self._written()
            keep = None if written is None else {
                k: v for k, v in self._tables.items() if k[len("table:"):] not in written}
            after = engine_findings(self.db, self.touched.units, self.rules, keep)
            for ident, f in sorted(after.items(), key=lambda kv: kv[1].sort_key()):
                if ident in self._before_engine or (f.rule, str(f.key)) in seen:
                    continue
                out.append(Problem(f.rule, str(f.key), f.message,
                                   warning=f.severity == "W" or _about_register(f)))
        return out
