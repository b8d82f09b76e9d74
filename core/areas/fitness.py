"""Is a group fit for an area adjustment? Open geometry errors say no.

An adjustment on overlapping, gapped or invalid plots would write areas that
the next check run contradicts, so T01/T04/T05 findings in a group block it.
They are computed by the check engine (Qt-free) on the groups concerned;
findings a reviewer accepted (qq_error state 'accepted') do not block. When
the topology family is not installed, invalid and missing geometries are
still found here and a note says what could not be checked.
"""
from typing import Dict, List, Optional, Sequence, Tuple

from . import data


def accepted_fingerprints(db) -> set:
    if not db.has("qq_error"):
        return set()
    return {r[0] for r in db.conn.execute(
        "SELECT fingerprint FROM qq_error WHERE state = 'accepted'")}


def topology_blockers(db, groups: Sequence[str], rules: Sequence[str] = ("T01", "T04", "T05"),
                      parameters: Optional[Dict] = None) -> Tuple[Dict[str, List[str]], List[str]]:
    """(group -> messages of open blocking findings, notes) for the given groups."""
    # Imported here: core must not depend on checks at import time (checks import core).
    from ...checks import registry
    from ...checks.context import CheckContext
    from ...checks.engine import run_checks
    groups = sorted(set(groups))
    found: Dict[str, List[str]] = {}
    notes: List[str] = []
    if not groups:
        return found, notes
    available = set(registry.implemented())
    run = [r for r in rules if r in available]
    if run:
        ctx = CheckContext(db, parameters=parameters, scope=groups)
        result = run_checks(ctx, run)
        accepted = accepted_fingerprints(db)
        wanted = set(groups)
        for f in result.findings:
            if f.fingerprint in accepted:
                continue
            units = {f.unit_code or str(f.key)[:14]} | {str(k)[:14] for k in f.related}
            for unit in units & wanted:
                found.setdefault(unit, []).append("%s %s" % (f.rule, f.message))
    if "T01" in rules and "T01" not in available:
        plots = data.read_plots(db, groups)
        for r, ok, area in zip(plots.rows, plots.valid, plots.areas):
            if area is not None and not ok:
                code = str(r.get("DKBM") or "").strip()
                found.setdefault(code[:14], []).append("T01 地块 %s 图形无效" % code)
    missing = [r for r in rules if r not in available and r != "T01"]
    if missing:
        notes.append("拓扑规则 %s 尚不可用，未检查重叠/缝隙；请先运行拓扑检查" % "、".join(missing))
    return found, notes
