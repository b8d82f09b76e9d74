"""Later rule families computed ahead in one worker thread (the second core).

The engine runs the families one after another, but once the plots are loaded
the vertex rules (T09–T12) and the region rules (T13a, T14, T15) need nothing the
overlap and gap families compute, nor do the allowed-feature masks. They are
started in a worker thread while the main thread builds the arrangement and cuts
the masks (GEOS and numpy release the GIL for most of that work). When the engine
reaches such a family it waits for the worker's findings instead of computing
them; a value (the masks, buffered while the plots are read) is waited for where
it is read (value()).

Results stay those of a sequential run: the database is only read in the main
thread (an sqlite connection belongs to its thread), every shared cache entry the
family reads is filled before it starts, and its notes, skips and log lines are
recorded and replayed when the engine asks for the family (their order is kept).
"""
import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional

from .geomops import threads

MIN_PLOTS = 20000     # below this the thread is not worth starting
_KEY = "topo:prefetch"


class _Feedback:
    """Progress belongs to the family the engine is running: the worker's is dropped;
    cancellation still stops it."""

    def __init__(self, outer, logs: List[str]):
        self._outer = outer
        self._logs = logs

    def progress(self, pct):
        pass

    def canceled(self) -> bool:
        return self._outer.canceled()

    def check(self):
        self._outer.check()

    def log(self, text):
        self._logs.append(text)

    def scaled(self, base, span):
        return self


class _WorkerContext:
    """The check context as a family in the worker sees it: shared caches and
    parameters, its own notes, skips and feedback."""

    def __init__(self, ctx):
        self._ctx = ctx
        self.notes: List[str] = []
        self.skips: List[tuple] = []
        self.logs: List[str] = []
        self.feedback = _Feedback(ctx.feedback, self.logs)
        self.in_worker = True

    def skip(self, rule, reason):
        self.skips.append((rule, reason))

    def __getattr__(self, name):
        return getattr(self._ctx, name)


def _families():
    from .gaps import PlotGapRules
    from .regions import RegionRules
    from .vertices import VertexRules
    return (RegionRules, VertexRules, PlotGapRules)


def _subset(ctx, fam) -> List[str]:
    rules = getattr(ctx, "rules_run", None) or []
    return [r for r in fam.ids if r in rules]


def _eligible(ctx, n_plots) -> bool:
    return (not getattr(ctx, "in_worker", False) and threads() >= 2
            and n_plots >= MIN_PLOTS and bool(getattr(ctx, "rules_run", None)))


def early(ctx) -> None:
    """Before the plots are read: start the worker with the allowed-feature masks
    (read here, buffered there) when the gap family runs on a large township."""
    if _KEY in ctx.cache:
        return
    ps = ctx.cache.get("plots")
    span = ctx.db.fid_range("DK") if ps is None and ctx.db is not None else None
    n = len(ps) if ps is not None else (span[1] - span[0] + 1 if span else 0)
    if not _eligible(ctx, n):
        return
    pending: Dict[str, tuple] = {}
    ctx.cache[_KEY] = pending
    pool = ThreadPoolExecutor(1, thread_name_prefix="quequan-prefetch")
    pending["_pool"] = (None, pool)
    from .common import params
    if _subset(ctx, _families()[2]):
        from .layers import allowed_masks, read_layer, xzdw_strips
        from .masks import grown_masks
        gap_width = params(ctx)["gap_width"]
        read_layer(ctx, "MZDW", ("DWMC",))
        xzdw_strips(ctx, gap_width)
        pending["topo:masks"] = (None, pool.submit(
            lambda: allowed_masks(_WorkerContext(ctx), gap_width)))
        # grown for the 'face inside one mask' test, while the plots are still read
        pending["topo:masks:grown"] = (None, pool.submit(lambda: ctx.cached(
            "topo:masks:grown", lambda: grown_masks(allowed_masks(_WorkerContext(ctx), gap_width)))))
    if "T16" in (getattr(ctx, "rules_run", None) or []):
        _read_boundary_points(ctx, pending)
    if "T15" in _subset(ctx, _families()[0]):
        # region nesting needs the regions only: done while the plots are read
        from .region_nesting import nesting_findings
        _read_regions(ctx)
        p = params(ctx)
        pending["topo:t15"] = (None, pool.submit(_record, ctx, lambda w: nesting_findings(w, p)))


def _read_boundary_points(ctx, pending) -> None:
    """JZD and JZX read in a thread with its own connection: SQLite builds each column
    as one string without holding the GIL, so this overlaps the plots' reading."""
    from ...core import column_reader
    from .jz_tables import plans as jz_plans
    db = ctx.db
    plans = [(k, p) for k, p in jz_plans(db).items() if p is not None]
    path = getattr(db, "path", None)
    if not plans or not path or not os.path.exists(path):
        return

    def read():
        threading.current_thread().name = "quequan-prefetch-jz"
        try:
            conn = column_reader.connect_readonly(path)
        except sqlite3.Error:
            return                # the family reads it itself, on the main connection
        try:
            for key, plan in plans:
                try:
                    ctx.cache[key] = column_reader.decode(plan, column_reader.fetch(conn, plan))
                except (ValueError, sqlite3.Error):
                    pass          # the family reads it itself (row fetches)
        finally:
            conn.close()
    pool = ThreadPoolExecutor(1, thread_name_prefix="quequan-prefetch-jz")
    future = pool.submit(read)
    pool.shutdown(wait=False)
    for key, _ in plans:
        pending[key] = (None, future)


def start(ctx, tp) -> None:
    """Once the plots are loaded (tp None if that failed): the region family goes to the
    worker at once, the vertex tables are built here meanwhile (the arrangement needs
    them next), then the vertex family follows the regions in the worker."""
    pending = ctx.cache.get(_KEY)
    if not pending or "_pool" not in pending:
        return
    pool = pending.pop("_pool")[1]
    try:
        if tp is None or not _eligible(ctx, len(tp)):
            return
        from .vertices import vertex_tables
        regions_cls, vertices_cls, _ = _families()
        sub = _subset(ctx, regions_cls)
        if sub:
            _read_regions(ctx)
            pending[regions_cls.__name__] = (sub, pool.submit(_run, ctx, regions_cls, sub))
        sub = _subset(ctx, vertices_cls)
        if sub:
            vertex_tables(ctx, tp)
            pending[vertices_cls.__name__] = (sub, pool.submit(_run, ctx, vertices_cls, sub))
        jz = pending.get("topo:jz:JZD")
        if "T16" in ctx.rules_run and jz is not None:
            from .boundary import BoundaryPointRules
            vertex_tables(ctx, tp)
            keys = [k for k in pending if k.startswith("topo:jz:")]
            pending[BoundaryPointRules.__name__] = (["T16"], pool.submit(
                _run_when_read, ctx, BoundaryPointRules, jz[1], keys))
    finally:
        pool.shutdown(wait=False)


def value(ctx, key, factory):
    """ctx.cached(key, factory), waiting for the worker when it computes that key."""
    pending = None if getattr(ctx, "in_worker", False) else ctx.cache.get(_KEY)
    entry = pending.pop(key, None) if pending else None
    if entry is not None:
        entry[1].result()              # its exception, if any, is the caller's now
    return ctx.cached(key, factory)


def _read_regions(ctx):
    """Everything the region family reads from the database, read here."""
    from .layers import regions
    for code in ("CJQY", "ZJQY", "XJQY"):
        regions(ctx, code)


def _run(ctx, fam, subset):
    threading.current_thread().name = "quequan-prefetch-" + fam.__name__
    return _record(ctx, lambda w: fam().compute(w, subset))


def _run_when_read(ctx, fam, reading, keys):
    """T16 once its layers are read (None, so that the engine runs it, when a layer
    could not be read ahead)."""
    reading.result()
    if not all(k in ctx.cache for k in keys):
        return None
    return _run(ctx, fam, ["T16"])


def _record(ctx, fn):
    """fn(worker context) with what it reports: (findings, notes, skips, logs)."""
    from .common import gc_paused
    return gc_paused(_record_now)(ctx, fn)


def _record_now(ctx, fn):
    wctx = _WorkerContext(ctx)
    findings = list(fn(wctx))
    return findings, wctx.notes, wctx.skips, wctx.logs


def _replay(ctx, result):
    findings, notes, skips, logs = result
    ctx.notes.extend(notes)
    for rule, reason in skips:
        ctx.skip(rule, reason)
    for text in logs:
        ctx.feedback.log(text)
    return findings


def recorded(ctx, key, fn) -> list:
    """fn(ctx)'s findings, or those the worker computed ahead under key with their notes,
    skips and logs replayed here (also inside a family the worker runs)."""
    pending = ctx.cache.get(_KEY)
    entry = pending.pop(key, None) if pending else None
    if entry is None:
        return list(fn(ctx))
    return _replay(ctx, entry[1].result())


def take(ctx, fam, wanted) -> Optional[list]:
    """The family's findings computed ahead (notes, skips and logs replayed), or None
    when it was not started, or is still queued behind other work of the worker (then
    the caller, otherwise idle, computes it)."""
    if getattr(ctx, "in_worker", False):
        return None
    pending = ctx.cache.get(_KEY)
    entry = pending.pop(type(fam).__name__, None) if pending else None
    if entry is None:
        return None
    subset, future = entry
    if future.cancel():              # the worker has not begun it: this thread is free now
        return None
    result = future.result()
    if result is None or list(wanted) != subset:   # not done there, or not what the
        return None                                # engine asks for: compute here
    return _replay(ctx, result)
