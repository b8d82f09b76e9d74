"""QueQuan 确权助手 — QGIS plugin entry point."""
import os
import sys

_EXT = os.path.join(os.path.dirname(__file__), "ext-libs")
if os.path.isdir(_EXT) and _EXT not in sys.path:
    # Dependencies built for this QGIS's Python (shapely against its GEOS).
    sys.path.append(_EXT)


def classFactory(iface):  # noqa: N802 (QGIS API name)
    from .plugin import QueQuanPlugin
    return QueQuanPlugin(iface)
