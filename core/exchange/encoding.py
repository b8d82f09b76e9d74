"""Which text encoding a DBF (or CSV) uses.

Order, as survey companies deliver data: the .cpg file; the DBF language
driver byte (offset 29); a strict trial decode of the text (UTF-8, else GBK).
A declared encoding that does not decode the text is an error, never a
silent garble: the user must correct the .cpg or force an encoding.
"""
import codecs
import os
from typing import Iterable, Optional, Tuple

from .errors import ExchangeError

# DBF language driver IDs (offset 29) that name a code page unambiguously.
# 0x00 (none), 0x57 ("current ANSI") and Western code pages are not trusted:
# Chinese data carry them when written on a Chinese Windows.
LDID_ENCODINGS = {
    0x4D: "gbk", 0x7A: "gbk",        # code page 936, PRC GBK
    0x4F: "cp950", 0x78: "cp950",    # Big5
    0x4E: "cp949", 0x79: "cp949",    # Korean
    0x13: "cp932", 0x7B: "cp932",    # Japanese
}
LDID_OF = {"gbk": 0x4D, "gb18030": 0x4D, "gb2312": 0x4D, "utf-8": 0x00, "cp950": 0x4F}

_CPG_ALIASES = {
    "UTF-8": "utf-8", "UTF8": "utf-8", "65001": "utf-8", "CP65001": "utf-8",
    "GBK": "gbk", "936": "gbk", "CP936": "gbk", "ANSI 936": "gbk", "GB2312": "gbk",
    "EUC-CN": "gbk", "MS936": "gbk", "GB18030": "gb18030", "54936": "gb18030",
    "BIG5": "cp950", "950": "cp950", "CP950": "cp950",
    "88591": "latin-1", "ISO-8859-1": "latin-1", "ISO88591": "latin-1", "1252": "cp1252",
}


def normalize(name: str) -> Optional[str]:
    """A .cpg/user encoding name as a Python codec name, None when unknown."""
    key = (name or "").strip().upper()
    if not key:
        return None
    if key in _CPG_ALIASES:
        return _CPG_ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def decoder_name(encoding: str) -> str:
    """Decode GBK data with GB18030, its superset: the few extra characters
    some Chinese tools write must not fail the import."""
    return "gb18030" if encoding in ("gbk", "gb2312") else encoding


def read_cpg(base_path: str) -> Optional[Tuple[str, str]]:
    """(codec, raw text) from <base>.cpg (any case), or None."""
    folder, stem = os.path.split(os.path.splitext(base_path)[0])
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return None
    for name in names:
        if name.lower() == (stem + ".cpg").lower():
            with open(os.path.join(folder, name), "rb") as fh:
                raw = fh.read(64).decode("ascii", "replace").strip()
            return normalize(raw), raw
    return None


def trial_decode(chunks: Iterable[bytes]) -> Optional[str]:
    """'ascii', 'utf-8', 'gbk' or None: the first encoding decoding all text strictly."""
    data = b"\n".join(c for c in chunks if c)
    if all(b < 0x80 for b in data):
        return "ascii"
    for enc in ("utf-8", "gb18030"):
        try:
            data.decode(enc)
            return "gbk" if enc == "gb18030" else enc
        except UnicodeDecodeError:
            continue
    return None


def first_failure(chunks: Iterable[Tuple[int, str, bytes]], encoding: str):
    """(record, field, raw bytes) of the first value the encoding cannot decode."""
    dec = decoder_name(encoding)
    chunks = list(chunks)
    try:
        b"\n".join(c[2] for c in chunks).decode(dec)
        return None     # one pass over everything; look value by value only on failure
    except UnicodeDecodeError:
        pass
    for rec, fld, raw in chunks:
        try:
            raw.decode(dec)
        except UnicodeDecodeError:
            return rec, fld, raw
    return None


def looks_like_utf8_text(data: bytes) -> bool:
    """Valid UTF-8 holding multi-byte characters: GBK text almost never is."""
    if all(b < 0x80 for b in data):
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def choose_dbf_encoding(path: str, ldid: int, text_chunks, forced: Optional[str] = None):
    """(codec, how) for a DBF; raises ExchangeError with a clear message when the
    declared or forced encoding cannot be right.

    text_chunks: list of (record number, field name, raw bytes) of the C fields.
    """
    name = os.path.basename(path)
    chunks = list(text_chunks)
    raw_all = b"\n".join(c[2] for c in chunks)
    if forced:
        enc = normalize(forced)
        if enc is None:
            raise ExchangeError("无法识别指定的编码 %s（可用 GBK 或 UTF-8）" % forced)
        how = "指定编码"
    else:
        enc, how = None, ""
        cpg = read_cpg(path)
        if cpg is not None:
            if cpg[0] is None:
                raise ExchangeError("%s 的 .cpg 文件写有无法识别的编码“%s”；请改为 GBK 或 UTF-8" % (name, cpg[1]))
            enc, how = cpg[0], ".cpg 文件（%s）" % cpg[1]
        elif ldid in LDID_ENCODINGS:
            enc, how = LDID_ENCODINGS[ldid], "DBF 语言驱动字节 0x%02X" % ldid
            if enc == "gbk" and looks_like_utf8_text(raw_all):
                raise ExchangeError(
                    "%s 的语言驱动字节 0x%02X 声明为 GBK，但文字内容是 UTF-8 编码；"
                    "请为该文件添加内容为 UTF-8 的 .cpg 文件，或在导入时指定编码 UTF-8" % (name, ldid))
        else:
            found = trial_decode(c[2] for c in chunks)
            if found is None:
                raise ExchangeError(
                    "%s 的文字既不是 UTF-8 也不是 GBK 编码，无法识别；请用 .cpg 文件注明编码后重新导入" % name)
            enc = "gbk" if found == "ascii" else found
            how = "试解码（%s）" % ("纯 ASCII" if found == "ascii" else found.upper())
    bad = first_failure(chunks, enc)
    if bad is not None:
        rec, fld, raw = bad
        other = "GBK" if enc == "utf-8" else "UTF-8"
        where = "字段名 %r" % raw[:40] if rec == 0 else "第 %d 条记录字段 %s 的内容 %r" % (rec, fld, raw[:40])
        raise ExchangeError(
            "%s 按 %s 编码（依据：%s）无法读取：%s 不是该编码；"
            "请更正 .cpg 文件或在导入时指定编码（例如 %s）" % (name, enc.upper(), how, where, other))
    return enc, how
