"""Field mapping for data that do not follow the standard's names.

A mapping says which source field feeds which standard field: for the plot
layer `source field -> DK field`, for each ledger sheet `source column ->
TABLE.FIELD` (one sheet may feed several tables: a member list repeats the
household's columns on every row). Suggestions come from the standard's codes
and Chinese names, a list of aliases used in village ledgers, and name
similarity. Mappings are saved as JSON, in a file or in qq_settings, and reused.
"""
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .. import schema
from .errors import ExchangeError

SETTINGS_PREFIX = "import_mapping:"
LEDGER_TABLES = ("CBF", "CBF_JTCY", "CBDKXX", "FBF", "CBHT")

# Names seen in survey-company attribute tables and village ledgers (台账).
LAYER_ALIASES = {
    "DKBM": "地块编码 地块代码 地块编号 地块号 宗地编码 DKBH",
    "DKMC": "地块名称 田块名称 地名 小地名 田块名",
    "SCMJ": "面积 实测面积 测量面积 图斑面积 实测面积平方米 面积平方米 SHAPE_AREA",
    "SCMJM": "面积亩 实测面积亩 亩数 实测亩",
    "DKLB": "地块类别 地块类型",
    "TDLYLX": "土地利用类型 地类 地类编码",
    "DLDJ": "地力等级 耕地等级",
    "TDYT": "土地用途 用途",
    "SFJBNT": "是否基本农田 基本农田",
    "SYQXZ": "所有权性质 权属性质",
    "DKDZ": "东至 东 四至东", "DKXZ": "西至 西 四至西", "DKNZ": "南至 南 四至南",
    "DKBZ": "北至 北 四至北",
    "DKBZXX": "备注 地块备注",
    "ZJRXM": "指界人 指界人姓名",
    "KJZB": "空间坐标 界址点号串",
}
LEDGER_ALIASES = {
    "CBF.CBFBM": "承包方编码 承包方代码 承包方编号 户编码 户编号 农户编码 户号",
    "CBF.CBFMC": "承包方名称 承包方 户主 户主姓名 承包户",
    "CBF.CBFLX": "承包方类型",
    "CBF.CBFZJHM": "户主身份证号 户主身份证号码 承包方证件号码 户主证件号码",
    "CBF.CBFZJLX": "户主证件类型 承包方证件类型",
    "CBF.CBFDZ": "地址 住址 承包方地址 家庭住址",
    "CBF.LXDH": "联系电话 电话 手机",
    "CBF.YZBM": "邮编 邮政编码",
    "CBF.CBFCYSL": "家庭人口 人口 人口数 成员数量 家庭成员数 承包方成员数量",
    "CBF_JTCY.CYXM": "成员姓名 姓名 家庭成员",
    "CBF_JTCY.CYXB": "性别 成员性别",
    "CBF_JTCY.CYZJHM": "身份证号 身份证号码 身份证 证件号码 成员证件号码 成员身份证号",
    "CBF_JTCY.CYZJLX": "证件类型 成员证件类型",
    "CBF_JTCY.YHZGX": "与户主关系 关系 家庭关系",
    "CBF_JTCY.SFGYR": "是否共有人 共有人",
    "CBF_JTCY.CYBZSM": "成员备注 备注说明",
    "CBDKXX.DKBM": "地块编码 地块代码 地块编号 地块号",
    "CBDKXX.HTMJ": "合同面积 确权面积 确权合同面积 承包面积",
    "CBDKXX.HTMJM": "合同面积亩 确权面积亩 承包面积亩",
    "CBDKXX.YHTMJ": "原合同面积 二轮合同面积",
    "CBDKXX.YHTMJM": "原合同面积亩 二轮合同面积亩",
    "CBDKXX.CBHTBM": "承包合同编码 合同编码 合同编号 承包合同代码",
    "CBDKXX.CBJYQZBM": "权证编码 权证编号 经营权证编码 证书编号",
    "CBDKXX.CBJYQQDFS": "取得方式 承包方式 承包经营权取得方式",
    "CBDKXX.FBFBM": "发包方编码 发包方代码",
}


def _norm(name) -> str:
    """Comparable form: no blanks, brackets, units or punctuation; ASCII upper-case."""
    s = str(name or "").upper()
    s = re.sub(r"[\s_\-—（）()\[\]【】:：,，./、]", "", s)
    return s.replace("㎡", "平方米").replace("M2", "平方米")


def _alias_index(aliases: Dict[str, str]) -> Dict[str, str]:
    out = {}
    for target, words in aliases.items():
        for w in words.split():
            out.setdefault(_norm(w), target)
    return out


_LAYER_INDEX = _alias_index(LAYER_ALIASES)
_LEDGER_INDEX = _alias_index(LEDGER_ALIASES)


@dataclass
class FieldMapping:
    layer: Dict[str, str] = field(default_factory=dict)             # source field -> DK code
    ledger: Dict[str, Dict[str, str]] = field(default_factory=dict)  # sheet -> {column: TABLE.FIELD}
    name: str = ""
    scores: Dict[str, float] = field(default_factory=dict)           # suggestion confidence (not saved)

    def to_json(self) -> str:
        return json.dumps({"version": 1, "name": self.name, "layer": self.layer, "ledger": self.ledger},
                          ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "FieldMapping":
        try:
            d = json.loads(text)
        except ValueError as exc:
            raise ExchangeError("字段对应关系文件不是有效的 JSON：%s" % exc)
        if not isinstance(d, dict):
            raise ExchangeError("字段对应关系应为 JSON 对象（含 layer、ledger）")
        m = cls(dict(d.get("layer") or {}), {k: dict(v) for k, v in (d.get("ledger") or {}).items()},
                d.get("name", ""))
        m.validate()
        return m

    def validate(self):
        dk = schema.BY_CODE["DK"]
        for src, code in self.layer.items():
            if not dk.has_field(code):
                raise ExchangeError("字段对应关系中 %s → %s：%s 不是地块（DK）的标准字段" % (src, code, code))
        for label, targets in [("地块图层", self.layer)] + [("台账 " + k, v) for k, v in self.ledger.items()]:
            seen: Dict[str, str] = {}
            for src, target in targets.items():
                if target.upper() in seen:
                    raise ExchangeError("字段对应关系中 %s 的 %s 和 %s 都对应 %s；一个标准字段只能有一个来源"
                                        % (label, seen[target.upper()], src, target))
                seen[target.upper()] = src
        for sheet, cols in self.ledger.items():
            for src, target in cols.items():
                table, _, fld = target.partition(".")
                t = schema.BY_CODE.get(table.upper())
                if t is None or t.is_layer or not t.has_field(fld):
                    raise ExchangeError("字段对应关系中 %s 的 %s → %s：应写成 表.字段，如 CBF.CBFMC"
                                        % (sheet, src, target))

    def sheet(self, name: str, only_sheet: bool = False) -> Dict[str, str]:
        """Columns of a ledger sheet: by its name, else '*', else the only entry."""
        if name in self.ledger:
            return self.ledger[name]
        if "*" in self.ledger:
            return self.ledger["*"]
        if only_sheet and len(self.ledger) == 1:
            return next(iter(self.ledger.values()))
        return {}


def _score(name: str, candidates: Dict[str, str], index: Dict[str, str]) -> Tuple[Optional[str], float]:
    """Best target for one source name: code 1.0, alias 0.95, Chinese name 0.9, similarity below."""
    n = _norm(name)
    if n in candidates:
        return candidates[n], 1.0
    if n in index:
        return index[n], 0.95
    best, score = None, 0.0
    for label, target in list(index.items()) + list(candidates.items()):
        r = difflib.SequenceMatcher(None, n, label).ratio()
        if r > score:
            best, score = target, r
    return (best, round(0.8 * score, 3)) if score >= 0.75 else (None, 0.0)


def _assign(names: Iterable[str], candidates, index, prefer=None):
    """Greedy one-to-one assignment by score; prefer(target) breaks ties toward a table."""
    scored = []
    for name in names:
        target, score = _score(name, candidates, index)
        if target and prefer:
            target = prefer(target)
        if target:
            scored.append((score, name, target))
    out, used, scores = {}, set(), {}
    for score, name, target in sorted(scored, key=lambda t: (-t[0], t[1])):
        if target in used:
            continue
        out[name], scores[name] = target, score
        used.add(target)
    return out, scores


def suggest_layer(source_fields: Sequence[str]):
    dk = schema.BY_CODE["DK"]
    cands = {_norm(f.code): f.code for f in dk.fields}
    cands.update({_norm(f.name): f.code for f in dk.fields})
    return _assign(source_fields, cands, _LAYER_INDEX)


_SHEET_HINTS = (("CBF_JTCY", ("成员", "人口", "JTCY")), ("CBDKXX", ("地块", "承包地", "DKXX")),
                ("CBHT", ("合同", "CBHT")), ("FBF", ("发包方", "FBF")), ("CBF", ("承包方", "农户", "户", "CBF")))


# In a household sheet the person columns describe the representative (户主).
_HEAD_FIELDS = {"CYXM": "CBFMC", "CYZJHM": "CBFZJHM", "CYZJLX": "CBFZJLX"}


def sheet_table(sheet_name: str) -> Optional[str]:
    n = _norm(sheet_name)
    for table, hints in _SHEET_HINTS:
        if any(h.upper() in n for h in hints):
            return table
    return None


def suggest_sheet(sheet_name: str, columns: Sequence[str]):
    """Columns -> TABLE.FIELD; a sheet named like 家庭成员 pulls shared codes into its table."""
    context = sheet_table(sheet_name)
    cands = {}
    for code in LEDGER_TABLES:
        for f in schema.BY_CODE[code].fields:
            cands.setdefault(_norm(f.code), "%s.%s" % (code, f.code))
            cands.setdefault(_norm(f.name), "%s.%s" % (code, f.code))

    def prefer(target):
        table, _, fld = target.partition(".")
        if context == "CBF" and table == "CBF_JTCY" and fld in _HEAD_FIELDS:
            return "CBF." + _HEAD_FIELDS[fld]
        if context and table != context and schema.BY_CODE[context].has_field(fld):
            return "%s.%s" % (context, fld)
        return target
    return _assign(columns, cands, _LEDGER_INDEX, prefer)


# --- saving and loading ---------------------------------------------------------------

def save_mapping(mapping: FieldMapping, path: Optional[str] = None, db=None, name: Optional[str] = None):
    """To a .json file and/or to qq_settings of a township database (key import_mapping:<name>)."""
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(mapping.to_json())
    if db is not None:
        from ..plugin_tables import set_setting
        set_setting(db, SETTINGS_PREFIX + (name or mapping.name or "默认"), mapping.to_json())


def load_mapping(path: Optional[str] = None, db=None, name: Optional[str] = None) -> FieldMapping:
    if path:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                return FieldMapping.from_json(fh.read())
        except OSError as exc:
            raise ExchangeError("无法读取字段对应关系文件 %s：%s" % (path, exc))
    from ..plugin_tables import get_setting
    text = get_setting(db, SETTINGS_PREFIX + (name or "默认"))
    if text is None:
        raise ExchangeError("乡镇数据库中没有名为“%s”的字段对应关系" % (name or "默认"))
    return FieldMapping.from_json(text)


def saved_mapping_names(db) -> List[str]:
    if not db.has("qq_settings"):
        return []
    rows = db.conn.execute("SELECT key FROM qq_settings WHERE key LIKE ?", (SETTINGS_PREFIX + "%",))
    return sorted(r[0][len(SETTINGS_PREFIX):] for r in rows)
