"""Code allocation (codes.md §2–§3): next free CBFBM / DKBM under a 发包方, contract codes.

Next number = the highest number in use *or retired* for that FBFBM and kind + 1, so
a code once publicised or submitted is never handed out again, even after its
承包方 or plot was deleted, merged away or undone. Codes count as in use wherever
they occur (a CBFBM referenced only by a contract or a register still blocks it).
"""
from typing import Iterable, Optional, Set, Tuple

from .. import codelists, codes
from .journal import OwnershipError
from .records import text, today

CBF_KIND_NAMES = codelists.CBFLX_NAMES          # 1 农户, 2 个人, 3 单位
DKBM_RANGE = (1, 99999)

# Where codes of each kind occur: (table, field, how many leading characters form the code)
_CBFBM_SOURCES = (("CBF", "CBFBM", 18), ("CBF_JTCY", "CBFBM", 18), ("CBDKXX", "CBFBM", 18),
                  ("CBHT", "CBFBM", 18), ("CBHT", "CBHTBM", 18), ("CBJYQZDJB", "CBFBM", 18),
                  ("CBJYQZDJB", "CBJYQZBM", 18), ("CBJYQZ", "CBJYQZBM", 18), ("LZHT", "SRFBM", 18))
_DKBM_SOURCES = (("DK", "DKBM", 19), ("CBDKXX", "DKBM", 19))


def _codes_under(db, prefix: str, sources: Iterable[Tuple[str, str, int]]) -> Set[str]:
    found = set()
    for table, fld, n in sources:
        if not db.has(table) or fld not in db.columns(table):
            continue
        col = db.columns(table)[fld][0]
        for (value,) in db.conn.execute(
                'SELECT DISTINCT substr(trim("%s"), 1, %d) FROM "%s" WHERE trim("%s") LIKE ?'
                % (col, n, db.name(table), col), (prefix + "%",)):
            if value and len(value) == n and value.isdigit():
                found.add(value)
    return found


def retired_codes(db, prefix: str = "", length: Optional[int] = None) -> Set[str]:
    if not db.has("qq_retired_code"):
        return set()
    rows = db.conn.execute("SELECT trim(code) FROM qq_retired_code WHERE trim(code) LIKE ?",
                           (prefix + "%",)).fetchall()
    return {r[0] for r in rows if r[0] and (length is None or len(r[0]) == length)}


def is_retired(db, code) -> bool:
    return text(code) in retired_codes(db, text(code))


def _check_fbfbm(fbfbm: str) -> str:
    fbfbm = text(fbfbm)
    if not codes.code_ok("FBFBM", fbfbm):
        raise OwnershipError("发包方代码 %s 格式错误（应为14位数字）" % fbfbm)
    return fbfbm


def _next(used: Set[str], prefix: str, lo: int, hi: int, width: int, what: str) -> str:
    numbers = [int(c[len(prefix):]) for c in used if c.startswith(prefix)]
    numbers = [n for n in numbers if lo <= n <= hi]
    nxt = max(numbers) + 1 if numbers else lo
    if nxt > hi:
        raise OwnershipError("发包方 %s 的%s顺序码已用到 %0*d，范围 %0*d–%0*d 内没有可用代码" % (
            prefix, what, width, hi, width, lo, width, hi))
    return prefix + "%0*d" % (width, nxt)


def next_cbfbm(db, fbfbm: str, cbflx: str) -> str:
    """Next free 18-digit CBFBM for a 承包方 of type cbflx (1 农户 / 2 个人 / 3 单位)."""
    fbfbm = _check_fbfbm(fbfbm)
    kind = text(cbflx)
    if kind not in codelists.CBFLX_RANGES:
        raise OwnershipError("承包方类型 %s 无效（1 农户、2 个人、3 单位）" % kind)
    lo, hi = codelists.CBFLX_RANGES[kind]
    used = _codes_under(db, fbfbm, _CBFBM_SOURCES) | retired_codes(db, fbfbm, 18)
    return _next(used, fbfbm, lo, hi, 4, CBF_KIND_NAMES[kind] + "承包方")


def next_dkbm(db, fbfbm: str) -> str:
    """Next free 19-digit DKBM (5-digit sequence) under a 发包方."""
    fbfbm = _check_fbfbm(fbfbm)
    used = _codes_under(db, fbfbm, _DKBM_SOURCES) | retired_codes(db, fbfbm, 19)
    return _next(used, fbfbm, DKBM_RANGE[0], DKBM_RANGE[1], 5, "地块")


def contract_code(cbfbm: str, cbfs: str) -> str:
    """CBHTBM (= CBJYQZBM) = CBFBM + J for 家庭承包 (CBFS 110), else + Q."""
    return codes.contract_code(text(cbfbm), text(cbfs))


def retire(journal, code: str, kind: str, reason: str) -> Optional[int]:
    """Record a code as never to be reused (audited with the step that retires it)."""
    code = text(code)
    if is_retired(journal.db, code):
        return None
    return journal.insert("qq_retired_code", {"code": code, "kind": kind, "retired_at": today(),
                                              "reason": reason})
