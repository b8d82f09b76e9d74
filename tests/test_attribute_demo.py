"""The A, X and C rules on the demo townships: a clean one has no error, and every
A/X/C defect of the injected manifest is found (lookalikes are not)."""
import importlib.util
import re

import pytest

AXC = ["A%02d" % i for i in range(1, 18)] + ["X%02d" % i for i in range(1, 6)] + \
    ["C01", "C02", "C03"]


def _run(path):
    from quequan.checks.context import CheckContext
    from quequan.checks.engine import run_checks
    from quequan.core.township_db import TownshipDB
    with TownshipDB(path) as db:
        return run_checks(CheckContext(db), AXC)


def _names(f, key) -> bool:
    """The record names the object: its key, a related key, or the code standing alone
    in the message."""
    key = str(key)
    return (f.key == key or any(r == key or str(r).startswith(key + " ") for r in f.related)
            or re.search(r"(?<![0-9A-Za-z])%s(?![0-9A-Za-z])" % re.escape(key), f.message))


def test_clean_demo_has_no_axc_error(demo_db):
    result = _run(demo_db)
    errors = [f for f in result.findings if f.severity == "E"]
    assert errors == [], [f.message for f in errors[:10]]
    assert "C01" not in result.run["rules_skipped"]          # the demo writes qq_admin_unit


def test_every_axc_defect_of_the_manifest_is_found(request):
    if importlib.util.find_spec("quequan.core.demo.defects_tables") is None:
        pytest.skip("core.demo defect injection (defects_tables) not installed yet")
    path, manifest = request.getfixturevalue("defect_db")
    result = _run(path)
    entries = [e for e in manifest if str(e.get("rule", ""))[:1] in "AXC" and e["rule"] in AXC]
    assert entries
    missed, false = [], []
    for e in entries:
        hits = [f for f in result.by_rule(e["rule"]) if any(_names(f, k) for k in e["keys"])]
        if e.get("lookalike"):
            if hits:
                false.append((e, hits[0].message))
        elif not hits:
            missed.append(e)
    assert not missed, missed[:10]
    assert not false, false[:10]
