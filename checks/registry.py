"""Rule registry: each rule family registers the IDs it implements.

A family is a class with `ids` (the rule IDs it can emit) and
`run(ctx, wanted)` yielding Findings for the wanted subset. Families that
compute several rules in one pass (overlaps, gaps, holes) register once.
"""
from typing import Dict, List, Type

from . import catalogue

_FAMILIES: List[Type] = []


def register(cls):
    for rid in cls.ids:
        if rid not in catalogue.RULES:
            raise ValueError("rule %s is not in the catalogue" % rid)
    if cls not in _FAMILIES:
        _FAMILIES.append(cls)
    return cls


def _load_all():
    # Importing the rule modules registers their families.
    from . import (area_rules, attribute_rules, completeness_rules,  # noqa: F401
                   crosstable_rules, structure_rules, topology)


def families() -> List[Type]:
    _load_all()
    return sorted(_FAMILIES, key=lambda c: catalogue.sort_key(min(c.ids, key=catalogue.sort_key)))


def implemented() -> List[str]:
    ids = {rid for fam in families() for rid in fam.ids}
    return sorted(ids, key=catalogue.sort_key)


def family_map() -> Dict[str, Type]:
    return {rid: fam for fam in families() for rid in fam.ids}
