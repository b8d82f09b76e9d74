"""Content of the per-household and per-unit documents, as plain structures.

公示结果归户表 (documents.md §3) is a ruled form on a 9-column grid; the
公示公告 (§4) and 公示无异议声明书 (§5) are texts from configurable templates.
The PDF and xlsx writers only draw what is built here.
"""
import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import List

from .. import codelists
from .data import Household, UnitData, fmt_date, fmt_mu
from .settings import ROUND_LONG, ROUND_NAMES, PublicitySettings
from .table_rows import build_table, days_between, table_households, table_plots

GRID = 9
LABEL, VALUE, HEAD = "label", "value", "head"
TICK, BOX = "■", "□"
CONTRACT_MODES = (("110", "家庭承包"), ("121", "招标"), ("122", "拍卖"), ("123", "公开协商"),
                  ("200", "转让"), ("300", "互换"), ("*", "其他"))
ID_KINDS = (("1", "身份证"), ("2", "军官证"), ("3", "行政、企事业单位机构代码证或法人代码证"),
            ("4", "户口簿"), ("*", "其他"))
HOUSEHOLD_TITLE = "农村土地承包经营权公示结果归户表"
DECLARATION_TITLE = "公示无异议声明书"


@dataclass
class FormCell:
    text: str
    span: int = 1
    kind: str = VALUE


@dataclass
class FormRow:
    cells: List[FormCell]
    tall: bool = False


@dataclass
class Form:
    title: str
    subtitle: str
    rows: List[FormRow] = field(default_factory=list)
    key: str = ""                 # CBFBM
    name: str = ""

    def add(self, *cells, tall=False):
        row = FormRow([c if isinstance(c, FormCell) else FormCell(*c) for c in cells], tall)
        assert sum(c.span for c in row.cells) == GRID, [c.text for c in row.cells]
        self.rows.append(row)


def ticks(options, chosen: str) -> str:
    known = {code for code, _ in options if code != "*"}
    out = []
    for code, name in options:
        on = chosen == code or (code == "*" and chosen and chosen not in known)
        out.append((TICK if on else BOX) + name)
    return "  ".join(out)


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0.00"))


def household_form(unit: UnitData, h: Household, settings: PublicitySettings, round_no: int = 2,
                   start=None, end=None) -> Form:
    c = h.contract
    form = Form(HOUSEHOLD_TITLE, "（%s公示）" % ROUND_LONG.get(round_no, ""), key=h.cbfbm, name=h.name)
    period = ""
    if c.get("CBQXQ") or c.get("CBQXZ"):
        until = str(c.get("CBQXZ") or "")
        period = "%s至%s" % (fmt_date(c.get("CBQXQ")), "长久" if until.startswith("9999") else fmt_date(until))
    cbfs = str(c.get("CBFS") or ("110" if h.kind == "1" else "")).strip()
    cbfs = "110" if cbfs == "100" else cbfs
    zjlx = h.get("CBFZJLX")
    zjlx = "*" if zjlx == "5" else zjlx          # 护照 → 其他 (documents.md §3)
    form.add((("发包方名称"), 1, LABEL), (unit.fbfmc, 4), ("发包方负责人", 2, LABEL),
             (str(unit.fbf.get("FBFFZRXM") or ""), 2))
    form.add(("合同/权证编号", 1, LABEL), (str(c.get("CBHTBM") or ""), 4), ("承包起止时间", 2, LABEL),
             (period, 2))
    form.add(("承包方式", 1, LABEL), (ticks(CONTRACT_MODES, cbfs), 8))
    form.add(("承包方(代表)姓名", 1, LABEL), (h.name, 4), ("联系电话", 2, LABEL), (h.get("LXDH"), 2))
    form.add(("证件类型", 1, LABEL), (ticks(ID_KINDS, zjlx), 8))
    form.add(("证件号码", 1, LABEL), (settings.mask("household", h.id_number), 4),
             ("邮政编码", 2, LABEL), (h.get("YZBM"), 2))
    form.add(("承包方住址", 1, LABEL), (h.get("CBFDZ"), 8))
    con, oth = h.contracted(), h.other()
    area = settings.contract_area
    form.add(("承包地块总数", 1, LABEL),
             ("共 %d 块  %s 亩" % (len(con), fmt_mu(_sum(p.contract_mu(area) for p in con))), 4),
             ("非承包地块总数", 2, LABEL),
             ("共 %d 块  %s 亩" % (len(oth), fmt_mu(_sum(p.contract_mu(area) for p in oth))), 2))
    form.add(("承包地块情况（面积单位：亩）", GRID, HEAD))
    form.add(*[(t, 1, LABEL) for t in ("地块名称", "地块编码", "地块四至", "合同面积", "实测面积",
                                       "土地用途", "地力等级", "是否承包地", "地块备注")])
    for p in h.plots:
        form.add((p.dkmc, 1), (p.dkbm, 1), (p.sizhi("\n", 2), 1), (fmt_mu(p.contract_mu(area)), 1),
                 (fmt_mu(p.measured_mu), 1), (codelists.label("C.9", p.get("TDYT")) if p.get("TDYT") else "", 1),
                 (codelists.label("C.8", p.get("DLDJ")) if p.get("DLDJ") else "", 1),
                 ("是" if p.is_contracted else "否", 1), (p.get("DKBZXX"), 1))
    if not h.plots:
        form.add(("（无地块）", GRID))
    if h.kind == "1" or cbfs == "110":
        form.add(("家庭成员情况（家庭成员总数 共 %d 人）" % len(h.members), GRID, HEAD))
        form.add(("成员姓名", 2, LABEL), ("与户主关系", 2, LABEL), ("成员身份证号", 3, LABEL),
                 ("成员备注", 2, LABEL))
        for m in h.members:
            form.add((m.name, 2), (m.relation_name, 2), (settings.mask("household", m.id_number), 3),
                     (m.remark, 2))
    dates = "%s至%s" % (fmt_date(start), fmt_date(end)) if start and end else ""
    form.add(("公示记事", 1, LABEL), (h.get("GSJS"), 8), tall=True)
    form.add(("公示记事人", 1, LABEL), (h.get("GSJSR"), 2), ("公示日期", 2, LABEL), (dates, 4))
    form.add(("公示审核人", 1, LABEL), (h.get("GSSHR") or settings.reviewer, 2), ("审核日期", 2, LABEL),
             (fmt_date(h.get("GSSHRQ")), 4))
    form.add(("审核意见", 1, LABEL), ("", 8), tall=True)
    form.add(("承包方代表对公示结果意见", 2, LABEL), ("", 7), tall=True)
    form.add(("承包方代表签字（捺印）", 2, LABEL), ("", 3), ("日期", 1, LABEL), ("      年    月    日", 3))
    return form


def household_forms(unit: UnitData, settings: PublicitySettings, round_no: int = 2, start=None,
                    end=None) -> List[Form]:
    return [household_form(unit, h, settings, round_no, start, end)
            for h in table_households(unit, settings)]


# --- 公示公告 ---------------------------------------------------------------------

@dataclass
class Notice:
    title: str
    paragraphs: List[str]
    issuer: str
    date: str


def notice(unit: UnitData, settings: PublicitySettings, round_no: int, start=None, end=None,
           issued: _dt.date = None) -> Notice:
    """The notice of one unit and round; figures from the same data as the 公示表."""
    table = build_table(unit, settings, round_no, start, end)
    s, e = fmt_date(start) or "    年  月  日", fmt_date(end) or "    年  月  日"
    deadline = e
    values = {
        "fbfmc": unit.fbfmc, "village": unit.unit.village, "group": unit.unit.group,
        "round": ROUND_NAMES.get(round_no, ""), "households": table.households,
        "plots": table.plots, "area_contract": fmt_mu(table.sum_contract),
        "area_measured": fmt_mu(table.sum_measured), "start": s, "end": e,
        "days": days_between(start, end) if start and end else "  ", "place": settings.place,
        "contact": settings.contact or "村民小组", "phone": settings.phone or "          ",
        "deadline": deadline,
    }
    try:
        text = settings.notice_text.format(**values)
    except (KeyError, IndexError, ValueError):
        text = settings.notice_text
    title = "%s农村土地承包经营权调查结果公示公告" % unit.unit.short_name
    issuer = "%s（盖章）" % unit.fbfmc
    return Notice(title, [t for t in text.split("\n") if t.strip()], issuer,
                  fmt_date(issued or start or _dt.date.today()))


# --- 公示无异议声明书 ----------------------------------------------------------------

@dataclass
class Declaration:
    title: str
    parties: List[tuple]          # (label, value)
    paragraphs: List[str]
    plots: List[tuple]            # (地块名称, 地块编码, 面积, 四至)
    key: str = ""


def declarations(unit: UnitData, settings: PublicitySettings, round_no: int = 2) -> List[Declaration]:
    out = []
    area_src = settings.contract_area
    for h in table_households(unit, settings):
        plots = table_plots(h, settings)
        total = _sum(p.contract_mu(area_src) for p in plots)
        values = {"fbfmc": unit.fbfmc, "round": ROUND_NAMES.get(round_no, ""), "plots": len(plots),
                  "area": fmt_mu(total), "name": h.name}
        try:
            text = settings.declaration_text.format(**values)
        except (KeyError, IndexError, ValueError):
            text = settings.declaration_text
        parties = [("发包方", unit.fbfmc), ("承包方(代表)", h.name), ("承包方编码", h.cbfbm),
                   ("证件号码", settings.mask("declaration", h.id_number))]
        rows = [(p.dkmc, p.dkbm, fmt_mu(p.contract_mu(area_src)), p.sizhi("；"))
                for p in plots] if settings.declaration_plot_list else []
        out.append(Declaration(DECLARATION_TITLE, parties,
                               [t for t in text.split("\n") if t.strip()], rows, h.cbfbm))
    return out

