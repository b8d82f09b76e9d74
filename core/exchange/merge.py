"""Write prepared rows into the township database: keys, BSM, one transaction.

Merging a second village or 标段 appends it. An incoming row whose key is
already in the database never overwrites silently: by default it is skipped
and listed; the caller may choose 'replace' (existing rows with that key are
deleted first, and listed) or 'abort' (nothing is written). A BSM that is
already used in the layer is renumbered and listed. Everything is written in
one sqlite transaction after a backup copy of the GeoPackage was made, so a
failure leaves the database exactly as it was.
"""
import datetime as _dt
import os
import sqlite3
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from .. import schema
from ..backup import copy_database
from ..township_db import DatabaseError, TownshipDB
from .errors import ExchangeError
from .report import Collision, ImportReport, Renumbered, WARNING

POLICIES = ("skip", "replace", "abort")

# What identifies a row across deliveries. JZD: the point number is unique
# only within one township's numbering, so a point is (JZDH, DKBM) (codes.md §4).
# Child tables use their parent's code: a household already present keeps its members.
# Rows without a key value (features without a code, a JZX without JZXH) are the
# same row when every standard value but BSM and the geometry are equal.
MERGE_KEYS: Dict[str, Tuple[str, ...]] = {
    "DK": ("DKBM",), "XJXZQ": ("XZQDM",), "XJQY": ("XJQYDM",), "CJQY": ("CJQYDM",),
    "ZJQY": ("ZJQYDM",), "JZD": ("JZDH", "DKBM"), "JZX": ("JZXH", "DKBM"), "KZD": ("KZDDH",),
    "JBNTBHQ": ("BHQBH",),
    "FBF": ("FBFBM",), "CBF": ("CBFBM",), "CBF_JTCY": ("CBFBM",), "CBDKXX": ("DKBM",),
    "CBHT": ("CBHTBM",), "LZHT": ("LZHTBM",), "QSLYZLFJ": ("ZLFJBH",),
    "CBJYQZDJB": ("CBJYQZBM",), "CBJYQZ": ("CBJYQZBM",), "CBJYQZ_QZBF": ("CBJYQZBM",),
    "CBJYQZ_QZHF": ("CBJYQZBM",), "CBJYQZ_QZZX": ("CBJYQZBM",),
}


@dataclass
class Prepared:
    """Rows of one standard layer/table ready to write (geometries in the township CRS)."""
    code: str
    rows: List[Dict[str, object]]
    row_numbers: List[int]
    source: str
    geoms: Optional[list] = None      # shapely geometries (None = no shape)


def _key(row, fields) -> Optional[tuple]:
    values = tuple(row.get(f) for f in fields)
    if any(v is None or (isinstance(v, str) and not v.strip()) for v in values):
        return None
    return tuple(str(v).strip() for v in values)


def _key_text(key: tuple) -> str:
    if key and key[0] == _CONTENT:
        return "图形与属性完全相同（%s）" % key[2]
    return "/".join(key)


_CONTENT = "#content"


def _content_identity(table: schema.Table, row: dict, geom) -> tuple:
    """For rows without a key of their own (DZDW, QYJX, a JZX without JZXH …): all standard
    values but BSM, and the geometry at the 0.0001 m precision of the standard."""
    import hashlib
    import shapely
    h = hashlib.sha1()
    for f in table.fields:
        if f.code == "BSM":
            continue
        v = row.get(f.code)
        if v is None or (isinstance(v, str) and not v.strip()):
            v = None
        elif f.kind in (schema.FLOAT, schema.INT):
            v = round(float(v), 4)
        h.update(("%s=%r;" % (f.code, v)).encode("utf-8"))
    if geom is not None:
        g = shapely.normalize(shapely.set_precision(geom, 0.0001))
        h.update(shapely.to_wkb(g))
    label = next((str(row[c]) for c in ("DWMC", "ZJNR", "JXLX", "YSDM") if row.get(c)), "")
    return (_CONTENT, h.hexdigest(), label)


def backup_database(path: str) -> str:
    """A consistent copy next to the database (sqlite backup API, safe while open)."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base, ext = os.path.splitext(path)
    target = "%s.导入前备份-%s%s" % (base, stamp, ext or ".gpkg")
    n = 1
    while os.path.exists(target):
        target = "%s.导入前备份-%s-%d%s" % (base, stamp, n, ext or ".gpkg")
        n += 1
    return copy_database(path, target)


class Merger:
    def __init__(self, db: TownshipDB, report: ImportReport, policy: str = "skip"):
        if policy not in POLICIES:
            raise ExchangeError("未知的键冲突处理方式 %s（可用 skip、replace、abort）" % policy)
        self.db, self.report, self.policy = db, report, policy
        self.deletes: Dict[str, Set[int]] = {}       # fids replaced (policy 'replace')
        self.max_fid_before: Dict[str, int] = {}
        self.planned_bsm: Dict[str, Set[int]] = {}    # BSM given to earlier parts of a split layer

    # --- planning (no writes) ---------------------------------------------
    def check_structure(self, items: Sequence[Prepared]):
        for item in items:
            if not self.db.has(item.code):
                raise ExchangeError("乡镇数据库缺少图层/表 %s，不是完整的乡镇数据库；请先运行结构检查（S01）"
                                    % item.code)
            cols = self.db.columns(item.code)
            lost = sorted({k for r in item.rows for k, v in r.items() if v is not None and k not in cols})
            if lost:
                raise ExchangeError("乡镇数据库的 %s 缺少字段 %s，导入会丢失这些值；请先运行结构检查（S02）"
                                    % (item.code, "、".join(lost)))

    def plan(self, item: Prepared, assign_missing_bsm: bool = False) -> Prepared:
        """Drop (skip) or mark (replace) colliding rows; renumber BSM. Returns the rows to insert."""
        code = item.code
        table = schema.BY_CODE[code]
        count = self.report.count(code)
        fields = MERGE_KEYS.get(code, ())
        idents = [_key(r, fields) if fields else None for r in item.rows]
        if any(k is None for k in idents):
            geoms = item.geoms if item.geoms is not None else [None] * len(item.rows)
            idents = [k if k is not None else _content_identity(table, r, g)
                      for k, r, g in zip(idents, item.rows, geoms)]
        keep = list(range(len(item.rows)))
        if self.db.count(code):
            existing = self._existing(code, fields, any(k[0] == _CONTENT for k in idents))
            keep = []
            for i, k in enumerate(idents):
                if k not in existing:
                    keep.append(i)
                    continue
                action = {"skip": "跳过", "replace": "替换", "abort": "中止"}[self.policy]
                key_field = "+".join(fields) if k[0] != _CONTENT else "全部字段+图形"
                self.report.collisions.append(Collision(code, key_field, _key_text(k), action,
                                                        item.row_numbers[i], item.source))
                if self.policy == "replace":
                    self.deletes.setdefault(code, set()).update(existing[k])
                    keep.append(i)
                else:
                    count.skipped += 1
        rows = [item.rows[i] for i in keep]
        nums = [item.row_numbers[i] for i in keep]
        geoms = [item.geoms[i] for i in keep] if item.geoms is not None else None
        if code == "JZD":
            self._warn_point_numbers(rows)
        if table.is_layer:
            self._renumber_bsm(code, rows, assign_missing_bsm)
        return Prepared(code, rows, nums, item.source, geoms)

    def _existing(self, code: str, fields, content: bool) -> Dict[tuple, List[int]]:
        """identity -> fids of the database rows (content identities only when needed)."""
        import shapely
        table = schema.BY_CODE[code]
        wanted = table.field_codes if content else list(fields)
        if table.is_layer and content:
            rows, wkbs = self.db.read_geometries(code, wanted)
            geoms = [shapely.from_wkb(w) if w else None for w in wkbs]
        else:
            rows = self.db.read(code, ["FID"] + wanted)
            geoms = [None] * len(rows)
        out: Dict[tuple, List[int]] = {}
        for r, g in zip(rows, geoms):
            k = _key(r, fields) if fields else None
            if k is None:
                if not content:
                    continue
                k = _content_identity(table, r, g)
            out.setdefault(k, []).append(r["FID"])
        return out

    def finish_plan(self):
        """Policy 'abort': refuse the whole import when any key collided."""
        if self.policy == "abort" and self.report.collisions:
            first = self.report.collisions[:5]
            raise ExchangeError("导入中止：%d 个键与数据库已有数据冲突（例如 %s），数据库未改变" % (
                len(self.report.collisions), "；".join("%s %s=%s" % (c.table, c.key_field, c.key)
                                                       for c in first)))

    def _warn_point_numbers(self, rows):
        if not self.db.count("JZD"):
            return
        used = {str(r["JZDH"]) for r in self.db.read("JZD", ["JZDH"]) if r["JZDH"]}
        clash = sorted({str(r["JZDH"]) for r in rows if r.get("JZDH") and str(r["JZDH"]) in used})
        if clash:
            self.report.messages.append(
                "界址点号与已有数据重号 %d 个（如 %s）：界址点号须在全镇唯一，合并后请重新生成界址点线编号"
                % (len(clash), "、".join(clash[:5])))

    def _renumber_bsm(self, code, rows, assign_missing):
        existing = set()
        if self.db.count(code):
            gone = self.deletes.get(code, set())
            for r in self.db.read(code, ["FID", "BSM"]):
                if r["BSM"] is not None and r["FID"] not in gone:
                    existing.add(int(r["BSM"]))
        planned = self.planned_bsm.setdefault(code, set())
        existing |= planned
        incoming = [int(r["BSM"]) for r in rows if isinstance(r.get("BSM"), int)]
        next_bsm = max(list(existing) + incoming + [0]) + 1
        count = self.report.count(code)
        key_field = schema.key_field(code)
        for r in rows:
            old = r.get("BSM")
            if old is not None and old not in existing:
                continue
            if old is None and not assign_missing:
                continue
            r["BSM"] = next_bsm
            key = str(r.get(key_field) or "") if key_field else ""
            self.report.renumbered.append(Renumbered(code, old, next_bsm, key))
            count.renumbered += 1
            next_bsm += 1
        planned.update(r["BSM"] for r in rows if isinstance(r.get("BSM"), int))

    # --- writing (one transaction) -------------------------------------------
    def write(self, items: Sequence[Prepared], progress: Optional[Callable[[float], None]] = None):
        total = max(1, sum(len(i.rows) for i in items))
        done = 0
        for item in items:
            self.max_fid_before[item.code] = self._max_fid(item.code)
        try:
            with self.db.transaction():
                for code, fids in sorted(self.deletes.items()):
                    self._delete(code, fids)
                for item in items:
                    if item.rows:
                        self.db.insert(item.code, item.rows, item.geoms)
                    self.report.count(item.code).imported += len(item.rows)
                    done += len(item.rows)
                    if progress:
                        progress(100.0 * done / total)
                self._touch_contents([i.code for i in items if i.rows or i.code in self.deletes])
        except (sqlite3.Error, DatabaseError, ValueError, TypeError) as exc:
            for item in items:
                self.report.count(item.code).imported = 0
            raise ExchangeError("写入乡镇数据库失败，已全部撤销，数据库未改变：%s" % exc)

    def _max_fid(self, code) -> int:
        pk = self.db.primary_key(code)
        row = self.db.conn.execute('SELECT max("%s") FROM "%s"' % (pk, self.db.name(code))).fetchone()
        return int(row[0] or 0)

    def _delete(self, code, fids):
        pk = self.db.primary_key(code)
        self.db.conn.executemany('DELETE FROM "%s" WHERE "%s"=?' % (self.db.name(code), pk),
                                 [(f,) for f in sorted(fids)])
        self.report.count(code).replaced += len(fids)
        self.report.add(WARNING, code, None, "+".join(MERGE_KEYS.get(code, ())) or "全部字段+图形", "",
                        "已按“替换”方式删除数据库中键冲突的 %d 条记录" % len(fids), "替换")

    def _touch_contents(self, codes):
        """Keep gpkg_contents extents and change time right, as GDAL would."""
        now = _dt.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for code in codes:
            name = self.db.name(code)
            gcol = self.db.geometry_column(code)
            if gcol:
                ext = self.db.conn.execute(
                    'SELECT min(ST_MinX("{g}")), min(ST_MinY("{g}")), max(ST_MaxX("{g}")), '
                    'max(ST_MaxY("{g}")) FROM "{t}"'.format(g=gcol, t=name)).fetchone()
                self.db.conn.execute(
                    "UPDATE gpkg_contents SET last_change=?, min_x=?, min_y=?, max_x=?, max_y=? "
                    "WHERE lower(table_name)=lower(?)", (now,) + tuple(ext) + (name,))
            else:
                self.db.conn.execute("UPDATE gpkg_contents SET last_change=? WHERE lower(table_name)=lower(?)",
                                     (now, name))
