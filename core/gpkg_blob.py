"""GeoPackage geometry blobs <-> WKB, and the SQL functions GDAL's R-tree triggers call.

Reading and writing the township database goes through plain sqlite3 so that
the core stays fast and free of Qt; these helpers make that safe.
"""
import struct
from typing import Optional, Sequence

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def wkb_of(blob) -> Optional[bytes]:
    """Strip the GeoPackage header; None for NULL or an empty geometry."""
    if blob is None or len(blob) < 8 or blob[0:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10:  # empty-geometry flag
        return None
    env = _ENVELOPE_BYTES.get((flags >> 1) & 0x07)
    if env is None:
        return None
    return bytes(blob[8 + env:])


def envelope_of(blob):
    """(minx, maxx, miny, maxy) from the header, or None."""
    if blob is None or len(blob) < 8 or blob[0:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10 or not (flags >> 1) & 0x07:
        return None
    order = "<" if flags & 1 else ">"
    return struct.unpack(order + "4d", bytes(blob[8:40]))


def blob_of(wkb: Optional[bytes], srs_id: int, bounds: Sequence[float]) -> Optional[bytes]:
    """Build a little-endian GeoPackage blob with an XY envelope."""
    if wkb is None:
        return None
    minx, miny, maxx, maxy = bounds
    if minx != minx:  # NaN: empty geometry
        return b"GP" + bytes([0, 0x01 | 0x10]) + struct.pack("<i", srs_id) + wkb
    return (b"GP" + bytes([0, 0x03]) + struct.pack("<i", srs_id)
            + struct.pack("<4d", minx, maxx, miny, maxy) + wkb)


def _env(index):
    def f(blob):
        e = envelope_of(blob)
        return None if e is None else e[index]
    return f


def _is_empty(blob):
    if blob is None:
        return 1
    return 1 if (len(blob) < 8 or blob[3] & 0x10) else 0


def register_functions(conn) -> None:
    """Functions referenced by GDAL's rtree triggers (ST_MinX …, ST_IsEmpty)."""
    conn.create_function("ST_MinX", 1, _env(0), deterministic=True)
    conn.create_function("ST_MaxX", 1, _env(1), deterministic=True)
    conn.create_function("ST_MinY", 1, _env(2), deterministic=True)
    conn.create_function("ST_MaxY", 1, _env(3), deterministic=True)
    conn.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    # Triggers of newer GDAL versions may call these too.
    conn.create_function("GPKG_IsAssignable", 2, lambda a, b: 1, deterministic=True)
