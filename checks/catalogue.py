"""The rule catalogue (spec checks.md §7): stable IDs, severity, list, title.

Rule IDs are never reused or renumbered. Severity E = 错误, W = 警告.
"""
CATALOGUE_VERSION = "2026.11-1"

MISSING_LIST_RULES = frozenset(["S01", "S02", "A01", "A08", "A13", "X02", "X03", "C01", "C03"])
NOT_ACCEPTABLE = frozenset(["S01", "S02", "T01", "T02"])

# id: (severity, Chinese title)
RULES = {
    "S01": ("E", "必选图层/表缺失"),
    "S02": ("E", "字段缺失或类型不符"),
    "S03": ("W", "坐标系不符"),
    "T01": ("E", "图形无效"),
    "T02": ("E", "图形为空"),
    "T03": ("E", "地块多部件"),
    "T04": ("E", "地块重叠"),
    "T05": ("E", "地块间缝隙"),
    "T06": ("W", "地块间孔洞"),
    "T07": ("E", "地块重复"),
    "T08": ("E", "碎小图斑"),
    "T09": ("W", "狭长角"),
    "T10": ("E", "节点重复"),
    "T11": ("E", "相邻节点未重合"),
    "T12": ("E", "缺少公用节点"),
    "T13": ("E", "接边错误"),
    "T14": ("W", "地块超出所属组级区域"),
    "T15": ("E", "区域嵌套/重叠错误"),
    "T16": ("E", "界址点线与地块不一致"),
    "A01": ("E", "必填字段为空"),
    "A02": ("E", "代码值不在值域内"),
    "A03": ("E", "字段长度超限"),
    "A04": ("E", "编码格式错误"),
    "A05": ("E", "编码层级不符"),
    "A06": ("E", "编码重复"),
    "A07": ("E", "身份证号码错误"),
    "A08": ("E", "证件号码缺失"),
    "A09": ("E", "身份证号码重复"),
    "A10": ("E", "性别与身份证号不符"),
    "A11": ("E", "户主信息错误"),
    "A12": ("E", "成员数量不符"),
    "A13": ("E", "四至缺失"),
    "A14": ("E", "日期先后顺序错误"),
    "A15": ("W", "含多余空格"),
    "A16": ("W", "15位旧身份证号"),
    "A17": ("E", "数值超出值域"),
    "X01": ("E", "引用不存在"),
    "X02": ("E", "承包地块无承包信息"),
    "X03": ("W", "承包方无承包地块"),
    "X04": ("E", "合同面积/地块数不符"),
    "X05": ("E", "合同/登记簿/权证不一致"),
    "M01": ("E", "实测面积与图形面积不符"),
    "M02": ("E", "亩面积换算不符"),
    "M03": ("W", "实测面积与合同面积差异大"),
    "M04": ("W", "组级区域地块覆盖率异常"),
    "C01": ("E", "行政单位数据缺失"),
    "C02": ("E", "编码不在行政单位名单中"),
    "C03": ("W", "发包方单位工作阶段未完成"),
}

FAMILY_ORDER = ("S", "T", "A", "X", "M", "C")
SEVERITY_TEXT = {"E": "错误", "W": "警告"}


def severity(rule_id: str) -> str:
    return RULES[rule_id][0]


def list_of(rule_id: str) -> str:
    return "缺失清单" if rule_id in MISSING_LIST_RULES else "错误清单"


def sort_key(rule_id: str):
    return (FAMILY_ORDER.index(rule_id[0]), rule_id)


def parse_rule_list(text) -> list:
    """'T04, a01 ,T1*' -> sorted valid IDs; raises ValueError naming unknown IDs."""
    if text is None or not str(text).strip():
        return []
    wanted, unknown = set(), []
    for tok in str(text).replace("，", ",").replace(";", ",").split(","):
        tok = tok.strip().upper()
        if not tok:
            continue
        if tok.endswith("*"):
            hits = [r for r in RULES if r.startswith(tok[:-1])]
        elif len(tok) == 1:
            hits = [r for r in RULES if r[0] == tok]
        else:
            hits = [tok] if tok in RULES else []
        if not hits:
            unknown.append(tok)
        wanted.update(hits)
    if unknown:
        raise ValueError("未知的规则编号：%s（可用：S01–S03, T01–T16, A01–A17, X01–X05, M01–M04, C01–C03）"
                         % ", ".join(unknown))
    return sorted(wanted, key=sort_key)
