"""T01–T16 on the demo township: silent on the clean one, every manifest T defect caught,
every look-alike left alone, nothing reported that the manifest does not explain."""
import pytest

T_ALL = ["T%02d" % i for i in range(1, 17)]


def _run(path):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        return run_checks(CheckContext(db), T_ALL)


def _involves(f, keys):
    return f.key in keys or any(r in keys for r in f.related)


def test_clean_demo_has_no_topology_error(demo_db):
    result = _run(demo_db)
    errors = [f for f in result.findings if f.severity == "E"]
    assert errors == [], [(f.rule, f.key, f.message) for f in errors[:5]]
    assert not result.run["rules_skipped"]          # regions, JZD and JZX are all there


@pytest.fixture(scope="module")
def defect_run(defect_db):
    path, manifest = defect_db
    return _run(path), [m for m in manifest if m["rule"].startswith("T")], manifest


def test_every_manifest_t_defect_is_caught(defect_run):
    result, entries, _ = defect_run
    must = [m for m in entries if not m.get("lookalike")]
    assert must, "the manifest has no T defects"
    missed = [m for m in must
              if not any(f.rule == m["rule"] and _involves(f, set(m["keys"])) for f in result.findings)]
    assert missed == []
    assert {m["rule"] for m in must} >= {"T%02d" % i for i in range(1, 17)}


def test_no_lookalike_is_flagged(defect_run):
    result, entries, _ = defect_run
    flagged = [(m["rule"], m["keys"]) for m in entries if m.get("lookalike")
               for f in result.findings if f.rule == m["rule"] and _involves(f, set(m["keys"]))]
    assert flagged == []


def test_nothing_unexplained_is_reported(defect_run):
    result, _, manifest = defect_run
    explained = {}
    for m in manifest:
        explained.setdefault(m["rule"], set()).update(m.get("keys", []))
        explained.setdefault(m["rule"], set()).update(m.get("related", []))
        for rule, keys in (m.get("also_keys") or {}).items():
            explained.setdefault(rule, set()).update(keys)
    extra = [(f.rule, f.key, f.message) for f in result.findings
             if not _involves(f, explained.get(f.rule, set()))]
    assert extra == []


def test_defect_results_are_reproducible(defect_db, defect_run):
    result, _, _ = defect_run
    again = _run(defect_db[0])
    assert [f.fingerprint for f in again.findings] == [f.fingerprint for f in result.findings]
