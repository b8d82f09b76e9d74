"""The plugin's own tables (qq_*) in the township database.

They are plain attribute tables registered in gpkg_contents so QGIS can open
them; never a standard name, keyed by standard codes.
"""
import datetime as _dt

PLUGIN_TABLES = {
    "qq_settings": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT""",
    "qq_check_run": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT UNIQUE, started TEXT, finished TEXT, operator TEXT,
        plugin_version TEXT, catalogue_version TEXT, scope TEXT, data_source TEXT,
        crs TEXT, parameters TEXT, rules_run TEXT, rules_skipped TEXT, counts TEXT""",
    "qq_error": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, error_id TEXT UNIQUE, fingerprint TEXT UNIQUE, rule TEXT, severity TEXT,
        list TEXT, layer TEXT, key_field TEXT, key TEXT, related_keys TEXT,
        unit_code TEXT, message TEXT, "values" TEXT, geom_wkt TEXT, object_hash TEXT,
        state TEXT, reason TEXT, state_by TEXT, state_at TEXT,
        first_run TEXT, last_run TEXT, first_seen TEXT, last_seen TEXT""",
    # What each run found or fixed (status new / still / reopened / fixed): the
    # per-run comparison 新增 / 已修正 / 仍存在 and the error list of an older run.
    "qq_error_run": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, fingerprint TEXT, status TEXT""",
    "qq_admin_unit": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE, name TEXT, level TEXT, is_fbf INTEGER""",
    "qq_audit": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, who TEXT, action TEXT,
        table_name TEXT, key TEXT, field TEXT, old_value TEXT, new_value TEXT, batch TEXT,
        row_fid INTEGER, ref_batch TEXT, note TEXT""",
    "qq_publicity": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, unit_code TEXT, round INTEGER,
        start_date TEXT, end_date TEXT, place TEXT, status TEXT, override_reason TEXT,
        override_by TEXT, override_at TEXT""",
    "qq_objection": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, unit_code TEXT, round INTEGER, dkbm TEXT,
        cbfbm TEXT, received TEXT, content TEXT, status TEXT, resolution TEXT,
        resolved_by TEXT, resolved_at TEXT""",
    "qq_dispute": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, dkbm_a TEXT, dkbm_b TEXT, parties TEXT,
        description TEXT, status TEXT, opened TEXT, resolved_by TEXT, resolved_at TEXT,
        resolution TEXT, opened_by TEXT, neighbour TEXT""",
    "qq_retired_code": """
        fid INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT UNIQUE, kind TEXT, retired_at TEXT, reason TEXT""",
}


def ensure_plugin_tables(db) -> None:
    """Create missing qq_* tables (idempotent) and register them in gpkg_contents."""
    conn = db.conn
    now = _dt.datetime.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    has_contents = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name='gpkg_contents'").fetchone() is not None
    for name, cols in PLUGIN_TABLES.items():
        conn.execute('CREATE TABLE IF NOT EXISTS "%s" (%s)' % (name, cols))
        if has_contents:
            conn.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                "description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                (name, name, "QueQuan plugin table", now))
    db.refresh()


def get_setting(db, key, default=None):
    if not db.has("qq_settings"):
        return default
    row = db.conn.execute("SELECT value FROM qq_settings WHERE key=?", (key,)).fetchone()
    return default if row is None else row[0]


def set_setting(db, key, value):
    ensure_plugin_tables(db)
    db.conn.execute("INSERT OR REPLACE INTO qq_settings (key, value) VALUES (?, ?)",
                    (key, None if value is None else str(value)))
