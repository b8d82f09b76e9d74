"""Codes and mandatory fields of newly digitised plots; retiring codes.

A plot drawn in QGIS has no DKBM yet. It gets the next free 5-digit sequence under
its 发包方 (never a retired one), YSDM 211011, a BSM, SCMJ from its geometry
(planar area, 0.01 m²) and SCMJM = round(SCMJ × 0.0015, 2) half up; DKLB, DKMC,
DLDJ, TDYT and SFJBNT (M fields) must be given.
"""
from typing import Dict, Optional

import shapely

from .. import codelists, codes, schema
from ..gpkg_blob import wkb_of
from .allocation import next_dkbm, retire
from .journal import OwnershipError
from .records import one, rows_in, text
from .step import EditResult, EditStep

REQUIRED = (("DKMC", None), ("DKLB", "C.7"), ("DLDJ", "C.8"), ("TDYT", "C.9"), ("SFJBNT", "C.19"))
OPTIONAL = ("ZJRXM", "DKDZ", "DKNZ", "DKXZ", "DKBZ", "TDLYLX", "SYQXZ", "DKBZXX")
YSDM_DK = schema.BY_CODE["DK"].ysdm


def _checked(values: Dict) -> Dict:
    values = {k.upper(): v for k, v in (values or {}).items()}
    out, missing = {}, []
    for fld, domain in REQUIRED:
        v = text(values.get(fld))
        name = schema.BY_CODE["DK"].field(fld).name
        if not v:
            missing.append(name)
        elif domain and v not in codelists.CODE_LISTS[domain]:
            raise OwnershipError("%s %s 不在代码表 %s 中" % (name, v, domain))
        out[fld] = v
    if missing:
        raise OwnershipError("请填写必填字段：%s" % "、".join(missing))
    if len(out["DKMC"]) > schema.BY_CODE["DK"].field("DKMC").length:
        raise OwnershipError("地块名称超过 50 个字")
    for fld in OPTIONAL:
        if text(values.get(fld)):
            out[fld] = text(values.get(fld))
    return out


def _area_fields(geom) -> Dict:
    if geom is None or geom.is_empty:
        raise OwnershipError("地块没有图形，无法计算实测面积")
    if not geom.is_valid:
        raise OwnershipError("地块图形无效（自相交等），请先修复图形")
    scmj = codes.round2(geom.area)
    return {"SCMJ": scmj, "SCMJM": codes.m2_to_mu(scmj)}


def _next_bsm(db) -> int:
    row = db.conn.execute('SELECT max(CAST(BSM AS INTEGER)) FROM "%s"' % db.name("DK")).fetchone()
    return int(row[0] or 0) + 1


def _check_fbf(db, fbfbm: str) -> str:
    fbfbm = text(fbfbm)
    if one(db, "FBF", "FBFBM", fbfbm) is None:
        raise OwnershipError("发包方 %s 不存在（FBF 表中没有）" % fbfbm)
    return fbfbm


def plot_geometry(db, fid: int):
    gcol = db.geometry_column("DK")
    row = db.conn.execute('SELECT "%s" FROM "%s" WHERE "%s"=?' % (
        gcol, db.name("DK"), db.primary_key("DK")), (fid,)).fetchone()
    wkb = wkb_of(row[0]) if row else None
    return shapely.from_wkb(wkb) if wkb else None


def suggest_fbfbm(db, geom) -> str:
    """The 发包方 a drawn plot most likely belongs to: its group region, else its nearest plots."""
    if geom is None or geom.is_empty:
        return ""
    point = shapely.point_on_surface(geom)
    fbfs = {text(r.get("FBFBM")) for r in db.read("FBF", ("FBFBM",))}
    for layer, fld, suffix in (("ZJQY", "ZJQYDM", ""), ("CJQY", "CJQYDM", "00")):
        rows, wkbs = db.read_geometries(layer, (fld,))
        for r, w in zip(rows, wkbs):
            if w and shapely.from_wkb(w).contains(point) and text(r.get(fld)) + suffix in fbfs:
                return text(r.get(fld)) + suffix
    rows, wkbs = db.read_geometries("DK", ("DKBM",))
    best, dist = "", None
    for r, w in zip(rows, wkbs):
        code = text(r.get("DKBM"))
        if w and len(code) == 19 and code[:14] in fbfs:
            d = shapely.from_wkb(w).distance(point)
            if dist is None or d < dist:
                best, dist = code[:14], d
    return best


def assign_plot_code(db, fid: int, fbfbm: str, values: Dict, who: Optional[str] = None) -> EditResult:
    """Give a drawn plot (DK row without DKBM) its code and mandatory fields."""
    rows = rows_in(db, "DK", "fid", [fid], ("DKBM", "BSM"))
    if not rows:
        raise OwnershipError("找不到地块（fid %s）；新画的地块请先保存图层编辑" % fid)
    if text(rows[0].get("DKBM")):
        raise OwnershipError("地块已有代码 %s" % text(rows[0]["DKBM"]))
    fbfbm = _check_fbf(db, fbfbm)
    fields = _checked(values)
    fields.update(_area_fields(plot_geometry(db, fid)))
    dkbm = next_dkbm(db, fbfbm)
    fields.update({"DKBM": dkbm, "YSDM": YSDM_DK})
    if not text(rows[0].get("BSM")):
        fields["BSM"] = _next_bsm(db)
    with EditStep(db, "地块编码", who, "新地块 fid %s 编码为 %s %s" % (fid, dkbm, fields["DKMC"])) as step:
        step.touch(dkbm=[dkbm])
        step.journal.update("DK", fid, fields)
        step.data.update({"dkbm": dkbm, "fid": fid})
    return step.result


def add_plot(db, fbfbm: str, geometry, values: Dict, who: Optional[str] = None) -> EditResult:
    """Insert a new plot with its geometry, next free DKBM and mandatory fields."""
    fbfbm = _check_fbf(db, fbfbm)
    if geometry is not None and geometry.geom_type == "Polygon":
        geometry = shapely.MultiPolygon([geometry])
    fields = _checked(values)
    fields.update(_area_fields(geometry))
    dkbm = next_dkbm(db, fbfbm)
    fields.update({"DKBM": dkbm, "YSDM": YSDM_DK, "BSM": _next_bsm(db)})
    with EditStep(db, "新增地块", who, "新增地块 %s %s" % (dkbm, fields["DKMC"])) as step:
        step.touch(dkbm=[dkbm])
        fid = step.journal.insert("DK", fields, geometry=geometry)
        step.data.update({"dkbm": dkbm, "fid": fid})
    return step.result


def retire_code(db, code: str, kind: str, reason: str, who: Optional[str] = None) -> EditResult:
    """Mark a code (DKBM, CBFBM …) as never to be reused; refused while the code is in use."""
    code = text(code)
    if not code:
        raise OwnershipError("代码为空")
    in_use = [t for t, f in (("DK", "DKBM"), ("CBDKXX", "DKBM"), ("CBF", "CBFBM"))
              if rows_in(db, t, f, [code], (f,))]
    if in_use:
        raise OwnershipError("代码 %s 仍在 %s 中使用，不能作废" % (code, "、".join(in_use)))
    with EditStep(db, "作废代码", who, "代码 %s 作废：%s" % (code, reason), validate=False) as step:
        if retire(step.journal, code, kind, reason) is None:
            raise OwnershipError("代码 %s 已经作废" % code)
    return step.result
