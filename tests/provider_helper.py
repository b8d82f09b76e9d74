"""One QueQuan processing provider for the whole test session.

QGIS deletes a provider whose Python wrapper is garbage-collected, and refuses
a second one with the same id; every test module goes through here instead.
"""
_KEEP = []


def ensure_provider():
    from qgis.core import QgsApplication
    from quequan.processing.provider import QueQuanProvider
    reg = QgsApplication.processingRegistry()
    current = reg.providerById("quequan")
    if current is None or not any(current is p for p in _KEEP):
        if current is not None:
            reg.removeProvider(current)
        provider = QueQuanProvider()
        reg.addProvider(provider)
        _KEEP[:] = [provider]
    return reg.providerById("quequan")
