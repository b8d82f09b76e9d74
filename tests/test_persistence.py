"""Check runs in qq_check_run / qq_error / qq_error_run and the error states of checks.md §4."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import attr_helpers as h  # noqa: E402

from quequan.checks import persistence  # noqa: E402
from quequan.checks.engine import CheckResult  # noqa: E402
from quequan.checks.finding import Finding  # noqa: E402
from quequan.core.township_db import TownshipDB  # noqa: E402

G1, G2 = h.G1, h.G2
RULES = ["A01", "A13", "A15", "X02"]


def _defects(data, geoms):
    h.find(data, "DK", DKBM=G1 + "00001").update(DKNZ=None, DKBZ=None)          # A13
    h.find(data, "DK", DKBM=G1 + "00002")["DKMC"] = "东洼地 "                    # A15
    h.find(data, "DK", DKBM=G2 + "00001")["DKMC"] = "南 坡"                      # A15
    h.add_plot(data, geoms, G2 + "00050")                                        # X02


def check(path, rules=RULES, scope=None):
    result = h.run(path, rules, scope=scope)
    with TownshipDB(path) as db:
        summary = persistence.store_run(db, result)
    return result, summary


def update(path, table, key_field, key, **values):
    with TownshipDB(path) as db:
        db.update(table, key_field, key, values)


def errors(path, states=None):
    with TownshipDB(path) as db:
        return {(r["rule"], r["key"]): r for r in persistence.current_errors(db, states=states)}


@pytest.fixture
def path(tmp_path):
    return h.build(str(tmp_path / "p.gpkg"), _defects)


def test_first_run_opens_every_finding(path):
    result, summary = check(path)
    assert summary["new"] == len(result.findings) == 4 and summary["fixed"] == 0
    stored = errors(path)
    assert set(stored) == {("A13", G1 + "00001"), ("A15", G1 + "00002"), ("A15", G2 + "00001"),
                           ("X02", G2 + "00050")}
    row = stored[("X02", G2 + "00050")]
    assert row["state"] == "open" and row["first_run"] == row["last_run"] == summary["run_id"]
    assert row["geom_wkt"].startswith("POINT") and row["list"] == "缺失清单"
    assert row["severity"] == "E" and row["unit_code"] == G2
    with TownshipDB(path) as db:
        run = persistence.runs(db)[0]
        assert run["run_id"] == summary["run_id"] and "A13" in run["rules_run"]
        assert '"AREA_TOL"' in run["parameters"]


def test_fix_accept_and_new_defect_across_two_runs(path):
    _r, first = check(path)
    stored = errors(path)
    with TownshipDB(path) as db:
        acc = persistence.accept(db, stored[("A15", G2 + "00001")]["fingerprint"],
                                 "地名如此（南 坡为村民习惯写法）", "审核员甲")
    assert acc["state"] == "accepted" and acc["state_by"] == "审核员甲" and acc["state_at"]
    update(path, "DK", "DKBM", G1 + "00001", DKNZ="李四", DKBZ="林带")   # fix A13
    update(path, "DK", "DKBM", G2 + "00002", DKMC="")                      # new A01
    _r, second = check(path)
    assert (second["new"], second["fixed"], second["still"]) == (1, 1, 3)
    assert second["accepted"] == 1
    now = errors(path)
    assert now[("A13", G1 + "00001")]["state"] == "fixed"
    assert now[("A15", G2 + "00001")]["state"] == "accepted"
    assert now[("A01", G2 + "00002")]["state"] == "open"
    assert now[("A15", G1 + "00002")]["first_run"] == first["run_id"]
    assert now[("A15", G1 + "00002")]["last_run"] == second["run_id"]
    with TownshipDB(path) as db:
        cmp = persistence.compare_with_previous(db, second["run_id"])
        assert cmp == {h.VILLAGE: {"新增": 1, "已修正": 1, "仍存在": 3}}
        assert persistence.compare_with_previous(db) == cmp            # latest run by default
        first_cmp = persistence.compare_with_previous(db, first["run_id"])
        assert first_cmp[h.VILLAGE]["新增"] == 4
        assert [r["state"] for r in persistence.current_errors(db)] == ["open"] * 3


def test_fixed_error_reopens_when_found_again(path):
    check(path)
    update(path, "DK", "DKBM", G1 + "00001", DKNZ="李四", DKBZ="林带")
    check(path)
    assert errors(path)[("A13", G1 + "00001")]["state"] == "fixed"
    update(path, "DK", "DKBM", G1 + "00001", DKNZ=None, DKBZ=None)
    _r, third = check(path)
    assert third["reopened"] == 1 and third["new"] == 0
    assert errors(path)[("A13", G1 + "00001")]["state"] == "open"
    with TownshipDB(path) as db:
        assert persistence.compare_with_previous(db)[h.VILLAGE]["新增"] == 1


def test_accepted_error_reopens_when_the_object_changes(path):
    check(path)
    fp = errors(path)[("A15", G1 + "00002")]["fingerprint"]
    with TownshipDB(path) as db:
        persistence.accept(db, fp, "原始台账写法", "审核员乙")
    check(path)
    assert errors(path)[("A15", G1 + "00002")]["state"] == "accepted"        # unchanged
    update(path, "DK", "DKBM", G1 + "00002", DKMC=" 东洼地")                  # other whitespace
    _r, summary = check(path)
    row = errors(path)[("A15", G1 + "00002")]
    assert row["state"] == "open" and row["reason"] is None
    assert summary["reopened_changed"] == 1
    with TownshipDB(path) as db:
        audit = db.read("qq_audit", ["ACTION", "KEY"])
    assert [a["ACTION"] for a in audit if a["KEY"] == fp] == ["error_accepted", "error_reopened"]


def test_reopen_withdraws_the_reason(path):
    check(path)
    fp = errors(path)[("X02", G2 + "00050")]["fingerprint"]
    with TownshipDB(path) as db:
        persistence.accept(db, fp, "机动地待定", "审核员甲")
        row = persistence.reopen(db, fp, "审核员甲")
    assert row["state"] == "open" and row["reason"] is None
    with TownshipDB(path) as db, pytest.raises(ValueError, match="理由"):
        persistence.accept(db, fp, "  ", "审核员甲")


def test_scope_and_rule_subset_do_not_fix_unchecked_errors(path):
    check(path)
    update(path, "DK", "DKBM", G1 + "00001", DKNZ="李四", DKBZ="林带")
    _r, s = check(path, scope=[G2])                  # group 01 not checked: A13 stays open
    assert s["fixed"] == 0
    assert errors(path)[("A13", G1 + "00001")]["state"] == "open"
    assert errors(path)[("A15", G1 + "00002")]["state"] == "open"
    _r, s = check(path, rules=["X02"])               # A13 not run: stays open
    assert s["fixed"] == 0
    _r, s = check(path, rules=["A13"])
    assert s["fixed"] == 1 and errors(path)[("X02", G2 + "00050")]["state"] == "open"


def test_structure_errors_cannot_be_accepted(path):
    f = Finding("S01", "JZX", "JZX", "缺少必选图层 JZX（界址线）", key_field="名称")
    result = CheckResult([f], {"run_id": "r-s01", "finished": "2026-11-30T08:00:00",
                               "rules_run": ["S01"], "rules_skipped": {}, "scope": "全镇"})
    with TownshipDB(path) as db:
        persistence.store_run(db, result)
        with pytest.raises(ValueError, match="不能接受"):
            persistence.accept(db, f.fingerprint, "暂不处理", "审核员甲")
        row = persistence.current_errors(db, rules=["S01"])[0]
    assert row["state"] == "open" and row["unit_code"] == ""


def test_unknown_error_and_fixed_error(path):
    check(path)
    update(path, "DK", "DKBM", G1 + "00001", DKNZ="李四", DKBZ="林带")
    check(path)
    fp = errors(path)[("A13", G1 + "00001")]["fingerprint"]
    with TownshipDB(path) as db:
        with pytest.raises(ValueError, match="找不到"):
            persistence.accept(db, "no-such-id", "x", "y")
        with pytest.raises(ValueError, match="已修正"):
            persistence.accept(db, fp, "x", "y")
        error_id = persistence.current_errors(db, states=["open"])[0]["error_id"]
        assert persistence.accept(db, error_id, "理由", "甲")["state"] == "accepted"


def test_store_run_is_one_transaction(path, monkeypatch):
    result = h.run(path, RULES)
    with TownshipDB(path) as db:
        real = db.conn

        class Failing:
            def __getattr__(self, name):
                return getattr(real, name)

            def executemany(self, sql, rows):
                if "qq_error_run" in sql:
                    raise RuntimeError("disk full")
                return real.executemany(sql, rows)
        persistence._ensure(db)
        db.conn = Failing()
        with pytest.raises(RuntimeError):
            persistence.store_run(db, result)
        db.conn = real
        assert db.count("qq_check_run") == 0 and db.count("qq_error") == 0


def test_partly_skipped_rule_never_marks_its_errors_fixed(empty_db):
    """A run that skipped T13(a) (no CJQY) must not call stored T13 errors fixed."""
    from quequan.checks.engine import CheckResult
    from quequan.checks.finding import Finding
    from quequan.checks.persistence import store_run
    from quequan.core.township_db import TownshipDB
    f = Finding("T13", "DK", "4304241052010100001", "地块伸入其他村", key_field="DKBM",
                unit_code="43042410520101")
    base = {"rules_run": ["T13"], "rules_skipped": {}, "scope": "全镇", "parameters": {},
            "counts": {}}
    with TownshipDB(empty_db) as db:
        store_run(db, CheckResult([f], dict(base, run_id="r1")))
        store_run(db, CheckResult([], dict(base, run_id="r2",
                                           rules_skipped={"T13(a)": "CJQY 为空，T13(a) 跳过"})))
        state = db.conn.execute("SELECT state FROM qq_error WHERE rule='T13'").fetchone()[0]
        assert state == "open"
        store_run(db, CheckResult([], dict(base, run_id="r3")))
        state = db.conn.execute("SELECT state FROM qq_error WHERE rule='T13'").fetchone()[0]
        assert state == "fixed"
