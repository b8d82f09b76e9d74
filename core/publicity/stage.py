"""Publicity as a stage (documents.md §1): rounds, objections, preconditions, overrides.

Rounds per 发包方 unit live in qq_publicity, objections in qq_objection. Before
documents are exported the preconditions of a unit are checked; a reviewer may
proceed anyway with a recorded override (reason, who, when). After the last
round without objection the CBF publicity fields are filled, with an audit trail.
"""
import datetime as _dt
import getpass
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ..plugin_tables import ensure_plugin_tables
from .data import fmt_date

ROUND_STATUS = {"planned": "未开始", "posted": "公示中", "closed": "已结束"}
OBJECTION_STATUS = {"open": "未处理", "resolved": "已处理", "withdrawn": "已撤回"}

# Columns added to the plugin tables (additive, ALTER TABLE ADD COLUMN).
EXTRA_COLUMNS = {
    "qq_publicity": ("created_by TEXT", "created_at TEXT", "closed_by TEXT", "closed_at TEXT",
                     "override_conditions TEXT"),
    "qq_objection": ("raised_by TEXT", "recorded_by TEXT", "recorded_at TEXT"),
}


class StageError(Exception):
    """A publicity action refused, with the reason for the user (Chinese)."""


def now_text() -> str:
    return _dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some Windows services)
        return ""


def ensure_stage_tables(db) -> None:
    """qq_publicity / qq_objection with the columns this module needs (idempotent)."""
    if not (db.has("qq_publicity") and db.has("qq_objection") and db.has("qq_audit")):
        ensure_plugin_tables(db)
    for table, cols in EXTRA_COLUMNS.items():
        have = {r[1].lower() for r in db.conn.execute('PRAGMA table_info("%s")' % table)}
        for col in cols:
            if col.split()[0].lower() not in have:
                db.conn.execute('ALTER TABLE "%s" ADD COLUMN %s' % (table, col))


def _iso(value) -> Optional[str]:
    if value is None or value == "":
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return _dt.date.fromisoformat(str(value).strip()[:10]).isoformat()


def _rows(db, sql, params=()) -> List[dict]:
    cur = db.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def audit(db, action: str, table: str = "", key: str = "", fld: str = "", old=None, new=None,
          who: str = "", batch: str = "") -> None:
    db.conn.execute(
        "INSERT INTO qq_audit (at, who, action, table_name, key, field, old_value, new_value, batch)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (now_text(), who or current_user(), action, table, key, fld,
         None if old is None else str(old), None if new is None else str(new), batch))


# --- rounds ------------------------------------------------------------------

def get_round(db, unit: str, round_no: int) -> Optional[dict]:
    ensure_stage_tables(db)
    rows = _rows(db, "SELECT * FROM qq_publicity WHERE unit_code=? AND round=? ORDER BY fid",
                 (unit, int(round_no)))
    return rows[-1] if rows else None


def rounds(db, unit: str) -> List[dict]:
    ensure_stage_tables(db)
    return _rows(db, "SELECT * FROM qq_publicity WHERE unit_code=? ORDER BY round, fid", (unit,))


def _ensure_round(db, unit: str, round_no: int, who: str) -> dict:
    row = get_round(db, unit, round_no)
    if row is None:
        db.conn.execute(
            "INSERT INTO qq_publicity (unit_code, round, status, created_by, created_at) "
            "VALUES (?, ?, 'planned', ?, ?)", (unit, int(round_no), who or current_user(), now_text()))
        row = get_round(db, unit, round_no)
    return row


def start_round(db, unit: str, round_no: int, start, end, place: str = "", who: str = "") -> dict:
    """Record (or update) the publicity period of a unit's round; status 公示中."""
    s, e = _iso(start), _iso(end)
    if s and e and e < s:
        raise StageError("公示结束日期 %s 早于开始日期 %s" % (fmt_date(e), fmt_date(s)))
    row = _ensure_round(db, unit, round_no, who)
    if row["status"] == "closed":
        raise StageError("%s %s公示已结束，不能修改公示期" % (unit, _round_name(round_no)))
    db.conn.execute(
        "UPDATE qq_publicity SET start_date=?, end_date=?, place=?, status='posted' WHERE fid=?",
        (s, e, place or row.get("place"), row["fid"]))
    audit(db, "publicity_start", "qq_publicity", unit, "round", None,
          "%d:%s~%s" % (round_no, s, e), who)
    return get_round(db, unit, round_no)


def close_round(db, unit: str, round_no: int, who: str = "", force: bool = False) -> dict:
    """End a round; refused while an objection of the round is open (documents.md §1)."""
    row = get_round(db, unit, round_no)
    if row is None:
        raise StageError("%s 没有%s公示记录" % (unit, _round_name(round_no)))
    open_ = objections(db, unit, round_no, open_only=True)
    if open_ and not force:
        raise StageError("%s %s公示有 %d 条未处理的异议，不能结束公示" % (
            unit, _round_name(round_no), len(open_)))
    db.conn.execute("UPDATE qq_publicity SET status='closed', closed_by=?, closed_at=? WHERE fid=?",
                    (who or current_user(), now_text(), row["fid"]))
    audit(db, "publicity_close", "qq_publicity", unit, "round", row["status"], round_no, who)
    return get_round(db, unit, round_no)


def _round_name(round_no: int) -> str:
    return {1: "一轮", 2: "二轮"}.get(int(round_no), "第%d轮" % int(round_no))


# --- objections --------------------------------------------------------------

def add_objection(db, unit: str, round_no: int, content: str, dkbm: str = "", cbfbm: str = "",
                  received=None, raised_by: str = "", who: str = "") -> int:
    """Record an objection against a plot (DKBM) or a household (CBFBM); returns its fid."""
    if not (content or "").strip():
        raise StageError("异议内容不能为空")
    if not (dkbm or cbfbm):
        raise StageError("异议须指明地块编码或承包方编码")
    for code in (dkbm, cbfbm):
        if code and not str(code).startswith(unit):
            raise StageError("编码 %s 不属于发包方 %s" % (code, unit))
    ensure_stage_tables(db)
    _ensure_round(db, unit, round_no, who)
    cur = db.conn.execute(
        "INSERT INTO qq_objection (unit_code, round, dkbm, cbfbm, received, content, status, "
        "raised_by, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
        (unit, int(round_no), dkbm or None, cbfbm or None,
         _iso(received) or _dt.date.today().isoformat(), content.strip(), raised_by,
         who or current_user(), now_text()))
    audit(db, "objection_add", "qq_objection", dkbm or cbfbm, "content", None, content, who)
    return cur.lastrowid


def resolve_objection(db, fid: int, resolution: str, who: str = "", status: str = "resolved") -> dict:
    if status not in ("resolved", "withdrawn"):
        raise StageError("异议状态 %s 无效" % status)
    if not (resolution or "").strip():
        raise StageError("请填写处理结果")
    rows = _rows(db, "SELECT * FROM qq_objection WHERE fid=?", (int(fid),))
    if not rows:
        raise StageError("找不到异议记录 %s" % fid)
    db.conn.execute("UPDATE qq_objection SET status=?, resolution=?, resolved_by=?, resolved_at=? "
                    "WHERE fid=?", (status, resolution.strip(), who or current_user(), now_text(),
                                    int(fid)))
    audit(db, "objection_" + status, "qq_objection", rows[0]["dkbm"] or rows[0]["cbfbm"],
          "status", rows[0]["status"], status, who)
    return _rows(db, "SELECT * FROM qq_objection WHERE fid=?", (int(fid),))[0]


def objections(db, unit: Optional[str] = None, round_no: Optional[int] = None,
               open_only: bool = False) -> List[dict]:
    ensure_stage_tables(db)
    where, params = [], []
    if unit:
        where.append("unit_code=?")
        params.append(unit)
    if round_no is not None:
        where.append("round=?")
        params.append(int(round_no))
    if open_only:
        where.append("status='open'")
    sql = "SELECT * FROM qq_objection" + (" WHERE " + " AND ".join(where) if where else "")
    return _rows(db, sql + " ORDER BY unit_code, round, fid", params)


# --- preconditions -----------------------------------------------------------

@dataclass
class Condition:
    kind: str            # errors / no_contractor / objections / no_selfcheck / round1
    blocking: bool
    count: int
    message: str         # Chinese, names the codes
    keys: List[str] = field(default_factory=list)


@dataclass
class Preconditions:
    unit: str
    round_no: int
    conditions: List[Condition]
    override: Optional[dict] = None

    @property
    def blocking(self) -> List[Condition]:
        return [c for c in self.conditions if c.blocking]

    @property
    def allowed(self) -> bool:
        return not self.blocking or bool(self.override)

    @property
    def summary(self) -> str:
        if not self.conditions:
            return "符合公示条件"
        text = "；".join(c.message for c in self.conditions)
        if self.blocking and self.override:
            text += "（已强制继续：%s）" % self.override.get("reason", "")
        return text


def _sample(keys: List[str], n: int = 5) -> str:
    shown = "、".join(keys[:n])
    return shown + ("等" if len(keys) > n else "")


def _open_errors(db, unit: str) -> List[dict]:
    if not db.has("qq_error"):
        return []
    return _rows(db, "SELECT rule, key, message FROM qq_error WHERE state='open' AND "
                     "severity IN ('E', '错误') AND unit_code LIKE ? ORDER BY rule, key",
                 (unit + "%",))


def _plots_without_contractor(db, unit: str) -> List[str]:
    if not db.has("DK"):
        return []
    dk = db.columns("DK")
    if "DKBM" not in dk or "DKLB" not in dk:
        return []
    have = set()
    if db.has("CBDKXX") and "DKBM" in db.columns("CBDKXX"):
        col = db.columns("CBDKXX")["DKBM"][0]
        have = {str(r[0]).strip() for r in db.conn.execute(
            'SELECT "%s" FROM "%s" WHERE "%s" LIKE ?' % (col, db.name("CBDKXX"), col), (unit + "%",))
            if r[0]}
    sql = 'SELECT "%s" FROM "%s" WHERE "%s" LIKE ? AND trim("%s")=\'10\' ORDER BY 1' % (
        dk["DKBM"][0], db.name("DK"), dk["DKBM"][0], dk["DKLB"][0])
    return [str(r[0]).strip() for r in db.conn.execute(sql, (unit + "%",))
            if r[0] and str(r[0]).strip() not in have]


def check_preconditions(db, unit: str, round_no: int) -> Preconditions:
    """What stands between a unit and its publicity documents, blocking or not."""
    ensure_stage_tables(db)
    conds: List[Condition] = []
    errors = _open_errors(db, unit)
    if errors:
        rules = sorted({e["rule"] for e in errors})
        conds.append(Condition(
            "errors", True, len(errors),
            "有 %d 个未处理的错误（%s），例如：%s" % (len(errors), "、".join(rules), errors[0]["message"]),
            [str(e["key"]) for e in errors]))
    elif not (db.has("qq_check_run") and db.count("qq_check_run")):
        conds.append(Condition("no_selfcheck", False, 0, "尚未运行数据自查，未能确认错误状态"))
    orphans = _plots_without_contractor(db, unit)
    if orphans:
        conds.append(Condition(
            "no_contractor", True, len(orphans),
            "有 %d 个承包地块（地块类别 10）没有承包方：%s" % (len(orphans), _sample(orphans)), orphans))
    if int(round_no) >= 2:
        earlier = [o for o in objections(db, unit, open_only=True) if int(o["round"]) < int(round_no)]
        if earlier:
            keys = [o["dkbm"] or o["cbfbm"] for o in earlier]
            conds.append(Condition(
                "objections", True, len(earlier),
                "前一轮公示有 %d 条未处理的异议：%s" % (len(earlier), _sample(keys)), keys))
        first = get_round(db, unit, int(round_no) - 1)
        if first is None or first["status"] != "closed":
            conds.append(Condition("round1", False, 0, "%s公示尚未结束或未登记" %
                                   _round_name(int(round_no) - 1)))
    pre = Preconditions(unit, int(round_no), conds)
    row = get_round(db, unit, round_no)
    if row and row.get("override_reason"):
        pre.override = {"reason": row["override_reason"], "by": row["override_by"],
                        "at": row["override_at"], "conditions": row.get("override_conditions")}
    return pre


def record_override(db, unit: str, round_no: int, reason: str, who: str = "") -> Preconditions:
    """Proceed despite blocking conditions; the reason, user and time are kept."""
    if not (reason or "").strip():
        raise StageError("强制继续须填写原因")
    pre = check_preconditions(db, unit, round_no)
    row = _ensure_round(db, unit, round_no, who)
    who = who or current_user()
    at = now_text()
    blocked = "；".join(c.message for c in pre.blocking)
    db.conn.execute("UPDATE qq_publicity SET override_reason=?, override_by=?, override_at=?, "
                    "override_conditions=? WHERE fid=?", (reason.strip(), who, at, blocked, row["fid"]))
    audit(db, "publicity_override", "qq_publicity", unit, "round %d" % int(round_no), blocked,
          reason.strip(), who)
    return check_preconditions(db, unit, round_no)


def clear_override(db, unit: str, round_no: int, who: str = "") -> None:
    row = get_round(db, unit, round_no)
    if row and row.get("override_reason"):
        db.conn.execute("UPDATE qq_publicity SET override_reason=NULL, override_by=NULL, "
                        "override_at=NULL, override_conditions=NULL WHERE fid=?", (row["fid"],))
        audit(db, "publicity_override_withdrawn", "qq_publicity", unit, "round %d" % int(round_no),
              row["override_reason"], None, who)


# --- result: CBF publicity fields ----------------------------------------------

PUBLICITY_FIELDS = ("GSJS", "GSJSR", "GSSHRQ", "GSSHR")


def finalize_publicity(db, unit: str, recorder: str, reviewer: str, review_date=None,
                       note: Optional[str] = None, who: str = "",
                       round_no: Optional[int] = None) -> Dict[str, int]:
    """Fill CBF.GSJS/GSJSR/GSSHRQ/GSSHR of the unit after its last round ended without objection."""
    if not (recorder or "").strip() or not (reviewer or "").strip():
        raise StageError("公示记事人和公示审核人不能为空")
    all_rounds = rounds(db, unit)
    if round_no is None:
        if not all_rounds:
            raise StageError("%s 没有公示记录" % unit)
        round_no = max(int(r["round"]) for r in all_rounds)
    last = get_round(db, unit, round_no)
    if last is None or last["status"] != "closed":
        raise StageError("%s %s公示尚未结束" % (unit, _round_name(round_no)))
    raised = [o for o in objections(db, unit, round_no) if o["status"] != "withdrawn"]
    if raised:
        raise StageError("%s %s公示有 %d 条异议，须再次公示后才能填写公示结果" % (
            unit, _round_name(round_no), len(raised)))
    date = _iso(review_date) or last.get("end_date") or _dt.date.today().isoformat()
    if note is None:
        note = "经%s公示（%s至%s），无异议" % (
            "、".join(_round_name(int(r["round"])) for r in all_rounds if r["status"] == "closed"),
            fmt_date(last.get("start_date")), fmt_date(last.get("end_date")))
    values = {"GSJS": note[:254], "GSJSR": recorder.strip(), "GSSHRQ": date, "GSSHR": reviewer.strip()}
    cols = db.columns("CBF")
    missing = [f for f in PUBLICITY_FIELDS if f not in cols]
    if missing:
        raise StageError("CBF 表缺少字段 %s" % "、".join(missing))
    key = cols["CBFBM"][0]
    sel = ", ".join('"%s"' % cols[f][0] for f in PUBLICITY_FIELDS)
    rows = db.conn.execute('SELECT "%s", %s FROM "%s" WHERE "%s" LIKE ? ORDER BY 1' % (
        key, sel, db.name("CBF"), key), (unit + "%",)).fetchall()
    batch = uuid.uuid4().hex
    changed = 0
    with db.transaction():
        for r in rows:
            old = dict(zip(PUBLICITY_FIELDS, r[1:]))
            diff = {f: v for f, v in values.items() if (old[f] or None) != v}
            if not diff:
                continue
            db.update("CBF", "CBFBM", r[0], diff)
            for f, v in diff.items():
                audit(db, "publicity_finalize", "CBF", r[0], f, old[f], v, who, batch)
            changed += 1
    return {"households": len(rows), "changed": changed, "round": int(round_no)}
