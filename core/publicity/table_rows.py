"""The 调查信息公示表 (documents.md §2) as rows and cells, shared by the xlsx and PDF writers.

Columns A–D describe the household and are merged over its plot rows; E–M
describe one plot. Households by CBFBM, plots by DKBM; areas in 亩.
"""
import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import List, Optional, Tuple

from .data import Household, Plot, UnitData, fmt_date, fmt_mu
from .settings import PublicitySettings, ROUND_LONG

TITLE = "农村土地承包经营权调查信息公示表"

# (column letter, level-1 header, level-2 header or None when the header spans both rows)
COLUMNS: Tuple[Tuple[str, str, Optional[str]], ...] = (
    ("A", "序号", None),
    ("B", "承包方(代表)", None),
    ("C", "地块总体情况", "合同面积"),
    ("D", "地块总体情况", "实测面积"),
    ("E", "地块具体情况", "地块名称"),
    ("F", "地块具体情况", "地块编码"),
    ("G", "地块具体情况", "东至"),
    ("H", "地块具体情况", "南至"),
    ("I", "地块具体情况", "西至"),
    ("J", "地块具体情况", "北至"),
    ("K", "地块具体情况", "合同面积"),
    ("L", "地块具体情况", "实测面积"),
    ("M", "公示备注", None),
)
# The local variant (documents.md §2) adds members and a signature column; IDs masked.
MEMBER_COLUMNS: Tuple[Tuple[str, str, Optional[str]], ...] = (
    ("N", "家庭成员情况", "成员个数"),
    ("O", "家庭成员情况", "成员姓名"),
    ("P", "家庭成员情况", "家庭关系"),
    ("Q", "家庭成员情况", "身份证号码"),
    ("R", "签字人按印", None),
)
HOUSEHOLD_COLUMNS = 4   # A–D merged over a household's rows


def header_spans(columns) -> List[Tuple[str, int, int, bool]]:
    """Level-1 cells as (text, first column index, column count, spans both header rows)."""
    out = []
    i = 0
    while i < len(columns):
        _, top, sub = columns[i]
        j = i + 1
        while sub is not None and j < len(columns) and columns[j][1] == top and columns[j][2]:
            j += 1
        out.append((top, i, j - i, sub is None))
        i = j
    return out


def period_text(start, end) -> str:
    if not start or not end:
        return "公示日期：    年  月  日至    年  月  日（共   天）"
    return "公示日期：%s至%s（共 %d 天）" % (fmt_date(start), fmt_date(end), days_between(start, end))


def days_between(start, end) -> int:
    s, e = as_date(start), as_date(end)
    return (e - s).days + 1 if s and e else 0


def as_date(value) -> Optional[_dt.date]:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value).strip()[:10])


@dataclass
class Block:
    household: Household
    rows: List[list]                 # cells E..M per plot (at least one row)
    sum_contract: Decimal
    sum_measured: Decimal
    n_plots: int
    member_cells: list = field(default_factory=list)   # N..R (variant only)

    @property
    def head_cells(self) -> list:
        h = self.household
        return [h.seq, h.name,
                "合计：%d块 %s亩" % (self.n_plots, fmt_mu(self.sum_contract)),
                "合计：%d块 %s亩" % (self.n_plots, fmt_mu(self.sum_measured))]


@dataclass
class PublicityTable:
    unit: UnitData
    round_no: int
    columns: Tuple
    blocks: List[Block]
    header_lines: List[str]
    footer: List[Tuple[str, str]]
    title: str = TITLE
    subtitle: str = ""

    @property
    def households(self) -> int:
        return len(self.blocks)

    @property
    def plots(self) -> int:
        return sum(b.n_plots for b in self.blocks)

    @property
    def sum_contract(self) -> Decimal:
        return sum((b.sum_contract for b in self.blocks), Decimal("0.00"))

    @property
    def sum_measured(self) -> Decimal:
        return sum((b.sum_measured for b in self.blocks), Decimal("0.00"))

    def total_cells(self) -> list:
        """The 合计 row: households, plots, totals of K and L (other cells blank)."""
        cells = [""] * len(self.columns)
        cells[0] = "合计"
        cells[1] = "%d户" % self.households
        cells[2] = fmt_mu(self.sum_contract)
        cells[3] = fmt_mu(self.sum_measured)
        cells[5] = "%d块" % self.plots
        cells[10] = self.sum_contract
        cells[11] = self.sum_measured
        return cells


def remark_of(plot: Plot, contract: Optional[Decimal], measured: Optional[Decimal],
              settings: PublicitySettings) -> str:
    note = plot.get("DKBZXX")
    if settings.remark == "M03" and contract and measured is not None and contract > 0:
        pct = (measured - contract) / contract * 100
        if abs(pct) > Decimal(str(settings.remark_diff_pct)):
            diff = "实测比合同%s%.1f%%" % ("多" if pct > 0 else "少", abs(pct))
            note = "%s；%s" % (note, diff) if note else diff
    return note


def plot_cells(plot: Plot, settings: PublicitySettings) -> list:
    k = plot.contract_mu(settings.contract_area)
    l_ = plot.measured_mu
    return [plot.dkmc, plot.dkbm, plot.get("DKDZ"), plot.get("DKNZ"), plot.get("DKXZ"),
            plot.get("DKBZ"), k, l_, remark_of(plot, k, l_, settings)]


def table_households(unit: UnitData, settings: PublicitySettings) -> List[Household]:
    kinds = ("1", "2", "3") if settings.include_individuals else ("1",)
    return [h for h in unit.households if h.kind in kinds]


def table_plots(h: Household, settings: PublicitySettings) -> List[Plot]:
    return list(h.plots) if settings.include_noncontract else h.contracted()


def build_table(unit: UnitData, settings: PublicitySettings, round_no: int = 1,
                start=None, end=None, members: bool = False,
                made_on: Optional[_dt.date] = None) -> PublicityTable:
    columns = COLUMNS + (MEMBER_COLUMNS if members else ())
    blocks = []
    for h in table_households(unit, settings):
        plots = table_plots(h, settings)
        rows = [plot_cells(p, settings) for p in plots] or [[""] * 9]
        sk = sum((r[6] for r in rows if isinstance(r[6], Decimal)), Decimal("0.00"))
        sl = sum((r[7] for r in rows if isinstance(r[7], Decimal)), Decimal("0.00"))
        block = Block(h, rows, sk, sl, len(plots))
        if members:
            ms = h.members
            block.member_cells = [
                str(len(ms)) if ms else "", "\n".join(m.name for m in ms),
                "\n".join(m.relation_name for m in ms),
                "\n".join(settings.mask("table", m.id_number) for m in ms), ""]
        blocks.append(block)
    header = ["发包方：%s" % unit.fbfmc, period_text(start, end), "面积单位：亩"]
    made = fmt_date(made_on or _dt.date.today())
    footer = [("制表人", settings.maker), ("制表日期", made), ("审核人", settings.reviewer),
              ("审核日期", "")]
    table = PublicityTable(unit, round_no, columns, blocks, header, footer)
    table.subtitle = "（%s公示）" % ROUND_LONG[round_no] if round_no in ROUND_LONG else ""
    return table


def flat_rows(table: PublicityTable) -> List[Tuple[Block, int, list]]:
    """(block, index in block, full row A..M[..R]) for writers that go row by row."""
    out = []
    for b in table.blocks:
        for i, cells in enumerate(b.rows):
            out.append((b, i, b.head_cells + list(cells) + list(b.member_cells)))
    return out


def sheet_name(unit: UnitData) -> str:
    """An Excel sheet name (≤ 31 characters, no []:*?/\\)."""
    name = unit.unit.short_name or unit.code
    for ch in "[]:*?/\\":
        name = name.replace(ch, "")
    return name[:31] or unit.code

