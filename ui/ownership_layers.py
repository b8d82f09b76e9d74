"""The township database's layers in the QGIS project: find, load and reload them."""
import os

from qgis.core import QgsProject, QgsProviderRegistry, QgsVectorLayer


def layer_source(layer):
    """(absolute path, layer name) of an OGR layer, or (None, None)."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None, None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path:
        return None, None
    return os.path.abspath(path), parts.get("layerName") or ""


def same_file(a, b) -> bool:
    try:
        return bool(a and b) and os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def layers_of(path):
    out = []
    for layer in QgsProject.instance().mapLayers().values():
        p, _ = layer_source(layer)
        if p and same_file(p, path):
            out.append(layer)
    return out


def find_dk_layer(path=None):
    """The project's DK layer of a GeoPackage (any GeoPackage when path is None)."""
    for layer in QgsProject.instance().mapLayers().values():
        p, name = layer_source(layer)
        if p and p.lower().endswith(".gpkg") and (name or "").upper() == "DK" and (
                path is None or same_file(p, path)):
            return layer
    return None


def load_dk_layer(path, title="DK"):
    layer = QgsVectorLayer("%s|layername=DK" % path, title, "ogr")
    if not layer.isValid():
        return None
    QgsProject.instance().addMapLayer(layer)
    return layer


def reload_layers(path):
    """Make the map and attribute tables show what an edit wrote into the GeoPackage."""
    for layer in layers_of(path):
        layer.dataProvider().reloadData()
        layer.triggerRepaint()
