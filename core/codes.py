"""Code structures, GB 11643 ID numbers and 亩 conversion (spec codes.md)."""
import datetime as _dt
import functools
import re
from decimal import Decimal, ROUND_HALF_UP
from typing import Optional

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
PROVINCES = frozenset(
    [str(p) for p in range(11, 16)] + [str(p) for p in range(21, 24)]
    + [str(p) for p in range(31, 38)] + [str(p) for p in range(41, 47)]
    + [str(p) for p in range(50, 55)] + [str(p) for p in range(61, 66)]
    + ["71", "81", "82"])
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
EMPTY_ID_CHARS = set("0-/无 \u3000\t")

MU_PER_M2 = Decimal("0.0015")
CENT = Decimal("0.01")


def is_empty(value) -> bool:
    """Empty = NULL, empty string or whitespace only."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    return False


def is_empty_id(value) -> bool:
    """A08: values made only of 0, -, /, 无 or spaces count as empty."""
    if is_empty(value):
        return True
    return all(ch in EMPTY_ID_CHARS for ch in str(value))


# --- values as read from the database --------------------------------------

def text(value) -> str:
    """A code or name as trimmed text ('' for NULL); integral floats without '.0'."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value) -> Optional[_dt.date]:
    """A date from GeoPackage DATE text ('YYYY-MM-DD', also with a time), 'YYYYMMDD' or a
    date object; None when it is none of these."""
    if value is None:
        return None
    if value.__class__ is str:
        return _parse_date_text(value)
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _parse_date_text(str(value))


@functools.lru_cache(maxsize=4096)   # a township uses a few hundred distinct dates
def _parse_date_text(text_value: str) -> Optional[_dt.date]:
    s = text_value.strip()
    try:
        if len(s) >= 10 and s[4] in "-/." and s[7] in "-/.":
            return _dt.date(int(s[:4]), int(s[5:7]), int(s[8:10]))
        if len(s) >= 8 and s[:8].isdigit():
            return _dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None
    return None


# --- ID numbers (GB 11643) ----------------------------------------------------

def id_check_char(first17: str) -> str:
    s = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[s % 11]


def id15_to_18(number: str) -> str:
    body = number[:6] + "19" + number[6:]
    return body + id_check_char(body)


def _birth(text: str) -> Optional[_dt.date]:
    try:
        return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def id_problem(number, survey_date: Optional[_dt.date] = None) -> Optional[str]:
    """Return None for a valid 18-digit number, else a Chinese description.

    15-digit legacy numbers valid once converted return the marker "LEGACY15".
    """
    if number is None:
        return "为空"
    num = str(number).strip().upper()
    latest = survey_date or _dt.date.today()
    if _ID15.match(num):
        if num[:2] not in PROVINCES:
            return "省份代码 %s 无效" % num[:2]
        born = _birth("19" + num[6:12])
        if born is None or born < _dt.date(1900, 1, 1) or born > latest:
            return "出生日期 19%s 无效" % num[6:12]
        return "LEGACY15"
    if not _ID18.match(num):
        return "格式错误（应为17位数字加1位校验码，共18位）"
    if num[:2] not in PROVINCES:
        return "省份代码 %s 无效" % num[:2]
    born = _birth(num[6:14])
    if born is None or born < _dt.date(1900, 1, 1) or born > latest:
        return "出生日期 %s 无效" % num[6:14]
    expected = id_check_char(num[:17])
    if num[17] != expected:
        return "校验位错误，应为 %s" % expected
    return None


def id_gender(number) -> Optional[str]:
    """'1' male / '2' female from a well-formed number, else None."""
    num = str(number or "").strip().upper()
    if _ID18.match(num):
        digit = int(num[16])
    elif _ID15.match(num):
        digit = int(num[14])
    else:
        return None
    return "1" if digit % 2 else "2"


def id_birth_date(number) -> Optional[_dt.date]:
    num = str(number or "").strip().upper()
    if _ID18.match(num):
        return _birth(num[6:14])
    if _ID15.match(num):
        return _birth("19" + num[6:12])
    return None


def mask_id(number, keep_head: int = 6, keep_tail: int = 4, char: str = "*") -> str:
    """110105********002X; a number of 10 characters or fewer keeps its last 4."""
    if number is None:
        return ""
    s = str(number).strip()
    if len(s) <= 10:
        return char * max(0, len(s) - keep_tail) + s[-keep_tail:]
    return s[:keep_head] + char * (len(s) - keep_head - keep_tail) + s[-keep_tail:]


def to_decimal(value) -> Optional[Decimal]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    # repr of a float is its shortest round-tripping decimal: 1670.0 not 1669.99…
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def round2(value) -> Optional[Decimal]:
    d = to_decimal(value)
    return None if d is None else d.quantize(CENT, rounding=ROUND_HALF_UP)


def m2_to_mu(m2) -> Optional[Decimal]:
    """亩 = round(m² × 0.0015, 2), half up, in decimal arithmetic."""
    d = to_decimal(m2)
    return None if d is None else (d * MU_PER_M2).quantize(CENT, rounding=ROUND_HALF_UP)


def mu_to_m2(mu) -> Optional[Decimal]:
    d = to_decimal(mu)
    return None if d is None else (d * 10000 / 15).quantize(CENT, rounding=ROUND_HALF_UP)


# --- 界址点 (codes.md §4) ----------------------------------------------------

JZD_MERGE_TOL = 0.05   # m: boundary points closer than this are one point
JZD_ANGLE_TOL = 5.0    # degrees: a vertex turning less is not a 界址点 (unless a junction)


# --- code structure -------------------------------------------------------

CODE_PATTERNS = {
    "DKBM": re.compile(r"^\d{19}$"), "CBFBM": re.compile(r"^\d{18}$"),
    "SRFBM": re.compile(r"^\d{18}$"), "FBFBM": re.compile(r"^\d{14}$"),
    "CBHTBM": re.compile(r"^\d{18}[JQ]$"), "CBJYQZBM": re.compile(r"^\d{18}[JQ]$"),
    "YCBHTBM": None, "LZHTBM": re.compile(r"^\d{18}$"),
    "XZQDM": re.compile(r"^\d{6}$"), "XJQYDM": re.compile(r"^\d{9}$"),
    "CJQYDM": re.compile(r"^\d{12}$"), "ZJQYDM": re.compile(r"^\d{14}$"),
}


def code_ok(field: str, value) -> bool:
    pattern = CODE_PATTERNS.get(field)
    return pattern is None or bool(pattern.match(str(value)))


def village_of(code: str) -> str:
    return str(code)[:12]


def fbf_of(code: str) -> str:
    return str(code)[:14]


def ownership_unit_code(code: str) -> str:
    """权属单位代码: the 6/9/12/14-digit unit code right-padded with 0 to 14."""
    return str(code).ljust(14, "0")


def contract_code(cbfbm: str, cbfs: str) -> str:
    return cbfbm + ("J" if cbfs == "110" else "Q")


def epsg_for_longitude(lon: float, prefixed: bool = False) -> int:
    zone = int((lon + 1.5) // 3)
    if prefixed:
        return 4513 + (zone - 25)
    return 4534 + (3 * zone - 75) // 3


def is_cgcs2000_gk3(epsg) -> bool:
    try:
        return 4513 <= int(epsg) <= 4554
    except (TypeError, ValueError):
        return False
