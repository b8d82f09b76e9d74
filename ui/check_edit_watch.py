"""Collects the DKBM of plots touched by an edit session of the DK layer and reports them on commit.

Keys are taken before the commit (old values from the provider: a renamed or
deleted plot must have its errors re-checked too) and after it (new values).
"""
from qgis.core import QgsFeatureRequest
from qgis.PyQt.QtCore import QObject, pyqtSignal


class PlotEditWatcher(QObject):
    plotsCommitted = pyqtSignal(list)  # noqa: N815 (Qt naming)

    def __init__(self, key_field="DKBM", parent=None):
        super().__init__(parent)
        self.key_field = key_field
        self.layer = None
        self._pending = set()
        self._changed_fids = set()

    def watch(self, layer):
        if layer is self.layer:
            return
        self.unwatch()
        self.layer = layer
        if layer is not None:
            layer.beforeCommitChanges.connect(self._before_commit)
            layer.afterCommitChanges.connect(self._after_commit)
            layer.destroyed.connect(self._forget)

    def unwatch(self):
        if self.layer is not None:
            try:
                self.layer.beforeCommitChanges.disconnect(self._before_commit)
                self.layer.afterCommitChanges.disconnect(self._after_commit)
            except (TypeError, RuntimeError):   # already disconnected, or the layer is gone
                pass
        self.layer = None
        self._pending = set()

    def _forget(self, *_):
        self.layer = None

    def _key_of(self, value):
        if value is None:
            return ""
        s = str(value).strip()
        return "" if s in ("", "NULL") else s

    def _before_commit(self, *_):
        layer, buf = self.layer, self.layer.editBuffer() if self.layer is not None else None
        if buf is None:
            return
        idx = layer.fields().indexOf(self.key_field)
        if idx < 0:
            return
        changed = set(buf.changedAttributeValues().keys()) | set(buf.changedGeometries().keys())
        old_fids = {f for f in changed | set(buf.deletedFeatureIds()) if f >= 0}
        keys = set()
        if old_fids:
            req = QgsFeatureRequest().setFilterFids(list(old_fids))
            req.setSubsetOfAttributes([idx]).setFlags(QgsFeatureRequest.NoGeometry)
            for feat in layer.dataProvider().getFeatures(req):
                keys.add(self._key_of(feat.attribute(idx)))
        for attrs in buf.changedAttributeValues().values():
            if idx in attrs:
                keys.add(self._key_of(attrs[idx]))
        for feat in buf.addedFeatures().values():
            keys.add(self._key_of(feat.attribute(idx)))
        self._changed_fids = {f for f in changed if f >= 0}
        self._pending |= {k for k in keys if k}

    def _after_commit(self, *_):
        layer = self.layer
        if layer is not None and self._changed_fids:
            idx = layer.fields().indexOf(self.key_field)
            req = QgsFeatureRequest().setFilterFids(list(self._changed_fids))
            req.setSubsetOfAttributes([idx]).setFlags(QgsFeatureRequest.NoGeometry)
            for feat in layer.getFeatures(req):
                k = self._key_of(feat.attribute(idx))
                if k:
                    self._pending.add(k)
        keys, self._pending, self._changed_fids = sorted(self._pending), set(), set()
        if keys:
            self.plotsCommitted.emit(keys)
