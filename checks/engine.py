"""The check engine: runs the selected rules in catalogue order over one context.

It owns order, progress, cancellation, timing, sorting and run metadata;
a rule family is only its test.
"""
import datetime as _dt
import getpass
import json
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from . import catalogue, registry
from .context import Cancelled, CheckContext
from .finding import Finding

PLUGIN_VERSION = "0.1.0"


@dataclass
class CheckResult:
    findings: List[Finding]
    run: Dict = field(default_factory=dict)

    def counts(self) -> Dict[str, int]:
        out: Dict[str, int] = {}
        for f in self.findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return out

    def by_rule(self, rule: str) -> List[Finding]:
        return [f for f in self.findings if f.rule == rule]


def run_checks(ctx: CheckContext, rules: Optional[Sequence[str]] = None,
               data_source: str = "") -> CheckResult:
    available = registry.implemented()
    wanted = [r for r in (rules or available) if r in available]
    not_impl = [r for r in (rules or []) if r not in available]
    for r in not_impl:
        ctx.skip(r, "规则尚未实现")
    started = _dt.datetime.now()
    # families may start work for later families ahead (checks/topology/prefetch.py)
    ctx.rules_run = list(wanted)
    fams = [fam for fam in registry.families() if any(r in fam.ids for r in wanted)]
    findings: List[Finding] = []
    n = max(1, len(fams))
    for i, fam in enumerate(fams):
        ctx.feedback.check()
        subset = [r for r in fam.ids if r in wanted]
        t0 = time.perf_counter()
        outer = ctx.feedback
        ctx.feedback = outer.scaled(100.0 * i / n, 100.0 / n)
        try:
            for f in fam().run(ctx, subset):
                if f.rule in subset:
                    findings.append(f)
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 (one failing family must not stop the run)
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            for rid in subset:
                # a skipped rule never marks stored errors fixed (results are incomplete)
                ctx.skip(rid, "规则运行出错，结果不完整：%s" % detail)
            outer.log("%s 运行出错：%s\n%s" % ("、".join(subset), detail, traceback.format_exc()))
        finally:
            ctx.feedback = outer
        ctx.timings[fam.__name__] = time.perf_counter() - t0
        ctx.feedback.progress(100.0 * (i + 1) / n)
    findings.sort(key=Finding.sort_key)
    finished = _dt.datetime.now()
    counts: Dict[str, Dict[str, int]] = {}
    for f in findings:
        c = counts.setdefault(f.rule, {"E": 0, "W": 0})
        c[f.severity] += 1
    try:
        operator = getpass.getuser()
    except Exception:  # noqa: BLE001 (no login name on some systems)
        operator = ""
    run = {
        "run_id": str(uuid.uuid4()),
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "operator": operator,
        "plugin_version": PLUGIN_VERSION,
        "catalogue_version": catalogue.CATALOGUE_VERSION,
        "scope": ",".join(ctx.scope) if ctx.scope else "全镇",
        "data_source": data_source,
        "crs": "EPSG:%s" % (ctx.db.epsg("DK") if ctx.db is not None and ctx.db.has("DK") else ""),
        "parameters": dict(ctx.params),
        "rules_run": wanted,
        "rules_skipped": dict(ctx.skipped),
        "counts": counts,
        "notes": list(ctx.notes),
        "timings": {k: round(v, 3) for k, v in ctx.timings.items()},
    }
    return CheckResult(findings, run)


def run_json(run: Dict) -> Dict[str, str]:
    """Run metadata flattened for the qq_check_run table."""
    return {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
            for k, v in run.items() if k not in ("notes", "timings")}
