"""Score the self-check's T findings on the foreign township against the manifest.

    python -m tests.foreign.score [--seed N] [--nx 60 --ny 30] [--out DIR] [--inprocess]

builds the township, injects the defects, runs ``qgis_process.bin run quequan:selfcheck``
(profile build/qgis-config) once with RULES=T01,...,T16 and once with no RULES, reads
the "errors" layer and prints per rule: expected, found, true positives, false
negatives, false positives (with message), recall and precision, and the overall T
recall and precision. Matching: same rule and key (related keys contained); for pair
rules key and related may be swapped; for T05/T06 and T13 slivers (manifest "gap") the
bordering plot sets must nest.
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
T_RULES = ["T%02d" % i for i in range(1, 17)]
PAIR_RULES = {"T04", "T07", "T11", "T12", "T13", "T15"}
GROUP_RULES = {"T05", "T06"}
KEY_ONLY = {"T14", "T16"}


def _split(related):
    if isinstance(related, (list, tuple)):
        return [str(r) for r in related]
    return [r for r in (related or "").split(",") if r]


def matches(exp, f):
    if exp["rule"] != f["rule"]:
        return False
    key, rel = exp["key"], set(exp["related"])
    fkey, frel = str(f["key"]), set(_split(f["related"]))
    if exp["rule"] in GROUP_RULES or exp.get("gap"):
        eset, fset = {key} | rel, {fkey} | frel
        return eset <= fset or fset <= eset
    keys = {key} | set(exp.get("alt_keys", ()))
    if exp["rule"] in KEY_ONLY or not rel:
        return fkey in keys
    if fkey in keys and rel <= frel:
        return True
    return exp["rule"] in PAIR_RULES and {key} | rel == {fkey} | frel


def score(manifest, findings, rules=T_RULES):
    """Per rule: dict(expected, found, tp, fn, fp, recall, precision); plus 'ALL'."""
    out = {}
    tot = {"expected": 0, "found": 0, "tp": 0, "fp": 0, "fn": 0}
    look = [m for m in manifest if m["kind"] == "lookalike"]
    for rule in rules:
        exp = [m for m in manifest if m["rule"] == rule and m["kind"] == "defect"]
        found = [f for f in findings if f["rule"] == rule]
        hit = [e for e in exp if any(matches(e, f) for f in found)]
        fn = [e for e in exp if e not in hit]
        fp = [f for f in found if not any(matches(e, f) for e in exp)]
        for f in fp:
            f["lookalike"] = next((m["what"] for m in look if matches(m, f)), "")
        good = len(found) - len(fp)
        out[rule] = {"expected": len(exp), "found": len(found), "tp": len(hit), "fn": fn, "fp": fp,
                     "recall": len(hit) / len(exp) if exp else 1.0,
                     "precision": good / len(found) if found else 1.0}
        tot["expected"] += len(exp)
        tot["found"] += len(found)
        tot["tp"] += len(hit)
        tot["fp"] += len(fp)
        tot["fn"] += len(fn)
    tot["recall"] = tot["tp"] / tot["expected"] if tot["expected"] else 1.0
    tot["precision"] = (tot["found"] - tot["fp"]) / tot["found"] if tot["found"] else 1.0
    out["ALL"] = tot
    return out


def report(result, title=""):
    lines = [title, "%-4s %4s %5s %4s %4s %4s %7s %9s" % ("rule", "exp", "found", "tp", "fn", "fp",
                                                           "recall", "precision")]
    for rule in T_RULES:
        r = result[rule]
        lines.append("%-4s %4d %5d %4d %4d %4d %7.3f %9.3f" % (rule, r["expected"], r["found"], r["tp"],
                                                               len(r["fn"]), len(r["fp"]), r["recall"],
                                                               r["precision"]))
        for e in r["fn"]:
            lines.append("      FN %s %s %s  (%s)" % (e["rule"], e["key"], ",".join(e["related"]), e["what"]))
        for f in r["fp"]:
            tag = "  [look-alike: %s]" % f["lookalike"] if f.get("lookalike") else ""
            lines.append("      FP %s %s %s  %s%s" % (f["rule"], f["key"], f["related"], f["message"], tag))
    a = result["ALL"]
    lines.append("ALL  %4d %5d %4d %4d %4d %7.3f %9.3f" % (a["expected"], a["found"], a["tp"], a["fn"],
                                                          a["fp"], a["recall"], a["precision"]))
    return "\n".join(lines)


def run_qgis_process(db, out, rules=None, config=None):
    exe = "qgis_process.bin"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               QGIS_CUSTOM_CONFIG_PATH=config or os.path.join(ROOT, "build", "qgis-config"))
    args = [exe, "run", "quequan:selfcheck", "--", "DATABASE=" + db, "OUTPUT=" + out]
    if rules:
        args.append("RULES=" + ",".join(rules))
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=1200)
    if proc.returncode != 0:
        raise RuntimeError("qgis_process failed:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-3000:]))
    return read_errors(out)


def read_errors(path):
    from osgeo import ogr
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName("errors")
    out = [{k: feat.GetField(k) for k in ("rule", "severity", "layer", "key", "related", "message")}
           for feat in lyr]
    ds = None
    return out


def run_in_process(db, rules=T_RULES):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(db) as tdb:
        res = run_checks(CheckContext(tdb), list(rules))
    return [{"rule": f.rule, "severity": f.severity, "layer": f.layer, "key": str(f.key),
             "related": list(f.related), "message": f.message} for f in res.findings]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--nx", type=int, default=60)
    ap.add_argument("--ny", type=int, default=30)
    ap.add_argument("--out", default=None, help="folder for the GeoPackages and the manifest")
    ap.add_argument("--inprocess", action="store_true", help="run_checks in this process instead")
    ap.add_argument("--noise", type=float, default=0.0,
                    help="move each plot's vertex copies up to this many metres per axis")
    args = ap.parse_args(argv)
    pkg = os.path.join(ROOT, "build", "pkg")
    if pkg not in sys.path:
        sys.path.insert(0, pkg)
    from .inject import build_foreign
    out = args.out or tempfile.mkdtemp(prefix="foreign_")
    os.makedirs(out, exist_ok=True)
    db = os.path.join(out, "foreign.gpkg")
    manifest, tw = build_foreign(db, args.seed, args.nx, args.ny, os.path.join(out, "manifest.json"),
                                 noise=args.noise)
    n_plots = sum(1 for p in tw.plots if p.kind != "gone")
    print("foreign township: %s (%d plots), manifest: %d defects, %d look-alikes"
          % (db, n_plots, sum(m["kind"] == "defect" for m in manifest),
             sum(m["kind"] == "lookalike" for m in manifest)))
    results = []
    if args.inprocess:
        results.append(("in-process run_checks, T01-T16", run_in_process(db)))
    else:
        results.append(("qgis_process selfcheck RULES=T01..T16",
                        run_qgis_process(db, os.path.join(out, "errors_t.gpkg"), T_RULES)))
        results.append(("qgis_process selfcheck, all rules (T scored)",
                        run_qgis_process(db, os.path.join(out, "errors_all.gpkg"))))
    ok = True
    for title, findings in results:
        res = score(manifest, findings)
        print(report(res, "\n== " + title))
        ok &= res["ALL"]["recall"] >= 0.95 and res["ALL"]["precision"] >= 0.95
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
