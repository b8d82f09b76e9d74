"""S01–S03: the township database has the standard's layers, tables, fields and CRS.

Accepts databases written by other tools: extra tables and fields, any field
order, names in any case, TEXT without length.
"""
import re
from typing import Iterable, List, Optional

from ..core import codes, schema
from .finding import Finding
from .registry import register

INT_TYPES = {"INTEGER", "MEDIUMINT", "SMALLINT", "TINYINT", "INT", "BIGINT", "INT64"}
FLOAT_TYPES = {"REAL", "FLOAT", "DOUBLE", "NUMERIC", "DECIMAL"}
DATE_TYPES = {"DATE", "DATETIME"}
_TEXT = re.compile(r"^(TEXT|VARCHAR|CHAR|CHARACTER|NVARCHAR)\s*(\((\d+)\))?$")


def type_problem(fld: schema.Field, declared: str) -> Optional[str]:
    """None when the declared GeoPackage type fits the standard field, else why not."""
    decl = (declared or "").strip().upper()
    base = re.sub(r"\s*\(.*\)$", "", decl)
    if fld.kind == schema.CHAR:
        m = _TEXT.match(decl)
        if not m:
            return "类型为 %s，应为 TEXT(%d)" % (declared or "空", fld.length)
        if m.group(3) and int(m.group(3)) < fld.length:
            return "长度 %s 小于标准长度 %d" % (m.group(3), fld.length)
        return None
    if fld.kind == schema.INT:
        return None if base in INT_TYPES else "类型为 %s，应为整型" % (declared or "空")
    if fld.kind == schema.FLOAT:
        return None if base in FLOAT_TYPES | INT_TYPES else "类型为 %s，应为 REAL" % (declared or "空")
    return None if base in DATE_TYPES else "类型为 %s，应为 DATE" % (declared or "空")


def structure_findings(db, configured_epsg: Optional[int] = None,
                       wanted: Iterable[str] = ("S01", "S02", "S03")) -> List[Finding]:
    wanted = set(wanted)
    out: List[Finding] = []
    required = list(schema.REQUIRED_LAYERS) + list(schema.REQUIRED_TABLES)
    if db.has("CBF") and "CBFLX" in db.columns("CBF"):
        if db.conn.execute('SELECT 1 FROM "%s" WHERE "%s"=\'1\' LIMIT 1' % (
                db.name("CBF"), db.columns("CBF")["CBFLX"][0])).fetchone():
            required.append("CBF_JTCY")
    if db.has("CBDKXX") and "LZHTBM" in db.columns("CBDKXX"):
        col = db.columns("CBDKXX")["LZHTBM"][0]
        if db.conn.execute('SELECT 1 FROM "%s" WHERE trim(coalesce("%s",\'\'))<>\'\' LIMIT 1' % (
                db.name("CBDKXX"), col)).fetchone():
            required.append("LZHT")
    for code in required:
        if not db.has(code) and "S01" in wanted:
            t = schema.BY_CODE[code]
            out.append(Finding("S01", code, code, "缺少必选%s %s（%s）；请用“新建乡镇数据库”生成的结构补建"
                               % ("图层" if t.is_layer else "表", code, t.name), key_field="名称"))
    for t in schema.ALL:
        if not db.has(t.code):
            continue
        cols = db.columns(t.code)
        if "S02" in wanted:
            for fld in t.fields:
                if fld.code not in cols:
                    out.append(Finding("S02", t.code, "%s.%s" % (t.code, fld.code),
                                       "%s（%s）缺少字段 %s（%s，%s）" % (
                                           t.code, t.name, fld.code, fld.name, fld.type_text),
                                       key_field="字段", values={"field": fld.code}))
                    continue
                why = type_problem(fld, cols[fld.code][1])
                if why:
                    out.append(Finding("S02", t.code, "%s.%s" % (t.code, fld.code),
                                       "%s.%s（%s）%s" % (t.code, fld.code, fld.name, why),
                                       key_field="字段", values={"field": fld.code,
                                                                "declared": cols[fld.code][1]}))
        if t.is_layer and "S03" in wanted:
            epsg = db.epsg(t.code)
            if epsg is None:
                continue
            if not codes.is_cgcs2000_gk3(epsg):
                out.append(Finding("S03", t.code, "%s:EPSG:%s" % (t.code, epsg),
                                   "图层 %s 的坐标系为 EPSG:%s，不是 CGCS2000 3度带高斯投影（EPSG:4513–4554）"
                                   % (t.code, epsg), key_field="图层", values={"epsg": epsg}))
            elif configured_epsg and int(epsg) != int(configured_epsg):
                out.append(Finding("S03", t.code, "%s:EPSG:%s" % (t.code, epsg),
                                   "图层 %s 的坐标系为 EPSG:%s，与本乡镇设定的 EPSG:%s 不一致"
                                   % (t.code, epsg, configured_epsg), key_field="图层",
                                   values={"epsg": epsg, "configured": configured_epsg}))
    return out


@register
class StructureRules:
    ids = ("S01", "S02", "S03")

    def run(self, ctx, wanted):
        from ..core.plugin_tables import get_setting
        configured = (ctx.params.get("EPSG") or get_setting(ctx.db, "epsg")
                      or (ctx.db.epsg("DK") if ctx.db.has("DK") else None))
        return structure_findings(ctx.db, int(configured) if configured else None, wanted)
