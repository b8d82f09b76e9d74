"""One edit step: a transaction, its journal, and validation before commit.

    with EditStep(db, "调整承包方", note="…") as step:
        step.touch(dkbm=[…], cbfbm=[…], cbhtbm=[…])   # before writing them
        step.journal.update("CBDKXX", fid, {...})
    step.result   # EditResult (batch, warnings, data)

Anything raised inside, or a validation problem at the end, rolls the whole step
back: nothing is written, not even the audit rows.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .journal import Journal, OwnershipError, ensure_tables
from .validation import Guard, Problem


# The ownership steps (qq_audit.action); the dock's undo/redo works on these only, not on
# batches of other tools writing qq_audit (e.g. area adjustments, core/areas/apply.py).
ACTIONS = ("调整承包方", "取消承包", "新建承包方", "添加成员", "修改成员", "删除成员", "设为户主",
           "地块编码", "新增地块", "作废代码", "登记争议", "解决争议")


class Refused(OwnershipError):
    """Validation found problems the edit would introduce; nothing was written."""

    def __init__(self, action: str, problems: List[Problem]):
        self.action = action
        self.problems = problems
        lines = "\n".join("· " + p.text for p in problems[:12])
        more = "\n· …（共 %d 项）" % len(problems) if len(problems) > 12 else ""
        super().__init__("%s未保存，修改后将出现以下错误：\n%s%s" % (action, lines, more))


@dataclass
class EditResult:
    batch: Optional[str]
    action: str
    note: str = ""
    changes: int = 0
    warnings: List[str] = field(default_factory=list)
    data: Dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        text = "%s：%s" % (self.action, self.note) if self.note else self.action
        if self.warnings:
            text += "\n" + "\n".join("提示：" + w for w in self.warnings)
        return text


class EditStep:
    def __init__(self, db, action: str, who: Optional[str] = None, note: str = "",
                 validate: bool = True, use_engine: bool = True, ref_batch: Optional[str] = None):
        self.db = db
        self.action = action
        self.validate = validate
        self.journal = Journal(db, action, who, note, ref_batch=ref_batch)
        self.guard = Guard(db, use_engine=use_engine, written=lambda: set(self.journal.tables)) \
            if validate else None
        self.warnings: List[str] = []
        self.data: Dict = {}
        self.result: Optional[EditResult] = None

    @property
    def note(self) -> str:
        return self.journal.note

    @note.setter
    def note(self, value: str):
        self.journal.note = value

    def touch(self, dkbm=(), cbfbm=(), cbhtbm=()):
        if self.guard is not None:
            self.guard.touch(dkbm, cbfbm, cbhtbm)

    def warn(self, text: str):
        if text not in self.warnings:
            self.warnings.append(text)

    def __enter__(self) -> "EditStep":
        ensure_tables(self.db)
        # IMMEDIATE: take the write lock now, so validation reads what the step will change
        self.db.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.db.conn.execute("ROLLBACK")
            return False
        try:
            problems = self.guard.new_problems() if self.guard is not None else []
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        errors = [p for p in problems if not p.warning]
        if errors:
            self.db.conn.execute("ROLLBACK")
            raise Refused(self.action, errors)
        for p in problems:
            self.warn(p.text)
        if self.journal.count == 0:
            self.db.conn.execute("ROLLBACK")
            batch = None
        else:
            self.db.conn.execute("COMMIT")
            batch = self.journal.batch
        self.result = EditResult(batch, self.action, self.journal.note, self.journal.count,
                                 list(self.warnings), dict(self.data))
        return False
