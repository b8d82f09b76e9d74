"""The real path: the packaged zip installed in a fresh QGIS profile, run by qgis_process."""
import json
import os
import shutil
import subprocess
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"

pytestmark = pytest.mark.skipif(not os.path.exists(QGIS_PROCESS), reason="qgis_process.bin not installed")


@pytest.fixture(scope="module")
def packaged_profile(tmp_path_factory):
    subprocess.run(["bash", os.path.join(ROOT, "tools", "package.sh")], cwd=ROOT, check=True,
                   capture_output=True)
    zpath = os.path.join(ROOT, "dist", "quequan.zip")
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        assert all(n.startswith("quequan/") for n in names)
        assert "quequan/metadata.txt" in names
        assert "quequan/i18n/quequan_zh_CN.qm" in names
        assert not any(n.startswith(("quequan/tests/", "quequan/bench/", "quequan/.ci/"))
                       for n in names)
        config = tmp_path_factory.mktemp("qgis-config")
        plugins = config / "profiles" / "default" / "python" / "plugins"
        plugins.mkdir(parents=True)
        z.extractall(plugins)
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nquequan=true\n")
    return str(config)


def _run(config, *args, extra_env=None):
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=config, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    env.update(extra_env or {})
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True,
                          timeout=600)


def test_createdatabase_from_a_fresh_profile(packaged_profile, tmp_path):
    out = str(tmp_path / "x.gpkg")
    proc = _run(packaged_profile, "run", "quequan:createdatabase", "--json", "--",
                "OUTPUT=" + out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert result["results"]["EPSG"] == "EPSG:4526"
    import sqlite3
    con = sqlite3.connect(out)
    tables = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    con.close()
    assert {"DK", "JZD", "JZX", "CBF", "CBDKXX", "CBJYQZ_QZZX"} <= tables


def test_selfcheck_via_qgis_process_with_plugin_dependencies(packaged_profile, tmp_path):
    """With ext-libs (shapely built on the system GEOS) the check runs inside qgis_process."""
    db = str(tmp_path / "db.gpkg")
    assert _run(packaged_profile, "run", "quequan:createdatabase", "--", "OUTPUT=" + db).returncode == 0
    ext = os.path.join(ROOT, "ext-libs")
    proc = _run(packaged_profile, "run", "quequan:selfcheck", "--json", "--", "DATABASE=" + db,
                "OUTPUT=" + str(tmp_path / "err.gpkg"), extra_env={"PYTHONPATH": ext})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert result["results"]["ERRORS"] == 0
