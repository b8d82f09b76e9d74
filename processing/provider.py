"""The QueQuan processing provider (id "quequan").

Algorithms are discovered from the modules processing/alg_*.py, each
exporting ALGORITHMS = [classes], so adding one touches no shared file.
"""
import importlib
import os
import pkgutil

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

PROVIDER_ID = "quequan"


def algorithm_classes():
    classes = []
    here = os.path.dirname(__file__)
    for mod in sorted(m.name for m in pkgutil.iter_modules([here]) if m.name.startswith("alg_")):
        try:
            module = importlib.import_module("." + mod, __package__)
        except Exception as exc:  # noqa: BLE001 (one broken module must not hide the others)
            from qgis.core import Qgis, QgsMessageLog
            QgsMessageLog.logMessage("QueQuan: %s not loaded: %s" % (mod, exc), "QueQuan",
                                     Qgis.Critical)
            continue
        classes.extend(getattr(module, "ALGORITHMS", []))
    return classes


class QueQuanProvider(QgsProcessingProvider):
    def id(self):
        return PROVIDER_ID

    def name(self):
        return "QueQuan 确权助手"

    def longName(self):  # noqa: N802
        return self.name()

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icon.svg"))

    def loadAlgorithms(self):  # noqa: N802
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
