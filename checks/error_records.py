"""The stored check errors (qq_error) as plain records for the results dock and its exports.

Qt-free: the dock's item model only displays these records. State changes go
through checks.persistence (the one owner of qq_error's state machine).
"""
import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from . import catalogue

STATES = ("open", "accepted", "fixed")
STATE_TEXT = {"open": "未处理", "accepted": "已接受", "fixed": "已修正"}
DKBM_LEN = 19


def parse_related(text) -> List[Tuple[str, str]]:
    """qq_error.related_keys -> [(field, value)]: JSON list or comma text; items 'FIELD:value'."""
    if text is None or text == "":
        return []
    items = text
    if isinstance(text, str):
        try:
            items = json.loads(text)
        except ValueError:
            items = text.replace("，", ",").split(",")
    if isinstance(items, (str, int, float)):
        items = [items]
    out = []
    for item in items:
        s = str(item).strip()
        if not s:
            continue
        name, sep, value = s.partition(":")
        # "DKBM:3708…" names its field; a bare value (or a value with a colon inside) does not
        out.append((name, value) if sep and name.isalnum() and not name.isdigit() else ("", s))
    return out


def _bbox(wkt) -> Optional[Tuple[float, float, float, float]]:
    if not wkt:
        return None
    try:
        import shapely
        g = shapely.from_wkt(wkt)
    except Exception:  # noqa: BLE001 (a damaged geometry only loses its zoom)
        return None
    if g is None or g.is_empty:
        return None
    return tuple(float(v) for v in g.bounds)


@dataclass
class ErrorRecord:
    error_id: str
    fingerprint: str
    rule: str
    severity: str
    layer: str
    key_field: str
    key: str
    related: Tuple[Tuple[str, str], ...]
    unit_code: str
    message: str
    state: str
    reason: str = ""
    state_by: str = ""
    state_at: str = ""
    first_seen: str = ""
    last_seen: str = ""
    first_run: str = ""
    last_run: str = ""
    geom_wkt: str = ""
    bbox: Optional[Tuple[float, float, float, float]] = None   # minx, miny, maxx, maxy
    village_name: str = ""
    group_name: str = ""
    search_text: str = field(default="", repr=False)

    @property
    def rule_title(self) -> str:
        return catalogue.RULES.get(self.rule, ("", ""))[1]

    @property
    def severity_text(self) -> str:
        return catalogue.SEVERITY_TEXT.get(self.severity, self.severity)

    @property
    def state_text(self) -> str:
        return STATE_TEXT.get(self.state, self.state)

    @property
    def list_name(self) -> str:
        return catalogue.list_of(self.rule) if self.rule in catalogue.RULES else ""

    @property
    def acceptable(self) -> bool:
        return self.rule not in catalogue.NOT_ACCEPTABLE

    @property
    def related_text(self) -> str:
        return ",".join(v for _, v in self.related)

    @property
    def village(self) -> str:
        """村级 code (12 digits) of the unit, '' for records without a unit."""
        return self.unit_code[:12] if len(self.unit_code) >= 12 else ""

    @property
    def group(self) -> str:
        """组级 code (14 digits; '…00' for a village-level 发包方)."""
        return self.unit_code[:14] if len(self.unit_code) >= 14 else ""

    @property
    def geom(self):
        """Shapely geometry of the record (or None); lets a record stand in for a Finding."""
        if not self.geom_wkt:
            return None
        try:
            import shapely
            return shapely.from_wkt(self.geom_wkt)
        except Exception:  # noqa: BLE001
            return None

    @property
    def plot_keys(self) -> List[str]:
        """DKBM of every plot the record involves (its key and related keys), sorted."""
        keys = set()
        if self.key_field.upper() == "DKBM" or (self.layer.upper() == "DK" and _is_dkbm(self.key)):
            keys.add(self.key)
        for name, value in self.related:
            if name.upper() == "DKBM" or (not name and _is_dkbm(value)):
                keys.add(value)
        return sorted(k for k in keys if k)


def _is_dkbm(value) -> bool:
    s = str(value or "")
    return len(s) == DKBM_LEN and s.isdigit()


def unit_names(db) -> Dict[str, str]:
    """Unit code -> name from the admin list, the region layers and FBF (first found wins)."""
    names: Dict[str, str] = {}
    sources = (("qq_admin_unit", "CODE", "NAME"), ("ZJQY", "ZJQYDM", "ZJQYMC"),
               ("CJQY", "CJQYDM", "CJQYMC"), ("FBF", "FBFBM", "FBFMC"))
    for table, code_f, name_f in sources:
        if not db.has(table):
            continue
        for row in db.read(table, [code_f, name_f]):
            code, name = str(row.get(code_f) or "").strip(), str(row.get(name_f) or "").strip()
            if code and name:
                names.setdefault(code, name)
    return names


def _text(value) -> str:
    return "" if value is None else str(value)


def record_from_row(row: dict, names: Dict[str, str], bbox: bool = True) -> ErrorRecord:
    """One qq_error row (keys as stored, any case) -> ErrorRecord (bbox: compute its extent)."""
    r = {str(k).lower(): v for k, v in row.items()}
    unit = _text(r.get("unit_code")).strip()
    rec = ErrorRecord(
        error_id=_text(r.get("error_id")), fingerprint=_text(r.get("fingerprint")),
        rule=_text(r.get("rule")), severity=_text(r.get("severity")) or catalogue.RULES.get(
            _text(r.get("rule")), ("E",))[0],
        layer=_text(r.get("layer")), key_field=_text(r.get("key_field")), key=_text(r.get("key")),
        related=tuple(parse_related(r.get("related_keys"))), unit_code=unit,
        message=_text(r.get("message")), state=_text(r.get("state")) or "open",
        reason=_text(r.get("reason")), state_by=_text(r.get("state_by")),
        state_at=_text(r.get("state_at")), first_seen=_text(r.get("first_seen")),
        last_seen=_text(r.get("last_seen")), first_run=_text(r.get("first_run")),
        last_run=_text(r.get("last_run")), geom_wkt=_text(r.get("geom_wkt")))
    if bbox:
        rec.bbox = _bbox(rec.geom_wkt)
    rec.village_name = names.get(rec.village, "") if rec.village else ""
    group_code = rec.group
    if group_code and not group_code.endswith("00"):
        rec.group_name = names.get(group_code, "")
    rec.search_text = " ".join((rec.rule, rec.rule_title, rec.key, rec.related_text, rec.message,
                                rec.reason, rec.village_name, rec.group_name, rec.unit_code,
                                rec.layer)).lower()
    return rec


def _set_bboxes(recs: Sequence[ErrorRecord]):
    """Extents of all records in one vectorised pass (20,000 WKT parsed one by one took 0.6 s)."""
    import numpy as np
    import shapely
    idx = [i for i, r in enumerate(recs) if r.geom_wkt]
    if not idx:
        return
    geoms = shapely.from_wkt(np.array([recs[i].geom_wkt for i in idx], dtype=object),
                             on_invalid="ignore")
    bounds = shapely.bounds(geoms)
    for i, b in zip(idx, bounds):
        if not np.isnan(b[0]):
            recs[i].bbox = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))


def _rows_of_current(db, states) -> List[dict]:
    try:
        from .persistence import current_errors
    except ImportError:
        current_errors = None
    if current_errors is not None:
        rows = current_errors(db, states=list(states) if states else None)
        return [r if isinstance(r, dict) else _as_dict(r) for r in rows]
    # persistence not installed yet: read the register as stored
    if not db.has("qq_error"):
        return []
    rows = db.read("qq_error")
    return [r for r in rows if not states or (r.get("STATE") or "open") in states]


def _as_dict(obj) -> dict:
    if hasattr(obj, "_asdict"):
        return obj._asdict()
    if hasattr(obj, "__dict__"):
        return dict(vars(obj))
    return dict(obj)


def load_records(db, states: Optional[Sequence[str]] = None) -> List[ErrorRecord]:
    """The error register, sorted by unit, rule and key (spec checks.md §1 reproducibility)."""
    names = unit_names(db)
    recs = [record_from_row(r, names, bbox=False) for r in _rows_of_current(db, states)]
    _set_bboxes(recs)
    recs.sort(key=lambda e: (e.unit_code, catalogue.sort_key(e.rule) if e.rule in catalogue.RULES
                             else (9, e.rule), e.key, e.related_text, e.message))
    return recs


def load_record(db, identity: str) -> Optional[ErrorRecord]:
    """One record by fingerprint or error_id (after a state change), None when absent."""
    if not db.has("qq_error"):
        return None
    cur = db.conn.execute("SELECT * FROM qq_error WHERE fingerprint=? OR error_id=?",
                          (identity, identity))
    row = cur.fetchone()
    if row is None:
        return None
    return record_from_row({d[0]: v for d, v in zip(cur.description, row)}, unit_names(db))


def latest_run(db) -> Optional[dict]:
    """The newest qq_check_run row (dict keyed by lower-case column) or None."""
    if not db.has("qq_check_run"):
        return None
    cur = db.conn.execute('SELECT * FROM "%s" ORDER BY started DESC, fid DESC LIMIT 1'
                          % db.name("qq_check_run"))
    row = cur.fetchone()
    if row is None:
        return None
    return {d[0].lower(): v for d, v in zip(cur.description, row)}


def units_of(records: Sequence[ErrorRecord]) -> Tuple[List[Tuple[str, str]], Dict[str, List[Tuple[str, str]]]]:
    """Villages [(code, name)] and groups per village {village: [(code, name)]}, sorted by code."""
    villages: Dict[str, str] = {}
    groups: Dict[str, Dict[str, str]] = {}
    for r in records:
        if r.village:
            villages.setdefault(r.village, r.village_name)
        if r.group:
            groups.setdefault(r.village, {}).setdefault(r.group, r.group_name)
    return (sorted(villages.items()),
            {v: sorted(g.items()) for v, g in groups.items()})


def accept_record(db, record, reason: str, who: str):
    """open -> accepted with a reason (spec checks.md §4); ValueError for S01/S02/T01/T02."""
    from .persistence import accept
    if not record.acceptable:
        raise ValueError("%s 不能接受：结构和图形错误（S01、S02、T01、T02）必须在数据中修正" % record.rule)
    if not (reason or "").strip():
        raise ValueError("接受错误必须填写理由")
    return accept(db, record.fingerprint or record.error_id, reason.strip(), who)


def withdraw_record(db, record, who: str):
    """accepted -> open: the reason is withdrawn."""
    from .persistence import reopen
    return reopen(db, record.fingerprint or record.error_id, who)
