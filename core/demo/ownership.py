"""承包方 and their plots, and the ownership tables FBF … QSLYZLFJ of the demo township."""
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, List, Optional

from ..codes import m2_to_mu, round2
from . import names
from .people import HouseholdMaker, Household, Member

CBQXQ, CBQXZ = dt.date(2018, 1, 1), dt.date(2047, 12, 31)
TABLES = ("FBF", "CBF", "CBF_JTCY", "CBDKXX", "CBHT", "CBJYQZDJB", "CBJYQZ", "QSLYZLFJ")


@dataclass
class Contractor:
    cbfbm: str
    kind: str                         # CBFLX 1 农户, 2 个人, 3 单位
    fbfbm: str
    unit: dict                        # the group (or village) dict of the plan
    household: Household
    plots: List[int] = field(default_factory=list)      # DK row indices
    cbfs: str = "110"
    original: bool = False
    org_name: str = ""
    deleted: bool = False             # its group's data is removed (defect C01)

    @property
    def name(self) -> str:
        return self.household.head.name

    @property
    def contract_code(self) -> str:
        return self.cbfbm + ("J" if self.cbfs == "110" else "Q")


@dataclass
class UnitDates:
    fbf: dt.date
    survey: dt.date
    publicity: dt.date
    sign: dt.date
    register: dt.date


def unit_dates(rnd: random.Random, village: int) -> UnitDates:
    fbf = dt.date(2017, 3, 1) + dt.timedelta(days=(village % 20) * 6 + rnd.randint(0, 8))
    survey = fbf + dt.timedelta(days=rnd.randint(3, 12))
    publicity = survey + dt.timedelta(days=rnd.randint(40, 55))
    sign = publicity + dt.timedelta(days=rnd.randint(12, 30))
    register = sign + dt.timedelta(days=rnd.randint(30, 50))
    return UnitDates(fbf, survey, publicity, sign, register)


def _iso(d: Optional[dt.date]) -> Optional[str]:
    return None if d is None else d.isoformat()


def assign(plan, dk: List[dict], rnd: random.Random, maker: HouseholdMaker) -> List[Contractor]:
    """Households (and a few 个人/单位) of every group, each with its plots; sets _holder, ZJRXM."""
    by_unit: Dict[str, List[int]] = {}
    for i, r in enumerate(dk):
        by_unit.setdefault(r["DKBM"][:14], []).append(i)
    units = {g["code"]: g for g in plan.groups}
    units.update({v["fbf_code"]: v for v in plan.villages})
    out: List[Contractor] = []
    individual = False
    for code in sorted(by_unit):
        unit = units[code]
        unit["dates"] = unit_dates(rnd, unit.get("village", unit.get("index", 0)))
        clans = maker.nm.clans()
        unit["clans"] = clans
        idx = by_unit[code]
        if code.endswith("00"):
            jd = [i for i in idx if dk[i]["DKLB"] == "22"]
            if unit["index"] == 0 and jd:
                dk[jd[0]]["DKLB"] = "23"
                dk[jd[0]]["TDLYLX"] = "021"
                rep = maker.person(unit["dates"].survey, clans)
                c = Contractor(code + "9001", "3", code, unit, Household([rep]), [jd[0]], "123",
                               org_name="衡东县%s果蔬专业合作社" % plan.villages[0]["name"][:2])
                out.append(c)
            continue
        contract = [i for i in idx if dk[i]["DKLB"] == "10"]
        opened = [i for i in idx if dk[i]["DKLB"] == "23" and rnd.random() < 0.5]
        if not individual and not opened and len(contract) > 8:
            opened = [contract.pop()]               # the township has at least one 个人 承包方
            dk[opened[0]]["DKLB"] = "23"
            dk[opened[0]]["TDLYLX"] = "013"
        individual = individual or bool(opened)
        rnd.shuffle(contract)
        n_hh = 0
        while contract:
            k = rnd.choice((2, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9))
            n_hh += 1
            hh = maker.make(clans, unit["dates"].survey)
            c = Contractor("%s%04d" % (code, n_hh), "1", code, unit, hh, sorted(contract[:k]),
                           "110", original=rnd.random() < 0.92)
            contract = contract[k:]
            out.append(c)
        if opened:
            out.append(Contractor(code + "8001", "2", code, unit,
                                  Household([maker.person(unit["dates"].survey, clans)]),
                                  opened, "123"))
    leaders = {}
    for c in out:
        if c.kind == "1":
            leaders.setdefault(c.fbfbm, c.household.head)
    for k, c in enumerate(out):
        for i in c.plots:
            dk[i]["_holder"] = k
            if dk[i]["DKLB"] == "10":
                lead = leaders.get(c.fbfbm)
                extra = lead.name if lead is not None and lead.name != c.name and rnd.random() < 0.2 else ""
                dk[i]["ZJRXM"] = c.name + ("," + extra if extra else "")
    for code, unit in units.items():
        if "dates" in unit:
            unit["leader"] = leaders.get(code)
    return out


def labels(dk: List[dict], contractors: List[Contractor]):
    """How each plot is named in its neighbours' 四至 / JZX: 承包方 name or the land category."""
    from .attributes import CATEGORY_LABEL
    out = []
    for r in dk:
        h = r.get("_holder")
        out.append(contractors[h].name if h is not None else CATEGORY_LABEL.get(r["DKLB"], "集体地"))
    return out


def _fbf_rows(plan, rnd, maker):
    rows = []
    units = [g for g in plan.groups] + [v for v in plan.villages if v.get("has_fbf")]
    for u in sorted(units, key=lambda u: u.get("fbf_code", u["code"]) if "groups" in u else u["code"]):
        code = u["fbf_code"] if "groups" in u else u["code"]
        if "dates" not in u or u.get("removed"):
            continue
        leader: Optional[Member] = u.get("leader") or maker.person(u["dates"].survey, u.get("clans"))
        village = plan.villages[u["village"]] if "village" in u else u
        name = (u["name"] if "groups" not in u else village["name"] + "村民委员会")
        rows.append({
            "FBFBM": code, "FBFMC": name, "FBFFZRXM": leader.name, "FZRZJLX": "1",
            "FZRZJHM": leader.id_number, "LXDH": "1%d%09d" % (rnd.choice((3, 5, 8)), rnd.randrange(10 ** 9)),
            "FBFDZ": "%s%s%s%s" % (names.PROVINCE, names.COUNTY_NAME, names.TOWNSHIP_NAME, name),
            "YZBM": names.POSTCODE, "FBFDCY": rnd.choice(names.SURVEYORS),
            "FBFDCRQ": _iso(u["dates"].fbf), "FBFDCJS": None})
    return rows


def build_tables(plan, dk: List[dict], contractors: List[Contractor], rnd: random.Random,
                 maker: HouseholdMaker) -> Dict[str, List[dict]]:
    """All ownership tables; contract totals are left to recompute()."""
    t = {name: [] for name in TABLES}
    t["FBF"] = _fbf_rows(plan, rnd, maker)
    serial = 0
    for c in sorted(contractors, key=lambda c: c.cbfbm):
        d: UnitDates = c.unit["dates"]
        head = c.household.head
        survey = d.survey + dt.timedelta(days=rnd.randint(0, 8))
        sign = d.sign + dt.timedelta(days=rnd.randint(0, 3))
        register = max(sign, d.register + dt.timedelta(days=rnd.randint(0, 2)))
        issue = register + dt.timedelta(days=0 if rnd.random() < 0.15 else rnd.randint(1, 15))
        address = "%s%s%s%s" % (names.PROVINCE, names.COUNTY_NAME, names.TOWNSHIP_NAME,
                                c.unit["name"] if "groups" not in c.unit else c.unit["name"] + "村委会")
        t["CBF"].append({
            "CBFBM": c.cbfbm, "CBFLX": c.kind, "CBFMC": head.name, "CBFZJLX": "1",
            "CBFZJHM": head.id_number, "CBFDZ": address, "YZBM": names.POSTCODE,
            "LXDH": "1%d%09d" % (rnd.choice((3, 5, 8)), rnd.randrange(10 ** 9)) if rnd.random() < 0.8 else None,
            "CBFCYSL": len(c.household.members) if c.kind == "1" else 1,
            "CBFDCRQ": _iso(survey), "CBFDCY": rnd.choice(names.SURVEYORS),
            "CBFDCJS": c.org_name or (rnd.choice(names.SURVEY_NOTES) if rnd.random() < 0.05 else None),
            "GSJS": "公示期间无异议" if rnd.random() < 0.05 else None,
            "GSJSR": rnd.choice(names.REVIEWERS), "GSSHRQ": _iso(d.publicity),
            "GSSHR": rnd.choice(names.REVIEWERS)})
        if c.kind == "1":
            for m in c.household.members:
                t["CBF_JTCY"].append({
                    "CBFBM": c.cbfbm, "CYXM": m.name, "CYXB": m.gender, "CYZJLX": m.id_type,
                    "CYZJHM": m.id_number, "YHZGX": m.relation, "CYBZ": m.note or None,
                    "SFGYR": "1", "CYBZSM": m.note_text or None})
        code = c.contract_code
        for i in c.plots:
            r = dk[i]
            scmj = Decimal(repr(r["SCMJ"]))
            htmj = scmj if rnd.random() < 0.9 else round2(scmj * Decimal(repr(rnd.uniform(0.97, 1.0))))
            yhtmj = round2(scmj * Decimal(repr(rnd.uniform(0.93, 1.07)))) if c.original else None
            t["CBDKXX"].append({
                "DKBM": r["DKBM"], "FBFBM": c.fbfbm, "CBFBM": c.cbfbm, "CBJYQQDFS": c.cbfs,
                "HTMJ": float(htmj), "CBHTBM": code, "LZHTBM": None, "CBJYQZBM": code,
                "YHTMJ": None if yhtmj is None else float(yhtmj), "HTMJM": float(m2_to_mu(htmj)),
                "YHTMJM": None if yhtmj is None else float(m2_to_mu(yhtmj)), "SFQQQG": "2"})
        seq = int(c.cbfbm[14:])
        t["CBHT"].append({
            "CBHTBM": code, "YCBHTBM": ("%s1998%s%s%04d" % (names.COUNTY_CODE, c.fbfbm[9:12],
                                                            c.fbfbm[12:14], seq)) if c.original else None,
            "FBFBM": c.fbfbm, "CBFBM": c.cbfbm, "CBFS": c.cbfs, "CBQXQ": _iso(CBQXQ),
            "CBQXZ": _iso(CBQXZ), "HTZMJ": None, "CBDKZS": None, "QDSJ": _iso(sign),
            "HTZMJM": None, "YHTZMJ": None, "YHTZMJM": None})
        serial += 1
        t["CBJYQZDJB"].append({
            "CBJYQZBM": code, "FBFBM": c.fbfbm, "CBFBM": c.cbfbm, "CBFS": c.cbfs,
            "CBQX": cbqx_text(CBQXQ, CBQXZ), "CBQXQ": _iso(CBQXQ), "CBQXZ": _iso(CBQXZ),
            "DKSYT": "图件\\%s\\DKSYT%s.pdf" % (c.fbfbm, code),
            "CBJYQZLSH": "%s（%d）%s农村土地承包经营权证第%06d号" % (
                names.PROVINCE_SHORT, issue.year, names.COUNTY_NAME, serial),
            "DJBFJ": None, "YCBJYQZBH": ("衡东农经（1999）第%05d号" % (serial + 300))
            if c.original and rnd.random() < 0.5 else None,
            "DBR": rnd.choice(names.REGISTRARS), "DJSJ": _iso(register)})
        taken = rnd.random() < 0.92
        t["CBJYQZ"].append({
            "CBJYQZBM": code, "FZJG": names.CERT_AUTHORITY, "FZRQ": _iso(issue),
            "QZSFLQ": "1" if taken else "2",
            "QZLQRQ": _iso(issue + dt.timedelta(days=rnd.randint(3, 40))) if taken else None,
            "QZLQRXM": head.name if taken else None, "QZLQRZJLX": "1" if taken else None,
            "QZLQRZJHM": head.id_number if taken else None})
        docs = ([(names.ATTACHMENTS[0], dt.date(1998, 10, 1) + dt.timedelta(days=rnd.randint(0, 60)))]
                if c.original else [])
        docs += [(names.ATTACHMENTS[1], survey), (names.ATTACHMENTS[3], d.publicity)]
        for k, (title, when) in enumerate(docs[:rnd.randint(1, len(docs))], start=1):
            bh = "%s%s%02d" % (c.cbfbm[6:], code[-1], k)
            t["QSLYZLFJ"].append({"CBJYQZBM": code, "ZLFJBH": bh, "ZLFJMC": title,
                                  "ZLFJRQ": _iso(when), "FJ": "其他资料\\权属来源附件\\%s.pdf" % bh})
    return t


def cbqx_text(start: dt.date, end: dt.date) -> str:
    return "%s至%s" % (start.strftime("%Y年%m月%d日"), end.strftime("%Y年%m月%d日"))


def recompute(t: Dict[str, List[dict]]) -> None:
    """Contract totals from CBDKXX (HTZMJ = Σ HTMJ …) and CBFCYSL of 农户 from CBF_JTCY."""
    sums: Dict[str, list] = {}
    for r in t["CBDKXX"]:
        s = sums.setdefault(r["CBHTBM"], [Decimal("0"), 0, Decimal("0"), True])
        s[0] += Decimal(repr(r["HTMJ"]))
        s[1] += 1
        if r.get("YHTMJ") is None:
            s[3] = False
        else:
            s[2] += Decimal(repr(r["YHTMJ"]))
    for r in t["CBHT"]:
        tot, n, orig, all_orig = sums.get(r["CBHTBM"], [Decimal("0"), 0, Decimal("0"), False])
        r["HTZMJ"], r["CBDKZS"] = float(tot), n
        r["HTZMJM"] = float(m2_to_mu(tot))
        if r.get("YCBHTBM") and all_orig:
            r["YHTZMJ"], r["YHTZMJM"] = float(orig), float(m2_to_mu(orig))
        else:
            r["YHTZMJ"] = r["YHTZMJM"] = None
    members: Dict[str, int] = {}
    for r in t["CBF_JTCY"]:
        members[r["CBFBM"]] = members.get(r["CBFBM"], 0) + 1
    for r in t["CBF"]:
        r["CBFCYSL"] = members.get(r["CBFBM"], 0) if r["CBFLX"] == "1" else 1
