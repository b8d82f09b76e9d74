"""Boundary disputes (界址争议) between two plots, or a plot and a neighbouring feature.

Field staff mark a dispute with the parties and a description (status open), and
record how it was settled (who, when, how; status resolved). Rows live in
qq_dispute and are written through the journal, so they are audited and undoable
like every other ownership step. The map shows the disputed line: the boundary the
two objects share, or the outline of both when they do not touch.
"""
import re
from typing import List, Optional

import shapely

from .journal import OwnershipError
from .plots import plot_geometry
from .records import one, rows_in, text, today
from .step import EditResult, EditStep

OPEN, RESOLVED = "open", "resolved"
STATUS_NAMES = {OPEN: "未解决", RESOLVED: "已解决"}
SHARED_TOL = 0.05          # m: boundaries this close count as the shared line
_NEIGHBOUR = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(\d+)")
_FIELDS = ("fid", "dkbm_a", "dkbm_b", "neighbour", "parties", "description", "status", "opened",
           "opened_by", "resolved_by", "resolved_at", "resolution")


def _plot_fid(db, dkbm: str) -> int:
    rows = rows_in(db, "DK", "DKBM", [dkbm], ("DKBM",))
    if not rows:
        raise OwnershipError("地块 %s 不存在" % dkbm)
    return rows[0]["FID"]


def open_dispute(db, dkbm_a: str, dkbm_b: str = "", neighbour: str = "", parties: str = "",
                 description: str = "", date: Optional[str] = None, who: Optional[str] = None) -> EditResult:
    """Record an open dispute. neighbour: 'XZDW:12 水渠' style reference or free text."""
    a, b = text(dkbm_a), text(dkbm_b)
    _plot_fid(db, a)
    if b:
        if b == a:
            raise OwnershipError("争议的两个地块不能相同")
        _plot_fid(db, b)
    elif not text(neighbour):
        raise OwnershipError("请指定争议的另一方地块或相邻地物")
    if not text(parties):
        raise OwnershipError("请填写争议当事人")
    other = b or text(neighbour)
    with EditStep(db, "登记争议", who, "地块 %s 与 %s 界址争议" % (a, other), validate=False) as step:
        fid = step.journal.insert("qq_dispute", {
            "dkbm_a": a, "dkbm_b": b or None, "neighbour": text(neighbour) or None,
            "parties": text(parties), "description": text(description), "status": OPEN,
            "opened": text(date) or today(), "opened_by": step.journal.who})
        step.data["fid"] = fid
    return step.result


def resolve(db, fid: int, resolution: str, who: Optional[str] = None, at: Optional[str] = None) -> EditResult:
    """Settle an open dispute: how (required), by whom and when."""
    row = one(db, "qq_dispute", "fid", fid)
    if row is None:
        raise OwnershipError("找不到争议记录 %s" % fid)
    if text(row.get("STATUS")) == RESOLVED:
        raise OwnershipError("争议 %s 已经解决" % fid)
    if not text(resolution):
        raise OwnershipError("请填写解决方式（如何达成一致）")
    note = "地块 %s 界址争议已解决" % text(row.get("DKBM_A"))
    with EditStep(db, "解决争议", who, note, validate=False) as step:
        step.journal.update("qq_dispute", fid, {"status": RESOLVED, "resolution": text(resolution),
                                                "resolved_by": step.journal.who,
                                                "resolved_at": text(at) or today()})
    return step.result


def list_disputes(db, status: Optional[str] = None, dkbm: str = "") -> List[dict]:
    """Disputes (lowercase keys) newest first, optionally by status or involving a plot."""
    if not db.has("qq_dispute"):
        return []
    cols = db.columns("qq_dispute")
    present = [c for c in _FIELDS if c.upper() in cols]
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if dkbm:
        where.append("(trim(dkbm_a) = ? OR trim(dkbm_b) = ?)")
        params += [text(dkbm)] * 2
    sql = "SELECT %s FROM qq_dispute%s ORDER BY fid DESC" % (
        ", ".join('"%s"' % c for c in present), (" WHERE " + " AND ".join(where)) if where else "")
    out = []
    for rec in db.conn.execute(sql, params):
        d = dict.fromkeys(_FIELDS)
        d.update(zip(present, rec))
        d["status_name"] = STATUS_NAMES.get(text(d["status"]), text(d["status"]))
        d["other"] = text(d["dkbm_b"]) or text(d["neighbour"])
        out.append(d)
    return out


def _neighbour_geometry(db, reference: str):
    m = _NEIGHBOUR.match(reference or "")
    if not m or not db.has(m.group(1).upper()) or db.geometry_column(m.group(1).upper()) is None:
        return None
    from ..gpkg_blob import wkb_of
    layer = m.group(1).upper()
    row = db.conn.execute('SELECT "%s" FROM "%s" WHERE "%s"=?' % (
        db.geometry_column(layer), db.name(layer), db.primary_key(layer)), (int(m.group(2)),)).fetchone()
    wkb = wkb_of(row[0]) if row else None
    return shapely.from_wkb(wkb) if wkb else None


def dispute_geometry(db, dispute: dict):
    """The disputed line: shared boundary of the two objects, else the outline of both."""
    def plot(code):
        rows = rows_in(db, "DK", "DKBM", [code], ("DKBM",))
        return plot_geometry(db, rows[0]["FID"]) if rows else None
    a = plot(text(dispute.get("dkbm_a")))
    b = plot(text(dispute.get("dkbm_b"))) if text(dispute.get("dkbm_b")) else \
        _neighbour_geometry(db, text(dispute.get("neighbour")))
    if a is None:
        return b.boundary if b is not None and b.area > 0 else b
    if b is None:
        return a.boundary
    # snapped neighbours share their edge exactly; otherwise take A's boundary near B
    for near in ((b.boundary, b.buffer(SHARED_TOL)) if a.distance(b) <= SHARED_TOL else ()):
        parts = shapely.get_parts(shapely.intersection(a.boundary, near))
        lines = [p for p in parts if p.geom_type == "LineString" and not p.is_empty]
        shared = shapely.line_merge(shapely.MultiLineString(lines)) if lines else None
        if shared is not None and shared.length > SHARED_TOL:
            return shared
    outline = shapely.union(a, b)
    return outline.boundary if outline.area > 0 else outline
