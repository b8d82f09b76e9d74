"""Coordinate systems of delivered data: .prj -> EPSG, checks and reprojection.

The township works in one CGCS2000 3° Gauss–Krüger zone (EPSG 4513–4554).
Data in another zone, or with/without the zone prefix, are reprojected with a
warning; data of another datum (西安80, 北京54) are refused, because PROJ has
no official parameters and would shift them silently by tens of metres.
"""
import math
import os
from typing import List, Optional, Sequence, Tuple

from .errors import ExchangeError

CGCS2000_A, CGCS2000_RF = 6378137.0, 298.257222101
WGS84_RF = 298.257223563


def read_prj(shp_path: str) -> Optional[str]:
    folder, stem = os.path.split(os.path.splitext(shp_path)[0])
    for name in os.listdir(folder or "."):
        if name.lower() == (stem + ".prj").lower():
            with open(os.path.join(folder, name), "rb") as fh:
                raw = fh.read()
            for enc in ("utf-8", "gb18030", "latin-1"):
                try:
                    return raw.decode(enc).strip() or None
                except UnicodeDecodeError:
                    continue
    return None


def srs_from_text(text: str):
    from osgeo import osr
    srs = osr.SpatialReference()
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if srs.SetFromUserInput(text) != 0:
        return None
    return srs


def srs_from_epsg(epsg: int):
    from osgeo import osr
    srs = osr.SpatialReference()
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if srs.ImportFromEPSG(int(epsg)) != 0:
        raise ExchangeError("无法读取坐标系 EPSG:%s 的定义（GDAL/PROJ 数据缺失）" % epsg)
    return srs


def datum_kind(srs) -> str:
    """'cgcs2000', 'wgs84' or 'other' from the ellipsoid."""
    a, rf = srs.GetSemiMajor(), srs.GetInvFlattening()
    if abs(a - CGCS2000_A) < 0.01:
        if abs(rf - CGCS2000_RF) < 1e-6:
            return "cgcs2000"
        if abs(rf - WGS84_RF) < 1e-6:
            return "wgs84"
    return "other"


def gk3_epsg(srs) -> Optional[int]:
    """EPSG 4513–4554 of a CGCS2000 3° Gauss–Krüger definition, from its parameters."""
    from osgeo import osr
    if not srs.IsProjected() or datum_kind(srs) != "cgcs2000":
        return None
    if (srs.GetAttrValue("PROJECTION") or "") not in ("Transverse_Mercator", "Gauss_Kruger"):
        return None
    cm = srs.GetProjParm(osr.SRS_PP_CENTRAL_MERIDIAN, 0.0)
    fe = srs.GetProjParm(osr.SRS_PP_FALSE_EASTING, 0.0)
    k = srs.GetProjParm(osr.SRS_PP_SCALE_FACTOR, 1.0)
    if abs(k - 1.0) > 1e-9 or abs(srs.GetProjParm(osr.SRS_PP_FALSE_NORTHING, 0.0)) > 1e-6 \
            or abs(srs.GetLinearUnits() - 1.0) > 1e-9 or abs(cm / 3 - round(cm / 3)) > 1e-9:
        return None
    zone = int(round(cm / 3))
    if abs(fe - 500000.0) < 1e-6 and 75 <= cm <= 135:
        return 4534 + (int(round(cm)) - 75) // 3
    if abs(fe - (zone * 1000000 + 500000)) < 1e-6 and 25 <= zone <= 45:
        return 4513 + zone - 25
    return None


def identify_epsg(srs) -> Optional[int]:
    code = gk3_epsg(srs)
    if code:
        return code
    try:
        matches = srs.FindMatches() or []
    except Exception:  # noqa: BLE001 (old PROJ: no matching available)
        matches = []
    for cand, confidence in matches:
        if confidence >= 90 and (cand.GetAuthorityName(None) or "").upper() == "EPSG":
            return int(cand.GetAuthorityCode(None))
    return None


def zone_window(epsg: int) -> Tuple[float, float, float, float]:
    """Plausible (xmin, xmax, ymin, ymax) of projected data in a township zone in China:
    eastings within ±300 km of the central meridian, northings from 14°N to 55°N."""
    prefix = (25 + epsg - 4513) * 1000000 if epsg <= 4533 else 0
    return prefix + 200000.0, prefix + 800000.0, 1500000.0, 6200000.0


def in_zone(bounds: Sequence[float], epsg: int) -> bool:
    minx, miny, maxx, maxy = bounds
    if any(math.isnan(v) for v in bounds):
        return True  # no coordinates at all: nothing to misplace
    x0, x1, y0, y1 = zone_window(epsg)
    return x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1


class CrsDecision:
    """How one source gets into the township CRS: as is, or through a transformation."""

    def __init__(self, source_epsg: Optional[int], transform=None, notes: Optional[List[str]] = None):
        self.source_epsg = source_epsg
        self.transform = transform
        self.notes = notes or []

    def apply(self, wkb: Optional[bytes]) -> Optional[bytes]:
        if wkb is None or self.transform is None:
            return wkb
        from osgeo import ogr
        geom = ogr.CreateGeometryFromWkb(wkb)
        if geom is None:
            return None
        if geom.Transform(self.transform) != 0:
            raise ExchangeError("坐标转换失败（EPSG:%s → 乡镇坐标系）" % self.source_epsg)
        return bytes(geom.ExportToIsoWkb())


def decide(label: str, prj_text: Optional[str], bounds: Sequence[float], township_epsg: int,
           allow_datum_change: bool = False) -> CrsDecision:
    """Compare a source CRS with the township's; raise ExchangeError when it cannot be used."""
    from osgeo import osr
    if not prj_text:
        if in_zone(bounds, township_epsg):
            return CrsDecision(None, None, [
                "%s 没有坐标系文件（.prj），坐标范围与乡镇坐标系 EPSG:%d 相符，按该坐标系读取"
                % (label, township_epsg)])
        minx, miny, maxx, maxy = bounds
        hint = "（看起来是经纬度）" if -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90 else ""
        raise ExchangeError(
            "%s 没有坐标系文件（.prj），且坐标范围 X %.1f–%.1f、Y %.1f–%.1f 不在乡镇坐标系 "
            "EPSG:%d 的带内%s；请向测绘单位索取 .prj 文件后重新导入"
            % (label, minx, maxx, miny, maxy, township_epsg, hint))
    srs = srs_from_text(prj_text)
    if srs is None:
        raise ExchangeError("%s 的 .prj 文件无法解析为坐标系；请向测绘单位索取正确的 .prj 文件" % label)
    epsg = identify_epsg(srs)
    if epsg == township_epsg:
        return CrsDecision(epsg)
    kind = datum_kind(srs)
    name = "EPSG:%d" % epsg if epsg else (srs.GetName() or "未知坐标系")
    if kind == "other" and not allow_datum_change:
        raise ExchangeError(
            "%s 的坐标系为 %s，不是 2000 国家大地坐标系（CGCS2000）；不同基准之间没有公认的转换参数，"
            "请由测绘单位转换到 CGCS2000（EPSG:%d）后重新导入" % (label, name, township_epsg))
    target = srs_from_epsg(township_epsg)
    transform = osr.CoordinateTransformation(srs, target)
    if transform is None:
        raise ExchangeError("无法建立 %s 到 EPSG:%d 的坐标转换" % (name, township_epsg))
    note = "%s 的坐标系为 %s，与乡镇坐标系 EPSG:%d 不同，已转换到乡镇坐标系" % (label, name, township_epsg)
    if kind != "cgcs2000":
        note += "（基准不同，转换精度有限，请核对位置）"
    return CrsDecision(epsg, transform, [note])


def esri_wkt(epsg: int) -> str:
    srs = srs_from_epsg(epsg)
    srs.MorphToESRI()
    return srs.ExportToWkt()
