"""Check runs kept in the township database: qq_check_run, qq_error and their states.

States (checks.md §4): a new fingerprint opens an error; an open or accepted
error no longer found by a run whose scope covers its object and whose rules
include its rule becomes fixed; a fixed error found again re-opens; an accepted
error found again stays accepted while its object is unchanged (same
object_hash) and re-opens when the object changed. Every run also records, per
error, what happened to it (qq_error_run: new / still / reopened / fixed), which
gives the comparison 新增 / 已修正 / 仍存在 with the previous run.
"""
import datetime as _dt
import json
import uuid
from typing import Dict, Iterable, List, Optional, Sequence

from ..core.plugin_tables import ensure_plugin_tables
from . import catalogue
from .engine import run_json

STATES = ("open", "accepted", "fixed")
_ERROR_COLS = ("error_id", "fingerprint", "rule", "severity", "list", "layer", "key_field", "key",
               "related_keys", "unit_code", "message", "values", "geom_wkt", "object_hash",
               "state", "reason", "state_by", "state_at", "first_run", "last_run",
               "first_seen", "last_seen")
COMPARE_KEYS = ("新增", "已修正", "仍存在")
_STATUS_TO_COMPARE = {"new": "新增", "reopened": "新增", "fixed": "已修正", "still": "仍存在"}


def _operator() -> str:
    try:
        import getpass
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some systems)
        return ""


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def _q(col: str) -> str:
    return '"%s"' % col


def related_json(finding) -> str:
    """["DKBM:3708…", …] (checks.md §3): field-qualified when the field is a plain code."""
    fld = finding.related_field
    qualified = bool(fld) and fld.isalnum()
    return json.dumps(["%s:%s" % (fld, r) if qualified else str(r) for r in finding.related],
                      ensure_ascii=False)


def _geom_wkt(geom) -> Optional[str]:
    if geom is None:
        return None
    import shapely
    if geom.is_empty:
        return None
    return shapely.to_wkt(geom, rounding_precision=4)


def _scope_prefixes(run) -> Optional[List[str]]:
    scope = (run.get("scope") or "").strip()
    if not scope or scope == "全镇":
        return None
    return [p.strip() for p in scope.split(",") if p.strip()]


def _in_scope(unit: str, prefixes) -> bool:
    return prefixes is None or any((unit or "").startswith(p) for p in prefixes)


def _ensure(db):
    ensure_plugin_tables(db)
    db.conn.execute("CREATE INDEX IF NOT EXISTS qq_error_run_run ON qq_error_run (run_id)")


def store_run(db, result) -> Dict:
    """Write the run and merge its findings into qq_error (one transaction); return counts."""
    _ensure(db)
    run = result.run
    run_id = run.get("run_id") or str(uuid.uuid4())
    now = run.get("finished") or _now()
    prefixes = _scope_prefixes(run)
    # "T13(a)" skipped means T13 ran only in part: none of its errors can be called fixed
    skipped = {k.split("(")[0] for k in run.get("rules_skipped", {})}
    effective = set(run.get("rules_run", [])) - skipped
    existing = {r[0]: {"error_id": r[1], "state": r[2], "object_hash": r[3], "rule": r[4],
                       "unit_code": r[5], "reason": r[6]}
                for r in db.conn.execute(
                    "SELECT fingerprint, error_id, state, object_hash, rule, unit_code, reason "
                    "FROM qq_error")}
    counts = dict.fromkeys(("new", "reopened", "still", "fixed", "accepted", "reopened_changed"), 0)
    inserts, updates, statuses, audits = [], [], [], []
    seen = set()
    for f in result.findings:
        fp = f.fingerprint
        if fp in seen:
            continue   # two records with one identity: the first (sorted) one stands
        seen.add(fp)
        common = {"rule": f.rule, "severity": f.severity, "list": f.list_name, "layer": f.layer,
                  "key_field": f.key_field, "key": str(f.key), "related_keys": related_json(f),
                  "unit_code": f.unit_code, "message": f.message,
                  "values": json.dumps(f.values, ensure_ascii=False, default=str, sort_keys=True),
                  "geom_wkt": _geom_wkt(f.geom), "object_hash": f.object_hash,
                  "last_run": run_id, "last_seen": now}
        old = existing.get(fp)
        if old is None:
            row = dict(common, error_id=str(uuid.uuid4()), fingerprint=fp, state="open",
                       reason=None, state_by=None, state_at=None, first_run=run_id,
                       first_seen=now)
            inserts.append(row)
            statuses.append((run_id, fp, "new"))
            counts["new"] += 1
            continue
        state, status = old["state"], "still"
        if state == "fixed":
            common.update(state="open", state_at=now, state_by="", reason=None)
            status = "reopened"
            counts["reopened"] += 1
        elif state == "accepted":
            if old["object_hash"] and f.object_hash and old["object_hash"] != f.object_hash:
                common.update(state="open", state_at=now, state_by="",
                              reason=None)
                audits.append((now, "", "error_reopened", fp, "state", "accepted", "open",
                               "对象已修改，接受理由失效（原理由：%s）" % (old["reason"] or "")))
                counts["reopened_changed"] += 1
            else:
                counts["accepted"] += 1
            counts["still"] += 1
        else:
            counts["still"] += 1
        updates.append((common, fp))
        statuses.append((run_id, fp, status))
    fixed = [fp for fp, old in existing.items()
             if fp not in seen and old["state"] in ("open", "accepted")
             and old["rule"] in effective and _in_scope(old["unit_code"], prefixes)]
    counts["fixed"] = len(fixed)
    statuses += [(run_id, fp, "fixed") for fp in fixed]
    with db.transaction():
        _insert_run(db, run, run_id)
        if inserts:
            cols = list(inserts[0])
            db.conn.executemany(
                "INSERT INTO qq_error (%s) VALUES (%s)" % (", ".join(map(_q, cols)),
                                                         ", ".join("?" * len(cols))),
                [[r[c] for c in cols] for r in inserts])
        by_columns = {}
        for common, fp in updates:
            by_columns.setdefault(tuple(common), []).append([*common.values(), fp])
        for cols, params in by_columns.items():
            db.conn.executemany("UPDATE qq_error SET %s WHERE fingerprint=?" % ", ".join(
                "%s=?" % _q(c) for c in cols), params)
        db.conn.executemany(
            "UPDATE qq_error SET state='fixed', state_at=?, state_by='' WHERE fingerprint=?",
            [(now, fp) for fp in fixed])
        db.conn.executemany("INSERT INTO qq_error_run (run_id, fingerprint, status) "
                            "VALUES (?, ?, ?)", statuses)
        _audit(db, audits)
    counts["run_id"] = run_id
    counts["text"] = "本次检查：新增 %d，已修正 %d，仍存在 %d（其中已接受 %d，因对象修改重新打开 %d）" % (
        counts["new"] + counts["reopened"], counts["fixed"], counts["still"], counts["accepted"],
        counts["reopened_changed"])
    return counts


def _insert_run(db, run, run_id):
    row = run_json(dict(run, run_id=run_id))
    cols = [c for c in row if c in _run_columns(db)]
    db.conn.execute("INSERT INTO qq_check_run (%s) VALUES (%s)" % (
        ", ".join(map(_q, cols)), ", ".join("?" * len(cols))), [row[c] for c in cols])


def _run_columns(db):
    return {r[1] for r in db.conn.execute('PRAGMA table_info("qq_check_run")')}


def _audit(db, rows):
    """qq_audit rows (at, who, action, key, field, old, new, note) of state changes."""
    if not rows:
        return
    cols = {r[1] for r in db.conn.execute('PRAGMA table_info("qq_audit")')}
    if "note" in cols:
        db.conn.executemany(
            "INSERT INTO qq_audit (at, who, action, table_name, key, field, old_value, new_value, "
            "note) VALUES (?, ?, ?, 'qq_error', ?, ?, ?, ?, ?)", rows)
    else:   # a database made before qq_audit had its note column
        db.conn.executemany(
            "INSERT INTO qq_audit (at, who, action, table_name, key, field, old_value, new_value) "
            "VALUES (?, ?, ?, 'qq_error', ?, ?, ?, ?)", [r[:7] for r in rows])


# --- reviewer actions --------------------------------------------------------------

def _find(db, ident) -> dict:
    _ensure(db)
    cur = db.conn.execute("SELECT * FROM qq_error WHERE fingerprint=? OR error_id=?",
                          (str(ident), str(ident)))
    row = cur.fetchone()
    if row is None:
        raise ValueError("找不到错误记录 %s" % ident)
    return {d[0]: v for d, v in zip(cur.description, row)}


def accept(db, fingerprint_or_error_id, reason: str, who: str) -> dict:
    """open → accepted with a reason (required), user and time."""
    row = _find(db, fingerprint_or_error_id)
    rule = row["rule"]
    if rule in catalogue.NOT_ACCEPTABLE:
        raise ValueError("规则 %s（%s）的错误不能接受，必须修正后重新检查" % (
            rule, catalogue.RULES[rule][1]))
    if not reason or not str(reason).strip():
        raise ValueError("接受错误必须填写理由（如：争议已协商解决、插花地）")
    who = str(who or "").strip() or _operator()
    if row["state"] == "fixed":
        raise ValueError("错误 %s %s 已修正，无需接受" % (rule, row["key"]))
    now = _now()
    with db.transaction():
        db.conn.execute("UPDATE qq_error SET state='accepted', reason=?, state_by=?, state_at=? "
                        "WHERE fingerprint=?", (reason.strip(), who, now,
                                                row["fingerprint"]))
        _audit(db, [(now, who, "error_accepted", row["fingerprint"], "state",
                     row["state"], "accepted", reason.strip())])
    return _find(db, row["fingerprint"])


def reopen(db, fingerprint_or_error_id, who: str = "", reason: str = "") -> dict:
    """accepted → open: the reason is withdrawn (kept in qq_audit)."""
    row = _find(db, fingerprint_or_error_id)
    if row["state"] == "open":
        return row
    if row["state"] != "accepted":
        raise ValueError("错误 %s %s 已修正，不能重新打开；再次检查发现时会自动打开" % (
            row["rule"], row["key"]))
    now = _now()
    with db.transaction():
        db.conn.execute("UPDATE qq_error SET state='open', reason=NULL, state_by=?, state_at=? "
                        "WHERE fingerprint=?", (who, now, row["fingerprint"]))
        _audit(db, [(now, who, "error_reopened", row["fingerprint"], "state", "accepted", "open",
                     "撤回接受理由：%s%s" % (row["reason"] or "",
                                      "；" + reason if reason else ""))])
    return _find(db, row["fingerprint"])


# --- reading ---------------------------------------------------------------------

def _sort_key(row):
    rule = row.get("rule") or ""
    return (row.get("unit_code") or "",
            catalogue.sort_key(rule) if rule in catalogue.RULES else (9, rule),
            row.get("key") or "", row.get("related_keys") or "")


def current_errors(db, states: Optional[Sequence[str]] = ("open",),
                   rules: Optional[Iterable[str]] = None, unit: str = "") -> List[dict]:
    """qq_error rows (dicts keyed by column) in the given states (None = all), sorted."""
    if db is None or not db.has("qq_error"):
        return []
    cur = db.conn.execute("SELECT * FROM qq_error")
    cols = [d[0] for d in cur.description]
    wanted_rules = set(rules) if rules else None
    out = []
    for rec in cur:
        row = dict(zip(cols, rec))
        if states and (row.get("state") or "open") not in states:
            continue
        if wanted_rules and row.get("rule") not in wanted_rules:
            continue
        if unit and not (row.get("unit_code") or "").startswith(unit):
            continue
        out.append(row)
    out.sort(key=_sort_key)
    return out


def runs(db) -> List[dict]:
    """qq_check_run rows, oldest first."""
    if db is None or not db.has("qq_check_run"):
        return []
    cur = db.conn.execute("SELECT * FROM qq_check_run ORDER BY started, fid")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def latest_run_id(db) -> Optional[str]:
    all_runs = runs(db)
    return all_runs[-1]["run_id"] if all_runs else None


def run_errors(db, run_id: str, statuses=("new", "still", "reopened", "fixed")) -> List[dict]:
    """qq_error rows touched by a run, each with its 'status' in that run; sorted."""
    if db is None or not db.has("qq_error_run"):
        return []
    marks = ",".join("?" * len(statuses))
    cur = db.conn.execute(
        "SELECT e.*, r.status AS run_status FROM qq_error_run r JOIN qq_error e "
        "ON e.fingerprint = r.fingerprint WHERE r.run_id=? AND r.status IN (%s)" % marks,
        [run_id] + list(statuses))
    cols = [d[0] for d in cur.description]
    out = [dict(zip(cols, r)) for r in cur]
    out.sort(key=_sort_key)
    return out


def village_of(unit_code: str) -> str:
    return unit_code[:12] if unit_code and len(unit_code) >= 12 else ""


def compare_with_previous(db, run_id: Optional[str] = None) -> Dict[str, Dict[str, int]]:
    """Per village code ('' = township-level records): 新增 / 已修正 / 仍存在 of a run."""
    run_id = run_id or latest_run_id(db)
    if run_id is None:
        return {}
    out: Dict[str, Dict[str, int]] = {}
    for row in run_errors(db, run_id):
        key = _STATUS_TO_COMPARE.get(row["run_status"])
        if key is None:
            continue
        counts = out.setdefault(village_of(row.get("unit_code") or ""),
                                dict.fromkeys(COMPARE_KEYS, 0))
        counts[key] += 1
    return dict(sorted(out.items()))
