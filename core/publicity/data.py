"""What the publicity documents print, read once per job from the township database.

One UnitData per 发包方: its FBF row, its plots (DK joined with CBDKXX) and its
households (CBF with members, contract and plots). Areas are Decimal 亩 with two
decimals (codes.md §7): the stored 亩 field, else converted from the m² field.
"""
import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, List, Optional, Sequence

from .. import codelists
from ..codes import is_empty, m2_to_mu, round2
from .units import Unit, list_units

DK_FIELDS = ("DKBM", "DKMC", "DKLB", "DKDZ", "DKNZ", "DKXZ", "DKBZ", "DKBZXX", "TDYT", "DLDJ",
             "SFJBNT", "SCMJ", "SCMJM", "ZJRXM")
CBDKXX_FIELDS = ("DKBM", "FBFBM", "CBFBM", "CBHTBM", "CBJYQZBM", "HTMJ", "HTMJM", "YHTMJ",
                 "YHTMJM", "SFQQQG")
CBF_FIELDS = ("CBFBM", "CBFLX", "CBFMC", "CBFZJLX", "CBFZJHM", "CBFDZ", "YZBM", "LXDH",
              "CBFCYSL", "GSJS", "GSJSR", "GSSHRQ", "GSSHR")
MEMBER_FIELDS = ("CBFBM", "CYXM", "CYXB", "CYZJLX", "CYZJHM", "YHZGX", "CYBZ", "SFGYR", "CYBZSM")
CBHT_FIELDS = ("CBHTBM", "CBFBM", "FBFBM", "CBFS", "CBQXQ", "CBQXZ", "HTZMJ", "HTZMJM",
               "YHTZMJ", "YHTZMJM", "CBDKZS")
FBF_FIELDS = ("FBFBM", "FBFMC", "FBFFZRXM", "LXDH", "FBFDZ")


def text(value) -> str:
    return "" if is_empty(value) else str(value).strip()


def mu(stored_mu, m2) -> Optional[Decimal]:
    """Stored 亩 (rounded to 0.01) when filled, else the m² value converted."""
    value = round2(stored_mu) if not is_empty(stored_mu) else None
    if value is None and not is_empty(m2):
        value = m2_to_mu(m2)
    return value


def fmt_mu(value) -> str:
    return "" if value is None else "%.2f" % value


def fmt_date(value) -> str:
    """YYYY年MM月DD日 from a date or ISO text; '' when empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    return "%04d年%02d月%02d日" % (value.year, value.month, value.day)


@dataclass
class Plot:
    dkbm: str
    row: Dict = field(default_factory=dict)      # DK attributes (empty when not in DK)
    cbdkxx: Dict = field(default_factory=dict)   # its CBDKXX row (first by CBFBM)
    in_dk: bool = True

    def get(self, name: str) -> str:
        return text(self.row.get(name))

    @property
    def dkmc(self) -> str:
        return self.get("DKMC")

    @property
    def dklb(self) -> str:
        return self.get("DKLB")

    @property
    def is_contracted(self) -> bool:
        return self.dklb == "10"

    @property
    def cbfbm(self) -> str:
        return text(self.cbdkxx.get("CBFBM"))

    @property
    def measured_mu(self) -> Optional[Decimal]:
        return mu(self.row.get("SCMJM"), self.row.get("SCMJ"))

    @property
    def confirmed_mu(self) -> Optional[Decimal]:
        return mu(self.cbdkxx.get("HTMJM"), self.cbdkxx.get("HTMJ"))

    @property
    def original_mu(self) -> Optional[Decimal]:
        return mu(self.cbdkxx.get("YHTMJM"), self.cbdkxx.get("YHTMJ"))

    def contract_mu(self, source: str = "YHTMJM") -> Optional[Decimal]:
        """Column K: 二轮合同面积 (YHTMJM) or 确权面积 (HTMJM)."""
        return self.confirmed_mu if source == "HTMJM" else self.original_mu

    def map_mu(self, source: str = "HTMJM") -> Optional[Decimal]:
        """Area printed on the map: 确权 (else 实测), 实测 or 二轮合同."""
        if source == "SCMJM":
            return self.measured_mu
        if source == "YHTMJM":
            return self.original_mu
        value = self.confirmed_mu
        return value if value is not None else self.measured_mu

    def sizhi(self, sep: str = "\n", per_line: int = 1) -> str:
        """东：…/南：…/西：…/北：… joined by sep, per_line directions on a line."""
        parts = ["%s：%s" % (d, self.get(f)) for d, f in
                 (("东", "DKDZ"), ("南", "DKNZ"), ("西", "DKXZ"), ("北", "DKBZ"))]
        lines = ["  ".join(parts[i:i + per_line]) for i in range(0, 4, per_line)]
        return sep.join(lines)

    def code_tail(self, digits: int = 5) -> str:
        return self.dkbm[-digits:] if digits and digits < len(self.dkbm) else self.dkbm


@dataclass
class Member:
    name: str
    relation: str        # YHZGX code
    gender: str
    id_type: str
    id_number: str
    remark: str          # CYBZ name + CYBZSM
    co_holder: str

    @property
    def relation_name(self) -> str:
        return codelists.label("GB4761", self.relation) if self.relation else ""

    @property
    def is_head(self) -> bool:
        return self.relation in codelists.HEAD_RELATIONS


@dataclass
class Household:
    cbfbm: str
    row: Dict
    members: List[Member] = field(default_factory=list)
    plots: List[Plot] = field(default_factory=list)
    contract: Dict = field(default_factory=dict)

    def get(self, name: str) -> str:
        return text(self.row.get(name))

    @property
    def seq(self) -> str:
        return self.cbfbm[14:18]

    @property
    def name(self) -> str:
        return self.get("CBFMC")

    @property
    def kind(self) -> str:
        return self.get("CBFLX")

    @property
    def id_number(self) -> str:
        return self.get("CBFZJHM")

    def contracted(self) -> List[Plot]:
        return [p for p in self.plots if p.is_contracted]

    def other(self) -> List[Plot]:
        return [p for p in self.plots if not p.is_contracted]


@dataclass
class UnitData:
    unit: Unit
    fbf: Dict
    plots: List[Plot]                 # every DK plot of the unit, by DKBM
    households: List[Household]       # every CBF of the unit, by CBFBM

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def fbfmc(self) -> str:
        return text(self.fbf.get("FBFMC")) or self.unit.name

    def household_of(self, plot: Plot) -> Optional[Household]:
        idx = self.__dict__.get("_hh")
        if idx is None:
            idx = {h.cbfbm: h for h in self.households}
            self.__dict__["_hh"] = idx
        return idx.get(plot.cbfbm)


def _by_unit(rows: Sequence[dict], field_name: str, units: set) -> Dict[str, List[dict]]:
    out: Dict[str, List[dict]] = {}
    for r in rows:
        code = text(r.get(field_name))[:14]
        if code in units:
            out.setdefault(code, []).append(r)
    return out


def _member(r: dict) -> Member:
    remark = codelists.label("C.18", text(r.get("CYBZ"))) if text(r.get("CYBZ")) else ""
    extra = text(r.get("CYBZSM"))
    if extra:
        remark = "%s（%s）" % (remark, extra) if remark else extra
    return Member(text(r.get("CYXM")), text(r.get("YHZGX")), text(r.get("CYXB")),
                  text(r.get("CYZJLX")), text(r.get("CYZJHM")), remark, text(r.get("SFGYR")))


def load_units(db, codes: Optional[Sequence[str]] = None) -> List[UnitData]:
    """UnitData for the given 发包方 codes (prefixes allowed; None = every unit), by code."""
    units = list_units(db, codes)
    wanted = {u.code for u in units}
    fbf = {text(r.get("FBFBM")): r for r in db.read("FBF", FBF_FIELDS)}
    dk = _by_unit(db.read("DK", DK_FIELDS), "DKBM", wanted)
    cbdkxx = _by_unit(db.read("CBDKXX", CBDKXX_FIELDS), "DKBM", wanted)
    cbf = _by_unit(db.read("CBF", CBF_FIELDS), "CBFBM", wanted)
    members = _by_unit(db.read("CBF_JTCY", MEMBER_FIELDS), "CBFBM", wanted)
    contracts = _by_unit(db.read("CBHT", CBHT_FIELDS), "CBFBM", wanted)
    out = []
    for u in units:
        plots: Dict[str, Plot] = {}
        for r in dk.get(u.code, []):
            key = text(r.get("DKBM"))
            if key and key not in plots:
                plots[key] = Plot(key, r)
        for r in sorted(cbdkxx.get(u.code, []), key=lambda r: text(r.get("CBFBM"))):
            key = text(r.get("DKBM"))
            if key not in plots:
                plots[key] = Plot(key, {}, r, in_dk=False)
            elif not plots[key].cbdkxx:
                plots[key].cbdkxx = r
        households: Dict[str, Household] = {}
        for r in cbf.get(u.code, []):
            key = text(r.get("CBFBM"))
            if key and key not in households:
                households[key] = Household(key, r)
        for r in members.get(u.code, []):
            h = households.get(text(r.get("CBFBM")))
            if h is not None:
                h.members.append(_member(r))
        for r in contracts.get(u.code, []):
            h = households.get(text(r.get("CBFBM")))
            if h is not None and not h.contract:
                h.contract = r
        # a household's plots: every CBDKXX row naming it (also share-based rows)
        for r in cbdkxx.get(u.code, []):
            h = households.get(text(r.get("CBFBM")))
            p = plots.get(text(r.get("DKBM")))
            if h is not None and p is not None and p not in h.plots:
                if p.cbdkxx is not r:
                    p = Plot(p.dkbm, p.row, r, p.in_dk)
                h.plots.append(p)
        for h in households.values():
            h.plots.sort(key=lambda p: p.dkbm)
            # head first, then the order of the register
            h.members.sort(key=lambda m: (not m.is_head,))
        out.append(UnitData(u, fbf.get(u.code, {}), [plots[k] for k in sorted(plots)],
                            [households[k] for k in sorted(households)]))
    return out
