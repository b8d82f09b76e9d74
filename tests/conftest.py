"""Test set-up: import the repository as the package `quequan`, whatever its folder name."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG_DIR = os.path.join(ROOT, "build", "pkg")
LINK = os.path.join(PKG_DIR, "quequan")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if not os.path.exists(LINK):
    os.makedirs(PKG_DIR, exist_ok=True)
    try:
        os.symlink(ROOT, LINK)
    except FileExistsError:
        pass
# The repository root must not be on sys.path: its processing/ folder would
# shadow QGIS's processing package (python -m pytest puts the cwd there).
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != ROOT]
if PKG_DIR not in sys.path:
    sys.path.insert(0, PKG_DIR)
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:   # shared test helpers (provider_helper, builders)
    sys.path.insert(1, TESTS_DIR)
# QGIS's own "processing" plugin (processing.run) lives outside site-packages.
for _p in ("/usr/share/qgis/python/plugins", "/usr/share/qgis/python"):
    if os.path.isdir(_p) and _p not in sys.path:
        sys.path.append(_p)

import pytest  # noqa: E402


@pytest.fixture
def empty_db(tmp_path):
    """A fresh empty township database path (EPSG:4526)."""
    from quequan.core.township_db import create_database
    path = str(tmp_path / "township.gpkg")
    create_database(path, 4526)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A clean demo township (~600 plots), shared read-only across tests."""
    from quequan.core.demo.generate import generate_township
    out = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    generate_township(str(out), plots=600, seed=7)
    return str(out)


@pytest.fixture(scope="session")
def defect_db(tmp_path_factory):
    """A demo township with injected defects and its manifest (list of dicts)."""
    import json
    from quequan.core.demo.generate import generate_township
    d = tmp_path_factory.mktemp("defects")
    out, man = d / "defects.gpkg", d / "manifest.json"
    generate_township(str(out), plots=800, seed=11, defects=True, manifest_path=str(man))
    with open(man, encoding="utf-8") as fh:
        return str(out), json.load(fh)


# module scope: module-scoped fixtures may run algorithms too; each module re-checks
# that the provider is still ours (the lifecycle tests remove it)
@pytest.fixture(scope="module")
def quequan_provider(qgis_app, qgis_processing):
    """The QueQuan provider registered once and kept alive (re-registered if a test removed it)."""
    from provider_helper import ensure_provider
    return ensure_provider()


@pytest.fixture(scope="module")
def provider(quequan_provider):
    """The same, by the name the processing tests take it."""
    return quequan_provider
