"""Which third-party Python packages the plugin needs, and which are missing here."""
import importlib

REQUIRED = (("shapely", "2.0"), ("openpyxl", "3.0"))


def missing_dependencies():
    missing = []
    for name, minimum in REQUIRED:
        try:
            mod = importlib.import_module(name)
        except Exception:  # noqa: BLE001 (a broken install is as missing as none)
            missing.append("%s>=%s" % (name, minimum))
            continue
        version = tuple(int(p) for p in getattr(mod, "__version__", "0").split(".")[:2] if p.isdigit())
        if version < tuple(int(p) for p in minimum.split(".")):
            missing.append("%s>=%s" % (name, minimum))
    return missing
