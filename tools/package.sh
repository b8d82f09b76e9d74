#!/usr/bin/env bash
# Build dist/quequan.zip: one top folder quequan/ that "Install from ZIP" accepts.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/quequan dist/quequan.zip
mkdir -p dist/quequan
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  case "$f" in
    tests/*|bench/*|.ci/*|tools/*|Makefile|requirements*.txt|pytest.ini|.gitignore|*.ts) continue;;
  esac
  mkdir -p "dist/quequan/$(dirname "$f")"
  cp "$f" "dist/quequan/$f"
done
mkdir -p dist/quequan/i18n
cp i18n/*.qm dist/quequan/i18n/
(cd dist && python3 -c "
import os, zipfile
with zipfile.ZipFile('quequan.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk('quequan'):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        for f in sorted(files):
            z.write(os.path.join(base, f))
")
echo "dist/quequan.zip ($(du -h dist/quequan.zip | cut -f1))"
