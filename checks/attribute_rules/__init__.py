"""A01–A17: attributes, codes and identities (checks.md §7 A).

One registered family runs the wanted rules in ID order over the shared
OwnershipData of the run. Precedence (§6): empty ID numbers are A08 (A01 skips
ID fields); 四至 is A13 (A01 never checks it); A05 skips codes failing A04.
"""
import time

from ..registry import register
from . import codes, dates, identity, plots, values, whitespace
from .emitter import Emitter
from .tables import OwnershipData, gc_paused

# rule -> (callable(data, em, wanted), rules it emits)
_STEPS = (
    (("A01",), lambda d, e, w: values.a01(d, e)),
    (("A02",), lambda d, e, w: values.a02(d, e)),
    (("A03",), lambda d, e, w: values.a03(d, e)),
    (("A04",), lambda d, e, w: codes.a04(d, e)),
    (("A05",), lambda d, e, w: codes.a05(d, e)),
    (("A06",), lambda d, e, w: codes.a06(d, e)),
    (("A07", "A16"), identity.a07_a16),
    (("A08",), lambda d, e, w: identity.a08(d, e)),
    (("A09",), lambda d, e, w: identity.a09(d, e)),
    (("A10",), lambda d, e, w: identity.a10(d, e)),
    (("A11", "A12"), identity.a11_a12),
    (("A13",), lambda d, e, w: plots.a13(d, e)),
    (("A14",), lambda d, e, w: dates.a14(d, e)),
    (("A15",), lambda d, e, w: whitespace.a15(d, e)),
    (("A17",), lambda d, e, w: values.a17(d, e)),
)


@register
class AttributeRules:
    ids = ("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10",
           "A11", "A12", "A13", "A14", "A15", "A16", "A17")

    def run(self, ctx, wanted):
        if ctx.db is None:
            return []
        wanted = set(wanted)
        with gc_paused():
            data = OwnershipData.of(ctx)
            em = Emitter(ctx)
            steps = [s for s in _STEPS if wanted & set(s[0])]
            for i, (rules, step) in enumerate(steps):
                ctx.feedback.check()
                t0 = time.perf_counter()
                step(data, em, wanted)
                ctx.timings["/".join(rules)] = time.perf_counter() - t0
                ctx.feedback.progress(100.0 * (i + 1) / max(1, len(steps)))
            return em.finish()
