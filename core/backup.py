"""Backup copies of the township database, made before a tool writes into it.

sqlite's online backup API: the copy is consistent even while QGIS has the file
open. Area adjustments, 四至, 界址点线 and undos keep theirs in a `backup` folder
next to the database; an import names its copy after the database (merge.py).
"""
import datetime as _dt
import os
import sqlite3

BACKUP_DIR = "backup"


def copy_database(src_path: str, target: str) -> str:
    """A consistent copy of src_path written to target (which must not exist yet)."""
    src = sqlite3.connect(src_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def backup_database(db_path: str, label: str = "") -> str:
    """backup/<name>_<YYYYmmdd_HHMMSS>[_label][_n].gpkg next to the database; returns its path."""
    folder = os.path.join(os.path.dirname(os.path.abspath(db_path)), BACKUP_DIR)
    os.makedirs(folder, exist_ok=True)
    stem = os.path.splitext(os.path.basename(db_path))[0]
    stamp = _dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    tail = ("_" + label) if label else ""
    target = os.path.join(folder, "%s_%s%s.gpkg" % (stem, stamp, tail))
    n = 1
    while os.path.exists(target):
        n += 1
        target = os.path.join(folder, "%s_%s%s_%d.gpkg" % (stem, stamp, tail, n))
    return copy_database(db_path, target)
