"""Without shapely/openpyxl the plugin still loads every algorithm and says what is missing.

Run in a subprocess with both packages blocked, as on a township PC where they
were never installed: an exception in initAlgorithm would abort QGIS there.
"""
import os
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = textwrap.dedent("""
    import sys, importlib.abc
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split('.')[0] in ('shapely', 'openpyxl'):
                raise ImportError("No module named %r" % name)
    sys.meta_path.insert(0, Block())
    sys.path[:] = [p for p in sys.path if 'ext-libs' not in p]
    sys.path.insert(0, {pkg!r}); sys.path.append('/usr/share/qgis/python/plugins')
    from qgis.core import QgsApplication, QgsProcessingException
    app = QgsApplication([], False); app.initQgis()
    from processing.core.Processing import Processing; Processing.initialize()
    import processing
    from quequan.processing.provider import QueQuanProvider, algorithm_classes
    provider = QueQuanProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    print("MODULES", len(algorithm_classes()))
    print("ALGORITHMS", len(provider.algorithms()))
    try:
        processing.run("quequan:selfcheck", {{"DATABASE": sys.argv[1], "OUTPUT": sys.argv[2]}})
    except QgsProcessingException as exc:
        print("MESSAGE", str(exc))
""")


def test_all_algorithms_load_and_running_one_names_the_missing_packages(empty_db, tmp_path):
    script = tmp_path / "nodeps.py"
    script.write_text(SCRIPT.format(pkg=os.path.join(ROOT, "build", "pkg")))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(["/usr/bin/python3", str(script), empty_db, str(tmp_path / "e.gpkg")],
                          env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    from quequan.processing.provider import algorithm_classes
    expected = len(algorithm_classes())
    assert "MODULES %d" % expected in out and "ALGORITHMS %d" % expected in out, out + proc.stderr
    message = out.split("MESSAGE", 1)[1]
    assert "shapely" in message and "openpyxl" in message and "pip install" in message
