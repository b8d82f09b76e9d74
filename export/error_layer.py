"""Write check findings as an error layer (GeoPackage, mixed geometry types).

One layer holds every record with its true geometry (overlap/gap polygon,
vertex point, point on surface, or none); QGIS shows it as one layer per
geometry type (``|geometrytype=Polygon`` / ``Point``).
"""
import os
from typing import Iterable, Optional

ERROR_FIELDS = ("rule", "severity", "layer", "key", "related", "message",
                "key_field", "unit_code", "list", "fingerprint")
ERROR_LAYER_NAME = "errors"


def write_error_layer(path: str, findings: Iterable, epsg: Optional[int] = None,
                      layer_name: str = ERROR_LAYER_NAME) -> str:
    from osgeo import ogr, osr
    import shapely
    if not path.lower().endswith(".gpkg"):
        path = os.path.splitext(path)[0] + ".gpkg"
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.Open(path, 1) if os.path.exists(path) else drv.CreateDataSource(path)
    if ds is None:
        raise IOError("无法写入错误图层文件 %s" % path)
    if ds.GetLayerByName(layer_name) is not None:
        ds.DeleteLayer(layer_name)
    srs = None
    if epsg:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(int(epsg))
    lyr = ds.CreateLayer(layer_name, srs, ogr.wkbUnknown, ["FID=fid", "GEOMETRY_NAME=geom"])
    for name in ERROR_FIELDS:
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    defn = lyr.GetLayerDefn()
    ds.StartTransaction()
    for f in findings:
        feat = ogr.Feature(defn)
        feat.SetField("rule", f.rule)
        feat.SetField("severity", f.severity_text)
        feat.SetField("layer", f.layer)
        feat.SetField("key", str(f.key))
        feat.SetField("related", f.related_text)
        feat.SetField("message", f.message)
        feat.SetField("key_field", f.key_field)
        feat.SetField("unit_code", f.unit_code)
        feat.SetField("list", f.list_name)
        feat.SetField("fingerprint", f.fingerprint)
        if f.geom is not None and not f.geom.is_empty:
            feat.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(f.geom, flavor="iso")))
        lyr.CreateFeature(feat)
    ds.CommitTransaction()
    ds = None
    return path


def read_error_layer(path: str, layer_name: str = ERROR_LAYER_NAME):
    """Records as dicts with a 'wkt' entry (tests and reports)."""
    from osgeo import ogr
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer_name)
    out = []
    for feat in lyr:
        d = {name: feat.GetField(name) for name in ERROR_FIELDS}
        g = feat.GetGeometryRef()
        d["wkt"] = g.ExportToWkt() if g is not None else None
        out.append(d)
    return out
