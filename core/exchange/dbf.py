"""dBase III tables (.dbf) read and written byte by byte.

Own code rather than OGR because the exchange format depends on details OGR
hides: the language driver byte, exact N(w,d) widths, byte (not character)
widths of GBK text, and trial decoding of undeclared encodings.
"""
import datetime as _dt
import os
import struct
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from .encoding import LDID_OF, choose_dbf_encoding, decoder_name
from .errors import ExchangeError


@dataclass
class DbfField:
    name: str
    type: str          # C N F D L I …
    length: int
    decimals: int = 0


@dataclass
class DbfTable:
    path: str
    fields: List[DbfField]
    records: List[Dict[str, object]]      # field name -> value (str / Decimal text / None)
    record_numbers: List[int]             # 1-based record index in the file
    encoding: str = "ascii"
    encoding_source: str = ""
    ldid: int = 0
    deleted: int = 0
    problems: List[Tuple[int, str, str, str]] = field(default_factory=list)  # rec, field, raw, why


def _header(data: bytes, name: str):
    if len(data) < 33:
        raise ExchangeError("%s 不是有效的 DBF 文件（文件过短，可能已损坏或被截断）" % name)
    version = data[0]
    if version & 0x07 not in (3, 4, 5) and version not in (0x30, 0x31, 0x32, 0x43, 0x8B, 0x8E):
        raise ExchangeError("%s 不是可识别的 DBF 文件（版本字节 0x%02X）" % (name, version))
    nrec, hlen, rlen = struct.unpack("<IHH", data[4:12])
    return nrec, hlen, rlen, data[29]


def read_dbf(path: str, encoding: Optional[str] = None) -> DbfTable:
    """All non-deleted records; text decoded with the detected (or forced) encoding.

    Values: C -> str (trailing blanks removed, None when blank); N/F -> str of the
    number (None when blank); D -> 'YYYYMMDD' (None when blank); L -> bool; I -> int.
    """
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ExchangeError("无法读取 %s：%s" % (name, exc))
    nrec, hlen, rlen, ldid = _header(data, name)
    fields: List[DbfField] = []
    raw_names: List[bytes] = []
    pos = 32
    while pos + 32 <= len(data) and data[pos] != 0x0D:
        raw = data[pos:pos + 32]
        raw_names.append(raw[:11].split(b"\x00")[0].strip())
        fields.append(DbfField("", chr(raw[11]).upper(), raw[16], raw[17]))
        pos += 32
    if pos >= len(data) or not fields:
        raise ExchangeError("%s 的字段表不完整（文件可能已损坏）" % name)
    if sum(f.length for f in fields) + 1 != rlen:
        raise ExchangeError("%s 的记录长度与字段宽度之和不符（文件已损坏）" % name)
    if hlen + nrec * rlen > len(data):
        have = max(0, (len(data) - hlen) // rlen) if rlen else 0
        raise ExchangeError("%s 被截断：文件头声明 %d 条记录，实际只有 %d 条完整记录" % (name, nrec, have))
    offsets, off = [], 1
    for f in fields:
        offsets.append(off)
        off += f.length
    # Field names take part in the encoding decision: Chinese names (地块编码) are common.
    texts, raw_records = [(0, "（字段名）", n) for n in raw_names if n], []
    deleted = 0
    for i in range(nrec):
        rec = data[hlen + i * rlen: hlen + (i + 1) * rlen]
        if rec[:1] == b"*":
            deleted += 1
            continue
        raw_records.append((i + 1, rec))
        for f, o, n in zip(fields, offsets, raw_names):
            if f.type == "C":
                chunk = rec[o:o + f.length].rstrip(b" \x00")
                if chunk:
                    texts.append((i + 1, n.decode("ascii", "replace"), chunk))
    enc, how = choose_dbf_encoding(path, ldid, texts, encoding)
    dec = decoder_name(enc)
    for f, n in zip(fields, raw_names):
        f.name = n.decode(dec)
    table = DbfTable(path, fields, [], [], enc, how, ldid, deleted)
    for recno, rec in raw_records:
        values = {}
        for f, o in zip(fields, offsets):
            values[f.name] = _value(f, rec[o:o + f.length], dec, recno, table)
        table.records.append(values)
        table.record_numbers.append(recno)
    return table


def _value(f: DbfField, raw: bytes, dec: str, recno: int, table: DbfTable):
    if f.type == "C":
        text = raw.rstrip(b" \x00")
        return text.decode(dec) if text else None
    if f.type in ("N", "F"):
        text = raw.strip(b" \x00").decode("ascii", "replace")
        return None if not text or set(text) <= {"*"} else text
    if f.type == "D":
        text = raw.strip(b" \x00").decode("ascii", "replace")
        return text or None
    if f.type == "L":
        text = raw.strip().upper()
        return True if text in (b"T", b"Y") else (False if text in (b"F", b"N") else None)
    if f.type == "I" and len(raw) == 4:
        return struct.unpack("<i", raw)[0]
    if f.type in ("O", "B") and len(raw) == 8:
        return struct.unpack("<d", raw)[0]
    table.problems.append((recno, f.name, repr(raw[:20]), "不支持的 DBF 字段类型 %s" % f.type))
    return None


# --- writing ---------------------------------------------------------------

def encode_text(value: str, encoding: str) -> Tuple[bytes, bool]:
    """(bytes, lossless): characters outside the code page become '?' and are reported."""
    try:
        return value.encode(encoding), True
    except UnicodeEncodeError:
        return value.encode(encoding, "replace"), False


def format_number(value, width: int, decimals: int) -> str:
    if decimals:
        return "%.*f" % (decimals, float(value))
    return "%d" % int(round(float(value)))


def write_dbf(path: str, fields: Sequence[DbfField], rows: Sequence[Sequence[object]],
              encoding: str = "gbk") -> None:
    """Write rows (values in field order, already formatted by the caller:
    C -> bytes, N -> str, D -> 'YYYYMMDD', None -> blank). Widths must fit."""
    nf = len(fields)
    hlen = 32 + 32 * nf + 1
    rlen = 1 + sum(f.length for f in fields)
    today = _dt.date.today()
    head = struct.pack("<BBBBIHH", 0x03, today.year - 1900, today.month, today.day,
                       len(rows), hlen, rlen)
    head += b"\x00" * 17 + bytes([LDID_OF.get(encoding.lower(), 0)]) + b"\x00\x00"
    parts = [head]
    for f in fields:
        name = f.name.encode("ascii" if f.name.isascii() else encoding)[:10].ljust(11, b"\x00")
        parts.append(name + f.type.encode("ascii") + b"\x00" * 4
                     + bytes([f.length, f.decimals]) + b"\x00" * 14)
    parts.append(b"\x0D")
    for row in rows:
        rec = [b" "]
        for f, v in zip(fields, row):
            rec.append(_cell(f, v))
        parts.append(b"".join(rec))
    parts.append(b"\x1A")
    with open(path, "wb") as fh:
        fh.write(b"".join(parts))


def _cell(f: DbfField, v) -> bytes:
    if v is None:
        return b" " * f.length
    if f.type == "C":
        raw = v if isinstance(v, bytes) else str(v).encode("ascii")
        if len(raw) > f.length:
            raise ValueError("value wider than C(%d)" % f.length)
        return raw.ljust(f.length, b" ")
    raw = v if isinstance(v, bytes) else str(v).encode("ascii")
    if len(raw) > f.length:
        raise ValueError("value wider than %s(%d)" % (f.type, f.length))
    return raw.rjust(f.length, b" ") if f.type in ("N", "F") else raw.ljust(f.length, b" ")
