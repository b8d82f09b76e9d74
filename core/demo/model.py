"""The demo township while it is being built: plan, plot rows and shapes, owners, tables."""
import random
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set

import numpy as np

from .layout import Plan


@dataclass
class Township:
    plan: Plan
    rng: np.random.Generator
    rnd: random.Random
    dk: List[dict] = field(default_factory=list)          # DK attribute rows (+ _plot, _group …)
    shapes: List = field(default_factory=list)            # per row: parts -> rings -> point ids
    contractors: List = field(default_factory=list)
    tables: Dict[str, List[dict]] = field(default_factory=dict)
    extra_features: List[tuple] = field(default_factory=list)   # (polygon, label, JZXLB) added
    mzdw_extra: List[tuple] = field(default_factory=list)       # (row, polygon) added MZDW
    jzd: Optional[tuple] = None                           # (rows, points)
    jzx: Optional[tuple] = None                           # (rows, lines)
    regions: Dict[str, list] = field(default_factory=dict)     # layer -> [(row, geom)]
    admin_units: List[dict] = field(default_factory=list)
    manifest: List[dict] = field(default_factory=list)
    removed_units: List[str] = field(default_factory=list)     # groups whose data was deleted
    # bookkeeping of defect injection: which unit plays which role, what is taken
    group_roles: Dict[int, str] = field(default_factory=dict)  # group index -> C01/C02/C03a/C03b
    recoded: List[str] = field(default_factory=list)           # CBFBM moved to an unlisted group
    used_dkbm: Set[str] = field(default_factory=set)           # plots a defect changed or borders
    used_cbf: Set[str] = field(default_factory=set)            # 承包方 a table defect changed

    def note(self, rule: str, keys, note: str, lookalike: bool = False, also=(), **extra):
        entry = {"rule": rule, "keys": list(dict.fromkeys(str(k) for k in keys)), "note": note}
        if lookalike:
            entry["lookalike"] = True
        if also:
            entry["also"] = list(also)
            entry["also_keys"] = {rule: list(entry["keys"]) for rule in also}
        entry.update(extra)
        self.manifest.append(entry)

    def row_of(self, dkbm: str) -> int:
        for i, r in enumerate(self.dk):
            if r["DKBM"] == dkbm:
                return i
        raise KeyError(dkbm)
