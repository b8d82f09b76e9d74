#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 machine: QGIS 3.22 from Debian, a venv
# for the tests, and the plugin's dependencies built for QGIS's own Python.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3

APT_PKGS="qgis python3-qgis qgis-providers libgeos-dev python3-venv python3-dev python3-pip
  build-essential xvfb xauth x11-apps imagemagick poppler-utils fonts-noto-cjk qttools5-dev-tools"
missing=""
for p in $APT_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "== installing Debian packages:$missing"
  if [ "$(id -u)" != 0 ]; then echo "run as root (apt-get install$missing)"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv (--system-site-packages)"
  $PY -m venv --system-site-packages .venv
fi
if ! cmp -s requirements-dev.txt .venv/.req-dev 2>/dev/null; then
  echo "== installing test tooling"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  cp requirements-dev.txt .venv/.req-dev
fi

if ! cmp -s requirements-plugin.txt ext-libs/.req 2>/dev/null; then
  echo "== building plugin dependencies into ext-libs/ (shapely against system GEOS)"
  rm -rf ext-libs
  .venv/bin/pip install -q --disable-pip-version-check --no-deps --no-binary shapely \
    --target ext-libs -r requirements-plugin.txt
  cp requirements-plugin.txt ext-libs/.req
fi
SITE=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$ROOT/ext-libs" > "$SITE/quequan-ext-libs.pth"

# The repository is the plugin: expose it as the package "quequan".
mkdir -p build/pkg
[ -L build/pkg/quequan ] || ln -sfn "$ROOT" build/pkg/quequan

# A QGIS profile with the plugin enabled, for qgis_process and the desktop.
PROFILE=build/qgis-config/profiles/default
mkdir -p "$PROFILE/python/plugins" "$PROFILE/QGIS"
[ -L "$PROFILE/python/plugins/quequan" ] || ln -sfn "$ROOT" "$PROFILE/python/plugins/quequan"
INI="$PROFILE/QGIS/QGIS3.ini"
if ! grep -q "^quequan=true" "$INI" 2>/dev/null; then
  printf '[PythonPlugins]\nquequan=true\nprocessing=true\n' >> "$INI"
fi

# Sanity: Debian's numpy/GDAL must not be shadowed, shapely must use the system GEOS.
.venv/bin/python - <<'PY'
import numpy, shapely
from osgeo import gdal_array  # noqa: F401
assert numpy.__file__.startswith("/usr/lib/python3/"), numpy.__file__
print("numpy %s (Debian), shapely %s on GEOS %s" % (numpy.__version__, shapely.__version__,
      ".".join(map(str, shapely.geos_version))))
PY
