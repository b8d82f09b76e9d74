"""The daily 错误清单 and 缺失清单 (checks.md §5): two Chinese workbooks per check run.

错误清单_<乡名>_<YYYYMMDD>.xlsx: a sheet 汇总 (per village 新增 / 已修正 / 仍存在 since
the previous run, and what is still open) and one sheet per village with the
records of the 错误清单 rules. 缺失清单_<乡名>_<YYYYMMDD>.xlsx: one printable sheet
per village listing what the village must collect or confirm, grouped by type
with a section title per type. The date is the run's; the last run of a day
overwrites the files of that day. Open records by default; accepted and fixed
ones on request.
"""
import datetime as _dt
import json
import os
import re
from collections import Counter
from typing import Dict, List, Optional

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..checks import catalogue, persistence
from .xlsx_style import FONT, write_table

ERROR_HEADERS = ("序号", "村", "组", "规则", "严重程度", "对象编码", "对象名称", "问题描述",
                 "首次发现日期", "状态", "相关编码", "说明", "最近发现")
MISSING_HEADERS = ("序号", "组", "对象编码", "承包方/对象名称", "成员姓名", "证件号码",
                   "问题描述", "首次发现日期", "状态", "核实情况（村组填写）")
SUMMARY_HEADERS = ("序号", "村代码", "村", "新增", "已修正", "仍存在", "未处理错误", "未处理警告",
                   "已接受")
# Sections of the 缺失清单 in print order: ID numbers first (what to collect from people).
MISSING_SECTIONS = ("A08", "A09", "A07", "X02", "X03", "A13", "C01", "A01", "C03", "S01", "S02")
STATE_TEXT = {"open": "未处理", "accepted": "已接受", "fixed": "已修正"}
_CN_NUM = "一二三四五六七八九十"
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_BAD_FILE = re.compile(r'[\\/:*?"<>|\s]')
SECTION_FILL = PatternFill("solid", fgColor="FCE4D6")
_CHANGE = {"new": "新增", "reopened": "新增", "fixed": "已修正", "still": "仍存在"}


def write_daily_lists(db, out_folder: str, run_id: Optional[str] = None,
                      include_accepted: bool = False, include_fixed: bool = False) -> List[str]:
    """Write both workbooks for a run (default: the latest); return [错误清单, 缺失清单] paths."""
    if isinstance(db, str):
        from ..core.township_db import TownshipDB
        with TownshipDB(db) as opened:
            return write_daily_lists(opened, out_folder, run_id, include_accepted, include_fixed)
    run = _run(db, run_id)
    day = (run.get("started") or run.get("finished") or _dt.date.today().isoformat())[:10]
    town = _file_part(town_name(db))
    os.makedirs(out_folder, exist_ok=True)
    look = _Lookup(db)
    touched = [_record(r, look) for r in persistence.run_errors(db, run["run_id"])]
    rows = [r for r in touched if _wanted(r, include_accepted, include_fixed)]
    stamp = day.replace("-", "")
    err = os.path.join(out_folder, "错误清单_%s_%s.xlsx" % (town, stamp))
    mis = os.path.join(out_folder, "缺失清单_%s_%s.xlsx" % (town, stamp))
    in_error_list = [r for r in touched if catalogue.list_of(r["rule"]) == "错误清单"]
    errors = [r for r in rows if catalogue.list_of(r["rule"]) == "错误清单"]
    _write_error_list(err, errors, in_error_list, look, town_name(db), day, run)
    missing = [r for r in rows if r["rule"] in MISSING_SECTIONS]
    _write_missing_list(mis, missing, look, town_name(db), day)
    return [err, mis]


def _run(db, run_id):
    all_runs = persistence.runs(db)
    if not all_runs:
        raise ValueError("数据库中还没有检查记录，请先运行数据自查")
    if run_id:
        for r in all_runs:
            if r["run_id"] == run_id:
                return r
        raise ValueError("找不到检查记录 %s" % run_id)
    return all_runs[-1]


def _wanted(rec, include_accepted, include_fixed) -> bool:
    if rec["state"] == "已修正":
        return include_fixed
    if rec["state"] == "已接受":
        return include_accepted
    return True


def _compare(records) -> Dict[str, Dict[str, int]]:
    """Per village: 新增 / 已修正 / 仍存在 of the records a run touched."""
    out: Dict[str, Dict[str, int]] = {}
    for r in records:
        for v in r["villages"]:
            counts = out.setdefault(v, dict.fromkeys(persistence.COMPARE_KEYS, 0))
            counts[r["change"]] += 1
    return out


# --- names ---------------------------------------------------------------------------

def town_name(db) -> str:
    """乡名 from XJQY.XJQYMC, else from the FBF names (the part up to 乡/镇/街道)."""
    for r in db.read("XJQY", ["XJQYMC"]) if db.has("XJQY") else []:
        if r.get("XJQYMC") and str(r["XJQYMC"]).strip():
            return str(r["XJQYMC"]).strip()
    found = Counter()
    for r in db.read("FBF", ["FBFMC"]) if db.has("FBF") else []:
        m = re.match(r"^(.*?(?:街道|乡|镇))", str(r.get("FBFMC") or "").strip())
        if m:
            found[m.group(1)] += 1
    if found:
        return found.most_common(1)[0][0]
    return "乡镇"


def _file_part(text: str) -> str:
    return _BAD_FILE.sub("", text) or "乡镇"


class _Lookup:
    """Names of units, plots and households for the list columns."""

    def __init__(self, db):
        self.units: Dict[str, str] = {}
        sources = (("CJQY", "CJQYDM", "CJQYMC"), ("ZJQY", "ZJQYDM", "ZJQYMC"),
                   ("FBF", "FBFBM", "FBFMC"), ("qq_admin_unit", "CODE", "NAME"))
        for table, code_f, name_f in sources:
            for r in db.read(table, [code_f, name_f]) if db.has(table) else []:
                code, name = _t(r.get(code_f)), _t(r.get(name_f))
                if code and name:
                    self.units.setdefault(code, name)
        self.plots = {_t(r["DKBM"]): _t(r.get("DKMC")) for r in
                      (db.read("DK", ["DKBM", "DKMC"]) if db.has("DK") else []) if r.get("DKBM")}
        self.households = {_t(r["CBFBM"]): _t(r.get("CBFMC")) for r in
                           (db.read("CBF", ["CBFBM", "CBFMC"]) if db.has("CBF") else [])
                           if r.get("CBFBM")}
        self.holders: Dict[str, str] = {}
        for r in db.read("CBDKXX", ["DKBM", "CBFBM"]) if db.has("CBDKXX") else []:
            self.holders.setdefault(_t(r.get("DKBM")), _t(r.get("CBFBM")))

    def village(self, code: str) -> str:
        return self.units.get(code, code) if code else "全镇"

    def group(self, unit: str) -> str:
        if len(unit) < 14:
            return ""
        if unit.endswith("00"):
            return "村集体"
        name = self.units.get(unit[:14], unit[:14])
        village = self.units.get(unit[:12], "")
        # FBF names often repeat the township and village (某镇某村一组): keep the group part
        at = name.find(village) if village else -1
        return name[at + len(village):] if at >= 0 and len(name) > at + len(village) else name

    def object_name(self, key: str, values: dict) -> str:
        if values.get("name"):
            return str(values["name"])
        if key in self.plots:
            return self.plots[key]
        if key in self.households:
            return self.households[key]
        if len(key) == 19 and key[:18] in self.households:
            return self.households[key[:18]]
        return self.units.get(key, "")

    def holder(self, dkbm: str) -> str:
        cbfbm = self.holders.get(dkbm, "")
        return self.households.get(cbfbm, "")


def _t(v) -> str:
    return "" if v is None else str(v).strip()


def _record(row: dict, look: _Lookup) -> dict:
    try:
        values = json.loads(row.get("values") or "{}")
    except ValueError:
        values = {}
    unit = row.get("unit_code") or ""
    villages = [u[:12] for u in values.get("units", []) if len(u) >= 12] or \
        [persistence.village_of(unit)]
    related = []
    try:
        related = [str(x).split(":", 1)[-1] for x in json.loads(row.get("related_keys") or "[]")]
    except ValueError:
        pass
    return {"rule": row["rule"], "severity": row.get("severity") or catalogue.severity(row["rule"]),
            "key": row.get("key") or "", "unit": unit, "villages": sorted(set(villages)),
            "group": look.group(unit), "message": row.get("message") or "",
            "values": values, "related": "、".join(related),
            "name": look.object_name(row.get("key") or "", values),
            "state": "已修正" if row["run_status"] == "fixed" else STATE_TEXT.get(
                row.get("state"), row.get("state") or ""),
            "change": _CHANGE[row["run_status"]],
            "reason": row.get("reason") or "", "first": (row.get("first_seen") or "")[:10],
            "last": (row.get("last_seen") or "")[:10]}


def _by_village(records, look) -> Dict[str, List[dict]]:
    """Records per village; one spanning villages (A09) is listed in each, under its group there."""
    out: Dict[str, List[dict]] = {}
    for r in records:
        for v in r["villages"]:
            unit = next((u for u in r["values"].get("units", []) if u[:12] == v), r["unit"])
            out.setdefault(v, []).append(
                r if unit == r["unit"] else dict(r, unit=unit, group=look.group(unit)))
    for v, recs in out.items():
        recs.sort(key=lambda r: (r["unit"], catalogue.sort_key(r["rule"]), r["key"], r["message"]))
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "", kv[0])))


# --- workbooks ---------------------------------------------------------------------

def _title(ws, text, ncols):
    ws.cell(row=1, column=1, value=text).font = Font(name=FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 24


def _sheet_name(wb, name: str) -> str:
    base = _BAD_SHEET.sub("_", name)[:31] or "Sheet"
    out, n = base, 2
    while out in wb.sheetnames:
        out = "%s_%d" % (base[:28], n)
        n += 1
    return out


def _write_error_list(path, records, touched, look, town, day, run):
    """records: the rows to list; touched: every 错误清单 record of the run (for 汇总)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    by_village = _by_village(records, look)
    all_by_village = _by_village(touched, look)
    compare = _compare(touched)
    villages = sorted(set(by_village) | set(all_by_village), key=lambda v: (v == "", v))
    summary, totals = [], [0] * 6
    for i, v in enumerate(villages, 1):
        recs = all_by_village.get(v, [])
        cmp = compare.get(v) or dict.fromkeys(persistence.COMPARE_KEYS, 0)
        line = [cmp["新增"], cmp["已修正"], cmp["仍存在"],
                sum(1 for r in recs if r["state"] == "未处理" and r["severity"] == "E"),
                sum(1 for r in recs if r["state"] == "未处理" and r["severity"] == "W"),
                sum(1 for r in recs if r["state"] == "已接受")]
        totals = [a + b for a, b in zip(totals, line)]
        summary.append([i, v or "", look.village(v)] + line)
    summary.append(["", "", "合计"] + totals)
    _title(ws, "错误清单汇总  %s  %s（与上次检查相比）" % (town, day), len(SUMMARY_HEADERS))
    write_table(ws, SUMMARY_HEADERS, summary, first_row=2, landscape=False)
    for v, recs in by_village.items():
        sheet = wb.create_sheet(_sheet_name(wb, look.village(v)))
        rows = [(i, look.village(v), r["group"], "%s %s" % (r["rule"], catalogue.RULES[r["rule"]][1]),
                 catalogue.SEVERITY_TEXT[r["severity"]], r["key"], r["name"], r["message"],
                 r["first"], r["state"], r["related"], r["reason"], r["last"])
                for i, r in enumerate(recs, 1)]
        _title(sheet, "错误清单  %s %s  %s" % (town, look.village(v), day), len(ERROR_HEADERS))
        write_table(sheet, ERROR_HEADERS, rows, first_row=2)
    wb.properties.title = "错误清单 %s %s" % (town, day)
    wb.properties.subject = "检查 %s" % run["run_id"]
    wb.save(path)


def _missing_rows(rule, recs, look, village):
    out = []
    for r in recs:
        vals = r["values"]
        if rule == "A09":   # one row per occurrence in this village: each is confirmed there
            for p in vals.get("persons", []):
                if persistence.village_of(p.get("unit", "")) != village:
                    continue
                out.append((look.group(p.get("unit", "")), p.get("cbfbm", ""),
                            p.get("household", ""), p.get("person", ""), vals.get("id_number", ""),
                            r["message"], r["first"], r["state"]))
            continue
        holder = vals.get("household") or (look.holder(r["key"]) if rule in ("A13", "A01") else "")
        name = holder or r["name"]
        if rule in ("X02", "A13") and r["name"]:
            name = "%s（%s）" % (r["name"], holder) if holder else r["name"]
        out.append((r["group"], r["key"], name, vals.get("person", ""), vals.get("id_number", ""),
                    r["message"], r["first"], r["state"]))
    return out


def _write_missing_list(path, records, look, town, day):
    wb = Workbook()
    default = wb.active
    for v, recs in _by_village(records, look).items():
        ws = wb.create_sheet(_sheet_name(wb, look.village(v)))
        rows, sections = [], []
        for rule in MISSING_SECTIONS:
            sec = [r for r in recs if r["rule"] == rule]
            if not sec:
                continue
            body = _missing_rows(rule, sec, look, v)
            n = len(sections)
            sections.append((len(rows), "%s、%s（%s）共 %d 条" % (
                _CN_NUM[n] if n < 10 else str(n + 1), catalogue.RULES[rule][1], rule, len(body))))
            rows.append(("",) * len(MISSING_HEADERS))
            rows += [(i,) + b + ("",) for i, b in enumerate(body, 1)]
        _title(ws, "缺失清单  %s %s  %s（请核实后填写并交回）" % (town, look.village(v), day),
               len(MISSING_HEADERS))
        write_table(ws, MISSING_HEADERS, rows, first_row=2)
        for idx, text in sections:
            r = 3 + idx
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(MISSING_HEADERS))
            cell = ws.cell(row=r, column=1, value=text)
            cell.font = Font(name=FONT, bold=True)
            cell.fill = SECTION_FILL
            cell.alignment = Alignment(horizontal="left", vertical="center")
    if len(wb.sheetnames) > 1:
        wb.remove(default)
    else:
        default.title = "说明"
        _title(default, "缺失清单  %s  %s" % (town, day), 2)
        write_table(default, ("序号", "说明"), [(1, "本次检查没有需要村组补充或核实的缺失项")],
                    first_row=2)
    wb.properties.title = "缺失清单 %s %s" % (town, day)
    wb.save(path)
