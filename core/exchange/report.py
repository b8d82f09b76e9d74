"""The import report: what was read, written, skipped, renumbered and why.

Nothing leaves the import without a line here: a value that does not fit the
schema, a key that collides, a BSM that was renumbered, a CRS that was
converted, an encoding that was guessed.
"""
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

ERROR, WARNING, INFO = "错误", "警告", "提示"


@dataclass
class Issue:
    level: str                 # 错误 / 警告 / 提示
    table: str                 # standard code (DK, CBF …)
    row: Optional[int]         # record number in the source file (spreadsheet row)
    field: str
    value: str
    reason: str
    action: str = ""           # 原样导入 / 置空 / 未导入 / 已补前导零 …
    source: str = ""           # file (sheet) label


@dataclass
class Collision:
    table: str
    key_field: str
    key: str
    action: str                # 跳过 / 替换
    row: Optional[int] = None
    source: str = ""


@dataclass
class Renumbered:
    table: str
    old: Optional[int]
    new: int
    key: str = ""              # the feature's own key (DKBM …) when it has one


@dataclass
class TableCount:
    read: int = 0
    imported: int = 0
    skipped: int = 0           # collisions skipped
    replaced: int = 0          # existing rows replaced (policy 'replace')
    renumbered: int = 0        # BSM renumbered


@dataclass
class EdgeCheck:
    status: str = "未运行"      # 已运行 / 跳过 / 未运行
    reason: str = ""
    scope: List[str] = field(default_factory=list)
    findings: List = field(default_factory=list)   # checks.finding.Finding


@dataclass
class ImportReport:
    source: str
    database: str
    epsg: Optional[int] = None
    backup: Optional[str] = None
    counts: Dict[str, TableCount] = field(default_factory=dict)
    issues: List[Issue] = field(default_factory=list)
    collisions: List[Collision] = field(default_factory=list)
    renumbered: List[Renumbered] = field(default_factory=list)
    messages: List[str] = field(default_factory=list)
    encodings: Dict[str, str] = field(default_factory=dict)
    mapping: Dict = field(default_factory=dict)
    edge: EdgeCheck = field(default_factory=EdgeCheck)

    def count(self, table: str) -> TableCount:
        return self.counts.setdefault(table, TableCount())

    def add(self, level, table, row, fld, value, reason, action="", source=""):
        self.issues.append(Issue(level, table, row, fld, "" if value is None else str(value),
                                 reason, action, source))

    @property
    def imported_total(self) -> int:
        return sum(c.imported for c in self.counts.values())

    @property
    def errors(self) -> List[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    def summary_lines(self) -> List[str]:
        lines = ["导入来源：%s" % self.source, "乡镇数据库：%s（EPSG:%s）" % (self.database, self.epsg)]
        if self.backup:
            lines.append("导入前备份：%s" % self.backup)
        for table in sorted(self.counts):
            c = self.counts[table]
            extra = []
            if c.skipped:
                extra.append("键冲突跳过 %d" % c.skipped)
            if c.replaced:
                extra.append("替换 %d" % c.replaced)
            if c.renumbered:
                extra.append("BSM 重编 %d" % c.renumbered)
            lines.append("  %s：读取 %d，导入 %d%s" % (table, c.read, c.imported,
                                                  ("；" + "，".join(extra)) if extra else ""))
        levels = {lvl: sum(1 for i in self.issues if i.level == lvl) for lvl in (ERROR, WARNING, INFO)}
        lines.append("问题：错误 %d，警告 %d，提示 %d" % (levels[ERROR], levels[WARNING], levels[INFO]))
        lines.extend(self.messages)
        if self.edge.status == "已运行":
            lines.append("接边检查（T13）：%d 处" % len(self.edge.findings))
        elif self.edge.reason:
            lines.append("接边检查（T13）%s：%s" % (self.edge.status, self.edge.reason))
        return lines

    def to_dict(self) -> Dict:
        d = asdict(self)
        d["edge"] = {"status": self.edge.status, "reason": self.edge.reason,
                     "scope": list(self.edge.scope),
                     "findings": [{"rule": f.rule, "key": f.key, "related": list(f.related),
                                   "message": f.message} for f in self.edge.findings]}
        return d
