"""The region and vertex families computed ahead in a worker thread give exactly the
results, notes and skips of a sequential run (checks/topology/prefetch.py)."""
import pytest

T_ALL = ["T%02d" % i for i in range(1, 17)]


def _run(path, rules, prefetch_min, monkeypatch):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.checks.topology import prefetch
    from quequan.core.township_db import TownshipDB
    monkeypatch.setattr(prefetch, "MIN_PLOTS", prefetch_min)
    monkeypatch.setenv("QUEQUAN_THREADS", "2")
    with TownshipDB(path) as db:
        ctx = CheckContext(db)
        result = run_checks(ctx, rules)
    return result, ctx


def _view(result):
    return ([(f.rule, f.key, f.related, f.message, sorted(f.values.items()),
              None if f.geom is None else f.geom.wkb) for f in result.findings],
            result.run["notes"], result.run["rules_skipped"])


@pytest.mark.parametrize("rules", [T_ALL, ["T09", "T12", "T14"], ["T15"], ["T04", "T05"], ["T16"]])
def test_prefetched_run_equals_sequential_run(defect_db, monkeypatch, rules):
    path, _ = defect_db
    sequential, ctx0 = _run(path, rules, 10 ** 9, monkeypatch)
    ahead, ctx1 = _run(path, rules, 0, monkeypatch)
    assert "topo:prefetch" not in ctx0.cache
    assert _view(ahead) == _view(sequential)
    assert ("topo:prefetch" in ctx1.cache) != (rules == ["T15"])  # T15 alone reads no plots
    started = ctx1.cache.get("topo:prefetch", {})
    # every family started ahead was taken by the engine (values may stay unread)
    assert [k for k in started if not k.startswith("topo:")] == []
    assert sequential.findings or rules == ["T15"]


def test_worker_failure_is_reported_like_a_sequential_one(defect_db, monkeypatch):
    from quequan.checks.topology import regions
    path, _ = defect_db

    def broken(self, ctx, wanted):
        raise RuntimeError("boom")
    monkeypatch.setattr(regions.RegionRules, "compute", broken)
    result, _ = _run(path, T_ALL, 0, monkeypatch)
    skipped = result.run["rules_skipped"]
    assert "boom" in skipped["T14"] and "boom" in skipped["T15"]
    assert any(f.rule == "T12" for f in result.findings)    # the other families ran


def test_cancel_stops_the_worker_too(defect_db, monkeypatch):
    from quequan.checks.context import Cancelled, CheckContext, Feedback
    from quequan.checks.engine import run_checks
    from quequan.checks.topology import prefetch
    from quequan.core.township_db import TownshipDB
    path, _ = defect_db
    monkeypatch.setattr(prefetch, "MIN_PLOTS", 0)
    monkeypatch.setenv("QUEQUAN_THREADS", "2")
    calls = {"n": 0}

    def canceled():
        calls["n"] += 1
        return calls["n"] > 3
    with TownshipDB(path) as db, pytest.raises(Cancelled):
        run_checks(CheckContext(db, feedback=Feedback(is_canceled=canceled)), T_ALL)


def test_prefilled_plots_without_database_run_ahead_too(defect_db, monkeypatch):
    """What quequan:checktopology does: plots put into the context, no database."""
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.checks.plots import PlotSet
    from quequan.checks.topology import prefetch
    from quequan.core.township_db import TownshipDB
    path, _ = defect_db
    with TownshipDB(path) as db:
        rows, wkbs = db.read_geometries("DK", ("DKBM",))
    rules = ["T%02d" % i for i in range(1, 14)]

    def run(prefetch_min):
        monkeypatch.setattr(prefetch, "MIN_PLOTS", prefetch_min)
        ctx = CheckContext(None)
        ctx.cache["plots"] = PlotSet.from_wkb([r["FID"] for r in rows], [r["DKBM"] for r in rows],
                                              wkbs)
        return run_checks(ctx, rules), ctx
    monkeypatch.setenv("QUEQUAN_THREADS", "2")
    sequential, _ = run(10 ** 9)
    ahead, ctx = run(0)
    assert "topo:prefetch" in ctx.cache
    assert _view(ahead) == _view(sequential)
    assert any(f.rule == "T12" for f in ahead.findings)
