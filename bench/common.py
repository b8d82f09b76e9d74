"""Set-up shared by the benchmarks: the quequan package importable, a township to run on
(given, generated or synthesised; kept for the next run when asked), timing and peak memory.

    import common                         # first: makes `import quequan` work
    make = common.demo_maker(plots, seed)  # or any make(path)
    with common.township(make, args.db, prefix="qq_bench_x_") as path:
        out = common.timed("step", lambda: work(path), results)
    common.print_peak_memory()
"""
import contextlib
import os
import resource
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PKG = os.path.join(ROOT, "build", "pkg")


def use_package():
    """The repository as the package `quequan` (build/pkg/quequan -> repository root); the
    root itself off sys.path, or its processing/ folder would shadow QGIS's processing."""
    if not os.path.exists(os.path.join(PKG, "quequan")):
        os.makedirs(PKG, exist_ok=True)
        try:
            os.symlink(ROOT, os.path.join(PKG, "quequan"))
        except FileExistsError:
            pass
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != ROOT]
    if PKG not in sys.path:
        sys.path.insert(0, PKG)


use_package()


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def print_peak_memory(label: str = "peak RSS"):
    print("%s %.0f MB" % (label, peak_rss_mb()), flush=True)


def timed(label: str, fn, results=None, quiet: bool = False):
    """Run fn, print '<label>  <seconds> s' (unless quiet), append (label, seconds) to results."""
    t = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t
    if results is not None:
        results.append((label, dt))
    if not quiet:
        print("%-44s %8.2f s" % (label, dt), flush=True)
    return out


def demo_maker(plots: int, seed: int, **kw):
    """make(path) writing the demo township (core.demo.generate) of that size and seed."""
    def make(path):
        from quequan.core.demo.generate import generate_township
        generate_township(path, plots=plots, seed=seed, **kw)
    make.what = "core.demo.generate, %d plots, seed %d" % (plots, seed)
    return make


@contextlib.contextmanager
def township(make, db=None, copy: bool = False, keep: bool = False, prefix: str = "qq_bench_"):
    """Yield the path of the township to benchmark. db given: that file (a copy in a temporary
    folder when copy, so it is never modified); made by make(db) first when it does not exist
    yet, so that the next run reuses it. No db: made by make(path) in a temporary folder,
    removed afterwards unless keep. Making it is printed with its time, never counted."""
    work = None
    if db and not os.path.exists(db):
        _make(make, db)
    if db and copy:
        work = tempfile.mkdtemp(prefix=prefix)
        path = shutil.copy(db, os.path.join(work, "township.gpkg"))
        print("township: copy of %s" % db, flush=True)
    elif db:
        path = db
        print("township: %s" % path, flush=True)
    else:
        work = tempfile.mkdtemp(prefix=prefix)
        path = os.path.join(work, "township.gpkg")
        _make(make, path)
    try:
        yield path
    finally:
        if work and keep:
            print("kept %s" % work)
        elif work:
            shutil.rmtree(work, ignore_errors=True)


def _make(make, path):
    t = time.perf_counter()
    make(path)
    print("township: %s (%s) made in %.1f s, not timed" % (
        path, getattr(make, "what", "synthesised"), time.perf_counter() - t), flush=True)
