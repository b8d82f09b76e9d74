"""qq_audit's vocabulary: markers, errors, and values as the journal writes them as text."""
import datetime as _dt
import getpass
import uuid
from decimal import Decimal, InvalidOperation
from typing import List, Optional

from .. import schema

AUDIT = "qq_audit"
WHOLE_ROW = "*"
UNDO_PREFIX = "撤销批次 "
REDO_PREFIX = "重做批次 "
# Keys of the plugin tables an edit writes rows of (standard tables: schema.key_field).
EXTRA_KEYS = {"QQ_DISPUTE": "dkbm_a", "QQ_RETIRED_CODE": "code"}
_NUMERIC_TYPES = ("INT", "REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL")


class AuditError(Exception):
    """A batch that cannot be written or undone, explained for the user (Chinese)."""


class BatchNotFound(AuditError):
    pass


class BatchRefused(AuditError):
    """Not a batch this caller undoes (e.g. an ownership step offered to the area tools)."""

    def __init__(self, message: str, info=None):
        super().__init__(message)
        self.info = info              # the journal.Batch refused


class BatchConflict(AuditError):
    """Values or rows changed after the batch; .conflicts lists them (revert.Conflict)."""

    def __init__(self, message: str, conflicts: List):
        super().__init__(message)
        self.conflicts = conflicts


def who_am_i(who: Optional[str] = None) -> str:
    if who:
        return who
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some systems)
        return ""


def new_batch_id(now=None) -> str:
    """Sortable time plus a random tail: 20260301-101500-1a2b3c."""
    now = now or _dt.datetime.now()
    return "%s-%s" % (now.strftime("%Y%m%d-%H%M%S"), uuid.uuid4().hex[:6])


def audit_text(value) -> Optional[str]:
    """A value as qq_audit stores it: NULL stays NULL, a float in its shortest round-tripping
    form, a Decimal as written (2.50 keeps its cents)."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def stored(value):
    """What sqlite receives: Decimal as float (REAL columns), everything else as is."""
    return float(value) if isinstance(value, Decimal) else value


def is_numeric(declared: str) -> bool:
    decl = (declared or "").upper()
    return any(t in decl for t in _NUMERIC_TYPES)


def typed(declared: str, text):
    """Audit text back to the storage class of a column (by its declared type)."""
    if text is None:
        return None
    decl = (declared or "").upper()
    try:
        if "INT" in decl:
            return int(Decimal(text))
        if is_numeric(decl):
            return float(Decimal(text))
    except (InvalidOperation, ValueError):
        return text                      # a non-numeric value is restored as it was
    return text


def same_value(now, text: Optional[str], declared: str = "") -> bool:
    """Does a stored value still equal an audited text? Numbers by value in numeric
    columns (2.5 = '2.50'), text ignoring surrounding blanks."""
    if audit_text(now) == text:
        return True
    if now is None or text is None:
        return False
    if is_numeric(declared):
        try:
            a, b = Decimal(str(now).strip()), Decimal(str(text).strip())
            if a.is_finite() and b.is_finite():
                return a == b
        except (InvalidOperation, ValueError):
            pass
    return str(now).strip() == str(text).strip()


def key_field(table: str) -> Optional[str]:
    """The field whose value names a row of the table in qq_audit.key."""
    return schema.key_field(table.upper()) or EXTRA_KEYS.get(table.upper())
