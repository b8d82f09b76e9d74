"""Synthetic households: members with consistent ages, relations and GB 11643 ID numbers."""
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import List, Optional

from ..codes import id_check_char
from . import names


@dataclass
class Member:
    name: str
    male: bool
    birth: dt.date
    relation: str                  # YHZGX (GB/T 4761)
    id_type: str = "1"             # CYZJLX
    id_number: str = ""
    note: str = ""                 # CYBZ (C.18)
    note_text: str = ""            # CYBZSM

    @property
    def gender(self) -> str:
        return "1" if self.male else "2"


@dataclass
class Household:
    members: List[Member] = field(default_factory=list)

    @property
    def head(self) -> Member:
        return self.members[0]


class IdMaker:
    """Unique valid 18-digit numbers; the 17th digit follows the gender."""

    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        self.used = set()
        self._book = 0

    def number(self, region: str, birth: dt.date, male: bool) -> str:
        while True:
            seq = self.rnd.randrange(100)
            g = self.rnd.choice("13579" if male else "02468")
            body = "%s%s%02d%s" % (region, birth.strftime("%Y%m%d"), seq, g)
            num = body + id_check_char(body)
            if num not in self.used:
                self.used.add(num)
                return num

    def household_book(self) -> str:
        """A 户口簿 number (证件类型 4), unique."""
        self._book += 1
        return "%09d" % (104240000 + self._book)


def _days(rnd, lo_years, hi_years):
    return dt.timedelta(days=rnd.randint(int(lo_years * 365.25), int(hi_years * 365.25)))


def _clip(d: dt.date, latest: dt.date) -> dt.date:
    return min(d, latest)


class HouseholdMaker:
    def __init__(self, rnd: random.Random, ids: IdMaker, nm: names.NameMaker):
        self.rnd, self.ids, self.nm = rnd, ids, nm

    def _region(self) -> str:
        return self.rnd.choice(names.NEARBY_REGIONS) if self.rnd.random() < 0.15 else names.COUNTY_CODE

    def _person(self, name, male, birth, relation, region, survey: dt.date) -> Member:
        m = Member(name, male, birth, relation)
        age_days = (survey - birth).days
        if age_days < 365 and self.rnd.random() < 0.4:
            m.id_type, m.id_number = "4", self.ids.household_book()
        else:
            m.id_number = self.ids.number(region, birth, male)
        if age_days < 365:
            m.note, m.note_text = "6", "%d年新生儿" % birth.year
        elif 18 * 365 <= age_days < 22 * 365 and self.rnd.random() < 0.4:
            m.note, m.note_text = "3", "在校大学生"
        return m

    def make(self, clans, survey: dt.date) -> Household:
        rnd, nm = self.rnd, self.nm
        latest = survey - dt.timedelta(days=1)
        male_head = rnd.random() < 0.86
        surname = nm.surname(clans)
        head_birth = dt.date(rnd.randint(1940, 1987), 1, 1) + dt.timedelta(days=rnd.randint(0, 364))
        gen = nm.generation()
        head = self._person(nm.person(male_head, surname, gen if male_head else ""), male_head,
                            head_birth, "02" if rnd.random() < 0.95 else "01", names.COUNTY_CODE, survey)
        hh = Household([head])
        spouse = None
        if male_head and rnd.random() < 0.9 or not male_head and rnd.random() < 0.2:
            sb = head_birth + dt.timedelta(days=rnd.randint(-700, 2600) * (1 if male_head else -1))
            spouse = self._person(nm.person(not male_head), not male_head, _clip(sb, latest),
                                  "10", self._region(), survey)
            hh.members.append(spouse)
        mother_birth = (spouse.birth if spouse and male_head else head_birth)
        n_children = rnd.choice([0, 1, 1, 2, 2, 2, 3] if head_birth.year < 1975 else [0, 1, 1, 2, 2])
        births = sorted(mother_birth + _days(rnd, 21, 36) for _ in range(n_children))
        kids = []
        for b in births:
            if b > latest:
                continue
            male = rnd.random() < 0.53
            kids.append(self._person(nm.person(male, surname if male_head else ""), male, b,
                                     "20" if male else "30", names.COUNTY_CODE, survey))
        sons = [k for k in kids if k.male]
        daughters = [k for k in kids if not k.male]
        for group, first in ((sons, 22), (daughters, 32)):
            if len(group) > 1:
                for i, k in enumerate(group[:3]):
                    k.relation = str(first + i)
        for d in daughters:
            if (survey - d.birth).days > 24 * 365 and rnd.random() < 0.2:
                d.note, d.note_text = "1", "%d年外嫁" % rnd.randint(d.birth.year + 20, survey.year - 1)
        hh.members.extend(kids)
        elder_son = next((s for s in sons if (survey - s.birth).days > 25 * 365), None)
        if elder_son is not None and rnd.random() < 0.6:
            wife_birth = _clip(elder_son.birth + dt.timedelta(days=rnd.randint(-400, 1500)), latest)
            hh.members.append(self._person(nm.person(False), False, wife_birth, "38",
                                           self._region(), survey))
            for _ in range(rnd.choice([0, 1, 1, 2])):
                gb = elder_son.birth + _days(rnd, 23, 34)
                if gb <= latest:
                    male = rnd.random() < 0.5
                    hh.members.append(self._person(nm.person(male, surname), male, gb,
                                                   "41" if male else "42", names.COUNTY_CODE, survey))
        if head_birth.year >= 1962 and rnd.random() < 0.3:
            pb = head_birth - _days(rnd, 22, 34)
            male = rnd.random() < 0.35
            parent_name = nm.person(True, surname) if male else nm.person(False)
            hh.members.append(self._person(parent_name, male, pb, "51" if male else "52",
                                           names.COUNTY_CODE, survey))
        return hh

    def person(self, survey: dt.date, clans=None) -> Member:
        """A single adult (个人 承包方 or a unit's representative)."""
        male = self.rnd.random() < 0.8
        birth = dt.date(self.rnd.randint(1960, 1990), 1, 1) + dt.timedelta(days=self.rnd.randint(0, 364))
        return self._person(self.nm.person(male, self.nm.surname(clans)), male, birth, "02",
                            names.COUNTY_CODE, survey)


def legacy15(number: str) -> Optional[str]:
    """The 15-digit form of an 18-digit number born in the 1900s (A16 material)."""
    if len(number) != 18 or number[6:8] != "19":
        return None
    return number[:6] + number[8:17]
