"""The ownership tables and plot attributes of one run, indexed once.

Shared by the A, X and C families: rows of every standard table (cached in the
context), the 发包方 unit of each row, which units a table has rows for (stage
awareness, checks.md §1), scope, object labels and the Finding factory.
Rows are read whole (not scoped): cross-household rules (A09, X01) must see
the entire township; only the reporting is limited to the scope.
"""
import gc
import hashlib
import json
from contextlib import contextmanager
from typing import Dict, Iterable, List, Optional, Sequence, Set

from ...core import codes, schema
from ...core.codes import parse_date, text  # noqa: F401 (the rules import them from here)
from ..finding import Finding
from .table_columns import ROW_TABLES, TableColumns

# Chinese noun for an object of each table, used in messages.
NOUN = {
    "DK": "地块", "FBF": "发包方", "CBF": "承包方", "CBF_JTCY": "承包方", "CBDKXX": "承包地块信息",
    "CBHT": "合同", "LZHT": "流转合同", "QSLYZLFJ": "权属来源附件", "CBJYQZDJB": "登记簿",
    "CBJYQZ": "权证", "CBJYQZ_QZBF": "权证补发记录", "CBJYQZ_QZHF": "权证换发记录",
    "CBJYQZ_QZZX": "权证注销记录", "JZD": "界址点", "JZX": "界址线", "KZD": "控制点",
    "XJXZQ": "县级行政区", "XJQY": "乡级区域", "CJQY": "村级区域", "ZJQY": "组级区域",
    "QYJX": "区域界线", "DZDW": "点状地物", "XZDW": "线状地物", "MZDW": "面状地物",
    "JBNTBHQ": "基本农田保护区", "ZJ": "注记",
}

# Tables whose rows belong to a 发包方 unit through their own FBFBM field.
_WITH_FBFBM = ("CBDKXX", "CBHT", "CBJYQZDJB")
# Otherwise the unit is the first 14 characters of this code field.
_UNIT_CODE_FIELD = {
    "DK": "DKBM", "FBF": "FBFBM", "CBF": "CBFBM", "CBF_JTCY": "CBFBM", "CBDKXX": "DKBM",
    "CBHT": "CBHTBM", "CBJYQZDJB": "CBJYQZBM", "CBJYQZ": "CBJYQZBM", "QSLYZLFJ": "CBJYQZBM",
    "CBJYQZ_QZBF": "CBJYQZBM", "CBJYQZ_QZHF": "CBJYQZBM", "CBJYQZ_QZZX": "CBJYQZBM",
    "LZHT": "CBHTBM", "JZD": "DKBM", "JZX": "DKBM",
    "ZJQY": "ZJQYDM", "CJQY": "CJQYDM", "XJQY": "XJQYDM", "XJXZQ": "XZQDM",
}
_REGION_TABLES = ("ZJQY", "CJQY", "XJQY", "XJXZQ")

# The stage order of the ownership work (C03, A14); FBF and DK come first.
STAGES = (("CBF", "承包方"), ("CBDKXX", "承包地块信息"), ("CBHT", "承包合同"),
          ("CBJYQZDJB", "登记簿"))


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a family builds millions of row dicts and
    column lists: each collection would walk all of them again (it cost a third of the
    run on a 100,000-plot township). Reference counting still frees everything at once."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def empty_id(value) -> bool:
    """codes.is_empty_id with a fast answer for the usual number (its first character
    is a digit, so not every character is one of 0 - / 无 or a space)."""
    if value.__class__ is str and value and value[0] not in codes.EMPTY_ID_CHARS:
        return False
    return codes.is_empty_id(value)


def texts(col) -> List[str]:
    """text() of every value of a column, without a function call per value."""
    return [v.strip() if v.__class__ is str else "" if v is None else text(v) for v in col]


def obj_hash(*parts) -> str:
    """Hash of the object values a finding depends on (accepted states, §4)."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def pick(row: dict, fields: Sequence[str]) -> dict:
    return {f: row.get(f) for f in fields}


class OwnershipData:
    """Rows of the standard tables with their units; one instance per run."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.db = ctx.db
        self._units: Dict[str, List[str]] = {}
        self._stage: Dict[str, Set[str]] = {}
        self._cols: Dict[str, Set[str]] = {}

    @classmethod
    def of(cls, ctx) -> "OwnershipData":
        return ctx.cached("ownership_data", lambda: cls(ctx))

    # --- rows and columns -------------------------------------------------
    def has(self, table: str) -> bool:
        return self.db is not None and self.db.has(table)

    def rows(self, table: str) -> List[dict]:
        """Row dicts of an ownership table (layers: use table_columns)."""
        assert table in ROW_TABLES, table
        return self.ctx.table(table) if self.has(table) else []

    def columns(self, table: str) -> Set[str]:
        if table not in self._cols:
            self._cols[table] = set(self.db.columns(table)) if self.has(table) else set()
        return self._cols[table]

    # --- units, stage, scope -------------------------------------------------
    def unit_of(self, table: str, row: dict) -> str:
        if table in _WITH_FBFBM:
            fbf = text(row.get("FBFBM"))
            if fbf:
                return fbf
        fld = _UNIT_CODE_FIELD.get(table)
        if fld is None:
            return ""
        code = text(row.get(fld))
        if table in ("JZD", "JZX"):
            code = code.split("/")[0].strip()
        if table == "LZHT" and not code:
            code = text(row.get("LZHTBM"))
        return code if table in _REGION_TABLES else code[:14]

    def units(self, table: str) -> List[str]:
        """The unit code of every row, aligned with rows(table) (unit_of, by column)."""
        if table not in self._units:
            fld = _UNIT_CODE_FIELD.get(table)
            if fld is None:
                units = [""] * self.table_columns(table).n
            elif table in ("JZD", "JZX"):   # the first plot of the "/"-joined list
                units = [c.split("/")[0].strip()[:14]
                         for c in texts(self.table_columns(table).col(fld))]
            elif table == "LZHT":
                tc = self.table_columns(table)
                units = [(a or b)[:14] for a, b in zip(texts(tc.col("CBHTBM")),
                                                       texts(tc.col("LZHTBM")))]
            else:
                tc = self.table_columns(table)
                codes = texts(tc.col(fld))
                units = codes if table in _REGION_TABLES else [c[:14] for c in codes]
                if table in _WITH_FBFBM:
                    units = [f or u for f, u in zip(texts(tc.col("FBFBM")), units)]
            self._units[table] = units
        return self._units[table]

    def stage_units(self, table: str) -> Set[str]:
        """发包方 units for which a table has at least one row."""
        if table not in self._stage:
            self._stage[table] = set(self.units(table))
        return self._stage[table]

    def reached(self, table: str, unit: str) -> bool:
        return unit in self.stage_units(table)

    def in_scope(self, unit: str) -> bool:
        return self.ctx.in_scope(unit)

    def scoped(self, table: str):
        """(row, unit) pairs of an ownership table inside the run's scope (cached per run)."""
        def build():
            rows, units = self.rows(table), self.units(table)
            if self.ctx.scope is None:
                return list(zip(rows, units))
            return [(r, u) for r, u in zip(rows, units) if self.ctx.in_scope(u)]
        return self.ctx.cached("scoped:" + table, build)

    def table_columns(self, table: str) -> TableColumns:
        return self.ctx.cached("columns:" + table, lambda: TableColumns(self, table))

    # --- keys and labels ------------------------------------------------
    @staticmethod
    def key_field(table: str) -> str:
        return schema.key_field(table) or "fid"

    def key_of(self, table: str, row: dict) -> str:
        fld = schema.key_field(table)
        value = text(row.get(fld)) if fld else ""
        return value or "fid:%s" % row.get("FID")

    def describe(self, table: str, row: dict) -> str:
        """'地块 3708…0015', '承包方 3708…021 成员 张三' — names the object in messages."""
        noun = NOUN.get(table, table)
        key = self.key_of(table, row)
        if table == "CBF_JTCY":
            return "%s %s 成员 %s" % (noun, key, text(row.get("CYXM")) or "（姓名空）")
        if key.startswith("fid:"):
            return "%s（%s 编码为空，fid %s）" % (noun, table, row.get("FID"))
        return "%s %s" % (noun, key)

    @staticmethod
    def field_label(table: str, fld: str) -> str:
        t = schema.BY_CODE.get(table)
        if t is not None and t.has_field(fld):
            return "%s（%s）" % (fld, t.field(fld).name)
        return fld

    # --- indexes shared by several rules ----------------------------------------------
    def index(self, table: str, fld: str) -> Dict[str, List[dict]]:
        """Trimmed value -> rows, cached per run."""
        def build():
            out: Dict[str, List[dict]] = {}
            for v, r in zip(texts(self.table_columns(table).col(fld)), self.rows(table)):
                if v:
                    out.setdefault(v, []).append(r)
            return out
        return self.ctx.cached("index:%s.%s" % (table, fld), build)

    def survey_date(self, row_table: str, row: dict):
        """Latest admissible birth date for ID numbers: the survey date, else the run's."""
        if row_table == "FBF":
            return parse_date(row.get("FBFDCRQ")) or self.ctx.survey_date
        cbfbm = text(row.get("CBFBM"))
        cache = self.ctx.cached("survey_dates", dict)
        if cbfbm not in cache:
            cbf = self.index("CBF", "CBFBM").get(cbfbm)
            cache[cbfbm] = (parse_date(cbf[0].get("CBFDCRQ")) if cbf else None) \
                or self.ctx.survey_date
        return cache[cbfbm]

    def id_problem(self, number: str, survey_date):
        """codes.id_problem, computed once per number and date in a run (A07, A10, A16)."""
        cache = self.ctx.cached("id_problems", dict)
        key = (number, survey_date)
        if key not in cache:
            cache[key] = codes.id_problem(number, survey_date)
        return cache[key]

    # --- findings ---------------------------------------------------------
    def finding(self, rule: str, table: str, row: dict, message: str, unit: str,
                fld: str = "", related: Iterable = (), related_field: str = "",
                values: Optional[dict] = None, relevant=None, key: Optional[str] = None,
                key_field: Optional[str] = None) -> Finding:
        vals = dict(values or {})
        if fld:
            vals.setdefault("field", fld)
            vals["_fp"] = fld if "_fp" not in vals else vals["_fp"]
        if table == "CBF_JTCY" and not related:
            related, related_field = (text(row.get("CYXM")) or "fid:%s" % row.get("FID"),), "CYXM"
        name = object_name(table, row)
        if name and "name" not in vals:
            vals["name"] = name
        return Finding(rule, table, key if key is not None else self.key_of(table, row), message,
                       key_field=key_field or self.key_field(table),
                       related=tuple(related), related_field=related_field, unit_code=unit,
                       values=vals,
                       object_hash=obj_hash(relevant if relevant is not None
                                            else {k: v for k, v in row.items() if k != "FID"}))


# Fields A15 reads for whitespace: names, codes and ID numbers.
NAME_FIELDS = {
    "FBF": ("FBFMC", "FBFFZRXM", "FBFDCY"),
    "CBF": ("CBFMC", "CBFDCY", "GSJSR", "GSSHR"),
    "CBF_JTCY": ("CYXM",),
    "DK": ("DKMC", "DKDZ", "DKNZ", "DKXZ", "DKBZ", "ZJRXM"),
    "CBJYQZDJB": ("DBR",),
    "CBJYQZ": ("QZLQRXM",),
    "CBJYQZ_QZBF": ("QZBFLQRXM",),
    "CBJYQZ_QZHF": ("QZHFLQRXM",),
    "XJXZQ": ("XZQMC",), "XJQY": ("XJQYMC",), "CJQY": ("CJQYMC",), "ZJQY": ("ZJQYMC",),
}
CODE_FIELDS = tuple(codes.CODE_PATTERNS) + ("JZDH",)
ID_NUMBER_FIELDS = {f for (_t, f) in schema.ID_FIELDS}


def whitespace_fields(table: str) -> List[str]:
    t = schema.BY_CODE[table]
    names = [f for f in NAME_FIELDS.get(table, ()) if t.has_field(f)]
    other = [f.code for f in t.fields if f.code in CODE_FIELDS or f.code in ID_NUMBER_FIELDS]
    return names + [f for f in other if f not in names]


_NAME_FIELD = {"DK": "DKMC", "CBF": "CBFMC", "CBF_JTCY": "CYXM", "FBF": "FBFMC",
               "ZJQY": "ZJQYMC", "CJQY": "CJQYMC", "XJQY": "XJQYMC", "QSLYZLFJ": "ZLFJMC"}


def object_name(table: str, row: dict) -> str:
    fld = _NAME_FIELD.get(table)
    return text(row.get(fld)) if fld else ""


# Code formats (checks.md A04) as (length, allowed last letters): ASCII digits only, so a
# full-width digit or a trailing newline, which a str regex \d…$ would let pass, fails.
CODE_FORMATS = {"DKBM": (19, ""), "CBFBM": (18, ""), "SRFBM": (18, ""), "FBFBM": (14, ""),
                "CBHTBM": (19, "JQ"), "CBJYQZBM": (19, "JQ"), "LZHTBM": (18, ""),
                "XZQDM": (6, ""), "XJQYDM": (9, ""), "CJQYDM": (12, ""), "ZJQYDM": (14, "")}


def malformed_indices(fld: str, values) -> List[int]:
    """Indices of values that are not, as they are, well-formed codes (fast pass, no trim)."""
    n, letters = CODE_FORMATS[fld]
    if letters:
        return [i for i, v in enumerate(values) if not (
            v.__class__ is str and len(v) == n and v[-1] in letters and v[:-1].isdigit()
            and v.isascii())]
    return [i for i, v in enumerate(values) if not (
        v.__class__ is str and len(v) == n and v.isdigit() and v.isascii())]


def code_well_formed(fld: str, value: str) -> bool:
    """The A04 test on a trimmed value: A05 and X01 skip values that fail it (§6)."""
    spec = CODE_FORMATS.get(fld)
    if spec is None:
        return bool(value) and codes.code_ok(fld, value)
    n, letters = spec
    if len(value) != n or not value.isascii():
        return False
    if letters:
        return value[-1] in letters and value[:-1].isdigit()
    return value.isdigit()
